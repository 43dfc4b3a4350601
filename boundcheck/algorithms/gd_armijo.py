"""gd-armijo: gradient descent with Armijo backtracking line search, one oracle call per step.

Each iteration tries eta, beta eta, beta^2 eta, ... until the sufficient-decrease test

    f(x - eta g) <= f(x) - c1 eta ||g||^2,        g = grad f(x)

holds, then moves x <- x - eta g. The first trial step of an iteration is eta0 (``restart=initial``,
Nocedal-Wright Alg. 3.1), the last accepted step (``previous``), or the last accepted step divided
by beta (``grow``, lets the step increase again).

**Engine steps count oracle calls, not iterations.** The method is written as a small state
machine: every engine step evaluates f and grad f at one point (``query`` = the current trial
point y = x - eta g), and ``update`` either accepts it (x <- y; the gradient just computed at y is
the next iteration's g, so no call is wasted) or shrinks eta and proposes the next trial. State.x
is always the last accepted iterate, so "the iterate after T oracle calls" is what the engine
measures; f(x_t) is non-increasing in t. needs_value=True: update reads fx = f(query).

The initial step ``eta0`` is absolute (no L needed: that is the point of a line search; T14's
(L0,L1)-smooth classes have no global L).

References: L. Armijo, Pacific J. Math. 16 (1966); J. Nocedal, S. Wright, Numerical Optimization
(2006), Alg. 3.1; F. Hubler, J. Yang, X. Li, N. He, AISTATS 2024, arXiv 2311.03252 (T14: backtracking
GD avoids the exponential L1 factor of parameter-agnostic methods).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import ops
from ..algorithm import Algorithm
from ..params import Choice, Interval, Param

RESTART = ("initial", "previous", "grow")


class State(NamedTuple):
    x: np.ndarray   # last accepted iterate
    y: np.ndarray   # trial point (the query)
    gx: np.ndarray  # grad f(x)
    k: np.ndarray   # [oracle calls, phase (0: first call at x0), f(x), eta (current trial), ||gx||^2, iterations]


class P(NamedTuple):
    eta0: float
    beta: float
    c1: float
    restart: float  # index into RESTART


def init(x0, P):
    k = np.zeros(6)
    k[3] = P.eta0
    return State(x=x0.copy(), y=x0.copy(), gx=x0.copy(), k=k)


def query(s, P):
    return s.y


def update(s, g, fx, P):
    eta = s.k[3]
    first = s.k[1] == 0.0                     # first call: y = x0, (fx, g) at x0
    if first or fx <= s.k[2] - P.c1 * eta * s.k[4]:
        # Armijo test at y = x - eta gx passed (or first call): accept y; g is grad f(y)
        ops.assign(s.x, s.y)
        ops.assign(s.gx, g)
        s.k[2] = fx
        if not first:
            s.k[5] += 1.0
            if P.restart == 0.0:
                eta = P.eta0
            elif P.restart == 2.0:
                eta = eta / P.beta
        s.k[1] = 1.0
    else:                                     # rejected (also when fx is NaN): backtrack
        eta = eta * P.beta
    s.k[4] = ops.norm_sq(s.gx)
    s.k[3] = eta
    ops.lincomb(s.y, 1.0, s.x, -eta, s.gx)
    s.k[0] += 1.0


def make_params(p, N, prob):
    return P(eta0=float(p["eta0"]), beta=float(p["beta"]), c1=float(p["c1"]),
             restart=float(RESTART.index(p["restart"])))


PLUGIN = Algorithm(
    name="gd-armijo",
    summary="gradient descent with Armijo backtracking (engine steps = oracle calls)",
    update_rule="x+ = x - eta g with the first eta in {eta0 beta^j} such that f(x - eta g) <= f(x) - c1 eta ||g||^2",
    params=(
        Param("eta0", Interval(0, float("inf"), lo_open=True, hi_open=True), 1.0, "initial trial step (absolute)"),
        Param("beta", Interval(0, 1, lo_open=True, hi_open=True), 0.5, "backtracking factor"),
        Param("c1", Interval(0, 1, lo_open=True, hi_open=True), 0.5, "Armijo sufficient-decrease constant"),
        Param("restart", Choice(RESTART), "initial",
              "first trial step of an iteration: eta0, the previous accepted step, or previous/beta"),
    ),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=False, needs_value=True,
    references=("L. Armijo, Pacific J. Math. 16 (1966)",
                "J. Nocedal, S.J. Wright, Numerical Optimization, 2nd ed. (2006), Alg. 3.1",
                "F. Hubler, J. Yang, X. Li, N. He, AISTATS 2024, arXiv 2311.03252"),
)

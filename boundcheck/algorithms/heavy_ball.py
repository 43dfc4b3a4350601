"""heavy-ball: Polyak's heavy-ball method, normalized step h (step = h/L) and momentum beta.

    x_{t+1} = x_t - (h_t/L) grad f(x_t) + beta_t (x_t - x_{t-1}),      x_{-1} = x_0

``h`` and ``beta`` are numbers or formulas in t (0-based), N and the problem constants, e.g.
Polyak's tuning for mu-strongly convex quadratics h = 4L/(sqrt L + sqrt mu)^2,
beta = ((sqrt L - sqrt mu)/(sqrt L + sqrt mu))^2, written
``h='4*L/(sqrt(L)+sqrt(mu))^2', beta='((sqrt(L)-sqrt(mu))/(sqrt(L)+sqrt(mu)))^2'``, or
Ghadimi-Feyzmahdavian-Johansson's beta_t = t/(t+2) for smooth convex f. On general smooth strongly
convex functions Polyak's tuning is NOT globally convergent (Lessard-Recht-Packard 2016).
Linear with numeric coefficients: exact in the PEP.

References: B.T. Polyak, USSR Comp. Math. Math. Phys. 4 (1964); E. Ghadimi, H.R. Feyzmahdavian,
M. Johansson, ECC 2015, arXiv 1412.7457; L. Lessard, B. Recht, A. Packard, SIAM J. Optim. 26 (2016).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import ops
from ..algorithm import Algorithm
from ..params import Param
from ._common import MOMENTUM, POSITIVE, need, steps, uses_horizon


class State(NamedTuple):
    x: np.ndarray
    xprev: np.ndarray
    tmp: np.ndarray
    k: np.ndarray  # k[0] = t


class P(NamedTuple):
    step: np.ndarray  # h_t / L
    beta: np.ndarray  # beta_t


def init(x0, P):
    return State(x=x0.copy(), xprev=x0.copy(), tmp=x0.copy(), k=np.zeros(1))


def query(s, P):
    return s.x


def update(s, g, fx, P):
    t = int(s.k[0])
    b = P.beta[t]
    ops.lincomb(s.tmp, 1.0 + b, s.x, -b, s.xprev)   # x_t + beta (x_t - x_{t-1})
    ops.axpy(s.tmp, -P.step[t], g)
    ops.assign(s.xprev, s.x)
    ops.assign(s.x, s.tmp)
    s.k[0] = t + 1


def make_params(p, N, prob):
    L = need(prob, "L", "heavy-ball", "the normalized step h/L")
    h = steps(p, N, prob, "h", shape_key=None)
    return P(step=h / L, beta=steps(p, N, prob, "beta", shape_key=None, domain=MOMENTUM))


PLUGIN = Algorithm(
    name="heavy-ball",
    summary="Polyak's heavy-ball method, step h/L, momentum beta",
    update_rule="x_{t+1} = x_t - (h_t/L) grad f(x_t) + beta_t (x_t - x_{t-1})",
    params=(
        Param("h", POSITIVE, 1.0, "normalized step (step = h/L): a number or a formula in t, N, L, mu, ..."),
        Param("beta", MOMENTUM, 0.5, "momentum beta in [0, 1): a number or a formula in t, N, L, mu, ..."),
    ),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=False, horizon_dependent=lambda p: uses_horizon(p, "h", "beta", shape_key=None),
    references=("B.T. Polyak, USSR Comp. Math. Math. Phys. 4 (1964)",
                "E. Ghadimi, H.R. Feyzmahdavian, M. Johansson, ECC 2015, arXiv 1412.7457"),
)

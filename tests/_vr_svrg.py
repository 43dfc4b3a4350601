"""SVRG (Johnson & Zhang, NIPS 2013), as a test algorithm for the engine's anchored (variance-
reduced) finite-sum oracle (boundcheck/oracles/finite_sum.py). Not registered: a variance-reduced
method runs only on finite sums, and the registry's generic conformance suites run every method on
a plain instance with noise.

    every m steps (t = 0, m, 2m, ...): snapshot y <- x_t and mu <- grad F(y)    (Option I: last iterate)
    x_{t+1} = x_t - gamma (grad f_i(x_t) - grad f_i(y) + mu),   i = i_t from the oracle model
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from boundcheck import ops
from boundcheck.algorithm import Algorithm
from boundcheck.params import Interval, Param


class State(NamedTuple):
    x: np.ndarray
    y: np.ndarray  # snapshot
    mu: np.ndarray  # grad F(y)
    k: np.ndarray  # k[0] = t


class P(NamedTuple):
    gamma: float
    m: int


def init(x0, P):
    return State(x=x0.copy(), y=x0.copy(), mu=np.zeros_like(x0), k=np.zeros(1))


def query(s, P):
    return s.x


def anchor(s, P):
    return s.x if int(s.k[0]) % P.m == 0 else s.y


def update(s, G, fx, P):
    t = int(s.k[0])
    if t % P.m == 0:
        ops.lincomb(s.y, 1.0, s.x, 0.0, s.x)
        ops.lincomb(s.mu, 1.0, G[2], 0.0, G[2])
    ops.axpy(s.x, -P.gamma, G[0])
    ops.axpy(s.x, P.gamma, G[1])
    ops.axpy(s.x, -P.gamma, s.mu)
    s.k[0] = t + 1


def make_params(p, N, prob):
    return P(gamma=float(p["gamma"]), m=int(p["m"]))


SVRG = Algorithm(
    name="svrg-test", summary="SVRG (test algorithm)", update_rule="x <- x - gamma (g_i(x) - g_i(y) + grad F(y))",
    params=(Param("gamma", Interval(0, float("inf"), lo_open=True), 0.1, "step"),
            Param("m", Interval(1, 10**9, integer=True), 10, "snapshot period")),
    State=State, init=init, query=query, update=update, make_params=make_params, anchor=anchor, stochastic=True)

"""optimistic-gradient: Popov's past extragradient (optimistic gradient) method for an operator F
(T25), normalized step h (gamma = h/L), one oracle call per step:

    xt_0 = x_0;   x_{k+1} = x_k - gamma F(xt_k);   xt_{k+1} = x_{k+1} - gamma F(xt_k)

(oracle at xt_k only; F(xt_k) is reused in the next extrapolation, so x_1 = x_0 - gamma F(x_0) as in
Gorbunov, Taylor, Gidel 2022). State.x is x_N after N steps. Linear in F: exact in the PEP. The
last-iterate O(1/N) rate of ||F(x_N)||^2 on monotone Lipschitz operators is Gorbunov, Taylor,
Gidel (NeurIPS 2022, arXiv 2205.08446).

References: L. Popov, Math. Notes 28 (1980); E. Gorbunov, A. Taylor, G. Gidel, NeurIPS 2022,
arXiv 2205.08446.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import ops
from ..algorithm import Algorithm
from ..params import Interval, Param
from ._common import need


class State(NamedTuple):
    x: np.ndarray
    xt: np.ndarray


class P(NamedTuple):
    step: float


def init(x0, P):
    return State(x=x0.copy(), xt=x0.copy())


def query(s, P):
    return s.xt


def update(s, g, fx, P):
    ops.axpy(s.x, -P.step, g)                 # x_{k+1} = x_k - gamma F(xt_k)
    ops.lincomb(s.xt, 1.0, s.x, -P.step, g)   # xt_{k+1} = x_{k+1} - gamma F(xt_k)


def make_params(p, N, prob):
    return P(step=p["h"] / need(prob, "L", "optimistic-gradient", "the step is h/L"))


PLUGIN = Algorithm(
    name="optimistic-gradient",
    summary="optimistic gradient / Popov's past extragradient for operators, step h/L, one call per step",
    update_rule="x_{k+1} = x_k - (h/L) F(xt_k);  xt_{k+1} = x_{k+1} - (h/L) F(xt_k);  xt_0 = x_0",
    params=(
        Param("h", Interval(0, float("inf"), lo_open=True, hi_open=True), 0.25, "normalized step (gamma = h/L)"),
    ),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=False,
    references=("L. Popov, Math. Notes 28 (1980)",
                "E. Gorbunov, A. Taylor, G. Gidel, NeurIPS 2022, arXiv 2205.08446"),
)

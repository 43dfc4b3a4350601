"""proximal-point: the proximal point method for an operator F (a monotone inclusion 0 in F(x)),
step gamma > 0 (absolute: the method needs no Lipschitz constant):

    x_{k+1} = J_{gamma F}(x_k),   i.e.   x_{k+1} = x_k - gamma F(x_{k+1})

The backward step is taken where the engine has it:

* the PEP: the oracle is a resolvent (``Algorithm.resolvent``), returning g = F(x_{k+1}) at the
  implicit point x_{k+1} = x_k - gamma g (pep/driver.py), and query() returns x_k;
* the Monte Carlo engines: the instance's own resolvent (``Instance.resolvent``, linear operators
  only: J(y) = M y + c with M = (I + gamma A)^{-1}, functions/operator.py) reaches make_params
  through the problem facts; query() then returns y = J(x_k) = x_{k+1}, the engine evaluates
  g = F(x_{k+1}) there with its ordinary oracle, and update() is the same explicit line.
  Nonlinear operators (the tanh generator) have no closed-form resolvent and are refused (exit 2).

In both, g = F(x_{k+1}) and ||x_N - x_{N-1}||^2 = gamma^2 ||F(x_N)||^2 exactly (up to rounding in
the Monte Carlo engines, where x_{k+1} - gamma F(x_{k+1}) is recomputed).

T25: on maximally monotone F, ||x_N - x_{N-1}||^2 <= (1 - 1/N)^(N-1)/N ||x_0 - x*||^2, tight
(Gu and Yang 2020, Sec. 4); on rho-comonotone F with gamma > 2 rho, Gorbunov, Taylor, Horvath,
Gidel (ICML 2023).

References: R. T. Rockafellar, SIAM J. Control Optim. 14 (1976); G. Gu, J. Yang, SIAM J. Optim.
30(3) (2020), 1905-1921.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import ops
from ..algorithm import Algorithm
from ..params import Interval, Param
from ._resolvent import affine_map, resolvent_params


class State(NamedTuple):
    x: np.ndarray
    y: np.ndarray   # J(x_k) = x_{k+1} (Monte Carlo engines); the same array as x in the PEP


class P(NamedTuple):
    step: float
    M: np.ndarray   # J(y) = M y + c (d x d); 0 x 0 in the PEP, whose oracle is the resolvent
    c: np.ndarray


def init(x0, P):
    x = x0.copy()
    y = x0.copy() if P.M.shape[0] > 0 else x  # PEP: y is x itself (query returns x_k)
    return State(x=x, y=y)


def query(s, P):
    if P.M.shape[0] > 0:  # Monte Carlo: y = J(x_k) = M x_k + c; in the PEP y is x itself
        affine_map(s.y, P.M, P.c, s.x)
    return s.y


def update(s, g, fx, P):
    ops.axpy(s.x, -P.step, g)  # x_{k+1} = x_k - gamma F(x_{k+1})


def resolvent(P):
    return P.step


def make_params(p, N, prob):
    return resolvent_params(P, p, prob, "resolvent")  # the instance's J (Monte Carlo engines; engine/problem.py)


PLUGIN = Algorithm(
    name="proximal-point",
    summary="proximal point method x_{k+1} = J_{gamma F}(x_k) for operators (Monte Carlo: linear operators only)",
    update_rule="x_{k+1} = x_k - gamma F(x_{k+1})",
    params=(
        Param("gamma", Interval(0, float("inf"), lo_open=True, hi_open=True), 1.0, "step gamma (resolvent J_{gamma F})"),
    ),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=False, resolvent=resolvent,
    references=("R. T. Rockafellar, SIAM J. Control Optim. 14 (1976)",
                "G. Gu, J. Yang, SIAM J. Optim. 30(3) (2020), 1905-1921, Sec. 4"),
)

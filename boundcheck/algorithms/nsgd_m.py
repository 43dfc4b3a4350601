"""nsgd-m: normalized SGD with (heavy-ball-type) momentum.

    m_t     = beta_t m_{t-1} + (1 - beta_t) g_t,        m_{-1} = 0
    x_{t+1} = x_t - gamma_t m_t/||m_t||                 (no move when m_t = 0)

``gamma`` and ``beta`` are numbers or formulas in t (0-based), N and the problem constants.
Problem-independent schedules of Hubler et al. (T14), with the paper's 1-based t written t+1:
``nsgd-m[gamma=0.1,schedule=inv-t34,beta=1-1/sqrt(t+1)]`` (eta_t = gamma/t^{3/4}, momentum
1 - 1/sqrt(t); then beta_0 = 0, so m_0 = g_0). Cutkosky-Mehta's horizon-tuned constants are e.g.
``beta='1-1/sqrt(N)'`` with ``gamma='c/N^(3/4)'``.

References: A. Cutkosky, H. Mehta, "Momentum improves normalized SGD", ICML 2020, arXiv 2002.03305;
F. Hubler, J. Yang, X. Li, N. He, AISTATS 2024, arXiv 2311.03252 (T14).
"""
from __future__ import annotations

from .. import ops
from ..algorithm import Algorithm
from ..params import Param
from ._common import MOMENTUM, batch_param, shape_param, step_param, uses_horizon
from ._momentum import State, init, make_params, query


def update(s, g, fx, P):
    t = int(s.k[0])
    b = P.beta[t]
    ops.lincomb(s.m, b, s.m, 1.0 - b, g)
    n = ops.norm(s.m)
    if n > 0.0:
        ops.axpy(s.x, -P.gamma[t] / n, s.m)
    s.k[0] = t + 1


PLUGIN = Algorithm(
    name="nsgd-m",
    summary="normalized SGD with momentum (Cutkosky-Mehta; Hubler et al. parameter-agnostic schedules)",
    update_rule="m_t = beta_t m_{t-1} + (1-beta_t) g_t;  x_{t+1} = x_t - gamma_t m_t/||m_t||",
    params=(
        step_param("gamma", 0.01, "step length gamma_t"), shape_param(),
        Param("beta", MOMENTUM, 0.9, "momentum beta_t in [0, 1): a number or a formula, "
                                     "e.g. '1-1/sqrt(t+1)' (Hubler et al.)"),
        batch_param(),
    ),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=True, horizon_dependent=lambda p: uses_horizon(p, "gamma", "beta"),
    references=("A. Cutkosky, H. Mehta, ICML 2020, arXiv 2002.03305",
                "F. Hubler, J. Yang, X. Li, N. He, AISTATS 2024, arXiv 2311.03252"),
)

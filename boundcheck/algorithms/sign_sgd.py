"""sign-sgd: signSGD (beta = 0) and Signum (sign of the momentum, beta > 0).

    m_t     = beta_t m_{t-1} + (1 - beta_t) g_t,       m_{-1} = 0   (beta = 0: m_t = g_t)
    x_{t+1} = x_t - gamma_t sign(m_t)                   (element-wise, sign(0) = 0)

Rates are in the l1 norm, E||grad f||_1 (T21; docs/pitfalls.md#measure-convention). Without momentum and with
batch 1, signSGD is biased under skewed noise and can plateau (docs/pitfalls.md#signsgd-needs-momentum): use momentum or large
``batch``.

References: J. Bernstein, Y.-X. Wang, K. Azizzadenesheli, A. Anandkumar, ICML 2018, arXiv
1802.04434 (signSGD, Signum); W. Jiang, S. Yang, W. Yang, L. Zhang, NeurIPS 2024, arXiv 2406.00489
(T21).
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
    ops.sign_axpy(s.x, -P.gamma[t], s.m)
    s.k[0] = t + 1


PLUGIN = Algorithm(
    name="sign-sgd",
    summary="signSGD (beta = 0) / Signum (momentum beta > 0)",
    update_rule="m_t = beta_t m_{t-1} + (1-beta_t) g_t;  x_{t+1} = x_t - gamma_t sign(m_t)",
    params=(
        step_param("gamma", 0.01, "per-coordinate step gamma_t"), shape_param(),
        Param("beta", MOMENTUM, 0.0, "momentum beta_t in [0, 1) (0 = signSGD)"),
        batch_param(),
    ),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=True, horizon_dependent=lambda p: uses_horizon(p, "gamma", "beta"),
    references=("J. Bernstein et al., ICML 2018, arXiv 1802.04434",
                "W. Jiang, S. Yang, W. Yang, L. Zhang, NeurIPS 2024, arXiv 2406.00489"),
)

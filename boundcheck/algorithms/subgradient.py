"""subgradient: the subgradient method with a constant or scheduled step.

    x_{t+1} = x_t - gamma_t g_t,        g_t in partial f(x_t)  (+ noise, if a noise model is given)

``gamma`` is a number or a formula in t (0-based), N and the problem constants; T06's step is
``gamma='R/(M*sqrt(N+1))'``, for which min_{0<=t<=N} f(x_t) - f* <= M R/sqrt(N+1) (tight). The
bound is on the BEST iterate (the engine's ``min``), not the last (docs/pitfalls.md#which-iterate); last-
iterate bounds need a schedule (linear decay, T24: ``schedule=linear-decay``).
Linear in the oracle outputs with numeric steps: the PEP lowers it exactly.

References: Y. Nesterov (2004), Sec. 3.2.3; S. Boyd, L. Xiao, A. Mutapcic (2003); Y. Drori,
M. Teboulle, Math. Prog. 160 (2016), arXiv 1409.2636 (tightness); A. Defazio, A. Cutkosky,
H. Mehta, K. Mishchenko 2023 (last iterate with linear decay, T24).
"""
from __future__ import annotations

from ..algorithm import Algorithm
from ._common import batch_param, shape_param, step_param, uses_horizon
# The update is SGD's, with g_t a subgradient: one implementation serves both names.
from .sgd import State, init, make_params, query, update


PLUGIN = Algorithm(
    name="subgradient",
    summary="subgradient method, step gamma_t (T06: gamma = R/(M sqrt(N+1)), best iterate)",
    update_rule="x_{t+1} = x_t - gamma_t g_t,  g_t in partial f(x_t)",
    params=(step_param("gamma", 0.01, "step size gamma_t (T06: 'R/(M*sqrt(N+1))')"), shape_param(),
            batch_param()),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=True, horizon_dependent=lambda p: uses_horizon(p, "gamma"),
    references=("Y. Nesterov, Introductory Lectures on Convex Optimization (2004), Sec. 3.2.3",
                "Y. Drori, M. Teboulle, Math. Prog. 160 (2016), arXiv 1409.2636",
                "A. Defazio, A. Cutkosky, H. Mehta, K. Mishchenko, arXiv 2310.07831 (2023)"),
)

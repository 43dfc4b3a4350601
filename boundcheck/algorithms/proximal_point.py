"""proximal-point: the proximal point method for an operator F (a monotone inclusion 0 in F(x)),
step gamma > 0 (absolute: the method needs no Lipschitz constant):

    x_{k+1} = J_{gamma F}(x_k),   i.e.   x_{k+1} = x_k - gamma F(x_{k+1})

The oracle is a resolvent (``Algorithm.resolvent``): it returns g = F(x_{k+1}) at the implicit
point x_{k+1} = x_k - gamma g, so update() is the explicit line above. Hence
||x_N - x_{N-1}||^2 = gamma^2 ||F(x_N)||^2 exactly, and claims on the step length are claims on
||F(x_N)||^2 scaled by gamma^2. The PEP runs it exactly; the Monte Carlo engines have no resolvent
oracle and refuse it (exit 2).

T25: on maximally monotone F, ||x_N - x_{N-1}||^2 <= (1 - 1/N)^(N-1)/N ||x_0 - x*||^2, tight
(Gu and Yang 2020, Sec. 4); on rho-comonotone F with gamma > 2 rho, Gorbunov, Taylor, Horvath,
Gidel (ICML 2023).

References: R. T. Rockafellar, SIAM J. Control Optim. 14 (1976); G. Gu, J. Yang, SIAM J. Optim.
30(3) (2020), 1905-1921.
"""
from __future__ import annotations

from ..algorithm import Algorithm
from ..params import Interval, Param
# gd's step x <- x - step g, with g = F(x_{k+1}): the PEP driver evaluates F at the implicit point
from .gd import P, State, init, query, update


def resolvent(P):
    return P.step


def make_params(p, N, prob):
    return P(step=float(p["gamma"]))


PLUGIN = Algorithm(
    name="proximal-point",
    summary="proximal point method x_{k+1} = J_{gamma F}(x_k) for operators (PEP engine only: a resolvent oracle)",
    update_rule="x_{k+1} = x_k - gamma F(x_{k+1})",
    params=(
        Param("gamma", Interval(0, float("inf"), lo_open=True, hi_open=True), 1.0, "step gamma (resolvent J_{gamma F})"),
    ),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=False, resolvent=resolvent,
    references=("R. T. Rockafellar, SIAM J. Control Optim. 14 (1976)",
                "G. Gu, J. Yang, SIAM J. Optim. 30(3) (2020), 1905-1921, Sec. 4"),
)

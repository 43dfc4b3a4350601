"""forward-step: the explicit forward step x_{k+1} = x_k - (h/L) F(x_k) on an operator F.

For a gradient F = grad f this is gradient descent; for a monotone Lipschitz operator it does not
converge in general: on a skew (bilinear-game) operator |x_{k+1} - x*|^2 = (1 + h^2) |x_k - x*|^2,
so it diverges for every h > 0. It is the forward-backward split with no backward operator, and
the negative control of the T25 claims (its failure is what EG and OG fix).

Reference: e.g. G. Gidel et al., A variational inequality perspective on GANs, ICLR 2019
(divergence of simultaneous gradient steps on bilinear games).
"""
from __future__ import annotations

from ..algorithm import Algorithm
from ..params import Interval, Param
from ._common import need
from .gd import P, State, init, query, update  # the same step on F: x <- x - step F(x)


def make_params(p, N, prob):
    return P(step=p["h"] / need(prob, "L", "forward-step", "the step is h/L"))


PLUGIN = Algorithm(
    name="forward-step",
    summary="explicit forward step on an operator, step h/L (diverges on skew operators; negative control)",
    update_rule="x_{k+1} = x_k - (h/L) F(x_k)",
    params=(
        Param("h", Interval(0, float("inf"), lo_open=True, hi_open=True), 0.5, "normalized step (gamma = h/L)"),
    ),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=False,
    references=("G. Gidel, H. Berard, G. Vignoud, P. Vincent, S. Lacoste-Julien, ICLR 2019, arXiv 1802.10551",),
)

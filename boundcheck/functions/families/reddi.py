"""The expected loss of Reddi, Kale, Kumar's online instance (T22), as a convex-lipschitz instance.

Reddi et al. (ICLR 2018, arXiv 1904.09237, Thm 1) play f_t(x) = C x when t mod 3 = 1 and -x
otherwise on the feasible set [-1, 1]. Over a 3-round block the loss is (C - 2) x, so the average
loss is F(x) = ((C - 2)/3) x on [-1, 1], minimized at x* = -1. As a function on R we take

    F(x) = M |x + 1|,   M = (C - 2)/3   (C = 3 M + 2),

which equals ((C - 2)/3)(x + 1) = average loss - its minimum on the feasible set, and is convex
and M-Lipschitz on R (every subgradient off -1 has norm M). 1-D; x0 = x* + R = R - 1 (R in (0, 2]
keeps x0 feasible; R = 1 starts at 0). Kernels for the metrics: the ``norm`` kernels of
nonsmooth.py at b = -1.

The online sequence is a finite sum in incremental order (boundcheck/oracles): n = 3 components
f_0(x) = C x, f_1(x) = f_2(x) = -x, visited 0, 1, 2, 0, 1, 2, ..., so oracle step t (0-based) is
round t + 1 and receives C exactly when (t + 1) mod 3 = 1; after every update the iterate is
projected onto [-1, 1] (Reddi et al.'s Alg. 1: x_{t+1} = Pi_F(x_t - alpha_t m_t/sqrt(v_t))).
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ...errors import ParamError
from ...oracles.finite_sum import FiniteSum, attach
from ..base import Certified, Instance
from . import nonsmooth


@njit
def grad_i(x, i, p, A, b, out):
    """The round's gradient: C = 3M + 2 for component 0, -1 for components 1 and 2."""
    out[0] = 3.0 * p[0] + 2.0 if i == 0 else -1.0


@njit
def count(p, A, b):
    return 3


@njit
def project(x, p, A, b):
    """x <- the projection onto the feasible set [-1, 1]."""
    x[0] = min(1.0, max(-1.0, x[0]))


def build(p: dict, rng: np.random.Generator) -> Instance:
    M, R = p["M"], p["R"]
    if R > 2:
        raise ParamError(f"convex-lipschitz: instance 'reddi' lives on [-1, 1]: x0 = R - 1 needs R <= 2 (got R={R})")
    x_star = np.array([-1.0])
    inst = Instance(
        function="convex-lipschitz", generator="reddi", params=p, d=1,
        value=nonsmooth.norm_value, grad=nonsmooth.norm_grad,
        data=(np.array([M]), np.zeros((1, 1)), x_star),
        x0=x_star + R, x_star=x_star, f_star=0.0,
        constants={"M": Certified(M, "exact: F(x) = M |x + 1|, every subgradient off -1 has norm M")},
        probes=lambda rng, n: [x_star + s for s in rng.uniform(-2.0, 2.0, (n, 1))],
        notes=f"C = 3M + 2 = {3 * M + 2!r}; F = M |x + 1| = average online loss minus its minimum on [-1, 1]; "
              "online rounds = components C x, -x, -x in incremental order, projected onto [-1, 1]",
    )
    return attach(inst, FiniteSum(n=3, grad_i=grad_i, count=count, sampling="incremental", project=project))

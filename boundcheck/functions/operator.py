"""Operator classes: what the monotone-operator files share (not a plugin; the registry lists the
class files monotone.py, strongly_monotone.py, lipschitz_monotone.py, cocoercive.py, comonotone.py).

An operator class is a ``FunctionClass`` whose points ``(x, g, f)`` carry g = F(x) and no function
value: its conditions read x and g only, its instances return f = 0 and set ``f_star = None``
(so no f-gap is ever reported), ``x*`` is a zero of F, and ``hess`` is the Jacobian of F.
Linear instances also carry their resolvent (``AffineResolvent``), which the Monte Carlo engines
need for backward steps (proximal point); the nonlinear (tanh) ones have none in closed form.
Methods see F through the same oracle as a gradient (``grad`` kernel, PEP gradient vectors), so
the algorithm files and both engines run unchanged; measures that read f are refused.

Conditions shared by the class files, over points p = (x, g = F(x), f):

    monotone:          <g_i - g_j, x_i - x_j> >= 0
    strongly monotone: <g_i - g_j, x_i - x_j> >= mu |x_i - x_j|^2
    Lipschitz:         L^2 |x_i - x_j|^2 >= |g_i - g_j|^2
    cocoercive:        <g_i - g_j, x_i - x_j> >= beta |g_i - g_j|^2
    rho-comonotone:    <g_i - g_j, x_i - x_j> >= -rho |g_i - g_j|^2
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .base import Certified, FunctionClass, Instance, unit_vector
from .families import operators as ops

RYU = ("E. Ryu, A. Taylor, C. Bergeling, P. Giselsson, Operator splitting performance estimation: tight "
       "contraction factors and optimal parameter selection, SIAM J. Optim. 30(3) (2020), arXiv 1812.00146")
BAUSCHKE_COMBETTES = ("H. Bauschke, P. Combettes, Convex Analysis and Monotone Operator Theory in Hilbert "
                      "Spaces, 2nd ed. (2017), Thm 20.21 (a monotone set extends to a maximally monotone operator)")


@dataclass(frozen=True)
class OperatorClass(FunctionClass):
    """A class of operators F (see the module docstring); ``operator`` marks it for the checks."""

    operator: bool = True


def is_operator(cls) -> bool:
    return bool(getattr(cls, "operator", False))


def monotone(pi, pj, c):
    """<g_i - g_j, x_i - x_j> >= 0"""
    return (pi.g - pj.g) @ (pi.x - pj.x)


def strongly_monotone(pi, pj, c):
    """<g_i - g_j, x_i - x_j> - mu |x_i - x_j|^2 >= 0"""
    dx = pi.x - pj.x
    return (pi.g - pj.g) @ dx - c["mu"] * (dx @ dx)


def lipschitz(pi, pj, c):
    """L^2 |x_i - x_j|^2 - |g_i - g_j|^2 >= 0"""
    dx, dg = pi.x - pj.x, pi.g - pj.g
    return c["L"] ** 2 * (dx @ dx) - dg @ dg


def cocoercive(pi, pj, c):
    """<g_i - g_j, x_i - x_j> - beta |g_i - g_j|^2 >= 0"""
    dg = pi.g - pj.g
    return dg @ (pi.x - pj.x) - c["beta"] * (dg @ dg)


def comonotone(pi, pj, c):
    """<g_i - g_j, x_i - x_j> + rho |g_i - g_j|^2 >= 0"""
    dg = pi.g - pj.g
    return dg @ (pi.x - pj.x) + c["rho"] * (dg @ dg)


class AffineResolvent:
    """The resolvent of a linear operator F(x) = A (x - x*): J_{aF}(y) is the unique x with
    x + a A (x - x*) = y, i.e. J_{aF}(y) = M y + c with M = (I + a A)^{-1}, c = x* - M x*.

    I + a A is invertible when A is monotone (its symmetric part is at least I, so ||M|| <= 1) and
    when A is rho-comonotone with a > rho ((I + a A) z = 0 gives A z = -z/a, and comonotonicity then
    needs a <= rho). M comes from one LU solve; it is accepted only when the residual ||(I + a A) M - I||
    is at most ``TOL`` (then ||M - (I + a A)^{-1}|| <= TOL ||(I + a A)^{-1}||), else the resolvent is
    refused, never returned inexact. The Monte Carlo engines then run J_{aF}(y) = M y + c (algorithms/
    proximal_point.py); the PEP needs none of this (its backward step is exact, pep/driver.py)."""

    TOL = 1e-10

    def __init__(self, A: np.ndarray, x_star: np.ndarray):
        self.A, self.x_star = np.asarray(A, dtype=np.float64), np.asarray(x_star, dtype=np.float64)

    def __call__(self, a: float) -> tuple[np.ndarray, np.ndarray]:
        from ..errors import UsageError

        d = self.A.shape[0]
        K = np.eye(d) + float(a) * self.A
        try:
            M = np.linalg.solve(K, np.eye(d))
        except np.linalg.LinAlgError:
            M = None
        # M - K^{-1} = K^{-1} (K M - I): its norm is at most about ||M|| ||K M - I|| (relative to ||M||: ||K M - I||)
        res = np.inf if M is None or not np.isfinite(M).all() else float(np.linalg.norm(K @ M - np.eye(d), 2))
        if not res <= self.TOL:
            raise UsageError(f"the resolvent J_(aF) with a = {a!r} is not defined or not computable to rounding "
                             f"accuracy on this linear operator (I + a A singular or ill-conditioned: residual "
                             f"{res:.2g}); for a comonotone operator the step must exceed rho")
        return np.ascontiguousarray(M), np.ascontiguousarray(self.x_star - M @ self.x_star)

    def __str__(self) -> str:
        return "affine: J_(aF)(y) = (I + a A)^(-1) (y + a A x*)"


def linear_instance(name: str, p: dict, rng: np.random.Generator, A: np.ndarray,
                    constants: dict[str, Certified], probes, notes: str = "", generator: str = "linear") -> Instance:
    """F(x) = A (x - x*), x* seeded, x0 = x* + R u."""
    d, R = p["d"], p["R"]
    x_star = rng.standard_normal(d)
    return Instance(
        function=name, generator=generator, params=p, d=d, value=ops.value, grad=ops.linear_op,
        data=(np.array([0.0]), np.ascontiguousarray(A), x_star), x0=x_star + R * unit_vector(rng, d),
        x_star=x_star, f_star=None, constants=constants,
        probes=lambda rng_, n: probes(x_star)(rng_, n), hess=lambda x: A, notes=notes,
        resolvent=AffineResolvent(A, x_star))


def tanh_instance(name: str, p: dict, rng: np.random.Generator, s: float, a: float, with_L: bool) -> Instance:
    """F(x) = s J (x - x*) + a tanh(x - x*) (families/operators.py), monotone, L certified by vertices."""
    d, R = p["d"], p["R"]
    x_star = rng.standard_normal(d)
    J = ops.block_skew(d)
    L, v = ops.tanh_lipschitz(s, a, d)

    def probes(rng_, n):
        """Near the vertex where the Jacobian norm is largest: coordinates with v_i = 1 at 0,
        v_i = 0 at 20; pairs along the top singular vector of that Jacobian."""
        vv = np.resize(v, d) if d > 1 else v
        z = np.where(vv > 0.5, 0.0, 20.0)
        Jac = s * J + a * np.diag(1.0 / np.cosh(z) ** 2)
        top = np.linalg.svd(Jac)[2][0]
        return [x_star + z + t * top for t in rng_.uniform(-1e-3, 1e-3, n)]

    consts = {}
    if with_L:
        consts["L"] = Certified(L, "exact (a supremum): the largest spectral norm of the Jacobian s J + a diag(v) "
                                   "over the vertices v in {0,1}^2 of each 2x2 block (the norm is convex in v)")
    return Instance(
        function=name, generator="tanh", params=p, d=d, value=ops.value, grad=ops.tanh_op,
        data=(np.array([a]), s * J, x_star), x0=x_star + R * unit_vector(rng, d), x_star=x_star,
        f_star=None, constants=consts, probes=probes,
        hess=lambda x: s * J + a * np.diag(1.0 / np.cosh(x - x_star) ** 2),
        notes=f"s = {s!r} (rotation), a = {a!r} (tanh part); F(x*) = 0, unique zero (strictly monotone)")


__all__ = ["OperatorClass", "AffineResolvent", "is_operator", "monotone", "strongly_monotone", "lipschitz",
           "cocoercive", "comonotone", "linear_instance", "tanh_instance", "RYU", "BAUSCHKE_COMBETTES"]

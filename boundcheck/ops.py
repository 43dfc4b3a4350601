"""Primitive vector operations used by the algorithm files, with three bodies each.

An algorithm (algorithms/*.py) is written once with these ops and runs on three engines:

* **numpy** (the reference engine, and NUMBA_DISABLE_JIT): the Python body below;
* **numba** (the Monte Carlo engine): the ``@overload`` implementation, an allocation-free loop;
* **PEP** (symbolic Gram points): the same Python body, on symbolic vectors that implement
  ``+ - * @`` and in-place ``+= -= *=`` and ``[:] =``. Linear ops are lowered *exactly*.
  Nonlinear ops (``clip``, ``normalize``, ``sign``, element-wise powers, norms inside a step)
  have no exact PEP lowering; on a symbolic vector they raise ``PEPLoweringError`` naming the op
  and saying what is possible instead.

Every op mutates its first argument in place (no allocation in the hot loop) and returns nothing,
except the scalar ops (``dot``, ``norm``, ``norm_sq``). ``LOWERING`` records each op's PEP status.
"""
from __future__ import annotations

import math

import numpy as np
from numba.extending import overload

from .errors import UsageError


class PEPLoweringError(UsageError):
    """An op with no exact PEP lowering was applied to a symbolic vector."""


LOWERING: dict[str, str] = {}


def _symbolic(v) -> bool:
    return not isinstance(v, (np.ndarray, float, int, np.floating))


def _no_pep(op: str, instead: str):
    raise PEPLoweringError(
        f"op '{op}' has no exact PEP lowering (it is nonlinear in the gradient); "
        f"the PEP module handles methods built from linear steps only. {instead}"
    )


def _op(pep: str):
    def deco(fn):
        LOWERING[fn.__name__] = pep
        return fn

    return deco


# ----------------------------------------------------------------------------- linear (exact)
@_op("exact")
def assign(dst, src):
    """dst <- src"""
    dst[:] = src


@_op("exact")
def axpy(y, a, x):
    """y <- y + a x"""
    y += a * x


@_op("exact")
def scal(y, a):
    """y <- a y"""
    y *= a


@_op("exact")
def lincomb(dst, a, x, b, y):
    """dst <- a x + b y   (dst may be x or y)"""
    dst[:] = a * x + b * y


@_op("exact")
def dot(x, y):
    """<x, y> (a scalar; in the PEP a Gram-matrix entry)"""
    return x @ y


# ----------------------------------------------------------------------------- nonlinear (none)
@_op("none")
def norm_sq(x):
    """||x||^2 as a number inside a step (adaptive steps): not expressible as a PEP step."""
    if _symbolic(x):
        _no_pep("norm_sq", "Use a fixed step (gd, fgm, ogm, heavy-ball, subgradient) for PEP.")
    return float(x @ x)


@_op("none")
def norm(x):
    """||x||_2 inside a step."""
    if _symbolic(x):
        _no_pep("norm", "Use a fixed step (gd, fgm, ogm, heavy-ball, subgradient) for PEP.")
    return math.sqrt(float(x @ x))


@_op("none")
def clip(g, c):
    """g <- min(1, c/||g||) g   (clip_c; c = inf leaves g unchanged)"""
    if _symbolic(g):
        _no_pep("clip", "Run clipped methods with the Monte Carlo engine (boundcheck run/verify), "
                        "or certify the unclipped method (c = inf is plain gd/sgd).")
    n = math.sqrt(float(g @ g))
    if n > c:
        g *= c / n


@_op("none")
def normalize(g):
    """g <- g/||g|| (g unchanged if g = 0)"""
    if _symbolic(g):
        _no_pep("normalize", "Normalized methods have no exact PEP; use the Monte Carlo engine.")
    n = math.sqrt(float(g @ g))
    if n > 0.0:
        g /= n


@_op("none")
def sign(g):
    """g <- sign(g) element-wise (sign(0) = 0)"""
    if _symbolic(g):
        _no_pep("sign", "Sign methods have no exact PEP; use the Monte Carlo engine.")
    np.sign(g, out=g)


# ----------------------------------------------------------------------------- numba bodies
@overload(assign, inline="always")
def _assign_nb(dst, src):
    def impl(dst, src):
        for i in range(dst.shape[0]):
            dst[i] = src[i]
    return impl


@overload(axpy, inline="always")
def _axpy_nb(y, a, x):
    def impl(y, a, x):
        for i in range(y.shape[0]):
            y[i] += a * x[i]
    return impl


@overload(scal, inline="always")
def _scal_nb(y, a):
    def impl(y, a):
        for i in range(y.shape[0]):
            y[i] *= a
    return impl


@overload(lincomb, inline="always")
def _lincomb_nb(dst, a, x, b, y):
    def impl(dst, a, x, b, y):
        for i in range(dst.shape[0]):
            dst[i] = a * x[i] + b * y[i]
    return impl


@overload(dot, inline="always")
def _dot_nb(x, y):
    def impl(x, y):
        s = 0.0
        for i in range(x.shape[0]):
            s += x[i] * y[i]
        return s
    return impl


@overload(norm_sq, inline="always")
def _norm_sq_nb(x):
    def impl(x):
        s = 0.0
        for i in range(x.shape[0]):
            s += x[i] * x[i]
        return s
    return impl


@overload(norm, inline="always")
def _norm_nb(x):
    def impl(x):
        s = 0.0
        for i in range(x.shape[0]):
            s += x[i] * x[i]
        return math.sqrt(s)
    return impl


@overload(clip, inline="always")
def _clip_nb(g, c):
    def impl(g, c):
        s = 0.0
        for i in range(g.shape[0]):
            s += g[i] * g[i]
        n = math.sqrt(s)
        if n > c:
            f = c / n
            for i in range(g.shape[0]):
                g[i] *= f
    return impl


@overload(normalize, inline="always")
def _normalize_nb(g):
    def impl(g):
        s = 0.0
        for i in range(g.shape[0]):
            s += g[i] * g[i]
        n = math.sqrt(s)
        if n > 0.0:
            for i in range(g.shape[0]):
                g[i] /= n
    return impl


@overload(sign, inline="always")
def _sign_nb(g):
    def impl(g):
        for i in range(g.shape[0]):
            v = g[i]
            g[i] = 1.0 if v > 0.0 else (-1.0 if v < 0.0 else v * 0.0)  # NaN stays NaN, as np.sign
    return impl

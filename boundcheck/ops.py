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
except the scalar ops (``dot``, ``norm``, ``norm_sq``, ``dist``). ``LOWERING`` records each op's PEP
status. The numpy and numba bodies do the same floating-point operations in the same order, so
the engines agree bit for bit: element-wise ops trivially, reductions because the numpy bodies sum
left to right (``_seqsum``) like the numba loops, not with BLAS or pairwise summation.
"""
from __future__ import annotations

import math

import numpy as np
from numba.extending import overload

from .errors import UsageError

# an overload's body is only ever called from compiled code: numba need not build its C-callable
# wrapper (compile time, as engine/inner.py)
_NO_CFUNC = {"no_cfunc_wrapper": True}


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


def _seqsum(v) -> float:
    """sum(v) accumulated left to right, exactly as the numba loops do (``s = 0; s += v[i]``).
    ``np.cumsum`` is sequential; ``x @ y`` (BLAS) and ``np.sum`` (pairwise) are not, and differ
    from the numba bodies in the last bits for most vectors, even at d = 3 (measured), which is
    enough to flip an Armijo test or a sign."""
    return float(np.cumsum(v)[-1]) if v.shape[0] else 0.0


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
    if _symbolic(x) or _symbolic(y):
        return x @ y
    return _seqsum(x * y)


# ----------------------------------------------------------------------------- nonlinear (none)
@_op("none")
def norm_sq(x):
    """||x||^2 as a number inside a step (adaptive steps): not expressible as a PEP step."""
    if _symbolic(x):
        _no_pep("norm_sq", "Use a fixed step (gd, fgm, ogm, heavy-ball, subgradient) for PEP.")
    return _seqsum(x * x)


@_op("none")
def norm(x):
    """||x||_2 inside a step."""
    if _symbolic(x):
        _no_pep("norm", "Use a fixed step (gd, fgm, ogm, heavy-ball, subgradient) for PEP.")
    return math.sqrt(_seqsum(x * x))


@_op("none")
def clip(g, c):
    """g <- min(1, c/||g||) g   (clip_c; c = inf leaves g unchanged)"""
    if _symbolic(g):
        _no_pep("clip", "Run clipped methods with the Monte Carlo engine (boundcheck run/verify), "
                        "or certify the unclipped method (c = inf is plain gd/sgd).")
    n = math.sqrt(_seqsum(g * g))
    if n > c:
        g *= c / n


@_op("none")
def normalize(g):
    """g <- g/||g|| (g unchanged if g = 0)"""
    if _symbolic(g):
        _no_pep("normalize", "Normalized methods have no exact PEP; use the Monte Carlo engine.")
    n = math.sqrt(_seqsum(g * g))
    if n > 0.0:
        g /= n


@_op("none")
def sign(g):
    """g <- sign(g) element-wise (sign(0) = 0)"""
    if _symbolic(g):
        _no_pep("sign", "Sign methods have no exact PEP; use the Monte Carlo engine.")
    np.sign(g, out=g)


@_op("none")
def dist(x, y):
    """||x - y||_2 inside a step (DoG's distance from x0)."""
    if _symbolic(x) or _symbolic(y):
        _no_pep("dist", "Parameter-free steps (DoG) have no exact PEP; use the Monte Carlo engine.")
    r = x - y
    return math.sqrt(_seqsum(r * r))


@_op("none")
def ema_sq(v, b, g):
    """v <- b v + (1 - b) g*g   (element-wise square; Adam/RMSProp second moment)"""
    if _symbolic(v) or _symbolic(g):
        _no_pep("ema_sq", "Adaptive (Adam-type) methods have no exact PEP; use the Monte Carlo engine.")
    v[:] = b * v + (1.0 - b) * (g * g)


@_op("none")
def maximum(dst, src):
    """dst <- max(dst, src) element-wise (AMSGrad's running max; NaN propagates)"""
    if _symbolic(dst) or _symbolic(src):
        _no_pep("maximum", "AMSGrad has no exact PEP; use the Monte Carlo engine.")
    np.maximum(dst, src, out=dst)


@_op("none")
def adaptive_axpy(x, a, m, v, s, eps):
    """x_i <- x_i + a m_i / (sqrt(s v_i) + eps)   (coordinates whose denominator is 0 are left
    unchanged: there m_i = 0 too, as v_i = 0 means every past g_i was 0)"""
    if _symbolic(x) or _symbolic(m) or _symbolic(v):
        _no_pep("adaptive_axpy", "Adam-type preconditioned steps have no exact PEP; use the Monte Carlo engine.")
    den = np.sqrt(s * v) + eps
    q = np.zeros_like(x)
    np.divide(a * m, den, out=q, where=den > 0.0)
    x += q


@_op("none")
def sign_axpy(x, a, m):
    """x <- x + a sign(m)   (sign(0) = 0; signSGD / Signum step)"""
    if _symbolic(x) or _symbolic(m):
        _no_pep("sign_axpy", "Sign methods have no exact PEP; use the Monte Carlo engine.")
    x += a * np.sign(m)


@_op("none")
def smom(out, G, k, n, theta, work):
    """Smoothed median of means (Puchkin et al. 2024), coordinate-wise:

        out_i = median_{j<k} ( (1/n) sum_{l<n} G[j n + l, i] + theta G[k n + j, i] )

    ``G`` holds k*n stochastic gradients (rows 0..k n - 1, block j = rows j n .. j n + n - 1)
    followed by k rows of i.i.d. N(0, 1) smoothing draws; k = 2m + 1 is odd, so the median is the
    middle order statistic (no averaging). ``work`` is scratch of length >= k (numba body)."""
    if _symbolic(out) or _symbolic(G):
        _no_pep("smom", "Median-of-means estimators have no exact PEP; use the Monte Carlo engine.")
    d = out.shape[0]
    M = np.zeros((k, d))
    for l in range(n):
        M += G[l:k * n:n]
    M = M / n + theta * G[k * n:k * n + k]
    out[:] = np.median(M, axis=0)
    if d > 0:
        work[:k] = np.sort(M[:, d - 1])  # the numba body leaves the last coordinate's sorted values


# ----------------------------------------------------------------------------- numba bodies
@overload(assign, inline="always", jit_options=_NO_CFUNC)
def _assign_nb(dst, src):
    def impl(dst, src):
        for i in range(dst.shape[0]):
            dst[i] = src[i]
    return impl


@overload(axpy, inline="always", jit_options=_NO_CFUNC)
def _axpy_nb(y, a, x):
    def impl(y, a, x):
        for i in range(y.shape[0]):
            y[i] += a * x[i]
    return impl


@overload(scal, inline="always", jit_options=_NO_CFUNC)
def _scal_nb(y, a):
    def impl(y, a):
        for i in range(y.shape[0]):
            y[i] *= a
    return impl


@overload(lincomb, inline="always", jit_options=_NO_CFUNC)
def _lincomb_nb(dst, a, x, b, y):
    def impl(dst, a, x, b, y):
        for i in range(dst.shape[0]):
            dst[i] = a * x[i] + b * y[i]
    return impl


@overload(dot, inline="always", jit_options=_NO_CFUNC)
def _dot_nb(x, y):
    def impl(x, y):
        s = 0.0
        for i in range(x.shape[0]):
            s += x[i] * y[i]
        return s
    return impl


@overload(norm_sq, inline="always", jit_options=_NO_CFUNC)
def _norm_sq_nb(x):
    def impl(x):
        s = 0.0
        for i in range(x.shape[0]):
            s += x[i] * x[i]
        return s
    return impl


@overload(norm, inline="always", jit_options=_NO_CFUNC)
def _norm_nb(x):
    def impl(x):
        s = 0.0
        for i in range(x.shape[0]):
            s += x[i] * x[i]
        return math.sqrt(s)
    return impl


@overload(clip, inline="always", jit_options=_NO_CFUNC)
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


@overload(normalize, inline="always", jit_options=_NO_CFUNC)
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


@overload(sign, inline="always", jit_options=_NO_CFUNC)
def _sign_nb(g):
    def impl(g):
        for i in range(g.shape[0]):
            v = g[i]
            g[i] = 1.0 if v > 0.0 else (-1.0 if v < 0.0 else v * 0.0)  # NaN stays NaN, as np.sign
    return impl


@overload(dist, inline="always", jit_options=_NO_CFUNC)
def _dist_nb(x, y):
    def impl(x, y):
        s = 0.0
        for i in range(x.shape[0]):
            r = x[i] - y[i]
            s += r * r
        return math.sqrt(s)
    return impl


@overload(ema_sq, inline="always", jit_options=_NO_CFUNC)
def _ema_sq_nb(v, b, g):
    def impl(v, b, g):
        c = 1.0 - b
        for i in range(v.shape[0]):
            v[i] = b * v[i] + c * (g[i] * g[i])
    return impl


@overload(maximum, inline="always", jit_options=_NO_CFUNC)
def _maximum_nb(dst, src):
    def impl(dst, src):
        for i in range(dst.shape[0]):
            a = dst[i]
            b = src[i]
            if a != a or b != b:
                dst[i] = a + b  # NaN, as np.maximum
            elif b > a:
                dst[i] = b
    return impl


@overload(adaptive_axpy, inline="always", jit_options=_NO_CFUNC)
def _adaptive_axpy_nb(x, a, m, v, s, eps):
    def impl(x, a, m, v, s, eps):
        for i in range(x.shape[0]):
            den = math.sqrt(s * v[i]) + eps
            if den > 0.0:
                x[i] += (a * m[i]) / den
    return impl


@overload(sign_axpy, inline="always", jit_options=_NO_CFUNC)
def _sign_axpy_nb(x, a, m):
    def impl(x, a, m):
        for i in range(x.shape[0]):
            v = m[i]
            sg = 1.0 if v > 0.0 else (-1.0 if v < 0.0 else v * 0.0)
            x[i] += a * sg
    return impl


@overload(smom, inline="always", jit_options=_NO_CFUNC)
def _smom_nb(out, G, k, n, theta, work):
    def impl(out, G, k, n, theta, work):
        kn = k * n
        for i in range(out.shape[0]):
            for j in range(k):
                s = 0.0
                for l in range(n):
                    s += G[j * n + l, i]
                work[j] = s / n + theta * G[kn + j, i]
            for a in range(1, k):  # insertion sort of k (small, odd) values
                v = work[a]
                b = a - 1
                while b >= 0 and work[b] > v:
                    work[b + 1] = work[b]
                    b -= 1
                work[b + 1] = v
            out[i] = work[k // 2]
    return impl

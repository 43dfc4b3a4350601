"""Symbolic PEP vectors and scalars: what the algorithm files and the class conditions run on.

A ``Vec`` is a coefficient vector over a Gram basis ``e_0, e_1, ...`` (in the PEP: ``x0 - x*`` and
the gradients ``g_0, g_1, ...``, with x* = 0): the vector ``sum_k c_k e_k``. The basis grows while
the algorithm runs (every oracle call adds a gradient), so coefficient arrays are padded with zeros
on demand. Linear algebra is exact: ``+ - * /`` by numbers, unary ``-``, in-place ``+= -= *= /=``,
``v[:] = w`` and ``copy()`` return or mutate Vecs.

``u @ v`` is a ``Scalar``: a linear form in the Gram entries and the scalar variables F,

    s(G, F) = <Q, G> + q . F + const,      Q symmetric (Q = (u v^T + v u^T)/2 for u @ v),

so <u, v> = u^T G v. Scalars support ``+ -`` between themselves and ``* /`` by numbers. Anything
nonlinear (a product of two Scalars, a Vec times a non-constant Scalar, ``float()``/``sqrt``/``bool``
of a non-constant Scalar, element access) raises ``PEPLoweringError``: it has no exact lowering
to a Gram matrix. Both classes set ``__array_ufunc__ = None`` so that numpy scalars defer to them.
"""
from __future__ import annotations

import numpy as np

from ..ops import PEPLoweringError
from .scalar import Scalar, _Num, _nonlinear, _pad, as_number


class Vec:
    """A symbolic vector: coefficients ``c`` over the Gram basis."""

    __array_ufunc__ = None
    __slots__ = ("c",)

    def __init__(self, c):
        self.c = np.asarray(c, dtype=np.float64).copy()

    @staticmethod
    def basis(k: int, n: int | None = None) -> "Vec":
        c = np.zeros(max(k + 1, n or 0))
        c[k] = 1.0
        return Vec(c)

    def copy(self) -> "Vec":
        return Vec(self.c)

    def coef(self, n: int) -> np.ndarray:
        """The coefficients padded (or trimmed, if the tail is zero) to length n."""
        if self.c.shape[0] > n:
            assert not self.c[n:].any(), "vector outside the basis"
            return self.c[:n]
        return _pad(self.c, n)

    # --- linear algebra ---------------------------------------------------------------------
    def _other(self, o):
        if isinstance(o, Vec):
            return o.c
        if isinstance(o, _Num) and o == 0:
            return np.zeros(1)  # v + 0 (e.g. sum()) is v
        _nonlinear(f"adding {type(o).__name__} to a symbolic vector")

    def __add__(self, o):
        oc = self._other(o)
        n = max(len(self.c), len(oc))
        return Vec(_pad(self.c, n) + _pad(oc, n))

    __radd__ = __add__

    def __sub__(self, o):
        oc = self._other(o)
        n = max(len(self.c), len(oc))
        return Vec(_pad(self.c, n) - _pad(oc, n))

    def __rsub__(self, o):
        return (-self) + o

    def __neg__(self):
        return Vec(-self.c)

    def __pos__(self):
        return self.copy()

    @staticmethod
    def _scalar(a) -> float:
        return as_number(a)

    def __mul__(self, a):
        return Vec(self.c * self._scalar(a))

    __rmul__ = __mul__

    def __truediv__(self, a):
        return Vec(self.c / self._scalar(a))

    def __iadd__(self, o):
        self.c = self.__add__(o).c
        return self

    def __isub__(self, o):
        self.c = self.__sub__(o).c
        return self

    def __imul__(self, a):
        self.c = self.c * self._scalar(a)
        return self

    def __itruediv__(self, a):
        self.c = self.c / self._scalar(a)
        return self

    def __setitem__(self, key, value):
        if not (isinstance(key, slice) and key == slice(None)):
            _nonlinear("assigning to a coordinate of a symbolic vector")
        if isinstance(value, Vec):
            self.c = value.c.copy()
        elif isinstance(value, _Num) and value == 0:
            self.c = np.zeros_like(self.c)
        else:
            _nonlinear(f"assigning {type(value).__name__} to a symbolic vector")

    def __getitem__(self, key):
        _nonlinear("reading a coordinate of a symbolic vector (element-wise ops)")

    def __matmul__(self, o):
        if not isinstance(o, Vec):
            _nonlinear(f"inner product of a symbolic vector with {type(o).__name__}")
        n = max(len(self.c), len(o.c))
        u, v = _pad(self.c, n), _pad(o.c, n)
        Q = np.outer(u, v)
        return Scalar(Q=(Q + Q.T) / 2)

    def __abs__(self):
        _nonlinear("abs() of a symbolic vector")

    def __bool__(self):
        _nonlinear("truth value of a symbolic vector")

    def __repr__(self):
        return f"Vec({np.array2string(self.c, precision=4)})"


__all__ = ["Vec", "Scalar", "PEPLoweringError"]

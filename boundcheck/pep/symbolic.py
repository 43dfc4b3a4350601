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

import numbers

import numpy as np

from ..ops import PEPLoweringError

_Num = (numbers.Real, np.floating, np.integer)


def _pad(a: np.ndarray | None, n: int) -> np.ndarray:
    if a is None:
        return np.zeros(n)
    if a.shape[0] >= n:
        return a
    return np.concatenate([a, np.zeros(n - a.shape[0])])


def _pad2(Q: np.ndarray | None, n: int) -> np.ndarray:
    if Q is None:
        return np.zeros((n, n))
    if Q.shape[0] >= n:
        return Q
    out = np.zeros((n, n))
    out[: Q.shape[0], : Q.shape[0]] = Q
    return out


def _nonlinear(what: str):
    raise PEPLoweringError(
        f"{what} is nonlinear in the Gram matrix and has no exact PEP lowering; PEP steps and "
        "conditions may only combine vectors linearly with numeric coefficients and take inner products"
    )


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
        if isinstance(a, _Num):
            return float(a)
        if isinstance(a, Scalar) and a.is_constant():
            return a.const
        if isinstance(a, np.ndarray) and a.size == 1:
            return float(a.reshape(()))
        _nonlinear(f"multiplying a symbolic vector by {type(a).__name__}")

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


class Scalar:
    """A linear form <Q, G> + q . F + const (see module docstring)."""

    __array_ufunc__ = None
    __slots__ = ("Q", "q", "const")

    def __init__(self, Q=None, q=None, const: float = 0.0):
        self.Q, self.q, self.const = Q, q, float(const)

    @staticmethod
    def variable(k: int) -> "Scalar":
        q = np.zeros(k + 1)
        q[k] = 1.0
        return Scalar(q=q)

    def is_constant(self) -> bool:
        return (self.Q is None or not self.Q.any()) and (self.q is None or not self.q.any())

    @staticmethod
    def lift(o) -> "Scalar":
        if isinstance(o, Scalar):
            return o
        if isinstance(o, _Num):
            return Scalar(const=float(o))
        _nonlinear(f"combining a PEP scalar with {type(o).__name__}")

    def _combine(self, o, sign: float) -> "Scalar":
        o = Scalar.lift(o)
        Q = None
        if self.Q is not None or o.Q is not None:
            n = max(0 if self.Q is None else len(self.Q), 0 if o.Q is None else len(o.Q))
            Q = _pad2(self.Q, n) + sign * _pad2(o.Q, n)
        q = None
        if self.q is not None or o.q is not None:
            n = max(0 if self.q is None else len(self.q), 0 if o.q is None else len(o.q))
            q = _pad(self.q, n) + sign * _pad(o.q, n)
        return Scalar(Q, q, self.const + sign * o.const)

    def __add__(self, o):
        return self._combine(o, 1.0)

    __radd__ = __add__

    def __sub__(self, o):
        return self._combine(o, -1.0)

    def __rsub__(self, o):
        return Scalar.lift(o)._combine(self, -1.0)

    def __neg__(self):
        return self._scale(-1.0)

    def _scale(self, a: float) -> "Scalar":
        return Scalar(None if self.Q is None else self.Q * a, None if self.q is None else self.q * a, self.const * a)

    def __mul__(self, a):
        if isinstance(a, Vec):
            return a * self
        if isinstance(a, Scalar):
            if a.is_constant():
                return self._scale(a.const)
            if self.is_constant():
                return a._scale(self.const)
            _nonlinear("the product of two PEP scalars")
        return self._scale(Vec._scalar(a))

    __rmul__ = __mul__

    def __truediv__(self, a):
        if isinstance(a, Scalar) and not a.is_constant():
            _nonlinear("division by a PEP scalar")
        return self._scale(1.0 / Vec._scalar(a))

    def __rtruediv__(self, a):
        if self.is_constant():
            return Scalar(const=float(a) / self.const)
        _nonlinear("division by a PEP scalar")

    def __pow__(self, p):
        if self.is_constant():
            return Scalar(const=self.const ** p)
        _nonlinear("a power of a PEP scalar")

    def __float__(self):
        if self.is_constant():
            return self.const
        _nonlinear("float() (e.g. sqrt, abs, max) of a PEP scalar")

    def __bool__(self):
        _nonlinear("the truth value of a PEP scalar (comparisons inside a step)")

    def __lt__(self, o):
        _nonlinear("comparing PEP scalars")

    __le__ = __gt__ = __ge__ = __lt__

    def __abs__(self):
        _nonlinear("abs() of a PEP scalar")

    def __repr__(self):
        return f"Scalar(Q={self.Q}, q={self.q}, const={self.const})"


__all__ = ["Vec", "Scalar", "PEPLoweringError"]

"""PEP scalars: linear forms <Q, G> + q . F + const in the Gram matrix G and the scalar variables F.

``u @ v`` of two symbolic vectors (symbolic.py) is ``Scalar(Q = (u v^T + v u^T)/2)``; function values
are ``Scalar.variable(i)``. Scalars add and subtract, and scale by numbers; products of two
non-constant Scalars, ``float()``, comparisons and ``bool()`` raise ``PEPLoweringError`` (not
expressible in a Gram matrix). ``__array_ufunc__ = None`` makes numpy scalars defer to Scalar.
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


def as_number(a, what: str = "a symbolic vector") -> float:
    """A numeric coefficient (number, 1-element array, constant Scalar), else PEPLoweringError."""
    if isinstance(a, _Num):
        return float(a)
    if isinstance(a, Scalar) and a.is_constant():
        return a.const
    if isinstance(a, np.ndarray) and a.size == 1:
        return float(a.reshape(()))
    _nonlinear(f"multiplying {what} by {type(a).__name__}")


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
        if not isinstance(a, (Scalar, np.ndarray) + _Num):
            return NotImplemented  # e.g. a symbolic vector: Vec.__rmul__ decides
        if isinstance(a, Scalar):
            if a.is_constant():
                return self._scale(a.const)
            if self.is_constant():
                return a._scale(self.const)
            _nonlinear("the product of two PEP scalars")
        return self._scale(as_number(a, "a PEP scalar"))

    __rmul__ = __mul__

    def __truediv__(self, a):
        if isinstance(a, Scalar) and not a.is_constant():
            _nonlinear("division by a PEP scalar")
        return self._scale(1.0 / as_number(a, "a PEP scalar"))

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


__all__ = ["Scalar", "as_number"]

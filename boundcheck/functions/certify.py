"""Rigorous lower bounds on the infimum of a 1-D function, by interval branch and bound.

What is proven. ``inf_bounds(F, lo, hi)`` returns ``(lb, ub, x_ub)`` with

    lb <= inf_{x in [lo, hi]} F(x) <= ub = F(x_ub) (up to the rounding of one point evaluation),

where ``F`` is written over ``Dual`` numbers (below). ``lb`` is proven: [lo, hi] is covered by
boxes X, and on each box F(X) is enclosed by mpmath's outward-rounded interval arithmetic
(``mpmath``'s interval context) in two ways, whose larger lower end is kept:

* the natural extension F(X) (every operation applied to intervals), and
* the centred (mean-value) form F(c) + F'(X) (X - c), with c the box midpoint and F'(X) an
  enclosure of the derivative over X from forward-mode differentiation on intervals; if F'(X) has
  one sign, F is monotone on X and the endpoint value bounds it.

Boxes whose lower end is within ``rtol`` of the best upper bound ``ub`` seen so far are accepted;
the rest are bisected (smallest lower end first), so ``ub - lb <= rtol |ub| + atol`` on return, and
the bound is tight. If the box budget runs out a ``CertificationError`` is raised rather than
returning something unproven. ``prove_at_least(F, lo, hi, m)`` proves F >= m on [lo, hi] or returns
False (it also returns False as soon as a point with F < m is found: a wrong claim is rejected).

``sinc(t) = sin(t)/t`` is the one special function needed by the families here (the sin^2 families
of pl.py and quasar_convex.py are written with it so that their ratios have no 0/0). Its interval
enclosure for 0 <= t <= 1 uses the alternating Taylor series (terms decrease for t^2 < 6):
1 - t^2/6 <= sinc t <= 1 - t^2/6 + t^4/120 and -t/3 <= sinc'(t) <= -t/3 + t^3/30; for t >= 1/4 it
uses sin(t)/t and (cos t - sinc t)/t directly; a box straddling both is enclosed by the global
bounds sinc in [-0.2173, 1] (min sinc = -0.21723...) and |sinc'| <= 2, and bisected further.
Arguments must be >= 0 (the families are even, so covers start at 0).
"""
from __future__ import annotations

import functools
import heapq

from mpmath.ctx_iv import MPIntervalContext

from ..errors import CertificationError

# A private interval context at 53 bits: every endpoint is a double, so converting a lower (upper)
# end to float is exact and keeps the direction of rounding; nobody else's precision is touched.
iv = MPIntervalContext()
iv.prec = 53

def _iv(x):
    return x if isinstance(x, type(iv.mpf(0))) else iv.mpf(x)


class Dual:
    """Value and derivative, both mpmath intervals (forward-mode differentiation on intervals)."""

    __slots__ = ("v", "d")

    def __init__(self, v, d):
        self.v, self.d = v, d

    @staticmethod
    def lift(o):
        return o if isinstance(o, Dual) else Dual(_iv(o), iv.mpf(0))

    def __add__(self, o):
        o = Dual.lift(o)
        return Dual(self.v + o.v, self.d + o.d)

    __radd__ = __add__

    def __sub__(self, o):
        o = Dual.lift(o)
        return Dual(self.v - o.v, self.d - o.d)

    def __rsub__(self, o):
        return Dual.lift(o) - self

    def __neg__(self):
        return Dual(-self.v, -self.d)

    def __mul__(self, o):
        o = Dual.lift(o)
        return Dual(self.v * o.v, self.d * o.v + self.v * o.d)

    __rmul__ = __mul__

    def __truediv__(self, o):
        o = Dual.lift(o)
        q = self.v / o.v
        return Dual(q, (self.d - q * o.d) / o.v)

    def __rtruediv__(self, o):
        return Dual.lift(o) / self

    def sq(self):
        return Dual(self.v ** 2, 2 * self.v * self.d)


def sinc(x: Dual) -> Dual:
    """Enclosure of sin(t)/t and its derivative for t = x.v >= 0 (see module docstring)."""
    t = x.v
    lo, hi = t.a, t.b
    if lo < 0:
        raise ValueError("sinc enclosure needs a non-negative argument")
    if hi <= 1:
        s = t ** 2
        sa, sb = iv.mpf(s.a), iv.mpf(s.b)
        v = iv.mpf([(1 - sb / 6).a, (1 - sa / 6 + sa ** 2 / 120).b])
        d = iv.mpf([(-iv.mpf(hi) / 3).a, (-iv.mpf(lo) / 3 + iv.mpf(hi) ** 3 / 30).b])
    elif lo >= 0.25:
        v = iv.sin(t) / t
        d = (iv.cos(t) - v) / t
    else:
        v = iv.mpf(["-0.2173", "1"])
        d = iv.mpf([-2, 2])
    return Dual(v, d * x.d)


def _box(F, a: float, b: float):
    X = iv.mpf([a, b])
    c = 0.5 * (a + b)
    FX = F(Dual(X, iv.mpf(1)))
    Fc = F(Dual(iv.mpf(c), iv.mpf(1))).v
    lower = max(FX.v.a, (Fc + FX.d * (X - c)).a)
    if FX.d.a >= 0:
        lower = max(lower, F(Dual(iv.mpf(a), iv.mpf(1))).v.a)
    elif FX.d.b <= 0:
        lower = max(lower, F(Dual(iv.mpf(b), iv.mpf(1))).v.a)
    return float(lower), float(Fc.b), c


def _search(F, lo, hi, accept, n0, max_boxes, stop_below=None):
    heap, ub, x_ub, n = [], float("inf"), lo, 0
    edges = [lo + (hi - lo) * i / n0 for i in range(n0 + 1)]
    todo = list(zip(edges[:-1], edges[1:]))
    while True:
        for a, b in todo:
            lb_box, fc, c = _box(F, a, b)
            n += 1
            if fc < ub:
                ub, x_ub = fc, c
            heapq.heappush(heap, (lb_box, a, b))
        if stop_below is not None and ub < stop_below:
            return None, ub, x_ub, n
        lb_box, a, b = heap[0]
        if lb_box >= accept(ub):
            return lb_box, ub, x_ub, n
        if n >= max_boxes:
            raise CertificationError(
                f"interval cover of [{lo}, {hi}] not completed in {max_boxes} boxes "
                f"(lower {lb_box:.6g}, upper {ub:.6g})")
        heapq.heappop(heap)
        m = 0.5 * (a + b)
        todo = [(a, m), (m, b)]


def inf_bounds(F, lo: float, hi: float, *, rtol: float = 1e-3, atol: float = 1e-12,
               n0: int = 64, max_boxes: int = 20000) -> tuple[float, float, float]:
    """``(lb, ub, x_ub)``: proven ``lb <= inf_[lo,hi] F <= ub ~ F(x_ub)``, ``ub - lb <= rtol|ub| + atol``."""
    lb, ub, x_ub, _ = _search(F, lo, hi, lambda u: u - rtol * abs(u) - atol, n0, max_boxes)
    return lb, ub, x_ub


def prove_at_least(F, lo: float, hi: float, m: float, *, n0: int = 64, max_boxes: int = 20000) -> bool:
    """True iff F >= m on [lo, hi] is proven; False if refuted by a point or not proven in budget."""
    try:
        lb, _, _, _ = _search(F, lo, hi, lambda u: m, n0, max_boxes, stop_below=m)
    except CertificationError:
        return False
    return lb is not None and lb >= m


def lower_value(expr) -> float:
    """The (rigorous) lower end of a constant expression evaluated with interval arithmetic."""
    return float(_iv(expr).a)


# ---------------------------------------------------------------------------------------------
# The two sin^2 ratios. With sinc(t) = sin(t)/t (no 0/0 anywhere):
#   PL of s_a(y) = y^2 + a sin^2 y (f* = 0 at y = 0):     s'^2 / (2 s) = P_a(y)
#       P_a(y) = (2 + 2a sinc 2y)^2 / (2 (1 + a sinc^2 y))
#   quasar ratio of phi_c(t) = t^2 + c sin^2 t:          t phi'(t) / phi(t) = G_c(t)
#       G_c(t) = (2 + 2c sinc 2t) / (1 + c sinc^2 t)
# Both are even. Tail (t >= T): |sinc 2t| <= 1/(2T) and sinc^2 t <= 1/T^2, so for T > a/2
#   P_a >= (2 - a/T)^2 / (2 (1 + a/T^2)),   G_c >= (2 - c/T) / (1 + c/T^2),
# evaluated in interval arithmetic. ``sin_ratio_inf`` proves inf over [0, inf) >= lb (cover of
# [0, T] plus this tail) and returns a point where the ratio is within rtol of lb.
# ---------------------------------------------------------------------------------------------

SINC_MIN = -0.21723362821122166  # min_t sin(t)/t, at t = 4.4934...; amplitudes must stay below 1/|SINC_MIN|
AMP_MAX = 1.0 / abs(SINC_MIN)


def _ratio(kind: str, a):
    if kind == "pl":
        return lambda y: (2 + 2 * a * sinc(2 * y)).sq() / (2 * (1 + a * sinc(y).sq()))
    return lambda y: (2 + 2 * a * sinc(2 * y)) / (1 + a * sinc(y).sq())


def ratio_float(kind: str, a: float, y):
    """The same ratio in floating point (numpy), for root finding and tests."""
    import numpy as np

    y = np.asarray(y, dtype=float)
    s1, s2 = np.sinc(y / np.pi), np.sinc(2 * y / np.pi)
    if kind == "pl":
        return (2 + 2 * a * s2) ** 2 / (2 * (1 + a * s1 ** 2))
    return (2 + 2 * a * s2) / (1 + a * s1 ** 2)


def _tail(kind: str, a: float, T: float) -> float:
    a_, T_ = iv.mpf(a), iv.mpf(T)
    num = 2 - a_ / T_
    den = 1 + a_ / T_ ** 2
    return lower_value(num ** 2 / (2 * den) if kind == "pl" else num / den)


@functools.lru_cache(maxsize=256)
def sin_ratio_inf(kind: str, a: float, rtol: float = 1e-3) -> tuple[float, float, float]:
    """``(lb, ub, y_ub)`` with lb <= inf_{y >= 0} ratio <= ub ~ ratio(y_ub); kind 'pl' or 'quasar'."""
    if not 0 <= a < AMP_MAX:
        raise CertificationError(f"amplitude {a} outside [0, {AMP_MAX:.6f}): the function has spurious stationary points")
    T = 12.0
    lb, ub, y = inf_bounds(_ratio(kind, a), 0.0, T, rtol=rtol)
    while _tail(kind, a, T) < lb:
        if T > 1e4:
            raise CertificationError(f"tail bound of the {kind} ratio does not clear {lb}")
        T *= 2
        lb2, ub2, y2 = inf_bounds(_ratio(kind, a), T / 2, T, rtol=rtol)
        if lb2 < lb:
            lb, ub, y = lb2, ub2, y2
    return lb, ub, y


def _num_inf(kind: str, a: float) -> float:
    import numpy as np
    from scipy.optimize import minimize_scalar

    y = np.linspace(0.0, 12.0, 6001)
    v = ratio_float(kind, a, y)
    i = int(np.argmin(v))
    r = minimize_scalar(lambda t: float(ratio_float(kind, a, t)), bounds=(y[max(i - 1, 0)], y[min(i + 1, 6000)]),
                        method="bounded", options={"xatol": 1e-10})
    return min(float(r.fun), float(v[i]))


@functools.lru_cache(maxsize=256)
def solve_amplitude(kind: str, target: float, slack: float = 3e-3) -> float:
    """Amplitude a whose (normalised) ratio infimum is target (1 + slack), by root finding in
    floating point. PL: inf P_a / (2 + 2a) = mu/L; quasar: inf G_c = gamma. Returns 0.0 when
    target (1 + slack) is at or above the value at a = 0 (1 for PL, and quasar ratio 2 > 1)."""
    from scipy.optimize import brentq

    norm = (lambda a: 2 + 2 * a) if kind == "pl" else (lambda a: 1.0)
    goal = target * (1 + slack)
    g = lambda a: _num_inf(kind, a) / norm(a) - goal
    if g(0.0) <= 0:
        return 0.0
    hi = AMP_MAX * (1 - 1e-9)
    if g(hi) >= 0:
        raise CertificationError(f"{kind} target {target} too small to realise")
    return float(brentq(g, 0.0, hi, xtol=1e-13, rtol=1e-13))


__all__ = ["Dual", "sinc", "inf_bounds", "prove_at_least", "lower_value", "CertificationError", "iv",
           "sin_ratio_inf", "solve_amplitude", "ratio_float", "AMP_MAX"]

"""The resolution of a PASS: the strengthening of the claim at which the same data, under the
same test at the same level, reach the FAIL threshold (evidence.py grades it).

Nothing is rerun: each kind's FAIL rule in stats.py is inverted on the numbers ``decide`` already
has (the per-point intervals, the slope interval, the order statistics).

* upper, FAIL iff LCB_j > b_j (1 + tol) at some point j: the bound divided by k fails as soon as
  k > k* = min_j b_j (1 + tol) / LCB_j. Exact data: LCB_j = measured_j, so k* = bound/measured (up
  to the tolerance). LCB_j = 0 everywhere: k* = inf (no constant could have been caught).
* lower, FAIL iff UCB_j < b_j (1 - tol): the bound multiplied by k fails for k > min_j
  UCB_j / (b_j (1 - tol)). A lower-bound FAIL under heavy tails is turned INCONCLUSIVE by
  stats.mean_test (Hill index < 2), so there k* = inf.
* tight: the two one-sided factors above, each from the tight test's own interval; the smaller.
* high_prob(delta), FAIL iff #{runs > bound} >= m*, m* the smallest count with
  P(Binom(n, delta) >= m*) <= alpha: the bound b' fails iff b' < the m*-th largest value t_j, so
  k* = min_j b_j / t_j.
* rate, slope interval [lo, hi], claimed exponent e, tolerance tol: upper sense FAILs iff
  lo > e + tol, so the exponent made steeper by delta fails for delta > e + tol - lo; lower sense
  FAILs iff hi < e - tol: shallower by delta > hi - e + tol; equal: the smaller of the two.

Just beyond the resolution the verdict is FAIL. Just inside it is PASS for upper, lower and
high_prob claims; for tight and rate claims, whose tests have an INCONCLUSIVE zone between PASS
and FAIL (an interval straddling the band), it is PASS or INCONCLUSIVE, never FAIL.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from scipy import stats as _st

from .. import evidence, stats


def _ratio(a: float, b: float) -> float:
    """a / b for the factor formulas: inf when b <= 0 (nothing caught) or a is infinite."""
    if not (b > 0) or not math.isfinite(a):
        return math.inf
    return a / b


def fail_count(n: int, delta: float, alpha: float) -> int:
    """The smallest number m of runs above the bound at which quantile_test FAILs (n + 1: never)."""
    m = np.arange(0, n + 1)
    ok = m[_st.binom.sf(m - 1, n, delta) <= alpha]
    return int(ok[0]) if ok.size else n + 1


def value_factor(kind: str, points: Sequence[stats.Outcome], X: np.ndarray, bounds, tol: float, alpha: float,
                 delta: float | None, exact: bool) -> evidence.Resolution:
    """The factor k* of a value claim (upper, lower, tight, high_prob) over its grid points."""
    ups, downs = [], []
    for j, o in enumerate(points):
        b = float(bounds[j])
        if kind == "high_prob":
            x = np.asarray(X[:, j], float)
            x = np.sort(np.where(np.isnan(x), np.inf, x))
            m = fail_count(x.size, delta, alpha)
            ups.append(math.inf if m > x.size else _ratio(b, float(x[x.size - m])))
            continue
        lo, hi = o.ci
        if kind in ("upper", "tight"):
            ups.append(_ratio(b * (1 + tol), lo) if b > 0 else math.inf)
        if kind in ("lower", "tight"):
            k = _ratio(hi, b * (1 - tol))
            if kind == "lower" and not exact:
                x = np.asarray(X[:, j], float)
                if stats.hill_tail_index(np.where(np.isnan(x), np.inf, x)) < stats.HEAVY_TAIL_INDEX:
                    k = math.inf  # a FAIL would be reported INCONCLUSIVE (heavy tails)
            downs.append(k)
    k_up = min(ups) if ups else math.inf
    k_down = min(downs) if downs else math.inf
    if kind in ("upper", "high_prob"):
        return evidence.factor(k_up, "a bound too large by a factor")
    if kind == "lower":
        return evidence.factor(k_down, "a lower bound too small by a factor")
    return evidence.factor(min(k_up, k_down), "a constant wrong (either way) by a factor")


def rate_margin(o: stats.Outcome, exponent: float, tol: float, sense: str) -> evidence.Resolution:
    """The exponent margin delta* of a rate claim (see the module docstring)."""
    lo, hi = o.ci
    steeper = exponent + tol - lo
    shallower = hi - exponent + tol
    if sense == "upper":
        return evidence.exponent(steeper, "an exponent error (a claimed decay too fast)")
    if sense == "lower":
        return evidence.exponent(shallower, "an exponent error (a claimed decay too slow)")
    return evidence.exponent(min(steeper, shallower), "an exponent error")


def resolution(kind: str, points: Sequence[stats.Outcome], X: np.ndarray, bounds, *, tol: float, alpha: float,
               delta: float | None = None, exact: bool = False, exponent: float | None = None,
               sense: str = "equal") -> evidence.Resolution:
    if kind == "rate":
        return rate_margin(points[0], exponent, tol, sense)
    return value_factor(kind, points, X, bounds, tol, alpha, delta, exact)


def unfalsifiable(kind: str, why: str) -> evidence.Resolution:
    """An engine whose PASS could not have been a FAIL at all (e.g. a PEP relaxation on an upper
    claim): infinite resolution, with the reason."""
    r = evidence.exponent(math.inf) if kind == "rate" else evidence.factor(math.inf)
    return evidence.Resolution(r.kind, r.value, f"{r.statement}: {why}")


__all__ = ["resolution", "value_factor", "rate_margin", "fail_count", "unfalsifiable"]

"""The conformance battery of a noise model: its declared facts against its own samples, at its
default parameters (plus any given), d = 3, n = 20000 draws from one seeded stream.

* law: the draws follow the declared one-coordinate law (noise/check.py: KS, folded KS for a
  symmetric law, chi-square for a discrete one; Bonferroni-combined p-value, level 1e-3);
* tail (Hill): the model declares E|xi_i|^q < inf for q < tail_index. The test order is
  q* = min(tail_index, 2) (the moment orders the claims use); the one-sided upper confidence
  limit (level 1e-3) of the Hill estimate of the tail index of |xi_i| (k = sqrt of the number of
  values) must not lie below q*. Exact for Pareto tails: a false alarm has probability 1e-3 at tail
  index q*, and the power against an exact Pareto tail of index b is
  P(chi2_{2k} > (b/q*) chi2_{2k, 1-level}), reported for b = q*/2 and b = 0.8 q*. Tails with a
  second-order term (Student-t, stable) bias the estimate; the decision is still made at q*;
* second moment: when tail_index > 4 (finite variance of ||xi||^2), the sample mean of ||xi||^2 must
  not exceed the certified moment_bound(p, d, 2)^2 by more than its one-sided z limit (level 1e-3).

Discrete laws and gradient-dependent models skip the Hill test (n/a, with the reason).
"""
from __future__ import annotations

import math

import numpy as np
from scipy import stats

from .report import Check

N_DRAWS, D, LEVEL = 20000, 3, 1e-3


def hill_power(k: int, q: float, b: float, level: float = LEVEL) -> float:
    """P(reject) for an exact Pareto tail of index b when testing order q with k order statistics."""
    cu = stats.chi2.ppf(1 - level, 2 * k)
    return float(stats.chi2.sf(b / q * cu, 2 * k))


def tail_check(model, p, xi, level: float = LEVEL) -> Check:
    from ..noise.check import hill

    ti = float(model.tail_index(p))
    q = min(ti, 2.0)
    a = np.abs(xi).ravel()
    if model.grad_dependent:
        return Check("tail index (Hill)", "n/a", "a gradient-dependent model: its law changes with g")
    if np.unique(a).size < a.size // 2:
        return Check("tail index (Hill)", "n/a", "a discrete law: no tail to estimate")
    h = hill(a, confidence=1 - 2 * level)  # two-sided 1 - 2 level: its upper end is the one-sided limit
    ok = h.hi >= q
    power = f"power vs an exact Pareto tail of index {q / 2:.3g}: {hill_power(h.k, q, q / 2, level):.3f}, " \
            f"of index {0.8 * q:.3g}: {hill_power(h.k, q, 0.8 * q, level):.3f}"
    what = "declares E|xi|^q < inf for q < " + ("inf" if math.isinf(ti) else f"{ti:g}")
    return Check("tail index (Hill)", "pass" if ok else "FAIL",
                 f"{what}; tested at q* = {q:g}: Hill estimate {h.index:.3g}, upper limit {h.hi:.3g} "
                 f"(k = {h.k} of {h.n}, level {level:g}) {'>=' if ok else '< '} q*"
                 + ("" if ok else ": the samples have an infinite q*-th moment") + f"; {power}")


def moment_check(model, p, xi, level: float = LEVEL) -> Check:
    ti = float(model.tail_index(p))
    if not ti > 4:
        return Check("second moment <= moment_bound", "n/a",
                     f"tail index {ti:g} <= 4: the sample mean of ||xi||^2 has no usable confidence limit")
    bound = float(model.moment_bound(p, xi.shape[1], 2.0).value) ** 2
    sq = np.sum(xi * xi, axis=1)
    m, se = float(sq.mean()), float(sq.std(ddof=1) / math.sqrt(sq.size))
    lo = m - stats.norm.ppf(1 - level) * se
    ok = lo <= bound * (1 + 1e-12)
    return Check("second moment <= moment_bound", "pass" if ok else "FAIL",
                 f"mean ||xi||^2 = {m:.4g} (lower limit {lo:.4g}, level {level:g}) vs certified sigma_2^2 = {bound:.4g}")


def law_check(model, p, xi, level: float = LEVEL) -> Check:
    from ..noise.check import check_samples

    try:
        rep = check_samples(model, p, xi.shape[1], xi, level=level, with_hill=False)
    except ValueError as e:
        return Check("declared law", "n/a", str(e))
    return Check("declared law", "pass" if rep.ok else "FAIL", rep.summary())


def check_noise_model(model, params=None, seed: int = 0) -> list[Check]:
    p = model.validate(dict(params or {}))
    try:
        xi = model.draw(p, D, N_DRAWS, seed=seed)
    except Exception as e:
        return [Check("draw samples", "FAIL", f"{type(e).__name__}: {e}")]
    if not np.all(np.isfinite(xi)):
        return [Check("draw samples", "FAIL", f"{int((~np.isfinite(xi)).sum())} non-finite draws")]
    return [law_check(model, p, xi), tail_check(model, p, xi), moment_check(model, p, xi)]


__all__ = ["N_DRAWS", "D", "LEVEL", "hill_power", "tail_check", "moment_check", "law_check", "check_noise_model"]

"""Self-checks for noise samples: do draws follow the law a noise model declares?

``check_samples(model, p, d, xi)`` tests each coordinate (column of ``xi``, shape (n, d)) against
the model's declared one-coordinate law:

* continuous laws: one-sample Kolmogorov-Smirnov test per column; for a model declared symmetric
  also a KS test of |xi_j| against the folded law F(t) - F(-t), which has twice the power against
  a wrong tail (the symmetry itself is tested separately by the conformance suite);
* discrete laws (``scipy.stats.rv_discrete``, e.g. rare-spike): every draw must lie on the support,
  then a chi-square goodness-of-fit test of the counts;
* grad-dependent models (``law`` is None) use the module's ``law_given(p, d, g)`` at the gradient
  ``g`` the draws were made with.

The p-values of all these tests are combined by Bonferroni (``p_value = min(1, m * min_j p_j)`` over
the m tests), so
``ok`` (``p_value >= level``) has false-alarm probability at most ``level`` under the declared law.
Power: samples of a Pareto law with tail index 1.8 are rejected by the check for tail index 1.6
(tests/test_noise_conformance.py): the KS distance between the two laws is 0.022, and 0.043
between the laws of |xi|, so 5000 draws of one coordinate reject at level 1e-3.

As a law-free diagnostic, ``hill`` reports the Hill estimator of the tail index of |xi| with an
exact-for-Pareto confidence interval (2 k beta / beta_hat ~ chi^2_{2k}); for Lomax, Student-t and
stable tails the estimator has a second-order bias, so it is reported and never decides ``ok``.
"""
from __future__ import annotations

import importlib
import math
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np
from scipy import stats

from .base import NoiseModel


@dataclass(frozen=True)
class HillEstimate:
    """Hill estimate of the tail index from the k largest of n absolute values."""

    index: float
    lo: float
    hi: float
    k: int
    n: int
    confidence: float

    def covers(self, beta: float) -> bool:
        return self.lo <= beta <= self.hi


@dataclass
class LawCheck:
    model: str
    params: dict
    d: int
    n: int
    level: float
    test: str  # "ks" | "ks + folded ks" | "chi2"
    columns: int = 0  # coordinates tested
    statistics: list = field(default_factory=list)  # per test (column, and folded column)
    p_values: list = field(default_factory=list)
    p_value: float = 1.0  # Bonferroni-combined
    hill: HillEstimate | None = None
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.p_value >= self.level

    def summary(self) -> str:
        verdict = "consistent with" if self.ok else "REJECTED by"
        s = (f"{self.n} draws x {self.columns} coordinates {verdict} the {self.model} law "
             f"{self.params} ({self.test}, combined p = {self.p_value:.3g}, level {self.level:g})")
        if self.hill is not None:
            s += (f"; Hill tail index {self.hill.index:.3g} "
                  f"[{self.hill.lo:.3g}, {self.hill.hi:.3g}] (k={self.hill.k})")
        if self.note:
            s += f"; {self.note}"
        return s


def hill(x: np.ndarray, k: int | None = None, confidence: float = 0.95) -> HillEstimate:
    """Hill estimator of the tail index of |x| from its k largest values (default k = sqrt(n)).

    beta_hat = k / sum_{i<=k} log(X_(i)/X_(k+1)). For an exact Pareto tail above X_(k+1) the sum
    times beta is Gamma(k, 1), which gives the interval returned; elsewhere it is approximate.
    """
    a = np.sort(np.abs(np.asarray(x, dtype=float)).ravel())[::-1]
    n = a.size
    if k is None:
        k = max(10, int(math.sqrt(n)))
    k = min(k, n - 1)
    thr = a[k]
    if not thr > 0:
        raise ValueError("Hill estimator needs k + 1 positive values")
    h = float(np.sum(np.log(a[:k] / thr)))
    est = k / h
    lo_q, hi_q = (1 - confidence) / 2, 1 - (1 - confidence) / 2
    lo = est * stats.chi2.ppf(lo_q, 2 * k) / (2 * k)
    hi = est * stats.chi2.ppf(hi_q, 2 * k) / (2 * k)
    return HillEstimate(est, lo, hi, k, n, confidence)


def reference_law(model: NoiseModel, p: Mapping[str, Any], d: int, g=None):
    """The scipy law of one coordinate: ``model.law(p, d)``, or ``law_given(p, d, g)`` for models
    whose law depends on the gradient (defined in the model's module)."""
    if model.law is not None:
        return model.law(p, d)
    # the module that defines the sampler: a built-in file or a plugin's (boundcheck/plugins/)
    mod = importlib.import_module(getattr(model.sample, "py_func", model.sample).__module__)
    law_given = getattr(mod, "law_given", None)
    if law_given is None:
        raise ValueError(f"noise model {model.name!r} declares no law and no law_given(p, d, g)")
    return law_given(p, d, np.zeros(d) if g is None else np.asarray(g, float))


def _is_discrete(law) -> bool:
    return isinstance(getattr(law, "dist", law), stats.rv_discrete)


def _discrete_test(col: np.ndarray, law) -> tuple[float, float, str]:
    dist = getattr(law, "dist", law)
    support = np.asarray(dist.xk, dtype=float)
    probs = np.asarray(dist.pk, dtype=float)
    tol = 1e-9 * (1 + np.abs(support).max())
    idx = np.argmin(np.abs(col[:, None] - support[None, :]), axis=1)
    off = np.abs(col - support[idx]) > tol
    if off.any():
        return math.inf, 0.0, f"{int(off.sum())} draws off the declared support"
    counts = np.bincount(idx, minlength=support.size)
    expected = probs * col.size
    res = stats.chisquare(counts, expected)
    return float(res.statistic), float(res.pvalue), ""


def check_samples(
    model: NoiseModel,
    p: Mapping[str, Any],
    d: int,
    xi: np.ndarray,
    *,
    g=None,
    level: float = 1e-3,
    with_hill: bool = True,
) -> LawCheck:
    """Test draws ``xi`` (shape (n, d), or (n,) for one coordinate) against the declared law of
    ``model`` at parameters ``p`` (validated here) and dimension ``d``. ``g``: the gradient used for
    grad-dependent models. Returns a ``LawCheck``; a rejection is a result, not an exception."""
    p = model.validate(p)
    xi = np.asarray(xi, dtype=float)
    if xi.ndim == 1:
        xi = xi[:, None]
    law = reference_law(model, p, d, g)
    discrete = _is_discrete(law)
    symmetric = bool(model.symmetric(p))
    rep = LawCheck(model.name, dict(p), d, xi.shape[0], level,
                   "chi2" if discrete else ("ks + folded ks" if symmetric else "ks"))
    rep.columns = xi.shape[1]
    notes = []
    for j in range(xi.shape[1]):
        col = xi[:, j]
        if not np.all(np.isfinite(col)):
            rep.statistics.append(math.inf)
            rep.p_values.append(0.0)
            notes.append(f"column {j}: non-finite draws")
            continue
        if discrete:
            st, pv, note = _discrete_test(col, law)
            if note:
                notes.append(f"column {j}: {note}")
        else:
            r = stats.kstest(col, law.cdf)
            st, pv = float(r.statistic), float(r.pvalue)
            if symmetric:
                # folded law of a symmetric X: P(|X| <= t) = 2 F(t) - 1
                rf = stats.kstest(np.abs(col), lambda t: 2.0 * law.cdf(t) - 1.0)
                rep.statistics.append(float(rf.statistic))
                rep.p_values.append(float(rf.pvalue))
        rep.statistics.append(st)
        rep.p_values.append(pv)
    rep.p_value = min(1.0, len(rep.p_values) * min(rep.p_values))
    ti = model.tail_index(p)
    if with_hill and math.isfinite(ti) and not discrete and xi.size >= 100:
        rep.hill = hill(xi)
    rep.note = "; ".join(notes)
    return rep


__all__ = ["HillEstimate", "LawCheck", "hill", "reference_law", "check_samples"]

"""Statistics for verdicts: one-sided mean tests, binomial quantile tests, rate fits, and the
multiple-testing budget (numpy/scipy only).

Choices, and when they are valid (docs/claims.md, "Statistics"):

* **Upper bounds on a mean (FAIL side): Anderson's bound.** The metrics are nonnegative (f - f*,
  ||grad||^2, distances), and for X >= 0 the one-sided DKW inequality (Massart 1990) gives
  ``E X >= integral of max(0, S_n(t) - eps) dt`` with probability >= 1 - alpha,
  ``eps = sqrt(log(1/alpha) / (2n))`` (S_n the empirical survival function). This holds for
  EVERY law on [0, inf): infinite variance, even an infinite mean. So an upper-bound claim is
  called FAIL only on evidence that stays valid under heavy tails. The price is power: the
  bound discards the top eps fraction of mass (about 12% at n = 100, 6% at n = 400).
* **Lower bounds on a mean (FAIL side): Student-t upper limit**, valid asymptotically when the
  metric has finite variance. No distribution-free upper limit on a mean exists without a known
  support bound (pass ``hi`` to get the exact Anderson mirror). Heavy tails make the sample mean
  too small, so a Hill tail-index estimate below 2 turns such a FAIL into INCONCLUSIVE.
* **high_prob(delta):** exact one-sided binomial test on the number of runs above the bound
  (H0: P(X > bound) <= delta); distribution-free. The interval shown is the order-statistic
  confidence interval of the (1 - delta)-quantile (FAIL exactly when it lies above the bound).
* **Rates:** OLS slope of log(stat over runs) against log N with a seeded percentile bootstrap
  over runs (rows resampled jointly, which keeps common random numbers across N valid).
* **Multiple testing:** Bonferroni across every test of a run (each N of each claim), so the
  displayed intervals are simultaneous and P(any false FAIL) <= the family alpha; ``holm`` is
  provided for p-value families.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Sequence

import numpy as np
from scipy import stats as _st

VERDICTS = ("PASS", "FAIL", "SKIP", "INCONCLUSIVE")
HEAVY_TAIL_INDEX = 2.0
MOM_BLOCKS = 8


def _eps(n: int, alpha: float) -> float:
    return math.sqrt(math.log(1.0 / alpha) / (2.0 * n))


def _anderson(xs: np.ndarray, eps: float, lo: float) -> float:
    n = xs.size
    surv = (n - np.arange(n)) / n  # P_n(X > t) for t in [x_(i-1), x_(i))
    with np.errstate(invalid="ignore"):
        gaps = np.nan_to_num(np.diff(np.concatenate(([lo], xs))), nan=0.0, posinf=np.inf)  # inf - inf: 0
    w = np.clip(surv - eps, 0.0, None)
    with np.errstate(invalid="ignore"):  # diverged runs (inf) count only where their weight is > 0
        return lo + float(np.sum(np.where(w > 0, gaps * w, 0.0)))


def mean_lcb(x, alpha: float, lo: float = 0.0) -> float:
    """Lower confidence limit for E X, valid for every law with X >= lo (Anderson / DKW)."""
    xs = np.sort(np.asarray(x, float).ravel())
    if xs.size == 0 or xs[0] < lo:
        raise ValueError(f"mean_lcb needs samples >= {lo} (got min {xs[0] if xs.size else 'none'})")
    return _anderson(xs, _eps(xs.size, alpha), lo)


def mean_lcb_pvalue(x, b: float, lo: float = 0.0) -> float:
    """p-value of H0: E X <= b against E X > b, from the same bound (smallest alpha that rejects)."""
    xs = np.sort(np.asarray(x, float).ravel())
    if _anderson(xs, 0.0, lo) <= b:
        return 1.0
    a, c = 0.0, 1.0  # the bound decreases in eps; find eps* with bound(eps*) = b
    for _ in range(60):
        m = 0.5 * (a + c)
        a, c = (m, c) if _anderson(xs, m, lo) > b else (a, m)
    return float(min(1.0, math.exp(-2.0 * xs.size * c * c)))


def hill_tail_index(x, frac: float = 0.1) -> float:
    """Hill estimate of the tail index from the top ``frac`` of |x| (inf if too few points)."""
    xs = np.abs(np.asarray(x, float).ravel())
    xs = np.sort(xs[np.isfinite(xs)])[::-1]
    k = max(10, int(frac * xs.size))
    if xs.size < k + 1 or xs[k] <= 0:
        return math.inf
    h = float(np.mean(np.log(xs[:k] / xs[k])))
    return math.inf if h <= 0 else 1.0 / h


def mean_ucb(x, alpha: float, hi: float | None = None) -> tuple[float, str]:
    """Upper confidence limit for E X and the method: exact Anderson mirror when X <= hi is known,
    else Student-t (valid asymptotically under finite variance)."""
    x = np.asarray(x, float).ravel()
    if not np.isfinite(x).all():
        return math.inf, "diverged runs: no finite upper limit"
    if hi is not None:
        return hi - mean_lcb(hi - x, alpha), "Anderson-DKW (X <= hi, distribution-free)"
    if x.size < 2:
        return math.inf, "none (one run)"
    return float(x.mean() + _st.t.ppf(1 - alpha, x.size - 1) * x.std(ddof=1) / math.sqrt(x.size)), \
        "Student-t (finite variance)"


@dataclass
class Outcome:
    """One test at one point (one N): the verdict and the numbers behind it."""

    verdict: str
    measured: float
    bound: float
    ci: tuple[float, float]
    p_value: float | None
    method: str
    reason: str = ""
    N: float | None = None  # the grid point (a horizon N, or a value of the claim's ``over`` variable)


def _scale(b: float, tol: float, up: bool) -> float:
    return b + (1 if up else -1) * tol * abs(b)


def mean_test(x, bound: float, kind: str, alpha: float, tol: float = 0.0, *, exact: bool = False,
              lo: float = 0.0, hi: float | None = None) -> Outcome:
    """upper: FAIL iff the lower limit exceeds bound (1 + tol); lower: FAIL iff the upper limit is
    below bound (1 - tol); tight: PASS iff the two-sided interval lies in the band, FAIL iff it
    misses it, else INCONCLUSIVE. ``exact``: the samples are deterministic (one run, no noise,
    or a PEP value) and the interval is the point itself."""
    x = np.asarray(x, float).ravel()
    x = np.where(np.isnan(x), np.inf, x)  # a diverged run has an unbounded metric
    m = float(x.mean())
    if exact:
        fin = np.isfinite(x)
        if fin.any() != fin.all() or (fin.all() and x.max() - x.min() > 1e-12 * max(1.0, abs(m))):
            raise ValueError("exact=True but the samples differ: the process is not deterministic")
        ci, p, how = (m, m), None, "exact (deterministic)"
    else:
        fin = x[np.isfinite(x)]
        scale = float(np.abs(fin).max()) if fin.size else 1.0
        x = np.where((x < lo) & (x >= lo - 1e-9 * max(1.0, scale)), lo, x)  # rounding at the optimum
        a = alpha / 2 if kind == "tight" else alpha
        ucb, uhow = mean_ucb(x, a, hi)
        ci, how = (mean_lcb(x, a, lo), ucb), f"LCB Anderson-DKW (X >= {lo:g}); UCB {uhow}"
        p = None
    band = (_scale(bound, tol, False), _scale(bound, tol, True))
    reason = ""
    if kind == "upper":
        v = "FAIL" if ci[0] > band[1] else "PASS"
        if not exact:
            p = mean_lcb_pvalue(x, band[1], lo)
        if v == "PASS" and m > band[1]:
            reason = f"the mean exceeds the bound, but not significantly (lower limit {ci[0]:.6g})"
    elif kind == "lower":
        v = "FAIL" if ci[1] < band[0] else "PASS"
        if not exact and hi is None:
            se = x.std(ddof=1) / math.sqrt(x.size) if x.size > 1 and np.isfinite(x).all() else 0.0
            p = float(_st.t.cdf((m - band[0]) / se, x.size - 1)) if se > 0 else None
            ti = hill_tail_index(x)
            if v == "FAIL" and ti < HEAVY_TAIL_INDEX:
                v, reason = "INCONCLUSIVE", f"heavy-tailed metric (Hill tail index {ti:.2f} < 2): the t upper limit is not trustworthy"
    elif kind == "tight":
        if ci[0] >= band[0] and ci[1] <= band[1]:
            v = "PASS"
        elif ci[0] > band[1] or ci[1] < band[0]:
            v = "FAIL"
        else:
            v, reason = "INCONCLUSIVE", "the interval straddles the tolerance band"
    else:
        raise ValueError(f"mean_test: kind must be upper, lower or tight (got {kind!r})")
    if v == "PASS" and kind == "lower" and m < band[0]:
        reason = f"the mean is below the bound, but not significantly (upper limit {ci[1]:.6g})"
    if v == "FAIL" and not reason:
        lim, side = (ci[0], "lower") if ci[0] > band[1] else (ci[1], "upper")
        side = "measured value" if exact else f"{side} confidence limit"
        reason = f"{side} {lim:.6g} is outside [{band[0]:.6g}, {band[1]:.6g}] (bound {bound:.6g})"
    return Outcome(v, m, float(bound), (float(ci[0]), float(ci[1])), p, how, reason)


def quantile_ci(x, level: float, alpha: float) -> tuple[float, float]:
    """Distribution-free one-sided limits (each at 1 - alpha) for the ``level``-quantile q of X
    from order statistics: P(X_(j) <= q) = P(Binom(n, level) >= j) for continuous laws."""
    xs = np.sort(np.asarray(x, float).ravel())
    n = xs.size
    j = np.arange(1, n + 1)
    lo_ok = j[_st.binom.sf(j - 1, n, level) >= 1 - alpha]
    hi_ok = j[_st.binom.cdf(j - 1, n, level) >= 1 - alpha]
    return (float(xs[lo_ok[-1] - 1]) if lo_ok.size else -math.inf,
            float(xs[hi_ok[0] - 1]) if hi_ok.size else math.inf)


def quantile_test(x, bound: float, delta: float, alpha: float) -> Outcome:
    """high_prob(delta): H0 P(X > bound) <= delta; exact binomial p = P(Binom(n, delta) >= k).
    Measured: the empirical (1 - delta)-quantile; CI: its order-statistic limits (the test FAILs
    exactly when the lower limit is above the bound, up to ties)."""
    x = np.asarray(x, float).ravel()
    x = np.where(np.isnan(x), np.inf, x)  # a diverged run exceeds every bound
    n, k = x.size, int(np.sum(x > bound))
    p = float(_st.binom.sf(k - 1, n, delta))
    q = float(np.quantile(x, 1 - delta, method="inverted_cdf"))
    if p <= alpha:
        v, why = "FAIL", f"{k}/{n} runs exceed the bound; P(X > bound) > {delta:g} at p = {p:.3g}"
    elif float(_st.binom.sf(n - 1, n, delta)) > alpha:
        v, why = "INCONCLUSIVE", f"too few runs: even {n}/{n} above the bound would give p > {alpha:.3g}"
    else:
        v, why = "PASS", f"{k}/{n} runs exceed the bound (allowed fraction {delta:g})"
    return Outcome(v, q, float(bound), quantile_ci(x, 1 - delta, alpha), p,
                   f"exact binomial test on #runs > bound; CI: order-statistic limits of the {1 - delta:g}-quantile", why)


@dataclass
class SlopeFit:
    slope: float
    intercept: float
    ci: tuple[float, float]
    N: tuple[int, ...]
    stat: str
    B: int
    boot: np.ndarray = field(repr=False, default=None)


def _ols(u: np.ndarray, Y: np.ndarray):
    uc = u - u.mean()
    slope = (Y - Y.mean(axis=-1, keepdims=True)) @ uc / (uc @ uc)
    return slope, Y.mean(axis=-1) - slope * u.mean()


def _stat(X: np.ndarray, stat) -> np.ndarray:
    if stat == "mean":
        return X.mean(axis=-2)
    if stat == "median":
        return np.median(X, axis=-2)
    if stat == "mom":  # median of 8 block means: robust to a few huge runs (finite variance)
        k = min(MOM_BLOCKS, X.shape[-2])
        blocks = np.array_split(X, k, axis=-2)
        return np.median(np.stack([b.mean(axis=-2) for b in blocks]), axis=0)
    return np.quantile(X, float(stat), axis=-2)


def slope_fit(N: Sequence[int], X, *, alpha: float = 0.05, B: int = 2000, seed: int = 0,
              stat="mean", fit_from: int = 1) -> SlopeFit:
    """Fit log stat(X[:, j]) = a + b log N_j over N_j >= fit_from; X has shape (runs, len(N)).
    ``stat``: "mean", "median", "mom" (median of means) or a quantile level in (0, 1).
    Percentile bootstrap CI (seeded)."""
    N, X = np.asarray(N, float), np.asarray(X, float)
    keep = N >= fit_from
    if keep.sum() < 2 or X.ndim != 2 or X.shape[1] != N.size:
        raise ValueError("slope_fit needs X of shape (runs, len(N)) and at least 2 horizons >= fit_from")
    u, X = np.log(N[keep]), X[:, keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        b, a = _ols(u, np.log(_stat(X, stat)))
        idx = np.random.default_rng(seed).integers(0, X.shape[0], size=(B, X.shape[0]))
        boot, _ = _ols(u, np.log(_stat(X[idx], stat)))
    lo, hi = np.nanquantile(boot, [alpha / 2, 1 - alpha / 2]) if np.isfinite(boot).any() else (np.nan, np.nan)
    return SlopeFit(float(b), float(a), (float(lo), float(hi)), tuple(int(n) for n in N[keep]), str(stat), B, boot)


def rate_test(fit: SlopeFit, exponent: float, tol: float, sense: str = "equal") -> Outcome:
    """equal: PASS iff the CI lies in [b - tol, b + tol], FAIL iff it misses it; upper (O(N^b),
    faster decay is fine): FAIL iff CI > b + tol; lower (Omega): FAIL iff CI < b - tol."""
    lo, hi = fit.ci
    band = (exponent - tol, exponent + tol)
    boot = fit.boot[np.isfinite(fit.boot)] if fit.boot is not None else np.array([])
    if not (math.isfinite(lo) and math.isfinite(hi)) or boot.size == 0:
        return Outcome("INCONCLUSIVE", fit.slope, exponent, (lo, hi), None, "bootstrap slope",
                       "the statistic is not positive at some N: no log-log fit")
    p_shallow, p_steep = float(np.mean(boot <= band[1])), float(np.mean(boot >= band[0]))
    if sense == "upper":
        v, p = ("FAIL" if lo > band[1] else "PASS" if hi <= band[1] else "INCONCLUSIVE"), p_shallow
    elif sense == "lower":
        v, p = ("FAIL" if hi < band[0] else "PASS" if lo >= band[0] else "INCONCLUSIVE"), p_steep
    else:
        v = "PASS" if band[0] <= lo and hi <= band[1] else "FAIL" if lo > band[1] or hi < band[0] else "INCONCLUSIVE"
        p = min(1.0, 2 * min(p_shallow, p_steep))
    why = {"FAIL": f"slope CI [{lo:.3f}, {hi:.3f}] is outside the allowed band [{band[0]:.3f}, {band[1]:.3f}]",
           "INCONCLUSIVE": f"slope CI [{lo:.3f}, {hi:.3f}] straddles the band [{band[0]:.3f}, {band[1]:.3f}]",
           "PASS": ""}[v]
    return Outcome(v, fit.slope, exponent, (lo, hi), p,
                   f"OLS log-log slope of the {fit.stat} over N in {list(fit.N)}, percentile bootstrap B={fit.B}", why)


def holm(pvalues: Sequence[float], alpha: float) -> np.ndarray:
    """Holm-Bonferroni step-down: boolean array of rejections at family-wise level alpha."""
    p = np.asarray(pvalues, float)
    order = np.argsort(p)
    reject = np.zeros(p.size, bool)
    for rank, i in enumerate(order):
        if p[i] > alpha / (p.size - rank):
            break
        reject[i] = True
    return reject


@dataclass(frozen=True)
class Budget:
    """The false-alarm budget of one verify run: P(any false FAIL) <= family_alpha (Bonferroni
    over ``tests`` tests: every N of every claim, and each engine), i.e. each test at
    per_test_alpha."""

    family_alpha: float
    tests: int
    method: str = "bonferroni"

    @property
    def per_test_alpha(self) -> float:
        return self.family_alpha / max(1, self.tests)

    def as_dict(self) -> dict:
        return {"family_alpha": self.family_alpha, "tests": self.tests, "method": self.method,
                "per_test_alpha": self.per_test_alpha,
                "statement": f"P(at least one false FAIL among {self.tests} tests) <= {self.family_alpha:g}"}


@dataclass
class Verdict:
    """A claim's verdict, with what was measured and how (JSON-ready via ``as_dict``)."""

    claim_id: str
    kind: str
    verdict: str  # PASS | FAIL | SKIP | INCONCLUSIVE
    expected: str = "PASS"
    measured: float | None = None  # at the reported point N (the most adverse one)
    bound: float | None = None
    ci: tuple[float, float] | None = None
    p_value: float | None = None
    N: float | None = None  # the reported grid point: a horizon, or a value of ``over``
    over: str = "N"  # the grid variable
    engine: str = "mc"
    iterate: str = ""
    index: str = ""
    runs: int = 0
    seeds: list = field(default_factory=list)
    confidence: float = 0.95
    tolerance: float = 0.0
    method: str = ""
    reason: str = ""
    points: list[dict] = field(default_factory=list)  # one Outcome per N
    budget: dict | None = None
    resolution: dict | None = None  # PASS only: evidence.Resolution.as_dict() (what it could have caught)
    evidence: str | None = None  # PASS only: strong | moderate | weak

    def __post_init__(self):
        assert self.verdict in VERDICTS, self.verdict

    @property
    def unexpected(self) -> bool:
        """FAIL where PASS is expected, or PASS where a FAIL is expected (strict xfail)."""
        return (self.verdict, self.expected) in (("FAIL", "PASS"), ("PASS", "FAIL"))

    def as_dict(self) -> dict:
        """JSON-ready: non-finite numbers (diverged runs, unbounded limits) become None; the reason
        says why."""
        return _finite(asdict(self))


def _finite(o):
    if isinstance(o, float):
        return o if math.isfinite(o) else None
    if isinstance(o, dict):
        return {k: _finite(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_finite(v) for v in o]
    return o


def _adverse(o: Outcome, kind: str) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        r = float(np.divide(o.measured, o.bound)) if o.bound else (math.inf if o.measured > 0 else 0.0)
    if math.isnan(r):
        return -math.inf
    return {"lower": -r, "tight": abs(math.log(r)) if r > 0 else math.inf}.get(kind, r)


def combine(points: Sequence[Outcome], kind: str = "upper") -> Outcome:
    """Claim-level outcome over the grid: FAIL if any point fails, else INCONCLUSIVE if any is,
    else PASS; the point reported is the most adverse one of that verdict (largest measured/bound
    for upper and high_prob, smallest for lower, farthest from 1 for tight)."""
    if not points:
        raise ValueError("combine: no points")
    for v in ("FAIL", "INCONCLUSIVE"):
        hit = [o for o in points if o.verdict == v]
        if hit:
            break
    return max(hit or list(points), key=lambda o: _adverse(o, kind))


def exit_code(verdicts: Sequence[Verdict]) -> int:
    """Exit codes (docs/verify.md#exit-codes) for a finished run: 1 if some verdict is unexpected, else 0."""
    return 1 if any(v.unexpected for v in verdicts) else 0

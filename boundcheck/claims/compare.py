"""Comparison claims (``kind = "compare"``): setting A (the claim's) against setting B (the
``[claim.compare]`` table's changes to it), run on the same instances with the same seeds, so
run r of A and run r of B share their noise streams (common random numbers). The statistic is a
paired bootstrap over runs: one resample of run indices is applied to A and B together.

Forms (``compare.form``), with ``bound`` the tested threshold (a formula in the parameters):

* ``steeper``: A's fitted rate is steeper than B's by at least ``bound``:
  slope_A - slope_B <= -bound. Statistic: D = slope_A - slope_B (OLS of log mean against log N,
  each), percentile bootstrap interval [lo, hi] of D over paired resamples. FAIL when
  lo > -bound + tol, PASS when hi <= -bound + tol, else INCONCLUSIVE. One test.
  Resolution: the margin -bound + tol - lo (exponent kind): a claim of a larger separation than
  bound + that margin would have FAILed.
* ``below``: A's metric is below ``bound`` times B's at every N: E A_N <= bound * E B_N.
  Statistic per N: the ratio of means R_N = mean(A_N) / mean(B_N), paired percentile bootstrap
  lower limit lo_N. FAIL when lo_N > bound (1 + tol) at some N, else PASS; one test per N.
  Deterministic settings: the exact ratio. Resolution: k = min_N bound (1 + tol) / lo_N (factor).

* ``growth`` (``shape`` exponential | polynomial; ``check.over`` = the problem parameter p, its
  ``grid``, and the single horizon N as the step budget): T(p) = the first step at which the
  mean metric over runs is <= eps (``bound`` = eps), read on a geometric grid of 40 checkpoints
  per decade (so T is known to within 6%). ``exponential``: the slope c of log T against p (OLS
  over the grid), T ~ e^{c p}, is claimed >= ``rate`` (default 0): FAIL when the CI's upper limit
  is below rate - tol, PASS when its lower limit is >= rate - tol, else INCONCLUSIVE. ``polynomial``: the slope k of log T
  against log p is claimed <= ``degree``: FAIL when the CI's lower limit is above degree + tol,
  PASS when its upper limit is <= degree + tol. The CI is a percentile bootstrap over runs (the
  runs at every p share their seeds). eps not reached within N at some p: INCONCLUSIVE, saying
  so. One test. Iterations growing like e^p cap p near 10 on two cores.

All are tested at the run's per-test level (Bonferroni, as every other claim).
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Mapping

import numpy as np

from .. import evidence, stats

FORMS = ("steeper", "below", "growth")
SHAPES = ("exponential", "polynomial")


@dataclass(frozen=True)
class CompareSpec:
    form: str
    setting_b: Mapping[str, Any]  # role -> Component | None: B's setting
    label_b: str  # B's setting as text, for reports
    shape: str | None = None  # growth: exponential | polynomial
    limit: float = 0.0  # growth: the claimed rate (exponential, a lower limit) or degree (polynomial, upper)

    def claim_b(self, claim):
        """The claim as run on setting B (the same metric, iterate, grid and check)."""
        from dataclasses import replace

        return replace(claim, setting=self.setting_b, compare=None)


def _paired_idx(n: int, B: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, n, size=(B, n))


def _slope(u, Y):
    uc = u - u.mean()
    return (Y - Y.mean(axis=-1, keepdims=True)) @ uc / (uc @ uc)


def steeper(N, XA, XB, margin: float, tol: float, alpha: float, B: int, seed: int, fit_from: int = 1):
    N = np.asarray(N, float)
    keep = N >= fit_from
    u = np.log(N[keep])
    XA, XB = np.asarray(XA, float)[:, keep], np.asarray(XB, float)[:, keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        d = float(_slope(u, np.log(XA.mean(axis=0))) - _slope(u, np.log(XB.mean(axis=0))))
        idx = _paired_idx(XA.shape[0], B, seed)
        boot = _slope(u, np.log(XA[idx].mean(axis=1))) - _slope(u, np.log(XB[idx].mean(axis=1)))
    boot = boot[np.isfinite(boot)]
    thr = -margin + tol
    if boot.size == 0:
        o = stats.Outcome("INCONCLUSIVE", d, -margin, (math.nan, math.nan), None, "paired bootstrap",
                          "a mean is not positive at some N: no log-log fit")
        return o, None
    lo, hi = (float(v) for v in np.quantile(boot, [alpha / 2, 1 - alpha / 2]))
    v = "FAIL" if lo > thr else "PASS" if hi <= thr else "INCONCLUSIVE"
    why = {"FAIL": f"slope difference CI [{lo:.3f}, {hi:.3f}] is above -{margin:g} + tol {tol:g}: A is not steeper "
                   f"than B by {margin:g}",
           "INCONCLUSIVE": f"slope difference CI [{lo:.3f}, {hi:.3f}] straddles -{margin:g} + tol {tol:g}",
           "PASS": ""}[v]
    o = stats.Outcome(v, d, -margin, (lo, hi), float(np.mean(boot <= thr)),
                      f"slope_A - slope_B (OLS log mean vs log N over {[int(n) for n in N[keep]]}), "
                      f"paired percentile bootstrap B={B}", why)
    res = evidence.exponent(thr - lo, "an overstatement of the separation") if v == "PASS" else None
    return o, res


def below(points, XA, XB, bound, tol: float, alpha: float, B: int, seed: int, exact: bool, over: str = "N"):
    XA, XB = np.asarray(XA, float), np.asarray(XB, float)
    idx = None if exact else _paired_idx(XA.shape[0], B, seed)
    outs, ks = [], []
    for j, x in enumerate(points):
        a, b = XA[:, j], XB[:, j]
        with np.errstate(divide="ignore", invalid="ignore"):
            r = float(np.mean(a) / np.mean(b))
            if exact:
                lo = hi = r
            else:
                boot = a[idx].mean(axis=1) / b[idx].mean(axis=1)
                boot = np.where(np.isnan(boot), np.inf, boot)
                lo, hi = (float(v) for v in np.quantile(boot, [alpha, 1 - alpha]))
        thr = float(bound[j]) * (1 + tol)
        v = "FAIL" if lo > thr else "PASS"
        why = f"ratio A/B {'lower limit ' if not exact else ''}{lo:.6g} > {thr:.6g}" if v == "FAIL" else ""
        outs.append(stats.Outcome(v, r, float(bound[j]), (lo, hi), None,
                                  "exact ratio of means" if exact else
                                  f"ratio of means A/B, paired percentile bootstrap B={B} (one-sided)", why,
                                  N=float(x)))
        ks.append(thr / lo if lo > 0 else math.inf)
    o = stats.combine(outs, "upper")
    res = evidence.factor(min(ks), "a ratio bound too loose by a factor") if o.verdict == "PASS" else None
    return o, outs, res


def decide_compare(b, XA, XB, *, engine: str = "mc", budget: stats.Budget | None = None,
                   seeds=None, exact: bool | None = None) -> stats.Verdict:
    """The verdict of compare claim ``b`` (a Binding) from A's and B's (runs x points) values."""
    c = b.claim
    spec = c.compare
    alpha = budget.per_test_alpha if budget is not None else (1 - c.check.confidence) / max(1, c.n_tests((engine,)))
    exact = c.deterministic if exact is None else exact
    tol = c.check.tolerance
    pts = b.points
    bounds = b.bound(pts)
    if spec.form == "steeper":
        o, res = steeper(pts, XA, XB, float(bounds[-1]), tol, alpha, c.check.bootstrap, c.check.seed,
                         c.check.fit_from)
        points = [o]
    else:
        o, points, res = below(pts, XA, XB, bounds, tol, alpha, c.check.bootstrap, c.check.seed, exact,
                               c.check.over)
    return stats.Verdict(
        c.id, c.kind, o.verdict, c.expected, measured=o.measured, bound=o.bound, ci=o.ci, p_value=o.p_value,
        N=o.N, over=c.check.over, engine=engine, iterate=c.iterate, index=c.check.index,
        runs=np.asarray(XA).shape[0], seeds=list(seeds) if seeds is not None else [c.check.seed],
        confidence=c.check.confidence, tolerance=tol,
        method=f"compare {spec.form}: A = the claim's setting, B = {spec.label_b}; " + o.method
        + ("" if exact else f"; per-test alpha {alpha:.3g}"),
        reason=o.reason, points=[asdict(p) for p in points],
        budget=budget.as_dict() if budget is not None else None,
        resolution=res.as_dict() if res is not None else None,
        evidence=c.thresholds.grade(res) if res is not None else None)


def parse_compare(raw, top_setting: dict, claim_setting: dict, names: set, loc, i, cid: str, where: str):
    """``[claim.compare]``: ``form`` and ``setting`` (B's changes, merged like a claim's setting)."""
    from ..errors import CatalogueError
    from . import schema as S
    from .setting import component, merge

    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: claim {cid!r}: kind = \"compare\" needs a [claim.compare] table "
                             f"with form ({' | '.join(FORMS)}) and setting (B's changes)")
    if raw.get("form") == "growth":
        return _parse_growth(raw, where, cid)
    unknown = [k for k in raw if k not in ("form", "setting")]
    if unknown:
        raise CatalogueError(f"{where}: claim {cid!r}: unknown key {unknown[0]!r} in [claim.compare] (keys: form, setting)")
    if raw.get("form") not in FORMS:
        raise CatalogueError(f"{where}: claim {cid!r}: compare.form must be one of {' | '.join(FORMS)} "
                             f"(got {raw.get('form')!r})")
    if not isinstance(raw.get("setting"), dict) or not raw["setting"]:
        raise CatalogueError(f"{where}: claim {cid!r}: compare.setting must be a table changing A's setting "
                             f"(e.g. algorithm = {{ name = \"sgd\" }})")
    a = merge(top_setting, claim_setting)
    merged = merge(a, raw["setting"])
    comps = {r: component(r, merged.get(r), names, loc, i, cid) for r in S.COMPONENTS}
    label = "; ".join(f"{r} {c.spec_text()}" for r, c in comps.items() if c is not None)
    return CompareSpec(raw["form"], comps, label)


__all__ = ["FORMS", "CompareSpec", "decide_compare", "parse_compare", "steeper", "below"]


def compare_mc(b, values_a, run_mc, res, budget) -> stats.Verdict:
    """Run setting B through ``run_mc`` (verify's Monte Carlo runner: same runs, same seed, so
    common random numbers) and decide the comparison; B's data and setting join ``res``."""
    from dataclasses import replace

    bb = replace(b, claim=b.claim.compare.claim_b(b.claim))
    values_b, kernels, _, setting = run_mc(bb)
    res.kernels += [k for k in kernels if k not in res.kernels]
    res.data["mc (B)"] = (np.asarray(b.points), values_b)
    res.setting.update({f"B {role}": s for role, s in setting.items()})
    return decide_compare(b, values_a, values_b, engine="mc", budget=budget, seeds=[res.seed])


# ---------------------------------------------------------------------------- growth shape
GROWTH_PER_DECADE = 40


def _parse_growth(raw, where: str, cid: str) -> CompareSpec:
    from ..errors import CatalogueError

    unknown = [k for k in raw if k not in ("form", "shape", "rate", "degree")]
    if unknown:
        raise CatalogueError(f"{where}: claim {cid!r}: unknown key {unknown[0]!r} in [claim.compare] for form growth "
                             f"(keys: form, shape, rate (exponential), degree (polynomial))")
    shape = raw.get("shape")
    if shape not in SHAPES:
        raise CatalogueError(f"{where}: claim {cid!r}: compare.shape must be one of {' | '.join(SHAPES)} (got {shape!r})")
    key = "rate" if shape == "exponential" else "degree"
    other = "degree" if key == "rate" else "rate"
    if other in raw or (key == "degree" and key not in raw):
        raise CatalogueError(f"{where}: claim {cid!r}: shape {shape} takes {key}"
                             + (" (required)" if key == "degree" else " (default 0)"))
    lim = raw.get(key, 0.0)
    if isinstance(lim, bool) or not isinstance(lim, (int, float)):
        raise CatalogueError(f"{where}: claim {cid!r}: compare.{key} must be a number")
    return CompareSpec("growth", {}, "", shape, float(lim))


def hitting_steps(ck: np.ndarray, M: np.ndarray, eps: float) -> float:
    """The first checkpoint at which the mean over runs of M (runs x checkpoints) is <= eps."""
    m = np.mean(M, axis=0)
    hit = np.nonzero(m <= eps)[0]
    return float(ck[hit[0]]) if hit.size else math.inf


def growth(pts, ck, Ms, eps, shape: str, limit: float, tol: float, alpha: float, B: int, seed: int):
    """Outcome and resolution of a growth claim: Ms[j] is the (runs x checkpoints) metric at p_j."""
    p = np.asarray(pts, float)
    x = p if shape == "exponential" else np.log(p)
    eps = np.broadcast_to(np.asarray(eps, float), (len(Ms),))
    T = np.array([hitting_steps(ck, M, e) for M, e in zip(Ms, eps)])
    if not np.isfinite(T).all():
        miss = ", ".join(f"{v:g}" for v, t in zip(p, T) if not np.isfinite(t))
        return stats.Outcome("INCONCLUSIVE", math.nan, limit, (math.nan, math.nan), None, "growth",
                             f"eps = {eps[-1]:g} not reached within {int(ck[-1])} steps at p = {miss}: raise N or eps"), None
    slope = float(_slope(x, np.log(T)))
    idx = _paired_idx(Ms[0].shape[0], B, seed)
    with np.errstate(divide="ignore", invalid="ignore"):
        boot = np.array([_slope(x, np.log([hitting_steps(ck, M[i], e) for M, e in zip(Ms, eps)])) for i in idx])
    boot = np.where(np.isnan(boot), np.inf, boot)
    lo, hi = (float(v) for v in np.quantile(boot, [alpha / 2, 1 - alpha / 2]))
    what = "log T vs p" if shape == "exponential" else "log T vs log p"
    if shape == "exponential":
        thr = limit - tol
        v = "FAIL" if hi < thr else "PASS" if lo >= thr else "INCONCLUSIVE"
        res = evidence.exponent(hi - thr, "an overstatement of the exponential rate") if v == "PASS" else None
    else:
        thr = limit + tol
        v = "FAIL" if lo > thr else "PASS" if hi <= thr else "INCONCLUSIVE"
        res = evidence.exponent(thr - lo, "an understatement of the polynomial degree") if v == "PASS" else None
    why = "" if v == "PASS" else f"slope of {what} CI [{lo:.3f}, {hi:.3f}] vs claimed {shape} limit {limit:g} (tol {tol:g})"
    o = stats.Outcome(v, slope, limit, (lo, hi), None,
                      f"OLS slope of {what}, T = first step with mean metric <= eps = bound (geometric checkpoints, "
                      f"{GROWTH_PER_DECADE} per decade), paired percentile bootstrap over runs B={B}", why)
    return o, res


def growth_mc(b, runs: int, seed: int, note, res, budget) -> stats.Verdict:
    """Run a growth claim: one engine run per value of p at the step budget N, dense checkpoints."""
    from ..engine import checkpoints as _ck
    from ..engine import run

    c = b.claim
    n = int(c.check.N[0])
    ck = _ck.geometric(n, GROWTH_PER_DECADE)
    Ms = []
    for x in b.points:
        st = b.setting_at(float(x))
        note(f"{c.check.over}={x:g}")
        r = run(st["algorithm"], st["function"], st["noise"], n_steps=n, n_runs=runs, seed=seed, checkpoints=ck,
                iterates=[c.iterate])
        need = {"grad_sq" if q == "grad_norm" else q for q in c.quantities}
        Ms.append(b.metric(**{q: np.asarray(r[f"{q}@{c.iterate}"], float).T for q in need}))
        res.kernels += [k for k in [r.meta["kernel_hash"]] if k not in res.kernels]
        res.versions = r.meta["versions"]
    Ms = [np.where(np.isnan(M), np.inf, M) for M in Ms]
    eps = b.bound(b.points)
    T = [hitting_steps(ck, M, e) for M, e in zip(Ms, eps)]
    res.data["mc"] = (np.asarray(b.points), np.asarray(T, float)[None, :])
    alpha = budget.per_test_alpha if budget is not None else (1 - c.check.confidence)
    o, r_ = growth(b.points, ck, Ms, eps, c.compare.shape, c.compare.limit, c.check.tolerance, alpha,
                   c.check.bootstrap, c.check.seed)
    return stats.Verdict(
        c.id, c.kind, o.verdict, c.expected, measured=o.measured, bound=o.bound, ci=o.ci, N=None,
        over=c.check.over, engine="mc", iterate=c.iterate, index=c.check.index, runs=runs, seeds=[seed],
        confidence=c.check.confidence, tolerance=c.check.tolerance,
        method=f"compare growth ({c.compare.shape}): " + o.method, reason=o.reason, points=[asdict(o)],
        budget=budget.as_dict() if budget is not None else None,
        resolution=r_.as_dict() if r_ is not None else None,
        evidence=c.thresholds.grade(r_) if r_ is not None else None)

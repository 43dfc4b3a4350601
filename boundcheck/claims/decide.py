"""From measurements to a claim's ``stats.Verdict``: the claim's kind picks the test, the budget
picks the level, and every per-N outcome is kept.

    budget = stats.Budget(1 - confidence, sum(c.n_tests() for c in claims))
    v = decide(binding, values, engine="mc", budget=budget, seeds=[...])

``values`` has shape (runs, len(binding.points)): the claim's metric (``Binding.metric``) for each
run at each grid point (each horizon N, or each value of ``check.over`` at the single N); for ``engine="pep"`` one row of PEP values (upper, certified) per N.
Exact data (PEP, or Monte Carlo of a deterministic method without noise) are compared within
the tolerance and spend no false-alarm budget; everything else is tested at the budget's
per-test level (Bonferroni, so P(any false FAIL) <= the family alpha).
"""
from __future__ import annotations

from dataclasses import asdict
from typing import Sequence

import numpy as np

from .. import stats
from .binding import Binding
from .resolution import resolution


def collect(b: Binding, results) -> np.ndarray:
    """The claim's metric as a (runs, len(points)) array from engine results: one ``Results``
    whose checkpoints are the N grid (a horizon-independent setting), or a sequence of them, one
    per grid point, each read at its last checkpoint. ``results[f"{q}@{iterate}"]`` must be an
    (n_checkpoints, n_runs) array (NaN for diverged runs) for every quantity the metric needs."""
    c = b.claim
    seq = results if isinstance(results, (list, tuple)) else None
    need = [q for q in c.quantities if q != "grad_norm"] + (["grad_sq"] if "grad_norm" in c.quantities else [])
    cols = {}
    for q in dict.fromkeys(need):
        name = f"{q}@{c.iterate}"
        if seq is None:
            ck = [int(x) for x in results.checkpoints]
            if c.check.over != "N" or ck != [int(n) for n in c.check.N]:
                raise ValueError(f"collect: checkpoints {ck} are not the claim's N grid {list(c.check.N)}; "
                                 f"pass one result per grid point")
            cols[q] = np.asarray(results[name], dtype=float).T
        else:
            if len(seq) != len(b.points):
                raise ValueError(f"collect: {len(seq)} results for {len(b.points)} grid points")
            cols[q] = np.stack([np.asarray(r[name], dtype=float)[-1] for r in seq], axis=1)
    return b.metric(**cols)


def skip_verdict(b: Binding, engine: str = "mc") -> stats.Verdict:
    c = b.claim
    return stats.Verdict(c.id, c.kind, "SKIP", c.expected, engine=engine, iterate=c.iterate, index=c.check.index,
                         confidence=c.check.confidence, tolerance=c.check.tolerance, reason=b.skip_reason or "")


def decide(b: Binding, values, *, engine: str = "mc", budget: stats.Budget | None = None,
           seeds: Sequence[int] | None = None, exact: bool | None = None) -> stats.Verdict:
    """The verdict of the claim bound in ``b`` on ``values`` (runs x len(N)); SKIP if its
    assumptions fail. ``exact`` defaults to PEP or a deterministic claim."""
    c = b.claim
    if b.skip_reason:
        return skip_verdict(b, engine)
    N = b.points
    X = np.asarray(values, dtype=float)
    if X.ndim == 1:
        X = X.reshape(-1, N.size)
    if X.shape[1] != N.size:
        raise ValueError(f"decide: values must have one column per grid point {c.check.over} in {list(N)} "
                         f"(got shape {X.shape})")
    exact = (engine == "pep" or c.deterministic) if exact is None else exact
    alpha = budget.per_test_alpha if budget is not None else (1 - c.check.confidence) / max(1, c.n_tests((engine,)))
    tol = c.check.tolerance
    if c.kind == "rate":
        stat = "mean" if c.delta is None else 1 - c.delta
        fit = stats.slope_fit(N, X, alpha=alpha, B=c.check.bootstrap, seed=c.check.seed, fit_from=c.check.fit_from,
                              stat=stat)
        o = stats.rate_test(fit, b.exponent(), tol, c.sense)
        points = [o]
    else:
        bounds = b.bound(N)
        points = []
        for j, n in enumerate(N):
            if c.kind == "high_prob":
                o = stats.quantile_test(X[:, j], bounds[j], c.delta, alpha)
            else:
                o = stats.mean_test(X[:, j], bounds[j], c.kind, alpha, tol, exact=exact)
            o.N = int(n) if c.check.over == "N" else float(n)
            points.append(o)
        o = stats.combine(points, c.kind)
    diverged = int(np.sum(~np.isfinite(X)))
    reason = o.reason + (f"; {diverged} diverged run(s) counted as unbounded" if diverged else "")
    res = grade = None
    if o.verdict == "PASS":  # what the same data would have caught (claims/resolution.py)
        r = resolution(c.kind, points, X, None if c.kind == "rate" else bounds, tol=tol, alpha=alpha,
                       delta=c.delta, exact=exact, exponent=o.bound if c.kind == "rate" else None, sense=c.sense)
        res, grade = r.as_dict(), c.thresholds.grade(r)
    return stats.Verdict(
        c.id, c.kind, o.verdict, c.expected, measured=o.measured, bound=o.bound, ci=o.ci, p_value=o.p_value,
        N=o.N, over=c.check.over, engine=engine, iterate=c.iterate, index=c.check.index, runs=X.shape[0],
        seeds=list(seeds) if seeds is not None else [c.check.seed], confidence=c.check.confidence,
        tolerance=tol, method=o.method + ("" if exact else f"; per-test alpha {alpha:.3g}"), reason=reason.strip("; "),
        points=[asdict(p) for p in points], budget=budget.as_dict() if budget is not None else None,
        resolution=res, evidence=grade)


__all__ = ["decide", "collect", "skip_verdict"]

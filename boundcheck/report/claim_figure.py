"""One claim's figure: the measured statistic against the grid variable, with what it means.

``draw(ax, r, budget)`` draws one verify ``ClaimResult`` on an axes and returns the legend
entries; the grid (``figures.grid``) and the per-claim SVG of the HTML report both use it.

What is drawn, and how it is labelled:

* mc, noisy: the mean (or the claimed quantile) over the runs, circles joined by a thin line;
* mc, deterministic (one run): the value, circles only; pep: the certified worst case (the
  PEP optimum over the whole class), a solid line without markers, so that when the two
  coincide (a tight claim) both stay visible;
* the band: the per-point intervals the verdict used (Bonferroni-adjusted, each at level
  1 - alpha/m; together simultaneous at level >= 1 - alpha). A rate claim tests the slope only,
  so its band is a pointwise 95% bootstrap band of the statistic, labelled as display-only;
* the bound (value claims) or the claimed exponent anchored at the first point (rate claims);
* a grid point where every run diverged (non-finite metric) is a red x at the top of the axes, and
  a grid point an engine has no value for is a grey bar at the bottom;
* a PASS with weak evidence is drawn hollow.
"""
from __future__ import annotations

import math
import textwrap
import warnings

import numpy as np

STAT_COLOR = {"mc": "C0", "pep": "C3", "runner": "C2"}
WRAP = 62  # characters per line of a formula under a title


def metric_label(c) -> str:
    return f"{c.metric} at iterate {c.iterate}"


def subtitle(c) -> str:
    """The claimed formula, wrapped to fit under a panel's title."""
    text = f"claimed: {c.kind} {c.bound_text}" + (f"; exponent {c.exponent_text}" if c.exponent_text else "")
    return "\n".join(textwrap.wrap(text, WRAP, break_long_words=True)) or "claimed: -"


def _stat(X: np.ndarray, q: float | None) -> np.ndarray:
    if X.shape[0] == 1:
        return X[0]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-diverged point: NaN, marked below
        return np.quantile(X, q, axis=0) if q else np.nanmean(X, axis=0)


def _band(v, xs) -> tuple[np.ndarray, np.ndarray] | None:
    """The verdict's own per-point interval at each x (None when it tested one slope)."""
    by_n = {p.get("N") if isinstance(p, dict) else p.N: p for p in (v.points or [])}
    if not by_n or None in by_n:
        return None
    lo, hi = [], []
    for x in xs:
        p = by_n.get(x)
        ci = None if p is None else (p["ci"] if isinstance(p, dict) else p.ci)
        lo.append(np.nan if ci is None or ci[0] is None else ci[0])
        hi.append(np.nan if ci is None or ci[1] is None else ci[1])
    return np.asarray(lo, float), np.asarray(hi, float)


def _bootstrap(X, q) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    idx = rng.integers(0, X.shape[0], size=(300, X.shape[0]))
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        boots = np.quantile(X[idx], q, axis=1) if q else np.nanmean(X[idx], axis=1)
        return tuple(np.nanquantile(boots, [0.025, 0.975], axis=0))


def draw(ax, r, budget) -> None:
    """Draw claim result ``r`` on ``ax`` (labels, scales, legend entries; no legend box)."""
    c, b = r.claim, r.binding
    q = 1 - c.delta if c.delta else None
    weak = r.verdict.verdict == "PASS" and r.evidence == "weak"
    ys_all, diverged_x, missing = [], [], []
    grid_pts = np.asarray(b.points, float) if b is not None else np.array([])
    for e, (xs, X) in r.data.items():
        xs = np.asarray(xs, float)
        missing += [(e, x) for x in grid_pts if not np.any(np.isclose(xs, x))]
        X = np.atleast_2d(np.asarray(X, float))
        X = np.where(np.isfinite(X), X, np.nan)
        dead = np.all(np.isnan(X), axis=0)
        diverged_x += list(xs[dead])
        stat = _stat(X, q)
        color = STAT_COLOR.get(e, "C4")
        what = f"q{q:g}" if q else "mean"
        if e == "pep":
            ax.plot(xs, stat, "-", marker="_", ms=16, mew=2.2, lw=2.2, color=color, alpha=0.8,
                    label=f"pep: certified worst case of {c.metric}")
        else:
            det = X.shape[0] == 1
            lab = (f"{e}: {c.metric} (deterministic, one run)" if det
                   else f"{e}: {what} of {c.metric} over {X.shape[0]} runs")
            ax.plot(xs, stat, "o" if det else "o-", lw=0.8, ms=5, color=color, label=lab,
                    mfc="white" if weak else color, mec=color)
        ys_all += list(stat[np.isfinite(stat)])
        v = r.engines.get(e)
        band = _band(v, xs) if v is not None and X.shape[0] > 1 else None
        if band is not None:
            ax.fill_between(xs, band[0], band[1], color=color, alpha=0.2, lw=0,
                            label=f"{e}: verdict's CI per point, Bonferroni, each "
                                  f"{1 - budget.per_test_alpha:.4g}; simultaneous >= {1 - budget.family_alpha:g}")
            ys_all += [y for y in np.concatenate(band) if np.isfinite(y)]
        elif X.shape[0] > 1:
            lo, hi = _bootstrap(X, q)
            ax.fill_between(xs, lo, hi, color=color, alpha=0.2, lw=0,
                            label=f"{e}: pointwise 95% bootstrap band (display only; the verdict tests the slope)")
    if c.kind != "compare" and b is not None and r.data:
        xs = np.asarray(b.points, float)
        bnd = np.asarray(b.bound(xs), float)
        if c.kind == "rate":  # only the exponent is claimed: anchor the bound at the first point
            X0 = np.atleast_2d(np.asarray(next(iter(r.data.values()))[1], float))
            s0 = _stat(X0, q)[0]
            bnd = bnd / bnd[0] * s0
            lab = f"claimed slope {b.exponent():.3g} (anchored at the first point)"
        else:
            lab = "claimed bound (formula under the title)"
        if np.all(np.isfinite(bnd)):
            ax.plot(xs, bnd, "k--", marker="_" if len(xs) == 1 else None, ms=12, lw=1.2, label=lab)
            ys_all += list(bnd[bnd > 0])
    _scales(ax, c, r, ys_all)
    if diverged_x:
        top = ax.get_ylim()[1]
        ax.plot(diverged_x, [top] * len(diverged_x), "x", color="tab:red", ms=9, mew=2, clip_on=False,
                label="every run diverged here (non-finite metric; counted as +inf)")
    if missing:
        bottom = ax.get_ylim()[0]
        ax.plot([x for _, x in missing], [bottom] * len(missing), "|", color="0.35", ms=14, mew=2, clip_on=False,
                label=f"no value at this {c.check.over} ({', '.join(sorted({e for e, _ in missing}))}: not computed there)")
    if weak:
        ax.plot([], [], "o", mfc="white", mec="0.3", label="hollow: PASS with weak evidence")
    ax.set_xlabel(c.check.over if c.check.over != "N" else "N (iterations)")
    ax.set_ylabel(metric_label(c))


def _scales(ax, c, r, ys) -> None:
    """log x for horizons spanning a decade; log y only when the values span more than a decade,
    else linear around them, so that no axis repeats one tick label or needs an offset."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    fmt = FuncFormatter(lambda v, _: f"{v:.4g}" if abs(v) < 1e4 or abs(v) >= 1e7 else f"{v:.0f}")
    pts = np.asarray(r.binding.points if r.binding is not None else [1], float)
    if np.all(pts > 0) and pts.max() / pts.min() >= 10:
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        ax.xaxis.set_major_formatter(fmt)
        ax.xaxis.set_minor_formatter(NullFormatter())
    elif len(pts) == 1:
        ax.set_xticks(pts)
    ys = [y for y in ys if math.isfinite(y)]
    pos = [y for y in ys if y > 0]
    if pos and len(pos) == len(ys) and max(pos) / min(pos) >= 10:
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0) if max(pos) / min(pos) < 1e3 else (1.0,)))
        ax.yaxis.set_major_formatter(fmt)
        ax.yaxis.set_minor_formatter(NullFormatter())
    elif ys:
        lo, hi = min(ys), max(ys)
        pad = max(0.08 * (hi - lo), 0.05 * max(abs(lo), abs(hi)), 1e-12)
        ax.set_ylim(lo - pad, hi + pad)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.4g}"))


def title(r) -> str:
    v = r.verdict
    ev = f", {r.evidence} evidence" if r.evidence else ""
    return f"{r.claim.id}: {v.verdict}{ev}"


__all__ = ["draw", "title", "subtitle", "metric_label"]

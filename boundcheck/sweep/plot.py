"""Phase diagrams: what each claim measured across the swept parameter, against what it claims.

One panel per claim that measured something. The x axis is the first swept numeric key (not
``seed``/``runs``); the other swept keys give one series each.

* rate claims: the fitted exponent of N with its confidence interval (at the sweep's per-test
  level) at every grid point, and the claimed exponent as a curve in the swept parameter
  (e.g. -2(alpha-1)/(3alpha-2)), evaluated by binding the claim on a fine grid; ``sense = upper``
  claims allow any exponent below the curve (+ tolerance), shaded;
* other kinds: the measured statistic and the bound at the reported point (log scale).

Markers: filled = judged (PASS green, FAIL red, INCONCLUSIVE orange); hollow grey = measured
outside the claim's check regime, not judged. Written atomically.
"""
from __future__ import annotations

from typing import Sequence

from .grid import RUN_KEYS, fmt

COLORS = {"PASS": "tab:green", "FAIL": "tab:red", "INCONCLUSIVE": "tab:orange", "SKIP": "0.55"}


def x_key(keys: Sequence[str], rows: Sequence[dict]) -> str:
    """The first swept key with numeric values that is not seed/runs (else the first key)."""
    for k in keys:
        if k not in RUN_KEYS and rows and isinstance(rows[0].get(k), (int, float)):
            return k
    return keys[0]


def claimed_curve(claim, key: str, xs, fixed: dict):
    """The claimed exponent at each x (None where the claim cannot be bound there)."""
    from ..errors import UsageError
    from ..verify.core import overrides_for
    from .core import overrides_of

    out = []
    for x in xs:
        ov, _, _ = overrides_of({**fixed, key: float(x)})
        try:
            out.append(claim.bind(overrides_for(claim, ov)).exponent())
        except (UsageError, ValueError, ZeroDivisionError):
            out.append(float("nan"))
    return out


def plot(result, path: str) -> None:
    """The phase diagram, saved atomically (format from the extension: .png, .pdf, .svg)."""
    from ..atomic import save_figure

    plt, fig = figure(result)
    try:
        save_figure(fig, path)
    finally:
        plt.close(fig)


def svg(result) -> str:
    """The phase diagram as an inline ``<svg>`` element (for the HTML report)."""
    from ..report.figures import inline_svg

    return inline_svg(lambda: figure(result)[1])


def figure(result):
    """(pyplot, figure): one panel per claim on the fixed cell layout, legends below the axes."""
    import numpy as np

    from ..report.figures import cells, legend_below

    plan, rows = result.plan, result.rows
    keys = plan.keys
    xk = x_key(keys, rows)
    others = [k for k in keys if k != xk]
    # claims that measured something and depend on the x key (the others are flat: table only)
    claims = [c for c in plan.claims
              if any(r["claim"] == c.id and r["measured"] is not None and xk not in r["not_applicable"].split(",")
                     for r in rows)]
    plt, fig, axes = cells(len(claims), 2, f"no claim that depends on {xk} was measured")
    numeric = all(isinstance(r.get(xk), (int, float)) for r in rows)
    for ax, c in zip(axes, claims):
        mine = [r for r in rows if r["claim"] == c.id]
        series = sorted({tuple(r[k] for k in others) for r in mine}, key=repr)
        drawn: list = []  # claimed curves already drawn (replicates over seed share one)
        for si, sv in enumerate(series):
            sel = [r for r in mine if tuple(r[k] for k in others) == sv]
            lab = ", ".join(f"{k}={fmt(v)}" for k, v in zip(others, sv))
            xs = [r[xk] if numeric else str(r[xk]) for r in sel]
            style = dict(color=f"C{si % 10}") if series and len(series) > 1 else dict(color="C0")
            ys = [np.nan if r["measured"] is None else r["measured"] for r in sel]
            ax.plot(xs, ys, "-", lw=0.8, alpha=0.6, label=f"series {lab} (line colour)" if lab else None, **style)
            for r, x in zip(sel, xs):
                if r["measured"] is None:
                    continue
                lo = r["measured"] - r["ci_low"] if r["ci_low"] is not None else 0.0
                hi = r["ci_high"] - r["measured"] if r["ci_high"] is not None else 0.0
                judged = r["judged"]
                ax.errorbar([x], [r["measured"]], yerr=[[max(lo, 0)], [max(hi, 0)]], fmt="o", ms=6, capsize=3,
                            mfc=COLORS[r["verdict"]] if judged else "white",
                            mec=COLORS[r["verdict"]] if judged else "0.4", ecolor="0.4" if not judged else style["color"])
            if c.kind == "rate" and numeric and xk not in RUN_KEYS:
                fine = np.linspace(min(xs), max(xs), 121)
                curve = np.asarray(claimed_curve(c, xk, fine, dict(zip(others, sv))), float)
                if any(np.allclose(curve, d, equal_nan=True) for d in drawn):
                    continue
                ax.plot(fine, curve, "k--", lw=1.2, label="claimed exponent" + (f" ({lab})" if drawn else ""))
                drawn.append(curve)
                tol = c.check.tolerance
                if c.sense == "upper":
                    ax.fill_between(fine, curve + tol, -1e6, color="0.85", alpha=0.5, lw=0,
                                    label=f"allowed (O(): faster decay, tolerance {tol:g})" if len(drawn) == 1 else None)
                elif c.sense == "lower":
                    ax.fill_between(fine, curve - tol, 1e6, color="0.85", alpha=0.5, lw=0,
                                    label=f"allowed (Omega(), tolerance {tol:g})" if len(drawn) == 1 else None)
                else:
                    ax.fill_between(fine, curve - tol, curve + tol, color="0.85", alpha=0.5, lw=0,
                                    label=f"tolerance {tol:g}" if len(drawn) == 1 else None)
            elif c.kind != "rate":
                bs = [np.nan if r["bound"] is None else r["bound"] for r in sel]
                ax.plot(xs, bs, "k--", lw=1.2, label="bound" + (f" ({lab})" if lab else ""))
        if c.kind == "rate":
            meas = [r["measured"] for r in mine if r["measured"] is not None]
            lo = min(meas + [r["ci_low"] for r in mine if r["ci_low"] is not None])
            hi = max(meas + [r["ci_high"] for r in mine if r["ci_high"] is not None] + [r["bound"] for r in mine
                                                                                      if r["bound"] is not None])
            pad = 0.15 * max(hi - lo, 0.1)
            ax.set_ylim(lo - pad, hi + pad)
            ax.set_ylabel(f"fitted exponent of {c.check.over} ({c.metric}@{c.iterate})", fontsize=8)
        else:
            ax.set_yscale("log")
            ax.set_ylabel(f"{c.metric}@{c.iterate} at the reported point", fontsize=8)
        ax.set_xlabel(xk)
        import textwrap

        claimed = "\n".join(textwrap.wrap(f"claimed: {c.exponent_text or c.bound_text}", 62))
        ax.set_title(f"{c.id}\n{claimed}", fontsize=9, loc="left")
        for v in COLORS:  # the marker colours, explained
            if any(r["verdict"] == v and r["judged"] for r in mine if r["measured"] is not None):
                ax.plot([], [], "o", mfc=COLORS[v], mec=COLORS[v], ls="none", label=f"marker: {v} (judged)")
        if any(not r["judged"] for r in mine if r["measured"] is not None):
            ax.plot([], [], "o", mfc="white", mec="0.4", ls="none", label="measured outside the check regime (not judged)")
        if rows:
            ax.plot([], [], " ", label=f"bars: CI at the per-test level {rows[0]['per_test_alpha']:.2g} "
                                       f"(Bonferroni over the sweep's {plan.budget_tests} tests)")
        legend_below(ax)
    return plt, fig


__all__ = ["plot", "svg", "figure", "claimed_curve", "x_key"]

"""The verify figures (issue 17): structure, not pixels. Each panel names its metric and iterate,
labels the PEP values as the certified worst case, keeps mc and pep apart when they coincide,
labels bands with their coverage, marks diverged points, draws a weak PASS hollow; on the grid,
every legend lies outside every axes and no text leaves the figure."""
import dataclasses
import textwrap

import numpy as np
import pytest

from test_verify import T01

LONG = ("L*R^2/(2*((1 + sqrt(8*((1 + sqrt(4*((1 + sqrt(4*((1 + sqrt(4*(1)^2 + 1))/2)^2 + 1))/2)^2 + 1))/2)^2 "
        "+ 1))/2)^2)")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from boundcheck.claims import load_catalogue
    from boundcheck.verify import parse_overrides, verify_claims

    d = tmp_path_factory.mktemp("fig")
    (d / "a.toml").write_text(textwrap.dedent(T01.format(id="T01-gd-tight", bound="L*R^2/(4*N*h + 2)", expected="PASS")))
    # an upper bound with a long formula (loose: PASS, the figure must still fit its panel)
    (d / "b.toml").write_text(textwrap.dedent(T01.format(id="T01-long-formula", bound=LONG + " * 50 / N", expected="PASS"))
                              .replace('kind = "tight"', 'kind = "upper"'))
    return verify_claims(load_catalogue([str(d)]), parse_overrides(None, None), command="test")


def _noisy(r, diverge_at=None):
    """A copy of a claim result with 5 noisy mc runs and the verdict's per-point intervals."""
    from boundcheck.stats import Outcome

    xs, X = r.data["mc"]
    rng = np.random.default_rng(1)
    X = np.asarray(X, float) * (1 + 0.05 * rng.standard_normal((5, len(xs))))
    if diverge_at is not None:
        X[:, diverge_at] = np.inf
    v = r.engines["mc"]
    pts = [dataclasses.asdict(Outcome("PASS", float(m), 1.0, (float(m) * 0.9, float(m) * 1.1), None, "t", N=x))
           for x, m in zip(xs, X.mean(axis=0))]
    return dataclasses.replace(r, data={"mc": (xs, X)}, engines={"mc": dataclasses.replace(v, points=pts)})


def _draw(r, budget):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from boundcheck.report import claim_figure

    fig, ax = plt.subplots()
    claim_figure.draw(ax, r, budget)
    labels = ax.get_legend_handles_labels()[1]
    return fig, ax, labels


def test_panel_structure_names_metric_iterate_and_the_pep_worst_case(report):
    import matplotlib.pyplot as plt

    r = report.results[0]
    fig, ax, labels = _draw(r, report.budget)
    assert ax.get_ylabel() == "f_gap at iterate last" and ax.get_xlabel().startswith("N")
    assert "pep: certified worst case of f_gap" in labels
    assert "mc: f_gap (deterministic, one run)" in labels and "claimed bound (formula under the title)" in labels
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    mc, pep = lines["mc: f_gap (deterministic, one run)"], lines["pep: certified worst case of f_gap"]
    # they coincide (a tight claim): the mc values are markers only, the pep values a line
    np.testing.assert_allclose(mc.get_ydata(), pep.get_ydata(), rtol=1e-6)
    assert mc.get_linestyle() == "None" and mc.get_marker() == "o" and pep.get_linestyle() == "-"
    assert not any("bootstrap" in s or "95%" in s for s in labels)  # no band for one deterministic run
    labs = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert len(labs) == len(set(labs))  # no repeated tick label
    plt.close(fig)


def test_bands_carry_their_bonferroni_coverage_and_diverged_points_are_marked(report):
    import matplotlib.pyplot as plt

    r = _noisy(report.results[0], diverge_at=2)
    fig, ax, labels = _draw(r, report.budget)
    band = [s for s in labels if "CI per point" in s]
    assert band and "Bonferroni" in band[0] and f"simultaneous >= {1 - report.budget.family_alpha:g}" in band[0]
    assert f"{1 - report.budget.per_test_alpha:.4g}" in band[0]
    div = [ln for ln in ax.get_lines() if ln.get_label().startswith("every run diverged")]
    assert len(div) == 1 and list(div[0].get_xdata()) == [r.data["mc"][0][2]] and div[0].get_marker() == "x"
    plt.close(fig)


def test_grid_points_without_a_value_are_marked(report):
    import matplotlib.pyplot as plt

    r = report.results[0]
    xs, X = r.data["mc"]
    keep = [i for i in range(len(xs)) if i != 1]
    r2 = dataclasses.replace(r, data={**r.data, "mc": ([xs[i] for i in keep], np.asarray(X, float)[:, keep])})
    fig, ax, labels = _draw(r2, report.budget)
    miss = [ln for ln in ax.get_lines() if ln.get_label().startswith("no value at this N")]
    assert len(miss) == 1 and list(miss[0].get_xdata()) == [xs[1]] and "mc" in miss[0].get_label()
    plt.close(fig)
    fig, ax, labels = _draw(r, report.budget)
    assert not any(s.startswith("no value") for s in labels)
    plt.close(fig)


def test_weak_pass_is_drawn_hollow(report, monkeypatch):
    import matplotlib.pyplot as plt

    from boundcheck.verify.core import ClaimResult

    r = report.results[0]
    monkeypatch.setattr(ClaimResult, "evidence", property(lambda self: "weak"))
    fig, ax, labels = _draw(r, report.budget)
    mc = [ln for ln in ax.get_lines() if ln.get_label().startswith("mc:")][0]
    assert mc.get_markerfacecolor() == "white" and "hollow: PASS with weak evidence" in labels
    plt.close(fig)
    monkeypatch.undo()
    fig, ax, _ = _draw(r, report.budget)
    mc = [ln for ln in ax.get_lines() if ln.get_label().startswith("mc:")][0]
    assert mc.get_markerfacecolor() != "white"
    plt.close(fig)


def _inside(inner, outer, tol=0.5) -> bool:
    return (inner.x0 >= outer.x0 - tol and inner.y0 >= outer.y0 - tol and inner.x1 <= outer.x1 + tol
            and inner.y1 <= outer.y1 + tol)


def test_grid_legends_lie_outside_the_axes_and_no_text_leaves_the_figure(report):
    import matplotlib.pyplot as plt

    from boundcheck.report.figures import grid

    r0 = report.results[0]
    xs, X = r0.data["mc"]
    flat = dataclasses.replace(r0, data={"mc": (xs, 0.0185881366 + 1e-9 * np.asarray(X, float))})  # long tick labels
    results = list(report.results) + [_noisy(r0, diverge_at=1)] * 2 + [flat]
    fig = grid(results, report.budget)
    fig.canvas.draw()
    rend = fig.canvas.get_renderer()
    axes = fig.axes
    assert len(axes) == 5
    fbox = fig.bbox
    for ax in axes:
        assert ax.get_title(loc="left").split(":")[0] in {r.claim.id for r in results}
        leg = ax.get_legend()
        assert leg is not None
        lb = leg.get_window_extent(rend)
        for other in axes:
            assert not lb.overlaps(other.get_window_extent(rend)), (ax.get_title(loc="left"), other.get_title(loc="left"))
        # everything drawn for the panel (titles, tick labels, axis labels, legend) is inside the figure
        assert _inside(ax.get_tightbbox(rend), fbox), ax.get_title(loc="left")
        for t in [ax.xaxis.label, ax.yaxis.label] + leg.get_texts():
            assert _inside(t.get_window_extent(rend), fbox), t.get_text()
        # the panel (title, axes, tick labels, legend) stays in its own cell: no two panels overlap
        tb = ax.get_tightbbox(rend)
        for other in axes:
            if other is not ax:
                assert not tb.overlaps(other.get_tightbbox(rend))
    plt.close(fig)


@pytest.mark.parametrize("ext,magic", [("png", b"\x89PNG"), ("pdf", b"%PDF"), ("svg", b"<?xml")])
def test_plot_format_follows_the_extension(report, tmp_path, ext, magic):
    from boundcheck.verify import render

    p = tmp_path / f"plot.{ext}"
    render.plot(report, str(p))
    assert p.read_bytes()[:len(magic)] == magic

"""Figure layout shared by the verify and sweep plots (matplotlib, Agg backend): a fixed grid of
cells, each with its axes at a fixed place, the title above and the legend below (outside the axes)."""
from __future__ import annotations

import math


# --------------------------------------------------------------------------- fixed claim grid
CELL = (7.2, 5.3)  # inches per claim: title + wrapped formula, axes, legend below the axes
AXES = (1.3, 1.75, 5.6, 2.65)  # left, bottom, width, height inside a cell (inches)


def cells(n: int, cols: int = 2, empty: str = "nothing to plot"):
    """A figure with ``n`` axes on the fixed cell layout (CELL, AXES): returns (plt, fig, axes)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cols = max(1, min(cols, n))
    rows = math.ceil(max(1, n) / cols)
    W, H = CELL[0] * cols, CELL[1] * rows
    fig = plt.figure(figsize=(W, H))
    if not n:
        fig.text(0.5, 0.5, empty, ha="center", va="center")
    l, b, w, h = AXES
    axes = [fig.add_axes(((CELL[0] * (i % cols) + l) / W, (CELL[1] * (rows - 1 - i // cols) + b) / H, w / W, h / H))
            for i in range(n)]
    return plt, fig, axes


def legend_below(ax, fontsize: float = 7.5, width: int = 85) -> None:
    """The axes' legend under its x label, outside the axes, inside its cell (text wrapped)."""
    import textwrap

    handles, labels = ax.get_legend_handles_labels()
    if handles:
        labels = ["\n".join(textwrap.wrap(s, width)) for s in labels]
        _, _, w, h = AXES
        ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(-1.1 / w, -0.5 / h), fontsize=fontsize,
                  frameon=False, borderaxespad=0.0)


def grid(results, budget, path: str | None = None, cols: int = 2):
    """One panel per claim result that produced data, on a fixed layout (no tight_layout, so a long
    formula or legend never squeezes or pushes another panel). Saves to ``path`` (atomically, format
    from the extension) when given; returns the figure otherwise."""
    from . import claim_figure

    ran = [r for r in results if r.data]
    plt, fig, axes = cells(len(ran), cols, "no claim ran (all SKIP)")
    for ax, r in zip(axes, ran):
        claim_figure.draw(ax, r, budget)
        ax.tick_params(labelsize=8)
        ax.xaxis.label.set_size(9)
        ax.yaxis.label.set_size(9)
        ax.set_title(claim_figure.title(r) + "\n" + claim_figure.subtitle(r.claim), fontsize=9, loc="left")
        legend_below(ax)
    if path is None:
        return fig
    from ..atomic import save_figure

    try:
        save_figure(fig, path)
    finally:
        plt.close(fig)


def inline_svg(make) -> str:
    """The figure ``make()`` returns, as an inline ``<svg>`` element (text kept as text,
    deterministic ids); the figure is closed."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "boundcheck"}):
        fig = make()
        buf = io.StringIO()
        try:
            fig.savefig(buf, format="svg", metadata={"Date": None})
        finally:
            plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]


def claim_svg(r, budget) -> str:
    """One claim's figure as an inline ``<svg>`` element."""
    return inline_svg(lambda: grid([r], budget))


__all__ = ["cells", "legend_below", "grid", "inline_svg", "claim_svg", "CELL", "AXES"]

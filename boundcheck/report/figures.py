"""Figure layout shared by the verify and sweep plots (matplotlib, Agg backend)."""
from __future__ import annotations

import math


def panels(n: int, empty: str, size: tuple[float, float] = (5.0, 3.8), max_cols: int = 3):
    """A figure with one panel per item (``n`` items, up to ``max_cols`` per row; unused panels
    hidden); with ``n = 0`` a single panel saying ``empty``. Returns (plt, fig, flat axes)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cols = min(max_cols, max(1, n))
    rows = math.ceil(max(1, n) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(size[0] * cols, size[1] * rows), squeeze=False)
    flat = list(axes.ravel())
    for ax in flat[n:]:
        ax.axis("off")
    if not n:
        flat[0].text(0.5, 0.5, empty, ha="center", va="center")
    return plt, fig, flat



# --------------------------------------------------------------------------- fixed claim grid
CELL = (7.2, 5.3)  # inches per claim: title + wrapped formula, axes, legend below the axes
AXES = (1.0, 1.75, 5.9, 2.65)  # left, bottom, width, height inside a cell (inches)


def _cell(fig, r, budget, x0: float, y0: float) -> None:
    """One claim in the cell whose lower-left corner is (x0, y0) inches: the axes at a fixed
    place, the title and the wrapped claimed formula above, the legend below (outside the axes)."""
    import textwrap

    from . import claim_figure

    W, H = fig.get_size_inches()
    l, b, w, h = AXES
    ax = fig.add_axes(((x0 + l) / W, (y0 + b) / H, w / W, h / H))
    claim_figure.draw(ax, r, budget)
    ax.tick_params(labelsize=8)
    ax.xaxis.label.set_size(9)
    ax.yaxis.label.set_size(9)
    ax.set_title(claim_figure.title(r) + "\n" + claim_figure.subtitle(r.claim), fontsize=9, loc="left")
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        labels = ["\n".join(textwrap.wrap(s, 85)) for s in labels]
        ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(-0.8 / w, -0.5 / h), fontsize=7.5,
                  frameon=False, borderaxespad=0.0)


def grid(results, budget, path: str | None = None, cols: int = 2):
    """One panel per claim result that produced data, on a fixed layout (no tight_layout, so a long
    formula or legend never squeezes or pushes another panel). Saves to ``path`` (atomically, format
    from the extension) when given; returns the figure otherwise."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ran = [r for r in results if r.data]
    cols = max(1, min(cols, len(ran)))
    rows = math.ceil(max(1, len(ran)) / cols)
    fig = plt.figure(figsize=(CELL[0] * cols, CELL[1] * rows))
    if not ran:
        fig.text(0.5, 0.5, "no claim ran (all SKIP)", ha="center", va="center")
    for i, r in enumerate(ran):
        _cell(fig, r, budget, CELL[0] * (i % cols), CELL[1] * (rows - 1 - i // cols))
    if path is None:
        return fig
    from ..atomic import save_figure

    try:
        save_figure(fig, path)
    finally:
        plt.close(fig)


def claim_svg(r, budget) -> str:
    """One claim's figure as an inline ``<svg>`` element (text kept as text, deterministic ids)."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "boundcheck"}):
        fig = grid([r], budget)
        buf = io.StringIO()
        try:
            fig.savefig(buf, format="svg", metadata={"Date": None})
        finally:
            plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]


__all__ = ["panels", "grid", "claim_svg", "CELL", "AXES"]

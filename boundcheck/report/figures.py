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


__all__ = ["panels"]

"""``sweep --report PATH.md|PATH.html``: the sweep's table, its budget line and (HTML) its phase
diagram as inline SVG, in the format of the extension."""
from __future__ import annotations

from typing import Iterable, Sequence


def write(result, headers: Sequence[str], table: Sequence[Sequence], lines: Sequence[str],
          paths: Iterable[str]) -> None:
    """``table``: the rows as printed (text cells); ``lines``: the paragraphs under the title."""
    from ..atomic import write_text
    from .outputs import report_format

    paths = list(paths)
    if not paths:
        return
    svg = None
    for p in paths:
        if report_format(p) == "md":
            write_text(p, markdown(headers, table, lines))
        else:
            from ..sweep.plot import svg as sweep_svg
            from .html import sweep_page

            if svg is None:
                svg = sweep_svg(result) if any(r["measured"] is not None for r in result.rows) else ""
            write_text(p, sweep_page(headers, table, svg or None, "boundcheck sweep", list(lines)))


def markdown(headers, table, lines) -> str:
    out = ["# boundcheck sweep", ""] + [f"{s}\n" for s in lines]
    out += ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(str(x).replace("|", "\\|") for x in row) + " |" for row in table]
    return "\n".join(out) + "\n"


__all__ = ["write", "markdown"]

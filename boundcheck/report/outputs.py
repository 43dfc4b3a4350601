"""Report and plot outputs chosen by extension: ``--report x.md`` / ``x.html`` (repeatable, so one
run writes both), ``--plot x.png`` / ``.pdf`` / ``.svg``. Unknown extensions are usage errors,
raised before anything runs."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..errors import UsageError

REPORT_FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
PLOT_FORMATS = (".png", ".pdf", ".svg")


def report_format(path: str) -> str:
    ext = Path(path).suffix.lower()
    if ext not in REPORT_FORMATS:
        raise UsageError(f"--report {path}: the format comes from the extension; use .md or .html")
    return REPORT_FORMATS[ext]


def check(report_paths: Iterable[str], plot_path: str | None = None) -> None:
    for p in report_paths:
        report_format(p)
    if plot_path and Path(plot_path).suffix.lower() not in PLOT_FORMATS:
        raise UsageError(f"--plot {plot_path}: the format comes from the extension; use .png, .pdf or .svg")


def write_verify(report, paths: Iterable[str], head: str = "") -> None:
    """Each report path in its format; ``head``: a Markdown paragraph put first (a partial run)."""
    from ..atomic import write_text
    from ..verify import render
    from .html import esc, verify_page

    for p in paths:
        if report_format(p) == "md":
            write_text(p, (head + "\n\n" if head else "") + render.markdown(report))
        else:
            page = verify_page(report)
            if head:
                page = page.replace("<h1>boundcheck verify</h1>",
                                    f"<h1>boundcheck verify</h1><p><b>{esc(head.strip('*'))}</b></p>", 1)
            write_text(p, page)


__all__ = ["report_format", "check", "write_verify", "REPORT_FORMATS", "PLOT_FORMATS"]

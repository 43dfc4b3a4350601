"""Atomic writes: results, reports, plots and certificates appear whole or not at all.

Each writer goes through a temporary file in the target's directory (same file system), flushed
and fsynced, then ``os.replace``: an interrupt or a crash leaves the old file or the new one,
never a truncated one, and no temporary file behind.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable


def _replace_via_temp(path: str | os.PathLike, write: Callable[[str], None]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8, newlines as given) to ``path`` atomically."""
    def put(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)

    return _replace_via_temp(path, put)


def save_figure(fig, path: str | os.PathLike, dpi: int = 110) -> Path:
    """``fig.savefig`` as PNG to ``path`` atomically."""
    return _replace_via_temp(path, lambda tmp: fig.savefig(tmp, dpi=dpi, format="png"))


__all__ = ["write_text", "save_figure"]

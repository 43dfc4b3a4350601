"""The sweep result cache: one JSON file per task, named by the content hash of its inputs.

A task's key (``task.Task.key``) hashes everything that determines its result: the claim's
catalogue file content and id, the overrides, runs, seed, the false-alarm budget it is judged
under, whether out-of-regime points are measured, and ``code_fingerprint()`` (boundcheck's source
and the numeric packages' versions). Entries are written atomically (temporary file in the same
directory, fsync, ``os.replace``), so an interrupted sweep leaves whole entries or none, and a
rerun of the same command resumes: finished tasks are read back, the rest are computed.

Location: ``$BOUNDCHECK_SWEEP_CACHE`` when set; else next to the engine's ``kernels``:
``$BOUNDCHECK_CACHE_DIR/sweeps``, or ``$XDG_CACHE_HOME/boundcheck/sweeps`` (default
``~/.cache/boundcheck/sweeps``).
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from ..atomic import write_text

VERSION = 1  # of the entry format


def cache_dir() -> Path:
    own = os.environ.get("BOUNDCHECK_SWEEP_CACHE")
    if own:
        return Path(own).expanduser()
    from ..engine.cache import cache_dir as kernels

    return kernels().parent / "sweeps"


def _path(key: str, root: Path | None = None) -> Path:
    return (root or cache_dir()) / key[:2] / f"{key}.json"


def load(key: str, root: Path | None = None) -> dict | None:
    """The cached row of ``key``, or None (missing, or unreadable: then it is recomputed)."""
    p = _path(key, root)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("version") != VERSION or doc.get("key") != key:
        return None
    return doc.get("row")


def store(key: str, row: dict, root: Path | None = None) -> Path:
    """Write the entry atomically; returns its path."""
    p = _path(key, root)
    p.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"version": VERSION, "key": key, "row": row}, sort_keys=True)
    write_text(p, text)
    return p


def info(root: Path | None = None) -> dict:
    d = root or cache_dir()
    files = [p for p in d.rglob("*.json")] if d.is_dir() else []
    return {"path": str(d), "n_results": len(files), "bytes": sum(p.stat().st_size for p in files)}


def clear(root: Path | None = None) -> int:
    """Remove every cached sweep result; returns how many."""
    d = root or cache_dir()
    if not d.is_dir():
        return 0
    n = sum(1 for _ in d.rglob("*.json"))
    shutil.rmtree(d, ignore_errors=True)
    return n


__all__ = ["cache_dir", "load", "store", "info", "clear"]

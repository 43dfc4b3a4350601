"""The sweep result cache: one JSON file per task, named by the content hash of its inputs.

A task's key (``task.Task.key``) hashes everything that determines its result: the claim's
catalogue file content and id, the overrides, runs, seed, the false-alarm budget it is judged
under, whether out-of-regime points are measured, and ``code_fingerprint()`` (boundcheck's source
and the numeric packages' versions). Entries are written atomically (temporary file in the same
directory, fsync, ``os.replace``), so an interrupted sweep leaves whole entries or none, and a
rerun of the same command resumes: finished tasks are read back, the rest are computed.

Each entry carries the SHA-256 of its own content (``sha256``, over the canonical JSON of
version, key and row). An entry that does not match it (edited, truncated, not JSON) is never
reported: it is recomputed, with one ``CacheWarning`` naming the file. Entries of an older
format are recomputed silently.

Location: ``$BOUNDCHECK_SWEEP_CACHE`` when set; else next to the engine's ``kernels``:
``$BOUNDCHECK_CACHE_DIR/sweeps``, or ``$XDG_CACHE_HOME/boundcheck/sweeps`` (default
``~/.cache/boundcheck/sweeps``).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from ..atomic import write_text

VERSION = 2  # of the entry format (2: with the sha256 integrity field)


def cache_dir() -> Path:
    own = os.environ.get("BOUNDCHECK_SWEEP_CACHE")
    if own:
        return Path(own).expanduser()
    from ..engine.cache import cache_dir as kernels

    return kernels().parent / "sweeps"


def _path(key: str, root: Path | None = None) -> Path:
    return (root or cache_dir()) / key[:2] / f"{key}.json"


def _digest(version, key, row) -> str:
    body = json.dumps({"version": version, "key": key, "row": row}, sort_keys=True, allow_nan=True)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _bad(p: Path, why: str) -> None:
    from ..engine.cache import warn

    warn(f"sweep cache: {p.name} {why}; recomputing it")


def load(key: str, root: Path | None = None) -> dict | None:
    """The cached row of ``key``, or None (missing, of an older format, or failing its integrity
    check: then it is recomputed, the last with a CacheWarning)."""
    p = _path(key, root)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        _bad(p, f"cannot be read ({e.strerror})")
        return None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except ValueError:
        _bad(p, "is not valid JSON (corrupt or truncated)")
        return None
    if not isinstance(doc, dict):
        _bad(p, "is not a cache entry")
        return None
    if doc.get("version") != VERSION:
        return None
    if doc.get("key") != key or not isinstance(doc.get("row"), dict) or \
            doc.get("sha256") != _digest(VERSION, key, doc.get("row")):
        _bad(p, "failed its integrity check (edited or corrupt)")
        return None
    return doc["row"]


def store(key: str, row: dict, root: Path | None = None) -> Path:
    """Write the entry, with its integrity hash, atomically; returns its path."""
    p = _path(key, root)
    p.parent.mkdir(parents=True, exist_ok=True)
    row = json.loads(json.dumps(row))  # hashed as it will be read back (tuples as lists, ...)
    text = json.dumps({"version": VERSION, "key": key, "row": row, "sha256": _digest(VERSION, key, row)},
                      sort_keys=True)
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

"""The catalogue: every claim from the built-in problems/ and the users' ``--problems DIR``.

    claims = load_catalogue()                       # built-in problems/ (repo root)
    claims = load_catalogue(["my_problems/"])       # a user's folder (files or folders)
    todo = select(claims, algorithm="gd", fast=True)
    b = todo[0].bind({"alpha": 1.5})                # -> binding.Binding (SKIP reason, bound(N), ...)

``list_claims_text()`` renders the table for ``boundcheck list claims``.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Sequence

from ..errors import CatalogueError
from .loader import load_file
from .model import Claim

ENV_VAR = "BOUNDCHECK_PROBLEMS"  # extra catalogue folders, os.pathsep-separated


def builtin_dir() -> Path:
    """problems/ at the repository root (next to the package)."""
    return Path(__file__).resolve().parents[2] / "problems"


def _files(d: Path) -> list[Path]:
    if d.is_file():
        return [d]
    if not d.is_dir():
        raise CatalogueError(f"{d}: no such catalogue folder or file (pass --problems DIR with problems/*.toml)")
    return sorted(p for p in d.rglob("*.toml") if not p.name.startswith("."))


def load_catalogue(dirs: Iterable[str | Path] | None = None, *, builtin: bool | None = None) -> list[Claim]:
    """Load and validate every ``*.toml`` under ``dirs`` (files or folders, recursively).

    ``dirs=None`` loads the built-in catalogue (plus folders in $BOUNDCHECK_PROBLEMS); with
    ``dirs`` given, the built-in one is added only if ``builtin=True``. Claim ids must be unique
    across everything loaded.
    """
    paths: list[Path] = []
    if dirs is None:
        paths.append(builtin_dir())
        paths += [Path(p) for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p]
    else:
        paths += [Path(d) for d in dirs]
        if builtin:
            paths.insert(0, builtin_dir())
    claims: list[Claim] = []
    seen: dict[str, Claim] = {}
    for d in paths:
        if d == builtin_dir() and not d.exists():
            continue
        if d.is_dir():  # its plugins (*.py) before its TOML files (plugins/discover.py)
            from ..plugins.discover import load_folder

            load_folder(d)
        for f in _files(d):
            for c in load_file(f):
                if c.id in seen:
                    raise CatalogueError(f"{c.where}: duplicate claim id {c.id!r} (first defined at "
                                         f"{seen[c.id].where}); ids must be unique across the catalogue")
                seen[c.id] = c
                claims.append(c)
    return claims


def select(claims: Sequence[Claim], *, algorithm: str | None = None, claim_id: str | Sequence[str] | None = None,
           engine: str | None = None, fast: bool | None = None, demo: bool | None = None,
           kind: str | None = None) -> list[Claim]:
    """Filter claims. ``claim_id`` matches an id exactly or as a prefix ending at '-' (``T01``
    selects ``T01-gd-tight``); an id that matches nothing raises CatalogueError with "did you mean"."""
    out = list(claims)
    if claim_id is not None:
        ids = [claim_id] if isinstance(claim_id, str) else list(claim_id)
        picked = []
        for want in ids:
            hit = [c for c in out if c.id == want or c.id.startswith(want + "-")]
            if not hit:
                import difflib

                close = difflib.get_close_matches(want, [c.id for c in claims], n=3, cutoff=0.5)
                hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
                raise CatalogueError(f"no claim with id {want!r}{hint} (see 'boundcheck list claims')")
            picked += [c for c in hit if c not in picked]
        out = picked
    if algorithm is not None:
        out = [c for c in out if c.algorithm == algorithm]
    if engine is not None:
        out = [c for c in out if engine in c.engines]
    if fast is not None:
        out = [c for c in out if c.fast == fast]
    if demo is not None:
        out = [c for c in out if c.demo == demo]
    if kind is not None:
        out = [c for c in out if c.kind == kind]
    return out


def list_claims_text(dirs: Iterable[str | Path] | None = None) -> str:
    """The table printed by ``boundcheck list claims``."""
    from ..report.table import render

    claims = load_catalogue(dirs)
    if not claims:
        return f"no claims found (built-in catalogue: {builtin_dir()})"
    rows = []
    for c in claims:
        flags = ",".join(f for f, on in (("fast", c.fast), ("demo", c.demo)) if on)
        what = c.kind + (f"({c.delta:g})" if c.kind == "high_prob" else "")
        rows.append((c.id, what, c.algorithm, c.setting["function"].name, c.noise or "-", f"{c.metric}@{c.iterate}",
                     c.bound_text, "+".join(c.engines), c.expected, flags, c.citation.short()))
    return render(["id", "kind", "algorithm", "function", "noise", "metric", "bound", "engines", "expected",
                   "flags", "citation"], rows, max_width=48)


__all__ = ["load_catalogue", "select", "list_claims_text", "builtin_dir", "ENV_VAR"]

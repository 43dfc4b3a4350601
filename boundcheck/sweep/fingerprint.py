"""What determines a sweep result besides its inputs: boundcheck's own source and its numeric stack.

``code_fingerprint()`` hashes every ``*.py`` file of the installed boundcheck package (path and
content) that can change a result (all but the PRESENTATION modules: command line, plots,
tables, executors) and the versions of the packages whose arithmetic reaches a verdict. It keys the result
cache (an edit anywhere in boundcheck, or an upgrade, never serves an old result) and it is
compared between the client and every Dask worker (a worker running other code is refused).
"""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path

PACKAGES = ("numpy", "scipy", "numba", "llvmlite", "sympy", "cvxpy", "clarabel", "scs", "mpmath")
# presentation and plumbing only: they never touch a number in a result row, so editing them
# keeps the cache (everything else, engine to statistics to the row itself, is hashed)
PRESENTATION = ("cli.py", "describe.py", "pytest_plugin.py", "commands/", "report/", "verify/render.py",
                "sweep/plot.py", "sweep/table.py", "sweep/executors.py", "sweep/cache.py", "sweep/__init__.py")


def versions() -> dict[str, str | None]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in PACKAGES:
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = None
    import platform

    out["python"] = platform.python_version()
    return out


def hashed_files() -> list[str]:
    """The package's source files (relative paths, sorted) that the fingerprint covers."""
    root = Path(__file__).resolve().parents[1]
    rels = (p.relative_to(root).as_posix() for p in root.rglob("*.py") if "__pycache__" not in p.parts)
    return sorted(r for r in rels if not r.startswith(PRESENTATION))


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha256 over boundcheck's result-relevant sources (relative path + bytes) and ``versions()``."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for rel in hashed_files():
        h.update(rel.encode() + b"\0")
        h.update(hashlib.sha256((root / rel).read_bytes()).digest())
    for k, v in sorted(versions().items()):
        h.update(f"{k}={v}\0".encode())
    return h.hexdigest()


__all__ = ["code_fingerprint", "hashed_files", "versions", "PRESENTATION"]

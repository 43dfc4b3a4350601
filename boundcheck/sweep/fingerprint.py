"""What determines a sweep result besides its inputs: boundcheck's own source and its numeric stack.

``code_fingerprint()`` hashes every ``*.py`` file of the installed boundcheck package (path and
content) and the versions of the packages whose arithmetic reaches a verdict. It keys the result
cache (an edit anywhere in boundcheck, or an upgrade, never serves an old result) and it is
compared between the client and every Dask worker (a worker running other code is refused).
"""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path

PACKAGES = ("numpy", "scipy", "numba", "llvmlite", "sympy", "cvxpy", "clarabel", "scs", "mpmath")


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


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha256 over boundcheck's sources (relative path + bytes, sorted) and ``versions()``."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for p in sorted(root.rglob("*.py")):
        if "__pycache__" in p.parts:
            continue
        h.update(p.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(p.read_bytes()).digest())
    for k, v in sorted(versions().items()):
        h.update(f"{k}={v}\0".encode())
    return h.hexdigest()


__all__ = ["code_fingerprint", "versions"]

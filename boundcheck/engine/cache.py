"""Where generated kernels live, and how to inspect or clear them.

Kernels are generated Python modules (one per algorithm x function kernels x noise sampler), named
by a hash of every source file they depend on, written to the *kernel cache directory*:

* ``$BOUNDCHECK_CACHE_DIR`` when set (the kernels go to ``$BOUNDCHECK_CACHE_DIR/kernels``);
* otherwise ``$XDG_CACHE_HOME/boundcheck/kernels``, by default ``~/.cache/boundcheck/kernels``.

numba stores the compiled machine code of each kernel next to it (``kernels/__pycache__``), or under
``$NUMBA_CACHE_DIR`` when that is set. A stale kernel cannot be served: an edit to any source file
changes the hash, hence the module name, hence numba's cache key. Old kernels are simply unused;
``clear()`` (``boundcheck cache clear``) removes them all.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path


def cache_dir() -> Path:
    """The kernel directory (created on first use by the code generator, not here)."""
    root = os.environ.get("BOUNDCHECK_CACHE_DIR")
    if root:
        return Path(root).expanduser() / "kernels"
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(xdg) / "boundcheck" / "kernels"


def info() -> dict:
    """Kernel modules and compiled-code files in the cache directory, with their total size."""
    d = cache_dir()
    mods = sorted(p.name for p in d.glob("bck_*.py")) if d.is_dir() else []
    size = 0
    n_code = 0
    if d.is_dir():
        for p in d.rglob("*"):
            if p.is_file():
                size += p.stat().st_size
                n_code += p.suffix in (".nbi", ".nbc")
    return {"path": str(d), "kernels": mods, "n_kernels": len(mods), "n_compiled_files": n_code,
            "bytes": size, "numba_cache_dir": os.environ.get("NUMBA_CACHE_DIR") or None}


def clear() -> int:
    """Remove the kernel directory; return the number of kernel modules removed."""
    d = cache_dir()
    if not d.is_dir():
        return 0
    n = len(list(d.glob("bck_*.py")))
    shutil.rmtree(d, ignore_errors=True)
    return n


__all__ = ["cache_dir", "info", "clear"]

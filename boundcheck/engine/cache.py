"""Where generated kernels live, and how to inspect or clear them.

Kernels are generated Python modules (one per algorithm x function kernels x noise sampler), named
by a hash of every source file they depend on, written to the *kernel cache directory*:

* ``$BOUNDCHECK_CACHE_DIR`` when set (the kernels go to ``$BOUNDCHECK_CACHE_DIR/kernels``);
* otherwise ``$XDG_CACHE_HOME/boundcheck/kernels``, by default ``~/.cache/boundcheck/kernels``.

numba stores the compiled machine code of each kernel next to it (``kernels/__pycache__``), or under
``$NUMBA_CACHE_DIR`` when that is set. A stale kernel cannot be served: an edit to any source file
changes the hash, hence the module name, hence numba's cache key. Old kernels are simply unused;
``clear()`` (``boundcheck cache clear``) removes them all.

Nothing in the cache is trusted as is. A kernel module whose text differs from the text its hash
names (an edited or truncated file) is rewritten before it is imported (codegen.build), and
compiled code that numba cannot load back (random bytes, a truncated or empty index) is removed
and compiled again (``remove_compiled``, from the engine's first call); each emits one ``CacheWarning``, which the CLI prints as
one line. A cache directory that cannot be written is an ``OutputError`` (exit 2) naming
``BOUNDCHECK_CACHE_DIR``.
"""
from __future__ import annotations

import glob
import os
import shutil
import warnings
from pathlib import Path

from ..atomic import OutputError, check_writable


class CacheWarning(UserWarning):
    """A cache entry failed its integrity check and was rebuilt (the CLI prints it as one line)."""


def warn(message: str) -> None:
    warnings.warn(CacheWarning(message), stacklevel=2)


def cache_dir() -> Path:
    """The kernel directory (created on first use by the code generator, not here)."""
    root = os.environ.get("BOUNDCHECK_CACHE_DIR")
    if root:
        return Path(root).expanduser() / "kernels"
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(xdg) / "boundcheck" / "kernels"


def check_usable() -> Path:
    """The kernel directory, or an OutputError (exit 2) when it cannot be created or written."""
    d = cache_dir()
    how = ("BOUNDCHECK_CACHE_DIR" if os.environ.get("BOUNDCHECK_CACHE_DIR") else
           "the default location; set BOUNDCHECK_CACHE_DIR to a writable folder")
    try:
        check_writable(d, "kernel cache directory", directory=True)
    except OutputError as e:
        raise OutputError(f"{e} (from {how})") from None
    return d


def remove_compiled(dispatcher) -> list[str]:
    """Remove numba's stored code for ``dispatcher`` (its index file and data files); return the
    names removed. Used when that code cannot be loaded back (random bytes, a truncated or empty
    index): the kernel is then compiled again."""
    cache = getattr(dispatcher, "_cache", None)
    files = getattr(cache, "_cache_file", None)
    idx = getattr(files, "_index_path", None)
    if not idx:
        return []
    removed = []
    for f in [idx] + sorted(glob.glob(glob.escape(idx[: -len(".nbi")]) + ".*.nbc")):
        try:
            os.unlink(f)
            removed.append(os.path.basename(f))
        except FileNotFoundError:
            pass
    return removed


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


__all__ = ["CacheWarning", "cache_dir", "check_usable", "remove_compiled", "info", "clear"]

"""Atomic writes: results, reports, plots and certificates appear whole or not at all.

Each writer goes through a temporary file in the target's directory (same file system), flushed
and fsynced, then ``os.replace``: an interrupt or a crash leaves the old file or the new one,
never a truncated one, and no temporary file behind. A new file gets the permissions ``open``
would give it (0666 minus the umask); a replaced file keeps its mode.

Several outputs of one command are written together: inside ``with staged():`` every write goes
to its temporary file only, and the files are put in place when the block ends without error
(any error removes them all), so a full disk or a failing plot leaves none of the new outputs
rather than some. ``check_writable`` lets a command refuse an unwritable output before it
computes anything. A file-system error while writing is an ``OutputError`` (exit 2, one line).
"""
from __future__ import annotations

import contextlib
import contextvars
import os
import stat
import tempfile
from pathlib import Path
from typing import Callable

from .errors import OutputError

_STAGE: contextvars.ContextVar = contextvars.ContextVar("boundcheck_atomic_stage", default=None)


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    old = os.umask(0o022)  # not thread-safe, hence only where /proc is missing
    os.umask(old)
    return old


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _why(e: OSError) -> str:
    return e.strerror or type(e).__name__


def output_error(path, e: OSError, what: str = "output") -> OutputError:
    return OutputError(f"cannot write {what} {str(path)!r}: {_why(e)}")


def check_writable(path: str | os.PathLike | None, what: str = "output", directory: bool = False) -> None:
    """Refuse (OutputError) an output file, or with ``directory`` an output folder, that cannot be
    created: a path that is a folder (or a file, for a folder), an ancestor that is a file, or a
    folder where a probe file cannot be created (read-only, no space, no permission)."""
    if path is None:
        return
    p = Path(path).expanduser()
    if directory:
        if p.exists() and not p.is_dir():
            raise OutputError(f"cannot write {what} {str(p)!r}: it is a file, not a folder")
    elif p.is_dir():
        raise OutputError(f"cannot write {what} {str(p)!r}: it is a folder")
    probe_dir = p if directory else p.parent
    existing = probe_dir
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"cannot write {what} {str(p)!r}: {str(existing)!r} is not a folder")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tmp-probe-", dir=existing)
        os.close(fd)
        os.unlink(tmp)
    except OSError as e:
        raise output_error(p, e, what) from None


def _replace_via_temp(path: str | os.PathLike, write: Callable[[str], None]) -> Path:
    path = Path(path)
    stage = _STAGE.get()
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=path.parent)
        os.close(fd)
        write(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode_for(path))
        if stage is not None:
            stage.append((tmp, path))
            tmp = None  # committed or removed by staged()
        else:
            os.replace(tmp, path)
    except OSError as e:
        raise output_error(path, e) from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
    return path


@contextlib.contextmanager
def staged():
    """Write every output of the block to its temporary file; put them all in place at the end,
    or remove them all when the block raises (nested blocks join the outer one)."""
    if _STAGE.get() is not None:
        yield
        return
    pending: list = []
    token = _STAGE.set(pending)
    try:
        yield
    except BaseException:
        _STAGE.reset(token)
        _discard(pending)
        raise
    _STAGE.reset(token)
    done = 0
    try:
        for tmp, path in pending:
            os.replace(tmp, path)
            done += 1
    except OSError as e:
        _discard(pending[done:])
        raise output_error(pending[done][1], e) from None


def _discard(pending) -> None:
    for tmp, _ in pending:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8, newlines as given) to ``path`` atomically."""
    def put(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)

    return _replace_via_temp(path, put)


def save_figure(fig, path: str | os.PathLike, dpi: int = 110) -> Path:
    """``fig.savefig`` to ``path`` atomically, in the format of its extension (.pdf, .svg; else PNG)."""
    ext = Path(path).suffix.lower().lstrip(".")
    fmt = ext if ext in FIGURE_FORMATS else "png"
    return _replace_via_temp(path, lambda tmp: fig.savefig(tmp, dpi=dpi, format=fmt))


FIGURE_FORMATS = ("png", "pdf", "svg")


__all__ = ["OutputError", "check_writable", "staged", "write_text", "save_figure"]

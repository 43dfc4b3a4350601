"""Errors raised inside a plugin's code are the plugin's: re-raised as one ``PluginError`` line
naming the plugin's file and line and what to do, not boundcheck's internals.

Three sources of evidence, tried in order: a traceback frame in a plugin file (the numpy
reference, ``make_params``, the kernel under NUMBA_DISABLE_JIT); a numba compilation message
quoting a plugin file (``File "my_method.py", line 31``); else, when the run involves a plugin, the
exception came out of its compiled kernel, which has no Python frames: the plugin is named with
its file, and the fix is to run the numpy reference or ``boundcheck check-plugin`` to locate it.
"""
from __future__ import annotations

import re
import traceback
from pathlib import Path

from ..errors import BoundcheckError, PluginError

_NUMBA_FILE = re.compile(r'File "([^"]+)", line (\d+)')


def _plugin_files() -> dict[str, tuple[str, str]]:
    """{resolved file: (kind, name)} of every registered non-built-in spec."""
    from .. import registry

    out = {}
    for kind, reg in registry.ALL.items():
        for name, (_, f, _) in reg._extra.items():
            out[str(Path(f).resolve())] = (kind, name)
    return out


def _names_in(algorithm, function, noise) -> list[tuple[str, str]]:
    """(kind, name) of the plugins among the run's components (specs, names or NAME[k=v] text)."""
    from .. import registry

    out = []
    for kind, obj in (("algorithm", algorithm), ("function class", function), ("noise model", noise)):
        if isinstance(obj, tuple) and obj:
            obj = obj[0]
        name = getattr(obj, "name", None) or getattr(obj, "function", None)
        if name is None and isinstance(obj, str):
            name = obj.split("[", 1)[0].strip()
        if isinstance(name, str) and name in registry.ALL[kind]._extra:
            out.append((kind, name))
    return out


def _line_naming(spec, message: str) -> int | None:
    """The first line of the spec's compiled functions (in its own file) that uses a name quoted in
    numba's message (``name 'helper' is not defined``, ``Untyped global name 'helper'``)."""
    import inspect

    quoted = set(re.findall(r"name '(\w+)'", message))
    if not quoted:
        return None
    for attr in ("init", "query", "update", "output", "sample", "value", "grad"):
        fn = getattr(getattr(spec, attr, None), "py_func", getattr(spec, attr, None))
        if fn is None or not hasattr(fn, "__code__"):
            continue
        try:
            lines, start = inspect.getsourcelines(fn)
        except (OSError, TypeError):
            continue
        for i, text in enumerate(lines):
            if any(re.search(rf"\b{re.escape(q)}\b", text) for q in quoted):
                return start + i
    return None


def plugin_error(e: BaseException, algorithm=None, function=None, noise=None) -> PluginError | None:
    """The PluginError to raise instead of ``e``, or None when ``e`` is not a plugin's."""
    if isinstance(e, (BoundcheckError, KeyboardInterrupt)) or not isinstance(e, Exception):
        return None
    files = _plugin_files()
    if not files:
        return None
    text = str(e).strip().splitlines()
    what = f"{type(e).__name__}: {text[0] if text else ''}".rstrip(": ")
    hit = None
    for fr in traceback.extract_tb(e.__traceback__):
        f = str(Path(fr.filename).resolve())
        if f in files:
            hit = (fr.filename, fr.lineno, files[f])
    if hit is not None:
        f, line, (kind, name) = hit
        return PluginError(f"{f}:{line}: the {kind} plugin {name!r} raised {what}; fix the plugin at that line")
    numba = type(e).__module__.startswith("numba")
    # numba's own lines ("Failed in ... pipeline", "During: ...") say nothing about the cause
    cause = next((ln.strip() for ln in text if ln.strip() and not ln.startswith(("Failed in", "During", "File ", " "))),
                 type(e).__name__)
    fix = ("use only what numba compiles in init/query/update (boundcheck.ops, numpy arithmetic on float64 arrays, "
           "@njit helpers); 'boundcheck check-plugin FILE' runs it without numba to find the line")
    for m in _NUMBA_FILE.finditer(str(e)):
        f = str(Path(m.group(1)).resolve())
        if f in files and numba:
            kind, name = files[f]
            return PluginError(f"{f}:{m.group(2)}: numba cannot compile the {kind} plugin {name!r} ({cause[:160]}); {fix}")
    involved = _names_in(algorithm, function, noise)
    if not involved:
        return None
    from .. import registry

    kind, name = involved[0]
    f = registry.ALL[kind].file(name)
    if numba and "Failed in nopython" in str(e):
        line = _line_naming(registry.ALL[kind].get(name), str(e))
        return PluginError(f"{f}{':' + str(line) if line else ''}: numba cannot compile the {kind} plugin {name!r} "
                           f"({cause[:160]}); {fix}")
    where = "in its compiled kernel" if not numba else "while numba compiled its kernel"
    return PluginError(f"{f}: the {kind} plugin {name!r} raised {what} {where}; run it with NUMBA_DISABLE_JIT=1 "
                       "(or the numpy reference, 'boundcheck check-plugin') to see the line")


__all__ = ["plugin_error", "blames_plugins"]


def blames_plugins(fn):
    """Decorator for the engines' entry points ``fn(algorithm, function, noise=None, ...)``: an
    exception from a plugin's code leaves as a ``PluginError`` (plugin_error)."""
    import functools

    @functools.wraps(fn)
    def wrapper(algorithm, function, noise=None, *args, **kw):
        try:
            return fn(algorithm, function, noise, *args, **kw)
        except Exception as e:
            pe = plugin_error(e, algorithm, function, noise)
            if pe is None:
                raise
            raise pe from None

    return wrapper

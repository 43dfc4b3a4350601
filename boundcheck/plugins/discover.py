"""Folder plugins: the ``*.py`` files directly in a catalogue folder, imported before its TOML files.

Pointing boundcheck at a folder (``--problems DIR``, ``pytest DIR``, ``$BOUNDCHECK_PROBLEMS``) runs
the code of its ``*.py`` files, as pytest does with ``conftest.py``. Files whose names start with
``_`` or ``test_`` are skipped, and so is ``conftest.py`` (pytest's own); they may still be
imported by the plugins as helper modules, since the folder is put at the front of ``sys.path``
(pytest's "prepend" import mode). Each file is imported as a top-level module named after it
(``my_method.py`` -> ``my_method``), so the kernel generated for it imports it by that name and its
source, with the helpers it uses, enters the kernel's hash (engine/codegen.py).

A file already imported from the same path is imported again only when its bytes changed (its
plugins are then registered afresh); a module name already taken by another file, or an import
that fails, is a ``PluginError`` (exit 2) naming the file, the line and the fix.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import traceback
from pathlib import Path

from ..errors import PluginError

_LOADED: dict[str, str] = {}  # resolved file -> sha256 of the bytes imported
_ENV_DONE: set[str] = set()


def plugin_files(folder: str | Path) -> list[Path]:
    d = Path(folder)
    if not d.is_dir():
        return []
    return sorted(p for p in d.glob("*.py")
                  if not p.name.startswith(("_", "test_", ".")) and p.name != "conftest.py" and p.is_file())


def load_folder(folder: str | Path) -> list:
    """Import the plugin files of ``folder`` (a file: its folder) and register their specs."""
    d = Path(folder)
    if d.is_file():
        d = d.parent
    files = plugin_files(d)
    if not files:
        return []
    root = str(d.resolve())
    if root not in sys.path:
        sys.path.insert(0, root)
    specs = []
    for f in files:
        specs += load_file(f)
    return specs


def load_env() -> None:
    """The plugins of the $BOUNDCHECK_PROBLEMS folders (once per folder and process)."""
    for p in os.environ.get("BOUNDCHECK_PROBLEMS", "").split(os.pathsep):
        if p and p not in _ENV_DONE:
            _ENV_DONE.add(p)
            load_folder(p)


def _digest(f: Path) -> str:
    """The plugin file and every *.py of its folder (its helpers): an edit to any re-imports it."""
    h = hashlib.sha256(f.read_bytes())
    for p in sorted(f.parent.glob("*.py")):
        h.update(p.name.encode() + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def _forget_helpers(folder: Path) -> None:
    """Drop the folder's helper modules (imported by its plugins, not plugins themselves) from
    sys.modules, so that re-importing a plugin re-reads an edited helper."""
    plugins = {str(p) for p in _LOADED}
    for name, m in list(sys.modules.items()):
        mf = getattr(m, "__file__", None)
        if mf and Path(mf).parent == folder and str(Path(mf).resolve()) not in plugins:
            del sys.modules[name]


def _clash(stem: str, f: Path) -> str | None:
    """The file that already holds the module name ``stem``, when it is not ``f``."""
    m = sys.modules.get(stem)
    if m is not None:
        mf = getattr(m, "__file__", None)
        if mf is None or Path(mf).resolve() != f:
            return mf or f"the built-in module {stem!r}"
        return None
    try:
        spec = importlib.util.find_spec(stem)
    except (ImportError, ValueError):
        return None
    origin = getattr(spec, "origin", None) if spec is not None else None
    if origin and origin not in ("built-in", "frozen") and Path(origin).resolve() != f:
        return origin
    if spec is not None and origin in ("built-in", "frozen"):
        return f"the built-in module {stem!r}"
    return None


def load_file(f: str | Path, origin: str | None = None) -> list:
    """Import one plugin file as module ``<stem>`` and register its specs; return them."""
    from .. import registry
    from .register import register_module

    f = Path(f).resolve()
    stem = f.stem
    if str(f.parent) not in sys.path:  # its helper modules import by name, from its folder
        sys.path.insert(0, str(f.parent))
    if not stem.isidentifier():
        raise PluginError(f"{f}: a plugin file name must be a Python identifier ({stem!r} is not); rename it, "
                          "e.g. to " + "".join(c if c.isalnum() else "_" for c in stem).lstrip("0123456789") + ".py")
    digest = _digest(f)
    if _LOADED.get(str(f)) == digest and stem in sys.modules:
        return _specs_registered(f)
    other = _clash(stem, f)
    if other is not None:
        raise PluginError(f"{f}: the module name {stem!r} is already taken by {other}; rename the plugin file")
    for reg in registry.ALL.values():
        reg.unregister_file(str(f))
    if str(f) in _LOADED:  # imported before: an edit to it or to a helper of its folder
        _forget_helpers(f.parent)
    sys.modules.pop(stem, None)
    spec = importlib.util.spec_from_file_location(stem, f)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[stem] = mod
    try:  # compiled from the file's text, never from a .pyc (an edit within a second is seen)
        exec(compile(f.read_bytes(), str(f), "exec"), mod.__dict__)
    except SyntaxError as e:
        sys.modules.pop(stem, None)
        where = f"{e.filename or f}:{e.lineno}" if e.lineno else str(f)
        raise PluginError(f"{where}: syntax error in plugin: {e.msg}; fix the file (every *.py in a "
                          "catalogue folder is imported; name helpers _x.py to skip them)") from None
    except Exception as e:
        sys.modules.pop(stem, None)
        raise PluginError(f"{_frame(e, f)}: the plugin failed to import: {type(e).__name__}: "
                          f"{str(e).splitlines()[0] if str(e) else ''}; {_fix(e)}") from None
    _LOADED[str(f)] = digest
    return register_module(mod, str(f), origin or f"folder {f}")


def _specs_registered(f: Path) -> list:
    from .. import registry

    return [s for reg in registry.ALL.values() for n, (s, pf, _) in reg._extra.items() if Path(pf).resolve() == f]


def _frame(e: BaseException, f: Path) -> str:
    """file:line of the deepest traceback frame in the plugin's folder (else in ``f``)."""
    best = str(f)
    for fr in traceback.extract_tb(e.__traceback__):
        p = Path(fr.filename)
        if p.parent == f.parent or p == f:
            best = f"{fr.filename}:{fr.lineno}"
    return best


def _fix(e: BaseException) -> str:
    text = str(e)
    if isinstance(e, ImportError):
        return ("fix the import (helpers in the plugin's folder import by their own name, e.g. 'import _helpers'; "
                "boundcheck's by 'from boundcheck import ops')")
    for fn, sig in (("update", "update(s, g, fx, P)"), ("init", "init(x0, P)"), ("query", "query(s, P)"),
                    ("make_params", "make_params(p, N, prob)")):
        if f"'{fn}'" in text:
            return f"define {sig} at module level before PLUGIN (docs/own-method.md)"
    return "fix the code at that line"


__all__ = ["plugin_files", "load_folder", "load_env", "load_file"]

"""Registries of plugins, loaded lazily so that ``import boundcheck`` stays light.

Three sources fill a registry, all through one registration path (boundcheck/plugins/register.py:
``specs_of`` reads a module's ``PLUGIN`` or ``PLUGINS``, ``check_spec`` validates each spec):

* built-ins: each extension folder (``functions/``, ``noise/``, ``algorithms/``) lists its files in
  its ``__init__.py`` as ``PLUGINS = {"registry-name": "module_name", ...}``; a file is imported
  when its name is first asked for;
* folder plugins: the ``*.py`` files of a catalogue folder (plugins/discover.py), registered when
  the folder is loaded;
* package plugins: the entry points ``boundcheck.algorithms``, ``boundcheck.functions``,
  ``boundcheck.noise`` of installed distributions (plugins/entry_points.py), read when a name is
  not found among the others or when the names are listed.

A name defined twice (a plugin reusing a built-in name, or two plugins with one name) is a
``PluginError`` naming both files. ``origin(name)`` says where a name comes from.
"""
from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import Any, Iterator

from .errors import PluginError, UnknownNameError


class Registry:
    def __init__(self, kind: str, package: str, group: str):
        self.kind, self.package, self.group = kind, package, group
        self._cache: dict[str, Any] = {}
        self._extra: dict[str, tuple[Any, str, str]] = {}  # name -> (spec, file, origin)

    def _table(self) -> dict[str, str]:
        return importlib.import_module(self.package).PLUGINS

    def builtin_file(self, name: str) -> str:
        pkg = importlib.util.find_spec(self.package)
        return str(Path(pkg.origin).parent / f"{self._table()[name]}.py")

    def _more(self) -> None:
        """Read the entry points and the $BOUNDCHECK_PROBLEMS folders (once each)."""
        from .plugins import discover, entry_points

        entry_points.load_all()
        discover.load_env()

    def names(self) -> list[str]:
        self._more()
        return list(self._table()) + [n for n in self._extra if n not in self._table()]

    def get(self, name: str):
        if name in self._extra:
            return self._extra[name][0]
        table = self._table()
        if name not in table:
            self._more()
            if name in self._extra:
                return self._extra[name][0]
            raise UnknownNameError(self.kind, name, list(table) + list(self._extra))
        if name not in self._cache:
            from .plugins.register import spec_named

            mod = importlib.import_module(f"{self.package}.{table[name]}")
            self._cache[name] = spec_named(mod, name, self.kind, mod.__file__)
        return self._cache[name]

    def register(self, spec, file: str, origin: str) -> None:
        """Add a plugin's spec (already checked by plugins/register.py) defined in ``file``."""
        name = spec.name
        if name in self._table():
            raise PluginError(f"{file}: {self.kind} name {name!r} is already the built-in one defined in "
                              f"{self.builtin_file(name)}; give the plugin another name")
        prev = self._extra.get(name)
        if prev is not None and Path(prev[1]).resolve() != Path(file).resolve():
            raise PluginError(f"{file}: {self.kind} name {name!r} is already defined by the plugin {prev[1]}; "
                              "rename one of them")
        self._extra[name] = (spec, str(file), origin)

    def unregister_file(self, file: str) -> None:
        """Forget the plugins of ``file`` (before it is imported again after an edit)."""
        f = Path(file).resolve()
        for n in [n for n, (_, pf, _) in self._extra.items() if Path(pf).resolve() == f]:
            del self._extra[n]

    def origin(self, name: str) -> str:
        """'built-in', 'folder <file>' or 'package <distribution>'."""
        if name in self._extra:
            return self._extra[name][2]
        return "built-in"

    def file(self, name: str) -> str:
        if name in self._extra:
            return self._extra[name][1]
        return self.builtin_file(name)

    def __iter__(self) -> Iterator:
        return (self.get(n) for n in self.names())

    def __contains__(self, name: str) -> bool:
        if name in self._extra or name in self._table():
            return True
        self._more()
        return name in self._extra


functions = Registry("function class", "boundcheck.functions", "boundcheck.functions")
noise = Registry("noise model", "boundcheck.noise", "boundcheck.noise")
algorithms = Registry("algorithm", "boundcheck.algorithms", "boundcheck.algorithms")
ALL = {"function class": functions, "noise model": noise, "algorithm": algorithms}


def lookup_any(name: str):
    """Find ``name`` in any registry (for ``boundcheck info``)."""
    for reg in (functions, noise, algorithms):
        try:
            if name in reg:
                return reg.get(name)
        except ModuleNotFoundError:  # registry folder not built yet
            continue
    known = []
    for reg in (functions, noise, algorithms):
        try:
            known += reg.names()
        except ModuleNotFoundError:
            pass
    raise UnknownNameError("name", name, known)

"""Registries of plugins, loaded lazily so that ``import boundcheck`` stays light.

Each extension folder (``functions/``, ``noise/``, ``algorithms/``) lists its plugins in its
``__init__.py`` as ``PLUGINS = {"registry-name": "module_name", ...}``; the module defines one
object named ``PLUGIN``. Adding a plugin is one new file plus one line there.
"""
from __future__ import annotations

import importlib
from typing import Any, Iterator

from .errors import UnknownNameError


class Registry:
    def __init__(self, kind: str, package: str):
        self.kind, self.package = kind, package
        self._cache: dict[str, Any] = {}

    def _table(self) -> dict[str, str]:
        return importlib.import_module(self.package).PLUGINS

    def names(self) -> list[str]:
        return list(self._table())

    def get(self, name: str):
        table = self._table()
        if name not in table:
            raise UnknownNameError(self.kind, name, table)
        if name not in self._cache:
            mod = importlib.import_module(f"{self.package}.{table[name]}")
            self._cache[name] = mod.PLUGIN
        return self._cache[name]

    def __iter__(self) -> Iterator:
        return (self.get(n) for n in self.names())

    def __contains__(self, name: str) -> bool:
        return name in self._table()


functions = Registry("function class", "boundcheck.functions")
noise = Registry("noise model", "boundcheck.noise")
algorithms = Registry("algorithm", "boundcheck.algorithms")


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

"""A fixture that undoes in-process plugin registrations (registry entries, imported modules)."""
from __future__ import annotations

import sys

import pytest


@pytest.fixture
def clean_plugins():
    from boundcheck import registry
    from boundcheck.plugins import discover

    saved = {k: dict(r._extra) for k, r in registry.ALL.items()}
    mods, path, loaded = set(sys.modules), list(sys.path), dict(discover._LOADED)
    yield
    for k, r in registry.ALL.items():
        r._extra.clear()
        r._extra.update(saved[k])
    for m in set(sys.modules) - mods:
        if not m.startswith(("boundcheck", "numba", "scipy", "llvmlite", "numpy", "bck_")):
            del sys.modules[m]
    sys.path[:] = path
    discover._LOADED.clear()
    discover._LOADED.update(loaded)

"""Which conformance battery a spec gets, and where a FILE or NAME given to check-plugin comes from."""
from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

from ..errors import UsageError
from .register import kind_of, specs_of


def builtin_module(path: Path) -> str | None:
    """The module name of a built-in plugin file (boundcheck/algorithms/gd.py -> boundcheck.algorithms.gd)."""
    from .. import registry

    for reg in registry.ALL.values():
        pkg = Path(importlib.util.find_spec(reg.package).origin).parent
        if path.parent == pkg and path.stem in reg._table().values():
            return f"{reg.package}.{path.stem}"
    return None


def specs_for(target: str) -> list[tuple[object, str | None]]:
    """(spec, plugin file or None for a built-in) for a plugin FILE.py, a built-in file or a registry name."""
    from .. import registry
    from .discover import load_file

    p = Path(target)
    if p.suffix == ".py":
        if not p.is_file():
            raise UsageError(f"{target}: no such plugin file")
        p = p.resolve()
        mod = builtin_module(p)
        if mod is not None:
            return [(s, None) for s in specs_of(importlib.import_module(mod), str(p), required=True)]
        specs = load_file(p)
        if not specs:  # a module without PLUGIN: the error says what to add
            specs_of(importlib.import_module(p.stem), str(p), required=True)
        return [(s, str(p)) for s in specs]
    for reg in registry.ALL.values():
        if target in reg:
            f = reg.file(target) if reg.origin(target) != "built-in" else None
            return [(reg.get(target), f)]
    registry.lookup_any(target)  # raises UnknownNameError with "did you mean"
    return []


def run_battery(spec, file: str | None, *, nojit: bool = True) -> list:
    kind = kind_of(spec)
    if kind == "algorithm":
        from .conformance_algorithm import check_algorithm

        return check_algorithm(spec, file, nojit=nojit)
    if kind == "function class":
        from .conformance_function import check_function_class

        return check_function_class(spec)
    from .conformance_noise import check_noise_model

    return check_noise_model(spec)

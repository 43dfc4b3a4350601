"""The one registration path: read a module's specs and check their declarations.

A module registers what it defines through a module-level ``PLUGIN`` (one spec) or ``PLUGINS`` (a
list or tuple of specs). A spec is an ``Algorithm`` (boundcheck/algorithm.py), a ``FunctionClass``
(boundcheck/functions/base.py) or a ``NoiseModel`` (boundcheck/noise/base.py). The built-ins are
read by the same ``specs_of`` and ``check_spec`` (registry.Registry.get), so a user plugin is held
to exactly the rules the built-ins follow. Every problem is a ``PluginError`` naming the file, the
line of the ``PLUGIN`` assignment when it can be found, and the fix.
"""
from __future__ import annotations

import ast
import math
from pathlib import Path
from typing import Any

from ..errors import PluginError

KINDS = ("algorithm", "function class", "noise model")


def kind_of(spec) -> str | None:
    from ..algorithm import Algorithm
    from ..functions.base import FunctionClass
    from ..noise.base import NoiseModel

    for cls, kind in ((Algorithm, "algorithm"), (FunctionClass, "function class"), (NoiseModel, "noise model")):
        if isinstance(spec, cls):
            return kind
    return None


def plugin_line(file: str) -> int | None:
    """Line of the module-level ``PLUGIN =`` / ``PLUGINS =`` assignment, if the file parses."""
    try:
        tree = ast.parse(Path(file).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        for t in targets:
            if isinstance(t, ast.Name) and t.id in ("PLUGIN", "PLUGINS"):
                return node.lineno
    return None


def _where(file: str) -> str:
    line = plugin_line(file)
    return f"{file}:{line}" if line else str(file)


def specs_of(module, file: str, *, required: bool = False) -> list:
    """The specs a module declares (``PLUGIN`` or ``PLUGINS``), each checked by ``check_spec``."""
    has_one, has_many = hasattr(module, "PLUGIN"), hasattr(module, "PLUGINS")
    if not has_one and not has_many:
        if required:
            raise PluginError(f"{file}: defines no PLUGIN (or PLUGINS); end the file with PLUGIN = Algorithm(...), "
                              "FunctionClass(...) or NoiseModel(...) (docs/own-method.md)")
        return []
    if has_one and has_many:
        raise PluginError(f"{_where(file)}: defines both PLUGIN and PLUGINS; keep one")
    specs = [module.PLUGIN] if has_one else module.PLUGINS
    if not isinstance(specs, (list, tuple)):
        raise PluginError(f"{_where(file)}: PLUGINS must be a list or tuple of specs (got {type(specs).__name__}); "
                          "for a single spec write PLUGIN = ...")
    for s in specs:
        check_spec(s, file)
    return list(specs)


def spec_named(module, name: str, kind: str, file: str):
    """The spec called ``name`` in a built-in module (registry.Registry.get)."""
    for s in specs_of(module, file, required=True):
        if s.name == name and kind_of(s) == kind:
            return s
    raise PluginError(f"{_where(file)}: declares no {kind} named {name!r}")


def _callable(spec, attrs, where: str, kind: str, fixes: dict) -> None:
    for a in attrs:
        f = getattr(spec, a, None)
        if not callable(f):
            raise PluginError(f"{where}: the {kind} {spec.name!r} has no {a} function (got {f!r}); "
                              f"{fixes.get(a, 'define it and pass it to the spec')}")


def _check_params(spec, where: str, params, owner: str) -> None:
    from ..params import Choice, Interval, Param, Text

    seen = set()
    for p in params:
        if not isinstance(p, Param):
            raise PluginError(f"{where}: {owner}: parameters must be Param(name, domain, default, doc) "
                              f"(got {p!r})")
        if not isinstance(p.name, str) or not p.name.isidentifier():
            raise PluginError(f"{where}: {owner}: parameter name {p.name!r} is not an identifier; use letters, "
                              "digits and _")
        if p.name in seen:
            raise PluginError(f"{where}: {owner}: parameter {p.name!r} is declared twice")
        seen.add(p.name)
        if not isinstance(p.domain, (Interval, Choice, Text)) and not hasattr(p.domain, "parse"):
            raise PluginError(f"{where}: {owner}: parameter {p.name!r} has domain {p.domain!r}; use "
                              "Interval(lo, hi), Choice((...)) or a Schedule (boundcheck.params, boundcheck.schedule)")
        if p.default is not None:
            try:
                p.check(p.default)
            except Exception as e:  # the declaration itself is wrong: the default is outside the domain
                raise PluginError(f"{where}: {owner}: the default of parameter {p.name!r} ({p.default!r}) is not "
                                  f"valid: {str(e).splitlines()[0] if str(e) else type(e).__name__}; fix the default "
                                  "or the domain") from None


def check_spec(spec: Any, file: str) -> str:
    """Check a spec's declaration (not its behaviour: that is conformance_*.py); return its kind."""
    where = _where(file)
    kind = kind_of(spec)
    if kind is None:
        raise PluginError(f"{where}: PLUGIN must be an Algorithm, FunctionClass or NoiseModel (got "
                          f"{type(spec).__name__}); see docs/own-method.md")
    if not isinstance(spec.name, str) or not spec.name or any(c in spec.name for c in "[],= \t"):
        raise PluginError(f"{where}: {kind} name {spec.name!r} must be a non-empty name without spaces, "
                          "brackets, ',' or '='")
    own = f"{kind} {spec.name!r}"
    if kind == "algorithm":
        _callable(spec, ("init", "query", "update", "make_params"), where, kind, {
            "init": "define init(x0, P) -> State and pass init=init",
            "query": "define query(s, P) returning the point where the gradient is taken (s.x for most methods)",
            "update": "define update(s, g, fx, P) that applies one step in place and pass update=update",
            "make_params": "define make_params(p, N, prob) -> P"})
        fields = getattr(spec.State, "_fields", None)
        if not fields or fields[0] != "x":
            raise PluginError(f"{where}: {own}: State must be a typing.NamedTuple whose first field is x "
                              f"(got {fields!r})")
        _check_params(spec, where, spec.params, own)
    elif kind == "function class":
        if not spec.generators:
            raise PluginError(f"{where}: {own} declares no generators; add a Generator(name, doc, build)")
        if spec.default_generator not in [g.name for g in spec.generators]:
            raise PluginError(f"{where}: {own}: default_generator {spec.default_generator!r} is not one of its "
                              f"generators ({', '.join(g.name for g in spec.generators)})")
        for g in spec.generators:
            if not callable(g.build):
                raise PluginError(f"{where}: {own}: generator {g.name!r} has no build(params, rng) function")
        consts = {p.name for p in spec.constants}
        bad = [k for k in spec.stronger if k not in consts]
        if bad or any(v not in ("smaller", "larger") for v in spec.stronger.values()):
            raise PluginError(f"{where}: {own}: stronger must map constants ({', '.join(sorted(consts))}) to "
                              f"'smaller' or 'larger' (got {dict(spec.stronger)!r})")
        for g in spec.generators:
            _check_params(spec, where, spec.params(g.name), own)
    else:
        _callable(spec, ("sample", "pack", "symmetric", "tail_index", "moment_bound"), where, kind, {
            "sample": "define a numba sample(s, theta, g, out) that fills out with one draw"})
        _check_params(spec, where, spec.params, own)
        if all(p.default is not None for p in spec.params):
            try:
                ti = float(spec.tail_index(spec.validate({})))
            except Exception as e:
                raise PluginError(f"{where}: {own}: tail_index(p) fails at the default parameters: "
                                  f"{type(e).__name__}: {e}") from None
            if math.isnan(ti) or ti <= 0:
                raise PluginError(f"{where}: {own}: tail_index(p) must be a positive number or inf (got {ti})")
    return kind


def register_module(module, file: str, origin: str) -> list:
    """Check and register every spec of a plugin module; return the specs."""
    from .. import registry

    specs = specs_of(module, file)
    for s in specs:
        registry.ALL[kind_of(s)].register(s, file, origin)
    return specs


__all__ = ["KINDS", "kind_of", "plugin_line", "specs_of", "spec_named", "check_spec", "register_module"]

"""Descriptions of registry entries for ``boundcheck list`` and ``boundcheck info`` (text, no I/O).

Everything here is derived from the plugins' declarations (ARCHITECTURE lesson 3): parameters and
domains, generators, conditions, declared noise facts, references.
"""
from __future__ import annotations

import math
from typing import Any, Mapping

from . import registry
from .report.table import render
from .spec import parse_spec


def _params_line(params) -> str:
    return ", ".join(f"{p.name}{'' if p.default is None else '=' + str(p.default)}" for p in params)


def list_entries(kind: str) -> str:
    if kind == "functions":
        rows = [(c.name, ", ".join(p.name for p in c.constants), ", ".join(g.name for g in c.generators), c.summary)
                for c in registry.functions]
        return render(["class", "constants", "generators", "summary"], rows)
    if kind == "noise":
        rows = [(n.name, _params_line(n.params), "yes" if n.symmetric(n.validate({})) else "no", n.summary)
                for n in registry.noise]
        return render(["noise", "parameters (defaults)", "symmetric", "summary"], rows)
    if kind == "algorithms":
        rows = [(a.name, _params_line(a.params), "stochastic" if a.stochastic else "deterministic", a.summary)
                for a in registry.algorithms]
        return render(["algorithm", "parameters (defaults)", "kind", "summary"], rows)
    if kind == "claims":
        from .claims import catalogue  # issue 5; absent until the claims catalogue lands

        return catalogue.list_claims_text()
    raise ValueError(kind)


def _param_rows(params) -> list:
    return [(p.name, str(p.domain), "required" if p.default is None else p.default, p.doc) for p in params]


def info(text: str) -> str:
    spec = parse_spec(text)
    obj = registry.lookup_any(spec.name)
    kind = type(obj).__name__
    if kind == "FunctionClass":
        return _info_function(obj, spec.params)
    if kind == "NoiseModel":
        return _info_noise(obj, spec.params)
    return _info_algorithm(obj, spec.params)


def _info_function(cls, given: Mapping[str, Any]) -> str:
    p = cls.validate(given)
    out = [f"{cls.name}: {cls.summary}", "", f"definition: {cls.definition}", "",
           "parameters:", render(["name", "domain", "default", "meaning"], _param_rows(cls.params(p["instance"]))), "",
           "generators:"]
    out += [f"  {g.name}{' (default)' if g.name == cls.default_generator else ''}: {g.doc}" for g in cls.generators]
    out += ["", "conditions (checked by the self-checks; used by the PEP module as marked):"]
    out += [f"  [{c.role}, pep={c.pep}] {c.name}: {c.formula}" + (f"  ({c.reference})" if c.reference else "")
            for c in cls.conditions]
    inst = cls.instance(**given)
    out += ["", f"instance {inst.generator} (d={inst.d}, seed={p['seed']}): certified constants"]
    out += [f"  {k} = {v.value:.10g}  [{'exact' if v.exact else 'rigorous bound'}] {v.method}"
            for k, v in inst.constants.items()]
    if inst.f_star is not None:
        out.append(f"  f* = {inst.f_star:.10g}")
    if inst.notes:
        out.append(f"  notes: {inst.notes}")
    if cls.references:
        out += ["", "references:"] + [f"  {r}" for r in cls.references]
    return "\n".join(out)


def _info_noise(model, given: Mapping[str, Any]) -> str:
    p = model.validate(given)
    ti = model.tail_index(p)
    out = [f"{model.name}: {model.summary}", "", f"definition: {model.definition}", "",
           "parameters:", render(["name", "domain", "default", "meaning"], _param_rows(model.params)), "",
           f"symmetric: {'yes' if model.symmetric(p) else 'no'}",
           "finite moments: " + ("all orders" if math.isinf(ti) else f"E|xi|^q < inf iff q < {ti:g}"),
           f"depends on the gradient: {'yes' if model.grad_dependent else 'no'}"]
    if model.references:
        out += ["", "references:"] + [f"  {r}" for r in model.references]
    return "\n".join(out)


def _info_algorithm(alg, given: Mapping[str, Any]) -> str:
    alg.validate(given)
    out = [f"{alg.name}: {alg.summary}", "", "update rule:", "  " + alg.update_rule.strip().replace("\n", "\n  "), "",
           "parameters:", render(["name", "domain", "default", "meaning"], _param_rows(alg.params)), "",
           f"iterates measured: {', '.join(alg.outputs)}"
           + ("; horizon-dependent (each horizon N is its own run)" if alg.horizon_dependent(alg.validate(given)) else "")]
    if alg.references:
        out += ["", "references:"] + [f"  {r}" for r in alg.references]
    return "\n".join(out)

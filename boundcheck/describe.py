"""Descriptions of registry entries for ``boundcheck list`` and ``boundcheck info`` (text, no I/O).

Everything here is derived from the plugins' declarations (docs/adding-a-function-class.md): parameters and
domains, generators, conditions, declared noise facts, references.
"""
from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

from . import registry
from .report.table import render
from .spec import parse_spec


def _params_line(params) -> str:
    return ", ".join(f"{p.name}{'' if p.default is None else '=' + str(p.default)}" for p in params)


def _source(reg, name: str) -> str:
    """Where a registry name comes from: built-in, folder <file> or package <distribution>."""
    return reg.origin(name)


def list_entries(kind: str, problems: Sequence[str] | None = None) -> str:
    if kind == "functions":
        rows = [(c.name, ", ".join(p.name for p in c.constants), ", ".join(g.name for g in c.generators), c.summary,
                 _source(registry.functions, c.name)) for c in registry.functions]
        return render(["class", "constants", "generators", "summary", "from"], rows)
    if kind == "noise":
        rows = [(n.name, _params_line(n.params), "yes" if n.symmetric(n.validate({})) else "no", n.summary,
                 _source(registry.noise, n.name)) for n in registry.noise]
        return render(["noise", "parameters (defaults)", "symmetric", "summary", "from"], rows)
    if kind == "algorithms":
        rows = [(a.name, _params_line(a.params), "stochastic" if a.stochastic else "deterministic", a.summary,
                 _source(registry.algorithms, a.name)) for a in registry.algorithms]
        return render(["algorithm", "parameters (defaults)", "kind", "summary", "from"], rows)
    if kind == "claims":
        from .claims import catalogue  # issue 5; absent until the claims catalogue lands

        if problems and not catalogue.load_catalogue(list(problems)):
            from .errors import CatalogueError

            raise CatalogueError(f"no claims in {', '.join(problems)} (a catalogue is *.toml files with "
                                 f"[[claim]] tables: docs/claims.md)")
        return catalogue.list_claims_text(list(problems) if problems else None)
    raise ValueError(kind)


def _param_rows(params) -> list:
    return [(p.name, str(p.domain), "required" if p.default is None else p.default, p.doc) for p in params]


def info(text: str, problems: Sequence[str] | None = None) -> str:
    """Describe a registry entry (``NAME`` or ``NAME[k=v,...]``) or a claim of the catalogue
    (``CLAIM-ID``: the built-in one, or the ``problems`` folders when given)."""
    from .errors import SpecSyntaxError, UnknownNameError
    from .plugins.discover import load_folder

    for d in problems or ():  # the folders' plugins are names too (docs/own-method.md)
        load_folder(d)
    try:
        spec = parse_spec(text)
        obj = registry.lookup_any(spec.name)
    except (SpecSyntaxError, UnknownNameError):
        if "[" in text:  # NAME[k=v]: only registry entries take parameters
            raise
        return _info_claim_or_unknown(text.strip(), problems)
    from .functions.base import FunctionClass

    kind = type(obj).__name__
    if isinstance(obj, FunctionClass):  # operator classes (functions/operator.py) are function classes
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
    out += ["", "conditions (checked by the self-checks; used by the PEP module as marked; provenance: exact = "
            "interpolation, the PEP value is the worst case; necessary = a relaxation, an upper bound only; "
            "sufficient = a restriction, a lower bound only):"]
    out += [f"  [{c.role}, pep={c.pep}] {c.name}: {c.formula}" + (f"  ({c.reference})" if c.reference else "")
            + f"  provenance: {c.provenance}" + (" (used only when x* takes part)" if getattr(c, "with_star", False) else "")
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


# how each kind reads as a statement about the measured metric (docs/claims.md, "Claim keys")
_KIND_SAYS = {
    "upper": "{m} <= bound for every N of the grid",
    "lower": "{m} >= bound for every N of the grid (a lower bound: the construction attains at least it)",
    "tight": "{m} = bound (the worst case over the class equals the bound)",
    "rate": "{m} scales as N^b, b the bound's log-log slope or the stated exponent (sense: {sense})",
    "high_prob": "P({m} > bound) <= delta = {delta}",
}


def _info_claim_or_unknown(name: str, problems: Sequence[str] | None) -> str:
    """The claim with id ``name``; else one error with "did you mean" over claims and registry."""
    import difflib

    from .claims import load_catalogue
    from .errors import UsageError

    claims = load_catalogue(list(problems) if problems else None)
    for c in claims:
        if c.id == name:
            return describe_claim(c)
    known = [*registry_names(), *(c.id for c in claims)]
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
    raise UsageError(f"unknown name {name!r}{hint} (not a function class, noise model, algorithm or claim id: "
                     f"see 'boundcheck list functions|noise|algorithms|claims'{' --problems DIR' if problems else ''})")


def registry_names() -> list[str]:
    out = []
    for reg in (registry.functions, registry.noise, registry.algorithms):
        out += reg.names()
    return out


def describe_claim(c) -> str:
    """``boundcheck info CLAIM-ID``: what the claim states, where it applies, where it comes from."""
    measured = f"{c.metric} at the {c.iterate} iterate"
    out = [f"{c.id}: {c.title}" if c.title else c.id, f"file: {c.where}", "",
           f"kind: {c.kind}: " + _KIND_SAYS[c.kind].format(m=measured, sense=c.sense, delta=c.delta),
           f"bound: {c.bound_text}"]
    from .claims.sequences import used  # sequences defined by recurrence that the bound calls

    out += [f"  where {seq.name}: " + "; ".join(seq.text) for seq in used(c.bound)]
    if c.exponent_text:
        out.append(f"exponent: {c.exponent_text}")
    out += ["", "setting:"]
    out += [f"  {role}: {comp.spec_text()}" for role, comp in c.setting.items() if comp is not None]
    if c.setting.get("noise") is None:
        out.append("  noise: none (exact gradients)")
    out += ["", "parameters:", render(["name", "domain", "default", "meaning"], _param_rows(c.params.values()))]
    out += ["", "assumptions (else SKIP): " + ("; ".join(a.text for a in c.assumptions) or "none")]
    if c.regime:
        out.append("check regime (else SKIP, not judged): " + "; ".join(a.text for a in c.regime))
    ck = c.check
    out += ["", f"check: engines {' + '.join(c.engines)}{f' (runner {c.runner})' if c.runner else ''}; "
                f"{ck.over} = {', '.join(f'{v:g}' for v in ck.points)}; runs {ck.runs}; seed {ck.seed}; "
                f"confidence {ck.confidence:g}; tolerance {ck.tolerance:g}",
            f"expected: {c.expected}" + ("  (a claim known to be wrong as stated: strict xfail)"
                                         if c.expected == "FAIL" else ""),
            "flags: " + (", ".join(f for f, on in (("fast", c.fast), ("demo", c.demo)) if on) or "none")]
    ci = c.citation
    out += ["", f"citation: {ci.short()}", f"  {ci.authors} ({ci.year}). {ci.title}."]
    out += [f"  {k}: {v}" for k, v in (("venue", ci.venue), ("arxiv", ci.arxiv), ("doi", ci.doi), ("url", ci.url),
                                        ("note", ci.note)) if v]
    if c.notes:
        out += ["", "notes:"] + ["  " + line for line in c.notes.strip().splitlines()]
    out += ["", f"check it: boundcheck verify --claim {c.id}"
                + (f" --problems {c.file}" if c.file is not None and c.file.parent != _builtin() else "")]
    return "\n".join(out)


def _builtin():
    from .claims import builtin_dir

    return builtin_dir()

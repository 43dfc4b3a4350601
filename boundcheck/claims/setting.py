"""The setting of a claim: its three components (function class, noise model, algorithm) read
from the catalogue, checked against the registries and the plugins' declared parameters, and
the engine compatibility rules (PEP only for deterministic methods without noise, on classes
with a Gram-expressible description; exact interpolation for tight and lower claims).
"""
from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from .. import registry
from ..errors import CatalogueError, UsageError
from ..params import Choice, Param, Text
from ..schedule import Schedule
from ..spec import parse_spec
from . import schema as S
from .formula import parse
from .model import Claim, Component

if TYPE_CHECKING:
    from .loader import Locator


def name_and_params(raw, where: str, shape: str) -> tuple[str, dict]:
    """A catalogue component written as a spec string ``NAME[k=v,...]`` or as a table
    ``{name = ..., k = v}``: its name and its given parameters. ``where`` prefixes the error;
    ``shape`` says what was expected."""
    if isinstance(raw, str):
        try:
            sp_ = parse_spec(raw)
        except UsageError as e:
            raise CatalogueError(f"{where}: {e}") from None
        return sp_.name, dict(sp_.params)
    if isinstance(raw, dict) and isinstance(raw.get("name"), str):
        return raw["name"], {k: v for k, v in raw.items() if k != "name"}
    raise CatalogueError(f"{where} {shape}")


def plugin(role: str, name: str, where: str):
    reg = {"function": registry.functions, "noise": registry.noise, "algorithm": registry.algorithms}[role]
    try:
        return reg.get(name)
    except UsageError as e:
        raise CatalogueError(f"{where}: setting.{role}: {e}") from None


def _plugin_params(role: str, plug, values: dict) -> dict[str, Param]:
    if role == "function":
        gen = str(values.get("instance", plug.default_generator))
        return {p.name: p for p in plug.params(gen)}
    return {p.name: p for p in plug.params}


def component(role: str, raw, names: set, loc: Locator, i: int | None, cid: str) -> Component | None:
    if raw is None or raw == "none" or raw == {"name": "none"}:
        return None
    w = loc.at(loc.key(role, i))
    name, given = name_and_params(raw, f"{w}: claim {cid!r}: setting.{role}",
                                  'must be NAME, "NAME[k=v]" or {name = ..., k = v}')
    plug = plugin(role, name, w)
    try:
        decls = _plugin_params(role, plug, given)
    except UsageError as e:
        raise CatalogueError(f"{w}: claim {cid!r}: setting.{role}: {e}") from None
    values, text, schedules = {}, {}, set()
    for k, v in given.items():
        wk = f"{loc.at(loc.component(role, k, i))}: claim {cid!r}, setting.{role}.{k}"
        if k not in decls:
            close = difflib.get_close_matches(k, list(decls), n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise CatalogueError(f"{wk}: {name} has no parameter {k!r}{hint} (parameters: {', '.join(decls)})")
        dom = decls[k].domain
        text[k] = str(v)
        if isinstance(dom, Choice) or isinstance(v, bool):
            values[k] = v
        elif isinstance(dom, Text) or (isinstance(dom, Schedule) and isinstance(v, str)):  # formulas in t, N
            values[k] = parse(v, names | {"N", "t"}, where=wk)
            schedules.add(k)
        elif isinstance(v, str):
            values[k] = parse(v, names | {"N"}, where=wk)
        else:
            values[k] = v
    return Component(role, name, values, text, frozenset(schedules))


def merge(file_setting: dict, claim_setting: dict) -> dict:
    out = {}
    for role in S.COMPONENTS:
        a, b = file_setting.get(role), claim_setting.get(role)
        if isinstance(a, str) and a != "none":
            a = {"name": parse_spec(a).name, **parse_spec(a).params}
        if isinstance(b, dict) and isinstance(a, dict) and "name" not in b:
            out[role] = {**a, **b}  # no name: change some parameters; with a name: a new component
        else:
            out[role] = b if b is not None else a
    return out


def check_engines(c: Claim, plugins: dict, where: str) -> None:
    algo, fcls = plugins["algorithm"], plugins["function"]
    if c.setting["noise"] is not None and not algo.stochastic:
        raise CatalogueError(f"{where}: claim {c.id!r}: {algo.name} is a deterministic method; remove the noise "
                             f"or use a stochastic method")
    if c.iterate not in algo.outputs:
        raise CatalogueError(f"{where}: claim {c.id!r}: iterate {c.iterate!r} is not available for {algo.name} "
                             f"(available: {', '.join(algo.outputs)})")
    if "mc" in c.engines and "step_sq" in c.quantities:  # engine/template.py records no x_{N-1}
        raise CatalogueError(f"{where}: claim {c.id!r}: engine 'mc' cannot check step_sq (||x_N - x_(N-1)||^2): the "
                             f"Monte Carlo engine does not record x_(N-1); use engines = [\"pep\"]")
    fn_comp = c.setting.get("function")
    if "pep" in c.engines and algo.name == "forward-backward" and \
            str(getattr(fn_comp, "values", {}).get("instance", "")) == "split":
        raise CatalogueError(f"{where}: claim {c.id!r}: engine 'pep' is not compatible: the PEP models one operator "
                             f"class, so its forward-backward has B = 0, a restriction of this split problem; "
                             f"use engines = [\"mc\"]")
    if "pep" in c.engines:
        why = None
        if c.setting["noise"] is not None or not c.deterministic:
            why = f"{algo.name} with noise {c.noise!r} is stochastic; PEP covers deterministic methods only " \
                  f"(there is no PEP model of {c.noise or 'stochastic'} noise)"
        elif c.kind == "high_prob":
            why = "high_prob claims are statements about random runs; PEP has none"
        elif not any(k.pep != "none" for k in fcls.conditions):
            why = f"{fcls.name} has no PEP description (no Gram-expressible condition)"
        elif c.kind in ("tight", "lower") and not any(
                k.pep in (("exact",) if c.kind == "tight" else ("exact", "restriction")) for k in fcls.conditions):
            # a lower claim may use a restriction (its value is a lower bound); verify's PEP engine
            # then judges each N by the provenance of the conditions actually used (pep_engine.judge)
            why = f"a {c.kind} claim needs exact interpolation for {fcls.name}; its PEP is only a relaxation"
        if why:
            raise CatalogueError(f"{where}: claim {c.id!r}: engine 'pep' is not compatible: {why}; "
                                 f"use engines = [\"mc\"]")


__all__ = ["plugin", "component", "merge", "check_engines"]

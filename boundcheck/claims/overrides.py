"""How a ``--function``/``--noise`` override meets a claim: it flows into the claim's parameters, or
it is refused, or (a replaced noise model) its hypotheses are checked from declared facts.

A claim's setting component (``function = {name = "smooth-convex", instance = "huber", L = "L",
R = "R", N = "N", h = "h"}``) says how each plugin parameter follows from the claim. An override of
plugin parameter ``k`` of that component (``--function 'smooth-convex[L=2]'``, ``function.L=2``,
a bare ``L=2`` owned by the plugin) is routed by what the claim wrote for ``k``:

* a bare claim parameter (``L = "L"``): the value **flows into the claim parameter** ``L``, so the
  bound, the instance (still Huber) and every other formula in L change together;
* a formula (``beta = "alpha + 0.1"``, ``N = "N"``): refused (exit 2), naming the claim parameters
  to set instead: the formula is how the claim ties the plugin to them;
* a literal (``instance = "huber"``, ``scale = 1.0``): refused (exit 2) unless equal: it is part
  of the claim, which is stated for that value (declare a claim parameter to vary it);
* not written (the plugin's default, e.g. ``d``): passed to the plugin; the claim leaves it free;
  unless the claim declares a parameter of that name: then bound and plugin are not tied, refused.

A spec naming ANOTHER function class is refused: boundcheck declares no inclusions between
classes, so the claim's hypothesis could not be checked; its parameters are named instead.

A spec naming another NOISE model replaces the noise. Its hypotheses are checked against declared
facts, never names (``noise_failures``); each failure makes the claim SKIP with the reason:

* moment order: the claim's own noise, at the claim's values, declares a bounded q-th moment
  (``noise.shorthand.moment_order``: pareto[beta=1.6] gives q = 1.5, gaussian q = 2); the
  replacement must have a finite q-th moment (``NoiseModel.has_moment``: stable[alpha=1.5] has none);
* attainment: a claim that asserts the bound is attained (kind lower or tight, or a rate with
  sense equal or lower) is a statement about its own construction: another noise does not test it;
* constants: an absolute (non-rate) bound in a parameter that sets the claim's own noise (e.g. sigma)
  is stated for that noise's scale; another model is not tied to it.

``split_overrides`` applies these rules to a whole overrides dict (binding.bind calls it);
``check_overrides`` refuses values outside the domains the selected claims declare, or not numbers.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import sympy as sp

from ..errors import ParamError
from ..spec import parse_spec
from .model import Claim

ATTAINED = ("lower", "tight")


def _hint(names: list[str]) -> str:
    eg = "--noise alpha=VALUE" if names == ["alpha"] else f"--function {names[0]}=VALUE"
    s = "s" if len(names) > 1 else ""
    return f"set the claim parameter{s} {', '.join(names)} instead (e.g. {eg})"


def _free(claim, expr) -> list[str]:
    over = claim.check.over
    return sorted(s.name for s in expr.free_symbols if s.name in claim.params and s.name != over)


def route(claim, role: str, key: str, value: Any, said: str) -> tuple[str, str]:
    """Where plugin parameter ``key`` of the claim's ``role`` component, set to ``value`` by the
    option ``said``, goes: ("param", claim parameter), ("plugin", key) or ("same", key) (equal to
    the claim's literal: nothing to do). Raises ParamError when the claim does not let it change."""
    comp = claim.setting[role]
    if key not in comp.values:
        if key in claim.params:  # same name, not tied: setting one would leave the other behind
            raise ParamError(f"{said}: claim {claim.id!r} has a parameter {key}, but its {role} leaves {role}.{key} "
                             f"at the plugin's default: the two are not tied, so the bound would not follow; tie "
                             f"them in the catalogue ({role} = {{ ..., {key} = \"{key}\" }})")
        return "plugin", key
    v = comp.values[key]
    written = comp.text.get(key, str(v))
    if isinstance(v, sp.Symbol) and v.name in claim.params and v.name != claim.check.over:
        return "param", v.name
    if isinstance(v, sp.Basic) and v.free_symbols:
        names = _free(claim, v)
        why = _hint(names) if names else f"it follows the grid ({claim.check.over}) and cannot be set"
        raise ParamError(f"{said}: claim {claim.id!r} sets {role}.{key} = {written}; {why}")
    if _equal(v, value):
        return "same", key
    free = [n for n in claim.params if any(isinstance(x, sp.Basic) and n in {s.name for s in x.free_symbols}
                                            for x in comp.values.values())]
    also = f"; its parameters are {', '.join(free)}" if free else ""
    raise ParamError(f"{said}: claim {claim.id!r} fixes {role}.{key} = {written}: it is part of the claim, "
                     f"not a parameter{also}")


def _equal(a, b) -> bool:
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return str(a).strip() == str(b).strip()


def refuse_class(claim, role: str, name: str, said: str) -> ParamError:
    comp = claim.setting[role]
    names = [s.name for s in (v for v in comp.values.values() if isinstance(v, sp.Symbol))
             if s.name in claim.params and s.name != claim.check.over]
    eg = f" (e.g. --{role} '{comp.name}[{names[0]}=VALUE]' or --function {names[0]}=VALUE)" if names else ""
    what = f"set its parameters {', '.join(names)} instead{eg}" if names else "it has no parameters to set"
    return ParamError(f"{said}: claim {claim.id!r} is stated for the {role} class {comp.name} "
                      f"({comp.spec_text()}); boundcheck declares no inclusion of {name} in it, so the claim's "
                      f"hypothesis could not be checked: {what}")


def attained(claim) -> bool:
    return claim.kind in ATTAINED or (claim.kind == "rate" and claim.sense in ("equal", "lower"))


def noise_failures(claim, own: tuple[str, dict], new: tuple[str, dict]) -> list[str]:
    """Why the replacement noise ``new`` = (name, validated params) breaks the hypotheses that the
    claim's own noise ``own`` (at the claim's values) satisfies; [] when it does not."""
    from .. import registry
    from ..noise.shorthand import canonical, moment_order

    (oname, oparams), (nname, nparams) = own, new
    om, nm = registry.noise.get(oname), registry.noise.get(nname)
    ospec, nspec = canonical(oname, oparams), canonical(nname, nparams)
    out = []
    q = moment_order(om, oparams)
    if q is not None and not nm.has_moment(nparams, q):
        out.append(f"the claim assumes noise with a finite {_nth(q)} moment (its own noise {ospec} has a bounded "
                   f"{_nth(q)} moment); {nspec} has none (tail index {nm.tail_index(nparams):g})")
    if attained(claim):
        what = claim.kind if claim.kind != "rate" else f"rate (sense {claim.sense})"
        out.append(f"a {what} claim says its bound is attained by its own noise {ospec}; with {nspec} that is not "
                   f"tested")
    elif claim.kind != "rate":
        comp = claim.setting["noise"]
        tied = sorted({n for v in comp.values.values() if isinstance(v, sp.Basic) for n in _free(claim, v)}
                      & {s.name for s in claim.bound.free_symbols})
        if tied:
            out.append(f"the bound's constant uses {', '.join(tied)}, which set{'s' if len(tied) == 1 else ''} the "
                       f"claim's own noise {ospec}; {nspec} is not tied to {'it' if len(tied) == 1 else 'them'}")
    return out


def split_overrides(claim: Claim, overrides: Mapping[str, Any]):
    """-> (claim parameter values, {role: {k: v}} plugin overrides, [keys that do not apply]).

    Function and noise parameters are routed by overrides.route: into the claim parameter the
    catalogue ties them to (bound and instance change together), to the plugin when the claim leaves
    them free, or refused (ParamError, exit 2) naming the claim parameters to set instead."""
    from .binding import _REG, _ROLE, REPLACE, _plugin_param_names

    params, plugin, unused = {}, {"function": {}, "noise": {}, "algorithm": {}}, []
    source: dict[str, str] = {}

    def to_plugin(role: str, k: str, v, said: str) -> None:
        if REPLACE in plugin[role]:  # a replaced noise model: its parameters are its own
            plugin[role][k] = v
            return
        where, target = route(claim, role, k, v, said)
        if where == "param":
            flow(claim, params, source, target, v, said)
        elif where == "plugin":
            plugin[role][k] = v

    for key, v in overrides.items():
        if key in ("noise", "function"):
            comp = claim.setting.get(key)
            if comp is None:
                unused.append(key)
                continue
            spec = parse_spec(str(v))
            _REG[key].get(spec.name)  # unknown name: UnknownNameError (exit 2)
            said = f"--{key} {str(v)!r}"
            if spec.name == comp.name:
                for k, x in spec.params.items():
                    to_plugin(key, k, x, said)
            elif key == "function":
                raise refuse_class(claim, key, spec.name, said)
            else:
                plugin[key] = {REPLACE: spec.name, **spec.params, **{k: x for k, x in plugin[key].items()}}
            continue
        role, _, k = key.rpartition(".")
        if role:
            if role not in _ROLE:
                raise ParamError(f"unknown namespace {role!r} in {key!r} (use noise., function., algo.)")
            role = _ROLE[role]
            if claim.setting.get(role) is None:
                unused.append(key)
            elif role == "algorithm":
                plugin[role][k] = v
            else:
                to_plugin(role, k, v, f"{key}={v}")
        elif k in claim.params:
            flow(claim, params, source, k, v, f"{k}={v}")
        else:
            owners = [r for r, c in claim.setting.items() if c is not None and k in _plugin_param_names(r, c)]
            if len(owners) == 1:
                if owners[0] == "algorithm":
                    plugin["algorithm"][k] = v
                else:
                    to_plugin(owners[0], k, v, f"{k}={v}")
            elif owners:
                raise ParamError(f"{k!r} is a parameter of {' and '.join(owners)} in claim {claim.id!r}; "
                                 f"write {owners[0]}.{k}=... to say which")
            else:
                unused.append(key)
    return params, plugin, unused


def check_overrides(claims: Sequence[Claim], overrides: Mapping[str, Any]) -> None:
    """Raise ParamError (exit 2) when an override is outside the domain some selected claims
    declare, naming those claims and the domain: "alpha=2.5 is outside the domain of the
    selected claims: A, B need alpha in (1, 2]"."""
    for key, v in overrides.items():
        if "." in key or key in ("noise", "function"):
            continue
        if not _is_number(v) and any(key in c.params for c in claims):
            doms = sorted({str(c.params[key].domain) for c in claims if key in c.params})
            raise ParamError(f"{key}={v} is not a number (the selected claims declare {key} in {' or '.join(doms)})")
        bad = [c for c in claims if key in c.params and _outside(c.params[key], v)]
        if bad:
            doms = sorted({str(c.params[key].domain) for c in bad})
            ids = ", ".join(c.id for c in bad)
            raise ParamError(f"{key}={v} is outside the domain of the selected claims: {ids} "
                             f"need {key} in {' or '.join(doms)}")


def _is_number(v) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, (int, float)):
        return True
    try:
        float(str(v).strip().lower().replace("infinity", "inf"))
        return True
    except ValueError:
        return False


def _outside(p, v) -> bool:
    try:
        p.check(v)
        return False
    except ParamError:
        return True


def _nth(q: float) -> str:
    """2 -> '2nd', 1.5 -> '1.5-th'."""
    if float(q).is_integer():
        n = int(q)
        return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
    return f"{q:g}-th"


def flow(claim, params: dict, given: dict, key: str, value: Any, source: str) -> None:
    """Record claim parameter ``key`` = ``value`` from ``source``; refuse two different values."""
    if key in params and not _equal(params[key], value):
        raise ParamError(f"{source} sets the claim parameter {key} = {value} of claim {claim.id!r}, "
                         f"but {given[key]} sets it to {params[key]}")
    params[key], given[key] = value, source


__all__ = ["split_overrides", "check_overrides", "route", "refuse_class", "noise_failures", "attained", "flow"]

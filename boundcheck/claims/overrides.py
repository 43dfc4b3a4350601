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
"""
from __future__ import annotations

from typing import Any, Mapping

import sympy as sp

from ..errors import ParamError

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


__all__ = ["route", "refuse_class", "noise_failures", "attained", "flow"]

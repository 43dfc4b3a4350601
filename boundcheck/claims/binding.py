"""A claim at concrete parameters: values checked against their domains, assumptions evaluated,
the bound and exponent as numbers, the setting resolved to plugin parameters at each N.

Two outcomes must stay distinct (issue 5):

* a value outside a parameter's declared *domain* (``alpha = 2.5`` where the claim declares
  alpha in (1, 2]) is a usage error: ``ParamError`` (exit 2), naming the claims and the domain;
  ``check_overrides`` does this for a whole selection at once;
* a value inside the domain that violates an *assumption* (``alpha = 1.5`` for a claim assuming
  ``alpha == 2``) makes the claim not applicable: ``Binding.skip_reason`` says which relation
  failed and with which numbers, and the claim is reported as SKIP, not run.

Overrides: a bare key ``alpha`` sets the claim parameter ``alpha`` if declared, else the
parameter of that name of the one setting plugin that has it; ``noise.k``, ``function.k`` and
``algo.k``/``algorithm.k`` set a plugin parameter. A function or noise parameter is routed by
overrides.py: into the claim parameter the catalogue ties it to (``L = "L"``: bound and instance
change together), to the plugin where the claim leaves it free, or refused (exit 2) where the claim
fixes it or ties it by a formula, naming the claim parameters to set. A spec ``NAME[k=v,...]`` of
the claim's own plugin sets those parameters the same way; another noise model replaces the noise,
with its hypotheses checked from declared facts (SKIP with the reason when they fail); another
function class is refused. Not applicable where the claim has no such component.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np
import sympy as sp

from .. import registry
from ..errors import FormulaError, ParamError, UsageError
from .formula import evaluate, numpy_function, substitute, to_text
from .model import Claim
from .overrides import _is_number, check_overrides, split_overrides  # noqa: F401 (re-exported)

_ROLE = {"noise": "noise", "function": "function", "algo": "algorithm", "algorithm": "algorithm"}
_REG = {"function": registry.functions, "noise": registry.noise, "algorithm": registry.algorithms}
_TOL = 1e-12
REPLACE = "\0name"  # key in a plugin override dict: replace the component by this registry name


@dataclass(frozen=True)
class AssumptionFailure:
    claim_id: str
    assumption: str  # the assumption as written
    relation: str  # the failing piece, e.g. "alpha == 2"
    values: Mapping[str, float]  # the numbers of the parameters it involves
    sides: tuple[float, float]  # lhs and rhs evaluated
    regime: bool = False  # a relation of the claim's check regime, not a hypothesis of the theorem
    note: str = ""  # a hypothesis that is not a relation (a replaced noise model): the whole reason

    @property
    def reason(self) -> str:
        if self.note:
            return self.note
        vals = ", ".join(f"{k} = {v:g}" for k, v in self.values.items())
        if self.regime:
            return f"outside the check regime '{self.assumption}': {self.relation} is false at {vals}"
        return f"assumption '{self.assumption}' fails: {self.relation} is false at {vals}"


def _holds(a: float, op: str, b: float) -> bool:
    eps = _TOL * max(1.0, abs(a), abs(b))
    return {"<": a < b - eps, "<=": a <= b + eps, ">": a > b + eps, ">=": a >= b - eps,
            "==": abs(a - b) <= eps, "!=": abs(a - b) > eps}[op]


def _plugin_param_names(role: str, comp) -> set:
    plugin = _REG[role].get(comp.name)
    if role == "function":
        return {p.name for p in plugin.params(str(comp.values.get("instance", plugin.default_generator)))}
    return {p.name for p in plugin.params}


@dataclass
class Binding:
    claim: Claim
    values: dict[str, float]
    plugin_overrides: dict[str, dict]
    unused: list[str]
    failures: list[AssumptionFailure] = field(default_factory=list)

    @property
    def skip_reason(self) -> str | None:
        return self.failures[0].reason if self.failures else None

    @property
    def outside_regime_only(self) -> bool:
        """The theorem's assumptions hold but the check's regime does not: the claim is not judged
        here, but measuring it is meaningful (``boundcheck sweep`` does, to draw phase diagrams)."""
        return bool(self.failures) and all(f.regime for f in self.failures)

    def judged(self) -> "Binding":
        """This binding with its regime failures dropped (to measure outside the regime)."""
        from dataclasses import replace

        return replace(self, failures=[f for f in self.failures if not f.regime], unused=list(self.unused))

    def metric(self, **quantities) -> np.ndarray:
        """The claim's metric from per-run engine quantities (arrays); grad_norm = sqrt(grad_sq)."""
        q = dict(quantities)
        if "grad_norm" in self.claim.quantities and "grad_norm" not in q:
            q["grad_norm"] = np.sqrt(q["grad_sq"])
        return numpy_function(self.claim.metric_expr)(**{k: q[k] for k in self.claim.quantities})

    def as_dict(self) -> dict:
        return {"id": self.claim.id, "values": dict(self.values), "skip": self.skip_reason,
                "failed_assumptions": [f.__dict__ | {"values": dict(f.values), "sides": [x if math.isfinite(x) else None
                                                                                   for x in f.sides]}
                                       for f in self.failures],
                "unused_overrides": list(self.unused), "plugin_overrides": self.plugin_overrides}

    @property
    def horizon_dependent(self) -> bool:
        """True when the setting changes with N or the grid variable (a step, clip level, noise or
        instance tuned to the horizon, docs/pitfalls.md#horizon-dependent-tuning): then every grid point needs its own engine run.
        Else one run with checkpoints at the N grid serves every N."""
        over = {"N", self.claim.check.over}
        for comp in self.claim.setting.values():
            for k, v in (comp.values.items() if comp is not None else ()):
                if isinstance(v, sp.Basic) and {s.name for s in v.free_symbols} & over:
                    return True
        return self.claim.check.over != "N"

    @property
    def points(self) -> np.ndarray:
        """The grid: the horizons N, or the values of the ``over`` parameter (check.over)."""
        return np.asarray(self.claim.check.points, dtype=float)

    def at(self, x) -> dict:
        """All formula values at grid point ``x`` (an array gives arrays)."""
        chk = self.claim.check
        if chk.over == "N":
            return {**self.values, "N": x}
        return {**self.values, "N": chk.N[0], chk.over: x}

    def bound(self, xs=None) -> np.ndarray:
        """The bound at the grid points ``xs`` (default: the claim's grid; N values when over = N)."""
        xs = self.points if xs is None else np.asarray(xs, dtype=float)
        return numpy_function(self.claim.bound)(**self.at(xs)) * np.ones_like(xs)

    def exponent(self) -> float:
        """The claimed exponent b in the grid variable x (N, or check.over): given, or
        lim x d(log bound)/dx as x -> oo at these values."""
        if self.claim.exponent is not None:
            return evaluate(self.claim.exponent, self.values)
        over = self.claim.check.over
        vals = {k: v for k, v in self.at(0.0).items() if k != over}
        e = substitute(self.claim.bound, vals)
        X = sp.Symbol("X", positive=True)
        e = e.subs({s: X for s in e.free_symbols if s.name == over})
        # positive terms: max(a, b) is within a factor 2 of a + b, min(a, b) of 1/(1/a + 1/b); the
        # log-slope limit is the same, and sympy's series code handles the sums
        e = e.replace(sp.Max, lambda *a: sp.Add(*a)).replace(sp.Min, lambda *a: 1 / sp.Add(*[1 / x for x in a]))
        try:
            b = sp.limit(sp.simplify(X * sp.diff(sp.log(e), X)), X, sp.oo)
        except Exception:  # sympy gives up on some forms
            b = None
        if b is None or not b.is_real or not b.is_finite:
            raise FormulaError(f"{self.claim.where}: claim {self.claim.id!r}: cannot derive the exponent of "
                               f"{self.claim.bound_text!r} in {over}; give 'exponent' explicitly")
        return float(b)

    def setting_at(self, x) -> dict[str, tuple[str, dict] | None]:
        """The setting at grid point ``x`` (a horizon N, or a value of check.over)."""
        vals = self.at(x)
        return self._setting(vals, f"{self.claim.check.over}={x:g}")

    def setting(self, N: int) -> dict[str, tuple[str, dict] | None]:
        """{role: (plugin name, validated parameter dict)} at horizon N (None: no noise)."""
        return self._setting({**self.values, "N": N}, f"N={N}")

    def _setting(self, vals: dict, where: str) -> dict:
        return {role: (None if comp is None else self._component(role, vals, where))
                for role, comp in self.claim.setting.items()}

    def _component(self, role: str, vals: dict, where: str, replace: bool = True) -> tuple[str, dict]:
        """(plugin name, validated parameters) of one component at the values ``vals``; with
        ``replace=False`` the claim's own component, ignoring the overrides."""
        comp = self.claim.setting[role]
        over = dict(self.plugin_overrides.get(role, {})) if replace else {}
        if REPLACE in over:
            name = over.pop(REPLACE)
            return name, self._validate(_REG[role].get(name), over, where)
        given = {}
        for k, v in comp.values.items():
            if isinstance(v, sp.Basic):
                if k in comp.schedules:
                    given[k] = to_text(substitute(v, vals))
                else:
                    x = evaluate(v, vals)
                    if not math.isfinite(x):  # e.g. sqrt of a negative number: bad input, one line (exit 2)
                        raise ParamError(f"claim {self.claim.id!r} at {where}: {role} parameter {k} = "
                                         f"{comp.text.get(k, to_text(v))} is not a finite number ({x})")
                    given[k] = int(round(x)) if abs(x - round(x)) < 1e-9 and abs(x) < 2**53 else x
            else:
                given[k] = v
        given.update(over)
        return comp.name, self._validate(_REG[role].get(comp.name), given, where)

    def _validate(self, plugin, given: dict, where: str) -> dict:
        try:
            return plugin.validate(given)
        except UsageError as e:
            raise ParamError(f"claim {self.claim.id!r} at {where}: {e}") from None


def bind(claim: Claim, overrides: Mapping[str, Any], *, check_bound: bool = True) -> Binding:
    params, plugin, unused = split_overrides(claim, overrides)
    values = {}
    for name, p in claim.params.items():
        raw = params.get(name, p.default)
        try:
            values[name] = float(p.check(raw))
        except ParamError:
            what = f"to be a number in {p.domain}" if not _is_number(raw) else f"in {p.domain}"
            raise ParamError(f"claim {claim.id!r} needs {name} {what} (got {raw})") from None
    if claim.check.over != "N" and claim.check.over in params:
        unused.append(claim.check.over)  # the grid sets it
    b = Binding(claim, values, plugin, unused)
    grid = [values] if claim.check.over == "N" else [{**values, claim.check.over: v} for v in claim.check.grid]
    for regime, group in ((False, claim.assumptions), (True, claim.regime)):
        for a in group:
            for lhs, op, rhs in a.relations:
                for vals in grid:
                    x, y = evaluate(lhs, vals), evaluate(rhs, vals)
                    if not _holds(x, op, y):
                        syms = sorted({s.name for s in (lhs.free_symbols | rhs.free_symbols)})
                        b.failures.append(AssumptionFailure(claim.id, a.text, f"{to_text(lhs)} {op} {to_text(rhs)}",
                                                            {s: vals[s] for s in syms}, (x, y), regime))
                        break
    if REPLACE in plugin.get("noise", {}):
        from .overrides import noise_failures

        x = float(b.points[-1])
        new = b._component("noise", b.at(x), f"{claim.check.over}={x:g}")  # bad parameters: exit 2
        try:
            own = b._component("noise", b.at(x), f"{claim.check.over}={x:g}", replace=False)
        except UsageError:  # the claim's own noise is undefined here: an assumption already fails
            own = None
        for why in (noise_failures(claim, own, new) if own is not None else []):
            b.failures.append(AssumptionFailure(claim.id, f"noise {own[0]}", "", {}, (math.nan, math.nan), note=why))
    if check_bound and not any(not f.regime for f in b.failures):
        from .sanity import bound_problem

        msg = bound_problem(b)  # a bound that is not a number at a check point: input error (exit 2)
        if msg:
            raise ParamError(msg)
        # plugin parameters (overridden or computed from formulas) are validated now, before any run
        for x in (b.points if b.horizon_dependent else b.points[-1:]):
            b.setting_at(float(x)) if claim.check.over != "N" else b.setting(int(x))
    return b


__all__ = ["Binding", "AssumptionFailure", "bind", "check_overrides", "split_overrides"]

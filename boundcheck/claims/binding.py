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
``algo.k``/``algorithm.k`` set a plugin parameter directly (replacing the catalogue's formula);
``noise``, ``function`` (a spec ``NAME[k=v,...]``) replace that component of the setting
altogether (the catalogue's formulas for it are dropped; not applicable where it has none).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import sympy as sp

from .. import registry
from ..errors import FormulaError, ParamError, UsageError
from ..spec import parse_spec
from .formula import evaluate, numpy_function, substitute, to_text
from .model import Claim

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

    @property
    def reason(self) -> str:
        vals = ", ".join(f"{k} = {v:g}" for k, v in self.values.items())
        if self.regime:
            return f"outside the check regime '{self.assumption}': {self.relation} is false at {vals}"
        return f"assumption '{self.assumption}' fails: {self.relation} is false at {vals}"


def _holds(a: float, op: str, b: float) -> bool:
    eps = _TOL * max(1.0, abs(a), abs(b))
    return {"<": a < b - eps, "<=": a <= b + eps, ">": a > b + eps, ">=": a >= b - eps,
            "==": abs(a - b) <= eps, "!=": abs(a - b) > eps}[op]


def split_overrides(claim: Claim, overrides: Mapping[str, Any]):
    """-> (claim parameter values, {role: {k: v}} plugin overrides, [keys that do not apply])."""
    params, plugin, unused = {}, {"function": {}, "noise": {}, "algorithm": {}}, []
    for key, v in overrides.items():
        if key in ("noise", "function"):
            if claim.setting.get(key) is None:
                unused.append(key)
            else:
                spec = parse_spec(str(v))
                _REG[key].get(spec.name)  # unknown name: UnknownNameError (exit 2)
                plugin[key] = {REPLACE: spec.name, **spec.params}
            continue
        role, _, k = key.rpartition(".")
        if role:
            if role not in _ROLE:
                raise ParamError(f"unknown namespace {role!r} in {key!r} (use noise., function., algo.)")
            role = _ROLE[role]
            if claim.setting.get(role) is None:
                unused.append(key)
            else:
                plugin[role][k] = v
        elif k in claim.params:
            params[k] = v
        else:
            owners = [r for r, c in claim.setting.items() if c is not None and k in _plugin_param_names(r, c)]
            if len(owners) == 1:
                plugin[owners[0]][k] = v
            elif owners:
                raise ParamError(f"{k!r} is a parameter of {' and '.join(owners)} in claim {claim.id!r}; "
                                 f"write {owners[0]}.{k}=... to say which")
            else:
                unused.append(key)
    return params, plugin, unused


def _plugin_param_names(role: str, comp) -> set:
    plugin = _REG[role].get(comp.name)
    if role == "function":
        return {p.name for p in plugin.params(str(comp.values.get("instance", plugin.default_generator)))}
    return {p.name for p in plugin.params}


def check_overrides(claims: Sequence[Claim], overrides: Mapping[str, Any]) -> None:
    """Raise ParamError (exit 2) when an override is outside the domain some selected claims
    declare, naming those claims and the domain: "alpha=2.5 is outside the domain of the
    selected claims: A, B need alpha in (1, 2]"."""
    for key, v in overrides.items():
        if "." in key or key in ("noise", "function"):
            continue
        bad = [c for c in claims if key in c.params and _outside(c.params[key], v)]
        if bad:
            doms = sorted({str(c.params[key].domain) for c in bad})
            ids = ", ".join(c.id for c in bad)
            raise ParamError(f"{key}={v} is outside the domain of the selected claims: {ids} "
                             f"need {key} in {' or '.join(doms)}")


def _outside(p, v) -> bool:
    try:
        p.check(v)
        return False
    except ParamError:
        return True


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
                "failed_assumptions": [f.__dict__ | {"values": dict(f.values)} for f in self.failures],
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
        out = {}
        for role, comp in self.claim.setting.items():
            if comp is None:
                out[role] = None
                continue
            over = dict(self.plugin_overrides.get(role, {}))
            if REPLACE in over:
                name = over.pop(REPLACE)
                out[role] = (name, self._validate(_REG[role].get(name), over, where))
                continue
            given = {}
            for k, v in comp.values.items():
                if isinstance(v, sp.Basic):
                    if k in comp.schedules:
                        given[k] = to_text(substitute(v, vals))
                    else:
                        x = evaluate(v, vals)
                        given[k] = int(round(x)) if abs(x - round(x)) < 1e-9 and abs(x) < 2**53 else x
                else:
                    given[k] = v
            given.update(over)
            out[role] = (comp.name, self._validate(_REG[role].get(comp.name), given, where))
        return out

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
            raise ParamError(f"claim {claim.id!r} needs {name} in {p.domain} (got {raw})") from None
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
    if check_bound and not any(not f.regime for f in b.failures):
        from .sanity import bound_problem

        msg = bound_problem(b)  # a bound that is not a number at a check point: input error (exit 2)
        if msg:
            raise ParamError(msg)
    return b


__all__ = ["Binding", "AssumptionFailure", "bind", "check_overrides", "split_overrides"]

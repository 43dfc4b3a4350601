"""Checks of a claim at concrete parameters that must pass before anything runs.

* ``bound_problem``: the bound must be a finite number at every check point. A bound that is
  -inf, +inf or NaN there (``log(1 - N)``, ``exp(1000*N)``) cannot be compared with a measurement:
  every comparison with it is vacuous or meaningless, so it is an input error, not a verdict.
  The loader checks it at the claim's defaults, ``bind`` again at the overridden values.
* ``impossible_assumption``: an assumption that fails at the defaults AND provably fails for every
  value the parameters may take (their declared domains; any claim parameter can be overridden
  from the command line, e.g. ``--function L=2`` or ``--noise alpha=2``), so the claim could never
  run. An assumption that fails at the defaults but holds for some other value is NOT an error: the
  claim is then SKIP until that value is given (e.g. ``alpha == 2`` with the default alpha = 1.5).
  "Provably" is decided exactly for relations in one parameter (sympy's solver over the domain,
  intersected with the claim's other relations in that parameter) and for relations without
  parameters; a relation in several parameters is never rejected here (a witness may exist).
* ``nonfinite_note``: where a non-finite number is legitimately reported (a diverged run makes a
  mean +inf), the JSON holds null in its place and the reason says which value it was.
"""
from __future__ import annotations

import math
from typing import Any, Mapping

import numpy as np
import sympy as sp

from .formula import to_text


def nonfinite_name(x: float) -> str:
    return "NaN" if math.isnan(x) else ("+inf" if x > 0 else "-inf")


def _vals(values: Mapping[str, float]) -> str:
    return ", ".join(f"{k} = {v:g}" for k, v in values.items())


def bound_problem(b) -> str | None:
    """None if the bound of binding ``b`` is finite at every grid point, else what is wrong (the
    first bad point and its value)."""
    c = b.claim
    with np.errstate(all="ignore"):
        try:
            ys = np.asarray(b.bound(), dtype=float)
        except (OverflowError, ZeroDivisionError, ValueError):  # pragma: no cover - numpy gives inf/nan
            ys = np.full(len(b.points), np.nan)
    for x, y in zip(b.points, ys):
        if not math.isfinite(y):
            at = f"{c.check.over} = {x:g}" + (f" (N = {c.check.N[0]})" if c.check.over != "N" else "")
            used = {s.name for s in c.bound.free_symbols}
            shown = {k: v for k, v in b.values.items() if k in used and k != c.check.over}
            vals = f" with {_vals(shown)}" if shown else ""
            return (f"claim {c.id!r}: bound {c.bound_text!r} is {nonfinite_name(y)} at {at}{vals}; "
                    f"a bound must be a finite number at every check point")
    return None


def _solution_set(lhs, op: str, rhs, x: sp.Symbol, domain):
    """The set of x in ``domain`` where ``lhs op rhs`` holds, or None when sympy cannot say."""
    rel = {"<": sp.Lt, "<=": sp.Le, ">": sp.Gt, ">=": sp.Ge, "==": sp.Eq, "!=": sp.Ne}[op](lhs, rhs)
    try:
        s = sp.solveset(rel, x, domain=domain)
    except Exception:  # NotImplementedError and friends: undecided
        return None
    return None if isinstance(s, sp.ConditionSet) or s.has(sp.ConditionSet) else s


def _domain_set(p) -> sp.Set:
    d = p.domain
    lo, hi = (sp.Rational(repr(v)) if math.isfinite(v) else v * sp.oo for v in (float(d.lo), float(d.hi)))
    return sp.Interval(lo, hi, left_open=d.lo_open or not math.isfinite(d.lo),
                       right_open=d.hi_open or not math.isfinite(d.hi))


def impossible_assumption(claim, defaults: Mapping[str, float], holds) -> tuple[str, str] | None:
    """(assumption text, why) for the first assumption (or regime relation) that can never hold,
    else None. ``holds(a, op, b)`` is the binding's tolerant comparison."""
    from .formula import evaluate

    groups = [("assumption", a) for a in claim.assumptions] + [("regime", a) for a in claim.regime]
    failing = []
    for what, a in groups:
        for lhs, op, rhs in a.relations:
            try:
                ok = holds(evaluate(lhs, defaults), op, evaluate(rhs, defaults))
            except Exception:
                ok = True  # not evaluable here: the binding reports it
            if not ok:
                failing.append((what, a, lhs, op, rhs))
    for what, a, lhs, op, rhs in failing:
        syms = lhs.free_symbols | rhs.free_symbols
        rel = f"{to_text(lhs)} {op} {to_text(rhs)}"
        if not syms:
            return a.text, f"{rel} is false (it involves no parameter, so no value can change it)"
        if len(syms) != 1:
            continue
        (x,) = syms
        if x.name not in claim.params:
            continue
        param = claim.params[x.name]
        dom = _domain_set(param)
        sol = _solution_set(lhs, op, rhs, x, dom)
        if sol is None:
            continue
        others = []  # the claim's other one-parameter relations in x: all must hold together
        for _, b in groups:
            for l2, o2, r2 in b.relations:
                if (l2.free_symbols | r2.free_symbols) == {x} and (l2, o2, r2) != (lhs, op, rhs):
                    s2 = _solution_set(l2, o2, r2, x, dom)
                    if s2 is not None:
                        sol, others = sol.intersect(s2), others + [f"{to_text(l2)} {o2} {to_text(r2)}"]
        if sol.is_empty:
            also = f" together with {', '.join(others)}" if others else ""
            return a.text, (f"no value of {x.name} in its domain {param.domain} satisfies {rel}{also} "
                            f"(the default is {x.name} = {defaults[x.name]:g})")
    return None


def nonfinite_note(fields: Mapping[str, Any]) -> str:
    """'measured is +inf, ci[1] is NaN (null in the JSON)' for the non-finite numbers among
    ``fields`` (name -> number or pair), or ''."""
    bad = []
    for name, v in fields.items():
        items = [(name, v)] if not isinstance(v, (list, tuple)) else [(f"{name}[{i}]", x) for i, x in enumerate(v)]
        for n, x in items:
            if isinstance(x, (int, float)) and not isinstance(x, bool) and not math.isfinite(x):
                bad.append(f"{n} is {nonfinite_name(float(x))}")
    return f"{', '.join(bad)} (null in the JSON)" if bad else ""


__all__ = ["bound_problem", "impossible_assumption", "nonfinite_note", "nonfinite_name"]

"""Evidence grades: how much a PASS could have caught.

Every PASS carries a *resolution* (claims/resolution.py): the strengthening of the claim at which
the same data would have reached the FAIL threshold.

* ``factor`` k >= 1 (value bounds: upper, lower, tight, high_prob): the bound divided by k (upper)
  or multiplied by k (lower) would have FAILed; a tight claim takes the smaller one-sided factor;
* ``exponent`` delta >= 0 (rates): the exponent made steeper (upper sense) or shallower (lower
  sense) by delta, tolerance included, would have FAILed; a two-sided rate takes the smaller.

An infinite resolution (a measured 0 under an upper bound, a test that could not FAIL at all) is
stored as ``value: null`` and is weak. The grade (the thresholds are declared here, once):

    strong    exponent margin <= 0.1, or factor <= 1.5
    moderate  exponent margin <= 0.3, or factor <= 4
    weak      beyond those

A claim may declare stricter thresholds (catalogue key ``evidence``), never looser ones.

A grade also depends on where the bound comes from (catalogue key ``bound_source``): a strong grade
counts only for the paper's own statement (constants and exponents as published, or a documented
weakening of them). A bound we derived ourselves from the paper's assumptions grades at most
moderate; a constant we chose (for instance to fit the data) earns no grade and is graded weak,
however close the data come to it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Mapping

GRADES = ("strong", "moderate", "weak")  # best first
KINDS = ("exponent", "factor")
THRESHOLDS = {"exponent": {"strong": 0.1, "moderate": 0.3}, "factor": {"strong": 1.5, "moderate": 4.0}}
# catalogue key evidence = {strong_factor = 1.2, ...}: the names a claim may tighten
THRESHOLD_KEYS = {f"{g}_{k}": (k, g) for k in KINDS for g in GRADES[:2]}

MEANING = {
    "strong": "the same data would have FAILed the claim made stronger by a factor of at most 1.5 in its "
              "constant (or by at most 0.1 in its exponent): the check resolves the claim about as finely as "
              "it is stated",
    "moderate": "the same data would have FAILed the claim made stronger by more than its resolution, which lies "
                "between a factor 1.5 and 4 (an exponent margin between 0.1 and 0.3); a smaller error would "
                "have passed too",
    "weak": "the same data would have passed a claim stronger by a factor 4 (or by 0.3 in its exponent), or "
            "could not have failed at all: a much stronger, possibly wrong, claim would have passed too; this "
            "PASS says little",
}


@dataclass(frozen=True)
class Resolution:
    kind: str  # exponent | factor
    value: float  # the margin delta or the factor k; inf when nothing could have been caught
    statement: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "value": self.value if math.isfinite(self.value) else None,
                "statement": self.statement}

    @classmethod
    def from_dict(cls, d: Mapping) -> "Resolution":
        v = d.get("value")
        return cls(d["kind"], math.inf if v is None else float(v), d.get("statement", ""))


def exponent(delta: float, what: str = "an exponent error") -> Resolution:
    delta = max(0.0, float(delta))
    if not math.isfinite(delta):
        return Resolution("exponent", math.inf, f"could not have caught {what} of any size")
    return Resolution("exponent", delta, f"would have caught {what} larger than {delta:.3g}")


def factor(k: float, what: str = "a constant wrong by a factor") -> Resolution:
    k = max(1.0, float(k)) if not math.isnan(k) else math.inf
    if not math.isfinite(k):
        return Resolution("factor", math.inf, f"could not have caught {what} of any size")
    return Resolution("factor", k, f"would have caught {what} larger than {k:.6g}")


BOUND_SOURCES = ("paper", "derived", "ours")


def capped(t: "Thresholds", source: str) -> "Thresholds":
    """``t`` with the grades a bound from ``source`` cannot earn made unreachable."""
    if source == "paper":
        return t
    vals = {k: dict(v) for k, v in t.values.items()}
    for kind in KINDS:
        vals[kind]["strong"] = -math.inf
        if source == "ours":
            vals[kind]["moderate"] = -math.inf
    return Thresholds(vals)


@dataclass(frozen=True)
class Thresholds:
    """Grade thresholds; ``stricter`` returns a claim's own (each at most the default)."""

    values: Mapping[str, Mapping[str, float]] = None

    def __post_init__(self):
        if self.values is None:
            object.__setattr__(self, "values", {k: dict(v) for k, v in THRESHOLDS.items()})

    def stricter(self, given: Mapping[str, float]) -> "Thresholds":
        """Thresholds with ``given`` ({"strong_factor": 1.2, ...}) applied. Raises ValueError for an
        unknown name, a looser value than the default, or moderate tighter than strong."""
        vals = {k: dict(v) for k, v in self.values.items()}
        for name, x in given.items():
            if name not in THRESHOLD_KEYS:
                raise ValueError(f"unknown evidence threshold {name!r} (names: {', '.join(THRESHOLD_KEYS)})")
            kind, grade = THRESHOLD_KEYS[name]
            floor = 1.0 if kind == "factor" else 0.0
            if isinstance(x, bool) or not isinstance(x, (int, float)) or not floor <= x <= vals[kind][grade]:
                raise ValueError(f"evidence threshold {name} = {x!r} must be in [{floor:g}, {vals[kind][grade]:g}]: "
                                 f"a claim may make the grades stricter, never looser")
            vals[kind][grade] = float(x)
        for kind in KINDS:
            if vals[kind]["strong"] > vals[kind]["moderate"]:
                raise ValueError(f"evidence thresholds: strong_{kind} = {vals[kind]['strong']:g} exceeds "
                                 f"moderate_{kind} = {vals[kind]['moderate']:g}")
        return Thresholds(vals)

    def grade(self, r: Resolution | Mapping | None) -> str | None:
        if r is None:
            return None
        if isinstance(r, Mapping):
            r = Resolution.from_dict(r)
        t = self.values[r.kind]
        for g in GRADES[:2]:
            if r.value <= t[g]:
                return g
        return "weak"

    def as_dict(self) -> dict:
        return {k: dict(v) for k, v in self.values.items()}


DEFAULT = Thresholds()


def meets(grade: str | None, required: str | None) -> bool:
    """True when ``grade`` is at least ``required`` (None requires nothing)."""
    if required is None:
        return True
    if required not in GRADES:
        raise ValueError(f"required evidence must be one of {', '.join(GRADES)} (got {required!r})")
    return grade is not None and GRADES.index(grade) <= GRADES.index(required)


def strongest(rs: Iterable[Resolution | Mapping | None]) -> Resolution | None:
    """The finest resolution (smallest margin or factor) among ``rs`` (None entries ignored)."""
    best = None
    for r in rs:
        if r is None:
            continue
        if isinstance(r, Mapping):
            r = Resolution.from_dict(r)
        if best is None or r.value < best.value:
            best = r
    return best


def short(r: Resolution | Mapping | None) -> str:
    """'k=1.32', 'delta=0.07', 'k=inf' for tables."""
    if r is None:
        return ""
    if isinstance(r, Mapping):
        r = Resolution.from_dict(r)
    sym = "k" if r.kind == "factor" else "d"
    return f"{sym}={r.value:.3g}" if math.isfinite(r.value) else f"{sym}=inf"


__all__ = ["GRADES", "KINDS", "THRESHOLDS", "THRESHOLD_KEYS", "MEANING", "Resolution", "Thresholds", "DEFAULT",
           "exponent", "factor", "meets", "strongest", "short"]

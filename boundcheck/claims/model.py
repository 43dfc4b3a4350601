"""The resolved catalogue objects: ``Claim`` (everything a check needs, parsed and validated),
its ``Citation``, ``Check`` settings, ``Component`` (one plugin of the setting) and
``Assumption``. Built by loader.py; evaluated at concrete parameters by binding.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from ..params import Param


@dataclass(frozen=True)
class Citation:
    authors: str
    year: int
    title: str
    theorem: str
    arxiv: str | None = None
    venue: str | None = None
    doi: str | None = None
    url: str | None = None
    note: str | None = None

    def short(self) -> str:
        """``Drori, Teboulle 2014, Thm 3.1`` (surnames, year, theorem)."""
        text = self.authors.strip()
        etal = text.lower().rstrip(".").endswith("et al")  # "J. Zhang et al." as written
        if etal:
            text = text[: text.lower().rindex("et al")].rstrip(" ,")
        names = [a.strip() for a in text.replace(" and ", ",").split(",") if a.strip()]
        surnames = [n.split()[-1] for n in names]
        who = ", ".join(surnames[:2]) + (" et al." if etal or len(surnames) > 2 else "")
        return f"{who} {self.year}, {self.theorem}"

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Check:
    N: tuple[int, ...]
    runs: int
    seed: int
    confidence: float
    tolerance: float
    fit_from: int
    bootstrap: int
    budget_s: float
    index: str
    over: str = "N"  # the grid variable: N, or a declared parameter (then N holds one horizon)
    grid: tuple[float, ...] | None = None  # its values when over != "N"

    @property
    def points(self) -> tuple:
        """The values of the grid variable: the horizons, or the ``over`` parameter's grid."""
        return self.N if self.over == "N" else self.grid

    def as_dict(self) -> dict:
        d = dict(self.__dict__)
        d["N"], d["grid"] = list(self.N), None if self.grid is None else list(self.grid)
        return d


@dataclass(frozen=True)
class Component:
    """One plugin of the setting: registry ``name`` and its parameter values as written.

    ``values`` maps a plugin parameter to a number, a literal string (Choice parameters such as
    ``instance``) or a parsed sympy formula in the claim parameters and N (and t for schedules).
    """

    role: str  # function | noise | algorithm
    name: str
    values: Mapping[str, Any]
    text: Mapping[str, str]  # the formulas as written, for reports
    schedules: frozenset = frozenset()  # keys with a Text domain (schedules in t and N): passed as text

    def spec_text(self) -> str:
        if not self.text:
            return self.name
        return f"{self.name}[{','.join(f'{k}={v}' for k, v in self.text.items())}]"


@dataclass(frozen=True)
class Assumption:
    text: str
    relations: tuple  # ((lhs, op, rhs), ...) sympy expressions


@dataclass(frozen=True)
class Claim:
    id: str
    kind: str
    citation: Citation
    bound_text: str
    bound: Any  # sympy expression in N and the parameters
    expected: str
    metric: str
    metric_expr: Any  # sympy expression over QUANTITIES
    iterate: str
    params: Mapping[str, Param]
    setting: Mapping[str, Component | None]
    check: Check
    engines: tuple[str, ...]
    assumptions: tuple[Assumption, ...] = ()
    regime: tuple[Assumption, ...] = ()  # where the check is trusted (not hypotheses of the theorem)
    delta: float | None = None
    sense: str = "equal"
    exponent_text: str | None = None
    exponent: Any = None
    demo: bool = False
    fast: bool = False
    notes: str = ""
    runner: str | None = None  # deprecated (engine runner is read as mc); always None after loading
    file: Path | None = None
    line: int = 0
    title: str = ""
    tag: str = ""
    lines: Mapping[str, int] = field(default_factory=dict)  # field -> line in the file
    evidence: Mapping[str, float] = field(default_factory=dict)  # stricter grade thresholds (evidence.py)
    compare: Any = None  # claims/compare.CompareSpec (kind compare): setting B and the form
    init: Any = None  # claims/init.Init: the initial condition (key init); None: the function setting's R
    bound_source: str = "paper"  # paper | derived | ours: where the bound's constants and exponents come from

    @property
    def thresholds(self):
        """The evidence-grade thresholds of this claim: the defaults, made stricter by ``evidence``,
        and capped by ``bound_source`` (evidence.capped): a bound we derived grades at most
        moderate, a constant we chose grades weak (it earns no grade)."""
        from ..evidence import DEFAULT, capped

        return capped(DEFAULT.stricter(self.evidence), self.bound_source)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.file else f"claim {self.id!r}"

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)

    @property
    def algorithm(self) -> str:
        return self.setting["algorithm"].name

    @property
    def function(self) -> str:
        return self.setting["function"].name

    @property
    def noise(self) -> str | None:
        c = self.setting.get("noise")
        return c.name if c is not None else None

    @property
    def deterministic(self) -> bool:
        """No noise and no randomness of the method's own: one MC run is exact
        (stats.mean_test(exact=True)). A stochastic method without noise gets exact gradients, so it
        is deterministic too, unless it draws auxiliary randomness (``samples_per_step``, e.g. SMoM's
        smoothing) or the function is a finite sum sampled at random (its ``sampling`` is a random
        oracle model, boundcheck/oracles; the incremental order is deterministic)."""
        from .. import registry

        if self.noise is not None:
            return False
        algo = registry.algorithms.get(self.algorithm)
        if algo.stochastic and algo.samples_per_step is not None:
            return False
        samp = getattr(self.setting["function"], "values", {}).get("sampling")
        if samp is not None:
            from ..oracles import ALIASES

            return ALIASES.get(str(samp), str(samp)) == "incremental"
        return True

    @property
    def quantities(self) -> tuple[str, ...]:
        """Engine quantities the metric needs (f_gap, grad_sq, ...); grad_norm is sqrt(grad_sq)."""
        return tuple(sorted(s.name for s in self.metric_expr.free_symbols))

    @property
    def metric_key(self) -> str | None:
        """The engine's metric name ``QUANTITY@ITERATE`` for a single-quantity metric."""
        from .schema import QUANTITIES

        return f"{self.metric}@{self.iterate}" if self.metric in QUANTITIES[:4] else None

    def n_tests(self, engines: tuple[str, ...] | None = None) -> int:
        """Statistical tests this claim adds to the family (for stats.Budget): one per N (one per
        rate fit) for each Monte Carlo engine run with randomness; exact comparisons (PEP,
        deterministic MC) spend no false-alarm budget."""
        if self.deterministic:
            return 0
        one = self.kind == "rate" or (self.kind == "compare" and self.compare.form in ("steeper", "growth"))
        per = 1 if one else len(self.check.points)
        return per * sum(1 for e in (engines or self.engines) if e == "mc")

    def bind(self, overrides: Mapping[str, Any] | None = None):
        """Evaluate at concrete parameters (defaults + ``overrides``); see binding.Binding."""
        from .binding import bind

        return bind(self, overrides or {})

    def describe(self) -> dict:
        """JSON-ready description (no numbers that depend on overrides)."""
        return {
            "id": self.id, "kind": self.kind, "expected": self.expected, "bound": self.bound_text,
            "exponent": self.exponent_text, "delta": self.delta, "sense": self.sense if self.kind == "rate" else None,
            "metric": self.metric, "iterate": self.iterate, "engines": list(self.engines),
            "assumptions": [a.text for a in self.assumptions], "regime": [a.text for a in self.regime],
            "setting": {k: (c.spec_text() if c else None) for k, c in self.setting.items()},
            "params": {k: {"default": p.default, "domain": str(p.domain), "doc": p.doc} for k, p in self.params.items()},
            "check": self.check.as_dict(), "citation": self.citation.as_dict(),
            "file": str(self.file) if self.file else None, "line": self.line,
            "demo": self.demo, "fast": self.fast,
        }


__all__ = ["Citation", "Check", "Component", "Assumption", "Claim"]

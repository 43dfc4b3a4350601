"""Function classes, their instance generators, certified constants and conditions.

A ``FunctionClass`` (one file each in this folder) declares:

* ``constants``: the class constants as ``Param`` (L, mu, gamma, M, L0, L1, ...), and for each
  which direction is *stronger* (``stronger={"L": "smaller", "mu": "larger"}``): claiming a smaller
  L or a larger mu than the truth is optimistic, and the self-checks must catch it;
* ``generators``: seeded instance constructions, each returning an ``Instance`` whose constants are
  **certified** (computed exactly, or bounded provably, with the method recorded);
* ``conditions``: the inequalities that define the class or that every member satisfies, written
  once as plain functions over points ``p = (x, g, f)``. The same function is evaluated on numpy
  points by the self-checks (``functions/check.py``) and on symbolic Gram points by the PEP module,
  which reads ``pep`` (``exact`` interpolation, ``relaxation`` = necessary only, ``none`` = not
  expressible in a Gram matrix).

Kernels: every generator provides numba-compiled ``value(x, p, A, b) -> float`` and
``grad(x, p, A, b, out) -> None`` (writes the gradient into ``out``) over the instance data
``(p, A, b)`` = (float64[:], float64[:, :], float64[:]). One fixed signature for all families keeps
the engine's kernels generic; families that need no matrix pass a 1x1 dummy.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, NamedTuple, Sequence

import numpy as np

from ..errors import ParamError
from ..params import Choice, Interval, Param, Relation, validate


class Point(NamedTuple):
    """A point of a function: position ``x``, (sub)gradient ``g``, value ``f``, optional Hessian."""

    x: Any
    g: Any
    f: Any
    H: Any = None


@dataclass(frozen=True)
class Certified:
    """A certified constant: ``value`` holds for the instance, proven by ``method``.

    ``exact`` is True when the value is the best constant (attained), False when it is a rigorous
    bound that may be loose (then ``tightness`` says how close it is known to be, if known).
    """

    value: float
    method: str
    exact: bool = True
    tightness: float | None = None

    def __float__(self) -> float:
        return float(self.value)


@dataclass(frozen=True)
class Condition:
    """An inequality ``expr(...) >= 0`` that members of the class satisfy.

    arity: ``"pair"``: ``expr(pi, pj, c)`` for every ordered pair of points;
           ``"star"``: ``expr(pi, ps, c)`` between each point and the minimizer ``ps``;
           ``"point"``: ``expr(pi, c)`` at each point (may use ``pi.H``, the Hessian).
    role:  ``"interpolation"`` (necessary and sufficient for interpolation, on pairs),
           ``"necessary"`` (holds for members; a PEP using it gives a relaxation: an upper bound),
           ``"defining"`` (the class definition itself, possibly not Gram-expressible).
    pep:   ``"exact"`` | ``"relaxation"`` | ``"restriction"`` | ``"none"`` (how the PEP module may use it).
    ``c`` is a mapping of constants, e.g. ``{"L": 1.0, "mu": 0.1}``.

    Provenance (``provenance``, one vocabulary across classes, certificates, certify, info and verify):

    * ``"exact"``: part of an interpolation theorem; with only exact conditions the PEP value is the
      worst case over the class (pep = "exact");
    * ``"necessary"``: every member satisfies it, but the conditions used do not characterise the
      class; the PEP is a relaxation and its value a valid upper bound only (pep = "relaxation");
    * ``"sufficient"``: every point set satisfying it is interpolable by a member, but some members
      violate it; the PEP is a restriction and its value a valid lower bound only (pep = "restriction").

    ``reference`` names the paper and theorem the provenance rests on. ``with_star``: the condition
    states what the claim's x* is (e.g. a global minimiser: f_i >= f*) and is used only when x* takes
    part in the PEP (a measure or initial condition refers to it); the class's own conditions never
    add x* to a PEP that does not mention it.
    """

    name: str
    arity: str
    expr: Callable
    role: str
    pep: str
    formula: str
    reference: str = ""
    # used only when when(c) holds (a limit case of the constants, e.g. mu = L); None: always
    when: Callable[[Mapping[str, float]], bool] | None = None
    with_star: bool = False

    def applies(self, c: Mapping[str, float]) -> bool:
        return self.when is None or bool(self.when(c))

    @property
    def provenance(self) -> str:
        """``exact`` | ``necessary`` | ``sufficient`` (see the class docstring); a condition the PEP
        cannot use (pep = "none") is ``necessary``: members satisfy it, nothing more is claimed."""
        return PEP_PROVENANCE.get(self.pep, "necessary")

    def provenance_entry(self) -> dict:
        """The JSON record of this condition's provenance (certificates, certify, verify, info)."""
        return {"condition": self.name, "provenance": self.provenance, "formula": self.formula,
                "reference": self.reference, "arity": self.arity}

    def __post_init__(self):
        assert self.arity in ("pair", "star", "point"), self.arity
        assert self.role in ("interpolation", "necessary", "defining"), self.role
        assert self.pep in ("exact", "relaxation", "restriction", "none"), self.pep


# how a PEP may use a condition -> what its value then is (Condition.provenance)
PEP_PROVENANCE = {"exact": "exact", "relaxation": "necessary", "restriction": "sufficient"}
PROVENANCE = ("exact", "necessary", "sufficient")


@dataclass
class Instance:
    """One generated function with its certified constants, kernels and data."""

    function: str
    generator: str
    params: dict
    d: int
    value: Callable
    grad: Callable
    data: tuple
    x0: np.ndarray
    x_star: np.ndarray | None
    f_star: float | None
    constants: dict[str, Certified]
    probes: Callable | None = None
    hess: Callable | None = None
    notes: str = ""
    # operators only: resolvent(a) -> (M, c) with J_{aF}(y) = M y + c (functions/operator.py), for
    # methods with a backward step in the Monte Carlo engines; None: no closed-form resolvent
    resolvent: Callable | None = None
    # split problems 0 in F(x) + B(x) (operators): B's resolvent, same form; F is the forward part, and
    # x* a zero of both (algorithms/forward_backward.py). None: B = 0
    backward: Callable | None = None

    def f(self, x) -> float:
        return float(self.value(np.ascontiguousarray(x, dtype=np.float64), *self.data))

    def g(self, x) -> np.ndarray:
        out = np.empty(self.d)
        self.grad(np.ascontiguousarray(x, dtype=np.float64), *self.data, out)
        return out

    def point(self, x) -> Point:
        x = np.asarray(x, dtype=np.float64)
        H = self.hess(x) if self.hess is not None else None
        return Point(x, self.g(x), self.f(x), H)

    def constant_values(self) -> dict[str, float]:
        return {k: float(v.value) for k, v in self.constants.items()}


@dataclass(frozen=True)
class Generator:
    """A seeded construction. ``build(params, rng) -> Instance``; ``params`` holds the class
    constants, the common parameters (d, R, seed, instance) and this generator's own ``params``."""

    name: str
    doc: str
    build: Callable[[dict, np.random.Generator], Instance]
    params: tuple[Param, ...] = ()
    d_default: int = 10
    d_fixed: int | None = None
    # shape (rows, cols) of the matrix the construction builds and each gradient reads, from the
    # validated params; None: O(d) data. boundcheck/budget.py turns it into bytes and time.
    matrix: Callable[[dict], tuple[int, int]] | None = None


COMMON = (
    Param("R", Interval(0, float("inf"), lo_open=True, hi_open=True), 1.0,
          "initial distance ||x0 - x*|| (x0 = x* + R u, u a seeded random unit vector)"),
    Param("seed", Interval(0, 2**63 - 1, integer=True), 0, "seed of the instance generator"),
)


def unit_vector(rng: np.random.Generator, d: int) -> np.ndarray:
    u = rng.standard_normal(d)
    return u / np.linalg.norm(u)


@dataclass(frozen=True)
class FunctionClass:
    name: str
    summary: str
    definition: str
    constants: tuple[Param, ...]
    stronger: Mapping[str, str]
    generators: tuple[Generator, ...]
    default_generator: str
    conditions: tuple[Condition, ...]
    references: tuple[str, ...] = ()
    relations: tuple[Relation, ...] = ()
    nonsmooth: bool = False  # gradients are subgradients; finite-difference checks skip kinks
    # constants -> why the PEP cannot answer at them (None: it can); pep/build.py refuses with it
    pep_unsupported: Callable[[Mapping[str, float]], str | None] | None = None

    def generator(self, name: str) -> Generator:
        for g in self.generators:
            if g.name == name:
                return g
        from ..errors import UnknownNameError

        raise UnknownNameError(f"generator of {self.name}", name, [g.name for g in self.generators])

    def params(self, generator: str | None = None) -> tuple[Param, ...]:
        gen = self.generator(generator or self.default_generator)
        d = Param("d", Interval(1, 10**7, integer=True), gen.d_fixed or gen.d_default,
                  "dimension" + (f" (fixed to {gen.d_fixed} by this generator)" if gen.d_fixed else ""))
        inst = Param("instance", Choice(tuple(g.name for g in self.generators)),
                     self.default_generator, "which generator builds the instance")
        return self.constants + (d,) + COMMON + (inst,) + gen.params

    def validate(self, given: Mapping[str, Any]) -> dict:
        gen_name = given.get("instance", self.default_generator)
        gen = self.generator(str(gen_name).strip())
        out = validate(self.params(gen.name), given, owner=self.name, relations=self.relations)
        if gen.d_fixed is not None and out["d"] != gen.d_fixed:
            raise ParamError(f"{self.name}: instance '{gen.name}' is {gen.d_fixed}-dimensional (got d={out['d']})")
        return out

    def instance(self, **given) -> Instance:
        """Validate ``given`` (strings or numbers) and build a seeded instance."""
        p = self.validate(given)
        gen = self.generator(p["instance"])
        from .. import budget

        budget.check_memory(budget.instance(self, p), "lower d")
        rng = np.random.default_rng([p["seed"], _stable_hash(self.name + "/" + gen.name)])
        return gen.build(p, rng)


def _stable_hash(s: str) -> int:
    import zlib

    return zlib.crc32(s.encode())


__all__ = ["Point", "Certified", "Condition", "PROVENANCE", "PEP_PROVENANCE", "Instance", "Generator", "FunctionClass", "COMMON", "unit_vector"]

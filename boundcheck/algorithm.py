"""The Algorithm spec: a first-order method written once, run by three engines.

An algorithm file (``algorithms/<name>.py``, one per method) defines

* ``State``: a ``typing.NamedTuple`` of float64 arrays. The first field ``x`` is the iterate that
  metrics call *last*; scalars (step counter, momentum coefficients, accumulators) live in a small
  float64 array field (by convention ``k``), since NamedTuple fields are immutable in numba;
* ``init(x0, P) -> State``: allocates the state (called once per run, outside the hot loop);
* ``query(s, P) -> vector``: where the oracle is called at this step (``s.x`` for gd, ``s.y`` for
  OGM); the engine evaluates g = grad f(query) + noise into a buffer;
* ``update(s, g, fx, P) -> None``: applies one step **in place** using ops.py only (``g`` may be
  overwritten, e.g. clipped in place); ``fx`` is f(query) when the algorithm declares
  ``needs_value=True`` (Armijo, Polyak), else the engine passes 0.0;
* ``output(s, P) -> vector`` (optional): the method's declared output when its theorems bound
  another sequence than ``x`` (OGM's y_N);
* ``samples_per_step`` (optional, on the ``Algorithm``): for estimators that need the individual
  stochastic gradients of a step (median of means, T09) rather than their average. When set,
  ``samples_per_step(p) -> (m, r)`` and ``update`` receives, in place of ``g``, a float64 array
  ``G`` of shape ``(m + r, d)``: rows ``0..m-1`` are m independent draws grad f(query) + xi_j at
  the same query point, rows ``m..m+r-1`` are i.i.d. standard normal auxiliary draws (the method's
  own randomization, e.g. SMoM's smoothing), all from the run's stream. The run costs m oracle
  calls per step (``calls_per_step``). Without it, methods with a ``batch`` parameter receive the
  average of ``p["batch"]`` draws in a 1-D ``g``;
* ``make_params(p, N, prob) -> P``: turns validated parameters (a dict), the horizon N and the
  problem's facts ``prob`` (the instance's certified constants such as L, mu, M, plus ``f_star``,
  ``R`` and ``d``) into a NamedTuple of floats and float64 arrays. A deterministic method's
  normalized step h becomes h/prob["L"] here. Step schedules are precomputed as arrays of length N
  (``P.gamma[t]`` is the step of iteration t = 0..N-1), so formulas in t and N cost nothing in the
  loop and run identically in numba, numpy and the PEP.

The engines: engine/ compiles ``init/query/update`` with numba into one kernel per
(algorithm, function class, noise); engine/reference.py runs the same functions in plain numpy;
pep/ runs them on symbolic Gram vectors. Nothing else about a method lives anywhere else.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any, Callable, Mapping

from .params import Param, Relation, validate


@dataclass(frozen=True)
class Algorithm:
    name: str
    summary: str
    update_rule: str
    params: tuple[Param, ...]
    State: type
    init: Callable
    query: Callable
    update: Callable
    make_params: Callable[[Mapping[str, Any], int, Mapping[str, Any]], Any]
    output: Callable | None = None
    stochastic: bool = True  # False: deterministic method (noise is ignored / must be absent)
    horizon_dependent: Callable[[Mapping[str, Any]], bool] = lambda p: False
    needs_value: bool = False  # update reads fx = f(query point)
    oracle_calls_per_step: int = 1
    references: tuple[str, ...] = ()
    relations: tuple[Relation, ...] = ()
    # (m, r): update receives G[(m + r), d], m individual stochastic gradients then r rows of N(0, 1)
    samples_per_step: Callable[[Mapping[str, Any]], tuple[int, int]] | None = None
    # w_t = weight(state, P) at x_t (before the step from it): the method's weighted average of the
    # metric, iterate "wmean" = sum_{t<N} w_t m(x_t) / sum_{t<N} w_t (e.g. DoG's rbar_t)
    weight: Callable | None = None
    # a backward (proximal) step: a = resolvent(P) and the oracle returns g = F(x) at the implicit
    # point x = q - a F(x), i.e. x = J_{aF}(q) (proximal point). The PEP evaluates it exactly (a new
    # point whose x depends on its own g); the Monte Carlo engines refuse it (no resolvent oracle).
    resolvent: Callable | None = None
    # variance reduction on a finite sum (oracles/finite_sum.py): y = anchor(s, P) (e.g. an SVRG
    # snapshot); update then receives GA[3, d] = (grad f_i(query), grad f_i(y), grad F(y)), same i
    anchor: Callable | None = None

    def calls_per_step(self, p: Mapping[str, Any]) -> int:
        """Stochastic-gradient (oracle) calls per engine step, for comparisons at equal oracle cost
        (docs/pitfalls.md#oracle-calls-vs-iterations): m for ``samples_per_step`` methods, else
        ``oracle_calls_per_step * batch``."""
        if self.samples_per_step is not None:
            return int(self.samples_per_step(p)[0])
        return int(self.oracle_calls_per_step) * int(p.get("batch", 1))

    def validate(self, given: Mapping[str, Any]) -> dict:
        return validate(self.params, given, owner=self.name, relations=self.relations)

    @property
    def outputs(self) -> tuple[str, ...]:
        """Iterates the engine can measure: last (State.x), avg (running mean of x_t), min (running
        min of each metric over t), ``out`` when the method declares an output, mean (running
        average of each metric over x_0..x_{T-1}) and random (each metric at a uniformly random
        iterate in x_0..x_{T-1}, seeded per run), and wmean when the method declares ``weight``."""
        return ("last", "avg", "min") + (("out",) if self.output is not None else ()) + ("mean", "random") + (
            ("wmean",) if self.weight is not None else ())

    @property
    def module(self) -> ModuleType:
        import sys

        return sys.modules[self.update.__module__]

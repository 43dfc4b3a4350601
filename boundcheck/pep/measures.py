"""Performance measures and initial conditions of a PEP, declared as data.

A measure is an expression of one point p and the minimizer ps = (x*, 0, f*) (x* = 0, f* = 0),
taken at

* ``out``: the method's declared output (OGM's y_N), or x_N = s.x when it declares none;
* ``last``: x_N = s.x after N steps;
* ``min``: the minimum over the run's points (the N query points and the output): the PEP then
  maximizes an epigraph variable t with t <= m(p_i) for every i (best iterate, min gradient).

A measure with ``prev = True`` also reads the state's x before the last step, x_{N-1} (only its
x: ``expr(p, pprev, ps)``), e.g. the step length ||x_N - x_{N-1}||^2; it is taken at ``last``.

An initial condition is an expression ``e(p0, pout, ps) >= 0`` of the starting point, the output
point and the minimizer, with its own parameters (``dist[R=2]``) and the class constants it names
in ``needs`` (``potential`` reads the class's mu; a class without it is refused by the builder).
Whether x* takes part in the PEP is derived, not declared: it is included iff a measure, an
initial condition or a class condition actually refers to it (its local form has nonzero
x*-coefficients).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..params import Interval, Param

_POS = Interval(0, float("inf"), lo_open=True, hi_open=True)


@dataclass(frozen=True)
class Measure:
    name: str
    at: str                      # "out" | "last" | "min"
    expr: Callable               # expr(p, ps) -> scalar; expr(p, pprev, ps) when prev
    doc: str
    prev: bool = False           # also reads x_{N-1} (the state's x before the last step)


@dataclass(frozen=True)
class Init:
    name: str
    expr: Callable               # expr(p0, pout, ps, v) >= 0, v = validated params
    params: tuple[Param, ...]
    doc: str
    needs: tuple[str, ...] = ()  # class constants the expression reads (passed in v with the params)


def _fgap(p, ps):
    return p.f - ps.f


def _gsq(p, ps):
    return p.g @ p.g


def _dist(p, ps):
    d = p.x - ps.x
    return d @ d


def _step(p, pprev, ps):
    d = p.x - pprev.x
    return d @ d


MEASURES = {m.name: m for m in (
    Measure("f-gap", "out", _fgap, "f(output) - f*  (output = the method's declared output, else x_N)"),
    Measure("f-gap-last", "last", _fgap, "f(x_N) - f*  (x_N = the state's x, even when an output is declared)"),
    Measure("f-best", "min", _fgap, "min_i f(x_i) - f* over the run's points (best iterate)"),
    Measure("grad-min", "min", _gsq, "min_i ||grad f(x_i)||^2 over the run's points"),
    Measure("grad-sq", "out", _gsq, "||grad f(output)||^2"),
    Measure("dist", "out", _dist, "||output - x*||^2"),
    Measure("dist-last", "last", _dist, "||x_N - x*||^2"),
    Measure("step-sq", "last", _step, "||x_N - x_{N-1}||^2  (the last step's length; x_{N-1} = the state's x "
                                      "before the last step)", prev=True),
)}


INITS = {i.name: i for i in (
    Init("dist", lambda p0, po, ps, v: v["R"] ** 2 - (p0.x - ps.x) @ (p0.x - ps.x),
         (Param("R", _POS, None, "initial distance bound ||x0 - x*|| <= R (default: the function spec's R)"),),
         "||x0 - x*||^2 <= R^2"),
    Init("f-gap", lambda p0, po, ps, v: v["F0"] - (p0.f - ps.f),
         (Param("F0", _POS, 1.0, "initial gap bound"),), "f(x0) - f* <= F0"),
    Init("f-decrease", lambda p0, po, ps, v: v["F0"] - (p0.f - po.f),
         (Param("F0", _POS, 1.0, "bound on the decrease"),),
         "f(x0) - f(output) <= F0  (T02's normalization; output = x_N for gd)"),
    Init("potential", lambda p0, po, ps, v: v["E0"] - (p0.f - ps.f) - v["mu"] / 2 * ((p0.x - ps.x) @ (p0.x - ps.x)),
         (Param("E0", _POS, 1.0, "bound on the initial potential"),),
         "f(x0) - f* + mu/2 ||x0 - x*||^2 <= E0  (mu: the class's; T04's strongly convex FGM, Cor. 4.15)",
         needs=("mu",)),
)}


def _get(table: dict, kind: str, name: str):
    if name not in table:
        from ..errors import UnknownNameError

        raise UnknownNameError(kind, name, table)
    return table[name]


def measure(name: str) -> Measure:
    return _get(MEASURES, "PEP measure", name)


def init(name: str) -> Init:
    return _get(INITS, "PEP initial condition", name)


__all__ = ["Measure", "Init", "MEASURES", "INITS", "measure", "init"]

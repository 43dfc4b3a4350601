"""Shared parameter declarations for the algorithm files (steps, schedules, minibatches).

Not a plugin: the registry lists only the method files. Each helper returns plain ``Param``
declarations, so ``boundcheck info`` and the docs read them like any other parameter.
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from .. import schedule
from ..params import Choice, Interval, Param
from ..schedule import SHAPES, Schedule

POSITIVE = Schedule(0.0, float("inf"), lo_open=True, hi_open=True)
MOMENTUM = Schedule(0.0, 1.0, lo_open=False, hi_open=True)  # beta in [0, 1)


def step_param(name: str = "gamma", default: Any = 0.01, doc: str = "step size") -> Param:
    return Param(name, POSITIVE, default,
                 doc + " (a number, or a formula in t = 0..N-1, N and the problem constants, "
                       "e.g. '0.1/sqrt(t+1)' or 'R/(M*sqrt(N+1))')")


def shape_param(default: str = "constant") -> Param:
    return Param("schedule", Choice(tuple(SHAPES)), default,
                 "step shape, step_t = gamma * shape(t): " +
                 "; ".join(f"{k} = {v}" for k, v in SHAPES.items()))


def batch_param() -> Param:
    return Param("batch", Interval(1, 10**6, integer=True), 1,
                 "minibatch size: the engine averages `batch` independent stochastic gradients at the "
                 "query point per step (oracle calls per step = batch)")


def steps(p: Mapping[str, Any], N: int, prob: Mapping[str, Any], name: str = "gamma",
          shape_key: str | None = "schedule", domain: Schedule = POSITIVE) -> np.ndarray:
    """``p[name]`` (number or formula) times the named shape ``p[shape_key]``, as an array of
    length N, every entry checked against ``domain`` (ParamError naming the first bad t)."""
    shape = SHAPES[p[shape_key]] if shape_key and shape_key in p else None
    if shape == "1":
        shape = None
    return schedule.values(name, p[name], N, prob, domain, scale=shape)


def uses_horizon(p: Mapping[str, Any], *names: str, shape_key: str | None = "schedule") -> bool:
    """True exactly when one of the schedule parameters ``names`` (or the named shape) uses N."""
    if shape_key and shape_key in p and schedule.parse(SHAPES[p[shape_key]]).uses_horizon:
        return True
    return any(schedule.uses_horizon(p.get(n)) for n in names)


def need(prob: Mapping[str, Any], key: str, algo: str, why: str) -> float:
    """A problem constant the method needs (e.g. L for the normalized step h/L)."""
    from ..errors import ParamError

    v = prob.get(key)
    if v is None or not np.isfinite(float(v)):
        raise ParamError(f"{algo}: needs the problem constant {key!r} ({why}); the function class "
                         f"does not provide it (known: {', '.join(sorted(prob)) or 'none'})")
    return float(v)


def bias_correction(beta: np.ndarray) -> np.ndarray:
    """1 - prod_{i<=t} beta_i for t = 0..N-1 (= 1 - beta^{t+1} for a constant beta): the Adam
    bias-correction denominators, precomputed so the loop needs no pow."""
    return 1.0 - np.cumprod(beta)


def adaptive_params() -> tuple[Param, ...]:
    """beta1, beta2 (numbers or formulas in [0, 1)) and eps, shared by adam and amsgrad."""
    return (
        Param("beta1", MOMENTUM, 0.9, "first-moment decay beta1_t in [0, 1) (number or formula)"),
        Param("beta2", MOMENTUM, 0.999, "second-moment decay beta2_t in [0, 1) (number or formula, "
                                        "e.g. '1-1/N' or '1/(1+C^2)')"),
    )


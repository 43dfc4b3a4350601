"""Checkpoint grids: the step counts T at which the engine records metrics (x_T after T steps).

* ``geometric(n_steps, per_decade)``: rounded geometric grid 1 .. n_steps, about ``per_decade``
  points per factor 10, always ending at n_steps (the default, ``per_decade = 5``);
* ``linear(n_steps, k)``: k points evenly spaced, ending at n_steps;
* a given list: validated (integers, sorted strictly increasing, each in 1 .. n_steps).

``parse(text, n_steps)`` reads the CLI form: ``geom`` / ``geom:K``, ``lin:K``, ``all``, or a comma
list ``1,10,100``.
"""
from __future__ import annotations

import math
from typing import Iterable

import numpy as np

from ..errors import ParamError

DEFAULT_PER_DECADE = 5


def check_count(name: str, v, what: str = "a positive integer") -> int:
    if isinstance(v, bool) or not isinstance(v, (int, np.integer, float)) or (
            isinstance(v, float) and not v.is_integer()) or int(v) < 1:
        raise ParamError(f"{name} must be {what} (got {v!r})")
    return int(v)


def geometric(n_steps: int, per_decade: int = DEFAULT_PER_DECADE) -> np.ndarray:
    n_steps = check_count("n_steps", n_steps)
    per_decade = check_count("checkpoints per decade", per_decade)
    k = max(2, int(math.ceil(per_decade * math.log10(n_steps))) + 1)
    g = np.unique(np.round(np.geomspace(1, n_steps, k)).astype(np.int64))
    return g


def linear(n_steps: int, k: int) -> np.ndarray:
    n_steps = check_count("n_steps", n_steps)
    k = min(check_count("number of checkpoints", k), n_steps)
    return np.unique(np.round(np.linspace(n_steps / k, n_steps, k)).astype(np.int64))


def validate(checkpoints: Iterable, n_steps: int) -> np.ndarray:
    n_steps = check_count("n_steps", n_steps)
    out = []
    for c in checkpoints:
        if isinstance(c, bool) or not isinstance(c, (int, np.integer, float)) or (
                isinstance(c, float) and not c.is_integer()):
            raise ParamError(f"checkpoints must be integer step counts (got {c!r})")
        c = int(c)
        if c < 1:
            raise ParamError(f"checkpoint {c} is below 1: checkpoint T records x_T after T steps, "
                             f"T in 1..n_steps")
        if c > n_steps:
            raise ParamError(f"checkpoint {c} is beyond n_steps = {n_steps}: checkpoints must lie in "
                             f"1..{n_steps} (raise the number of steps or drop the checkpoint)")
        if out and c <= out[-1]:
            raise ParamError(f"checkpoints must be strictly increasing (got {c} after {out[-1]})")
        out.append(c)
    if not out:
        raise ParamError("checkpoints: the list is empty (give at least one step count)")
    return np.asarray(out, dtype=np.int64)


def parse(text: str | None, n_steps: int) -> np.ndarray:
    if text is None:
        return geometric(n_steps)
    t = text.strip().lower()
    try:
        if t in ("geom", "geometric"):
            return geometric(n_steps)
        if t.startswith(("geom:", "geometric:")):
            return geometric(n_steps, int(t.split(":", 1)[1]))
        if t.startswith(("lin:", "linear:")):
            return linear(n_steps, int(t.split(":", 1)[1]))
        if t == "all":
            return np.arange(1, check_count("n_steps", n_steps) + 1, dtype=np.int64)
        vals = [float(v) for v in t.split(",") if v.strip()]
    except ValueError:
        raise ParamError(f"checkpoints {text!r}: expected a comma list of step counts (1,10,100), "
                         f"'geom[:PER_DECADE]', 'lin:K' or 'all'") from None
    return validate(vals, n_steps)


__all__ = ["geometric", "linear", "validate", "parse", "check_count"]

"""Sweep grids: ``--grid KEY=VALUES`` options -> the list of grid points (the spec grammar of boundcheck/spec.py).

VALUES is ``a:b:n`` (n points from a to b inclusive, numpy.linspace) or a list ``a,b,c``
(bracket-aware, so ``noise=gaussian,pareto[beta=1.6,scale=1]`` is a list of two specs). Several
``--grid`` options span their Cartesian product, the first key varying slowest.

KEY says what a value sets (the same keys as ``verify``'s overrides, namespaced):

* ``noise.alpha``: the headline shorthand ``--noise alpha=A``: the claims' declared ``alpha``
  (noise with a bounded alpha-th moment; the catalogue encodes the family);
* ``noise.K``, ``function.K``, ``algo.K`` (or ``algorithm.K``): parameter K of that component;
* ``K``: the claim parameter K (bound and setting together, e.g. ``L``);
* ``noise``, ``function``: replace that component by a spec ``NAME[k=v,...]``;
* ``seed``, ``runs``: the base seed and the number of Monte Carlo runs (replicates, run counts).
"""
from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from typing import Any, Sequence

from ..errors import UsageError

_KEY = re.compile(r"^(?:(noise|function|algo|algorithm)\.)?[A-Za-z_][A-Za-z0-9_]*$")
RUN_KEYS = ("seed", "runs")
SPEC_KEYS = ("noise", "function")
_MAX_POINTS = 100_000


class GridError(UsageError):
    """A malformed, empty or inconsistent ``--grid`` (exit 2)."""


@dataclass(frozen=True)
class Axis:
    key: str
    values: tuple  # floats, ints (seed/runs) or spec strings (noise/function)
    text: str  # as given, for messages

    def label(self, v) -> str:
        return f"{self.key}={fmt(v)}"


def fmt(v) -> str:
    """A grid value as text: shortest round-trip form for floats (``1.2``, ``0.30000000000000004``)."""
    if isinstance(v, float):
        return repr(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return str(v)


def _decimal(x: float) -> float:
    """A linspace point as the decimal it stands for: 1.6, not 1.5999999999999999 (the shortest
    form within 12 significant digits; a value that needs more is kept as computed)."""
    short = float(f"{x:.12g}")
    return short if abs(short - x) <= 1e-12 * max(1.0, abs(x)) else x


def _number(s: str, where: str) -> float:
    try:
        x = float(s)
    except ValueError:
        raise GridError(f"{where}: {s!r} is not a number") from None
    if not math.isfinite(x):
        raise GridError(f"{where}: {s!r} is not a finite number")
    return x


def parse_axis(text: str) -> Axis:
    """One ``KEY=VALUES`` option -> Axis; GridError (exit 2) naming the option when malformed."""
    where = f"--grid {text!r}"
    if "=" not in text:
        raise GridError(f"{where}: expected KEY=VALUES, e.g. noise.alpha=1.2:2.0:5 or algo.c=0.1,1,10")
    key, vals = (s.strip() for s in text.split("=", 1))
    if not _KEY.match(key):
        raise GridError(f"{where}: {key!r} is not a key (KEY is noise.alpha, noise.K, function.K, algo.K, a claim "
                        f"parameter K, noise, function, seed or runs)")
    if not vals:
        raise GridError(f"{where}: no values (give a:b:n for n points from a to b, or a list a,b,c)")
    if key in SPEC_KEYS:
        from ..spec import _split_top

        try:
            items = [t.strip() for t in _split_top(vals)]
        except UsageError as e:
            raise GridError(f"{where}: {e}") from None
        if any(not s for s in items):
            raise GridError(f"{where}: empty item in the list {vals!r}")
        from ..spec import parse_spec

        for s in items:
            try:
                parse_spec(s)
            except UsageError as e:
                raise GridError(f"{where}: {e}") from None
        values: tuple = tuple(items)
    elif ":" in vals and "[" not in vals:
        parts = vals.split(":")
        if len(parts) != 3:
            raise GridError(f"{where}: a range is a:b:n (n points from a to b inclusive), got {vals!r}")
        a, b = _number(parts[0], where), _number(parts[1], where)
        try:
            n = int(parts[2])
        except ValueError:
            raise GridError(f"{where}: the number of points n in a:b:n must be a positive integer "
                            f"(got {parts[2]!r})") from None
        if n < 1:
            raise GridError(f"{where}: the number of points n in a:b:n must be a positive integer (got {n})")
        if n == 1 and a != b:
            raise GridError(f"{where}: a:b:1 with a != b is ambiguous; give a single value or n >= 2")
        import numpy as np

        values = tuple(_decimal(float(x)) for x in np.linspace(a, b, n))
    else:
        items = [s.strip() for s in vals.split(",")]
        if any(not s for s in items):
            raise GridError(f"{where}: empty item in the list {vals!r}")
        values = tuple(_number(s, where) for s in items)
    if key in RUN_KEYS:
        bad = [v for v in values if not float(v).is_integer()]
        if bad:
            raise GridError(f"{where}: {key} values must be integers (got {fmt(bad[0])})")
        values = tuple(int(v) for v in values)
        lo = 0 if key == "seed" else 1
        if any(v < lo for v in values) or any(v >= 2**63 for v in values):
            raise GridError(f"{where}: {key} must be an integer in [{lo}, 2^63)")
    if len(set(values)) != len(values):
        dup = next(v for v in values if values.count(v) > 1)
        raise GridError(f"{where}: the value {fmt(dup)} appears twice")
    return Axis(key, values, text)


def parse_grid(texts: Sequence[str]) -> list[Axis]:
    """All ``--grid`` options; at least one, each key once."""
    if not texts:
        raise GridError("give at least one --grid KEY=VALUES (e.g. --grid noise.alpha=1.2:2.0:5)")
    axes = [parse_axis(t) for t in texts]
    keys = [_canonical(a.key) for a in axes]
    for k in set(keys):
        if keys.count(k) > 1:
            raise GridError(f"--grid: the key {k!r} is given twice; give its values in one --grid option")
    if "noise" in keys and any(k.startswith("noise.") for k in keys):
        raise GridError("--grid: 'noise' (a model spec) and 'noise.K' cannot be swept together; sweep one of them")
    n = math.prod(len(a.values) for a in axes)
    if n > _MAX_POINTS:
        raise GridError(f"--grid: {n} grid points is more than {_MAX_POINTS}; split the sweep")
    return axes


def _canonical(key: str) -> str:
    return "algo." + key.split(".", 1)[1] if key.startswith("algorithm.") else key


def points(axes: Sequence[Axis]) -> list[dict[str, Any]]:
    """The Cartesian product as a list of {key: value}, the first axis varying slowest."""
    return [dict(zip([a.key for a in axes], combo)) for combo in itertools.product(*[a.values for a in axes])]


__all__ = ["Axis", "GridError", "parse_axis", "parse_grid", "points", "fmt", "RUN_KEYS", "SPEC_KEYS"]

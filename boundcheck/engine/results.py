"""The results of a Monte Carlo run: raw arrays (metric x checkpoint x run), metadata, statistics.

Metric names are ``QUANTITY@ITERATE`` (docs/engine.md):

* QUANTITY: ``f_gap`` = f(x) - f* (when f* is known; otherwise ``f`` = f(x) is reported instead),
  ``grad_sq`` = ||grad f(x)||^2, ``grad_l1`` = ||grad f(x)||_1, ``dist_sq`` = ||x - x*||^2 (when x*
  is known); gradients are the exact gradients of f (no noise);
* ITERATE: ``last`` (x_T), ``avg`` (mean of x_0..x_T), ``min`` (for each quantity separately, its
  minimum over x_0..x_T), ``out`` (the method's declared output, when it has one), ``mean`` (for
  each quantity, the running average of its values over x_0..x_{T-1}: (1/T) sum_{t<T} m(x_t)),
  ``random`` (each quantity at x_tau, tau uniform in {0..T-1}, drawn per run from a stream seeded
  by (seed, run) that is separate from the noise draws), ``wmean`` (methods that declare a weight
  w_t: sum_{t<T} w_t m(x_t) / sum_{t<T} w_t, e.g. DoG's rbar-weighted average of the metric).

Divergence: a run that produced a non-finite iterate or metric stops there (``diverged_step``); its
values at later checkpoints are NaN and are *excluded* from the statistics, which report how many
runs they use (``n``) and how many had diverged by each checkpoint (``diverged_by_checkpoint``).
Statistics over runs: ``mean``, ``std`` (sample standard deviation, ddof = 1; 0 for one run),
``median``, ``q10``, ``q90`` (numpy's linear-interpolation quantiles), ``min``, ``max``, ``n``.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

QUANTITIES = ("f_gap", "grad_sq", "grad_l1", "dist_sq")
ITERATES = ("last", "avg", "min", "out", "mean", "random", "wmean")
N_SLOTS = 4 * len(ITERATES)  # rows of the engines' raw array: slot 4 i + q (iterate i, quantity q)
STATS = ("mean", "std", "median", "q10", "q90", "min", "max", "n")

ITERATE_CONVENTION = (
    "checkpoint T = after T oracle steps, x_T (x_0 = the initial point, never a checkpoint); "
    "avg at T = (x_0 + ... + x_T)/(T + 1); min at T = for each quantity its minimum over "
    "x_0, ..., x_T; out at T = the method's declared output after T steps; mean at T = for each quantity "
    "(1/T) sum_{t=0}^{T-1} of its values at x_t; random at T = each quantity at x_tau, tau uniform in "
    "{0..T-1}, seeded per run (seed, run index) on a stream separate from the noise; wmean at T = for each "
    "quantity sum_{t<T} w_t m(x_t) / sum_{t<T} w_t with the method's declared weights w_t")


def _clean(v: float):
    v = float(v)
    return v if math.isfinite(v) else None


@dataclass
class Results:
    """Arrays and metadata of one engine run.

    ``values[m, j, r]`` is metric ``metric_names[m]`` at ``checkpoints[j]`` for run r (NaN when the
    run had diverged). ``diverged_step[h, r]`` is the step at which run r diverged (-1: never), with
    one row (h = 0) for a single run of n_steps, or one row per checkpoint for a horizon-dependent
    method (each checkpoint T is then its own run of horizon T).
    """

    checkpoints: np.ndarray
    metric_names: tuple[str, ...]
    values: np.ndarray
    diverged_step: np.ndarray
    n_steps: int
    n_runs: int
    seed: int
    meta: dict
    timing: dict = field(default_factory=dict)
    final_x: np.ndarray | None = None

    # ------------------------------------------------------------------ access
    def __getitem__(self, name: str) -> np.ndarray:
        """(n_checkpoints, n_runs) array of one metric."""
        try:
            return self.values[self.metric_names.index(name)]
        except ValueError:
            from ..errors import UnknownNameError

            raise UnknownNameError("metric", name, self.metric_names) from None

    @property
    def metrics(self) -> dict[str, np.ndarray]:
        return {n: self.values[i] for i, n in enumerate(self.metric_names)}

    @property
    def horizon_dependent(self) -> bool:
        return self.diverged_step.shape[0] > 1 or bool(self.meta.get("horizon_dependent"))

    @property
    def valid(self) -> np.ndarray:
        """(n_checkpoints, n_runs) bool: run r had not diverged by checkpoint j."""
        div = self.diverged_step
        if div.shape[0] == 1:
            d = div[0][None, :]
            return (d < 0) | (d > self.checkpoints[:, None])
        return div < 0

    @property
    def diverged(self) -> int:
        """Number of runs that diverged (in any of their horizons)."""
        return int((self.diverged_step >= 0).any(axis=0).sum())

    @property
    def diverged_by_checkpoint(self) -> list[int]:
        return [int(v) for v in (~self.valid).sum(axis=1)]

    # ------------------------------------------------------------------ statistics
    def statistics(self, names=None) -> dict[str, dict[str, list]]:
        """Per metric, per checkpoint, over the runs that had not diverged (see module docstring)."""
        names = self.metric_names if names is None else names
        valid = self.valid
        out: dict[str, dict[str, list]] = {}
        for name in names:
            arr = self[name]
            st: dict[str, list] = {k: [] for k in STATS}
            for j in range(arr.shape[0]):
                v = arr[j][valid[j]]
                n = int(v.size)
                st["n"].append(n)
                if n == 0:
                    for k in STATS[:-1]:
                        st[k].append(None)
                    continue
                q10, med, q90 = np.quantile(v, [0.1, 0.5, 0.9])
                st["mean"].append(_clean(v.mean()))
                st["std"].append(_clean(v.std(ddof=1)) if n > 1 else 0.0)
                st["median"].append(_clean(med))
                st["q10"].append(_clean(q10))
                st["q90"].append(_clean(q90))
                st["min"].append(_clean(v.min()))
                st["max"].append(_clean(v.max()))
            out[name] = st
        return out

    # ------------------------------------------------------------------ JSON
    def to_dict(self) -> dict[str, Any]:
        """The ``run`` JSON document (docs/engine.md). Identical for identical inputs except ``timing``."""
        d = {
            "checkpoints": [int(c) for c in self.checkpoints],
            "n_steps": int(self.n_steps),
            "n_runs": int(self.n_runs),
            "seed": int(self.seed),
            "diverged": self.diverged,
            "diverged_by_checkpoint": self.diverged_by_checkpoint,
            "metrics": self.statistics(),
        }
        d.update(self.meta)
        d["timing"] = dict(self.timing)
        return d

    def to_json(self, indent: int | None = 1) -> str:
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)

    def summary_rows(self, names=None, stats=("median", "q10", "q90", "mean")) -> list[list]:
        """Rows (metric, T, stat values...) for a terminal table."""
        st = self.statistics(names)
        rows = []
        for name, s in st.items():
            for j, T in enumerate(self.checkpoints):
                rows.append([name, int(T)] + [s[k][j] for k in stats] + [s["n"][j]])
        return rows


__all__ = ["Results", "QUANTITIES", "ITERATES", "STATS", "ITERATE_CONVENTION", "N_SLOTS"]

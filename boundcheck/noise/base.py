"""Noise models: a stochastic gradient is g = grad f(x) + xi, with xi drawn by the model.

A ``NoiseModel`` (one file each in this folder) declares, as data:

* ``params``: its parameters (``Param``), named as in the papers;
* ``symmetric(p)``: whether xi and -xi have the same law (matters: clipping bias and minimax
  lower bounds need asymmetric noise, see docs/pitfalls.md#symmetric-noise-beats-minimax, docs/pitfalls.md#clipping-bias-needs-asymmetry);
* ``tail_index(p)``: sup of the moment orders q with E|xi_i|^q < inf (``inf`` for light tails);
  E|xi|^q is finite iff q < tail_index (the alpha-stable law has tail index alpha: its alpha-th
  moment is INFINITE);
* ``moment_bound(p, d, q)``: a certified ``sigma_q`` with E||xi||^q <= sigma_q^q, with its proof;
* ``law(p, d)``: the scipy.stats law of one coordinate, the reference for the KS self-checks;
* ``sample``: a numba kernel ``sample(s, theta, g, out)`` that fills ``out`` (float64[d]) with one
  draw of xi, using the per-run stream ``s`` (uint64[4], rng.py); ``theta = pack(p, d)`` holds the
  parameters as float64[:]; ``g`` is the true gradient, which only models declaring
  ``grad_dependent=True`` may read: the engine draws the noise of the others one step ahead,
  before that step's gradient exists;
* ``coordinatewise`` (default False): a promise that ``sample`` fills ``out`` coordinate after
  coordinate, each from its own words of the stream in order, with a law and a value that do not
  depend on ``out``'s length (i.i.d. coordinates, no per-call draw). Then one call on n = K d
  coordinates gives exactly the draws of K calls on d, and the engine draws the noise of K steps
  in one call (a block: the transform vectorises over K d values). Not for grad-dependent models.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import numpy as np

from ..functions.base import Certified
from ..params import Param, Relation, validate


@dataclass(frozen=True)
class NoiseModel:
    name: str
    summary: str
    definition: str
    params: tuple[Param, ...]
    sample: Callable
    pack: Callable[[Mapping[str, Any], int], np.ndarray]
    symmetric: Callable[[Mapping[str, Any]], bool]
    tail_index: Callable[[Mapping[str, Any]], float]
    moment_bound: Callable[[Mapping[str, Any], int, float], Certified]
    law: Callable[[Mapping[str, Any], int], Any] | None
    grad_dependent: bool = False
    coordinatewise: bool = False
    references: tuple[str, ...] = ()
    relations: tuple[Relation, ...] = ()

    def validate(self, given: Mapping[str, Any]) -> dict:
        return validate(self.params, given, owner=self.name, relations=self.relations)

    def has_moment(self, p: Mapping[str, Any], q: float) -> bool:
        """E|xi|^q < inf ?"""
        return q < self.tail_index(p)

    def draw(self, p: Mapping[str, Any], d: int, n: int, seed: int = 0, g=None) -> np.ndarray:
        """n draws (n, d) from one stream seeded by (seed, run 0): for tests and docs."""
        from ..rng import seed_state

        theta = self.pack(p, d)
        s = np.empty(4, dtype=np.uint64)
        seed_state(seed, 0, s)
        g = np.zeros(d) if g is None else np.asarray(g, float)
        out = np.empty((n, d))
        for k in range(n):
            self.sample(s, theta, g, out[k])
        return out


INF = math.inf


def iid_norm_moment(d: int, q: float, mq: float, formula: str, m2: float = INF,
                    m2_formula: str = "") -> Certified:
    """Certified sigma_q with E||xi||^q <= sigma_q^q for xi with i.i.d. coordinates, from
    mq = E|xi_1|^q < inf (its closed form in ``formula``) and m2 = E xi_1^2 (inf if infinite):

    * d = 1: exact, sigma_q = mq^{1/q};
    * q <= 2: (sum xi_i^2)^{q/2} <= sum |xi_i|^q (subadditivity of t^{q/2}), so E||xi||^q <= d mq;
      and when m2 < inf, Jensen: E||xi||^q <= (d m2)^{q/2}; the smaller bound is returned;
    * q >= 2: Jensen on the mean of xi_i^2, ||xi||^q <= d^{q/2-1} sum |xi_i|^q, so E||xi||^q <= d^{q/2} mq.

    Exact (not just a bound) at q = 2 with m2 < inf: E||xi||^2 = d m2.
    """
    if d == 1:
        return Certified(mq ** (1 / q), "exact: " + formula)
    if q <= 2:
        cands = [((d * mq) ** (1 / q),
                  "(sum xi_i^2)^{q/2} <= sum |xi_i|^q for q <= 2, so E||xi||^q <= d E|xi_1|^q; " + formula)]
        if m2 < INF:
            cands.append((math.sqrt(d * m2), "Jensen: E||xi||^q <= (E||xi||^2)^{q/2} = (d E xi_1^2)^{q/2}; "
                                             + m2_formula))
    else:
        cands = [(math.sqrt(d) * mq ** (1 / q),
                  "Jensen on the mean of xi_i^2 (q/2 >= 1): E||xi||^q <= d^{q/2} E|xi_1|^q; " + formula)]
    v, how = min(cands)
    return Certified(v, how, exact=(q == 2 and m2 < INF))


def _stats():
    """scipy.stats, imported on first use (it costs about 1 s; samplers never need it)."""
    from scipy import stats

    return stats

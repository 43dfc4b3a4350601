"""Run an algorithm file (init/query/update/output) on symbolic points: the method as written.

The Gram basis starts with ``e_0 = x0 - x*`` (x* = 0). Every oracle call at a new point x adds a
basis vector g (its gradient) and a scalar variable f (its value f(x) - f*), and records the
point (x, g, f). A call at a point already evaluated (same coefficient vector) returns the stored
gradient and value, so the Gram matrix never holds two gradients for one point.

The loop is the engines' loop: for t = 0..N-1, ``q = query(s, P)`` is snapshotted (``q.copy()``),
the oracle is called at the snapshot, and ``update(s, g, fx, P)`` runs on a *copy* of the new
gradient (updates may overwrite g in place), with ``fx`` the symbolic value when the method
declares ``needs_value`` and 0.0 otherwise, as in the Monte Carlo engine. After the loop the
method's declared ``output`` (or ``s.x``) and ``s.x`` are the points the measures refer to.
Nonlinear ops (clip, normalize, sign, norms) raise ``PEPLoweringError`` from ops.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..functions.base import Point
from ..ops import PEPLoweringError
from .symbolic import Scalar, Vec


@dataclass
class Oracle:
    """The evaluated points: coefficient rows of x and g, and the index of f in F."""

    xs: list = field(default_factory=list)       # coefficient arrays of x
    gs: list = field(default_factory=list)       # coefficient arrays of g
    labels: list = field(default_factory=list)   # e.g. "x0", "y3", "out"
    n: int = 1                                   # Gram basis size (e_0 = x0 - x*)
    _seen: dict = field(default_factory=dict)

    @staticmethod
    def _key(c: np.ndarray) -> bytes:
        nz = np.nonzero(c)[0]
        return (c[: nz[-1] + 1] if nz.size else c[:0]).tobytes()

    def __call__(self, x: Vec, label: str) -> tuple[int, Point]:
        key = self._key(x.c)
        if key not in self._seen:
            self._seen[key] = len(self.xs)
            self.xs.append(x.c.copy())
            self.gs.append(Vec.basis(self.n).c)
            self.labels.append(label)
            self.n += 1
        i = self._seen[key]
        return i, Point(Vec(self.xs[i]), Vec(self.gs[i]), Scalar.variable(i))

    def implicit(self, q: Vec, a: float, label: str) -> tuple[int, Point]:
        """A backward step: a new point x = q - a g whose gradient g is a new basis vector, so that
        (x, g) is a point of the operator with x = J_{aF}(q) (proximal point). Never deduplicated
        on q; a later call at x itself finds it."""
        g = Vec.basis(self.n)
        x = q - a * g
        i = len(self.xs)
        self._seen[self._key(x.c)] = i
        self.xs.append(x.c.copy())
        self.gs.append(g.c)
        self.labels.append(label)
        self.n += 1
        return i, Point(Vec(self.xs[i]), Vec(self.gs[i]), Scalar.variable(i))

    @property
    def P(self) -> int:
        return len(self.xs)

    def matrices(self):
        """(X, Gr): P x n arrays of the coefficients of x_i and g_i."""
        X = np.zeros((self.P, self.n))
        Gr = np.zeros((self.P, self.n))
        for i, (x, g) in enumerate(zip(self.xs, self.gs)):
            X[i, : min(len(x), self.n)] = x[: self.n]
            Gr[i, : len(g)] = g
        return X, Gr


@dataclass
class Run:
    oracle: Oracle
    queries: list[int]   # point index of each oracle call, t = 0..N-1
    x0: Vec
    out: Vec             # the declared output (or s.x)
    last: Vec            # s.x after N steps
    params: object       # the algorithm's P
    prev: Vec | None = None  # s.x before the last step (x_{N-1}), for step-length measures


def run(alg, algo_params: dict, N: int, prob: dict, query_label: str = "x") -> Run:
    """Run ``alg`` for N steps on symbolic points; ``prob`` are the problem facts for make_params."""
    P = alg.make_params(algo_params, N, prob)
    oracle = Oracle()
    x0 = Vec.basis(0)
    t, prev = -1, None
    try:
        s = alg.init(x0.copy(), P)
        queries = []
        for t in range(N):
            q = alg.query(s, P)
            if not isinstance(q, Vec):
                raise PEPLoweringError(f"query returned {type(q).__name__}, not a vector of the state")
            if alg.resolvent is not None:  # backward step: the oracle point is x = J_{aF}(q)
                i, pt = oracle.implicit(q.copy(), float(alg.resolvent(P)), f"{query_label}{t + 1}")
            else:
                i, pt = oracle(q.copy(), f"{query_label}{t}")
            queries.append(i)
            prev = s.x.copy()
            alg.update(s, pt.g.copy(), pt.f if alg.needs_value else 0.0, P)
        out = alg.output(s, P) if alg.output is not None else s.x
    except PEPLoweringError as e:
        where = "init" if t < 0 else f"step t={t}"
        raise PEPLoweringError(f"{alg.name} cannot run on PEP points ({where}): {e}") from None
    return Run(oracle, queries, x0, out.copy(), s.x.copy(), P, prev)


__all__ = ["Oracle", "Run", "run"]

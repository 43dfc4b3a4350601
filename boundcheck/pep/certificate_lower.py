"""The lower half of a two-sided certificate: an exactly feasible primal point of the full PEP.

Any (G, F) that satisfies every row of the PEP exactly, with G PSD, has objective <= the worst case,
so it proves  worst case >= lower := <C, G> + c.F.  Construction (``lower_point``):

1. factor the solver's worst-case Gram matrix, G ~ V V^T (eigenvectors above 1e-7 of the largest
   eigenvalue), and round V to rationals with denominators D = 10^2, 10^3, ... 10^9: to one common
   denominator D (the entries of G then share the denominator D^2, so the exact arithmetic below
   stays on small integers), and for D <= 10^3 also each entry to its own simplest fraction
   (``limit_denominator``, which finds exact simple worst cases such as T01's 1/(4N+2)); then
   G := V V^T is PSD by construction, exactly. Measured (load ~2): per-entry fractions at every D
   took 13 s for FGM at N = 20 and 23 s for OGM at N = 30 and found no point (the rationals grew
   past the certificate's length limit); common denominators take 0.9 s and 5 s and find one
   (two-sided gaps 9e-7 and 4e-2);
2. rows with b = 0 (the initial condition) must hold for G alone: if one is violated, V is scaled by
   a rational s < 1 with s^2 <= r / <A, G>;
3. F is chosen exactly, given G: every interpolation-type row has b = beta (e_j - e_i) or beta e_k
   (function values enter only through differences, f* = 0), so the rows in F are *difference
   constraints* f_j - f_i <= q_ij with q = (r - <A, G>) / beta. They are feasible iff the graph with
   these weights has no negative cycle, and then the shortest-path distances from the node f* = 0
   (Bellman-Ford over the rationals) are a feasible F that is, entrywise, the largest feasible one
   (so it maximizes c.F for c >= 0).

When step 3 finds a negative cycle (tight cycles of the worst case broken by rounding, e.g. for
h = 1.9 or strongly convex classes), the worst case is mixed with a point of strict slack (one more
small SDP, ``slater_gram``): G = (1 - theta) G* + theta G_s, theta = 1e-8, 1e-6, 1e-4, 1e-2; the lower
bound then loses about theta relative.

The verifier re-checks G = V V^T, every row (all rows of the full PEP, stored in the certificate when
it is two-sided) and the objective, exactly. PEPs whose F-rows are not difference constraints get no
lower bound (``None`` with a reason), which is not an error.
"""
from __future__ import annotations

import math
import warnings
from fractions import Fraction

import numpy as np

DENOMINATORS = (10**2, 10**3, 10**4, 10**6, 10**9)
SIMPLE_MAX = 10**3   # up to this denominator each entry is also tried as its own simplest fraction
# the strictly feasible point is a convenience (a lower bound), not the proof: its solve is cut off
# (measured: OGM at N = 30, 32 x 32 Gram, 1000 rows, 145 s when unbounded in time)
SLATER_TIME_LIMIT = 20.0


def _gram(V):
    n, r = len(V), len(V[0]) if V else 0
    return [[sum((V[i][k] * V[j][k] for k in range(r)), Fraction(0)) for j in range(n)] for i in range(n)]


def _inner(A, G):
    """<A, G> for A given by its upper triangle {(i, j): v}."""
    return sum(((v if i == j else 2 * v) * G[i][j] for (i, j), v in A.items()), Fraction(0))


def shortest_path_F(n_f, rows, q):
    """Largest F with every row satisfied (rows: ExactRow-like with .b; q: name -> r - <A,G>),
    or (None, reason)."""
    Z = n_f
    edges = []
    for row in rows:
        qi = q[row.name]
        items = sorted(row.b.items())
        if not items:
            if qi < 0:
                return None, f"row {row.name!r} (no F term) is violated by the rounded Gram matrix"
            continue
        if len(items) == 1:
            (k, beta), = items
            edges.append((Z, k, qi / beta) if beta > 0 else (k, Z, qi / -beta))
        elif len(items) == 2 and items[0][1] == -items[1][1]:
            (a, va), (b, vb) = items
            i, j, beta = (a, b, vb) if vb > 0 else (b, a, va)   # beta (f_j - f_i) <= q
            edges.append((i, j, qi / beta))
        else:
            return None, f"row {row.name!r} is not a difference constraint in F"
    INF = None
    d = [INF] * (n_f + 1)
    d[Z] = Fraction(0)
    for _ in range(n_f + 1):
        changed = False
        for u, v, w in edges:
            if d[u] is not None and (d[v] is None or d[u] + w < d[v]):
                d[v] = d[u] + w
                changed = True
        if not changed:
            break
    else:
        return None, "negative cycle: no F makes the rounded Gram matrix feasible"
    if any(x is None for x in d[:n_f]):
        return None, "some function value is unconstrained from f* (unbounded F)"
    return d[:n_f], ""


def slater_gram(prob, G_ref) -> np.ndarray | None:
    """A Gram matrix with strict slack in every row that has an F term: maximize s subject to
    A vec(G) + B F + s [b_i != 0] <= r, G PSD, tr G <= tr G_ref (one extra SDP, cvxpy + Clarabel).
    Mixing the worst case with it makes every cycle of the difference constraints strictly
    positive, so that rounding cannot create a negative cycle. None if no slack is possible."""
    import cvxpy as cp

    n = prob.n
    G = cp.Variable((n, n), symmetric=True)
    F = cp.Variable(prob.n_f)
    s = cp.Variable()
    w = (np.abs(np.asarray(prob.B)).sum(axis=1) > 0).astype(float)
    cons = [prob.A @ cp.vec(G, order="F") + prob.B @ F + w * s <= prob.r, G >> 0,
            cp.trace(G) <= float(np.trace(G_ref)), s <= 1.0]
    pr = cp.Problem(cp.Maximize(s), cons)
    try:
        with warnings.catch_warnings():  # the status says it; library code does not print
            warnings.simplefilter("ignore")
            pr.solve(solver="CLARABEL", time_limit=SLATER_TIME_LIMIT)
    except cp.error.SolverError:
        return None
    if pr.status != "optimal" or s.value is None or not s.value > 0:
        return None
    return np.asarray(G.value)


def lower_point(G_float, n, n_f, rows, Cu, c, keep_rel: float = 1e-7, denominators=DENOMINATORS,
                target: float | None = None):
    """(V, F, lower) as exact rationals, the best over the denominators tried (stopping early once
    lower >= target (1 - 1e-12)), or (None, None, reason)."""
    best = None
    last = "no rational point found"
    tries = [(D, common) for D in denominators for common in ((False, True) if D <= SIMPLE_MAX else (True,))]
    for D, common in tries:
        V, F, lo = _lower_point_D(G_float, n, n_f, rows, Cu, c, keep_rel, D, common)
        if V is None:
            last = lo
            continue
        if best is None or lo > best[2]:
            best = (V, F, lo)
        if target is not None and float(lo) >= target * (1 - 1e-12):
            break
    return best if best is not None else (None, None, last)


def _lower_point_D(G_float, n, n_f, rows, Cu, c, keep_rel, D, common=True):
    G_float = (np.asarray(G_float, dtype=float) + np.asarray(G_float, dtype=float).T) / 2
    ev, U = np.linalg.eigh(G_float)
    if not ev[-1] > 0:
        return None, None, "the solver's Gram matrix is zero"
    keep = ev > keep_rel * ev[-1]
    Vf = U[:, keep] * np.sqrt(ev[keep])
    init_rows = [r for r in rows if not r.b]
    last = "no rational point found"
    for D in (D,):
        V = ([[Fraction(round(float(x) * D), D) for x in row] for row in Vf] if common else
             [[Fraction(float(x)).limit_denominator(D) for x in row] for row in Vf])
        G = _gram(V)
        # scale for the rows without F (initial conditions)
        s2 = Fraction(1)
        for r in init_rows:
            a = _inner(r.A, G)
            if a > r.r:
                if r.r <= 0:
                    s2 = Fraction(0)
                else:
                    s2 = min(s2, r.r / a)
        if s2 == 0:
            last = "an initial-condition row cannot hold"
            continue
        if s2 < 1:
            s = Fraction(math.isqrt(int(s2 * 10**24)), 10**12)   # s^2 <= s2
            while s * s > s2:
                s -= Fraction(1, 10**12)
            V = [[x * s for x in row] for row in V]
            G = _gram(V)
        q = {r.name: r.r - _inner(r.A, G) for r in rows}
        F, why = shortest_path_F(n_f, rows, q)
        if F is None:
            last = f"denominator {D}: {why}"
            continue
        lower = _inner(Cu, G) + sum((v * F[k] for k, v in c.items()), Fraction(0))
        return V, F, lower
    return None, None, last


def check_lower_point(V, F, n, n_f, rows, Cu, c):
    """Exact check: every row holds at (V V^T, F); returns (objective, "") or (None, reason)."""
    if len(V) != n or len(F) != n_f:
        return None, "lower point has the wrong dimensions"
    G = _gram(V)
    for r in rows:
        lhs = _inner(r.A, G) + sum((v * F[k] for k, v in r.b.items()), Fraction(0))
        if lhs > r.r:
            return None, f"lower point violates row {r.name!r} by {float(lhs - r.r):.3e}"
    return _inner(Cu, G) + sum((v * F[k] for k, v in c.items()), Fraction(0)), ""


__all__ = ["lower_point", "check_lower_point", "shortest_path_F", "slater_gram"]

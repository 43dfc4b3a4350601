"""Rebuild the PEP's worst case as points: factor the Gram matrix, read off (x_i, g_i, f_i).

A solved PEP (``solve.solve``) holds the Gram matrix G of the basis [x0 - x*, g_0, g_1, ...] and
the function values F. With G = V V^T (V: n x r, r = rank G) the basis vectors are the rows of V,
so every evaluated point is a concrete vector of R^r:

    x_i = X_i V,  g_i = Gr_i V,  f_i = F_i,   x* = 0, g* = 0, f* = 0 (when x* takes part),

X_i, Gr_i the point's coefficient rows from the symbolic run (build.Model). The rank is counted
with a relative threshold (``RANK_RTOL``) on the eigenvalues of the solver's G: what is dropped is
below the solver's own accuracy, and the replay (replay.py) measures what it costs.

Which explicit function is built from the points is the class's business: ``RECONSTRUCTORS`` maps
a class name to the interpolant kind (families/interp.py). A class without an entry (PL,
quasar-convex, L0L1) has no known interpolant here, and ``worst_points`` says so rather than
guessing; a relaxed class with an entry is still judged by its own self-check (the function is
a member of the class the construction belongs to, which need not be the PEP's class).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import ComputationError

RANK_RTOL = 1e-9

# class name -> (kind, the construction, (L, curvature mu) from the class constants);
# kind 0: mu/2 ||x||^2 + an (L - mu)-smooth convex interpolant, 1: max of affine pieces.
# The smooth nonconvex entries (mu = -L: an L-smooth function, THG's construction with a negative
# shift) are the attempt for the relaxed classes PL and quasar-convex: whether the result is in
# the class is for the class's own self-check to say.
_NONCONVEX = "-L/2 ||x||^2 + a 2L-smooth convex interpolant (THG construction with mu = -L)"
RECONSTRUCTORS: dict[str, tuple] = {
    "smooth-convex": (0, "Moreau envelope of the convex envelope of (z_i, c_i) (THG 2017, Thm 4), mu = 0",
                      lambda c: (c["L"], 0.0)),
    "smooth-strongly-convex": (0, "mu/2 ||x||^2 + Moreau envelope (THG 2017, Thm 4 with the mu-shift)",
                               lambda c: (c["L"], c["mu"])),
    "convex-lipschitz": (1, "max of the affine pieces f_i + <g_i, x - x_i> (THG 2017, Thm 3.5)", None),
    "smooth-nonconvex": (0, _NONCONVEX, lambda c: (c["L"], -c["L"])),
    "pl": (0, _NONCONVEX + "; an attempt for the PL relaxation", lambda c: (c["L"], -c["L"])),
    "quasar-convex": (0, _NONCONVEX + "; an attempt for the quasar-convex relaxation", lambda c: (c["L"], -c["L"])),
}


@dataclass
class WorstPoints:
    """The worst case as vectors of R^r (rows), with what the measure and init refer to."""

    X: np.ndarray            # (P, r) oracle points x_i
    G: np.ndarray            # (P, r) their gradients g_i
    F: np.ndarray            # (P,) values f_i - f*
    x0: np.ndarray           # (r,)
    star: bool               # x* = 0 (g* = 0, f* = 0) takes part
    rank: int
    dropped: float           # largest dropped eigenvalue of G, relative to the largest kept
    labels: list = field(default_factory=list)
    queries: list = field(default_factory=list)


def factor(G: np.ndarray, rtol: float = RANK_RTOL) -> tuple[np.ndarray, float]:
    """V (n x r) with V V^T = the part of G above ``rtol`` times its largest eigenvalue."""
    from .exact import single_thread_blas

    G = 0.5 * (np.asarray(G, float) + np.asarray(G, float).T)
    with single_thread_blas():  # a 100 x 100 eigh on a loaded machine: threads only cost
        w, U = np.linalg.eigh(G)
    top = float(w.max(initial=0.0))
    if not np.isfinite(top) or top <= 0:
        raise ComputationError("the worst-case Gram matrix is zero or not finite: nothing to rebuild")
    keep = w > rtol * top
    dropped = float(max(w[~keep].max(initial=0.0), 0.0) / top)
    V = U[:, keep] * np.sqrt(w[keep])
    return V[:, ::-1].copy(), dropped


def worst_points(model, result, rtol: float = RANK_RTOL) -> WorstPoints:
    """The points of the solver's worst case (``result`` from ``solve(model)``)."""
    if result.G is None or result.F is None:
        raise ComputationError("the PEP result has no primal point (G, F) to rebuild the worst case from")
    V, dropped = factor(result.G, rtol)
    P = model.P
    X = model.X[:P] @ V
    Gr = model.Gr[:P] @ V
    F = np.asarray(result.F, float)[model.fidx[:P]]
    x0 = np.zeros(model.n)
    x0[0] = 1.0
    return WorstPoints(X, Gr, F, x0 @ V, bool(model.meta.get("uses_star")), V.shape[1], dropped,
                       list(model.labels))


def interpolation_data(cls_name: str, pts: WorstPoints, consts: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray, str]:
    """(p, A, b, construction) for families/interp.py: the kernels' data of the rebuilt function."""
    if cls_name not in RECONSTRUCTORS:
        raise ComputationError(
            f"no interpolant construction is known here for {cls_name} (known: "
            f"{', '.join(RECONSTRUCTORS)}); the worst case cannot be rebuilt as a function")
    kind, how, curvature = RECONSTRUCTORS[cls_name]
    X, Gs, F = pts.X, pts.G, pts.F
    if pts.star:
        r = X.shape[1]
        X, Gs, F = np.vstack([X, np.zeros((1, r))]), np.vstack([Gs, np.zeros((1, r))]), np.append(F, 0.0)
    r = X.shape[1]
    note = how
    if kind == 0:
        L, mu = (float(v) for v in curvature(consts))
        Lh = L - mu
        gh = Gs - mu * X
        fh = F - 0.5 * mu * np.einsum("ij,ij->i", X, X)
        if Lh > 0:
            Z = X - gh / Lh
            c = (fh - 0.5 * np.einsum("ij,ij->i", gh, gh) / Lh) / Lh
            if pts.star and c.min() < 0:
                # c_i >= 0 is the interpolation condition between point i and x*; the solver meets it
                # to its accuracy. Raised to 0, x* = 0 is exactly a minimizer with f* = 0
                note += f"; star conditions met exactly (values raised by at most {-c.min() * Lh:.1e})"
                c = np.maximum(c, 0.0)
        else:  # mu = L: the class is mu/2 ||x||^2 alone
            Z, c = np.zeros((1, r)), np.zeros(1)
        p = np.array([0.0, Lh, mu, len(c), r, 0.0])
        return p, np.ascontiguousarray(Z), np.ascontiguousarray(c), note
    M = float(consts["M"])
    norms = np.linalg.norm(Gs, axis=1)
    over = norms > M
    if over.any():  # the solver's ||g_i|| <= M holds to its accuracy; scale onto the ball exactly
        Gs = Gs.copy()
        Gs[over] *= (M / norms[over])[:, None]
        note += f"; {int(over.sum())} subgradient(s) scaled onto ||g|| <= M (by at most {float((norms / M).max() - 1):.1e})"
    gx = np.einsum("ij,ij->i", Gs, X)
    if pts.star and (F - gx).max() > 0:
        # f_i - <g_i, x_i> <= 0 is the condition f* >= f_i + <g_i, x* - x_i>; met to the solver's
        # accuracy, made exact so that x* = 0 is a minimizer with f* = 0
        note += f"; star conditions met exactly (pieces lowered by at most {(F - gx).max():.1e})"
        F = np.minimum(F, gx)
    F, raised = _consistent_values(X, Gs, F, pin=len(F) - 1 if pts.star else None)
    if raised > 0:
        note += f"; values lowered by at most {raised:.1e} so that every g_i is a subgradient at x_i"
    A = np.hstack([Gs, X])
    b = F - gx
    p = np.array([1.0, 0.0, 0.0, len(b), r, 1e-9])
    return p, np.ascontiguousarray(A), np.ascontiguousarray(b), note


def _consistent_values(X, Gs, F, pin: int | None = None, rounds: int | None = None):
    """The largest values F' <= F with F'_i >= F'_j + <g_j, x_i - x_j> for all i, j (shortest paths,
    Bellman-Ford; f* pinned): then piece i is active at x_i and g_i is an exact subgradient there,
    and lowering never breaks f* >= f_j + <g_j, x* - x_j>. The solver meets these conditions to its
    accuracy, so the change is of that size; a remaining violation (a positive cycle) is left for
    the class self-check to report."""
    F0 = np.asarray(F, float).copy()
    Fc = F0.copy()
    D = np.einsum("jk,ik->ij", Gs, X) - np.einsum("jk,jk->j", Gs, X)[None, :]  # <g_j, x_i - x_j>
    for _ in range(rounds or len(F0) + 2):
        # lower F_j where F_i < F_j + <g_j, x_i - x_j> (lowering keeps f* >= f_j + <g_j, x* - x_j>)
        new = np.minimum(Fc, (Fc[:, None] - D).min(axis=0))
        if pin is not None:  # f* = 0 stays; a violation against it is left for the self-check
            new[pin] = F0[pin]
        if np.array_equal(new, Fc):
            break
        Fc = new
    return Fc, float((F0 - Fc).max(initial=0.0))


__all__ = ["RECONSTRUCTORS", "WorstPoints", "factor", "worst_points", "interpolation_data", "RANK_RTOL"]

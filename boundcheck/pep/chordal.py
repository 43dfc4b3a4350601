"""A banded PEP solved as small PSD blocks: the basis of the iterates, chordal decomposition, Clarabel.

For a one-step method (x_{i+1} = x_i - h_i g_i, any step schedule) the rows of the restricted
support (consecutive pairs, pairs with x*, the initial condition) touch only neighbouring points.
In the basis of the iterates u = (x_0, x_1, ..., x_{P-1}, g_{P-1}) instead of (x_0 - x*, g_0, ...),
i.e. u = W e with W the coefficient rows of those vectors (triangular, invertible when every step
is nonzero), every row matrix becomes banded: A_u = W^-T A W^-1 with bandwidth b (2 for GD). The
dual of the PEP over those rows,

    minimize  r . lam   s.t.  B^T lam = c,  lam >= 0,  S_u = sum lam_i A_u,i - C_u  >= delta I,

has a banded S_u, and a banded matrix (a chordal pattern whose maximal cliques are the windows
{k, ..., k + b}) is PSD if and only if it is a sum of PSD matrices each supported on one window
(Agler, Helton, McCullough and Rodman 1988; Vandenberghe and Andersen 2015, Thm 9.2). So the one
n x n PSD cone becomes n - b cones of size b + 1, which an interior-point method (Clarabel) factors
in O(n) instead of O(n^6): GD at N = 1000 is ~2000 small cones instead of a 1002 x 1002 cone.

Nothing here is trusted: the multipliers ``lam`` are returned for the rows of the ORIGINAL problem
(the same rows, only written in another basis), where S = W^T S_u W is PSD iff S_u is (a
congruence), and the exact certificate (certificate.py) proves it over the rationals. The margin
delta > 0 keeps S_u strictly positive definite, so rounding the multipliers cannot make it
indefinite; it costs delta * tr(G_u) on the bound, and the certificate reports the bound it proves.

The primal (the worst-case Gram matrix) is read from the duals of the band equalities, which give
G_u on the band only; ``complete`` fills the rest with the chordal completion (each new vector the
best combination of its window, plus its orthogonal remainder).
"""
from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp

BAND_MAX = 6        # widest band solved as blocks (windows of 7 vectors)
ZERO = 1e-13        # coefficients below ZERO * (row scale) in the iterate basis are rounding noise


def iterate_basis(model):
    """W (n x n) with rows x_0, ..., x_{P-1}, g_{P-1} over the Gram basis, or None when it is not
    square and well conditioned (then the iterates do not form a basis)."""
    P, n = model.P, model.n
    if P + 1 != n:
        return None
    W = np.vstack([model.X[:P], model.Gr[P - 1: P]])
    d = np.abs(np.diag(W))
    if not np.allclose(W, np.tril(W)) or d.min() <= 1e-12 * d.max():
        return None
    return W


def _clean(M: np.ndarray) -> np.ndarray:
    scale = np.abs(M).max(axis=1, keepdims=True)
    return np.where(np.abs(M) <= ZERO * np.maximum(scale, 1e-300), 0.0, M)


def banded_rows(model, problem, W, Winv=None):
    """The rows of ``problem`` (same order) in the iterate basis: (A_u csr m x n^2, C_u dense), or
    None when the rows are not banded within BAND_MAX. Uses the same row selection as
    ``Model.problem`` (the block masks and its rule for empty rows)."""
    from . import lift

    n = model.n
    Winv = np.linalg.inv(W) if Winv is None else Winv
    Xu, Gu = _clean(model.X @ Winv), _clean(model.Gr @ Winv)
    As = []
    for b in model.blocks:
        tup = b.tuples[b.mask]
        if not len(tup):
            continue
        Au, Bu, _ = lift.lift(b.form, tup, Xu, Gu, model.fidx, model.n_f)
        As.append(Au[(np.diff(Au.indptr) > 0) | Bu.any(axis=1)])  # Model.problem's rule for empty rows
    Au = sp.vstack(As, format="csr")
    if Au.shape[0] != problem.m:  # a row empty in one basis only (rounding): do not guess
        return None
    Cu = Winv.T @ problem.C.toarray() @ Winv
    k, l = np.divmod(Au.indices, n)
    band = int(np.abs(k - l).max(initial=0))
    cb = np.nonzero(np.abs(Cu) > ZERO * max(np.abs(Cu).max(initial=0.0), 1e-300))
    band = max(band, int(np.abs(cb[0] - cb[1]).max(initial=0)))
    if band > BAND_MAX:
        return None
    return Au, Cu, max(band, 1)


def solve_banded(problem, Au, Cu, band: int, delta: float, tol: float = 1e-10, opts: dict | None = None):
    """Clarabel on the block-decomposed dual (module docstring), built directly as conic data:
    equalities S_u - delta = sum of window blocks (one per band entry) and B^T lam = c, lam >= 0,
    one PSD triangle cone per window. ``delta`` is a number or one value per diagonal entry; with
    band = n - 1 this is the plain dual of the PEP in one block. Returns
    (Clarabel status, lam for ``problem``'s rows, G_u on the band (zero elsewhere), F), G_u and F
    read from the multipliers of the equalities."""
    import clarabel

    n, m, n_f = problem.n, problem.m, problem.n_f
    w = min(band + 1, n)                      # window (clique) size
    starts = range(0, n - w + 1)
    # the band entries (p, q), p <= q, q - p <= band: one equality each
    pq = [(p, q) for p in range(n) for q in range(p, min(n, p + band + 1))]
    index = {e: i for i, e in enumerate(pq)}
    npq = len(pq)
    # lam columns: A_u,i[p, q] for p <= q
    Ac = Au.tocoo()
    k, l = np.divmod(Ac.col, n)
    up = k <= l
    rows = np.fromiter((index[(a, b)] for a, b in zip(k[up], l[up])), dtype=np.int64, count=int(up.sum()))
    M_lam = sp.csc_matrix((Ac.data[up], (rows, Ac.row[up])), shape=(npq, m))
    # window variables: svec (upper triangle, column major, off-diagonals times sqrt 2)
    nsv = w * (w + 1) // 2
    zr, zc, zv = [], [], []
    for s_i, s in enumerate(starts):
        for j in range(w):
            for i in range(j + 1):
                zr.append(index[(s + i, s + j)])
                zc.append(s_i * nsv + j * (j + 1) // 2 + i)
                zv.append(-1.0 if i == j else -1.0 / np.sqrt(2.0))
    nz = len(starts) * nsv
    M_z = sp.csc_matrix((zv, (zr, zc)), shape=(npq, nz))
    delta = np.broadcast_to(np.asarray(delta, dtype=float), (n,))
    rhs = np.array([Cu[p, q] + (delta[p] if p == q else 0.0) for p, q in pq])
    Bt = sp.csc_matrix(np.asarray(problem.B).T)
    A = sp.vstack([
        sp.hstack([M_lam, M_z]),
        sp.hstack([Bt, sp.csc_matrix((n_f, nz))]),
        sp.hstack([-sp.identity(m), sp.csc_matrix((m, nz))]),
        sp.hstack([sp.csc_matrix((nz, m)), -sp.identity(nz)]),
    ], format="csc")
    b = np.concatenate([rhs, problem.c, np.zeros(m), np.zeros(nz)])
    cones = [clarabel.ZeroConeT(npq + n_f), clarabel.NonnegativeConeT(m)] + \
        [clarabel.PSDTriangleConeT(w) for _ in starts]
    q = np.concatenate([problem.r, np.zeros(nz)])
    st = clarabel.DefaultSettings()
    st.verbose = False
    st.tol_gap_abs = st.tol_gap_rel = st.tol_feas = tol
    for k, v in (opts or {}).items():
        setattr(st, k, v)
    sol = clarabel.DefaultSolver(sp.csc_matrix((m + nz, m + nz)), q, A, b, cones, st).solve()
    status = str(sol.status)
    x, z = np.asarray(sol.x), np.asarray(sol.z)
    lam = np.maximum(x[:m], 0.0)
    y = z[:npq]
    Gband = np.zeros((n, n))
    for (p, qq), v in zip(pq, y):
        Gband[p, qq] = Gband[qq, p] = -v if p == qq else -v / 2
    F = -z[npq: npq + n_f]
    return status, lam, Gband, F


def complete(Gband: np.ndarray, band: int) -> np.ndarray:
    """A PSD completion of a banded partial Gram matrix, as V V^T: each vector v_k is the
    least-squares combination of the previous ``band`` vectors (their Gram block pseudo-inverted
    at relative 1e-9) plus a new orthogonal direction carrying the remaining norm. PSD by
    construction; it matches the band wherever the band is itself consistent."""
    n = len(Gband)
    V = np.zeros((n, n))
    V[0, 0] = np.sqrt(max(Gband[0, 0], 0.0))
    for k in range(1, n):
        J = np.arange(max(0, k - band), k)
        w, U = np.linalg.eigh(Gband[np.ix_(J, J)])
        keep = w > 1e-9 * max(w.max(initial=0.0), 1e-300)
        coef = (U[:, keep] / w[keep]) @ (U[:, keep].T @ Gband[J, k])
        V[k] = coef @ V[J]
        V[k, k] = np.sqrt(max(Gband[k, k] - coef @ Gband[J, k], 0.0))
    return V @ V.T


def solve_model(model, problem, delta_rel: float = 1e-12, tols=(1e-10,), opts: dict | None = None):
    """Solve ``problem`` (the model's current rows) through the iterate basis, or return None when
    the rows are not banded there. ``tols``: Clarabel tolerances tried in turn until one reports
    'Solved' (the rows are built once). Returns (status, lam, G, F, info)."""
    from .chordal_refine import refine
    from .exact import single_thread_blas

    t0 = time.perf_counter()
    W = iterate_basis(model)
    if W is None:
        return None
    with single_thread_blas():  # dense n x n algebra; BLAS threads only spin on a shared machine
        Winv = np.linalg.inv(W)
        got = banded_rows(model, problem, W, Winv)
        if got is None:
            return None
        Au, Cu, band = got
        t1 = time.perf_counter()
        # the margin, relative to the largest diagonal coefficient of a row in the iterate basis
        n = model.n
        delta = delta_rel * float(np.abs(Au[:, np.arange(n) * (n + 1)]).max())
        for tol in tols:
            status, lam, Gb, F = solve_banded(problem, Au, Cu, band, delta, tol, opts)
            if status == "Solved":
                break
        G_u = complete(Gb, band)
        t2 = time.perf_counter()
        refined = refine(problem, Au, Cu, band, lam, G_u, F) if status in ("Solved", "AlmostSolved") else None
        if refined is not None:
            lam, G_u, F = refined.lam, refined.G, refined.F
        G = Winv @ G_u @ Winv.T
    info = dict(basis="iterates", band=band, blocks=n - band, delta=delta, tol=tol,
                refined=refined.summary() if refined is not None else None,
                times=dict(rows=t1 - t0, solve=t2 - t1, refine=time.perf_counter() - t2))
    return status, lam, (G + G.T) / 2, F, info


__all__ = ["iterate_basis", "banded_rows", "solve_banded", "complete", "solve_model", "BAND_MAX"]

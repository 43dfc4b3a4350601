"""Local forms and their lifting to sparse SDP rows: how one condition becomes thousands of rows fast.

A condition, measure or initial condition is a function of k points ``p_a = (x_a, g_a, f_a)``.
Evaluated ONCE on k generic symbolic points (local basis x_0, g_0, ..., x_{k-1}, g_{k-1}; local
scalar variables f_0..f_{k-1}) it gives a ``LocalForm``

    expr(p_0, ..., p_{k-1}) = sum_{a,b} Q_ab <s_a, s_b> + sum_a q_a f_a + const,

with Q symmetric (2k x 2k) over the slots s = (x_0, g_0, x_1, g_1, ...). Every bilinear expression
in the points has this form, so nothing is lost. For a tuple of global points with coefficient
vectors c_a (rows of ``X`` and ``Gr`` over the Gram basis) the global Gram matrix of the expression is

    A = sum_a c_a d_a^T,   d_a = sum_b Q_ab c_b      (symmetric because Q is),

built for all tuples at once as row-wise outer products of sparse matrices (``rowwise_outer``), so
the cost is the number of nonzeros, not one Python object per row. The stationary point x* has
zero coefficient vectors and value 0 (``fidx = -1``).

``values`` evaluates the same form on a primal solution through the small matrix
M = [X; Gr] G [X; Gr]^T of all inner products: the cutting-plane check of every pair costs one
gather per nonzero of Q.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import scipy.sparse as sp

from ..functions.base import Point
from .symbolic import Scalar, Vec


@dataclass(frozen=True)
class LocalForm:
    k: int
    Q: np.ndarray       # 2k x 2k symmetric, slots (x_0, g_0, x_1, g_1, ...)
    q: np.ndarray       # (k,)
    const: float


def local_form(fn: Callable, k: int, *extra) -> LocalForm:
    """Evaluate ``fn(p_0, ..., p_{k-1}, *extra)`` on generic symbolic points."""
    pts = [Point(Vec.basis(2 * a, 2 * k), Vec.basis(2 * a + 1, 2 * k), Scalar.variable(a)) for a in range(k)]
    s = Scalar.lift(fn(*pts, *extra))
    Q = np.zeros((2 * k, 2 * k)) if s.Q is None else np.pad(s.Q, (0, 2 * k - len(s.Q)))
    q = np.zeros(k) if s.q is None else np.pad(s.q, (0, k - len(s.q)))
    return LocalForm(k, (Q + Q.T) / 2, q, s.const)


def rowwise_outer(U: sp.csr_matrix, V: sp.csr_matrix, n: int):
    """COO triplets (row, col, val) of vec(u_t v_t^T) (index k*n + l) for every row t of U and V."""
    nu, nv = np.diff(U.indptr), np.diff(V.indptr)
    rows_u = np.repeat(np.arange(U.shape[0]), nu)
    reps = nv[rows_u]
    total = int(reps.sum())
    ui = np.repeat(np.arange(U.nnz), reps)
    starts = np.repeat(np.cumsum(reps) - reps, reps)
    vi = np.repeat(V.indptr[rows_u], reps) + (np.arange(total) - starts)
    return rows_u[ui], U.indices[ui].astype(np.int64) * n + V.indices[vi], U.data[ui] * V.data[vi]


def lift(form: LocalForm, tuples: np.ndarray, X: np.ndarray, Gr: np.ndarray, fidx: np.ndarray,
         n_f: int, chunk: int = 4000):
    """Rows of ``expr >= 0`` for each tuple, in canonical form ``<A, G> + b.F <= r``:
    A = -(Gram matrix of expr), b = -(F coefficients), r = const. Returns (A csr, B dense, r)."""
    tuples = np.asarray(tuples, dtype=np.int64).reshape(-1, form.k)
    T, n = tuples.shape[0], X.shape[1]
    parts = []
    slots = [a for a in range(2 * form.k) if form.Q[a].any()]
    for lo in range(0, T, chunk):
        tup = tuples[lo: lo + chunk]
        C = [(X if a % 2 == 0 else Gr)[tup[:, a // 2]] for a in range(2 * form.k)]
        for a in slots:
            d = sum(form.Q[a, b] * C[b] for b in range(2 * form.k) if form.Q[a, b] != 0.0)
            rr, cc, vv = rowwise_outer(sp.csr_matrix(C[a]), sp.csr_matrix(d), n)
            parts.append((rr + lo, cc, -vv))
    if parts:
        rr, cc, vv = (np.concatenate(z) for z in zip(*parts))
    else:
        rr, cc, vv = (np.zeros(0, dtype=np.int64),) * 2 + (np.zeros(0),)
    # A_i = (A_i + A_i^T) / 2 entry by entry: exact in floating point (a + b == b + a), whereas the
    # sum of outer products is symmetric only up to rounding when Q has non-dyadic entries (e.g.
    # 1/(2(1 - mu/L))), and the exact certificate reads each row as an exactly symmetric matrix
    # (two terms per entry after the first summation, so the order of addition cannot matter)
    A = sp.coo_matrix((vv, (rr, cc)), shape=(T, n * n)).tocsr()
    A.sum_duplicates()
    A = A.tocoo()
    rr, cc, vv = A.row, A.col, A.data * 0.5
    ct = (cc % n) * n + cc // n
    A = sp.coo_matrix((np.concatenate([vv, vv]), (np.concatenate([rr, rr]), np.concatenate([cc, ct]))),
                      shape=(T, n * n)).tocsr()
    A.sum_duplicates()
    A.eliminate_zeros()
    B = np.zeros((T, n_f))
    for a in range(form.k):
        if form.q[a] != 0.0:
            f = fidx[tuples[:, a]]
            ok = f >= 0
            np.add.at(B, (np.nonzero(ok)[0], f[ok]), -form.q[a])
    return A, B, np.full(T, form.const)


def values(form: LocalForm, tuples: np.ndarray, M: np.ndarray, Fext: np.ndarray, fidx: np.ndarray, P: int):
    """expr evaluated at every tuple on a primal solution: M = [X; Gr] G [X; Gr]^T (2P x 2P),
    Fext = F with a trailing 0 (the value f* at x*, index -1)."""
    tuples = np.asarray(tuples, dtype=np.int64).reshape(-1, form.k)
    slot = [tuples[:, a // 2] + (0 if a % 2 == 0 else P) for a in range(2 * form.k)]
    out = np.full(tuples.shape[0], form.const)
    for a, b in zip(*np.nonzero(form.Q)):
        out += form.Q[a, b] * M[slot[a], slot[b]]
    for a in range(form.k):
        if form.q[a] != 0.0:
            out += form.q[a] * Fext[fidx[tuples[:, a]]]
    return out


__all__ = ["LocalForm", "local_form", "rowwise_outer", "lift", "values"]

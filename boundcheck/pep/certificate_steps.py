"""The steps of ``certificate.make_certificate``: exact rows, the exact repair of F-stationarity,
the search for the tau shift, and the rows of the full PEP. See certificate.py for the method."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..errors import CertificateError
from . import exact as X

# ------------------------------------------------------------------------------ exact problem rows
@dataclass
class ExactRow:
    name: str
    A: dict[tuple[int, int], Fraction]   # upper triangle (i <= j) of the symmetric A_i
    b: dict[int, Fraction]               # nonzeros of b_i
    r: Fraction


def _exact_row(problem, i: int) -> ExactRow:
    A_ = problem.A
    lo, hi = A_.indptr[i], A_.indptr[i + 1]
    try:
        A = X.sym_entries_from_dense_row(A_.indices[lo:hi], A_.data[lo:hi], problem.n)
    except ValueError as e:
        raise CertificateError(f"row {problem.names[i]!r}: {e}") from None
    b = {k: X.frac_cached(v) for k, v in enumerate(np.asarray(problem.B[i]).ravel().tolist()) if v != 0}
    return ExactRow(problem.names[i], A, b, X.frac_cached(problem.r[i]))


def _exact_objective(problem):
    C = problem.C.tocoo()
    full = {(int(i), int(j)): X.frac(float(v)) for i, j, v in zip(C.row, C.col, C.data) if v != 0}
    Cu = {}
    for (i, j), v in full.items():
        if full.get((j, i), Fraction(0)) != v:
            raise CertificateError(f"objective matrix C is not exactly symmetric at ({i},{j})")
        if i <= j:
            Cu[(i, j)] = v
    c = {k: X.frac(float(v)) for k, v in enumerate(np.asarray(problem.c).ravel()) if v != 0}
    return Cu, c


def _is_psd_row(row: ExactRow) -> bool:
    """A_i PSD, cheaply: a nonnegative diagonal matrix (the usual initial condition), else an exact
    proof on the (small) support of A_i."""
    if all(i == j for (i, j) in row.A):
        return all(v >= 0 for v in row.A.values())
    idx = sorted({k for key in row.A for k in key})
    pos = {k: a for a, k in enumerate(idx)}
    M = [[Fraction(0)] * len(idx) for _ in idx]
    for (i, j), v in row.A.items():
        M[pos[i]][pos[j]] = v
        M[pos[j]][pos[i]] = v
    num, den = X.to_integer_matrix(M)
    return X.psd_proof(num, den).ok


def _stationarity(n_f, rows, lam, c) -> list[Fraction]:
    rho = [c.get(k, Fraction(0)) for k in range(n_f)]
    for r in rows:
        w = lam.get(r.name, 0)
        if w:
            for k, v in r.b.items():
                rho[k] -= w * v
    return rho


def _repair(n_f, rows_all, lam, c):
    """Make sum lam_i b_i = c exact by raising multipliers (see the module docstring)."""
    rho = _stationarity(n_f, rows_all, lam, c)
    singles: dict[tuple[int, int], list[ExactRow]] = {}
    for r in rows_all:
        if len(r.b) == 1:
            (k, v), = r.b.items()
            singles.setdefault((k, 1 if v > 0 else -1), []).append(r)
    moved: dict[str, Fraction] = {}
    rest = []
    for k, rk in enumerate(rho):
        if rk == 0:
            continue
        cands = singles.get((k, 1 if rk > 0 else -1))
        if not cands:
            rest.append(k)
            continue
        best = max(cands, key=lambda r: lam.get(r.name, 0))
        d = rk / best.b[k]
        lam[best.name] = lam.get(best.name, Fraction(0)) + d
        moved[best.name] = moved.get(best.name, Fraction(0)) + d
    if rest:
        _repair_general(n_f, rows_all, lam, c, moved)
    if any(v != 0 for v in _stationarity(n_f, rows_all, lam, c)):  # pragma: no cover - a bug
        raise CertificateError("internal: the exact repair did not restore sum lam_i b_i = c")
    return moved


def _repair_general(n_f, rows_all, lam, c, moved):
    """Solve sum_{i in P} d_i b_i = rho exactly on a pivot set P of supported rows (chosen by a float
    QR with column pivoting, weighted by lam), then require lam + d >= 0."""
    import scipy.linalg

    rho = _stationarity(n_f, rows_all, lam, c)
    sup = [r for r in rows_all if lam.get(r.name, 0) > 0]
    Bt = np.array([[float(r.b.get(k, 0)) for r in sup] for k in range(n_f)])
    w = np.array([float(lam[r.name]) for r in sup])
    _, _, piv = scipy.linalg.qr(Bt * w, pivoting=True, mode="economic")
    rank = np.linalg.matrix_rank(Bt)
    P = [sup[p] for p in piv[:rank]]
    # exact least-squares-free solve: pick rank independent coordinates as well
    M = [[r.b.get(k, Fraction(0)) for r in P] for k in range(n_f)]
    d = _exact_solve_overdetermined(M, rho)
    if d is None:
        raise CertificateError("could not restore sum lam_i b_i = c exactly: the residual is not in "
                               "the span of the supported rows")
    for r, di in zip(P, d):
        lam[r.name] += di
        moved[r.name] = moved.get(r.name, Fraction(0)) + di
        if lam[r.name] < 0:
            raise CertificateError(f"exact repair made multiplier {r.name!r} negative")


def _exact_solve_overdetermined(M, rhs):
    """Solve M d = rhs exactly (M: rows x k, full column rank) by Gaussian elimination over QQ; None
    if inconsistent."""
    rows, k = len(M), len(M[0]) if M else 0
    Aug = [list(M[i]) + [rhs[i]] for i in range(rows)]
    piv_rows, r = [], 0
    for col in range(k):
        p = next((i for i in range(r, rows) if Aug[i][col] != 0), None)
        if p is None:
            continue
        Aug[r], Aug[p] = Aug[p], Aug[r]
        for i in range(rows):
            if i != r and Aug[i][col] != 0:
                f = Aug[i][col] / Aug[r][col]
                Aug[i] = [a - f * b for a, b in zip(Aug[i], Aug[r])]
        piv_rows.append((r, col))
        r += 1
    if any(Aug[i][k] != 0 for i in range(r, rows)):
        return None
    d = [Fraction(0)] * k
    for ri, col in piv_rows:
        d[col] = Aug[ri][k] / Aug[ri][col]
    return d


def _scaling(Sf):
    d = np.diag(Sf).copy()
    d[d <= 0] = 1.0
    return 1.0 / np.sqrt(d)


def _chol_ok(M):
    try:
        np.linalg.cholesky(M)
        return True
    except np.linalg.LinAlgError:
        return False


def _find_shift(Sf, Pf, sigma):
    """Smallest t >= 0 (to about 1e-3 relative) with D(S + tP)D - sigma I positive definite in
    floating point, D = diag(S)^(-1/2). None if no t <= 1e6 works."""
    dsc = _scaling(Sf + 0.0)
    St = Sf * dsc[:, None] * dsc[None, :]
    Pt = Pf * dsc[:, None] * dsc[None, :]
    I = np.eye(len(Sf))
    if _chol_ok(St - sigma * I):
        return 0.0
    hi = 1e-14
    while not _chol_ok(St + hi * Pt - sigma * I):
        hi *= 4
        if hi > 1e6:
            return None
    lo = 0.0
    while hi - lo > 1e-3 * hi:
        mid = (lo + hi) / 2
        if _chol_ok(St + mid * Pt - sigma * I):
            hi = mid
        else:
            lo = mid
    return hi


def _full_rows(result, rows_all):
    """Exact rows of the FULL PEP (the cut problem is a subset): rebuilt with the PEP builder when
    the solved problem is a cutting-plane subset, else the solved problem's own rows."""
    p = result.problem
    total = p.meta.get("rows_total", p.m)
    if total == p.m:
        if len(rows_all) == p.m:
            return rows_all, "", p
        return [_exact_row(p, i) for i in range(p.m)], "", p
    try:
        from .certificate_rebuild import rebuild_problem

        full = rebuild_problem(p.meta)
    except Exception as e:  # no builder for this description
        return None, f"the full PEP could not be rebuilt ({type(e).__name__}: {e})", None
    if full is None or full.m != total:
        return None, "the full PEP could not be rebuilt", None
    return [_exact_row(full, i) for i in range(full.m)], "", full


def zero_residual_repair(rows_all, lam, n_f, c, Cu, max_equations: int = 600):
    """Fallback when the optimal S is (numerically) zero, i.e. the bound follows from the linear
    constraints alone (seen for PEPs with a function-value initial condition, whose worst-case Gram
    matrices fill the whole space): make  sum lam_i b_i = c  AND  sum lam_i A_i = C  hold exactly
    by the exact least-norm correction weighted by lam (d = diag(lam) J^T y over a maximal set of
    independent equations, every equation then re-checked), so S = 0 exactly. Returns the changes {name: delta}; raises CertificateError when the system is
    inconsistent, too large, or a multiplier would become negative."""
    import scipy.linalg

    sup = [r for r in rows_all if lam.get(r.name, 0) > 0]
    keys = sorted({k for r in sup for k in r.A} | set(Cu))
    if n_f + len(keys) > max_equations:
        raise CertificateError(f"S = 0 repair: {n_f + len(keys)} equations, more than {max_equations}")
    # residuals (exact)
    rho = _stationarity(n_f, rows_all, lam, c)
    accA = {k: Cu.get(k, Fraction(0)) for k in keys}
    for r in sup:
        w = lam[r.name]
        for k, v in r.A.items():
            accA[k] -= w * v
    rhs = rho + [accA[k] for k in keys]
    cols = [[r.b.get(k, Fraction(0)) for k in range(n_f)] + [r.A.get(k, Fraction(0)) for k in keys]
            for r in sup]
    # weighted least-norm correction d = W J^T y, (J_E W J_E^T) y = rhs_E on independent equations
    # E: each multiplier moves in proportion to its size, so lam >= 0 survives small corrections
    J = np.array([[float(v) for v in col] for col in cols]).T          # equations x rows
    _, _, piv = scipy.linalg.qr(J.T, pivoting=True, mode="economic")
    rank = np.linalg.matrix_rank(J)
    E = sorted(piv[:rank])
    W = [lam[r.name] for r in sup]
    JE = [[cols[k][e] for k in range(len(sup))] for e in E]
    K = [[sum((JE[a][k] * W[k] * JE[b][k] for k in range(len(sup)) if JE[a][k] and JE[b][k]), Fraction(0))
          for b in range(rank)] for a in range(rank)]
    y = _exact_solve_overdetermined(K, [rhs[e] for e in E])
    if y is None:
        raise CertificateError("S = 0 repair: singular normal equations")
    d = [W[k] * sum((JE[a][k] * y[a] for a in range(rank) if JE[a][k]), Fraction(0)) for k in range(len(sup))]
    for e in range(len(rhs)):
        if sum((cols[k][e] * d[k] for k in range(len(sup)) if cols[k][e]), Fraction(0)) != rhs[e]:
            raise CertificateError("S = 0 repair: the linear system sum lam_i (b_i, A_i) = (c, C) is "
                                   "inconsistent on the supported rows")
    P = list(range(len(sup)))
    moved = {}
    for p, di in zip(P, d):
        nm = sup[p].name
        lam[nm] += di
        moved[nm] = di
        if lam[nm] < 0:
            raise CertificateError(f"S = 0 repair made multiplier {nm!r} negative")
    return moved

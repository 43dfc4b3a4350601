"""The replay in extended precision (mpmath, 40 digits): no float64 rounding along the run.

The method is replayed as the PEP sees it: every oracle point is the linear combination, with the
method's float64 coefficients taken exactly (the rows of build.Model.X), of x0 - x* and the
gradients returned so far; the oracle is the rebuilt function (families/interp.py, whose float64
data define it exactly) evaluated in mpmath:

* smooth kind: the float64 active-set solve (``simplex_qp``) picks the support S; on S the
  optimality system  Z_S Z_S^T lam + nu 1 = Z_S x - c_S,  1^T lam = 1  is solved in mpmath, and
  the KKT conditions (lam >= 0, every piece's gradient >= nu) are re-checked (the support in
  mpmath, the other pieces in float64); when that solve is not accurate (a near-singular support)
  the float64 weights, taken exactly, are checked too and the smaller violation kept; the largest
  violation over the run is reported (``kkt``);
* max-affine kind: the maximum in mpmath; the subgradient is chosen as in float64 (snap to an
  interpolation point, else the first maximizer).

The measure is the PEP's objective <C, G> + c.F at the run's Gram matrix and values, so the
attained value is compared with the exact certified upper bound without a float in between.
"""
from __future__ import annotations

import numpy as np

DPS = 40
# an mpmath solve of the support's optimality system with a KKT violation above this is not trusted
# alone: the float64 weights (taken exactly) are evaluated too and the smaller violation is kept
# (measured: a near-singular support gave 2.2e+33 from the LU solve, FGM smooth convex N = 18, and
# 4.5e+32 for GD h = 0.5 smooth strongly convex N = 15)
KKT_GOOD = 1e-20


def _oracle(mp, pa, A, b):
    from ..functions.families.interp import simplex_qp

    kind, Lh, mu, r = int(pa[0]), mp.mpf(float(pa[1])), mp.mpf(float(pa[2])), int(pa[4])
    Am = [[mp.mpf(float(v)) for v in row] for row in A]
    bm = [mp.mpf(float(v)) for v in b]
    worst = [mp.mpf(0)]

    def smooth(x):
        v = sum(mu * xi * xi for xi in x) / 2
        g = [mu * xi for xi in x]
        if Lh <= 0:
            return v, g
        lam = simplex_qp(A, b, np.array([float(t) for t in x[:r]]), r)
        S = _independent([i for i in range(len(b)) if lam[i] > 0], A, r)
        k = len(S)
        K = mp.matrix(k + 1, k + 1)
        rhs = mp.matrix(k + 1, 1)
        for a, i in enumerate(S):
            for c, j in enumerate(S):
                K[a, c] = sum(Am[i][q] * Am[j][q] for q in range(r))
            K[a, k] = 1
            K[k, a] = 1
            rhs[a] = sum(Am[i][q] * x[q] for q in range(r)) - bm[i]
        rhs[k] = 1
        cands = []
        try:
            sol = mp.lu_solve(K, rhs)
            cands.append((S, [sol[a] for a in range(k)], -sol[k]))
        except (ZeroDivisionError, TypeError, ValueError):  # singular after all
            pass
        full = [i for i in range(len(b)) if lam[i] > 0]
        fallback = (full, [mp.mpf(float(lam[i])) for i in full], None)  # the float64 weights, exactly
        best = None
        for cand in cands + [fallback]:
            got = _evaluate(mp, cand, Am, bm, A, b, x, r)
            if best is None or got[0] < best[0]:
                best = got
            if best[0] <= KKT_GOOD:  # the mpmath solve is accurate: no need for the fallback
                break
        viol, w, lm, S = best
        worst[0] = max(worst[0], viol)
        val = Lh * (sum((x[q] - w[q]) ** 2 for q in range(r)) / 2 + sum(lm[a] * bm[i] for a, i in enumerate(S)))
        for q in range(r):
            g[q] += Lh * (x[q] - w[q])
        return v + val, g

    def maxaffine(x):
        vals = [bm[i] + sum(Am[i][q] * x[q] for q in range(r)) for i in range(len(b))]
        best = max(range(len(b)), key=lambda i: vals[i])
        snap = mp.mpf(float(pa[5]))
        near = [i for i in range(len(b))
                if mp.sqrt(sum((x[q] - Am[i][r + q]) ** 2 for q in range(r)))
                <= snap * (1 + mp.sqrt(sum(Am[i][r + q] ** 2 for q in range(r))))]
        j = min(near, key=lambda i: sum((x[q] - Am[i][r + q]) ** 2 for q in range(r))) if near else best
        return vals[best], [Am[j][q] if q < r else mp.mpf(0) for q in range(len(x))]

    return (smooth if kind == 0 else maxaffine), worst


def _evaluate(mp, cand, Am, bm, A, b, x, r):
    """(KKT violation, w, weights, support) of one candidate solution of the inner QP: weights >= 0
    and every piece's gradient >= nu (the support's in mpmath, the others in float64)."""
    S, lm, nu = cand
    w = [sum(lm[a] * Am[i][q] for a, i in enumerate(S)) for q in range(r)]
    grads = {j: bm[j] + sum(Am[j][q] * (w[q] - x[q]) for q in range(r)) for j in S}
    nu = nu if nu is not None else sum(lm[a] * grads[i] for a, i in enumerate(S))
    wf = np.array([float(t) for t in w]) - np.array([float(t) for t in x[:r]])
    others = np.asarray(b) + np.asarray(A)[:, :r] @ wf
    others[S] = np.inf
    viol = max([mp.mpf(0)] + [-t for t in lm] + [nu - gj for gj in grads.values()]
               + [mp.mpf(float(nu) - float(others.min()))])
    return viol, w, lm, S


def _independent(S: list, A, r: int) -> list:
    """A subset of the support whose points are affinely independent (a duplicate point or one on
    the line of two others carries no information the others do not; the KKT check decides)."""
    keep = [S[0]] if S else []
    for i in S[1:]:
        U = np.array([A[t, :r] - A[keep[0], :r] for t in keep[1:] + [i]])
        sv = np.linalg.svd(U, compute_uv=False)
        if sv.min() > 1e-9 * max(1.0, float(np.abs(A[:, :r]).max())):
            keep.append(i)
    return keep


def replay_extended(model, rebuilt) -> dict:
    """{'attained': float, 'attained_mp': str, 'kkt': float, 'dps': int} for the cached rebuild."""
    import mpmath

    mp = mpmath.mp.clone() if hasattr(mpmath.mp, "clone") else mpmath.mp
    old = mp.dps
    mp.dps = DPS
    try:
        _, _, pts, (pa, A, b, _) = rebuilt
        oracle, worst = _oracle(mp, pa, A, b)
        r = pts.rank
        basis = [[mp.mpf(float(v)) for v in pts.x0]]
        F = []
        for i in range(model.P):
            coef = model.X[i]
            x = [sum(mp.mpf(float(coef[k])) * basis[k][q] for k in range(len(basis)) if coef[k] != 0)
                 if any(coef[k] != 0 for k in range(len(basis))) else mp.mpf(0) for q in range(r)]
            if any(coef[len(basis):] != 0):  # pragma: no cover - the driver creates points in order
                raise RuntimeError("a point refers to a gradient not yet computed")
            f, g = oracle(x)
            F.append(f)
            basis.append(g)
        C = model.C.tocoo()
        obj = sum(mp.mpf(float(v)) * sum(basis[i][q] * basis[j][q] for q in range(r))
                  for i, j, v in zip(C.row, C.col, C.data))
        obj += sum(mp.mpf(float(cv)) * F[k] for k, cv in enumerate(model.c) if cv != 0 and k < len(F))
        return {"attained": float(obj), "attained_mp": mpmath.nstr(obj, 30), "kkt": float(worst[0]),
                "dps": DPS}
    finally:
        mp.dps = old


__all__ = ["replay_extended", "DPS"]

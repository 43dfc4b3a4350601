"""An independent, hand-written T01 PEP in the canonical form of boundcheck/pep/problem.py, and a
plain cvxpy + Clarabel solve of it: the reference the certificate tests use (and compare the PEP
core's builder with, when it is present).

T01: gradient descent x_{k+1} = x_k - (h/L) g_k on L-smooth convex f, ||x0 - x*||^2 <= R^2, worst
case of f(x_N) - f*; closed form L R^2 / (4N + 2) for h = 1 (Drori and Teboulle 2014, Thm 3.1).
"""
from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from boundcheck.pep.problem import PEPProblem, PEPResult


def build_t01(N: int, h: float = 1.0, L: float = 1.0, R: float = 1.0, pairs: str = "all") -> PEPProblem:
    """Gram basis [x0-x*, g0..gN]; F = [f0..fN]; x* = 0, g* = 0, f* = 0. ``pairs``: "all" (every
    ordered pair of {*, 0..N}) or "support" (consecutive pairs both ways and all pairs with *)."""
    n, n_f = N + 2, N + 1
    step = h / L
    xs, gs = {"*": np.zeros(n)}, {"*": np.zeros(n)}
    fs = {"*": np.zeros(n_f)}
    x = np.zeros(n)
    x[0] = 1.0
    for k in range(N + 1):
        g = np.zeros(n)
        g[1 + k] = 1.0
        f = np.zeros(n_f)
        f[k] = 1.0
        xs[k], gs[k], fs[k] = x.copy(), g, f
        x = x - step * g
    labels = ["*"] + list(range(N + 1))
    if pairs == "all":
        plist = [(i, j) for i in labels for j in labels if i != j]
    else:
        plist = [(k, k + 1) for k in range(N)] + [(k + 1, k) for k in range(N)]
        plist += [("*", k) for k in range(N + 1)] + [(k, "*") for k in range(N + 1)]
    rows, cols, vals, B, r, names = [], [], [], [], [], []

    def add_sym(row, u, v, w):
        M = w * (np.outer(u, v) + np.outer(v, u)) / 2
        nz = np.nonzero(M)
        for a, b in zip(*nz):
            rows.append(row)
            cols.append(a * n + b)
            vals.append(M[a, b])

    for t, (i, j) in enumerate(plist):
        # f_j - f_i + <g_j, x_i - x_j> + 1/(2L)||g_i - g_j||^2 <= 0
        dx = xs[i] - xs[j]
        dg = gs[i] - gs[j]
        M = (np.outer(gs[j], dx) + np.outer(dx, gs[j])) / 2 + np.outer(dg, dg) / (2 * L)
        for a, b in zip(*np.nonzero(M)):
            rows.append(t)
            cols.append(a * n + b)
            vals.append(M[a, b])
        B.append(fs[j] - fs[i])
        r.append(0.0)
        names.append(f"interp({i},{j})")
    t = len(plist)
    rows.append(t)
    cols.append(0)
    vals.append(1.0)
    B.append(np.zeros(n_f))
    r.append(R * R)
    names.append("init")
    m = t + 1
    A = sp.csr_matrix((vals, (rows, cols)), shape=(m, n * n))
    A.sum_duplicates()
    c = np.zeros(n_f)
    c[N] = 1.0
    return PEPProblem(n=n, basis=["x0-x*"] + [f"g{k}" for k in range(N + 1)],
                      f_names=[f"f{k}" for k in range(N + 1)], C=sp.csr_matrix((n, n)), c=c, A=A,
                      B=np.array(B), r=np.array(r), names=names,
                      meta={"algorithm": f"gd[h={h:g}]", "function": f"smooth-convex[L={L:g}]",
                            "measure": "f-gap", "init": f"dist[R={R:g}]", "N": N})


def solve_reference(prob: PEPProblem, solver: str = "CLARABEL", **opts) -> PEPResult:
    import cvxpy as cp

    n = prob.n
    G = cp.Variable((n, n), symmetric=True)
    F = cp.Variable(prob.n_f)
    con = prob.A @ cp.vec(G, order="C") + prob.B @ F <= prob.r
    psd = G >> 0
    obj = cp.Maximize(cp.sum(cp.multiply(prob.C.toarray(), G)) + prob.c @ F)
    pr = cp.Problem(obj, [con, psd])
    pr.solve(solver=solver, **opts)
    lam = np.clip(np.asarray(con.dual_value, dtype=float), 0, None)
    S = prob.residual(lam)
    return PEPResult(problem=prob, value=float(lam @ prob.r), primal=float(pr.value),
                     status="optimal" if pr.status == "optimal" else "inaccurate", solver=solver,
                     lam=lam, S=S, G=np.asarray(G.value), F=np.asarray(F.value),
                     residuals={"stationarity": float(np.abs(prob.B.T @ lam - prob.c).max())})


@pytest.mark.parametrize("N", [1, 2, 5, 10])
def test_reference_builder_reproduces_t01(N):
    res = solve_reference(build_t01(N))
    assert abs(res.value - 1 / (4 * N + 2)) < 1e-6 / (4 * N + 2)
    assert abs(res.primal - 1 / (4 * N + 2)) < 1e-6 / (4 * N + 2)


def test_reference_support_subset_has_the_same_value():
    res = solve_reference(build_t01(8, pairs="support"))
    assert abs(res.value - 1 / 34) < 1e-6 / 34

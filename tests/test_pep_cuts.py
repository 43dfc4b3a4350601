"""Cutting planes equal the full SDP, their duals certify the full SDP, and the canonical data is
consistent (value <= sum lam r, S = sum lam A - C PSD, sum lam b = c)."""
import numpy as np
import pytest

from boundcheck.pep.build import build
from boundcheck.pep.solve import solve

CASES = [
    ("gd[h=1]", "smooth-convex[L=1]", 8, "f-gap", "dist"),
    ("gd[h=1.5]", "smooth-convex[L=1]", 6, "f-gap", "dist"),
    ("ogm", "smooth-convex[L=1]", 6, "f-gap", "dist"),
    ("heavy-ball[h=1,beta=0.3]", "smooth-strongly-convex[L=1,mu=0.1]", 5, "dist", "dist"),
    ("gd[h=1]", "smooth-nonconvex[L=1]", 5, "grad-min", "f-decrease"),
    ("subgradient[gamma=R/(M*sqrt(N+1))]", "convex-lipschitz[M=1]", 6, "f-best", "dist"),
]


def _full_rows(model_full, problem_cut):
    """index of each cut-problem row in the full problem (rows are named)"""
    pos = {nm: i for i, nm in enumerate(model_full.names)}
    return np.array([pos[nm] for nm in problem_cut.names])


@pytest.mark.parametrize("case", CASES, ids=[c[0] + "/" + c[1] for c in CASES])
def test_cuts_equal_full_and_certify_it(case):
    cut = solve(build(*case))
    full_model = build(*case)
    full = solve(full_model, cuts=False)
    assert abs(cut.value - full.value) <= 1e-6 * abs(full.value), (cut.value, full.value)
    assert cut.problem.m <= full.problem.m
    # the cut multipliers, padded with zeros on the dropped rows, are a dual solution of the FULL SDP
    fp = full.problem
    lam = np.zeros(fp.m)
    lam[_full_rows(fp, cut.problem)] = cut.lam
    assert np.abs(fp.B.T @ lam - fp.c).max() < 1e-7
    S = fp.residual(lam)
    assert np.linalg.eigvalsh(S)[0] > -1e-7 * max(1.0, np.abs(S).max())
    assert np.isclose(lam @ fp.r, cut.value)
    # weak duality on the full problem's primal optimum
    assert fp.objective(full.G, full.F) <= lam @ fp.r + 1e-7


def test_canonical_form_consistency():
    r = solve(build("gd[h=1]", "smooth-convex[L=1]", 6), cuts=False)
    p = r.problem
    assert p.A.shape == (p.m, p.n * p.n) and p.B.shape == (p.m, p.n_f) and len(p.names) == p.m
    assert len(set(p.names)) == p.m and "init" in p.names and "interp(3,*)" in p.names
    for i in range(p.m):
        Ai = p.A_i(i).toarray()
        assert np.allclose(Ai, Ai.T)
    # the init row is ||x0 - x*||^2 <= 1: A = e0 e0^T, b = 0, r = 1
    k = p.names.index("init")
    assert p.A_i(k).toarray()[0, 0] == 1.0 and p.A_i(k).nnz == 1 and p.r[k] == 1.0 and not p.B[k].any()
    assert r.residuals["stationarity"] < 1e-9 and r.residuals["S_min_eig"] > -1e-8
    assert np.allclose(r.S, p.residual(r.lam)) and np.isclose(r.value, r.lam @ p.r)
    assert p.slack(r.G, r.F).min() > -1e-8
    assert abs(r.value - r.primal) < 1e-8


def test_min_measure_uses_epigraph_variable():
    r = solve(build("gd[h=1]", "smooth-nonconvex[L=1]", 3, "grad-min", "f-decrease"))
    p = r.problem
    assert p.f_names[-1] == "t" and p.c[-1] == 1.0 and not p.c[:-1].any()
    rows = [i for i, nm in enumerate(p.names) if nm.startswith("measure")]
    assert len(rows) == 4  # points x_0..x_3
    assert np.all(p.B[rows, -1] == 1.0)

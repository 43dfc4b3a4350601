"""pl: certified mu of sinsq against the instance itself; lstsq structure; parameter handling."""
from __future__ import annotations

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.errors import ParamError
from boundcheck.functions.check import check_instance

PL = registry.functions.get("pl")


def _pl_ratio(inst, x):
    g = inst.g(x)
    return 0.5 * float(g @ g) / (inst.f(x) - inst.f_star)


@pytest.mark.parametrize("mu,L", [(0.1, 1.0), (0.1755, 8.0), (0.5, 2.0), (1e-3, 1.0), (0.995, 1.0)])
def test_sinsq_certified_mu_is_valid_and_tight(mu, L):
    inst = PL.instance(instance="sinsq", d=3, mu=mu, L=L, seed=2)
    assert inst.constants["mu"].value == mu and inst.constants["L"].value == L
    rng = np.random.default_rng(0)
    xs = [inst.x_star + rng.standard_normal(3) * s for s in np.geomspace(0.01, 5, 400)]
    xs += inst.probes(rng, 8)
    ratios = [_pl_ratio(inst, x) for x in xs if inst.f(x) - inst.f_star > 1e-12]
    assert min(ratios) >= mu * (1 - 1e-9)
    assert min(ratios) <= mu * 1.01  # attained (one coordinate at the argmin, others at x*)
    H = inst.hess(inst.x_star)
    assert np.isclose(np.abs(np.linalg.eigvalsh(H)).max(), L, rtol=1e-12)
    rep = check_instance(inst, PL)
    assert rep.ok, rep.summary()
    assert not check_instance(inst, PL, {"mu": 1.1 * mu}).ok


def test_sinsq_separable_bound_holds_in_many_coordinates():
    inst = PL.instance(instance="sinsq", d=8, seed=5)
    mu = inst.constants["mu"].value
    rng = np.random.default_rng(3)
    for _ in range(2000):
        x = inst.x_star + rng.uniform(-3, 3, 8) * (rng.random(8) < 0.5)
        if inst.f(x) > 1e-12:
            assert _pl_ratio(inst, x) >= mu * (1 - 1e-9)


def test_sinsq_uncached_certification_builds():
    """An uncached certification (its speed is measured in benchmarks/bench_functions.py)."""
    inst = PL.instance(instance="sinsq", mu=0.0731, L=1.7, d=4)
    assert inst.constants["mu"].value == pytest.approx(0.0731) and inst.constants["L"].value == pytest.approx(1.7)
    assert check_instance(inst, PL).ok


def test_lstsq_is_rank_deficient_pl_not_strongly_convex():
    inst = PL.instance(instance="lstsq", d=7, mu=0.05, L=2.0, seed=3)
    A, b = inst.data[1], inst.data[2]
    ev = np.linalg.eigvalsh(A.T @ A)
    nz = ev[ev > 1e-10]
    assert len(nz) == 4 and np.isclose(nz.min(), 0.05) and np.isclose(nz.max(), 2.0)
    assert inst.f_star > 0
    null = np.linalg.svd(A)[2][-1]
    x = inst.x_star + 3.0 * null  # another minimiser: not strongly convex
    assert np.isclose(inst.f(x), inst.f_star) and np.allclose(inst.g(x), 0, atol=1e-12)
    rng = np.random.default_rng(1)
    for _ in range(200):
        y = inst.x_star + rng.standard_normal(7)
        if inst.f(y) - inst.f_star > 1e-12:
            assert _pl_ratio(inst, y) >= 0.05 * (1 - 1e-9)


def test_lstsq_one_dimensional_needs_mu_equal_L():
    with pytest.raises(ParamError, match="d >= 2"):
        PL.instance(instance="lstsq", d=1, mu=0.1, L=1.0)
    inst = PL.instance(instance="lstsq", d=1, mu=1.0, L=1.0)
    assert check_instance(inst, PL).ok


def test_mu_above_L_is_rejected():
    with pytest.raises(ParamError, match="'mu' must be <= 'L'"):
        PL.validate({"mu": 2, "L": 1})


def test_sinsq_range_is_stated():
    with pytest.raises(ParamError, match="lstsq"):
        PL.instance(instance="sinsq", mu=1e-8, L=1.0, d=2)


@pytest.mark.parametrize("h,expected", [(1.0, 8 / 11), (0.5, 0.832970), (0.25, 0.908376)])
def test_conditions_on_gram_points_give_the_naive_pl_pep_value(h, expected):
    """The same condition functions, evaluated on symbolic Gram-matrix points, give the one-step
    worst case of GD on the naive PL relaxation (T05(b), docs/pitfalls.md#pl-pep-is-a-relaxation: 8/11 at L=1, mu=0.2, h=1)."""
    cp = pytest.importorskip("cvxpy")
    from boundcheck.functions import pl
    from boundcheck.functions.base import Point

    L, mu = 1.0, 0.2
    G = cp.Variable((3, 3), PSD=True)  # Gram matrix of (x0 - x*, g0, g1)
    F = cp.Variable(2)

    class Vec:
        def __init__(self, c):
            self.c = np.asarray(c, float)

        def __matmul__(self, o):
            return self.c @ G @ o.c

        def __sub__(self, o):
            return Vec(self.c - o.c)

        def __truediv__(self, a):
            return Vec(self.c / a)

        def __mul__(self, a):
            return Vec(self.c * a)

    zero, x0, g0, g1 = Vec([0, 0, 0]), Vec([1, 0, 0]), Vec([0, 1, 0]), Vec([0, 0, 1])
    pts = [Point(zero, zero, 0.0), Point(x0, g0, F[0]), Point(x0 - g0 * (h / L), g1, F[1])]
    c = {"L": L, "mu": mu}
    cons = [F[0] == 1]
    cons += [pl.smooth_nonconvex(p, q, c) >= 0 for p in pts for q in pts if p is not q]
    cons += [cond(p, pts[0], c) >= 0 for p in pts[1:] for cond in (pl.pl_inequality, pl.above_min)]
    prob = cp.Problem(cp.Maximize(F[1]), cons)
    prob.solve(solver=cp.CLARABEL)
    assert abs(prob.value - expected) <= 2e-6

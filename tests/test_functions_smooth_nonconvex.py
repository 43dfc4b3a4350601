"""Class-specific checks for smooth-nonconvex: the interpolation formula against PEPit's form, its
meaning on 1-D quadratics (|curvature| <= L), genuine nonconvexity, and L attained."""
from __future__ import annotations

import math

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.functions.base import Point
from boundcheck.functions.check import check_instance
from boundcheck.functions.smooth_nonconvex import interpolation

CLS = registry.functions.get("smooth-nonconvex")


def _fd_hessian(inst, x, h=1e-5):
    H = np.column_stack([(inst.g(x + h * e) - inst.g(x - h * e)) / (2 * h) for e in np.eye(inst.d)])
    return 0.5 * (H + H.T)


def test_condition_equals_pepit_symmetric_form():
    """PEPit SmoothFunction: f_i - f_j >= -L/4||dx||^2 + 1/2<g_i + g_j, dx> + 1/(4L)||dg||^2."""
    rng = np.random.default_rng(0)
    for _ in range(100):
        L = rng.uniform(0.1, 10)
        pi, pj = (Point(rng.standard_normal(3), rng.standard_normal(3), rng.standard_normal()) for _ in range(2))
        dx, dg = pi.x - pj.x, pi.g - pj.g
        pep = pi.f - pj.f + L / 4 * dx @ dx - 0.5 * (pi.g + pj.g) @ dx - dg @ dg / (4 * L)
        assert interpolation(pi, pj, {"L": L}) == pytest.approx(pep, rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("c", [-1.3, -1.0, -0.4, 0.0, 0.7, 1.0, 1.1])
def test_condition_on_1d_quadratics_is_abs_curvature_at_most_L(c):
    pts = [Point(np.array([x]), np.array([c * x]), c * x * x / 2) for x in (-1.0, 0.5, 2.0)]
    vals = [interpolation(p, q, {"L": 1.0}) for p in pts for q in pts if p is not q]
    assert (min(vals) >= -1e-14) == (abs(c) <= 1.0)


@pytest.mark.parametrize("q,k", [(3.0, math.pi), (1.5, 1.0), (10.0, 2.0)])
def test_cosine_is_nonconvex_with_L_attained(q, k):
    L = 2.0
    inst = CLS.instance(instance="cosine", L=L, q=q, k=k, d=3, seed=1)
    H = _fd_hessian(inst, inst.x_star)
    assert np.linalg.eigvalsh(H)[-1] == pytest.approx(L, rel=1e-6)
    x = inst.x_star.copy()
    x[0] += math.pi / k  # k t = pi: the most negative curvature
    assert np.linalg.eigvalsh(_fd_hessian(inst, x))[0] == pytest.approx(-L * (q - 1) / (q + 1), rel=1e-5)
    rng = np.random.default_rng(2)
    for _ in range(20):
        ev = np.linalg.eigvalsh(_fd_hessian(inst, inst.x_star + 2 * rng.standard_normal(3)))
        assert -L <= ev[0] and ev[-1] <= L * (1 + 1e-6)
    assert check_instance(inst, CLS).ok and not check_instance(inst, CLS, {"L": 0.97 * L}).ok


def test_cosine_minimizer_is_global_and_unique():
    inst = CLS.instance(instance="cosine", q=10.0, k=2.0, d=2, seed=0)  # q > 4.6033: local minima exist
    grid = np.linspace(-6, 6, 241)
    X = inst.x_star + np.stack(np.meshgrid(grid, grid), -1).reshape(-1, 2)
    vals = np.array([inst.f(x) for x in X])
    assert vals.min() >= 0.0 and inst.f(inst.x_star) == 0.0
    assert np.all(vals[np.linalg.norm(X - inst.x_star, axis=1) > 1e-9] > 0)


def test_cauchy_is_nonconvex_with_L_attained():
    inst = CLS.instance(instance="cauchy", L=3.0, d=4, seed=2, delta=0.5)
    Lc = float(inst.constants["L"].value)
    assert Lc == pytest.approx(3.0, rel=1e-12)
    assert np.linalg.eigvalsh(_fd_hessian(inst, inst.x_star))[-1] == pytest.approx(Lc, rel=1e-6)
    rng = np.random.default_rng(3)
    lows = []
    for _ in range(40):
        ev = np.linalg.eigvalsh(_fd_hessian(inst, inst.x_star + 3 * rng.standard_normal(4)))
        assert -Lc / 8 * (1 + 1e-6) <= ev[0] and ev[-1] <= Lc * (1 + 1e-6)
        lows.append(ev[0])
    assert min(lows) < 0  # genuinely nonconvex
    assert check_instance(inst, CLS).ok and not check_instance(inst, CLS, {"L": 0.97 * Lc}).ok



@pytest.mark.parametrize("q,n_stationary", [(3.0, 1), (4.55, 1), (4.65, 5), (10.0, 5)])
def test_cosine_spurious_stationary_points_iff_q_above_4_6033(q, n_stationary):
    """Sign changes of f' along one coordinate over |k t| < 2 pi: only t = 0 below the threshold,
    then two local minima and two local maxima appear (u + q sin u = 0 on (pi, 2 pi))."""
    k = 1.0
    inst = CLS.instance(instance="cosine", q=q, k=k, d=1, seed=0)
    t = np.linspace(-2 * np.pi + 1e-3, 2 * np.pi - 1e-3, 200001) + 1e-7
    gs = np.array([inst.g(inst.x_star + ti)[0] for ti in t])
    assert int(np.sum(np.diff(np.sign(gs)) != 0)) == n_stationary

"""l0l1-smooth: the certified (L0, L1) against dense 1-D sweeps, the exact trade-off of the quartic,
and the Gronwall pair condition."""
from __future__ import annotations

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.functions.check import check_instance
from boundcheck.functions.l0l1_smooth import gronwall

C = registry.functions.get("l0l1-smooth")


def _norms(inst, ts):
    """(||g||, ||H||_2) along coordinate 0 at offsets ts from x*."""
    gn, hn = [], []
    for t in ts:
        x = inst.x_star.copy()
        x[0] += t
        gn.append(np.linalg.norm(inst.g(x)))
        hn.append(np.linalg.norm(inst.hess(x), 2))
    return np.array(gn), np.array(hn)


@pytest.mark.parametrize("gen", ["cosh", "exp", "poly"])
@pytest.mark.parametrize("L0,L1", [(1.0, 1.0), (0.2, 3.0), (5.0, 0.5)])
def test_constants_hold_and_are_attained(gen, L0, L1):
    inst = C.instance(instance=gen, L0=L0, L1=L1, d=3, seed=0)
    gn, hn = _norms(inst, np.linspace(-12.0, 12.0, 4801) / L1)
    margin = lambda l0, l1: ((l0 + l1 * gn - hn) / np.maximum(hn, 1e-300)).min()
    assert margin(L0, L1) >= -1e-12
    assert margin(0.9 * L0, L1) < 0 and margin(L0, 0.9 * L1) < 0
    rng = np.random.default_rng(1)
    for _ in range(200):  # all coordinates moving
        x = inst.x_star + rng.standard_normal(3) * 2 / L1
        assert L0 + L1 * np.linalg.norm(inst.g(x)) >= np.linalg.norm(inst.hess(x), 2) * (1 - 1e-12)


def test_quartic_tradeoff_is_exact():
    """alpha y^4/4 is (4 alpha / l^2, l)-smooth for every l > 0 and for no smaller L0 at that l."""
    inst = C.instance(instance="poly", L0=2.0, L1=1.5, d=1)
    alpha = inst.data[0][0]
    ys = np.linspace(-20, 20, 400001)
    for ell in (0.5, 1.5, 4.0):
        need = np.max(3 * alpha * ys**2 - ell * alpha * np.abs(ys) ** 3)
        assert np.isclose(need, 4 * alpha / ell**2, rtol=1e-6)


def test_gronwall_condition_holds_and_is_tight_near_minimiser():
    inst = C.instance(instance="cosh", L0=1.0, L1=2.0, d=2, seed=3)
    c = inst.constant_values()
    rng = np.random.default_rng(0)
    pts = [inst.point(inst.x_star + rng.standard_normal(2) * s) for s in np.geomspace(1e-3, 30, 60)]
    for pi in pts:
        for pj in pts:
            assert gronwall(pi, pj, c) >= -1e-9 * (1 + np.abs(pi.g - pj.g).max())
    e = np.array([1e-4, 0.0])
    p0, p1 = inst.point(inst.x_star), inst.point(inst.x_star + e)
    slack = gronwall(p1, p0, c) / np.linalg.norm(p1.g - p0.g)
    assert 0 <= slack < 1e-3  # g_j = 0, short step: the bound is L0 D (1 + O(D)), attained
    assert check_instance(inst, C).ok

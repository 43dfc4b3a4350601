"""T11 on its lower-bound instance (issue 13): Harvey, Liaw, Plan, Randhawa's maximum of linear
pieces (boundcheck/functions/families/harvey.py), and the claims of problems/last_iterate.toml
that use it.

The module docstring proves the properties the claim relies on; these tests check each on the
kernels: the value and subgradient are those of the explicit pieces, 0 is the minimiser (positive
dependence of the pieces), the certified M is the largest piece norm, gradient descent with the
claim's step follows the constructed path, and the claim's exponent is the bound's own slope over
the claim's grid (so the exponent cannot be tuned apart from the bound).
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.claims import load_catalogue
from boundcheck.functions.families import harvey
from boundcheck.verify import verify_claims

CLS = registry.functions.get("convex-lipschitz")


def _inst(T, M=1.0):
    return CLS.instance(instance="harvey", d=T, M=M)


@pytest.mark.parametrize("T", [1, 2, 7, 40])
def test_kernels_are_the_max_of_the_pieces_with_the_first_active_one(T):
    inst, H = _inst(T, M=2.0), harvey.pieces(T)
    s = float(inst.data[0][0])
    rng = np.random.default_rng(T)
    for _ in range(50):
        y = rng.standard_normal(T)
        v = H @ y
        assert inst.f(y) == pytest.approx(s * v.max(), rel=1e-13, abs=1e-15)
        assert np.allclose(inst.g(y), s * H[int(np.argmax(v))], rtol=0, atol=1e-15)


@pytest.mark.parametrize("T", [1, 5, 64])
def test_zero_is_the_unique_minimiser_and_m_is_exact(T):
    H = harvey.pieces(T)
    # 0 = sum_i lam_i h_i with lam > 0: coordinate j reads lam_j b_j = a_j sum_{i>j} lam_i
    lam = np.zeros(T + 1)
    lam[T] = 1.0
    for j in range(T - 1, -1, -1):
        lam[j] = H[T, j] * lam[j + 1:].sum() / -H[j, j]
    assert np.all(lam > 0) and np.allclose(lam @ H, 0, atol=1e-14)
    assert np.linalg.matrix_rank(H[:T]) == T  # a basis: max_i <h_i, y> > 0 for y != 0
    inst = _inst(T, M=1.5)
    assert inst.f_star == 0.0 and inst.f(inst.x_star) == 0.0 and np.all(inst.x0 == inst.x_star)
    s = float(inst.data[0][0])
    assert s * np.linalg.norm(H, axis=1).max() == pytest.approx(1.5, rel=1e-13)
    assert np.linalg.norm(inst.g(-0.3 * np.eye(T)[-1])) == pytest.approx(1.5, rel=1e-13)  # attained


def test_gradient_descent_follows_the_construction_and_ends_at_log_t_over_root_t():
    """Step t (1-based, eta_t = 1/sqrt t) uses piece t, only coordinates j < t are non-zero and
    positive, and f(x_{T+1}) is s^2 sum_j a_j (eta_j b_j - a_j sum_{k>j} eta_k) exactly."""
    T = 256
    inst = _inst(T)
    s = float(inst.data[0][0])
    j = np.arange(1, T + 1)
    a, b, eta = 1 / (8 * (T - j + 1)), np.sqrt(j) / (2 * math.sqrt(T)), 1 / np.sqrt(j)
    x = inst.x0.copy()
    for t in range(1, T + 1):
        assert np.all(x[:t - 1] > 0) and np.all(x[t - 1:] == 0)
        g = inst.g(x)
        assert g[t - 1] == pytest.approx(-s * b[t - 1]) and np.all(g[t:] == 0)
        x = x - eta[t - 1] * g
    tail = np.concatenate([np.cumsum(eta[::-1])[::-1][1:], [0.0]])  # sum_{k>j} eta_k
    expected = s * s * np.sum(a * (eta * b - a * tail))
    assert inst.f(x) == pytest.approx(expected, rel=1e-10)
    # Theta(log T/sqrt T): between the paper's log T/(32 sqrt T) (scaled by s^2) and H_T/(16 sqrt T)
    assert s * s * math.log(T) / (32 * math.sqrt(T)) <= inst.f(x) <= s * s * np.sum(1 / j) / (16 * math.sqrt(T))


def test_the_claim_exponent_is_the_bound_slope_over_its_grid():
    cl = {c.id: c for c in load_catalogue()}
    c = cl["T11-last-iterate-harvey"]
    N = np.asarray(c.check.points, float)
    slope = np.polyfit(np.log(N), np.log(np.log(N + 1) / np.sqrt(N)), 1)[0]
    assert float(c.exponent_text) == pytest.approx(slope, abs=1e-5)
    assert c.check.tolerance == 0.05 and c.bound_source == "paper"
    ctrl = cl["T11-harvey-no-log"]
    assert ctrl.expected == "FAIL" and ctrl.setting["function"].values == c.setting["function"].values


def test_the_claim_passes_strong_and_the_rate_without_the_log_fails():
    cl = {c.id: c for c in load_catalogue()}
    res = verify_claims([cl["T11-last-iterate-harvey"], cl["T11-harvey-no-log"]]).results
    ok, ctrl = res[0].verdict, res[1].verdict
    assert ok.verdict == "PASS" and ok.evidence == "strong", (ok.measured, ok.ci, ok.resolution)
    assert ctrl.verdict == "FAIL", (ctrl.measured, ctrl.ci)

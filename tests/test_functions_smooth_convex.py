"""Class-specific checks for smooth-convex beyond the generic conformance suite: the huber
instance's closed forms (T01 worst case of GD), and logistic's certified L being attained."""
from __future__ import annotations

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.errors import ParamError
from boundcheck.functions.check import check_instance

CLS = registry.functions.get("smooth-convex")


def _fd_hessian(inst, x, h=1e-5):
    d = inst.d
    H = np.empty((d, d))
    for j in range(d):
        e = np.zeros(d)
        e[j] = h
        H[:, j] = (inst.g(x + e) - inst.g(x - e)) / (2 * h)
    return 0.5 * (H + H.T)


@pytest.mark.parametrize("L,R,N,h", [(1.0, 1.0, 10, 1.0), (3.0, 2.5, 1, 0.5), (0.2, 0.7, 37, 0.8), (5.0, 1.0, 200, 1.0)])
def test_huber_closed_forms_and_gd_worst_case(L, R, N, h):
    inst = CLS.instance(instance="huber", L=L, R=R, N=N, h=h)
    tau = R / (2 * N * h + 1)
    assert inst.d == 1 and inst.x0[0] == R and inst.x_star[0] == 0.0 and inst.f_star == 0.0
    assert inst.f(inst.x0) == pytest.approx(L * tau * R - L * tau ** 2 / 2, rel=1e-15)
    assert inst.g(inst.x0)[0] == pytest.approx(L * tau, rel=1e-15)
    assert inst.f([tau / 2]) == pytest.approx(L * tau ** 2 / 8, rel=1e-15)
    x = inst.x0.copy()
    for _ in range(N):  # GD with step h/L, straight from the kernels
        x = x - (h / L) * inst.g(x)
        assert x[0] >= tau  # stays on the linear branch
    assert inst.f(x) == pytest.approx(L * R ** 2 / (2 * (2 * N * h + 1)), rel=1e-12, abs=0)


def test_huber_is_one_dimensional_and_checks_its_params():
    with pytest.raises(ParamError, match="1-dimensional"):
        CLS.instance(instance="huber", d=3)
    with pytest.raises(ParamError, match="'h'"):
        CLS.instance(instance="huber", h=1.5)
    with pytest.raises(ParamError, match="'N'"):
        CLS.instance(instance="huber", N=0)


def test_huber_L_is_tight_within_one_percent():
    inst = CLS.instance(instance="huber", L=2.0)
    assert check_instance(inst, CLS).ok
    assert not check_instance(inst, CLS, {"L": 2.0 * 0.99}).ok


@pytest.mark.parametrize("L,d,seed", [(1.0, 5, 0), (10.0, 3, 4), (0.05, 8, 9)])
def test_logistic_L_attained_at_zero_margins(L, d, seed):
    inst = CLS.instance(instance="logistic", L=L, d=d, seed=seed)
    Lc = float(inst.constants["L"].value)
    assert Lc == pytest.approx(L, rel=1e-12)
    H0 = _fd_hessian(inst, np.zeros(d))
    assert np.linalg.eigvalsh(H0)[-1] == pytest.approx(Lc, rel=1e-6)
    rng = np.random.default_rng(seed)
    for _ in range(10):  # elsewhere the curvature is strictly smaller
        x = rng.standard_normal(d)
        assert np.linalg.eigvalsh(_fd_hessian(inst, x))[-1] < Lc * (1 + 1e-6)


def test_logistic_minimizer_to_machine_precision():
    inst = CLS.instance(instance="logistic", d=6, seed=2)
    assert np.linalg.norm(inst.g(inst.x_star)) < 1e-14
    assert "Newton" in inst.notes
    # the kernels are stable at huge margins (no overflow, exact asymptotics)
    Z = inst.data[1]
    x = 1e6 * Z[0] / np.linalg.norm(Z[0])
    assert np.isfinite(inst.f(x)) and np.all(np.isfinite(inst.g(x)))


def test_logistic_n_parameter():
    inst = CLS.instance(instance="logistic", d=4, n=50)
    assert inst.data[1].shape == (50, 4)
    assert CLS.instance(instance="logistic", d=4).data[1].shape == (16, 4)



@pytest.mark.parametrize("d", [1, 2, 6])
def test_logistic_data_not_separable_by_construction(d):
    """Row d is a negative combination of rows 0..d-1 with all coefficients > 0, so the margin
    vectors positively span R^d (no x != 0 has all margins >= 0) and x* exists."""
    for seed in range(10):
        inst = CLS.instance(instance="logistic", d=d, seed=seed)
        Z = inst.data[1]
        c = -np.linalg.solve(Z[:d].T, Z[d])
        assert np.all(c > 0)
        assert np.abs(inst.x_star).max() < 100  # a genuine minimizer, not a point far down a ray
    with pytest.raises(ParamError, match="n >= d \\+ 1"):
        CLS.instance(instance="logistic", d=4, n=4)

"""Class-specific checks for smooth-strongly-convex: parameter rules, the interpolation formula
(PEPit's form equals THG 2017 Thm 4 as stated), and both constants attained on each generator."""
from __future__ import annotations

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.errors import ParamError
from boundcheck.functions.base import Point
from boundcheck.functions.check import check_instance
from boundcheck.functions.smooth_strongly_convex import interpolation

CLS = registry.functions.get("smooth-strongly-convex")


def _fd_hessian(inst, x, h=1e-5):
    d = inst.d
    H = np.column_stack([(inst.g(x + h * e) - inst.g(x - h * e)) / (2 * h) for e in np.eye(d)])
    return 0.5 * (H + H.T)


def test_parameter_rules():
    with pytest.raises(ParamError, match="'mu' must be <= 'L'"):
        CLS.instance(L=1.0, mu=1.5)  # mu = L is the isotropic case (tests/test_ssc_isotropic.py)
    with pytest.raises(ParamError, match="'mu'"):
        CLS.instance(mu=0.0)
    with pytest.raises(ParamError, match="d >= 2"):
        CLS.instance(d=1)
    with pytest.raises(ParamError, match="n < d"):
        CLS.instance(instance="logistic", d=4, n=4)


def test_condition_is_thg_theorem_4_as_stated():
    rng = np.random.default_rng(0)
    for _ in range(100):
        L, mu = rng.uniform(0.5, 5), None
        mu = L * rng.uniform(0.01, 0.99)
        pi, pj = (Point(rng.standard_normal(4), rng.standard_normal(4), rng.standard_normal()) for _ in range(2))
        dx, dg = pi.x - pj.x, pi.g - pj.g
        thg = pi.f - pj.f - pj.g @ dx - 1 / (2 * (1 - mu / L)) * (
            dg @ dg / L + mu * dx @ dx - 2 * mu / L * ((pj.g - pi.g) @ (pj.x - pi.x)))
        assert interpolation(pi, pj, {"L": L, "mu": mu}) == pytest.approx(thg, rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("c", [0.05, 0.1, 0.5, 1.0, 1.2])
def test_condition_on_1d_quadratics_is_curvature_in_mu_L(c):
    """For f = c/2 x^2 the pair condition holds iff mu <= c <= L."""
    const = {"L": 1.0, "mu": 0.1}
    pts = [Point(np.array([x]), np.array([c * x]), c * x * x / 2) for x in (-1.0, 0.3, 2.0)]
    vals = [interpolation(p, q, const) for p in pts for q in pts if p is not q]
    inside = 0.1 <= c <= 1.0
    assert (min(vals) >= -1e-14) == inside


@pytest.mark.parametrize("gen", ["quadratic", "logistic"])
@pytest.mark.parametrize("L,mu", [(1.0, 0.1), (4.0, 0.01), (1.0, 0.9)])
def test_both_constants_attained(gen, L, mu):
    inst = CLS.instance(instance=gen, L=L, mu=mu, d=6, seed=5)
    assert float(inst.constants["L"].value) == pytest.approx(L, rel=1e-12)
    assert float(inst.constants["mu"].value) == pytest.approx(mu, rel=1e-12)
    top_at = np.zeros(6) if gen == "logistic" else inst.x_star
    ev = np.linalg.eigvalsh(_fd_hessian(inst, top_at))
    assert ev[-1] == pytest.approx(L, rel=1e-6) and ev[0] == pytest.approx(mu, rel=1e-5, abs=1e-9)
    rng = np.random.default_rng(1)
    for _ in range(10):
        ev = np.linalg.eigvalsh(_fd_hessian(inst, inst.x_star + rng.standard_normal(6)))
        assert mu * (1 - 1e-5) - 1e-9 <= ev[0] and ev[-1] <= L * (1 + 1e-6)
    assert check_instance(inst, CLS).ok
    assert not check_instance(inst, CLS, {"L": 0.99 * L}).ok
    assert not check_instance(inst, CLS, {"mu": 1.01 * mu}).ok


def test_logistic_rank_deficient_data():
    inst = CLS.instance(instance="logistic", d=7, seed=3)
    Z = inst.data[1]
    assert Z.shape == (3, 7) and np.linalg.matrix_rank(Z) == 3
    assert np.linalg.norm(inst.g(inst.x_star)) < 1e-14


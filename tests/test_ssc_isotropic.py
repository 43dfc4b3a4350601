"""smooth-strongly-convex at mu = L (kappa = 1): the isotropic quadratics L/2 ||x - c||^2 + f0."""
from __future__ import annotations

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.errors import ParamError, UsageError
from boundcheck.functions.base import Point
from boundcheck.functions.check import check_instance

SSC = registry.functions.get("smooth-strongly-convex")


def test_mu_equal_L_is_in_the_class_and_mu_above_L_is_not():
    assert SSC.validate({"L": 2, "mu": 2})["mu"] == 2
    with pytest.raises(ParamError, match="'mu' must be <= 'L'"):
        SSC.validate({"L": 1, "mu": 2})


@pytest.mark.parametrize("gen", ["quadratic", "axis"])
def test_generators_at_mu_equal_L_pass_their_self_checks(gen):
    inst = SSC.instance(L=2, mu=2, d=4, instance=gen)
    assert np.allclose(inst.hess(inst.x0), 2 * np.eye(4), atol=1e-12)
    rep = check_instance(inst, SSC)
    assert not rep.violations, rep.violations


def test_logistic_refuses_mu_equal_L_in_one_line():
    with pytest.raises(ParamError, match="instance 'logistic' needs mu < L"):
        SSC.instance(L=1, mu=1, d=4, instance="logistic")


def test_limit_conditions_are_the_isotropic_quadratics():
    """At mu = L both pair conditions hold (with equality) on L/2 ||x - c||^2 + f0, and the second one
    catches any other curvature: a claimed mu = L on an instance with mu < L is a violation."""
    L, c = 2.0, {"L": 2.0, "mu": 2.0}
    rng = np.random.default_rng(1)
    ctr = rng.standard_normal(3)
    pts = [Point(x, L * (x - ctr), L / 2 * float((x - ctr) @ (x - ctr)) + 0.3) for x in rng.standard_normal((5, 3))]
    for cond in SSC.conditions:
        assert cond.applies(c)
        for pi in pts:
            for pj in pts:
                assert abs(cond.expr(pi, pj, c)) < 1e-12
    inst = SSC.instance(L=2, mu=1, d=4)
    rep = check_instance(inst, SSC, {"mu": 2.0})
    assert any(v.condition == "smooth-strongly-convex at mu = L" for v in rep.violations)
    assert not SSC.conditions[1].applies({"L": 2.0, "mu": 1.0})
    assert not check_instance(inst, SSC).violations


def test_gd_matches_the_closed_form_on_the_isotropic_class():
    """x_T - x* = (1 - h)^T (x0 - x*), so f(x_T) - f* = L/2 (1 - h)^(2T) R^2 exactly."""
    from boundcheck.engine import run

    L, h, R = 2.0, 0.5, 1.5
    res = run(f"gd[h={h}]", f"smooth-strongly-convex[L={L},mu={L},d=5,R={R}]", None, n_steps=6, n_runs=1,
              checkpoints=[1, 2, 4, 6], iterates=["last"])
    got = np.asarray(res["f_gap@last"])[:, 0]
    want = np.array([L / 2 * (1 - h) ** (2 * T) * R**2 for T in (1, 2, 4, 6)])
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_pep_refuses_mu_equal_L_in_one_line():
    from boundcheck.pep.build import build

    with pytest.raises(UsageError, match=r"no PEP at these constants: mu = L \(kappa = 1\)") as e:
        build("gd[h=0.5]", "smooth-strongly-convex[L=1,mu=1]", 3, "f-gap-last")
    assert "\n" not in str(e.value)
    assert build("gd[h=0.5]", "smooth-strongly-convex[L=1,mu=0.5]", 3, "f-gap-last").meta["conditions"] == [
        "smooth-strongly-convex interpolation"]

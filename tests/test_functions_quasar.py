"""quasar-convex: gamma's domain, certified gamma against dense grids of the instance, exact L."""
from __future__ import annotations

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.errors import ParamError
from boundcheck.functions.check import check_instance
from boundcheck.spec import parse_spec

Q = registry.functions.get("quasar-convex")


def test_gamma_domain_is_enforced():
    with pytest.raises(ParamError, match=r"'gamma' must be in \(0, 1\]"):
        Q.validate({"gamma": 1.5})
    with pytest.raises(ParamError):
        Q.validate({"gamma": 0})


def _quasar_ratio(inst, x):
    """<g, x - x*> / (f - f*): quasar-convexity with gamma holds at x iff this is >= gamma."""
    return float(inst.g(x) @ (x - inst.x_star)) / (inst.f(x) - inst.f_star)


@pytest.mark.parametrize("gen", ["radial", "sinsq"])
@pytest.mark.parametrize("gamma", [1.0, 0.5, 0.2, 0.02])
def test_certified_gamma_valid_tight_and_L_exact(gen, gamma):
    inst = Q.instance(instance=gen, gamma=gamma, L=2.0, d=3, seed=4)
    w = inst.data[0][2]
    rng = np.random.default_rng(0)
    u = np.zeros(3)
    u[0] = 1.0
    # dense 1-D sweep along a ray (radial: any direction; sinsq: a coordinate axis)
    rs = np.linspace(1e-4, 15.0, 30001) / w
    ratios = np.array([_quasar_ratio(inst, inst.x_star + r * u) for r in rs])
    assert ratios.min() >= gamma * (1 - 1e-9)
    assert ratios.min() <= gamma * 1.01
    for _ in range(300):  # random points in all directions
        x = inst.x_star + rng.standard_normal(3) * rng.uniform(0.01, 3.0)
        assert _quasar_ratio(inst, x) >= gamma * (1 - 1e-9)
    lam = [np.abs(np.linalg.eigvalsh(inst.hess(inst.x_star + r * u))).max() for r in rs[::50]]
    assert max(lam) <= 2.0 * (1 + 1e-12) and np.isclose(lam[0], 2.0, rtol=1e-6)
    assert check_instance(inst, Q).ok
    assert not check_instance(inst, Q, {"gamma": 1.1 * gamma}).ok


def test_hessian_matches_finite_differences_of_gradient():
    inst = Q.instance(instance="radial", d=4, seed=1)
    rng = np.random.default_rng(2)
    for x in [inst.x_star + rng.standard_normal(4) * s for s in (0.05, 0.3, 1.0)]:
        h = 1e-6
        fd = np.array([(inst.g(x + h * e) - inst.g(x - h * e)) / (2 * h) for e in np.eye(4)])
        assert np.allclose(fd, inst.hess(x), atol=1e-6)


def test_spec_with_gamma_builds():
    spec = parse_spec("quasar-convex[gamma=0.3,L=4,d=2]")
    inst = registry.functions.get(spec.name).instance(**spec.params)
    assert inst.constants["gamma"].value == 0.3 and inst.constants["L"].value == 4.0


def test_gamma_below_realisable_range_is_a_param_error():
    with pytest.raises(ParamError, match="realise gamma"):
        Q.instance(gamma=1e-6, d=2)

"""Issue 13 (T17): the radial tent instance (functions/families/quasar_tent.py) and its claim.

The tent is certified gamma-quasar-convex (exact rational check) and L-smooth (by construction);
here the certificate is checked against a dense sweep, its tightness at the kink, the Hessian
bound, the class self-check, and the GD trajectory: tuned to N, gradient descent with step 1/L
lands on the kink after N steps, where f - f* = L rho R^2/(gamma (N + rho)^2).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.claims import load_file
from boundcheck.errors import CertificationError
from boundcheck.functions.check import check_instance
from boundcheck.functions.families import quasar_tent

Q = registry.functions.get("quasar-convex")
CAT = Path(__file__).resolve().parents[1] / "problems" / "quasar_convex.toml"


def _ratio(inst, x):
    return float(inst.g(x) @ (x - inst.x_star)) / (inst.f(x) - inst.f_star)


@pytest.mark.parametrize("gamma", [1.0, 0.5, 0.1])
@pytest.mark.parametrize("N", [1, 4, 32])
def test_tent_is_certified_tight_and_smooth(gamma, N):
    L, R = 2.0, 1.5
    inst = Q.instance(instance="tent", gamma=gamma, L=L, R=R, N=N, d=3, seed=4)
    u = np.array([1.0, 0.0, 0.0])
    rs = np.linspace(1e-4, 2 * R, 20001)
    ratios = np.array([_ratio(inst, inst.x_star + r * u) for r in rs])
    assert ratios.min() >= gamma * (1 - 1e-9)
    assert ratios.min() <= gamma * (1 + 1e-3)  # tight at the kink
    lam = [np.abs(np.linalg.eigvalsh(inst.hess(inst.x_star + r * u))).max() for r in rs[::40]]
    assert max(lam) <= L * (1 + 1e-12)
    assert check_instance(inst, Q).ok
    assert not check_instance(inst, Q, {"gamma": 1.1 * gamma}).ok


def test_gradient_is_continuous_at_the_joins():
    inst = Q.instance(instance="tent", gamma=0.5, L=1.0, R=1.0, N=4, d=2, seed=0)
    _, pk, xk = inst.data[0]
    u = np.array([0.6, 0.8])
    for r in (pk, xk):
        lo, hi = inst.g(inst.x_star + r * (1 - 1e-12) * u), inst.g(inst.x_star + r * (1 + 1e-12) * u)
        assert np.allclose(lo, hi, atol=1e-9)


@pytest.mark.parametrize("N", [1, 2, 4, 16])
def test_gd_lands_on_the_kink_after_n_steps(N):
    gamma, L, R = 0.5, 1.0, 1.0
    inst = Q.instance(instance="tent", gamma=gamma, L=L, R=R, N=N, d=2, seed=1)
    x = inst.x0.copy()
    for _ in range(N):
        x = x - inst.g(x) / L
    rho = quasar_tent.rho_max(gamma)
    assert inst.f(x) - inst.f_star == pytest.approx(L * rho * R ** 2 / (gamma * (N + rho) ** 2), rel=1e-6)
    # within the derived bound L R^2/(gamma N + 1), by a factor under 3 at small N
    assert inst.f(x) <= L * R ** 2 / (gamma * N + 1)
    if N <= 4:
        assert inst.f(x) > L * R ** 2 / (3 * (gamma * N + 1))


def test_certify_rejects_a_kink_beyond_rho_max():
    pv = quasar_tent.parameters(1.0, 0.5, 1.0, 4, margin=-1e-3)  # rho above rho_max: not 1/2-quasar-convex
    with pytest.raises(CertificationError):
        quasar_tent.certify(pv, 0.5)
    quasar_tent.certify(quasar_tent.parameters(1.0, 0.5, 1.0, 4), 0.5)


def test_the_catalogue_claim_uses_the_tent_and_the_sharper_derived_bound():
    cs = {c.id: c for c in load_file(CAT)}
    c, ctl = cs["T17-gd-quasar-tent"], cs["T17-gd-quasar-tent-control"]
    assert c.bound_source == "derived" and c.expected == "PASS" and ctl.expected == "FAIL"
    for x in (c, ctl):
        assert str(x.setting["function"].values["instance"]) == "tent"
    for cid in ("T17-gd-quasar-radial", "T17-gd-quasar-pep", "T17-gd-quasar-sinsq"):
        assert cs[cid].bound_source == "derived"


@pytest.mark.slow
def test_the_tent_claim_passes_moderate_and_its_control_fails():
    from boundcheck.verify import verify_claims

    cs = {c.id: c for c in load_file(CAT)}
    ok, ctl = verify_claims([cs["T17-gd-quasar-tent"], cs["T17-gd-quasar-tent-control"]]).results
    assert ok.verdict.verdict == "PASS" and ok.evidence == "moderate" and ok.resolution["value"] < 3
    assert ctl.verdict.verdict == "FAIL" and ctl.verdict.expected == "FAIL"

"""Operator classes (T25): generators pass their class self-checks with the certified constants,
the checks have power (a wrong class or an optimistic constant is caught), the certified constants
match independent computations, and the provenance of each condition is as the papers prove."""
from __future__ import annotations

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.functions.check import check_instance
from boundcheck.functions.families import operators as ops
from boundcheck.functions.operator import is_operator

CLASSES = ["monotone", "strongly-monotone", "lipschitz-monotone", "cocoercive", "comonotone"]
CASES = [(c, g.name) for c in CLASSES for g in registry.functions.get(c).generators]


def _inst(cname, gname, seed=2, d=6, **kw):
    return registry.functions.get(cname).instance(instance=gname, d=d, seed=seed, **kw)


@pytest.mark.parametrize("cname,gname", CASES)
def test_generators_pass_self_checks(cname, gname):
    cls = registry.functions.get(cname)
    inst = _inst(cname, gname)
    assert is_operator(cls) and inst.f_star is None
    assert np.allclose(inst.g(inst.x_star), 0.0, atol=1e-12)  # x* is a zero of F
    assert np.linalg.norm(inst.x0 - inst.x_star) == pytest.approx(1.0)
    rep = check_instance(inst, cls)
    assert rep.ok and rep.n_evaluations > 0, rep.summary()


@pytest.mark.parametrize("cname,gname", [c for c in CASES if registry.functions.get(c[0]).stronger])
def test_optimistic_constants_are_caught(cname, gname):
    """Each constant declared 5% too optimistic (stricter than the generic 10%) is caught."""
    cls = registry.functions.get(cname)
    inst = _inst(cname, gname)
    for name, direction in cls.stronger.items():
        v = float(inst.constants[name].value)
        bad = v * (0.95 if direction == "smaller" else 1.05)
        assert not check_instance(inst, cls, {name: bad}).ok, (cname, gname, name)


def test_monotone_checker_rejects_a_non_monotone_operator():
    """The monotone class has no constant to perturb; its power: a rho-comonotone rotation by more
    than pi/2 (not monotone) fails the monotone condition, and passes the comonotone one."""
    inst = _inst("comonotone", "rotation", rho=0.3)
    assert not check_instance(inst, registry.functions.get("monotone")).ok
    assert check_instance(inst, registry.functions.get("comonotone")).ok


def test_lipschitz_monotone_rejects_a_skew_free_non_monotone_map():
    """A linear map with a negative symmetric eigenvalue is caught by the monotone condition even
    with a generous L."""
    inst = _inst("comonotone", "rotation", rho=0.3)
    rep = check_instance(inst, registry.functions.get("lipschitz-monotone"), {"L": 10.0})
    assert not rep.ok and any(v.condition == "monotone" for v in rep.violations)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_linear_constants_match_definitions(seed):
    """mu, L, beta, rho of a random linear operator, checked on many random directions: none is
    beaten (they are valid) and each is approached to 1e-9 along its probe direction (exact)."""
    rng = np.random.default_rng(seed)
    A = ops.monotone_matrix(rng, np.sort(rng.uniform(0.2, 1.0, 5)), 0.7)
    Z = rng.standard_normal((2000, 5))
    AZ = Z @ A.T
    quad = np.einsum("ij,ij->i", AZ, Z)
    mu, zmu = ops.strong_monotonicity(A)
    L, zL = ops.lipschitz(A)
    beta, zb = ops.cocoercivity(A)
    assert np.all(quad >= mu * np.einsum("ij,ij->i", Z, Z) - 1e-12)
    assert np.all(np.linalg.norm(AZ, axis=1) <= L * np.linalg.norm(Z, axis=1) + 1e-12)
    assert np.all(quad >= beta * np.einsum("ij,ij->i", AZ, AZ) - 1e-12)
    assert (A @ zmu) @ zmu == pytest.approx(mu * zmu @ zmu, rel=1e-9)
    assert np.linalg.norm(A @ zL) == pytest.approx(L * np.linalg.norm(zL), rel=1e-9)
    assert (A @ zb) @ zb == pytest.approx(beta * (A @ zb) @ (A @ zb), rel=1e-9)
    B = ops.comonotone_matrix(rng, 6, 0.3)
    rho, zr = ops.comonotonicity(B)
    assert rho == pytest.approx(0.3, rel=1e-9)
    W = rng.standard_normal((2000, 6))
    BW = W @ B.T
    assert np.all(np.einsum("ij,ij->i", BW, W) >= -rho * np.einsum("ij,ij->i", BW, BW) - 1e-12)
    assert (B @ zr) @ zr == pytest.approx(-rho * (B @ zr) @ (B @ zr), rel=1e-9)


@pytest.mark.parametrize("s,a,d", [(1.0, 1.0, 6), (0.3, 2.0, 4), (2.0, 0.5, 5), (1.0, 1.0, 1)])
def test_tanh_lipschitz_is_the_sup_of_the_jacobian_norm(s, a, d):
    """The vertex formula is an upper bound on ||J(x)|| at random points (valid) and is approached
    near the maximising vertex (the supremum, not a loose bound)."""
    L, v = ops.tanh_lipschitz(s, a, d)
    J0 = ops.block_skew(d)
    rng = np.random.default_rng(0)
    worst = 0.0
    for _ in range(500):
        z = rng.standard_normal(d) * rng.uniform(0.1, 10)
        n = np.linalg.norm(s * J0 + a * np.diag(1 / np.cosh(z) ** 2), 2)
        assert n <= L * (1 + 1e-12)
        worst = max(worst, n)
    vv = np.resize(v, d)
    z = np.where(vv > 0.5, 0.0, 30.0)
    assert np.linalg.norm(s * J0 + a * np.diag(1 / np.cosh(z) ** 2), 2) == pytest.approx(L, rel=1e-12)


def test_condition_provenance():
    """exact for monotone, strongly monotone, cocoercive and comonotone (interpolation theorems);
    necessary only for Lipschitz monotone (Ryu et al. 2020: the pairwise conditions do not
    interpolate); each with a reference."""
    for name in ("monotone", "strongly-monotone", "cocoercive", "comonotone"):
        conds = registry.functions.get(name).conditions
        assert conds and all(c.pep == "exact" for c in conds), name
        assert all(getattr(c, "provenance", "exact") == "exact" for c in conds), name
    lm = registry.functions.get("lipschitz-monotone").conditions
    assert {c.name for c in lm} == {"monotone", "Lipschitz"}
    assert all(c.pep == "relaxation" and getattr(c, "provenance", "necessary") == "necessary" for c in lm)
    for name in CLASSES:
        assert all("Ryu" in c.reference or "Bauschke" in c.reference
                   for c in registry.functions.get(name).conditions), name


def test_info_describes_an_operator_class_with_provenance():
    from boundcheck.describe import info

    text = info("lipschitz-monotone")
    assert "pep=relaxation] Lipschitz" in text and "Ryu" in text
    assert "pep=exact] comonotone interpolation" in info("comonotone[rho=0.2]")


def test_degenerate_linear_lipschitz_monotone_is_a_usage_error():
    """A = 0 cannot have Lipschitz constant L > 0: one clear ParamError (exit 2), not a NaN."""
    from boundcheck.errors import ParamError

    cls = registry.functions.get("lipschitz-monotone")
    for kw in (dict(sym=0, skew=0, d=3), dict(sym=0, d=1)):
        with pytest.raises(ParamError, match="needs a skew part"):
            cls.instance(**kw)
    inst = cls.instance(d=1, L=2.0)  # d = 1: F(x) = 2 (x - x*)
    assert inst.constants["L"].value == pytest.approx(2.0) and check_instance(inst, cls).ok

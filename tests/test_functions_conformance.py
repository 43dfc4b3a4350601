"""Generic self-checks over the function-class registry (every plugin passes the same generic checks).

For every class and every generator: the gradient kernel matches central finite differences of the
value kernel; the instance satisfies every declared condition with its certified constants; and
each certified constant declared 10% too optimistic is caught by the same checker (power).
"""
from __future__ import annotations

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.functions.check import check_instance
from boundcheck.plugins.conformance_function import gradient_fd, optimistic

CASES = [(c.name, g.name) for c in registry.functions for g in c.generators]


def _instance(cname, gname, seed=1):
    from boundcheck.plugins.conformance_function import instance

    cls = registry.functions.get(cname)
    return cls, instance(cls, gname, seed)


def _points(inst, n=5, seed=0):
    rng = np.random.default_rng(seed)
    centre = inst.x_star if inst.x_star is not None else inst.x0
    return [centre + rng.standard_normal(inst.d) * 0.7 for _ in range(n)]


@pytest.mark.parametrize("cname,gname", CASES)
def test_gradient_matches_finite_differences(cname, gname):
    """Smooth classes: the gradient equals central differences at every point. Nonsmooth classes:
    the same, coordinate by coordinate, wherever no kink lies within h (the two one-sided
    differences agree); at least half of all coordinates must be checked, so the test cannot pass
    by skipping everything. The check is the library's (plugins/conformance_function.py), the one
    ``boundcheck check-plugin`` runs on user classes."""
    cls, inst = _instance(cname, gname)
    ok, detail = gradient_fd(cls, inst)
    assert ok, f"{cname}/{gname}: {detail}"


def test_gradient_check_has_power():
    """The same check rejects a gradient kernel that is 1% off."""
    from boundcheck.functions.base import Instance

    cls, inst = _instance("smooth-convex", "quadratic")
    off = Instance(**{**inst.__dict__, "grad": _scaled(inst.grad, 1.01)})
    assert not gradient_fd(cls, off)[0]


def _scaled(grad, c):
    def g(x, p, A, b, out):
        grad(x, p, A, b, out)
        out *= c
    return g


@pytest.mark.parametrize("cname,gname", [c for c in CASES if registry.functions.get(c[0]).nonsmooth])
def test_nonsmooth_gradient_is_a_subgradient(cname, gname):
    """Every nonsmooth class is convex (asserted: a nonconvex one needs its own check), so the
    returned vector must satisfy f(y) >= f(x) + <g(x), y - x> for all x, y, kinks included: at
    random pairs, at pairs across the minimizer, and at points on a kink (x with a zero coordinate,
    the minimizer itself)."""
    cls, inst = _instance(cname, gname)
    assert cls.name in ("convex-lipschitz",), f"{cls.name}: nonsmooth but not known to be convex"
    rng = np.random.default_rng(2)
    xs = _points(inst, 20, seed=3)
    if inst.x_star is not None:
        xs.append(np.array(inst.x_star, float))
    kink = xs[0].copy()
    kink[0] = 0.0 if inst.x_star is None else inst.x_star[0]
    xs.append(kink)
    worst = 0.0
    for x in xs:
        fx, gx = inst.f(x), inst.g(x)
        for _ in range(20):
            y = x + rng.standard_normal(inst.d) * rng.uniform(0.01, 2)
            gap = inst.f(y) - (fx + gx @ (y - x))
            worst = min(worst, gap)
            assert gap >= -1e-10 * (1 + abs(fx) + abs(inst.f(y))), (x, y, gap)
    # power: the same inequality rejects a wrong subgradient (the true one flipped)
    x = xs[0]
    bad = -inst.g(x)
    if np.any(bad):
        ys = [x + s * bad / np.linalg.norm(bad) for s in (0.1, 0.5, 1.0)]
        assert any(inst.f(y) < inst.f(x) + bad @ (y - x) for y in ys)


@pytest.mark.parametrize("cname,gname", CASES)
def test_minimizer_and_fstar(cname, gname):
    cls, inst = _instance(cname, gname)
    if inst.x_star is None:
        pytest.skip("no known minimizer for this generator")
    if inst.f_star is None:
        pytest.skip("an operator class: no function values (x* is a zero of F, tests/test_operators_classes.py)")
    assert abs(inst.f(inst.x_star) - inst.f_star) <= 1e-10 * (1 + abs(inst.f_star))
    rng = np.random.default_rng(1)
    for _ in range(50):
        x = inst.x_star + rng.standard_normal(inst.d) * rng.uniform(0.01, 3)
        assert inst.f(x) >= inst.f_star - 1e-12 * (1 + abs(inst.f_star))


@pytest.mark.parametrize("cname,gname", CASES)
def test_conditions_hold_with_certified_constants(cname, gname):
    cls, inst = _instance(cname, gname)
    rep = check_instance(inst, cls)
    assert rep.n_evaluations > 0
    assert rep.ok, rep.summary()


@pytest.mark.parametrize("cname,gname", CASES)
def test_checker_catches_optimistic_constants(cname, gname):
    """Power: each constant declared 10% too optimistic (L x 0.9; mu, gamma, M x 1.1 where larger
    is stronger) makes the checker report a violation."""
    cls, inst = _instance(cname, gname)
    for name, bad in optimistic(cls, inst).items():  # the constants check-plugin moves (the library's)
        rep = check_instance(inst, cls, {name: bad})
        assert not rep.ok, f"{cname}/{gname}: {name}={bad} (certified {inst.constants[name].value}) was not caught"


def test_every_class_states_pep_conditions():
    for cls in registry.functions:
        assert cls.conditions, cls.name
        for cond in cls.conditions:
            assert cond.pep in ("exact", "relaxation", "none")


@pytest.mark.parametrize("cname,gname,kw", [
    ("smooth-convex", "quadratic", dict(L=1e-3, R=1e-3)),
    ("smooth-convex", "huber", dict(L=1e-3, R=1e-3)),
    ("smooth-strongly-convex", "quadratic", dict(L=1e-3, mu=1e-4, R=1e-3)),
])
def test_checker_power_is_scale_free(cname, gname, kw):
    """Margins are judged relative to the instance's own scale: a tiny instance (L = 1e-3,
    R = 1e-3) passes with its certified constants and is caught with optimistic ones."""
    cls = registry.functions.get(cname)
    inst = cls.instance(instance=gname, d=cls.generator(gname).d_fixed or 4, **kw)
    assert check_instance(inst, cls).ok
    for name, direction in cls.stronger.items():
        v = float(inst.constants[name].value)
        assert not check_instance(inst, cls, {name: v * (0.9 if direction == "smaller" else 1.1)}).ok, name


@pytest.mark.parametrize("cname,gname", CASES)
def test_hessian_matches_finite_differences_of_gradient(cname, gname):
    """Where an instance provides a Hessian (used by point conditions such as (L0, L1)), it
    matches central differences of the gradient kernel at seeded points around x*."""
    cls = registry.functions.get(cname)
    gen = cls.generator(gname)
    inst = cls.instance(instance=gname, seed=4, d=gen.d_fixed or 5)
    if inst.hess is None or cls.nonsmooth:
        pytest.skip("no Hessian for this generator")
    rng = np.random.default_rng(0)
    centre = inst.x_star if inst.x_star is not None else inst.x0
    for _ in range(5):
        x = centre + 0.7 * rng.standard_normal(inst.d)
        h = 1e-5
        fd = np.column_stack([(inst.g(x + h * e) - inst.g(x - h * e)) / (2 * h) for e in np.eye(inst.d)])
        assert np.allclose(inst.point(x).H, fd, atol=1e-7 * (1 + np.abs(fd).max())), (cname, gname)

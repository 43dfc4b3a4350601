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

CASES = [(c.name, g.name) for c in registry.functions for g in c.generators]


def _instance(cname, gname, seed=1):
    cls = registry.functions.get(cname)
    gen = cls.generator(gname)
    d = gen.d_fixed or min(gen.d_default, 6)
    return cls, cls.instance(instance=gname, d=d, seed=seed)


@pytest.mark.parametrize("cname,gname", CASES)
def test_gradient_matches_finite_differences(cname, gname):
    cls, inst = _instance(cname, gname)
    rng = np.random.default_rng(0)
    centre = inst.x_star if inst.x_star is not None else inst.x0
    for _ in range(5):
        x = centre + rng.standard_normal(inst.d) * 0.7
        g = inst.g(x)
        h = 1e-6
        fd = np.array([(inst.f(x + h * e) - inst.f(x - h * e)) / (2 * h) for e in np.eye(inst.d)])
        scale = 1 + np.abs(g).max()
        # nonsmooth classes: a kink within h of x makes FD meaningless; those classes declare it
        assert np.allclose(g, fd, atol=2e-5 * scale, rtol=1e-5) or cls.nonsmooth, (x, g, fd)


@pytest.mark.parametrize("cname,gname", CASES)
def test_minimizer_and_fstar(cname, gname):
    cls, inst = _instance(cname, gname)
    if inst.x_star is None:
        pytest.skip("no known minimizer for this generator")
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
    for name, direction in cls.stronger.items():
        if name not in inst.constants:
            continue
        v = float(inst.constants[name].value)
        if v == 0:
            continue
        bad = v * (0.9 if direction == "smaller" else 1.1)
        rep = check_instance(inst, cls, {name: bad})
        assert not rep.ok, f"{cname}/{gname}: {name}={bad} (certified {v}) was not caught"


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

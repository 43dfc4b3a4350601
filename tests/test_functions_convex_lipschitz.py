"""Class-specific checks for convex-lipschitz: subgradient validity, M attained, x* and f* proven by
construction, and the maxaffine construction's parameter rule."""
from __future__ import annotations

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.errors import ParamError
from boundcheck.functions.check import check_instance

CLS = registry.functions.get("convex-lipschitz")


@pytest.mark.parametrize("gen,kw", [("norm", {}), ("l1", {}), ("l1", {"d": 1}), ("maxaffine", {}), ("maxaffine", {"K": 40}), ("maxaffine", {"d": 1})])
def test_subgradients_valid_and_M_attained(gen, kw):
    kw = {"d": 5, **kw}
    inst = CLS.instance(instance=gen, M=2.5, seed=7, **kw)
    M = float(inst.constants["M"].value)
    assert M == pytest.approx(2.5, rel=1e-12)
    rng = np.random.default_rng(0)
    xs = [inst.x_star + rng.standard_normal(inst.d) * rng.uniform(0.01, 5) for _ in range(200)]
    norms = []
    for x in xs:
        g = inst.g(x)
        norms.append(np.linalg.norm(g))
        for y in xs[:20]:  # subgradient inequality f(y) >= f(x) + <g, y - x>
            assert inst.f(y) >= inst.f(x) + g @ (y - x) - 1e-12 * (1 + abs(inst.f(y)))
        assert inst.f(x) > inst.f_star  # x* is the unique minimizer
    assert max(norms) <= M * (1 + 1e-12)
    probe_norms = [np.linalg.norm(inst.g(p)) for p in inst.probes(rng, 10)]
    assert max(probe_norms) == pytest.approx(M, rel=1e-12)
    assert check_instance(inst, CLS).ok and not check_instance(inst, CLS, {"M": 0.99 * M}).ok


def test_lipschitz_in_values():
    inst = CLS.instance(instance="maxaffine", M=1.0, d=4, seed=3)
    rng = np.random.default_rng(1)
    for _ in range(500):
        x, y = rng.standard_normal((2, 4)) * 3
        assert abs(inst.f(x) - inst.f(y)) <= np.linalg.norm(x - y) * (1 + 1e-12)


def test_maxaffine_needs_enough_pieces():
    with pytest.raises(ParamError, match="K >= d \\+ 1"):
        CLS.instance(instance="maxaffine", d=5, K=5)


def test_subgradient_at_minimizer_is_zero_for_norm():
    inst = CLS.instance(instance="norm", d=3)
    assert np.all(inst.g(inst.x_star) == 0.0) and inst.f(inst.x_star) == 0.0

"""sgd-epoch-avg (the weighted average of the epoch ends, T23's Cha-Lee-Yun iterate) and the 2-D
finite sum quadsum-kappa, on the MC engine."""
from __future__ import annotations

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.algorithms.sgd_epoch_avg import epoch_weights
from boundcheck.engine import run
from boundcheck.engine.reference import run_reference

FN = "smooth-strongly-convex[instance=quadsum-kappa,L=1,mu=0.25,n=4,sigma=1,R=1,sampling={}]"


def test_epoch_weights():
    assert list(epoch_weights("uniform", 4)) == [1, 1, 1, 1]
    assert list(epoch_weights("tail", 5)) == [0, 0, 1, 1, 1]
    assert list(epoch_weights("last", 3)) == [0, 0, 1]


@pytest.mark.parametrize("weights", ["uniform", "tail", "last"])
def test_output_is_the_weighted_average_of_epoch_ends(weights):
    """Incremental order (deterministic): the output equals the average computed from x_t by hand
    (on the reference engine, which the kernel matches: test_kernel_matches_reference_under_reshuffling)."""
    n, K, g = 4, 6, 0.1
    alg = f"sgd-epoch-avg[gamma={g},n={n},weights={weights}]"
    r = run_reference(alg, FN.format("incremental"), None, n_steps=n * K, n_runs=1, checkpoints=[n * K],
                      iterates=["out"], keep_final=True, python_kernels=True)
    x = np.array([0.0, 1.0])
    b = np.array([1.0, 1.0, -1.0, -1.0])  # the components' e_1 minimizers (sigma/L) s_i
    ends = []
    for t in range(n * K):
        x = x - g * np.array([x[0] - b[t % n], 0.25 * x[1]])
        if (t + 1) % n == 0:
            ends.append(x.copy())
    a = epoch_weights(weights, K)
    xhat = (a[:, None] * np.array(ends)).sum(0) / a.sum()
    fgap = 0.5 * xhat[0] ** 2 + 0.125 * xhat[1] ** 2
    assert r.values[r.metric_names.index("f_gap@out"), 0, 0] == pytest.approx(fgap, rel=1e-12)
    assert r.final_x[0] == pytest.approx(x, rel=1e-12)


def test_kernel_matches_reference_under_reshuffling():
    args = ("sgd-epoch-avg[gamma=0.1,n=4,weights=uniform]", FN.format("rr"), None)
    kw = dict(n_steps=24, n_runs=5, seed=2, checkpoints=[8, 24], keep_final=True)
    a, b = run(*args, **kw), run_reference(*args, **kw)
    # the engines' conformance measure (plugins/report.max_rel_diff, as in test_engine_conformance):
    # the kernel and the numpy reference agree to 1e-12; bit-identity is promised across thread counts
    # and block sizes of one engine, not across the two engines (a clean-clone run once found the two
    # unequal here, at a size the bit-for-bit assert did not print: the message now gives it)
    from boundcheck.plugins.report import max_rel_diff

    dv, dx = max_rel_diff(a.values, b.values), max_rel_diff(a.final_x, b.final_x)
    assert dv <= 1e-12 and dx <= 1e-12, (dv, dx)
    assert a.metric_names == b.metric_names


def test_quadsum_kappa_constants_certified():
    inst = registry.functions.get("smooth-strongly-convex").instance(instance="quadsum-kappa", L=2.0, mu=0.5, n=6,
                                                                      sigma=1.5, R=1.0)
    assert inst.d == 2 and inst.constant_values() == {"L": 2.0, "mu": 0.5}
    assert inst.f_star == pytest.approx(1.5 ** 2 / 4)
    gs = [np.empty(2) for _ in range(6)]
    x = np.array([0.3, -0.7])
    for i, g in enumerate(gs):
        inst.finite_sum.grad_i(x, i, *inst.data, g)
    assert np.allclose(np.mean(gs, axis=0), inst.g(x))  # the components average to grad F
    at_star = []
    for i in range(6):
        g = np.empty(2)
        inst.finite_sum.grad_i(np.zeros(2), i, *inst.data, g)
        at_star.append(g @ g)
    assert np.mean(at_star) == pytest.approx(1.5 ** 2)  # (1/n) sum ||grad f_i(x*)||^2 = sigma^2

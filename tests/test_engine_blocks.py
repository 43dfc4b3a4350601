"""Noise drawn in blocks (issue 18): coordinatewise noise models are drawn K steps at a time
(engine.api.NOISE_BLOCK coordinates per sampler call), from the same per-run stream in the same
order, so the results are bit-identical for every block size and thread count, and equal to the
reference engine, which draws one step at a time. Gradient-dependent noise keeps drawing at its
step."""
from __future__ import annotations

import numba
import numpy as np
import pytest

from boundcheck import registry
from boundcheck.engine import api, run
from boundcheck.engine.problem import resolve
from boundcheck.engine.reference import run_reference
from boundcheck.rng import seed_state

FN = "smooth-strongly-convex[L=1,mu=0.1,d=3,seed=3]"  # odd d: a pairwise sampler would misalign
CASES = [  # (algorithm, noise): every coordinatewise model, batch 1 and a minibatch
    ("clipped-sgd[gamma=0.05,c=1]", "pareto"),
    ("clipped-sgd[gamma=0.05,c=1,batch=3]", "student-t[nu=1.8]"),
    ("sgd[gamma=0.02]", "gaussian[sigma=1]"),
    ("clipped-sgd[gamma=0.05,c=1]", "stable[alpha=1.5]"),
]


def _run(alg, noise, block, threads, **kw):
    keep_block, keep_threads = api.NOISE_BLOCK, numba.get_num_threads()
    api.NOISE_BLOCK = block
    numba.set_num_threads(threads)
    try:
        return run(alg, FN, noise, n_steps=1100, n_runs=64, seed=7, checkpoints="geom:4",
                   keep_final=True, **kw)
    finally:
        api.NOISE_BLOCK = keep_block
        numba.set_num_threads(keep_threads)


@pytest.mark.parametrize("alg,noise", CASES, ids=[n for _, n in CASES])
def test_results_do_not_depend_on_block_size_or_threads(alg, noise):
    assert api.kernel_for(resolve(alg, FN, noise)).module.NOISE_BLOCKS  # the block path is used
    runs = [_run(alg, noise, block, threads) for block, threads in ((1, 1), (7, 2), (256, 2), (4096, 1))]
    first = runs[0]
    assert {r.timing["slices"] for r in runs} == {1, 8}  # one call and the thread pool
    for r in runs[1:]:
        assert np.array_equal(r.values, first.values, equal_nan=True)
        assert np.array_equal(r.final_x, first.final_x)
        assert np.array_equal(r.diverged_step, first.diverged_step)


@pytest.mark.parametrize("alg,noise", CASES, ids=[n for _, n in CASES])
def test_block_draws_match_the_reference_engine(alg, noise):
    """The reference engine calls the sampler once per step and draw: same stream, same values."""
    kw = dict(n_steps=300, n_runs=3, seed=11, checkpoints=[1, 7, 300], keep_final=True)
    ref = run_reference(alg, FN, noise, **kw)
    eng = run(alg, FN, noise, **kw)
    np.testing.assert_allclose(eng.final_x, ref.final_x, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(eng.values, ref.values, rtol=1e-10, atol=1e-13)


def test_gradient_dependent_noise_draws_at_its_step():
    m = registry.noise.get("affine-variance")
    assert m.grad_dependent
    k = api.kernel_for(resolve("sgd[gamma=0.02]", FN, "affine-variance"))
    assert not k.module.NOISE_BLOCKS


COORDINATEWISE = [m.name for m in registry.noise if m.coordinatewise]


def test_the_built_in_heavy_tailed_models_are_coordinatewise():
    assert {"pareto", "student-t", "gaussian", "stable"} <= set(COORDINATEWISE)


@pytest.mark.parametrize("name", COORDINATEWISE)
def test_coordinatewise_promise_one_call_equals_k_calls(name):
    """What NoiseModel.coordinatewise promises: one call on K d coordinates gives exactly the draws
    of K calls on d (same values, same stream position), at several d."""
    m = registry.noise.get(name)
    assert not m.grad_dependent
    p = m.validate({})
    for d in (1, 3, 10):
        theta = m.pack(p, d)
        g = np.zeros(5 * d)
        s1, s2 = np.empty(4, np.uint64), np.empty(4, np.uint64)
        seed_state(3, 1, s1)
        seed_state(3, 1, s2)
        one = np.empty(5 * d)
        m.sample(s1, theta, g, one)
        many = np.empty((5, d))
        for k in range(5):
            m.sample(s2, theta, g[:d], many[k])
        assert np.array_equal(one, many.ravel()), (name, d)
        assert np.array_equal(s1, s2)

"""What the kernel compiles (issue 18, compile time): callees without Python wrappers (engine/inner.py),
the random iterates' steps drawn outside the kernel (engine/random_steps.py, numpy vectorised over
runs), the loop over runs and a run's body in one function. The results must not change: they are
compared with the reference engine (which draws the steps with rng.py, one run at a time) here, with
many tied random-iterate steps, and everywhere else by the conformance suite. Uses the kernels of
tests/test_engine.py (gd, sgd on smooth-strongly-convex) so that nothing extra is compiled."""
from __future__ import annotations

import numpy as np
from numba import njit

from boundcheck import registry
from boundcheck.engine import run
from boundcheck.engine.inner import NO_WRAPPERS, inner
from boundcheck.engine.random_steps import one_run, random_steps
from boundcheck.engine.reference import run_reference

FN = "smooth-strongly-convex[L=1,mu=0.1,d=6,seed=3]"


@njit(error_model="numpy")
def _twice(x):
    return 2.0 * x


def _plain(x):
    return x + 1.0


@njit
def _caller(x):
    return _twice_inner(x) + _plain_inner(x)


_twice_inner = inner(_twice)
_plain_inner = inner(_plain)


def test_inner_is_a_wrapper_free_copy_made_once_per_function():
    d = inner(_twice)
    assert d is _twice_inner  # one copy per function and process: kernels share its code
    assert d is not _twice and d.py_func is _twice.py_func
    for k, v in NO_WRAPPERS.items():
        assert d.targetoptions[k] is v
    assert d.targetoptions["error_model"] == "numpy"  # f's own options are kept
    assert "no_cpython_wrapper" not in _twice.targetoptions  # f itself is untouched
    assert _twice(3.0) == 6.0
    assert _plain_inner.targetoptions.get("inline") == "always"  # plain functions are inlined
    assert _caller(3.0) == 10.0


def test_random_iterates_with_many_ties_match_the_reference():
    # 200 checkpoints whose random steps tau_k < k collide often: the order of ties must not
    # matter, and every checkpoint must get the iterate of its own step
    g = registry.noise.get("gaussian")
    kw = dict(n_steps=200, n_runs=3, seed=11, checkpoints="all", iterates=("last", "random"))
    a = run("sgd[gamma=0.1]", FN, (g, {"sigma": 1.0}), **kw)
    b = run_reference("sgd[gamma=0.1]", FN, (g, {"sigma": 1.0}), **kw)
    assert np.allclose(a.values, b.values, rtol=1e-12, atol=0)
    # and the random iterate is one of the run's own iterates before T
    last, rnd = a["f_gap@last"], a["f_gap@random"]
    first = run("sgd[gamma=0.1]", FN, (g, {"sigma": 1.0}), n_steps=1, n_runs=3, seed=11,
                checkpoints="all", iterates=("random",))["f_gap@random"][0]  # x_0's value
    for T in (50, 199):
        for r in range(3):
            before = np.concatenate([[first[r]], last[:T - 1, r]])  # f at x_0 .. x_{T-1}
            assert np.isclose(before, rnd[T - 1, r], rtol=1e-12, atol=0).any()


def test_vectorised_random_steps_are_rng_py_bit_for_bit():
    ck = [1, 2, 3, 7, 10, 64, 1000, 123457, 2**40 + 3]
    for seed in (0, 1, 11, 2**63 - 1):
        taus, order = random_steps(seed, 5, 40, ck)
        assert taus.dtype == order.dtype == np.int64 and taus.shape == order.shape == (40, len(ck))
        for i in range(40):
            assert taus[i].tolist() == one_run(seed, 5 + i, ck)
            assert (np.diff(taus[i, order[i]]) >= 0).all() and sorted(order[i]) == list(range(len(ck)))
        assert (taus >= 0).all() and (taus < np.array(ck)).all()
    # a slice's steps do not depend on where the slice starts
    assert (random_steps(3, 0, 10, ck)[0][4:] == random_steps(3, 4, 6, ck)[0]).all()


def test_cyclic_gc_is_paused_while_a_kernel_compiles_and_restored_after():
    import gc

    from boundcheck.engine import api

    seen = []
    was = gc.isenabled()
    try:
        for before in (True, False):
            (gc.enable if before else gc.disable)()
            api._compile_or_load(None, lambda: seen.append(gc.isenabled()))
            assert gc.isenabled() is before
        gc.enable()

        def boom():
            raise ValueError("not a cache error")

        try:
            api._compile_or_load(_twice, boom)  # not a cache problem: raised again, gc restored
        except ValueError:
            pass
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == [False, False]

"""Conformance of the Monte Carlo engine over the whole algorithm registry (every plugin passes the same generic checks).

For every registered algorithm: the numba kernel, the numpy reference engine and the kernel run
under NUMBA_DISABLE_JIT (a subprocess) give the same metrics at every step and the same final
iterates, to 1e-12 relative, on deterministic runs and on stochastic runs with the same noise.
Each algorithm is compiled on ONE (class, noise) pair: deterministic methods without noise,
stochastic ones with gaussian noise, whose sigma = 0 run is the deterministic check (same kernel).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.engine import run
from boundcheck.engine.reference import run_reference
from boundcheck.plugins.conformance_algorithm import FN as _FN, KW as _KW, noises
from boundcheck.plugins.report import max_rel_diff

FN = _FN  # the problem check-plugin runs (plugins/conformance_algorithm.py)
INSTANCE = registry.functions.get("smooth-strongly-convex").instance(L=1, mu=0.1, d=6, seed=3)
KW = _KW
# a method with a resolvent (backward-step) oracle needs an operator with one (tests/test_operators_resolvent.py)
ALGS = [a for a in registry.algorithms.names() if registry.algorithms.get(a).resolvent is None]


def _noises(name):
    return noises(registry.algorithms.get(name))  # the library's pairs, as check-plugin runs them


CASES = [(a, label) for a in ALGS for label, _ in _noises(a)]
_CACHE: dict = {}


def _engine(name, label):
    key = (name, label)
    if key not in _CACHE:
        noise = dict(_noises(name))[label]
        _CACHE[key] = run(name, FN, noise, **KW)
    return _CACHE[key]


def _same(a, b, what, tol=1e-12):
    """The measure check-plugin uses (plugins/report.py): inf for a shape or NaN-pattern mismatch."""
    d = max_rel_diff(a, b)
    assert d <= tol, f"{what}: max rel diff {d:.3g} (inf: shape or NaN (divergence) pattern differs)"


@pytest.mark.parametrize("name,label", CASES)
def test_numba_matches_numpy_reference(name, label):
    a = _engine(name, label)
    noise = dict(_noises(name))[label]
    b = run_reference(name, FN, noise, **KW)
    assert a.metric_names == b.metric_names
    _same(a.values, b.values, f"{name}/{label} metrics")
    _same(a.final_x, b.final_x, f"{name}/{label} final iterates")
    assert (a.diverged_step == b.diverged_step).all()
    assert a.diverged == 0, f"{name} diverged on the conformance problem; pick safer defaults"
    own_randomness = getattr(registry.algorithms.get(name), "samples_per_step", None) is not None
    if label == "sigma0" and not own_randomness:  # zero noise: exact-gradient trajectory in every run
        assert np.allclose(a.final_x, a.final_x[0], rtol=0, atol=0)
    if label == "gaussian":  # the noise reached the iterates, differently per run
        assert np.abs(a.final_x[0] - a.final_x[1]).max() > 1e-8


_CHILD = r"""
import json, sys
import numpy as np
from boundcheck import registry
from boundcheck.engine import run
cases, FN, KW = json.loads(sys.argv[1])
out = {}
g = registry.noise.get("gaussian")
for name, label in cases:
    noise = None if label == "exact" else (g, {"sigma": 0.0 if label == "sigma0" else 1.0})
    r = run(name, FN, noise, **KW)
    out[name + "/" + label] = {"values": np.nan_to_num(r.values, nan=-1e300).tolist(),
                               "final": r.final_x.tolist(), "kernel": r.timing["kernel"]}
json.dump(out, sys.stdout)
"""


@pytest.fixture(scope="module")
def nojit_results():
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    p = subprocess.run([sys.executable, "-c", _CHILD, json.dumps([CASES, FN, KW])], env=env,
                       capture_output=True, text=True, timeout=900)
    assert p.returncode == 0, p.stderr[-3000:]
    return json.loads(p.stdout)


@pytest.mark.parametrize("name,label", CASES)
def test_numba_matches_disable_jit(name, label, nojit_results):
    a = _engine(name, label)
    got = nojit_results[f"{name}/{label}"]
    assert got["kernel"] == "in memory"  # the kernel ran as plain Python (no dispatcher)
    v = np.array(got["values"])
    v[v == -1e300] = np.nan
    _same(a.values, v, f"{name}/{label} metrics (NUMBA_DISABLE_JIT)")
    _same(a.final_x, np.array(got["final"]), f"{name}/{label} final iterates (NUMBA_DISABLE_JIT)")


def test_one_kernel_per_algorithm_and_no_recompilation():
    """A second call reuses the compiled kernel: one signature per dispatcher, no new compilation."""
    from boundcheck.engine import api
    from boundcheck.engine.api import _KERNELS

    # the kernels this test's own runs used (other test files may have compiled more kernels of
    # the same algorithm on this family, e.g. with other noise models: they are not counted)
    used = {}
    for name, label in CASES:
        used.setdefault(name, set()).add(_engine(name, label).meta["kernel_hash"])
    per_alg: dict = {}
    family = api._family(INSTANCE.value, INSTANCE.grad)
    for k in _KERNELS.values():
        if k.spec.family == family and k.hash in used.get(k.spec.alg_name, ()):
            per_alg.setdefault(k.spec.alg_name, set()).add(k.module_name)
            if k._module is not None:
                assert len(k.dispatcher.signatures) <= 1, k.module_name
    for name in ALGS:
        assert 1 <= len(per_alg.get(name, ())) <= 2, (name, per_alg.get(name))
    name, label = CASES[0]
    noise = dict(_noises(name))[label]
    first = _engine(name, label)
    again = run(name, FN, noise, **KW)
    # (a different hash means a source file was edited on disk meanwhile: a new kernel, by design)
    assert again.meta["kernel_hash"] != first.meta["kernel_hash"] or again.timing["kernel"] == "in memory"
    assert np.array_equal(again.values, _engine(name, label).values, equal_nan=True)


def test_clipped_sgd_with_infinite_c_is_sgd():
    assert "clipped-sgd" in registry.algorithms and "sgd" in registry.algorithms  # fail, not skip
    g = registry.noise.get("gaussian")
    kw = dict(KW, n_runs=8, n_steps=60)
    a = run("clipped-sgd[gamma=0.05,c=inf]", FN, (g, {"sigma": 1.0}), **kw)
    b = run("sgd[gamma=0.05]", FN, (g, {"sigma": 1.0}), **kw)
    assert a.metric_names == b.metric_names
    assert np.array_equal(a.values, b.values, equal_nan=True)
    assert np.array_equal(a.final_x, b.final_x)
    c = run("clipped-sgd[gamma=0.05,c=0.5]", FN, (g, {"sigma": 1.0}), **kw)
    assert not np.array_equal(c.final_x, b.final_x)  # clipping at 0.5 does bind

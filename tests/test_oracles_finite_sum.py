"""Finite-sum oracles in the one Monte Carlo engine (boundcheck/oracles): the numba kernel and the
numpy reference give the same runs, for any thread count; one epoch by hand; what cannot run under
a finite sum is refused in one line."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from boundcheck.engine import run
from boundcheck.engine.reference import run_reference
from boundcheck.errors import UsageError

ROOT = Path(__file__).resolve().parents[1]


def _fn(sampling, n=8, R=1.0):
    return f"smooth-convex[instance=quadsum,n={n},sigma=1,sampling={sampling},d=1,L=1,R={R}]"


def _both(sampling, **kw):
    args = ("sgd[gamma=0.05]", _fn(sampling), None)
    kw = dict(n_steps=48, n_runs=6, seed=3, checkpoints=[8, 20, 48], keep_final=True, **kw)
    return run(*args, **kw), run_reference(*args, **kw)


def test_kernel_matches_reference_under_reshuffling():
    a, b = _both("rr")
    assert np.array_equal(a.values, b.values, equal_nan=True)
    assert np.array_equal(a.final_x, b.final_x)
    assert np.abs(a.final_x[0] - a.final_x[1]).max() > 1e-8  # the runs saw different permutations
    assert "random reshuffling" in a.meta["oracle"]


@pytest.mark.slow
@pytest.mark.parametrize("sampling", ["iid", "so", "cyclic"])
def test_kernel_matches_reference_every_rule(sampling):
    a, b = _both(sampling)
    assert np.array_equal(a.values, b.values, equal_nan=True)
    assert np.array_equal(a.final_x, b.final_x)


@pytest.mark.parametrize("sampling", ["rr", "iid"])
def test_one_epoch_by_hand(sampling):
    """n = 2 components (1/2)(x -/+ 1)^2, x0 = 1, step g: after one epoch (2 steps)
    x_2 = q^2 + g (q - 1) s with q = 1 - g and s = +/-1 the first component's sign when both are
    visited (RR: always; with replacement: probability 1/2), x_2 = q^2 + g (q + 1) s when the same
    component comes twice."""
    g = 0.3
    r = run(f"sgd[gamma={g}]", _fn(sampling, n=2), None, n_steps=2, n_runs=4000, seed=0,
            checkpoints=[2], keep_final=True)
    x = r.final_x[:, 0]
    q = 1 - g
    both = [q * q + s * g * (q - 1) for s in (1, -1)]
    same = [q * q + s * g * (q + 1) for s in (1, -1)]
    allowed = both + (same if sampling == "iid" else [])
    assert all(min(abs(v - a) for a in allowed) < 1e-12 for v in x)
    assert np.mean(np.abs(x - both[0]) < 1e-12) == pytest.approx(0.5 if sampling == "rr" else 0.25, abs=0.03)


def test_refused_settings_one_line():
    with pytest.raises(UsageError, match="batch = 4 > 1"):
        run("sgd[gamma=0.05,batch=4]", _fn("rr"), None, n_steps=4, n_runs=1)
    with pytest.raises(UsageError, match="deterministic method"):
        run("gd[h=1]", _fn("rr"), None, n_steps=4, n_runs=1)


_THREADS = """
import hashlib, json
from boundcheck.engine import run
r = run("sgd[gamma=0.01]", %r, None, n_steps=2000, n_runs=256, seed=5, checkpoints="geom:4", keep_final=True)
print(json.dumps({"values": hashlib.sha256(r.values.tobytes()).hexdigest(),
                  "final": hashlib.sha256(r.final_x.tobytes()).hexdigest(), "slices": r.timing["slices"]}))
""" % _fn("rr", n=16)


def _child(env_extra):
    p = subprocess.run([sys.executable, "-c", textwrap.dedent(_THREADS)], env=dict(os.environ, **env_extra),
                       capture_output=True, text=True, timeout=600, cwd=str(ROOT))
    assert p.returncode == 0, p.stderr[-3000:]
    return json.loads(p.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_one_and_two_threads_bit_identical():
    one, two = _child({"NUMBA_NUM_THREADS": "1"}), _child({"NUMBA_NUM_THREADS": "2"})
    assert one["slices"] == 1 and two["slices"] > 1
    assert (one["values"], one["final"]) == (two["values"], two["final"])


@pytest.mark.slow
def test_numba_matches_disable_jit():
    code = """
import json
from boundcheck.engine import run
r = run("sgd[gamma=0.05]", %r, None, n_steps=48, n_runs=6, seed=3, checkpoints=[8, 20, 48], keep_final=True)
print(json.dumps({"final": r.final_x.tolist(), "values": r.values.tolist()}))
""" % _fn("rr")
    p = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=dict(os.environ, NUMBA_DISABLE_JIT="1"),
                       capture_output=True, text=True, timeout=600, cwd=str(ROOT))
    assert p.returncode == 0, p.stderr[-3000:]
    got = json.loads(p.stdout.strip().splitlines()[-1])
    a, _ = _both("rr")
    assert np.array_equal(a.final_x, np.array(got["final"]))
    assert np.allclose(a.values, np.array(got["values"]), rtol=1e-12, atol=0)

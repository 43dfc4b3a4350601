"""Function-family kernels: numba-compiled value and gradient equal plain Python, for EVERY
generator of every function class (the noise models have the same check in
test_noise_conformance.py).

The plain-Python side runs in a subprocess with NUMBA_DISABLE_JIT=1, so every kernel, including
the helpers a kernel calls, is the Python source itself. It evaluates the kernels on the very data
arrays this process built (pickled across), at the same points, so only the compilation differs.
Agreement to 1e-12 relative: compiled code may reassociate sums (fastmath is off, but LLVM may
still use fused multiply-adds), which moves the last few bits, never more.
"""
from __future__ import annotations

import os
import pickle
import subprocess
import sys

import numpy as np
import pytest

from boundcheck import registry

CASES = [(c.name, g.name) for c in registry.functions for g in c.generators]
RTOL, ATOL = 1e-12, 1e-13

CHILD = r"""
import pickle, sys
import numpy as np
from boundcheck import registry

cases = pickle.load(open(sys.argv[1], "rb"))
out = {}
for (cname, gname), (d, seed, data, xs) in cases.items():
    cls = registry.functions.get(cname)
    inst = cls.instance(instance=gname, d=d, seed=seed)
    vals, grads = [], []
    for x in xs:
        vals.append(float(inst.value(x, *data)))
        g = np.zeros(d)
        inst.grad(x, *data, g)
        grads.append(g)
    out[(cname, gname)] = (vals, grads)
pickle.dump(out, open(sys.argv[2], "wb"))
"""


def _instance(cname, gname):
    cls = registry.functions.get(cname)
    gen = cls.generator(gname)
    d = gen.d_fixed or min(gen.d_default, 6)
    return d, cls.instance(instance=gname, d=d, seed=1)


def _points(inst, n=6):
    rng = np.random.default_rng(7)
    centre = inst.x_star if inst.x_star is not None else inst.x0
    xs = [np.ascontiguousarray(centre + rng.standard_normal(inst.d) * s, dtype=np.float64)
          for s in np.geomspace(0.01, 3, n)]
    return xs + [np.ascontiguousarray(inst.x0, dtype=np.float64)]


@pytest.fixture(scope="module")
def compiled_and_plain(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("jit")
    cases, compiled = {}, {}
    for cname, gname in CASES:
        d, inst = _instance(cname, gname)
        xs = _points(inst)
        cases[(cname, gname)] = (d, 1, inst.data, xs)
        vals, grads = [], []
        for x in xs:
            vals.append(float(inst.value(x, *inst.data)))
            g = np.zeros(d)
            inst.grad(x, *inst.data, g)
            grads.append(g)
        compiled[(cname, gname)] = (vals, grads, inst)
    src, dst = tmp / "cases.pkl", tmp / "plain.pkl"
    src.write_bytes(pickle.dumps(cases))
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    p = subprocess.run([sys.executable, "-c", CHILD, str(src), str(dst)], env=env, capture_output=True, text=True,
                       timeout=1800)
    assert p.returncode == 0, p.stderr[-3000:]
    return compiled, pickle.loads(dst.read_bytes())


def test_kernels_are_compiled():
    """The comparison means something only if the kernels are numba dispatchers here."""
    from numba.core.registry import CPUDispatcher

    for cname, gname in CASES:
        _, inst = _instance(cname, gname)
        for k in (inst.value, inst.grad):
            assert isinstance(k, CPUDispatcher), f"{cname}/{gname}: {k} is not a numba-compiled kernel"


@pytest.mark.parametrize("cname,gname", CASES)
def test_jit_value_and_gradient_equal_plain_python(compiled_and_plain, cname, gname):
    compiled, plain = compiled_and_plain
    vals, grads, inst = compiled[(cname, gname)]
    pvals, pgrads = plain[(cname, gname)]
    assert np.allclose(vals, pvals, rtol=RTOL, atol=ATOL), (np.array(vals) - np.array(pvals))
    for g, pg in zip(grads, pgrads):
        assert np.all(np.isfinite(g)) and np.allclose(g, pg, rtol=RTOL, atol=ATOL), (g - pg)
    assert any(np.any(g != 0) for g in grads)  # not a vacuous comparison of zeros

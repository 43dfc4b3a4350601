"""Finite-sum index sampling (boundcheck/oracles/sampling.py): each rule visits what it should, the
shuffles are uniform, and plain Python gives the kernel's indices."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from boundcheck import oracles
from boundcheck.errors import ParamError
from boundcheck.oracles.sampling import identity, next_index, seed_index_stream


def _indices(order, n, T, seed=0, run=0, python=False):
    f = next_index.py_func if python else next_index
    st = np.empty(4, dtype=np.uint64)
    seed_index_stream(seed, run, st)
    perm = identity(n)
    return [int(f(st, perm, t, order)) for t in range(T)]


def test_rules_visit_components_as_named():
    n, K = 7, 5
    rr = _indices(oracles.code("reshuffle"), n, n * K)
    so = _indices(oracles.code("shuffle-once"), n, n * K)
    inc = _indices(oracles.code("incremental"), n, n * K)
    epochs = lambda ix: [ix[k * n:(k + 1) * n] for k in range(K)]
    assert all(sorted(e) == list(range(n)) for e in epochs(rr))  # every epoch a permutation
    assert len({tuple(e) for e in epochs(rr)}) > 1  # ... a fresh one
    assert all(e == epochs(so)[0] for e in epochs(so)) and sorted(so[:n]) == list(range(n))
    assert inc == list(range(n)) * K
    iid = _indices(oracles.code("with-replacement"), n, 7000)
    counts = np.bincount(iid, minlength=n)
    assert counts.min() > 850 and counts.max() < 1150  # 1000 expected each, sd about 30
    assert any(sorted(iid[k * n:(k + 1) * n]) != list(range(n)) for k in range(20))  # repeats occur


def test_reshuffle_permutations_are_uniform():
    """All 3! orders of an epoch equally likely (6000 runs' first two epochs)."""
    seen = {p: 0 for p in itertools.permutations(range(3))}
    for r in range(3000):
        ix = _indices(oracles.code("reshuffle"), 3, 6, seed=11, run=r)
        seen[tuple(ix[:3])] += 1
        seen[tuple(ix[3:])] += 1
    assert all(900 < v < 1100 for v in seen.values()), seen  # 1000 expected, sd about 29


def test_python_and_compiled_indices_agree():
    for order in range(4):
        assert _indices(order, 5, 40, seed=3, run=2) == _indices(order, 5, 40, seed=3, run=2, python=True)


def test_aliases_and_unknown_models():
    assert oracles.canonical("rr") == "reshuffle" and oracles.canonical("cyclic") == "incremental"
    assert oracles.code("iid") == oracles.code("with-replacement")
    with pytest.raises(ParamError, match="unknown finite-sum oracle model 'shuffled'"):
        oracles.canonical("shuffled")

"""The benchmark's interleaved floor (benchmarks/bench_engine.py --interleaved) is evidence about
the engine only if it computes what the engine computes: the same runs from the same streams, bit
for bit for any number of interleaved runs (a last group that is not full included), and equal to
the engine's f(x_T) to rounding."""
from __future__ import annotations

import pathlib
import sys

import numpy as np
import pytest

BENCH = str(pathlib.Path(__file__).resolve().parents[1] / "benchmarks")


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, BENCH)
    try:
        import _diag_quadratic
        import bench_engine

        yield bench_engine, _diag_quadratic
    finally:
        sys.path.remove(BENCH)


def test_the_interleaved_floor_is_one_computation_for_any_lanes_and_equals_the_engine(bench):
    b, dq = bench
    inst = dq.instance(3, seed=0)
    n_runs, n_steps = 11, 300  # 11: the last group of 4 or 8 is not full

    def lanes(n_lanes):
        return b.hand_lanes_run(inst, n_runs, n_steps, b.SEED, n_lanes)

    one = lanes(1)
    assert np.isfinite(one).all()
    for n_lanes in (4, 8, 16):
        assert np.array_equal(lanes(n_lanes), one), n_lanes
    eng = b.engine_run(inst, n_runs, n_steps, b.SEED)
    np.testing.assert_allclose(one, eng, rtol=1e-12, atol=1e-15)
    other = b.engine_run(inst, n_runs, n_steps, b.SEED + 1)  # another stream is far off: the test can fail
    assert not np.allclose(one, other, rtol=1e-6)

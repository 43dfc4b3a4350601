"""Sweep benchmark (issue 7): a 16-point grid on 1 worker vs 2 workers, locally and on Dask.

The grid: claim T07-clip-nonconvex-rate (clipped SGD, nonconvex, heavy-tailed noise; one engine
run per horizon N = 2^6..2^13) at 16 values of noise.alpha in [1.45, 2.0] (all inside its check
regime), with the number of Monte Carlo runs calibrated so that one grid point is about 2 s of
work on one thread (measured first, in this process, which also compiles/loads the kernels).

Timed, in one run, the result cache off, every worker one process with one numba thread:
* ``local x1``: a ProcessPoolExecutor with 1 spawned process (``executor="local", workers=1``);
* ``local x2``: the same with 2 processes;
* ``dask x2``: a ``distributed.LocalCluster`` (2 worker processes, 1 thread each) started before
  the clock (an existing cluster is the use case; its start-up time is printed separately); the
  timed part includes connecting, the workers' code-fingerprint check, submission and gathering.
All three tables must be identical (checked: the executors agree bit for bit).

Last line: ``speedup_local=X speedup_dask=X dask_overhead_s=X`` with speedup_local = wall(local x1)
/ wall(local x2), speedup_dask = wall(local x1) / wall(dask x2), dask_overhead_s = (wall(dask x2)
- wall(local x2)) / 16 (per grid point; negative when Dask was faster).

Run: .venv/bin/python benchmarks/bench_sweep.py [--target-s 2.0]
"""
from __future__ import annotations

import argparse
import os
import sys
import time

os.environ["NUMBA_NUM_THREADS"] = "1"  # this process and every worker it starts: one numba thread

CLAIM = "T07-clip-nonconvex-rate"
POINTS = 16


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--target-s", type=float, default=2.0, help="work per grid point (one thread)")
    args = ap.parse_args()

    from boundcheck.claims import load_catalogue, select
    from boundcheck.sweep import parse_grid, plan_sweep, run_sweep, to_csv

    claims = select(load_catalogue(), claim_id=[CLAIM])
    grid = parse_grid([f"noise.alpha=1.45:2.0:{POINTS}"])

    # calibrate: runs per point for ~target seconds (the first call compiles or loads the kernels)
    probe = plan_sweep(claims, parse_grid(["noise.alpha=1.7"]), runs=40)
    run_sweep(probe, executor="serial", use_cache=False)
    t = time.perf_counter()
    run_sweep(probe, executor="serial", use_cache=False)
    per_run = (time.perf_counter() - t) / 40
    runs = max(8, int(round(args.target_s / per_run)))
    plan = plan_sweep(claims, grid, runs=runs)
    print(f"grid: {CLAIM} at noise.alpha = 1.45..2.0 ({POINTS} points), {runs} runs per point "
          f"(calibrated: {per_run * 1e3:.1f} ms per run, ~{per_run * runs:.2f} s per point on one thread)")

    walls, tables = {}, {}
    for label, kw in (("local x1", dict(executor="local", workers=1)),
                      ("local x2", dict(executor="local", workers=2))):
        t = time.perf_counter()
        res = run_sweep(plan, use_cache=False, **kw)
        walls[label] = time.perf_counter() - t
        tables[label] = to_csv(res.rows, plan.keys)
        print(f"{label:9s} wall {walls[label]:7.2f} s  ({walls[label] / POINTS:.2f} s per point)", flush=True)

    from distributed import LocalCluster

    t = time.perf_counter()
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None)
    start = time.perf_counter() - t
    try:
        t = time.perf_counter()
        res = run_sweep(plan, executor="dask", scheduler=cluster.scheduler_address, use_cache=False)
        walls["dask x2"] = time.perf_counter() - t
        tables["dask x2"] = to_csv(res.rows, plan.keys)
    finally:
        cluster.close()
    print(f"{'dask x2':9s} wall {walls['dask x2']:7.2f} s  ({walls['dask x2'] / POINTS:.2f} s per point; "
          f"LocalCluster start-up {start:.2f} s, not timed)")
    same = len(set(tables.values())) == 1
    print(f"tables identical across executors: {same}")
    if not same:
        sys.exit("executors disagree: the sweep is not reproducible")
    s_local = walls["local x1"] / walls["local x2"]
    s_dask = walls["local x1"] / walls["dask x2"]
    over = (walls["dask x2"] - walls["local x2"]) / POINTS
    print(f"speedup local x2 vs x1: {s_local:.2f} (target >= 1.7); dask x2 vs local x1: {s_dask:.2f}; "
          f"Dask overhead per point: {over:.3f} s (target <= 0.5)")
    print(f"speedup_local={s_local:.3f} speedup_dask={s_dask:.3f} dask_overhead_s={over:.3f}")


if __name__ == "__main__":
    main()

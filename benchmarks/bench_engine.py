"""Engine benchmark (issue 3): clipped SGD on a quadratic with symmetric Pareto noise.

    x_{t+1} = x_t - gamma clip_c(grad f(x_t) + xi_t),   f(x) = 1/2 sum_i lam_i (x_i - b_i)^2,
    xi_{t,i} = s sign (U^{-1/beta} - 1) i.i.d. (pareto[beta=1.6,scale=1]), gamma = 0.05, c = 1,
    lam_i evenly spaced in [0.1, 1], x_0 = b + R u (R = 1), runs seeded by (seed, run).

Compared, side by side in one process:
* ``engine``: boundcheck.engine.run on 2 threads with the default iterates (last, avg, min: the
  per-step metric evaluation included) and with iterates=("last",) (metrics at checkpoints only);
* ``numpy``: the strongest vectorised numpy we could write for the same law and update:
  vectorised over runs, in place with out=, numpy's Generator (PCG64), Pareto by inversion from
  one uniform per coordinate (sign and magnitude), one core;
* ``hand numba``: a minimal hand-written prange loop, specialised to this method and function, with
  the engine's generator and sampler (per-run xoshiro256+, noise/pareto.py's ``sample``: the same
  Pareto inversion, vectorised over coordinates for d >= 8), the rest fused by hand: the cost floor.
All three agree on E f(x_T) within Monte Carlo error (printed; the hand loop uses the very same
random stream as the engine, so it agrees to rounding).

Then: cold compile (a fresh process, empty temporary NUMBA_CACHE_DIR and BOUNDCHECK_CACHE_DIR, from
process start to the first result, imports included) and warm start (the same, caches filled).
Then the same comparison at d = 1000 with 100 runs x 2000 steps (the bandwidth-bound regime; fewer
runs x steps to keep the numpy baseline under a minute).

Last line: ``speedup_vs_numpy=X floor_fraction=X cold_compile_s=X warm_start_s=X`` (d = 10, engine
with its default iterates): speedup = numpy time / engine time, floor_fraction = hand-loop time /
engine time (1 = as fast as the floor).

Run: .venv/bin/python benchmarks/bench_engine.py [--quick]
"""
from __future__ import annotations

import math
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

GAMMA, CLIP, BETA, SCALE, SEED = 0.05, 1.0, 1.6, 1.0, 1
ALG = f"clipped-sgd[gamma={GAMMA},c={CLIP}]"
NOISE = f"pareto[beta={BETA},scale={SCALE}]"


# ----------------------------------------------------------------------------- baselines
def numpy_run(inst, n_runs, n_steps, seed):
    """Vectorised over runs, in place; returns f(x_T) per run."""
    lam, b = inst.data[1][0], inst.data[2]
    d = inst.d
    rng = np.random.default_rng(seed)
    X = np.tile(inst.x0, (n_runs, 1))
    G = np.empty_like(X)
    W = np.empty_like(X)
    S = np.empty_like(X)
    nn = np.empty(n_runs)
    minv = -1.0 / BETA
    for _ in range(n_steps):
        np.subtract(X, b, out=G)
        G *= lam
        rng.random(out=W)                 # W in [0, 1)
        W *= 2.0
        W -= 1.0                          # V in [-1, 1): sign(V) and 1 - |V| in (0, 1] independent
        np.sign(W, out=S)
        np.abs(W, out=W)
        np.subtract(1.0, W, out=W)        # U = 1 - |V| ~ U(0, 1]
        np.log(W, out=W)
        W *= minv
        np.exp(W, out=W)                  # U^{-1/beta}
        W -= 1.0
        W *= S
        if SCALE != 1.0:
            W *= SCALE
        G += W
        np.einsum("ij,ij->i", G, G, out=nn)
        np.sqrt(nn, out=nn)
        np.maximum(nn, CLIP, out=nn)      # factor = gamma * min(1, c/||g||) = gamma c / max(||g||, c)
        np.divide(GAMMA * CLIP, nn, out=nn)
        G *= nn[:, None]
        X -= G
    D = X - b
    return 0.5 * np.einsum("ij,j,ij->i", D, lam, D)


_HAND = None


def hand_kernel():
    global _HAND
    if _HAND is None:
        from numba import njit, prange

        from boundcheck.noise.pareto import sample
        from boundcheck.rng import seed_state

        @njit(parallel=True)
        def hand(x0, lam, b, gamma, c, theta, seed, n_runs, n_steps, out):
            d = x0.shape[0]
            for r in prange(n_runs):
                s = np.empty(4, dtype=np.uint64)
                seed_state(seed, r, s)
                x = x0.copy()
                g = np.empty(d)
                xi = np.empty(d)
                for t in range(n_steps):
                    sample(s, theta, g, xi)  # the engine's sampler (a vectorised block for d >= 8)
                    nn = 0.0
                    for i in range(d):
                        gi = lam[i] * (x[i] - b[i]) + xi[i]
                        g[i] = gi
                        nn += gi * gi
                    n = math.sqrt(nn)
                    f = gamma * (c / n if n > c else 1.0)
                    for i in range(d):
                        x[i] -= f * g[i]
                acc = 0.0
                for i in range(d):
                    di = x[i] - b[i]
                    acc += lam[i] * di * di
                out[r] = 0.5 * acc

        _HAND = hand
    return _HAND


def hand_run(inst, n_runs, n_steps, seed):
    out = np.empty(n_runs)
    hand_kernel()(inst.x0, inst.data[1][0].copy(), inst.data[2], GAMMA, CLIP,
                  np.array([SCALE, -1.0 / BETA]), seed, n_runs, n_steps, out)
    return out


def engine_run(inst, n_runs, n_steps, seed, iterates=None):
    from boundcheck.engine import run

    r = run(ALG, inst, NOISE, n_steps=n_steps, n_runs=n_runs, seed=seed, checkpoints=[n_steps],
            iterates=iterates)
    return r["f_gap@last"][-1]


def best_of(fn, reps):
    """(best wall time, CPU time of that call summed over threads, result)."""
    best, cpu, out = math.inf, math.inf, None
    for _ in range(reps):
        c = time.process_time()
        t = time.perf_counter()
        out = fn()
        dt = time.perf_counter() - t
        if dt < best:
            best, cpu = dt, time.process_time() - c
    return best, cpu, out


# ----------------------------------------------------------------------------- cold / warm start
_START = f"""
import sys, time
sys.path.insert(0, {HERE!r})
import _diag_quadratic
from boundcheck.engine import run
r = run({ALG!r}, _diag_quadratic.instance(10, seed=0), {NOISE!r}, n_steps=100, n_runs=8, seed=1,
        checkpoints=[100])
print(r.timing["kernel"], float(r["f_gap@last"].mean()))
"""


def start_time(env):
    t = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", _START], env=env, capture_output=True, text=True)
    dt = time.perf_counter() - t
    if p.returncode != 0:
        raise RuntimeError(p.stderr[-2000:])
    return dt, p.stdout.strip()


# ----------------------------------------------------------------------------- main
def compare(d, n_runs, n_steps, reps):
    import _diag_quadratic
    import numba

    inst = _diag_quadratic.instance(d, seed=0)
    work = d * n_runs * n_steps
    # warm-ups (compile or load), outside the timings
    engine_run(inst, 4, 10, SEED)
    engine_run(inst, 4, 10, SEED, iterates=("last",))
    hand_run(inst, 4, 10, SEED)
    rows = []
    nt = numba.get_num_threads()
    t_np, c_np, f_np = best_of(lambda: numpy_run(inst, n_runs, n_steps, SEED), reps)
    rows.append(("numpy (1 core, vectorised over runs)", t_np, c_np, f_np))
    t_hand, c_hand, f_hand = best_of(lambda: hand_run(inst, n_runs, n_steps, SEED), reps)
    rows.append((f"hand numba ({nt} threads, floor)", t_hand, c_hand, f_hand))
    t_eng, c_eng, f_eng = best_of(lambda: engine_run(inst, n_runs, n_steps, SEED), reps)
    rows.append((f"engine, iterates last/avg/min ({nt} threads)", t_eng, c_eng, f_eng))
    t_eng1, c_eng1, f_eng1 = best_of(lambda: engine_run(inst, n_runs, n_steps, SEED, ("last",)), reps)
    rows.append((f"engine, iterates last only ({nt} threads)", t_eng1, c_eng1, f_eng1))
    numba.set_num_threads(1)
    try:
        t_h1, c_h1, f_h1 = best_of(lambda: hand_run(inst, n_runs, n_steps, SEED), 1)
        rows.append(("hand numba (1 thread)", t_h1, c_h1, f_h1))
        t_e1, c_e1, f_e1 = best_of(lambda: engine_run(inst, n_runs, n_steps, SEED), 1)
        rows.append(("engine, last/avg/min (1 thread)", t_e1, c_e1, f_e1))
    finally:
        numba.set_num_threads(nt)
    print(f"\nd = {d}: {n_runs} runs x {n_steps} steps = {work:.3g} coordinate-steps, best of {reps}")
    print(f"{'implementation':<46}{'wall s':>8}{'ns/coord-step':>15}{'cpu ns/c-s':>12}"
          f"{'E f(x_T)':>11}{'+- se':>9}{'z vs engine':>12}")
    se_e = f_eng.std(ddof=1) / math.sqrt(n_runs)
    for name, t, c, f in rows:
        se = f.std(ddof=1) / math.sqrt(n_runs)
        z = (f.mean() - f_eng.mean()) / math.hypot(se, se_e) if f is not f_eng else 0.0
        print(f"{name:<46}{t:>8.3f}{1e9 * t / work:>15.2f}{1e9 * c / work:>12.2f}{f.mean():>11.5f}"
              f"{se:>9.5f}{z:>12.2f}")
    print(f"hand loop vs engine, same stream: max |f diff| = {np.abs(f_hand - f_eng).max():.3g}")
    print(f"speedup vs numpy: {t_np / t_eng:.2f} (last only: {t_np / t_eng1:.2f}); "
          f"floor fraction: {t_hand / t_eng:.2f} (last only: {t_hand / t_eng1:.2f}); "
          f"1 thread each: engine/numpy {t_np / t_e1:.2f}, floor fraction {t_h1 / t_e1:.2f}")
    print(f"load average now {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores: with other "
          f"processes running, {nt} threads do not get {nt} cores (cpu ns/c-s sums all threads)")
    return t_np / t_eng, t_hand / t_eng


def main():
    quick = "--quick" in sys.argv
    print(f"clipped SGD (gamma={GAMMA}, c={CLIP}) on a diagonal quadratic, pareto noise beta={BETA}; "
          f"threads: {os.environ.get('NUMBA_NUM_THREADS', 'numba default')}, load average "
          f"{os.getloadavg()[0]:.2f} (a shared machine inflates every figure)")
    with tempfile.TemporaryDirectory() as nc, tempfile.TemporaryDirectory() as bc:
        env = dict(os.environ, NUMBA_CACHE_DIR=nc, BOUNDCHECK_CACHE_DIR=bc)
        cold, out_c = start_time(env)
        warm, out_w = start_time(env)
        warm2, _ = start_time(env)
    warm = min(warm, warm2)
    print(f"\ncold compile (fresh process, empty caches, imports included): {cold:.2f} s [{out_c}]")
    print(f"warm start   (fresh process, caches filled, best of 2):        {warm:.2f} s [{out_w}]")
    speed, floor = compare(10, 1000 if not quick else 200, 10_000 if not quick else 2000, 2)
    compare(1000, 100 if not quick else 20, 2000 if not quick else 500, 2)
    print(f"speedup_vs_numpy={speed:.3f} floor_fraction={floor:.3f} cold_compile_s={cold:.3f} "
          f"warm_start_s={warm:.3f}")


if __name__ == "__main__":
    main()

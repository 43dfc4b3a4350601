"""Engine benchmark (issues 3 and 18): clipped SGD on a quadratic with heavy-tailed noise.

    x_{t+1} = x_t - gamma clip_c(grad f(x_t) + xi_t),   f(x) = 1/2 sum_i lam_i (x_i - b_i)^2,
    gamma = 0.05, c = 1, lam_i evenly spaced in [0.1, 1], x_0 = b + R u (R = 1), runs seeded by
    (seed, run); xi_{t,i} i.i.d. symmetric Pareto (pareto[beta=1.6,scale=1]) or Student-t
    (student-t[nu=1.8,scale=1]).

Cases (name: d, runs x steps, noise):
* d10:       d = 10,   1000 x 10^4, pareto  (the headline figures)
* d1:        d = 1,    10^4 x 10^4, pareto
* d1000:     d = 1000, 100 x 2000,  pareto  (the bandwidth-bound regime)
* student_t: d = 10,   1000 x 10^4, student-t nu = 1.8 (a heavier sampler)

Compared, side by side in one process, for each case:
* ``numpy``: the faster of two vectorised numpy codes on one core (vectorised over runs, in place
  with out=, numpy's Generator, PCG64): (a) the law by inversion from one uniform per coordinate
  (Pareto only: sign and magnitude from one uniform), (b) numpy's own samplers
  (``Generator.pareto`` with a sign from ``Generator.random``; ``Generator.standard_t``). Both rows
  are printed; the faster is the baseline;
* ``engine``: boundcheck.engine.run on numba's default threads (2 here) with the default iterates
  (last, avg, min: the per-step metric evaluation included), and with iterates=("last",) (metrics at
  checkpoints only); then on 1 thread (``numba.set_num_threads(1)``);
* ``hand numba``: a minimal hand-written prange loop, specialised to this method and function, with
  the engine's generator, samplers and block draws (per-run xoshiro256+, the noise model's
  ``sample`` called on K d coordinates at a time, K = engine.api.NOISE_BLOCK // d), the rest fused
  by hand: the cost floor.
All agree on E f(x_T) within Monte Carlo error (printed; the hand loop uses the very same random
stream as the engine, so it agrees to rounding).

Also: cold compile (a fresh process, empty temporary NUMBA_CACHE_DIR and BOUNDCHECK_CACHE_DIR, from
process start to the first result, imports included) and warm start (the same, caches filled, best
of 2).

Last line (key=value): ``speedup_vs_numpy`` (d10: numpy time / engine wall time, engine on the
default threads, default iterates), ``floor_fraction`` (d10: hand-loop time / engine time, both on
the default threads; 1 = as fast as the floor), ``cold_compile_s``, ``warm_start_s``,
``per_core_vs_numpy`` (d10, one thread each: numpy CPU time / engine CPU time, the figure that
load disturbs least), ``speedup_vs_numpy_d1``, ``speedup_vs_numpy_d1000``,
``speedup_vs_numpy_student_t`` (as speedup_vs_numpy, for those cases). ``load_avg`` is the 1-minute
load average at the end: on a busy machine every figure is inflated and only per_core_vs_numpy is
roughly comparable with an idle run.

Options:
  --quick          every case with fewer runs x steps (a smoke test, about a minute)
  --cases a,b      only these cases (d10, d1, d1000, student_t); figures of skipped cases print nan
  --no-start       skip the cold/warm start measurement
  --compile        print the cold compile's CPU time per compiled function (a fresh process,
                   empty caches): where the compile time goes
  --interleaved    first measure, on 1 thread at d = 1, 10, 1000, the floor with G = 1, 4, 8, 16 runs
                   interleaved step by step and a branch-free clip (hand_lanes_kernel), beside numpy
                   and the engine: how far interleaving runs could take an engine at best
  --parts          first measure the engine on 1 thread at d = 1 and 10 for sgd and clipped SGD,
                   without noise and with pareto, iterates last and last/avg/min: where its time goes
  --blocks         first measure the engine on 1 thread at d = 1, 10, 1000 for noise blocks
                   NOISE_BLOCK in (1, 64, 256, 1024, 4096) coordinates (CPU ns per coordinate-step):
                   how engine.api.NOISE_BLOCK was chosen

Run: .venv/bin/python benchmarks/bench_engine.py [--quick] [--cases ...] [--no-start] [--compile]
     [--blocks] [--interleaved] [--parts]
"""
from __future__ import annotations

import contextlib
import math
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

GAMMA, CLIP, BETA, NU, SCALE, SEED = 0.05, 1.0, 1.6, 1.8, 1.0, 1
ALG = f"clipped-sgd[gamma={GAMMA},c={CLIP}]"
PARETO = f"pareto[beta={BETA},scale={SCALE}]"
STUDENT = f"student-t[nu={NU},scale={SCALE}]"
NOISE = PARETO  # the start-time measurement's noise
CASES = {  # name: (d, runs, steps, noise); --quick divides runs and steps
    "d10": (10, 1000, 10_000, PARETO),
    "d1": (1, 10_000, 10_000, PARETO),
    "d1000": (1000, 100, 2000, PARETO),
    "student_t": (10, 1000, 10_000, STUDENT),
}


# ----------------------------------------------------------------------------- baselines
def _pareto_inversion(rng, W, S):
    """W <- s sign (U^{-1/beta} - 1) from one uniform per coordinate (S is scratch)."""
    rng.random(out=W)                 # W in [0, 1)
    W *= 2.0
    W -= 1.0                          # V in [-1, 1): sign(V) and 1 - |V| in (0, 1] independent
    np.sign(W, out=S)
    np.abs(W, out=W)
    np.subtract(1.0, W, out=W)        # U = 1 - |V| ~ U(0, 1]
    np.log(W, out=W)
    W *= -1.0 / BETA
    np.exp(W, out=W)                  # U^{-1/beta}
    W -= 1.0
    W *= S
    if SCALE != 1.0:
        W *= SCALE


def _pareto_generator(rng, W, S):
    """W <- s sign Lomax(beta) with numpy's Generator.pareto (Lomax) and a sign from random()."""
    W[...] = rng.pareto(BETA, size=W.shape)
    rng.random(out=S)
    np.less(S, 0.5, out=S)            # 1.0 or 0.0
    S *= 2.0
    S -= 1.0
    W *= S
    if SCALE != 1.0:
        W *= SCALE


def _student_generator(rng, W, S):
    W[...] = rng.standard_t(NU, size=W.shape)
    if SCALE != 1.0:
        W *= SCALE


NUMPY_NOISE = {PARETO: {"inversion": _pareto_inversion, "Generator.pareto": _pareto_generator},
               STUDENT: {"Generator.standard_t": _student_generator}}


def numpy_run(inst, n_runs, n_steps, seed, noise_fill=_pareto_inversion):
    """Vectorised over runs, in place; returns f(x_T) per run."""
    lam, b = inst.data[1][0], inst.data[2]
    rng = np.random.default_rng(seed)
    X = np.tile(inst.x0, (n_runs, 1))
    G = np.empty_like(X)
    W = np.empty_like(X)
    S = np.empty_like(X)
    nn = np.empty(n_runs)
    for _ in range(n_steps):
        np.subtract(X, b, out=G)
        G *= lam
        noise_fill(rng, W, S)
        G += W
        np.einsum("ij,ij->i", G, G, out=nn)
        np.sqrt(nn, out=nn)
        np.maximum(nn, CLIP, out=nn)      # factor = gamma * min(1, c/||g||) = gamma c / max(||g||, c)
        np.divide(GAMMA * CLIP, nn, out=nn)
        G *= nn[:, None]
        X -= G
    D = X - b
    return 0.5 * np.einsum("ij,j,ij->i", D, lam, D)


_HAND = {}


def hand_kernel(sample):
    """The floor for one sampler: the engine's stream and block draws, the step fused by hand."""
    if sample not in _HAND:
        from numba import njit, prange

        from boundcheck.rng import seed_state

        @njit(parallel=True)
        def hand(x0, lam, b, gamma, c, theta, seed, n_runs, n_steps, block, out):
            d = x0.shape[0]
            kd = max(1, block // d) * d
            for r in prange(n_runs):
                s = np.empty(4, dtype=np.uint64)
                seed_state(seed, r, s)
                x = x0.copy()
                g = np.empty(d)
                buf = np.empty(kd)
                pos = kd
                for t in range(n_steps):
                    if pos == kd:  # the noise of the next K steps, as the engine draws it
                        left = (n_steps - t) * d
                        sample(s, theta, g, buf[:kd if left > kd else left])
                        pos = 0
                    nn = 0.0
                    for i in range(d):
                        gi = lam[i] * (x[i] - b[i]) + buf[pos + i]
                        g[i] = gi
                        nn += gi * gi
                    pos += d
                    n = math.sqrt(nn)
                    f = gamma * (c / n if n > c else 1.0)
                    for i in range(d):
                        x[i] -= f * g[i]
                acc = 0.0
                for i in range(d):
                    di = x[i] - b[i]
                    acc += lam[i] * di * di
                out[r] = 0.5 * acc

        _HAND[sample] = hand
    return _HAND[sample]


_HAND_LANES = {}


def hand_lanes_kernel(sample):
    """The floor with G runs interleaved step by step (a row of X, BUF per run) and a branch-free
    clip: the same stream, draws and arithmetic as hand_kernel, bit for bit; the CPU overlaps the G
    runs' dependency chains. An engine on the same samplers that keeps one run's state per loop
    (the algorithm files' contract) is not expected to beat it: it measures how far run
    interleaving could take one."""
    if sample not in _HAND_LANES:
        from numba import njit

        from boundcheck.rng import seed_state

        @njit(nogil=True)
        def hand_lanes(x0, lam, b, gamma, c, theta, seed, n_runs, n_steps, block, lanes, out):
            d = x0.shape[0]
            kd = max(1, block // d) * d
            S = np.empty((lanes, 4), dtype=np.uint64)
            X = np.empty(lanes * d)
            g = np.empty(d)
            BUF = np.empty((lanes, kd))
            for r0 in range(0, n_runs, lanes):
                m = min(lanes, n_runs - r0)
                for j in range(m):
                    seed_state(seed, r0 + j, S[j])
                    for i in range(d):
                        X[j * d + i] = x0[i]
                pos = kd
                for t in range(n_steps):
                    if pos == kd:
                        left = (n_steps - t) * d
                        for j in range(m):
                            sample(S[j], theta, g, BUF[j, :kd if left > kd else left])
                        pos = 0
                    for j in range(m):
                        o = j * d
                        nn = 0.0
                        for i in range(d):
                            gi = lam[i] * (X[o + i] - b[i]) + BUF[j, pos + i]
                            nn += gi * gi
                        # min(1, c/n) without a branch: exactly c/n when n > c, else 1.0
                        f = gamma * min(1.0, c / max(math.sqrt(nn), 5e-324))
                        for i in range(d):
                            X[o + i] -= f * (lam[i] * (X[o + i] - b[i]) + BUF[j, pos + i])
                    pos += d
                for j in range(m):
                    acc = 0.0
                    for i in range(d):
                        di = X[j * d + i] - b[i]
                        acc += lam[i] * di * di
                    out[r0 + j] = 0.5 * acc

        _HAND_LANES[sample] = hand_lanes
    return _HAND_LANES[sample]


def hand_run(inst, n_runs, n_steps, seed, noise=PARETO):
    from boundcheck.engine import api

    model, p = _model(noise)
    out = np.empty(n_runs)
    hand_kernel(model.sample)(inst.x0, inst.data[1][0].copy(), inst.data[2], GAMMA, CLIP,
                              model.pack(p, inst.d), seed, n_runs, n_steps, api.NOISE_BLOCK, out)
    return out


def hand_lanes_run(inst, n_runs, n_steps, seed, lanes, noise=PARETO):
    """hand_run with ``lanes`` runs interleaved (hand_lanes_kernel)."""
    from boundcheck.engine import api

    model, p = _model(noise)
    out = np.full(n_runs, np.nan)
    hand_lanes_kernel(model.sample)(inst.x0, inst.data[1][0].copy(), inst.data[2], GAMMA, CLIP,
                                    model.pack(p, inst.d), seed, n_runs, n_steps, api.NOISE_BLOCK, lanes, out)
    return out


def _model(noise):
    from boundcheck import registry

    name, rest = noise.split("[", 1)
    given = dict(kv.split("=") for kv in rest.rstrip("]").split(","))
    m = registry.noise.get(name)
    return m, m.validate({k: float(v) for k, v in given.items()})


def engine_run(inst, n_runs, n_steps, seed, iterates=None, noise=PARETO):
    from boundcheck.engine import run

    r = run(ALG, inst, noise, n_steps=n_steps, n_runs=n_runs, seed=seed, checkpoints=[n_steps],
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


@contextlib.contextmanager
def _one_thread():
    """numba on 1 thread inside the block, its previous thread count restored after it."""
    import numba

    nt = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        yield
    finally:
        numba.set_num_threads(nt)


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


_COMPILE = _START.replace("import _diag_quadratic", """import _diag_quadratic
from numba.core import event
_open, _done = [], []


class _Times(event.Listener):
    def on_start(self, e):
        disp = e.data.get("dispatcher")
        _open.append((getattr(getattr(disp, "py_func", None), "__qualname__", "?"), time.process_time()))

    def on_end(self, e):
        name, c0 = _open.pop()
        _done.append((len(_open), name, time.process_time() - c0))


event.register("numba:compile", _Times())""") + """
for depth, name, cpu in _done:
    if cpu >= 0.03:
        print(f"{cpu:8.3f}  {'  ' * depth}{name}")
"""


def compile_breakdown(env):
    """The cold compile's CPU seconds per compiled function (callees indented under their caller,
    in completion order; each time includes its callees), in a fresh process with empty caches."""
    p = subprocess.run([sys.executable, "-c", _COMPILE], env=env, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(p.stderr[-2000:])
    return p.stdout


def start_time(env):
    """(wall s, output line, CPU s of the child: less disturbed by other processes than wall)."""
    import resource

    c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", _START], env=env, capture_output=True, text=True)
    dt = time.perf_counter() - t
    c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise RuntimeError(p.stderr[-2000:])
    cpu = (c1.ru_utime - c0.ru_utime) + (c1.ru_stime - c0.ru_stime)
    return dt, p.stdout.strip(), cpu


# ----------------------------------------------------------------------------- main
def compare(name, d, n_runs, n_steps, noise, reps):
    """Prints the case's table; returns (speedup 2 threads, floor fraction, per-core ratio)."""
    import _diag_quadratic
    import numba

    inst = _diag_quadratic.instance(d, seed=0)
    work = d * n_runs * n_steps
    # warm-ups (compile or load), outside the timings
    engine_run(inst, 4, 10, SEED, noise=noise)
    engine_run(inst, 4, 10, SEED, iterates=("last",), noise=noise)
    hand_run(inst, 4, 10, SEED, noise)
    rows = []
    nt = numba.get_num_threads()
    best_np = None
    for label, fill in NUMPY_NOISE[noise].items():
        t_np, c_np, f_np = best_of(lambda: numpy_run(inst, n_runs, n_steps, SEED, fill), reps)
        rows.append((f"numpy {label} (1 core)", t_np, c_np, f_np))
        if best_np is None or t_np < best_np[0]:
            best_np = (t_np, c_np, f_np)
    t_np, c_np, f_np = best_np
    t_hand, c_hand, f_hand = best_of(lambda: hand_run(inst, n_runs, n_steps, SEED, noise), reps)
    rows.append((f"hand numba ({nt} threads, floor)", t_hand, c_hand, f_hand))
    t_eng, c_eng, f_eng = best_of(lambda: engine_run(inst, n_runs, n_steps, SEED, noise=noise), reps)
    rows.append((f"engine, iterates last/avg/min ({nt} threads)", t_eng, c_eng, f_eng))
    t_eng1, c_eng1, f_eng1 = best_of(lambda: engine_run(inst, n_runs, n_steps, SEED, ("last",), noise), reps)
    rows.append((f"engine, iterates last only ({nt} threads)", t_eng1, c_eng1, f_eng1))
    with _one_thread():
        t_h1, c_h1, f_h1 = best_of(lambda: hand_run(inst, n_runs, n_steps, SEED, noise), 1)
        rows.append(("hand numba (1 thread)", t_h1, c_h1, f_h1))
        t_e1, c_e1, f_e1 = best_of(lambda: engine_run(inst, n_runs, n_steps, SEED, noise=noise), 1)
        rows.append(("engine, last/avg/min (1 thread)", t_e1, c_e1, f_e1))
    print(f"\n{name}: d = {d}, {noise}: {n_runs} runs x {n_steps} steps = {work:.3g} coordinate-steps, "
          f"best of {reps}")
    print(f"{'implementation':<46}{'wall s':>8}{'ns/coord-step':>15}{'cpu ns/c-s':>12}"
          f"{'E f(x_T)':>11}{'+- se':>9}{'z vs engine':>12}")
    se_e = f_eng.std(ddof=1) / math.sqrt(n_runs)
    for label, t, c, f in rows:
        se = f.std(ddof=1) / math.sqrt(n_runs)
        z = (f.mean() - f_eng.mean()) / math.hypot(se, se_e) if f is not f_eng else 0.0
        print(f"{label:<46}{t:>8.3f}{1e9 * t / work:>15.2f}{1e9 * c / work:>12.2f}{f.mean():>11.5f}"
              f"{se:>9.5f}{z:>12.2f}")
    print(f"hand loop vs engine, same stream: max |f diff| = {np.abs(f_hand - f_eng).max():.3g}")
    per_core = c_np / c_e1
    print(f"speedup vs numpy: {t_np / t_eng:.2f} (last only: {t_np / t_eng1:.2f}); "
          f"floor fraction: {t_hand / t_eng:.2f} (last only: {t_hand / t_eng1:.2f}); "
          f"1 thread each: engine/numpy {per_core:.2f} (CPU time; wall {t_np / t_e1:.2f}), "
          f"floor fraction {t_h1 / t_e1:.2f}")
    print(f"load average now {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores: with other "
          f"processes running, {nt} threads do not get {nt} cores (cpu ns/c-s sums all threads)")
    return t_np / t_eng, t_hand / t_eng, per_core


def blocks(quick):
    """Engine on 1 thread, CPU ns per coordinate-step, for several noise blocks."""
    import _diag_quadratic

    from boundcheck.engine import api

    keep = api.NOISE_BLOCK
    sizes = (1, 64, 256, 1024, 4096)
    print(f"\nnoise block (coordinates) vs engine CPU ns per coordinate-step, 1 thread, {PARETO}, "
          f"iterates last/avg/min; load average {os.getloadavg()[0]:.2f}")
    print(f"{'d':>6}" + "".join(f"{b:>9}" for b in sizes))
    try:
        with _one_thread():
            for d, n_runs, n_steps in ((1, 2000, 5000), (10, 200, 5000), (1000, 10, 1000)):
                if quick:
                    n_runs //= 4
                inst = _diag_quadratic.instance(d, seed=0)
                engine_run(inst, 2, 10, SEED)
                cells = []
                for b in sizes:
                    api.NOISE_BLOCK = b
                    _, c, _ = best_of(lambda: engine_run(inst, n_runs, n_steps, SEED), 3)
                    cells.append(1e9 * c / (d * n_runs * n_steps))
                print(f"{d:>6}" + "".join(f"{c:>9.2f}" for c in cells))
    finally:
        api.NOISE_BLOCK = keep


def interleaved(quick):
    """1 thread, CPU ns per coordinate-step: numpy, the floor, the floor with G runs interleaved
    (hand_lanes_kernel) and the engine; and 2 x numpy / the best floor, the largest 2-thread
    speedup over numpy that an engine equal to that floor could show (perfect scaling)."""
    import _diag_quadratic

    lanes = (1, 4, 8, 16)
    print(f"\nruns interleaved, 1 thread, {PARETO}, CPU ns per coordinate-step (best of 3); load "
          f"average {os.getloadavg()[0]:.2f}")
    print(f"{'d':>6}{'numpy':>9}{'floor':>9}" + "".join(f"{'G=' + str(g):>9}" for g in lanes)
          + f"{'engine':>9}{'2 numpy/best floor':>20}{'max |diff|':>12}")
    with _one_thread():
        # the runs of the benchmark's cases (numpy's cost per coordinate depends on them), fewer steps
        for d, n_runs, n_steps in ((1, 10_000, 2000), (10, 1000, 2000), (1000, 100, 400)):
            if quick:
                n_runs //= 4
            inst = _diag_quadratic.instance(d, seed=0)
            work = d * n_runs * n_steps
            hand_lanes_run(inst, 4, 10, SEED, 1)
            hand_run(inst, 4, 10, SEED)
            engine_run(inst, 4, 10, SEED)
            c_np = min(best_of(lambda: numpy_run(inst, n_runs, n_steps, SEED, fill), 3)[1]
                       for fill in NUMPY_NOISE[PARETO].values())
            _, c_h, f_h = best_of(lambda: hand_run(inst, n_runs, n_steps, SEED), 3)
            cells, diff = [], 0.0
            for n_lanes in lanes:
                _, c, f = best_of(lambda: hand_lanes_run(inst, n_runs, n_steps, SEED, n_lanes), 3)
                cells.append(c)
                diff = max(diff, float(np.abs(f - f_h).max()))
            _, c_e, _ = best_of(lambda: engine_run(inst, n_runs, n_steps, SEED), 3)
            ns = [1e9 * c / work for c in (c_np, c_h, *cells, c_e)]
            print(f"{d:>6}" + "".join(f"{v:>9.2f}" for v in ns) + f"{2 * c_np / min(cells):>20.2f}"
                  f"{diff:>12.3g}")


def parts(quick):
    """Where the engine's time goes, 1 thread, CPU ns per coordinate-step at d = 1 and 10: sgd and
    clipped SGD (the clip's norm, sqrt and division), without noise and with pareto (the sampler
    and the noise pass), with iterates last only and last/avg/min (the per-step metrics)."""
    import _diag_quadratic

    from boundcheck.engine import run

    algs = (f"sgd[gamma={GAMMA}]", ALG)
    print(f"\nengine, 1 thread, CPU ns per coordinate-step (best of 3); load average "
          f"{os.getloadavg()[0]:.2f}")
    print(f"{'d':>4}  {'method':<32}{'noise':<30}{'last':>8}{'last/avg/min':>14}")
    with _one_thread():
        for d, n_runs, n_steps in ((1, 2000, 5000), (10, 300, 5000)):
            if quick:
                n_runs //= 4
            inst = _diag_quadratic.instance(d, seed=0)
            for alg in algs:
                for noise in ("none", PARETO):
                    cells = []
                    for it in (("last",), None):
                        def go(n=n_runs, alg=alg, noise=noise, it=it):
                            return run(alg, inst, noise, n_steps=n_steps, n_runs=n, seed=SEED,
                                       checkpoints=[n_steps], iterates=it)
                        go(4)
                        cells.append(1e9 * best_of(go, 3)[1] / (d * n_runs * n_steps))
                    print(f"{d:>4}  {alg:<32}{noise:<30}{cells[0]:>8.2f}{cells[1]:>14.2f}")


def main():
    args = sys.argv[1:]
    quick = "--quick" in args
    names = list(CASES)
    if "--cases" in args:
        names = args[args.index("--cases") + 1].split(",")
        unknown = [n for n in names if n not in CASES]
        if unknown:
            sys.exit(f"bench_engine: unknown case(s) {', '.join(unknown)}; known: {', '.join(CASES)}")
    print(f"clipped SGD (gamma={GAMMA}, c={CLIP}) on a diagonal quadratic; threads: "
          f"{os.environ.get('NUMBA_NUM_THREADS', 'numba default')}, load average "
          f"{os.getloadavg()[0]:.2f} (a shared machine inflates every figure)")
    cold = warm = math.nan
    if "--no-start" not in args:
        with tempfile.TemporaryDirectory() as nc, tempfile.TemporaryDirectory() as bc:
            env = dict(os.environ, NUMBA_CACHE_DIR=nc, BOUNDCHECK_CACHE_DIR=bc)
            cold, out_c, cold_cpu = start_time(env)
            warm, out_w, warm_cpu = start_time(env)
            warm2, _, warm2_cpu = start_time(env)
        warm, warm_cpu = min((warm, warm_cpu), (warm2, warm2_cpu))
        print(f"\ncold compile (fresh process, empty caches, imports included): {cold:.2f} s "
              f"(CPU {cold_cpu:.2f} s) [{out_c}]")
        print(f"warm start   (fresh process, caches filled, best of 2):        {warm:.2f} s "
              f"(CPU {warm_cpu:.2f} s) [{out_w}]")
    if "--compile" in args:
        with tempfile.TemporaryDirectory() as nc, tempfile.TemporaryDirectory() as bc:
            out = compile_breakdown(dict(os.environ, NUMBA_CACHE_DIR=nc, BOUNDCHECK_CACHE_DIR=bc))
        print(f"\ncold compile, CPU s per compiled function (>= 0.03 s; a caller's time includes its "
              f"callees'), load average {os.getloadavg()[0]:.2f}:\n{out}")
    if "--blocks" in args:
        blocks(quick)
    if "--interleaved" in args:
        interleaved(quick)
    if "--parts" in args:
        parts(quick)
    res = {}
    for name in names:
        d, n_runs, n_steps, noise = CASES[name]
        if quick:
            n_runs, n_steps = max(4, n_runs // 5), max(100, n_steps // 5)
        res[name] = compare(name, d, n_runs, n_steps, noise, 2)
    nan3 = (math.nan,) * 3
    speed, floor, per_core = res.get("d10", nan3)
    print(f"speedup_vs_numpy={speed:.3f} floor_fraction={floor:.3f} cold_compile_s={cold:.3f} "
          f"warm_start_s={warm:.3f} per_core_vs_numpy={per_core:.3f} "
          f"speedup_vs_numpy_d1={res.get('d1', nan3)[0]:.3f} "
          f"speedup_vs_numpy_d1000={res.get('d1000', nan3)[0]:.3f} "
          f"speedup_vs_numpy_student_t={res.get('student_t', nan3)[0]:.3f} "
          f"load_avg={os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

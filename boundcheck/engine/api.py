"""``run``: the Monte Carlo engine's Python API.

    >>> from boundcheck.engine import run
    >>> res = run("clipped-sgd[gamma=0.1,c=1]", "smooth-convex[L=1,d=10]", "gaussian",
    ...           n_steps=2000, n_runs=200, seed=7)                       # doctest: +SKIP
    >>> res.statistics()["f_gap@last"]["median"]                         # doctest: +SKIP

Conventions (also stored in every result's metadata):

* **index**: checkpoint T records the state after T oracle steps, x_T (x_0 is the start point);
* **avg**: the running mean (x_0 + ... + x_T)/(T + 1), x_0 included;
* **min**: for each quantity separately, its minimum over x_0..x_T (evaluated at every step);
* **out**: the method's declared output (e.g. OGM's y_T), when it has one;
* **horizon-dependent methods** (``alg.horizon_dependent(p)``, e.g. OGM or a schedule tuned to
  the horizon N): each checkpoint T is its own run of horizon T, with ``make_params(p, T, prob)``
  and the same per-run noise streams; ``meta["horizon_dependent"]`` says so;
* **seeds**: run r draws from its own xoshiro256+ stream seeded by splitmix64(seed, r) (rng.py),
  so results do not depend on the number of threads or on how runs are split into slices;
* **minibatch**: when the algorithm has a ``batch`` parameter, each oracle call averages that many
  independent noise draws; an algorithm declaring ``samples_per_step(p) = (m, r)`` receives instead
  G[(m + r), d]: m individual draws grad f(query) + xi_j, then r rows of N(0, 1), in that stream order;
* **fx**: algorithms with ``needs_value`` receive f(query point); others receive 0.0;
* **finite sums** (an instance carrying ``oracles.finite_sum.FiniteSum``): step t receives
  grad f_{i_t}(query), i_t under the instance's sampling rule (with replacement, reshuffle,
  shuffle once, incremental) from the run's own index stream (boundcheck/oracles).
"""
from __future__ import annotations

import contextlib
import functools
import gc
import math
import os
import sys
import threading
import time
from typing import Any, Callable, Mapping

import numpy as np

from ..plugins.blame import blames_plugins

from ..errors import ParamError
from . import checkpoints as _ck
from .numba_start import lean_start
from .problem import Problem, resolve
from .random_steps import random_steps
from .results import ITERATE_CONVENTION, ITERATES, N_SLOTS, QUANTITIES, Results

_KERNELS: dict[str, Any] = {}

# below this many coordinate-steps a run is one kernel call even when progress is reported
_PROGRESS_MIN_WORK = 5e7
# below this many coordinate-steps a run is one kernel call in the calling thread (the pool's
# hand-off costs tens of microseconds)
_POOL_MIN_WORK = 2e5
# at most about this many coordinate-steps per slice (a few tenths of a second), so that an
# interrupt (Ctrl-C) stops the run after the slices already running, not after all of them
_SLICE_MAX_WORK = 2e7
# coordinatewise noise is drawn this many coordinates at a time (K = NOISE_BLOCK // (batch d) steps,
# at least 1): the sampler's transform then vectorises at any d. Results do not depend on it
# (tests/test_engine_blocks.py); the value is measured (benchmarks/bench_engine.py --blocks)
NOISE_BLOCK = 256


def kernel_for(problem: Problem):
    """The (generated, possibly not yet compiled) kernel for a problem."""
    from ..oracles.finite_sum import check
    from .codegen import KernelSpec, build

    alg, inst, nz = problem.algorithm, problem.instance, problem.noise
    fs = check(problem)  # a finite-sum instance: its component kernels and sampling rule
    spec = KernelSpec(
        alg_name=alg.name, init=alg.init, query=alg.query, update=alg.update, output=alg.output,
        needs_value=bool(alg.needs_value), family=_family(inst.value, inst.grad),
        value=inst.value, grad=inst.grad,
        noise_name=nz.name if nz is not None else "none", sample=nz.sample if nz is not None else None,
        multi=problem.multi, noise_reads_grad=bool(nz.grad_dependent) if nz is not None else False,
        noise_blocks=bool(getattr(nz, "coordinatewise", False)) if nz is not None else False,
        weight=getattr(alg, "weight", None),
        grad_i=fs.grad_i if fs else None, n_components=fs.count if fs else None,
        order=fs.order if fs else -1, project=fs.project if fs else None,
        anchor=getattr(alg, "anchor", None) if fs else None)
    k = build(spec)
    return _KERNELS.setdefault(k.hash + k.module_name, k)


def _family(value, grad) -> str:
    """The kernel pair's name, e.g. 'quadratic' (module of ``value``; plus the function names when
    they are not value/grad). Classes sharing a family (a quadratic is convex, strongly convex and
    PL) share one kernel per (algorithm, noise): the kernel depends on the code, not the class."""
    v, g = getattr(value, "py_func", value), getattr(grad, "py_func", grad)
    fam = v.__module__.rsplit(".", 1)[-1]
    if (v.__name__, g.__name__) != ("value", "grad"):
        fam += f".{v.__name__}"
    return fam


def _seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= int(seed) < 2**63:
        raise ParamError(f"seed must be an integer in [0, 2^63) (got {seed!r})")
    return int(seed)


def _arr(a, ndim: int) -> np.ndarray:
    a = np.ascontiguousarray(a, dtype=np.float64)
    if a.ndim != ndim:
        a = a.reshape((1,) * (ndim - a.ndim) + a.shape) if a.ndim < ndim else a
    return a


def _operator(inst) -> bool:
    from .. import registry

    try:
        return bool(getattr(registry.functions.get(inst.function), "operator", False))
    except Exception:  # an instance built outside the registry
        return False


def _select(problem: Problem, iterates) -> tuple[list[str], list[int], int]:
    alg, inst = problem.algorithm, problem.instance
    avail = alg.outputs
    if iterates is None:
        its = list(avail)
    else:
        its = list(iterates)
        for it in its:
            if it not in avail:
                from ..errors import UnknownNameError

                raise UnknownNameError(f"iterate of {alg.name}", it, avail)
    names, slots = [], []
    for it in its:
        i = ITERATES.index(it)
        for q, qn in enumerate(QUANTITIES):
            if qn == "f_gap" and inst.f_star is None:
                if _operator(inst):  # g = F(x) and no function value (functions/operator.py)
                    continue
                qn = "f"
            if qn == "dist_sq" and inst.x_star is None:
                continue
            names.append(f"{qn}@{it}")
            slots.append(4 * i + q)
    # per-step bookkeeping (template.py): 1 min, 2 mean, 4 random, 8 wmean
    return names, slots, ("min" in its) | 2 * ("mean" in its) | 4 * ("random" in its) | 8 * ("wmean" in its)


@blames_plugins  # an error in a plugin's code names the plugin (plugins/blame.py)
def run(algorithm, function, noise=None, params: Mapping[str, Any] | None = None,
        n_steps: int = 1000, n_runs: int = 100, seed: int = 0, checkpoints=None, *,
        iterates=None, keep_final: bool = False,
        progress: Callable[[float], None] | None = None) -> Results:
    """Run ``algorithm`` on an instance of ``function`` with ``noise``, ``n_runs`` times.

    algorithm: a spec ``'clipped-sgd[gamma=0.1,c=1]'``, an ``Algorithm``, or ``(Algorithm, params)``;
    ``params`` (optional) adds or overrides algorithm parameters.
    function: a spec ``'smooth-convex[L=1,d=10]'``, a ``FunctionClass``, ``(class, params)`` or a
    built ``Instance``. noise: a ``--noise`` string (spec or ``alpha=A`` shorthand), a
    ``NoiseModel``, ``(model, params)``, or None / ``'none'`` (exact gradients).
    checkpoints: None (geometric grid), a string (``'geom:8'``, ``'lin:20'``, ``'1,10,100'``,
    ``'all'``) or a list of step counts in 1..n_steps, strictly increasing.
    iterates: subset of ``('last', 'avg', 'min', 'out', 'mean', 'random')`` (default: all the method
    has; without 'min', 'mean' and 'random' the per-step metric evaluation is skipped).
    keep_final: also return x_{n_steps} of every run in ``final_x``. progress: called with the fraction done (0..1) as slices of runs finish.

    The kernel runs slices of runs on ``numba.get_num_threads()`` threads (a thread pool; the
    compiled kernel releases the GIL); the results do not depend on the thread count.
    """
    t_start = time.perf_counter()
    n_steps = _ck.check_count("n_steps", n_steps)
    n_runs = _ck.check_count("n_runs", n_runs)
    seed = _seed(seed)
    if checkpoints is None or isinstance(checkpoints, str):
        ck = _ck.parse(checkpoints, n_steps)
    else:
        ck = _ck.validate(checkpoints, n_steps)
    problem = resolve(algorithm, function, noise, params)
    names, slots, track = _select(problem, iterates)
    inst = problem.instance
    d = inst.d
    kern = kernel_for(problem)
    t_gen = time.perf_counter()
    kfun = kern.dispatcher
    t_import = time.perf_counter()

    x0 = _arr(inst.x0, 1)
    fp, fA, fb = (_arr(inst.data[0], 1), _arr(inst.data[1], 2), _arr(inst.data[2], 1))
    x_star = _arr(inst.x_star, 1) if inst.x_star is not None else np.zeros(d)
    f_star = float(inst.f_star) if inst.f_star is not None else 0.0
    theta = problem.theta
    hd = problem.horizon_dependent()
    horizons = [int(T) for T in ck] if hd else [n_steps]
    n_ck = len(ck)
    res = np.empty((N_SLOTS, n_ck, n_runs))
    div = np.full((len(horizons), n_runs), -1, dtype=np.int64)
    final = np.empty((n_runs, d)) if keep_final else None

    work_total = float(sum(horizons)) * n_runs * max(d, 1)
    if work_total < _PROGRESS_MIN_WORK:
        progress = None  # short runs: no progress reports
    n_threads = 1 if _jit_disabled() else _threads()
    # a slice's cost grows with the noise draws per step too (minibatches)
    bounds = _slices(n_runs, work_total * max(1, problem.batch), n_threads, progress is not None)
    n_slices = len(bounds) - 1
    hits0 = _cache_stats(kfun)
    done = 0.0
    first_call = None
    # halt[0]: set to 1 on an interrupt, the kernels read it; halt[1]: the noise block (template.py)
    halt = np.array([0, NOISE_BLOCK], dtype=np.int64)
    for h, T in enumerate(horizons):
        P = problem.make_params(T)
        ckh = ck if not hd else np.array([T], dtype=np.int64)
        args = (x0, P, fp, fA, fb, theta, problem.batch, problem.n_aux, seed, T, ckh, x_star, f_star,
                track)
        if first_call is None:
            # a call on zero runs compiles (or loads) the kernel once, before the threads start
            tc = time.perf_counter()
            none = np.empty((0, 0), dtype=np.int64)
            _compile_or_load(kfun, lambda: kfun(0, *args, none, none, np.empty((N_SLOTS, len(ckh), 0)),
                                                np.empty(0, dtype=np.int64), np.empty((0, d)), halt))
            first_call = time.perf_counter() - tc
        # the random iterate's steps, drawn here for all runs at once (random_steps.py: vectorised
        # over runs, a loop over checkpoints) rather than compiled into the kernel
        taus, order = (random_steps(seed, 0, n_runs, ckh) if track & 4 else
                       (np.empty((n_runs, 0), dtype=np.int64),) * 2)
        slices = []
        for b in range(n_slices):
            r0, r1 = int(bounds[b]), int(bounds[b + 1])
            nb = r1 - r0
            slices.append((r0, r1, np.empty((N_SLOTS, len(ckh), nb)), np.full(nb, -1, dtype=np.int64),
                           np.empty((nb if keep_final else 0, d)), taus[r0:r1], order[r0:r1]))

        stop = threading.Event()  # set on an interrupt: slices not yet started are skipped

        def one(sl, args=args, stop=stop):
            if stop.is_set():
                return None
            kfun(sl[0], *args, sl[5], sl[6], sl[2], sl[3], sl[4], halt)
            return sl

        if work_total * max(1, problem.batch) <= _SLICE_MAX_WORK:
            finished = map(one, slices)  # short: in this thread
        else:
            # on worker threads even with one thread, so that this thread stays free to take a
            # Ctrl-C and set ``halt``, which the running kernels read every 1024 steps
            finished = _as_completed(_pool(n_threads), one, slices, stop)
        try:
            for r0, r1, rb, db, fb_, _, _ in finished:
                if hd:
                    res[:, h, r0:r1] = rb[:, 0, :]
                else:
                    res[:, :, r0:r1] = rb
                div[h, r0:r1] = db
                if keep_final and h == len(horizons) - 1:
                    final[r0:r1] = fb_
                if progress is not None:
                    done += T * (r1 - r0)
                    progress(done / (sum(horizons) * n_runs))
        except BaseException:  # Ctrl-C or an error: the running kernels stop within 1024 steps
            halt[0] = 1
            raise
    t_end = time.perf_counter()
    hits1 = _cache_stats(kfun)
    if hits1[1] > hits0[1]:
        how = "compiled"
    elif hits1[0] > hits0[0]:
        how = "loaded from disk cache"
    else:
        how = "in memory"

    meta = _metadata(problem, kern, names, hd, iterates)
    timing = {"total_s": t_end - t_start, "setup_s": t_gen - t_start, "kernel_import_s": t_import - t_gen,
              "first_call_s": first_call, "kernel": how, "threads": _threads(),
              "slices": n_slices, "horizons": len(horizons)}
    return Results(checkpoints=ck, metric_names=tuple(names), values=res[slots],
                   diverged_step=div, n_steps=n_steps, n_runs=n_runs, seed=seed, meta=meta,
                   timing=timing, final_x=final)


def _slices(n_runs: int, work: float, n_threads: int, progress: bool) -> np.ndarray:
    """Run boundaries [r_0 = 0, r_1, ..., n_runs] of the slices handed to the thread pool: one
    slice for small jobs, otherwise 4 per thread (so that a thread slowed down by another process
    does not hold up the rest), and at least 20 when progress is reported (16 runs per slice at
    least), and enough that no slice holds much more than _SLICE_MAX_WORK coordinate-steps (an
    interrupt is seen between slices). The split never changes the results: every run has its own
    stream."""
    if work < _POOL_MIN_WORK or n_runs < 2:
        k = 1
    else:
        k = min(n_runs, 4 * n_threads if n_threads > 1 else 1)
    if progress:
        k = max(k, min(20, n_runs // 16))
    k = min(n_runs, max(k, math.ceil(work / _SLICE_MAX_WORK)))
    return np.linspace(0, n_runs, max(k, 1) + 1).round().astype(int)


_POOLS: dict = {}  # (process id, n_threads) -> ThreadPoolExecutor
_POOLS_LOCK = threading.Lock()


def _pool(n_threads: int):
    """The engine's worker threads (the kernel releases the GIL): one pool per thread count
    (numba.set_num_threads may change it) and per process (a pool inherited through fork has no
    threads)."""
    from concurrent.futures import ThreadPoolExecutor

    key = (os.getpid(), n_threads)
    with _POOLS_LOCK:
        pool = _POOLS.get(key)
        if pool is None:
            pool = _POOLS[key] = ThreadPoolExecutor(n_threads, thread_name_prefix="boundcheck-engine")
    return pool


def _as_completed(pool, fn, items, stop: threading.Event):
    """fn(item) for every item on the pool, yielded in completion order (so progress advances).
    On an exception or an interrupt in the caller, ``stop`` is set and the queued items are
    cancelled: only the slices already running finish (and stop early when the caller sets the
    kernels' ``halt`` flag, as ``run`` does)."""
    from concurrent.futures import as_completed

    futures = [pool.submit(fn, it) for it in items]
    try:
        for f in as_completed(futures):
            yield f.result()
    finally:
        stop.set()
        for f in futures:
            f.cancel()


@contextlib.contextmanager
def _gc_paused():
    """Python's cyclic garbage collector paused (then restored as it was). numba's compiler and its
    cache loader create hundreds of thousands of objects, and the collector's passes over them took
    about a quarter of a warm start (measured with perf: gc_collect_main); none of those passes
    frees anything that matters for the few seconds the compilation lasts, and the collector runs
    as usual afterwards."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _compile_or_load(kfun, call: Callable[[], Any]) -> None:
    """``call()`` (a first call of the dispatcher ``kfun``) compiles the kernel or loads it from
    numba's cache, with the cyclic garbage collector paused; stored code that cannot be loaded
    (corrupt, truncated, empty) is removed and compiled again, with a CacheWarning."""
    with _gc_paused():
        if not _jit_disabled():
            lean_start()  # numba's first set-up without scipy.linalg (numba_start.py)
        _compile_or_load_now(kfun, call)


def _compile_or_load_now(kfun, call: Callable[[], Any]) -> None:
    try:
        call()
    except Exception as e:
        from .cache import remove_compiled, warn

        removed = remove_compiled(kfun)
        if not removed:
            raise
        call()  # an error that is not the cache's is raised again here, with no cache involved
        why = f"{type(e).__name__}: {str(e).splitlines()[0][:80]}" if str(e) else type(e).__name__
        warn(f"kernel cache: the stored compiled code ({', '.join(removed)}) could not be loaded ({why}); "
             "removed it and compiled the kernel again")


def _cache_stats(kfun) -> tuple[int, int]:
    st = getattr(kfun, "stats", None)
    if st is None:  # NUMBA_DISABLE_JIT: a plain function
        return (0, 0)
    return (sum(st.cache_hits.values()), sum(st.cache_misses.values()))


def _jit_disabled() -> bool:
    if "numba" not in sys.modules:
        return True
    from numba.core import config

    return bool(config.DISABLE_JIT)


def _threads() -> int:
    if "numba" not in sys.modules:
        return 1
    import numba

    try:
        return int(numba.get_num_threads())
    except Exception:  # pragma: no cover - numba without a threading layer
        return 1


def _metadata(problem: Problem, kern, names, hd: bool, iterates) -> dict:
    import numpy
    import platform

    bc_version = _bc_version()

    inst = problem.instance
    try:
        import numba

        nb_version = numba.__version__
    except ImportError:  # pragma: no cover
        nb_version = None
    return {
        "algorithm": problem.specs["algorithm"],
        "function": problem.specs["function"],
        "noise": problem.specs["noise"],
        "params": {"algorithm": _jsonable(problem.alg_params), "function": _jsonable(problem.fn_params),
                   "noise": _jsonable(problem.noise_params)},
        "problem_facts": _jsonable(problem.facts),
        "noise_facts": _jsonable(problem.noise_facts),
        "instance": {
            "function": inst.function, "generator": inst.generator, "d": inst.d,
            "f_star": _num(inst.f_star), "x_star_known": inst.x_star is not None,
            "constants": {k: {"value": _num(v.value), "method": v.method, "exact": bool(v.exact)}
                          for k, v in inst.constants.items()},
        },
        "batch": problem.batch,
        "oracle_calls_per_step": _calls_per_step(problem),
        "oracle": (f"update receives the {problem.batch} individual stochastic gradients of each step "
                   f"and {problem.n_aux} rows of N(0, 1) auxiliary draws" if problem.multi else
                   _finite_sum_oracle(inst, problem.algorithm) or
                   f"update receives the exact gradient plus the average of {problem.batch} noise draws"),
        "metric_names": list(names),
        "iterates": list(iterates) if iterates is not None else list(problem.algorithm.outputs),
        "iterate_convention": ITERATE_CONVENTION,
        "horizon_dependent": hd,
        "horizon_convention": ("each checkpoint T is its own run of horizon T (make_params(p, T, prob)), "
                               "with the same per-run noise streams") if hd else
                              "one run of horizon n_steps per seed; checkpoints are prefixes",
        "seeds": "run r uses a xoshiro256+ stream seeded by splitmix64(seed, r), r = 0..n_runs-1",
        "divergence": "a run stops at the first non-finite iterate or metric; its later checkpoints "
                      "are excluded from the statistics (n = runs used)",
        "statistics": "over non-diverged runs: mean, std (ddof=1), median, q10, q90 (numpy linear "
                      "quantiles), min, max, n",
        "kernel_hash": kern.hash,
        "kernel_module": kern.module_name,
        "versions": {"boundcheck": bc_version, "numpy": numpy.__version__, "numba": nb_version,
                     "python": platform.python_version()},
    }


def _finite_sum_oracle(inst, alg) -> str | None:
    from ..oracles.finite_sum import of

    fs = of(inst)
    if fs is None:
        return None
    vr = ("; variance reduction: update receives (grad f_i(query), grad f_i(anchor), grad F(anchor)), same i"
          if getattr(alg, "anchor", None) is not None else "")
    return fs.describe() + vr + " (index stream: splitmix64(seed XOR INDEX_KEY, r))"


def _calls_per_step(problem: Problem) -> int:
    f = getattr(problem.algorithm, "calls_per_step", None)
    if f is not None:
        return int(f(problem.alg_params))
    return int(getattr(problem.algorithm, "oracle_calls_per_step", 1)) * problem.batch


@functools.lru_cache(maxsize=1)
def _bc_version():
    try:
        from importlib.metadata import version

        return version("boundcheck")
    except Exception:  # pragma: no cover - not installed
        return None


def _num(v):
    if v is None:
        return None
    v = float(v)
    if math.isfinite(v):
        return v
    return "inf" if v > 0 else ("-inf" if v < 0 else "nan")


def _jsonable(d):
    if isinstance(d, Mapping):
        return {str(k): _jsonable(v) for k, v in d.items()}
    if isinstance(d, (list, tuple)):
        return [_jsonable(v) for v in d]
    if isinstance(d, (bool, np.bool_)):
        return bool(d)
    if isinstance(d, (int, np.integer)):
        return int(d)
    if isinstance(d, (float, np.floating)):
        return _num(d)
    if d is None or isinstance(d, str):
        return d
    return str(d)


__all__ = ["run", "kernel_for"]

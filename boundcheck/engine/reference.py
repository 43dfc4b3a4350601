"""The reference engine: the same algorithm files, run in plain numpy, one run at a time.

It shares nothing with the numba kernel except what defines the problem: the algorithm's
``init/query/update/output`` (executed as Python, so ops.py's numpy bodies run), the instance's
``value/grad`` kernels and the noise sampler, called from Python with the same per-run stream
(``rng.seed_state(seed, r)``), hence the same draws in the same order; a finite-sum instance's
component indices come from oracles/sampling.py with the same per-run index stream. The metric bookkeeping
(checkpoints, running average, running minima, divergence) is re-implemented here with numpy
reductions, so a conformance test comparing the two engines checks the kernel template as well as
the compilation of each algorithm.

Slow (a Python loop per step and per run): for tests and small cross-checks only.
"""
from __future__ import annotations

import time
from typing import Any, Mapping

import numpy as np

from ..plugins.blame import blames_plugins

from . import checkpoints as _ck
from .api import _metadata, _seed, _select
from .problem import resolve
from .random_steps import one_run
from .results import N_SLOTS, Results


def _py(f):
    return getattr(f, "py_func", f)


def _metrics(inst_value, inst_grad, data, x, x_star, f_star, gvec=None, fval=None):
    if gvec is None:
        gvec = np.empty_like(x)
        inst_grad(x, *data, gvec)
    f = inst_value(x, *data) if fval is None else fval
    dx = x - x_star
    vals = np.array([f - f_star, gvec @ gvec, np.abs(gvec).sum(), dx @ dx], dtype=np.float64)
    return vals, bool(np.isfinite(vals).all())


@blames_plugins  # an error in a plugin's code names the plugin (plugins/blame.py)
def run_reference(algorithm, function, noise=None, params: Mapping[str, Any] | None = None,
                  n_steps: int = 100, n_runs: int = 4, seed: int = 0, checkpoints=None, *,
                  iterates=None, keep_final: bool = False, python_kernels: bool = False) -> Results:
    """Same signature and ``Results`` as ``engine.run``. ``python_kernels=True`` also runs the
    function's value/grad kernels and the noise sampler as Python (their ``py_func``)."""
    from ..rng import fill_normal, seed_state

    t0 = time.perf_counter()
    n_steps = _ck.check_count("n_steps", n_steps)
    n_runs = _ck.check_count("n_runs", n_runs)
    seed = _seed(seed)
    ck = _ck.parse(checkpoints, n_steps) if checkpoints is None or isinstance(checkpoints, str) \
        else _ck.validate(checkpoints, n_steps)
    problem = resolve(algorithm, function, noise, params)
    from ..oracles.finite_sum import check as _finite_sum
    from ..oracles.sampling import identity, next_index, seed_index_stream

    fs = _finite_sum(problem)  # a finite sum: component gradients in the instance's sampling order
    grad_i = None if fs is None else (_py(fs.grad_i) if python_kernels else fs.grad_i)
    project = None if fs is None or fs.project is None else (_py(fs.project) if python_kernels else fs.project)
    anchor = getattr(problem.algorithm, "anchor", None) if fs is not None else None
    anchor = _py(anchor) if anchor is not None else None
    names, slots, track = _select(problem, iterates)
    track_min, track_mean, track_rand = bool(track & 1), bool(track & 2), bool(track & 4)
    alg, inst, nz = problem.algorithm, problem.instance, problem.noise
    weight = _py(alg.weight) if getattr(alg, "weight", None) is not None else None
    track_wmean = bool(track & 8) and weight is not None
    init, query, update = _py(alg.init), _py(alg.query), _py(alg.update)
    output = _py(alg.output) if alg.output is not None else None
    value, grad = (_py(inst.value), _py(inst.grad)) if python_kernels else (inst.value, inst.grad)
    sample = None if nz is None else (_py(nz.sample) if python_kernels else nz.sample)

    d = inst.d
    data = tuple(np.ascontiguousarray(a, dtype=np.float64) for a in inst.data)
    x0 = np.ascontiguousarray(inst.x0, dtype=np.float64)
    x_star = np.ascontiguousarray(inst.x_star, dtype=np.float64) if inst.x_star is not None else np.zeros(d)
    f_star = float(inst.f_star) if inst.f_star is not None else 0.0
    theta = problem.theta
    batch = problem.batch
    hd = problem.horizon_dependent()
    horizons = [int(T) for T in ck] if hd else [n_steps]
    res = np.full((N_SLOTS, len(ck), n_runs), np.nan)
    div = np.full((len(horizons), n_runs), -1, dtype=np.int64)
    final = np.empty((n_runs, d)) if keep_final else None
    with np.errstate(all="ignore"):
        for h, T in enumerate(horizons):
            P = problem.make_params(T)
            ckh = list(ck) if not hd else [T]
            cols = list(range(len(ck))) if not hd else [h]
            for r in range(n_runs):
                st = np.empty(4, dtype=np.uint64)
                seed_state(seed, r, st)
                if fs is not None:  # the run's index stream (oracles/sampling.py)
                    ist = np.empty(4, dtype=np.uint64)
                    seed_index_stream(seed, r, ist)
                    perm = identity(fs.n)
                s = init(x0.copy(), P)
                avg = x0.copy()
                mins = np.full(4, np.inf)
                msum = np.zeros(4)
                wsum, wtot = np.zeros(4), 0.0
                taus = one_run(seed, r, ckh) if track_rand else []  # random_steps.py: rng.py, one run at a time
                k = 0
                t = 0
                while True:
                    x = s.x
                    q = query(s, P)
                    g = np.empty(d)
                    grad(q, *data, g)
                    fx = value(q, *data) if alg.needs_value else 0.0
                    rec = k < len(ckh) and ckh[k] == t
                    if track or rec:
                        cur, ok = _metrics(value, grad, data, x, x_star, f_star)
                        if not ok:
                            div[h, r] = t
                            break
                        mins = np.minimum(mins, cur)
                    if rec:
                        j = cols[k]
                        res[0:4, j, r] = cur
                        va, ok = _metrics(value, grad, data, avg, x_star, f_star)
                        res[4:8, j, r] = va
                        res[8:12, j, r] = mins if track_min else np.nan
                        if output is not None:
                            vo, ok2 = _metrics(value, grad, data, np.asarray(output(s, P)), x_star, f_star)
                            res[12:16, j, r] = vo
                            ok = ok and ok2
                        res[16:20, j, r] = msum / t if track_mean else np.nan
                        res[24:28, j, r] = wsum / wtot if track_wmean else np.nan
                        if not ok:
                            res[:, j, r] = np.nan
                            div[h, r] = t
                            break
                        k += 1
                    if track_mean:
                        msum = msum + cur
                    if track_wmean:
                        wt = float(weight(s, P))
                        wtot += wt
                        wsum = wsum + wt * cur
                    for kk in range(k, len(ckh)):  # the random iterate of each later checkpoint
                        if track_rand and taus[kk] == t:
                            res[20:24, cols[kk], r] = cur
                    if t == T:
                        break
                    if fs is not None:  # g <- grad f_i(query), i from the oracle model
                        g = np.empty(d)
                        it = int(next_index(ist, perm, t, fs.order))
                        grad_i(q, it, *data, g)
                        if anchor is not None:  # variance reduction: (g_i(q), g_i(anchor), grad F(anchor))
                            ya = np.asarray(anchor(s, P))
                            GA = np.empty((3, d))
                            GA[0] = g
                            grad_i(ya, it, *data, GA[1])
                            grad(ya, *data, GA[2])
                            g = GA
                    if problem.multi:
                        G = np.empty((batch + problem.n_aux, d))
                        xi = np.empty(d)
                        for j in range(batch):
                            if sample is not None:
                                sample(st, theta, g, xi)
                                G[j] = g + xi
                            else:
                                G[j] = g
                        for j in range(problem.n_aux):
                            fill_normal(st, G[batch + j], 1.0)
                        g = G
                    elif sample is not None:
                        xi = np.empty(d)
                        if batch == 1:
                            sample(st, theta, g, xi)
                            g = g + xi
                        else:
                            acc = np.zeros(d)
                            for _ in range(batch):
                                sample(st, theta, g, xi)
                                acc += xi
                            g = g + acc * (1.0 / batch)
                    update(s, g, fx, P)
                    if project is not None:
                        project(s.x, *data)
                    t += 1
                    x = s.x
                    avg += (x - avg) * (1.0 / (t + 1))
                    if not np.isfinite(x.sum()):
                        div[h, r] = t
                        break
                if div[h, r] >= 0:  # a diverged run has no value at later checkpoints (random ones were set early)
                    res[:, cols[k:], r] = np.nan
                if keep_final and h == len(horizons) - 1:
                    final[r] = s.x
    meta = _metadata(problem, _RefKernel(), names, hd, iterates)
    return Results(checkpoints=ck, metric_names=tuple(names), values=res[slots], diverged_step=div,
                   n_steps=n_steps, n_runs=n_runs, seed=seed, meta=meta,
                   timing={"total_s": time.perf_counter() - t0, "kernel": "reference (numpy)"},
                   final_x=final)


class _RefKernel:
    hash = "reference"
    module_name = "boundcheck.engine.reference"


__all__ = ["run_reference"]

"""``boundcheck run ALGO[...] --function SPEC --noise SPEC``: one Monte Carlo experiment.

Prints a short summary (median and the 10%/90% quantiles over runs of the main metrics at up to
eight checkpoints), a progress bar on stderr for long runs when stderr is a terminal, and with ``--json PATH`` writes
the ``run`` JSON document (docs/engine.md) atomically (temporary file, then ``os.replace``).
"""
from __future__ import annotations

import sys

import click

# default table: the last iterate's gap, the method's output (or the average), the gradient
_DEFAULT_SHOW = (("f_gap@last", "f@last"), ("f_gap@out", "f@out", "f_gap@avg", "f@avg"), ("grad_sq@last",))


def _fmt(v) -> str:
    if v is None:
        return "-"
    if v == 0:
        return "0"
    a = abs(v)
    return f"{v:.4g}" if 1e-3 <= a < 1e5 else f"{v:.3e}"


def _pick_checkpoints(n: int, k: int = 8) -> list[int]:
    if n <= k:
        return list(range(n))
    import numpy as np

    return sorted(set(int(i) for i in np.round(np.linspace(0, n - 1, k))))


def write_json_atomic(path: str, text: str) -> None:
    """The JSON document ``text`` (plus a final newline), written atomically."""
    from ..atomic import write_text

    write_text(path, text + "\n")


@click.command("run")
@click.argument("algorithm", metavar="ALGO[k=v,...]")
@click.option("--function", "function", required=True, metavar="SPEC",
              help="function class spec, e.g. 'smooth-convex[L=1,d=10]'")
@click.option("--noise", default="none", show_default=True, metavar="SPEC",
              help="noise spec ('gaussian', 'pareto[beta=1.6]'), the shorthand 'alpha=1.5', or 'none'")
@click.option("--steps", type=int, default=1000, show_default=True, help="number of oracle steps N")
@click.option("--runs", type=int, default=100, show_default=True, help="number of independent runs")
@click.option("--seed", type=int, default=0, show_default=True, help="run r uses stream (seed, r)")
@click.option("--checkpoints", default=None, metavar="LIST",
              help="'1,10,100', 'geom[:PER_DECADE]' (default geom:5), 'lin:K' or 'all'")
@click.option("--iterates", default=None, metavar="LIST",
              help="subset of last,avg,min,out,mean,random (default: all the method has; mean = running "
                   "average of the metric over x_0..x_{N-1}, random = the metric at a uniformly random iterate)")
@click.option("--show", default=None, metavar="METRICS",
              help="metrics in the summary table, comma-separated, or 'all'")
@click.option("--json", "json_path", default=None, type=click.Path(dir_okay=False), metavar="PATH",
              help="write the full results (statistics per metric and checkpoint, metadata)")
def run(algorithm, function, noise, steps, runs, seed, checkpoints, iterates, show, json_path):
    """Run ALGO on generated instances, RUNS times, and summarize the metrics over runs.

    Example: boundcheck run 'clipped-sgd[gamma=0.1,c=1]' --function 'smooth-convex[L=1]'
    --noise gaussian --steps 2000 --runs 200 --seed 7 --json r.json
    """
    from .. import budget
    from ..engine import run as engine_run
    from ..engine.checkpoints import check_count
    from ..errors import ParamError

    # every input and size check before any computation, named as on the command line
    steps = check_count("--steps", steps)
    runs = check_count("--runs", runs)
    if not 0 <= seed < 2**63:
        raise ParamError(f"--seed must be an integer in [0, 2^63) (got {seed})")
    try:
        est = budget.run_request(algorithm, function, noise, steps, runs, checkpoints, False)
    except ParamError as e:  # the checkpoint grid names the engine's n_steps: this command's --steps
        raise ParamError(str(e).replace("n_steps", "--steps")) from None
    budget.check(est, "lower --runs, --steps or d")
    its = None if iterates is None else [s.strip() for s in iterates.split(",") if s.strip()]
    _check_show(algorithm, its, show)
    _check_outputs(("--json", json_path))
    from ..report.progress import Bar

    prog = Bar("run", total=100, unit="%")  # on a terminal only
    try:
        res = engine_run(algorithm, function, noise, n_steps=steps, n_runs=runs, seed=seed,
                         checkpoints=checkpoints, iterates=its, progress=prog.fraction if prog.active else None)
    finally:
        prog.close()
    if json_path:
        write_json_atomic(json_path, res.to_json())
    click.echo(summary(res, show))


def _check_outputs(*named, directories=(), kernels: bool = True) -> None:
    """Before computing anything: every output (option name, path; None when not asked for) and
    every output folder can be written, and so can the kernel cache (exit 2 otherwise)."""
    from ..atomic import check_writable
    from ..engine.cache import check_usable

    for name, path in named:
        check_writable(path, name)
    for name, path in directories:
        check_writable(path, name, directory=True)
    if kernels:
        check_usable()


def _check_show(algorithm, its, show) -> None:
    """--show names checked before the run: QUANTITY@ITERATE over the method's iterates (``f``
    stands for ``f_gap`` when f* is unknown; that and dist_sq without x* are checked after)."""
    if show is None or show.strip() == "all":
        return
    from ..engine.problem import resolve_algorithm
    from ..engine.results import QUANTITIES
    from ..errors import UnknownNameError

    alg, _ = resolve_algorithm(algorithm)
    known = {f"{q}@{it}" for q in QUANTITIES + ("f",) for it in (its or alg.outputs)}
    for n in (s.strip() for s in show.split(",") if s.strip()):
        if n not in known:
            raise UnknownNameError("metric", n, known)


def summary(res, show=None) -> str:
    m = res.meta
    tm = res.timing
    lines = [f"{m['algorithm']} on {m['function']}, noise {m['noise']}",
             f"{res.n_runs} runs x {res.n_steps} steps, seed {res.seed}; diverged: {res.diverged}"
             f"{' (horizon-dependent: one run of horizon T per checkpoint)' if m.get('horizon_dependent') else ''}"
             f"; kernel {m['kernel_hash'][:12]} {tm.get('kernel', '')}, {tm.get('total_s', 0):.2f} s"]
    if show is None:
        names = [next(n for n in group if n in res.metric_names) for group in _DEFAULT_SHOW
                 if any(n in res.metric_names for n in group)]
    elif show.strip() == "all":
        names = list(res.metric_names)
    else:
        names = [s.strip() for s in show.split(",") if s.strip()]
        for n in names:
            res[n]  # raises UnknownNameError with "did you mean"
    st = res.statistics(names)
    cols = _pick_checkpoints(len(res.checkpoints))
    w = max(12, max(len(n) for n in names) + 1)
    lines.append(f"{'metric':<{w}}{'T':>8}{'median':>12}{'q10':>12}{'q90':>12}{'mean':>12}{'n':>7}")
    for n in names:
        s = st[n]
        for j in cols:
            lines.append(f"{n:<{w}}{int(res.checkpoints[j]):>8}{_fmt(s['median'][j]):>12}"
                         f"{_fmt(s['q10'][j]):>12}{_fmt(s['q90'][j]):>12}{_fmt(s['mean'][j]):>12}{s['n'][j]:>7}")
    if res.diverged:
        lines.append(f"diverged runs by checkpoint: {res.diverged_by_checkpoint} (excluded from the statistics)")
    return "\n".join(lines)


__all__ = ["run", "summary", "write_json_atomic"]

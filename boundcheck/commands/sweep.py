"""``boundcheck sweep [ALGO] [--claim ID] --grid KEY=VALUES ...``: claims over parameter grids.

Prints one line per (grid point, claim): the verdict, what was measured with its interval (the
fitted exponent for rate claims) and the claimed value; then the totals, the statistical family
and how many tasks came from the cache. ``--out`` writes the tidy CSV, ``--plot`` the phase
diagram, both atomically. Progress goes to stderr. Interrupted (Ctrl-C, SIGTERM), it keeps every
finished task in the result cache and says so: the same command resumes. Exit codes as
``verify``: 0 every verdict as expected, 1 an unexpected verdict, 2 usage errors (before anything
runs: malformed or empty grids, values out of a parameter's domain, unreachable scheduler),
3 an engine could not compute an answer.
"""
from __future__ import annotations

import signal
import sys
import time

import click



def _measured(r: dict) -> str:
    if r["measured"] is None:
        return "-"
    ci = f" [{r['ci_low']:.3g}, {r['ci_high']:.3g}]" if r["ci_low"] is not None else ""
    return f"{r['measured']:.4g}{ci}"


@click.command("sweep")
@click.argument("algorithm", required=False, metavar="[ALGO]")
@click.option("--claim", "claim_ids", multiple=True, metavar="ID",
              help="claim id, or its prefix up to a '-' (repeatable); default: every claim of ALGO")
@click.option("--grid", "grids", multiple=True, metavar="KEY=VALUES",
              help="a:b:n (n points, inclusive) or a,b,c; keys noise.alpha, noise.K, function.K, algo.K, a claim "
                   "parameter K, noise, function (specs), seed, runs; repeat for a Cartesian product")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: worker processes on this machine; dask: an existing Dask cluster (--scheduler)")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT", help="the Dask scheduler (executor dask)")
@click.option("--workers", type=int, default=None, metavar="K",
              help="local worker processes, one numba thread each (default: all cores; 1 runs in this process)")
@click.option("--runs", type=int, default=None, help="Monte Carlo runs per task (default: each claim's own)")
@click.option("--seed", type=int, default=None, help="base seed (default: each claim's own)")
@click.option("--problems", multiple=True, metavar="DIR", help="catalogue folder or file (default: built-in)")
@click.option("--out", "out_path", default=None, type=click.Path(dir_okay=False), metavar="PATH.csv",
              help="write the table of every grid point and claim (CSV)")
@click.option("--plot", "plot_path", default=None, type=click.Path(dir_okay=False), metavar="PATH.png",
              help="phase diagram: measured (fitted exponent) vs the swept parameter, with the claimed curve")
@click.option("--report", "report_paths", multiple=True, type=click.Path(dir_okay=False),
              metavar="PATH.md|PATH.html", help="write the table (and, in HTML, the phase diagram inline) as a "
                                                "report; format from the extension; repeatable")
@click.option("--no-cache", is_flag=True, help="neither read nor write the result cache")
@click.option("--judged-only", is_flag=True,
              help="do not measure points outside a claim's check regime (they SKIP, as in verify)")
@click.option("--budget-tests", type=int, default=None, metavar="M",
              help="judge at the per-test level of a family of M tests (reproduce commands use it)")
@click.option("--require-evidence", "require_evidence", type=click.Choice(["strong", "moderate"]), default=None,
              help="report a PASS whose evidence grade is below this as INCONCLUSIVE, with the reason")
def sweep(algorithm, claim_ids, grids, executor, scheduler, workers, runs, seed, problems, out_path, plot_path,
          no_cache, judged_only, budget_tests, require_evidence=None, report_paths=()):
    """Run the claims of ALGO (or --claim ID) at every point of the --grid, and tabulate.

    Example: boundcheck sweep clipped-sgd --grid noise.alpha=1.2:2.0:5 --plot phase.png
    """
    t0 = time.perf_counter()
    from ..claims import load_catalogue, select
    from ..errors import UsageError
    from ..report.table import render
    from ..sweep import parse_grid, plan_sweep, plot, run_sweep, write_csv
    from ..sweep import cache as rcache
    from ..sweep.grid import fmt

    if not (algorithm or claim_ids):
        raise click.UsageError("say what to sweep: an algorithm (e.g. 'clipped-sgd') or --claim ID")
    axes = parse_grid(grids)
    if executor == "dask":
        from ..sweep.executors import check_address

        check_address(scheduler)
    elif scheduler:
        raise click.UsageError("--scheduler is for --executor dask")
    if algorithm:
        from .. import registry

        registry.algorithms.get(algorithm)
    claims = load_catalogue(list(problems) if problems else None)
    picked = select(claims, algorithm=algorithm, claim_id=list(claim_ids) or None)
    if not picked:
        raise UsageError(f"no claims for {algorithm!r} in the catalogue (see 'boundcheck list claims')")
    plan = plan_sweep(picked, axes, runs=runs, seed=seed, explore=not judged_only, budget_tests=budget_tests,
                      problems=problems, require_evidence=require_evidence)
    from .run import _check_outputs

    from ..report import outputs

    outputs.check(report_paths, plot_path)
    _check_outputs(("--out", out_path), ("--plot", plot_path), *(("--report", p) for p in report_paths),
                   directories=() if no_cache else (("the sweep result cache", rcache.cache_dir()),))
    from ..report.progress import Bar

    prog = Bar("sweep", unit="task", reports_done=True)  # on a terminal only; "[k/n]" = k tasks done
    old = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        how = "serial" if executor == "local" and workers == 1 else executor
        res = run_sweep(plan, executor=how, workers=workers, scheduler=scheduler, use_cache=not no_cache,
                        progress=prog)
    except KeyboardInterrupt:
        prog.close()
        n = sum(1 for t in plan.tasks if rcache.load(t.key(_fp())) is not None) if not no_cache else 0
        click.echo(f"boundcheck: interrupted: {n} of {len(plan.tasks)} task(s) are in the result cache; "
                   f"rerun the same command to resume", err=True)
        raise click.exceptions.Exit(130)
    finally:
        signal.signal(signal.SIGTERM, old)
        prog.close()
    keys = plan.keys
    table = [tuple(fmt(r[k]) for k in keys) + (r["claim"], r["verdict"] + ("" if r["judged"] or r["measured"] is None
                                                                              else "*"),
                                               _measured(r), "-" if r["bound"] is None else f"{r['bound']:.4g}")
             for r in res.rows]
    click.echo(render(list(keys) + ["claim", "verdict", "measured [CI]", "claimed", "evidence"],
                      [row + (_grade(r),) for row, r in zip(table, res.rows)], max_width=60))
    counts = {v: sum(1 for r in res.rows if r["verdict"] == v) for v in ("PASS", "FAIL", "INCONCLUSIVE", "SKIP")}
    explored = sum(1 for r in res.rows if not r["judged"] and r["measured"] is not None)
    if explored:
        click.echo(f"  * measured outside the claim's check regime (catalogue key 'regime'): shown, not judged")
    budget_text = (f"false-alarm budget: P(any false FAIL) <= {1 - min(c.check.confidence for c in plan.claims):g} "
                   f"over the {plan.budget_tests} tests of this sweep (Bonferroni; per test "
                   f"{res.rows[0]['per_test_alpha']:.3g})")
    click.echo(budget_text)
    from ..atomic import staged

    with staged():  # both outputs, or neither
        if out_path:
            write_csv(res.rows, keys, out_path)
        if plot_path:
            plot(res, plot_path)
        from ..report import sweep_report

        sweep_report.write(res, list(keys) + ["claim", "verdict", "measured [CI]", "claimed", "evidence"],
                           [row + (_grade(r),) for row, r in zip(table, res.rows)],
                           [f"Command: {_command_text(algorithm, claim_ids, grids, runs, seed)}", budget_text]
                           + (["* measured outside the claim's check regime: shown, not judged"] if explored else []),
                           report_paths)
    if out_path:
        click.echo(f"table: {out_path} ({len(res.rows)} rows)")
    if plot_path:
        click.echo(f"plot: {plot_path}")
    click.echo(f"{len(plan.points)} grid point(s), {len(res.rows)} row(s): {counts['PASS']} PASS, {counts['FAIL']} FAIL, "
               f"{counts['INCONCLUSIVE']} INCONCLUSIVE, {counts['SKIP']} SKIP; {res.unexpected} unexpected; "
               f"{len(plan.tasks)} task(s): {res.computed} run, {res.cached} from the cache; exit {res.exit_code}; "
               f"took {time.perf_counter() - t0:.1f} s")
    if res.exit_code:
        raise click.exceptions.Exit(res.exit_code)


def _command_text(algorithm, claim_ids, grids, runs, seed) -> str:
    import shlex

    parts = ["boundcheck", "sweep"] + ([algorithm] if algorithm else [])
    parts += [x for c in claim_ids for x in ("--claim", c)] + [x for g in grids for x in ("--grid", g)]
    parts += (["--runs", str(runs)] if runs is not None else []) + (["--seed", str(seed)] if seed is not None else [])
    return " ".join(shlex.quote(p) for p in parts)


def _grade(r: dict) -> str:
    if not r.get("evidence"):
        return "-"
    g = r["evidence"].upper() if r["evidence"] == "weak" else r["evidence"]
    sym = "k" if r.get("resolution_kind") == "factor" else "d"
    return f"{g} {sym}={r['resolution']:.3g}" if r.get("resolution") is not None else f"{g} {sym}=inf"


def _fp() -> str:
    from ..sweep.fingerprint import code_fingerprint

    return code_fingerprint()


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


__all__ = ["sweep"]

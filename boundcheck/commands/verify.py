"""``boundcheck verify [ALGO] [--all] [--claim ID] ...``: check catalogue claims, print verdicts.

Prints the verdict table (claim, kind, engine, measured, bound, CI, verdict, reproduce command),
the reasons (SKIP, FAIL, INCONCLUSIVE), the false-alarm budget and "took X s"; a progress bar goes to
stderr on a terminal only (report/progress.py). ``--json``/``--report``/``--plot`` are written atomically. Exit codes (docs/verify.md):
0 every verdict as expected, 1 an unexpected FAIL (or an unexpected PASS of a claim the catalogue
records as FAIL: strict xfail), 2 usage or input errors (before anything runs), 3 an engine
could not compute an answer (solver failure) and nothing was unexpected.
"""
from __future__ import annotations

import json
import shlex
import sys
import time

import click


def _command(algorithm, all_, noise, function, claim_ids, runs, seed, problems) -> str:
    parts = ["boundcheck", "verify"] + ([algorithm] if algorithm else []) + (["--all"] if all_ else [])
    for cid in claim_ids:
        parts += ["--claim", cid]
    for p in problems:
        parts += ["--problems", p]
    if noise:
        parts += ["--noise", noise]
    if function:
        parts += ["--function", function]
    if runs is not None:
        parts += ["--runs", str(runs)]
    if seed is not None:
        parts += ["--seed", str(seed)]
    return " ".join(shlex.quote(p) for p in parts)


@click.command("verify")
@click.argument("algorithm", required=False, metavar="[ALGO]")
@click.option("--all", "all_", is_flag=True, help="verify every claim of the catalogue")
@click.option("--noise", default=None, metavar="SPEC|k=v",
              help="'alpha=1.5' sets alpha of the claims that declare it (noise with a bounded alpha-th moment; "
                   "the catalogue's family, e.g. pareto with tail index alpha+0.1, NOT alpha-stable); "
                   "'pareto[beta=1.6]' or 'gaussian' replaces the noise model")
@click.option("--function", default=None, metavar="SPEC|k=v",
              help="'smooth-convex[L=2]' replaces the function class; 'L=2' sets the claim's parameter L "
                   "(bound and instance together), else the class parameter")
@click.option("--claim", "claim_ids", multiple=True, metavar="ID",
              help="claim id, or its prefix up to a '-' (T07 selects T07-...); repeatable")
@click.option("--runs", type=int, default=None, help="Monte Carlo runs per N (default: each claim's own)")
@click.option("--seed", type=int, default=None, help="base seed (default: each claim's own)")
@click.option("--problems", multiple=True, metavar="DIR",
              help="catalogue folder or file (repeatable); default: the built-in problems/")
@click.option("--budget-tests", type=int, default=None, metavar="M",
              help="split the false-alarm budget over M tests (default: the tests of this run); reproduce "
                   "commands use it to re-check one claim at the level of the run it came from")
@click.option("--json", "json_path", default=None, type=click.Path(dir_okay=False), metavar="PATH",
              help="write the verdicts as JSON (docs/verify.md#json---json-path)")
@click.option("--report", "report_path", multiple=True, type=click.Path(dir_okay=False), metavar="PATH.md|PATH.html",
              help="write a report, format from the extension: .md (Markdown) or .html (self-contained, "
                   "figures inline); repeatable, so one run writes both")
@click.option("--plot", "plot_path", default=None, type=click.Path(dir_okay=False), metavar="PATH.png",
              help="metric vs N with the verdict's bands and the claimed bound, one panel per claim; "
                   "format from the extension (.png, .pdf, .svg)")
@click.option("--require-evidence", "require_evidence", type=click.Choice(["strong", "moderate"]), default=None,
              help="report a PASS whose evidence grade is below this as INCONCLUSIVE, with the reason")
def verify(algorithm, all_, noise, function, claim_ids, runs, seed, problems, budget_tests, json_path, report_path,
           plot_path, require_evidence=None):
    """Check the catalogue's claims for ALGO (or --claim ID, or --all) and print the verdicts.

    Example: boundcheck verify clipped-sgd --noise alpha=1.5
    """
    t0 = time.perf_counter()
    from ..claims import load_catalogue, select
    from ..errors import UsageError
    from ..verify import parse_overrides, verify_claims
    from ..verify import render
    from ..atomic import write_text
    from .run import write_json_atomic

    if not (algorithm or all_ or claim_ids):
        raise click.UsageError("say what to verify: an algorithm (e.g. 'clipped-sgd'), --claim ID, or --all")
    if algorithm and all_:
        raise click.UsageError("give either ALGO or --all, not both")
    claims = load_catalogue(list(problems) if problems else None)
    if not claims:
        where = ", ".join(problems) if problems else "the built-in catalogue"
        raise UsageError(f"{where}: no claim files found (a catalogue is *.toml files with [[claim]] tables; "
                         f"see docs/claims.md)")
    picked = select(claims, algorithm=algorithm, claim_id=list(claim_ids) or None)
    if algorithm:
        from .. import registry

        registry.algorithms.get(algorithm)  # unknown name: exit 2 with "did you mean"
    if not picked:
        raise UsageError(f"no claims for {algorithm if algorithm else 'this selection'!r} in the catalogue"
                         + (f" ({', '.join(problems)})" if problems else "") + " (see 'boundcheck list claims')")
    ov = parse_overrides(noise, function)
    cmd = _command(algorithm, all_, noise, function, claim_ids, runs, seed, problems)
    if budget_tests is not None:
        cmd += f" --budget-tests {budget_tests}"
    if require_evidence:
        cmd += f" --require-evidence {require_evidence}"
    from .run import _check_outputs

    from ..report import outputs

    outputs.check(report_path, plot_path)
    _check_outputs(("--json", json_path), *(("--report", p) for p in report_path), ("--plot", plot_path))
    finished = []  # the report of the claims finished so far, written (marked partial) on an interrupt
    from ..report.progress import Bar

    prog = Bar("verify", unit="claim")  # a bar on a terminal; nothing on stderr otherwise
    if prog.active:  # weigh claims by the cost model's estimated time (report/eta.py)
        from ..report.eta import claim_weights

        prog.weigh(claim_weights(picked, ov, runs), "s (est.)")
    try:
        report = verify_claims(picked, ov, runs=runs, seed=seed, noise_text=noise, function_text=function,
                               command=cmd, progress=prog, on_claim=finished.append, budget_tests=budget_tests,
                               require_evidence=require_evidence)
    except KeyboardInterrupt:
        prog.close()
        click.echo(f"boundcheck: interrupted: {_write_partial(finished[-1] if finished else None, picked, json_path, report_path)}",
                   err=True)
        raise click.exceptions.Exit(130)
    finally:
        prog.close()
    click.echo(render.table(report))
    for line in render.reasons(report):
        click.echo("  " + line)
    click.echo(render.budget_line(report))
    from ..atomic import staged

    with staged():  # all the outputs, or none of them (a failing plot leaves no JSON behind)
        if json_path:
            write_json_atomic(json_path, json.dumps(report.as_dict(), indent=1, allow_nan=False))
        outputs.write_verify(report, report_path)
        if plot_path:
            render.plot(report, plot_path)
    click.echo(f"{render.summary_text(report)}; exit {report.exit_code}; took {time.perf_counter() - t0:.1f} s")
    if report.exit_code:
        raise click.exceptions.Exit(report.exit_code)


def _write_partial(report, picked, json_path, report_path) -> str:
    """Write the claims that finished before an interrupt to --json/--report, marked partial
    (JSON ``"partial": true``, the planned and the missing claim ids); say what was written."""
    done = len(report.results) if report is not None else 0
    head = f"{done} of {len(picked)} claim(s) finished"
    if report is None or not (json_path or report_path):
        return head + "; nothing was written" + ("" if report is None else " (no --json or --report given)")
    from ..atomic import staged, write_text
    from ..verify import render
    from .run import write_json_atomic

    ids = {r.claim.id for r in report.results}
    missing = [c.id for c in picked if c.id not in ids]
    with staged():
        if json_path:
            doc = report.as_dict()
            doc.update(partial=True, claims_planned=[c.id for c in picked], claims_not_run=missing)
            write_json_atomic(json_path, json.dumps(doc, indent=1, allow_nan=False))
        from ..report import outputs

        outputs.write_verify(report, report_path, f"**Partial report**: interrupted after {head}; not run: "
                                                  f"{', '.join(missing)}.")
    paths = " and ".join(p for p in (json_path, *report_path) if p)
    return f"{head}; they are in {paths}, marked partial (no plot)" if done else head


__all__ = ["verify"]

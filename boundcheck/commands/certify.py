"""``boundcheck certify ALGO[...] --function SPEC --N N``: the worst case by PEP, and its certificate.

Builds the PEP from the algorithm file and the class's conditions (boundcheck/pep), solves it with a
named solver (cutting planes unless ``--all-pairs``), prints the bound (the dual value), the primal
value, the closed form when the registry (pep/closed_forms.py) knows one, and the certificate path.
``--exact`` proves the bound in exact arithmetic (pep/certificate.py) and prints it as a rational.

JSON (docs/engine.md): ``value`` (dual value), ``primal``, ``status``, ``certificate`` (path or
null), and with ``--exact`` ``upper`` ("p/q") and ``lower`` ("p/q" or null); further keys
(solver, closed_form, relaxation, rows, timing) are extensions. Exit 2 on bad input, 3 when the
solver is inaccurate or fails (unless ``--accept-inaccurate``) or a certificate does not verify.
"""
from __future__ import annotations

import json

import click


def _fmt(v: float) -> str:
    return f"{v:.10g}"


def _certificate(result, out, exact: bool):
    """(path, upper, lower, rel_gap, note). Without --exact a writing failure is a note, not an error."""
    try:
        from ..pep import certificate as cert
    except ImportError:  # the certificate module is another engineer's; it may be absent
        if exact:
            from ..errors import CertificateError

            raise CertificateError("exact certificates are not available (boundcheck.pep.certificate missing)")
        return None, None, None, None, "certificate module not available"
    if exact:
        o = cert.certify_exact(result, out)
        return (str(o.path) if o.path else None), o.upper, o.lower, o.rel_gap, None
    if out is None:
        return None, None, None, None, None
    from ..errors import CertificateError

    try:
        return str(cert.write_certificate(result, out)), None, None, None, None
    except CertificateError as e:
        return None, None, None, None, f"not written: {e}"


@click.command("certify")
@click.argument("algorithm", metavar="ALGO[k=v,...]")
@click.option("--function", "function", required=True, metavar="SPEC",
              help="function class spec, e.g. 'smooth-convex[L=1]' (R sets ||x0 - x*||)")
@click.option("--N", "N", required=True, type=int, help="number of steps (oracle calls of the method)")
@click.option("--measure", default="f-gap", show_default=True,
              help="f-gap, f-gap-last, f-best, grad-min, grad-sq, dist, dist-last, step-sq (||x_N - x_{N-1}||^2)")
@click.option("--init", "init", default="dist", show_default=True, metavar="NAME[k=v]",
              help="dist[R=..] (||x0-x*|| <= R), f-gap[F0=..], f-decrease[F0=..], "
                   "potential[E0=..] (f(x0)-f*+mu/2||x0-x*||^2 <= E0)")
@click.option("--exact", is_flag=True, help="prove the bound in exact rational arithmetic")
@click.option("--out", default="certificates", show_default=True, metavar="DIR",
              help="where the certificate JSON is written")
@click.option("--json", "json_path", default=None, metavar="PATH", help="write the result as JSON")
@click.option("--solver", default=None, metavar="NAME",
              help="CLARABEL or SCS (default: CLARABEL for Gram size <= 25, else SCS with eps 1e-9)")
@click.option("--all-pairs", is_flag=True, help="solve the full SDP (no cutting planes)")
@click.option("--accept-inaccurate", is_flag=True,
              help="report an 'inaccurate' solve (status inaccurate) instead of exiting 3")
@click.option("--replay", is_flag=True,
              help="rebuild the worst case as a function of the class, run the method on it (engine, float64; "
                   "with --exact also in extended precision) and check that it attains the PEP value")
@click.option("--proof", "proof_path", default=None, type=click.Path(dir_okay=False), metavar="PATH.md|PATH.tex",
              help="with --exact: write the certificate as a readable proof (measure, named inequalities with "
                   "exact multipliers, S = L D L^T, the identity); .tex compiles standalone")
def certify(algorithm, function, N, measure, init, exact, out, json_path, solver, all_pairs, accept_inaccurate,
            replay=False, proof_path=None):
    """Worst case of ALGO on a function class after N steps (PEP), with a certificate."""
    from ..pep import closed_forms
    from ..pep.build import build
    from ..pep.measures import INITS, MEASURES
    from ..pep.solve import SOLVERS, solve

    from .run import _check_outputs

    from .. import budget

    if N >= 1:  # N < 1 is build's one-line error
        budget.check(budget.pep(N), "lower --N")
    if solver is not None and solver.upper() not in SOLVERS:  # before building anything
        from ..errors import UnknownNameError

        raise UnknownNameError("SDP solver", solver, SOLVERS)
    if proof_path is not None:
        from pathlib import Path

        if Path(proof_path).suffix.lower() not in (".md", ".tex"):
            raise click.UsageError(f"--proof {proof_path}: the format comes from the extension; use .md or .tex")
        if not exact:
            raise click.UsageError("--proof needs --exact (the proof is the exact certificate, written out)")
        if not out:
            raise click.UsageError("--proof needs the certificate written (--out DIR)")
    model = build(algorithm, function, N, measure, init)
    _check_outputs(("--json", json_path), ("--proof", proof_path), directories=(("the certificates folder (--out)", out),) if out else (),
                   kernels=False)
    from ..report.progress import Bar

    bar = Bar("certify", unit="round")  # cutting-plane rounds; on a terminal only
    try:
        res = solve(model, solver=solver, cuts=not all_pairs, accept_inaccurate=accept_inaccurate,
                    progress=bar.step if bar.active else None)
    finally:
        bar.close()
    meta = res.problem.meta
    cf = closed_forms.lookup(model)

    ini = INITS[meta["init"].split("[")[0]]
    ip = ", ".join(f"{k}={v:g}" for k, v in meta["init_params"].items())
    click.echo(f"PEP: {meta['algorithm']} on {meta['function']}, N={meta['N']}")
    click.echo(f"  measure: {meta['measure']}: {MEASURES[meta['measure']].doc}")
    click.echo(f"  init:    {ini.doc}" + (f" ({ip})" if ip else ""))
    click.echo(f"bound:       {_fmt(res.value)}  (dual value; primal {_fmt(res.primal)}, status {res.status}, "
               f"solver {res.solver}, {res.rounds} round(s), {res.problem.m} of {meta['rows_total']} rows)")
    if cf is not None:
        form, v = cf
        click.echo(f"closed form: {_fmt(v)}  = {form.formula}  [{form.tag}, {form.kind}]; "
                   f"relative difference {(res.value - v) / v:+.2e}")
    else:
        click.echo("closed form: none known for this (algorithm, class, measure, init)")
    if res.relaxation:
        click.echo("relaxation:  yes, an upper bound that need not be tight (" + "; ".join(res.relaxed_parts) + ")")
    if res.support_note:
        click.echo("support:     " + res.support_note)
    prov = meta.get("provenance")
    if prov:
        click.echo(f"provenance:  {prov['overall']}: the value is {prov['value_is']}")
        for cd in prov["conditions"]:
            click.echo(f"  [{cd['provenance']}] {cd['condition']}: {cd['formula']}  ({cd['reference'] or 'no reference'})")
        for cd in prov.get("omitted", []):
            click.echo(f"  [omitted, not Gram-expressible] {cd['condition']}: {cd['formula']}")
    cert_error = None
    try:
        bar = Bar("certify: exact check", total=1, unit="check") if exact else None
        if bar is not None:
            bar.step("rational multipliers, LDL^T of S", 0)
        try:
            path, upper, lower, rel_gap, note = _certificate(res, out, exact)  # numbers above are printed first
        finally:
            if bar is not None:
                bar.close()
    except Exception as e:  # noqa: BLE001 - with --replay the replay still runs, then the error is raised
        from ..errors import CertificateError

        if not (replay and isinstance(e, CertificateError)):
            raise
        cert_error, exact = e, False
        path, upper, lower, rel_gap, note = None, None, None, None, f"no exact certificate: {e}"
        click.echo(f"exact:       not produced ({e}); the replay runs against the numerical value")
    if exact:
        click.echo(f"exact upper: {upper}  (= {float(__import__('fractions').Fraction(upper)):.10g}, "
                   f"{rel_gap:+.1e} relative to the numerical value)")
        click.echo(f"exact lower: {lower if lower is not None else 'none (no two-sided certificate)'}")
    click.echo(f"certificate: {path if path else '-'}" + (f"  ({note})" if note else ""))
    proof = None
    if proof_path and path:
        from ..pep.proof_write import write_proof

        line, proof = write_proof(path, proof_path)
        click.echo(line)
    rp = None
    if replay:
        from .certify_replay import echo_replay, run_replay

        rp = run_replay(model, res, extended=exact, upper=upper, solver=solver, cuts=not all_pairs)
        echo_replay(rp, res.value, upper, lower)

    if json_path:
        doc = dict(value=res.value, primal=res.primal, status=res.status, certificate=path)
        if exact:
            doc.update(upper=upper, lower=lower)
        doc.update(solver=res.solver, relaxation=res.relaxation, relaxed_parts=list(res.relaxed_parts),
                   support_note=res.support_note or None,
                   provenance=meta.get("provenance"),
                   closed_form=None if cf is None else dict(tag=cf[0].tag, kind=cf[0].kind, formula=cf[0].formula,
                                                            value=cf[1]),
                   algorithm=meta["algorithm"], function=meta["function"], N=meta["N"], measure=meta["measure"],
                   init=meta["init"], rows=res.problem.m, rows_total=meta["rows_total"], rounds=res.rounds,
                   timing=res.times)
        if rp is not None:
            doc["replay"] = rp.to_json()
        if proof is not None:  # the bound the proof document proves (at most upper; = lower when tight)
            doc["proof"] = dict(path=proof_path, bound=str(proof.bound), rows=len(proof.rows))
        from .run import write_json_atomic

        write_json_atomic(json_path, json.dumps(doc, indent=1))
    if cert_error is not None:
        raise cert_error
    if rp is not None and not rp.confirmed:
        from ..errors import ComputationError

        raise ComputationError(f"replay: {rp.message}")

"""``certify --replay``: print the closed loop (pep/replay.py) next to the PEP's numbers."""
from __future__ import annotations

from fractions import Fraction

import click


def run_replay(model, res, extended: bool, upper: str | None = None, solver: str | None = None,
               cuts: bool = True):
    """The replay (re-solved in the worst case's own scaling when the first solve was too coarse
    to answer: polish.py), judged against the exact upper bound when there is one."""
    from ..pep.polish import replay_polished
    from ..pep.replay import judge_extended

    _, rp = replay_polished(model, res, extended=extended, solver=solver, cuts=cuts)
    if rp.extended is not None:
        judge_extended(rp, upper)
    return rp


def echo_replay(rp, value: float, upper: str | None, lower: str | None) -> None:
    click.echo("replay:      the worst case rebuilt as a function and the method run on it")
    click.echo(f"  instance:  {rp.instance}  (dimension {rp.dimension}; {rp.construction})")
    click.echo(f"  class:     {'in class' if rp.in_class else 'NOT in class'}: {rp.check}")
    if rp.polished is not None:
        pl = rp.polished
        click.echo(f"  re-solved:   in the worst case's own scaling (the first solve, {pl['from_solver']}, had a "
                   f"primal-dual gap {pl['from_gap']:.1e} of the value, too coarse for 1e-6; now {pl['gap']:.1e})")
        value = rp.value
    click.echo(f"  PEP value:   {value:.12g}")
    if upper is not None:
        click.echo(f"  exact upper: {float(Fraction(upper)):.12g}")
        click.echo(f"  exact lower: {float(Fraction(lower)):.12g}" if lower is not None
                   else "  exact lower: none")
    else:
        click.echo("  exact upper: none (no exact certificate; compared with the numerical value)")
    click.echo(f"  attained:    {rp.attained:.12g}  ({rp.metric}, engine, float64, one run; "
               f"{rp.rel_diff:+.1e} relative to the PEP value)")
    if rp.extended is not None:
        e = rp.extended
        line = f"  attained:    {e['attained_mp']}  (extended precision, {e['dps']} digits; KKT residual {e['kkt']:.1e})"
        click.echo(line)
    click.echo(f"  verdict:   {rp.message}")

"""``boundcheck check-plugin FILE.py|NAME``: the conformance battery the built-ins pass, run on a
plugin (boundcheck/plugins/conformance_*.py), one line per check: PASS, FAIL (with why) or N/A.

Exit 0 when no check fails, 1 when one does, 2 when the plugin cannot be loaded (PluginError).
Checking a file imports it, as pointing boundcheck at its folder would.
"""
from __future__ import annotations

import click


@click.command("check-plugin")
@click.argument("target", metavar="FILE.py|NAME")
@click.option("--no-nojit", is_flag=True, help="skip the NUMBA_DISABLE_JIT comparison (a subprocess)")
def check_plugin(target, no_nojit):
    """Run the built-ins' conformance checks on a plugin file (or a registered name)."""
    from ..plugins.battery import run_battery, specs_for
    from ..plugins.register import kind_of
    from ..plugins.report import failed

    n_fail = 0
    for spec, file in specs_for(target):
        click.echo(f"{kind_of(spec)} {spec.name!r} ({file or 'built-in'}):")
        checks = run_battery(spec, file, nojit=not no_nojit)
        for c in checks:
            click.echo("  " + c.line())
        bad = failed(checks)
        n_fail += len(bad)
        n_na = sum(c.status == "n/a" for c in checks)
        click.echo(f"  {len(checks) - len(bad) - n_na} passed, {len(bad)} failed, {n_na} not applicable")
    return 1 if n_fail else 0

"""``boundcheck cache info|clear``: the engine's generated kernels (boundcheck/engine/cache.py) and
the sweep result cache (boundcheck/sweep/cache.py)."""
from __future__ import annotations

import click


@click.group("cache")
def cache():
    """Inspect or clear the caches: generated Monte Carlo kernels and sweep results."""


@cache.command("info")
def info_cmd():
    """Where the caches are, what they hold, and their size on disk."""
    from ..engine import cache as kc
    from ..sweep import cache as rc

    i = kc.info()
    click.echo(f"kernel cache: {i['path']}")
    click.echo(f"  kernels: {i['n_kernels']}, compiled-code files: {i['n_compiled_files']}, "
               f"size: {i['bytes'] / 1e6:.1f} MB")
    if i["numba_cache_dir"]:
        click.echo(f"  NUMBA_CACHE_DIR is set: compiled code goes to {i['numba_cache_dir']}")
    for k in i["kernels"]:
        click.echo(f"    {k}")
    r = rc.info()
    click.echo(f"sweep result cache: {r['path']}")
    click.echo(f"  results: {r['n_results']} (one per claim and grid point), size: {r['bytes'] / 1e6:.1f} MB")


@cache.command("clear")
@click.option("--kernels", "only_kernels", is_flag=True, help="clear only the generated kernels")
@click.option("--results", "only_results", is_flag=True, help="clear only the sweep results")
def clear_cmd(only_kernels, only_results):
    """Remove cached kernels (rebuilt on demand) and sweep results (recomputed on the next sweep)."""
    from ..engine import cache as kc
    from ..sweep import cache as rc

    both = not (only_kernels or only_results)
    if both or only_kernels:
        click.echo(f"removed {kc.clear()} kernel(s) from {kc.cache_dir()}")
    if both or only_results:
        click.echo(f"removed {rc.clear()} sweep result(s) from {rc.cache_dir()}")


__all__ = ["cache"]

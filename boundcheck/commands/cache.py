"""``boundcheck cache info|clear``: the engine's generated-kernel cache (boundcheck/engine/cache.py)."""
from __future__ import annotations

import click


@click.group("cache")
def cache():
    """Inspect or clear the cache of generated Monte Carlo kernels."""


@cache.command("info")
def info_cmd():
    """Where the kernels are, how many, and their size on disk."""
    from ..engine import cache as c

    i = c.info()
    click.echo(f"kernel cache: {i['path']}")
    click.echo(f"kernels: {i['n_kernels']}, compiled-code files: {i['n_compiled_files']}, "
               f"size: {i['bytes'] / 1e6:.1f} MB")
    if i["numba_cache_dir"]:
        click.echo(f"NUMBA_CACHE_DIR is set: compiled code goes to {i['numba_cache_dir']}")
    for k in i["kernels"]:
        click.echo(f"  {k}")


@cache.command("clear")
def clear_cmd():
    """Remove every generated kernel and its compiled code (they are rebuilt on demand)."""
    from ..engine import cache as c

    n = c.clear()
    click.echo(f"removed {n} kernel(s) from {c.cache_dir()}")


__all__ = ["cache"]

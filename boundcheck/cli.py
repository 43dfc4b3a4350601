"""The ``boundcheck`` command line: the only module (with commands/) that prints.

Errors are one line on stderr, ``boundcheck: error: ...``, with the exit codes of docs/verify.md#exit-codes:
2 for usage and input errors (unknown names with "did you mean", parameters out of domain,
malformed specs or files), 3 when no trustworthy answer could be computed (solver failure).
Commands live in boundcheck/commands/ and are imported only when invoked, so ``boundcheck list``
stays fast.
"""
from __future__ import annotations

import importlib
import sys

import click

from .errors import BoundcheckError

# name -> "module:attribute" of a click command in boundcheck/commands/
LAZY = {
    "run": "boundcheck.commands.run:run",
    "certify": "boundcheck.commands.certify:certify",
    "check-certificates": "boundcheck.commands.check_certificates:check_certificates",
    "verify": "boundcheck.commands.verify:verify",
    "sweep": "boundcheck.commands.sweep:sweep",
    "cache": "boundcheck.commands.cache:cache",
    "check-plugin": "boundcheck.commands.check_plugin:check_plugin",
}


def _available(target: str) -> bool:
    mod = target.split(":")[0]
    return importlib.util.find_spec(mod) is not None


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | {k for k, v in LAZY.items() if _available(v)})

    def get_command(self, ctx, name):
        if name in LAZY and _available(LAZY[name]):
            mod, attr = LAZY[name].split(":")
            return getattr(importlib.import_module(mod), attr)
        return super().get_command(ctx, name)

    def resolve_command(self, ctx, args):
        name = args[0] if args else None
        if name is not None and self.get_command(ctx, name) is None and not name.startswith("-"):
            import difflib

            close = difflib.get_close_matches(name, self.list_commands(ctx), n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise click.UsageError(f"unknown command {name!r}{hint} (commands: {', '.join(self.list_commands(ctx))})")
        return super().resolve_command(ctx, args)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="boundcheck")
def cli():
    """Check optimization theorems against computation."""


_PROBLEMS = click.option("--problems", multiple=True, metavar="DIR",
                         help="catalogue folder or file for claims (repeatable); default: the built-in problems/")


@cli.command("list")
@click.argument("kind", type=click.Choice(["functions", "noise", "algorithms", "claims"]), metavar="KIND")
@_PROBLEMS
def list_cmd(kind, problems):
    """List the registry: function classes, noise models, algorithms or claims."""
    from .describe import list_entries

    if problems and kind != "claims":
        raise click.UsageError("--problems applies to 'list claims' only")
    click.echo(list_entries(kind, problems))


@cli.command("info")
@click.argument("spec")
@_PROBLEMS
def info_cmd(spec, problems):
    """Describe NAME or NAME[k=v,...] (definition, parameters and domains, certified constants),
    or a claim CLAIM-ID (statement, setting, assumptions, citation, notes, expected verdict)."""
    from .describe import info

    click.echo(info(spec, problems))


def _one_line_warning(message, category, filename, lineno, file=None, line=None):
    """Warnings the library emits for the user (a cache entry rebuilt, ...): one stderr line."""
    click.echo(f"boundcheck: warning: {str(message).splitlines()[0] if str(message) else category.__name__}",
               err=True)


def main(argv=None) -> int:
    """Entry point: run the group, turn every error into one stderr line and an exit code."""
    import warnings

    with warnings.catch_warnings():
        warnings.showwarning = _one_line_warning
        return _main(argv)


def _main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        rv = cli.main(args=args, prog_name="boundcheck", standalone_mode=False)
        return rv if isinstance(rv, int) else 0  # click returns ctx.exit(code) / Exit(code) here
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.exceptions.Abort as e:
        if isinstance(e.__cause__, EOFError):  # click turns any EOFError into Abort: not a Ctrl-C
            click.echo(f"boundcheck: error: unexpected end of data read by boundcheck (EOFError: {e.__cause__}); "
                       "if it comes from a cache, 'boundcheck cache clear' rebuilds it", err=True)
            return 3
        click.echo("boundcheck: interrupted", err=True)
        return 130
    except click.UsageError as e:
        cmd = f" {e.ctx.info_name}" if e.ctx is not None and e.ctx.parent is not None else ""
        click.echo(f"boundcheck: error: {e.format_message()} (see 'boundcheck{cmd} --help')", err=True)
        return 2
    except click.ClickException as e:
        click.echo(f"boundcheck: error: {e.format_message()}", err=True)
        return e.exit_code
    except BoundcheckError as e:
        click.echo(f"boundcheck: error: {str(e).splitlines()[0] if str(e) else type(e).__name__}", err=True)
        return e.exit_code
    except KeyboardInterrupt:
        click.echo("boundcheck: interrupted", err=True)
        return 130


def _console() -> None:
    sys.exit(main())


if __name__ == "__main__":
    _console()

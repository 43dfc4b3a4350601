"""``boundcheck check-certificates [PATH]``: re-verify stored PEP certificates in exact arithmetic.

PATH is a certificate file or a directory (every ``*.json`` below it; default ``certificates``).
One line per certificate (OK/FAIL with the reason). No SDP solver or cvxpy is used. Exit 0 when all
verify, 3 (CertificateError) when any does not, 2 when PATH holds no certificate.
"""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import CertificateError, UsageError


def certificate_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        import re

        def natural(p: Path):
            return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", str(p))]

        return sorted((p for p in path.rglob("*.json") if not p.name.startswith(".")), key=natural)
    raise UsageError(f"no such file or directory: {str(path)!r} (give a certificate .json or a folder of them)")


def check_shapes(files: list[Path]) -> None:
    """UsageError (exit 2) for a file whose JSON is not an object (a list, null, a number): it is
    not a certificate of any format. Checked for every file before any verification starts. A file
    that does not parse as JSON is left to the verifier (a FAIL line: a damaged certificate)."""
    import json

    for f in files:
        try:
            with open(f, encoding="utf-8") as fh:
                doc = json.load(fh)
        except (OSError, ValueError):
            continue
        if not isinstance(doc, dict):
            kind = "null" if doc is None else type(doc).__name__.replace("str", "string").replace("dict", "object")
            raise UsageError(f"{str(f)!r} is not a certificate: its JSON is {kind}, expected an object "
                             f"with 'format', 'data' and 'multipliers'")


@click.command("check-certificates")
@click.argument("path", required=False, default="certificates", type=click.Path(path_type=Path))
@click.option("--no-rebuild", is_flag=True,
              help="Skip comparing the stored problem data with the PEP rebuilt from the description.")
def check_certificates(path: Path, no_rebuild: bool):
    """Re-verify PEP certificates exactly (rational arithmetic, no SDP solver)."""
    from ..pep.certificate_verify import verify_certificate

    files = certificate_files(path)
    if not files:
        raise UsageError(f"no certificate files (*.json) under {str(path)!r}")
    check_shapes(files)
    bad = 0
    for f in files:
        rep = verify_certificate(f, rebuild=None if no_rebuild else "auto")
        bad += not rep.ok
        click.echo(rep.line())
    if bad:
        raise CertificateError(f"{bad} of {len(files)} certificate(s) did not verify")
    click.echo(f"all {len(files)} certificate(s) verified exactly")

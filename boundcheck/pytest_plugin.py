"""pytest plugin: every claim of a problems/*.toml catalogue becomes one test item.

    pytest problems/                          # the fast claims (fast = true in the catalogue)
    pytest -m slow problems/                  # the others (marked slow)
    pytest -m "slow or not slow" problems/    # all of them
    pytest --boundcheck-problems DIR          # add a catalogue folder to any pytest run
    pytest problems/ --boundcheck-noise alpha=1.5 --boundcheck-runs 100
    pytest problems/ --boundcheck-require-evidence strong   # a PASS graded below: INCONCLUSIVE (skip)

Registered through the ``pytest11`` entry point (setup.cfg), so installing boundcheck is enough.
It only acts on catalogue files: ``*.toml`` files with a top-level ``claim`` table (pyproject.toml
and other TOML files are ignored), and imports nothing heavy until such a file is collected. A
file that cannot be parsed (TOML syntax, not UTF-8) counts as a catalogue when a line of it opens
a ``[[claim]]`` (or ``[claim]``, ``[claim.x]``) table. A malformed catalogue, or a claim id already
collected from another file, is a collection error with the one line ``boundcheck verify`` prints.
Bad ``--boundcheck-*`` options are a pytest usage error (one line), found before any claim runs.

Outcomes: PASS passes; an unexpected FAIL fails and prints the verdict table row, the reason
and the reproduce command; SKIP (an assumption does not hold at the parameters) is a pytest skip
with the reason; INCONCLUSIVE is a skip saying so (the data could not decide: the exit code of
``boundcheck verify`` counts it as 0 too); a claim the catalogue records as ``expected = "FAIL"``
is a strict xfail: its FAIL is reported as xfailed, a PASS fails the test. Each item is its own
verify run, so its false-alarm budget is the claim's own confidence (1 - confidence per claim).
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

_SEEN = pytest.StashKey[dict]()  # claim id -> the Claim collected first in this session


def pytest_addoption(parser):
    g = parser.getgroup("boundcheck", "boundcheck claims (problems/*.toml)")
    g.addoption("--boundcheck-problems", action="append", default=[], metavar="DIR",
                help="collect the claims of this catalogue folder or file (repeatable)")
    g.addoption("--boundcheck-noise", default=None, metavar="SPEC|k=v", help="as verify --noise, e.g. alpha=1.5")
    g.addoption("--boundcheck-function", default=None, metavar="SPEC|k=v", help="as verify --function")
    g.addoption("--boundcheck-runs", type=int, default=None, help="as verify --runs")
    g.addoption("--boundcheck-seed", type=int, default=None, help="as verify --seed")
    g.addoption("--boundcheck-require-evidence", default=None, choices=("strong", "moderate"),
                help="as verify --require-evidence: a PASS graded below this is INCONCLUSIVE (a skip)")


def pytest_configure(config):
    config.addinivalue_line("markers", "boundcheck_claim: a catalogue claim checked by boundcheck verify")
    config.addinivalue_line("markers", "slow: long checks")
    dirs = config.getoption("--boundcheck-problems") or []
    if dirs:
        config.args = list(config.args) + [str(Path(d)) for d in dirs if str(Path(d)) not in config.args]
    runs, seed = config.getoption("--boundcheck-runs"), config.getoption("--boundcheck-seed")
    if runs is not None and runs < 1:
        raise pytest.UsageError(f"--boundcheck-runs must be a positive integer (got {runs})")
    if seed is not None and not 0 <= seed < 2**63:
        raise pytest.UsageError(f"--boundcheck-seed must be an integer in [0, 2^63) (got {seed})")
    config.stash[_SEEN] = {}


def _error_line(e: BaseException) -> str:
    """The one stderr line ``boundcheck verify`` prints for this error (cli.main)."""
    text = str(e)
    return f"boundcheck: error: {text.splitlines()[0] if text else type(e).__name__}"


def _as_pytest_option(line: str) -> str:
    """verify's messages name its own flags; under pytest they are the --boundcheck-* options."""
    return re.sub(r"(?<![\w-])--(noise|function|runs|seed|require-evidence)\b", r"--boundcheck-\1", line)


def pytest_collection_modifyitems(session, config, items):
    """Check the --boundcheck-* overrides against every collected claim, as verify does before
    it runs anything: a bad option is one usage-error line, not a traceback per claim."""
    noise, function = config.getoption("--boundcheck-noise"), config.getoption("--boundcheck-function")
    claims = [it.claim for it in items if isinstance(it, ClaimItem)]
    if not claims or (noise is None and function is None):
        return
    from .errors import BoundcheckError
    from .verify import parse_overrides
    from .verify.core import check_all, overrides_for

    try:
        ov = parse_overrides(noise, function)
        check_all(claims, ov)
        for c in claims:  # verify_claims binds every claim before running any
            c.bind(overrides_for(c, ov))
    except BoundcheckError as e:
        raise pytest.UsageError(_as_pytest_option(_error_line(e))) from None


_CLAIM_TABLE = re.compile(rb"^[ \t]*\[\[?[ \t]*claims?[ \t]*[\].]", re.M | re.I)


def _is_catalogue(path: Path) -> bool:
    """A ``*.toml`` whose top level has a ``claim`` (or ``claims``) key; a file that does not
    parse is one when a line opens such a table (it is then reported, not skipped)."""
    if path.suffix != ".toml" or path.name.startswith("."):
        return False
    try:
        raw = path.read_bytes()
    except OSError:
        return True  # unreadable: load_file names the file and the reason
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return _CLAIM_TABLE.search(raw) is not None
    return "claim" in data or "claims" in data


def pytest_collect_file(file_path, parent):
    if _is_catalogue(Path(file_path)):
        return CatalogueFile.from_parent(parent, path=Path(file_path))
    return None


class CatalogueFile(pytest.File):
    def collect(self):
        from .claims import load_catalogue, load_file
        from .errors import BoundcheckError

        try:
            claims = load_file(self.path)
        except BoundcheckError as e:
            raise self.CollectError(_error_line(e)) from None
        seen = self.config.stash[_SEEN]
        for c in claims:
            if c.id in seen:  # the message load_catalogue gives for the same two files
                files = list(dict.fromkeys([seen[c.id].file, self.path]))
                try:
                    load_catalogue(files)
                except BoundcheckError as e:
                    raise self.CollectError(_error_line(e)) from None
                raise self.CollectError(f"boundcheck: error: {c.where}: duplicate claim id {c.id!r} "
                                        f"(first defined at {seen[c.id].where})")
            seen[c.id] = c
        for c in claims:
            item = ClaimItem.from_parent(self, name=c.id, claim=c)
            item.add_marker(pytest.mark.boundcheck_claim)
            if not c.fast:
                item.add_marker(pytest.mark.slow)
            yield item


class ClaimFailed(Exception):
    """An unexpected verdict; the message is the table row, the reason and the command."""


class ClaimItem(pytest.Item):
    def __init__(self, *, claim, **kw):
        super().__init__(**kw)
        self.claim = claim

    def _opt(self, name):
        return self.config.getoption(f"--boundcheck-{name}")

    def runtest(self):
        from .verify import parse_overrides, verify_claims
        from .verify import render

        from .errors import BoundcheckError

        noise, function = self._opt("noise"), self._opt("function")
        try:
            report = verify_claims([self.claim], parse_overrides(noise, function), runs=self._opt("runs"),
                                   seed=self._opt("seed"), noise_text=noise, function_text=function,
                                   command=f"pytest {self.nodeid}",
                                   require_evidence=self._opt("require-evidence"))
        except BoundcheckError as e:  # an input error verify reports before running: its one line
            raise ClaimFailed(f"{self.claim.id}: {_as_pytest_option(_error_line(e))}") from None
        (r,) = report.results
        v = r.verdict
        self.user_properties.append(("boundcheck", r.as_dict()))
        if r.errors:
            raise ClaimFailed(self._text(report, "computation failed (exit 3)"))
        if v.verdict == "SKIP":
            pytest.skip(f"SKIP: {v.reason}")
        if self.claim.expected == "FAIL":
            if v.verdict == "FAIL":
                pytest.xfail(f"expected FAIL (strict): {v.reason}")
            if v.verdict == "PASS":
                raise ClaimFailed(self._text(report, "[XPASS(strict)] the catalogue records this claim as FAIL, "
                                                     "but it PASSED"))
        if v.verdict == "FAIL":
            raise ClaimFailed(self._text(report, "unexpected FAIL"))
        if v.verdict == "INCONCLUSIVE":
            pytest.skip(f"INCONCLUSIVE: {v.reason}")

    def _text(self, report, head: str) -> str:
        from .verify import render

        lines = [f"{self.claim.id}: {head}", render.table(report)]
        lines += ["  " + s for s in render.reasons(report)]
        lines.append(f"reproduce: {report.results[0].reproduce}")
        return "\n".join(lines)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ClaimFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, self.claim.line - 1 if self.claim.line else None, f"claim {self.claim.id}"

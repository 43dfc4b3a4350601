"""pytest plugin: every claim of a problems/*.toml catalogue becomes one test item.

    pytest problems/                          # the fast claims (fast = true in the catalogue)
    pytest -m slow problems/                  # the others (marked slow)
    pytest -m "slow or not slow" problems/    # all of them
    pytest --boundcheck-problems DIR          # add a catalogue folder to any pytest run
    pytest problems/ --boundcheck-noise alpha=1.5 --boundcheck-runs 100

Registered through the ``pytest11`` entry point (setup.cfg), so installing boundcheck is enough.
It only acts on ``*.toml`` files with a top-level ``[[claim]]`` array (pyproject.toml and other
TOML files are ignored) and imports nothing heavy until such a file is collected.

Outcomes: PASS passes; an unexpected FAIL fails and prints the verdict table row, the reason
and the reproduce command; SKIP (an assumption does not hold at the parameters) is a pytest skip
with the reason; INCONCLUSIVE is a skip saying so (the data could not decide: the exit code of
``boundcheck verify`` counts it as 0 too); a claim the catalogue records as ``expected = "FAIL"``
is a strict xfail: its FAIL is reported as xfailed, a PASS fails the test. Each item is its own
verify run, so its false-alarm budget is the claim's own confidence (1 - confidence per claim).
"""
from __future__ import annotations

from pathlib import Path

import pytest

_OPTS = ("noise", "function", "runs", "seed")


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


def _is_catalogue(path: Path) -> bool:
    if path.suffix != ".toml" or path.name.startswith("."):
        return False
    try:
        import tomllib

        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except Exception:
        return False
    return isinstance(data.get("claim"), list)


def pytest_collect_file(file_path, parent):
    if _is_catalogue(Path(file_path)):
        return CatalogueFile.from_parent(parent, path=Path(file_path))
    return None


class CatalogueFile(pytest.File):
    def collect(self):
        from .claims import load_file

        for c in load_file(self.path):  # a malformed file is a collection error naming file:line
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

        noise, function = self._opt("noise"), self._opt("function")
        report = verify_claims([self.claim], parse_overrides(noise, function), runs=self._opt("runs"),
                               seed=self._opt("seed"), noise_text=noise, function_text=function,
                               command=f"pytest {self.nodeid}",
                                   require_evidence=self._opt("require-evidence"))
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

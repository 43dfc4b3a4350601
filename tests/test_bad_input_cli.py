"""Every bad-input and environment-fault case the suite knows, through the CLI.

Each case is run through ``boundcheck.cli.main`` (the console script's code path) and must give
exit 2 (input or environment error) or 3 (a computation that cannot answer), exactly one line on
stderr matching the case's pattern, and no "Traceback" anywhere in the output.

To add a case: append a ``Case`` to CASES. ``argv`` is a list of strings, or a function of a
``tmp_path`` (a fresh folder) that writes whatever files the case needs and returns the list.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Union

import pytest

from boundcheck.cli import main


@dataclass(frozen=True)
class Case:
    id: str
    argv: Union[list, Callable]
    code: int
    pattern: str  # a regular expression the one stderr line must contain (re.search)


def _write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return str(path)


CASES: list[Case] = [
    Case("unknown-class", ["info", "smooth-convx"], 2, r"did you mean 'smooth-convex'"),
    Case("param-out-of-domain", ["info", "smooth-convex[L=-1]"], 2, r"'L' must be in \(0, inf\)"),
    Case("unknown-command", ["lst"], 2, r"did you mean 'list'"),
    Case("info-unknown-claim-id", ["info", "T01-gd-tigt"], 2, r"unknown name or claim id 'T01-gd-tigt'; did you mean 'T01-gd-tight'"),
    Case("info-claim-missing-folder", ["info", "T01-gd-tight", "--problems", "no-such-folder"], 2,
         r"no-such-folder: no such catalogue folder"),
    Case("list-claims-missing-folder", ["list", "claims", "--problems", "no-such-folder"], 2,
         r"no-such-folder: no such catalogue folder"),
    Case("list-claims-empty-folder", lambda tmp: ["list", "claims", "--problems", str(tmp)], 2, r"no claims in .*\(a catalogue is"),
    Case("list-noise-with-problems", ["list", "noise", "--problems", "x"], 2, r"--problems applies to 'list claims' only"),
    # sizes, budgets and run/certificate inputs (boundcheck/budget.py)
    Case("run-d-1e7-dense", ["run", "gd", "--function", "smooth-convex[d=10000000]"], 2,
         r"10000000 x 10000000 matrix .* over the limit of"),
    Case("run-runs-1e9", ["run", "gd", "--function", "smooth-convex", "--runs", "1000000000"], 2,
         r"1000000000 runs .* of memory .* over the limit"),
    Case("certify-N-1e9", ["certify", "gd", "--function", "smooth-convex", "--N", "1000000000"], 2,
         r"the PEP at N=1000000000 needs about .* over the limit"),
    Case("verify-huge-N-grid", lambda tmp: _huge_grid(tmp), 2, r"claim 'T01-gd-tight' \(pep\): the PEP at N=100000000"),
    Case("run-steps-zero", ["run", "gd", "--function", "smooth-convex", "--steps", "0"], 2,
         r"^boundcheck: error: --steps must be a positive integer \(got 0\)"),
    Case("run-runs-zero", ["run", "gd", "--function", "smooth-convex", "--runs", "0"], 2,
         r"--runs must be a positive integer \(got 0\)"),
    Case("run-checkpoint-beyond-steps", ["run", "gd", "--function", "smooth-convex", "--steps", "10",
                                         "--checkpoints", "1,20"], 2, r"beyond --steps = 10"),
    Case("certificate-json-list", lambda tmp: ["check-certificates", _write(tmp / "c.json", "[1, 2]")], 2,
         r"c\.json' is not a certificate: its JSON is list"),
    Case("certify-ssc-mu-equal-L", ["certify", "gd", "--function", "smooth-strongly-convex[L=1,mu=1]", "--N", "3"], 2,
         r"smooth-strongly-convex: no PEP at these constants: mu = L"),
    Case("budget-s-not-positive", lambda tmp: _t01(tmp, "budget_s = 5", "budget_s = 0"), 2,
         r"t01\.toml:\d+: claim 'T01-gd-tight': check\.budget_s = 0 is outside its domain: budget_s must be > 0"),
    Case("verify-runs-1e9", ["verify", "--claim", "T08-convex-hp-rate", "--runs", "1000000000"], 2,
         r"claim 'T08-convex-hp-rate' \(mc\): 1000000000 runs .* over the limit"),
    Case("certificate-json-null", lambda tmp: ["check-certificates", _write(tmp / "c.json", "null")], 2,
         r"c\.json' is not a certificate: its JSON is null"),
    # output paths that cannot be written: refused before anything is computed (tests/test_faults.py)
    Case("run-json-under-a-file", lambda tmp: ["run", "gd", "--function", "smooth-convex", "--json",
                                               _write(tmp / "afile", "x") + "/r.json"], 2,
         r"cannot write --json '.*afile/r\.json': '.*afile' is not a folder"),
    Case("verify-report-under-a-file", lambda tmp: ["verify", "--claim", "T01-gd-tight", "--report",
                                                    _write(tmp / "afile", "x") + "/sub/r.md"], 2,
         r"cannot write --report '.*afile/sub/r\.md': '.*afile' is not a folder"),
    Case("sweep-out-under-a-file", lambda tmp: ["sweep", "--claim", "T01-gd-tight", "--grid", "h=0.5,1",
                                                "--out", _write(tmp / "afile", "x") + "/t.csv"], 2,
         r"cannot write --out '.*afile/t\.csv'"),
    Case("certify-out-is-a-file", lambda tmp: ["certify", "gd", "--function", "smooth-convex", "--N", "2",
                                               "--out", _write(tmp / "afile", "x")], 2,
         r"cannot write the certificates folder \(--out\) '.*afile': it is a file, not a folder"),
]


def _t01(tmp, old, new):
    from pathlib import Path

    src = Path(__file__).resolve().parents[1] / "problems" / "gd_smooth_convex.toml"
    _write(tmp / "t01.toml", src.read_text().replace(old, new))
    return ["verify", "--problems", str(tmp), "--claim", "T01-gd-tight"]


def _huge_grid(tmp):
    from pathlib import Path

    src = Path(__file__).resolve().parents[1] / "problems" / "gd_smooth_convex.toml"
    _write(tmp / "t01.toml", src.read_text().replace("N = [1, 2, 5, 10, 20, 50]", "N = [1, 100000000]"))
    return ["verify", "--problems", str(tmp), "--claim", "T01-gd-tight"]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_one_line_no_traceback(case, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = case.argv(tmp_path) if callable(case.argv) else list(case.argv)
    code = main(argv)
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    lines = out.err.strip().splitlines()
    assert code == case.code, (code, out.err)
    assert len(lines) == 1, out.err
    assert re.search(case.pattern, lines[0]), lines[0]


def test_case_ids_are_unique():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))

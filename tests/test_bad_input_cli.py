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
    Case("info-unknown-claim-id", ["info", "T01-gd-tigt"], 2, r"unknown name 'T01-gd-tigt'; did you mean 'T01-gd-tight'.*claim id"),
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
    # issue 11, claims/formulas/overrides: each a file written from the shipped T01 claim, changed
    Case("verify-function-other-class", ["verify", "--claim", "T01-gd-tight", "--function",
                                         "smooth-strongly-convex[L=2,mu=0.1]"], 2,
         r"claim 'T01-gd-tight' is stated for the function class smooth-convex .* set its parameters L, R, h instead"),
    Case("verify-function-fixed-instance", ["verify", "--claim", "T01-gd-tight", "--function",
                                            "smooth-convex[instance=quadratic]"], 2,
         r"fixes function.instance = huber: it is part of the claim"),
    Case("verify-noise-formula-param", ["verify", "--claim", "T07-clip-strongly-convex-rate", "--noise",
                                        "pareto[beta=1.7]"], 2,
         r"sets noise.beta = alpha \+ 0.1; set the claim parameter alpha instead"),
    Case("verify-bound-minus-inf", lambda tmp: _t01_variant(tmp, 'bound = "L*R^2/(4*N*h + 2)"', 'bound = "log(1-N)"'),
         2, r"t01.toml:\d+: claim 'T01-gd-tight': bound 'log\(1-N\)' is -inf at N = 1"),
    Case("verify-bound-plus-inf", lambda tmp: _t01_variant(tmp, 'bound = "L*R^2/(4*N*h + 2)"', 'bound = "exp(1000*N)"'),
         2, r"bound 'exp\(1000\*N\)' is \+inf at N = 1"),
    Case("verify-bound-nan", lambda tmp: _t01_variant(tmp, 'bound = "L*R^2/(4*N*h + 2)"', 'bound = "L*sqrt(1-N)"'),
         2, r"bound 'L\*sqrt\(1-N\)' is NaN at N = 2"),
    Case("verify-bound-log-of-negative", lambda tmp: _t01_variant(tmp, 'bound = "L*R^2/(4*N*h + 2)"',
                                                                  'bound = "L*log(-1)/N"'),
         2, r"t01.toml:\d+: claim 'T01-gd-tight', bound: not a real number: 'log\(-1\)'"),
    Case("verify-bound-power-tower", lambda tmp: _t01_variant(tmp, 'bound = "L*R^2/(4*N*h + 2)"',
                                                              'bound = "((9^999)^999)^999"'),
         2, r"claim 'T01-gd-tight', bound: a power of numbers with more than 1000 digits"),
    Case("verify-bound-deep-unary", lambda tmp: _t01_variant(tmp, 'bound = "L*R^2/(4*N*h + 2)"',
                                                             'bound = "' + "-" * 930 + '0"'),
         2, r"claim 'T01-gd-tight', bound: formula .* is nested deeper than 100 levels"),
    Case("verify-non-utf8-file", lambda tmp: _t01_variant(tmp, 'title = "', 'title = "caf\u00e9 ', "latin-1"), 2,
         r"t01.toml:3: the file is not UTF-8 text \(byte 0xe9"),
    Case("verify-assumption-never-holds", lambda tmp: _t01_variant(tmp, 'assumptions = ["0 < h <= 1"]',
                                                                   'assumptions = ["h > 2"]'), 2,
         r"claim 'T01-gd-tight': assumption 'h > 2' can never hold: no value of h in its domain \(0, 2\)"),
    Case("verify-confidence-out-of-domain", lambda tmp: _t01_variant(tmp, "confidence = 0.95", "confidence = 1.5"), 2,
         r"check.confidence = 1.5 is outside its domain: confidence must be in \(0, 1\)"),
    Case("verify-empty-problems-folder", lambda tmp: ["verify", "--all", "--problems", str(tmp)], 2,
         r"no claim files found"),
    Case("verify-noise-alpha-not-a-number", ["verify", "clipped-sgd", "--noise", "alpha=__import__('os')"], 2,
         r"alpha=__import__\('os'\) is not a number"),
    # plugins of a catalogue folder (boundcheck/plugins/, docs/own-method.md); module names are unique per row
    Case("plugin-syntax-error", lambda tmp: __import__("_plugin_sources").case(
        tmp, {"bi_syntax.py": "syntax"}, ["verify", "--problems", "{dir}", "--all"]), 2,
         r"bi_syntax.py:1: syntax error in plugin"),
    Case("plugin-missing-update", lambda tmp: __import__("_plugin_sources").case(
        tmp, {"bi_noupdate.py": "missing-update"}, ["verify", "--problems", "{dir}", "--all"]), 2,
         r"bi_noupdate.py:\d+: the plugin failed to import: NameError: name 'update' is not defined; define update"),
    Case("plugin-bad-param-default", lambda tmp: __import__("_plugin_sources").case(
        tmp, {"bi_badparam.py": "bad-param"}, ["verify", "--problems", "{dir}", "--all"]), 2,
         r"bi_badparam.py:\d+: algorithm 'my-gd': the default of parameter 'h' \(-1.0\) is not valid"),
    Case("plugin-clash-with-builtin", lambda tmp: __import__("_plugin_sources").case(
        tmp, {"bi_clash.py": __import__("_plugin_sources").ALGORITHM.replace('name="my-gd"', 'name="gd"')},
        ["verify", "--problems", "{dir}", "--all"]), 2,
         r"bi_clash.py: algorithm name 'gd' is already the built-in one defined in \S*algorithms.gd.py"),
    Case("plugin-clash-two-plugins", lambda tmp: __import__("_plugin_sources").case(
        tmp, {f"bi_dup{i}.py": __import__("_plugin_sources").ALGORITHM.replace('name="my-gd"', 'name="bi-dup"')
              for i in (1, 2)}, ["verify", "--problems", "{dir}", "--all"]), 2,
         r"bi_dup2.py: algorithm name 'bi-dup' is already defined by the plugin \S*bi_dup1.py"),
    Case("check-plugin-missing-update", lambda tmp: __import__("_plugin_sources").case(
        tmp, {"bi_cp_noupdate.py": "missing-update"}, ["check-plugin", "{dir}/bi_cp_noupdate.py"]), 2,
         r"bi_cp_noupdate.py:\d+: the plugin failed to import: NameError"),
    Case("check-plugin-no-such-file", ["check-plugin", "no_such_plugin.py"], 2, r"no_such_plugin.py: no such plugin file"),
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


def _t01_variant(tmp, old: str, new: str, encoding: str = "utf-8"):
    """verify --all on a copy of the shipped T01 file with ``old`` replaced by ``new``."""
    from boundcheck.claims import builtin_dir

    text = (builtin_dir() / "gd_smooth_convex.toml").read_text()
    assert old in text, old
    d = tmp / "cat"
    d.mkdir()
    (d / "t01.toml").write_bytes(text.replace(old, new, 1).encode(encoding))
    return ["verify", "--all", "--problems", str(d)]

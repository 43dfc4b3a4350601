"""The pytest plugin on broken input: a malformed catalogue, duplicate ids and bad
``--boundcheck-*`` options are errors with the one line ``boundcheck verify`` prints, never a
silent skip ("1 passed", exit 0) and never a traceback per claim.

The inner pytest runs in a subprocess (in-process runs re-import numba, which refuses that).
"""
from __future__ import annotations

import pytest

from boundcheck.cli import main
from test_catalogue_fast import TRUE, _claims

pytest_plugins = ["pytester"]

GOOD = ("A-true", TRUE, "PASS", "0 < h <= 1", True)


def _verify_line(capsys, folder) -> str:
    """The one stderr line of ``boundcheck verify --all --problems FOLDER`` (exit 2)."""
    code = main(["verify", "--all", "--problems", str(folder)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1, err
    return err[0]


def _run(pytester, *args):
    return pytester.runpytest_subprocess(*map(str, args), "-p", "no:cacheprovider")


def _syntax(text):
    return text.replace('kind = "tight"', 'kind = "tight', 1).encode()


def _latin1(text):
    return ("# r\xe9sum\xe9 of the claims\n" + text).encode("latin-1")


def _single_bracket(text):
    # the common typo: [claim] instead of [[claim]] (one table, not an array of tables)
    return text.replace("[[claim]]", "[claim]", 1).encode()


def _plural(text):
    return text.replace("[[claim]]", "[[claims]]").replace("[claim.", "[claims.").encode()


@pytest.mark.parametrize("damage, words", [(_syntax, "malformed TOML"), (_latin1, "UTF-8"),
                                           (_single_bracket, "[[claim]]"), (_plural, "did you mean 'claim'")],
                         ids=["toml-syntax", "not-utf8", "single-bracket-claim", "claims-typo"])
def test_malformed_catalogue_is_a_collection_error_with_verifys_line(pytester, capsys, damage, words):
    d = pytester.mkdir("problems_here")
    (d / "good.toml").write_text(_claims(GOOD))
    (d / "zbroken.toml").write_bytes(damage(_claims(("B-true", TRUE, "PASS", "0 < h <= 1", True))))
    line = _verify_line(capsys, d)
    assert words in line and "zbroken.toml" in line
    r = _run(pytester, d)
    out = r.stdout.str()
    assert r.ret == pytest.ExitCode.INTERRUPTED, out  # "Interrupted: 1 error during collection"
    assert line in out.splitlines(), out
    assert "Traceback" not in out and "1 passed" not in out


def test_unrelated_toml_files_are_still_ignored(pytester):
    d = pytester.mkdir("mixed")
    (d / "good.toml").write_text(_claims(GOOD))
    (d / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (d / "tool.toml").write_text("[tool.thing\nbroken = \n")  # broken, but declares no claim table
    r = _run(pytester, d)
    r.assert_outcomes(passed=1)
    assert r.ret == 0


def test_duplicate_ids_across_files_fail_as_in_verify(pytester, capsys):
    d = pytester.mkdir("dups")
    (d / "a.toml").write_text(_claims(GOOD))
    (d / "b.toml").write_text(_claims(GOOD))
    line = _verify_line(capsys, d)
    assert "duplicate claim id 'A-true'" in line
    r = _run(pytester, d)
    out = r.stdout.str()
    assert r.ret == pytest.ExitCode.INTERRUPTED, out
    assert line in out.splitlines(), out


def test_duplicate_ids_within_one_file_fail_as_in_verify(pytester, capsys):
    d = pytester.mkdir("dup1")
    (d / "a.toml").write_text(_claims(GOOD, GOOD))
    line = _verify_line(capsys, d)
    r = _run(pytester, d)
    assert r.ret == pytest.ExitCode.INTERRUPTED
    assert line in r.stdout.str().splitlines()


@pytest.mark.parametrize("opts, words", [
    (["--boundcheck-runs", "0"], "--boundcheck-runs must be a positive integer (got 0)"),
    (["--boundcheck-seed", "-1"], "--boundcheck-seed must be an integer"),
    (["--boundcheck-function", "smooth-convx"], "did you mean 'smooth-convex'"),
    (["--boundcheck-noise", "alpha=7"], "'alpha' must be in (1, 2]"),
    (["--boundcheck-function", "L=-1"], "L=-1 is outside the domain"),
], ids=["runs", "seed", "function-name", "noise-alpha", "function-param"])
def test_bad_options_are_one_usage_error_line(pytester, opts, words):
    d = pytester.mkdir("opts")
    (d / "c.toml").write_text(_claims(GOOD, ("B-true", TRUE, "PASS", "0 < h <= 1", True)))
    r = _run(pytester, d, *opts)
    text = r.stdout.str() + "\n" + r.stderr.str()
    assert r.ret == pytest.ExitCode.USAGE_ERROR, text
    errors = [l for l in text.splitlines() if l.startswith("ERROR:")]
    assert len(errors) == 1 and words in errors[0], text
    assert "Traceback" not in text and len(text.splitlines()) < 12, text

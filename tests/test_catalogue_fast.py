"""The pytest plugin (boundcheck/pytest_plugin.py), and the built-in catalogue run through it.
The inner pytest runs in a subprocess (in-process runs re-import numba, which refuses that).

``make test`` runs the fast subset of problems/ (claims with fast = true) through the plugin here;
``make test-slow`` runs the rest (claims without fast, marked slow by the plugin).
"""
import textwrap

import pytest

from boundcheck.claims import builtin_dir

pytest_plugins = ["pytester"]

CLAIM = '''
[[claim]]
id = "{id}"
kind = "tight"
metric = "f_gap"
iterate = "last"
bound = "{bound}"
assumptions = ["{assumption}"]
engines = ["mc"]
expected = "{expected}"
fast = {fast}
[claim.check]
tolerance = 1e-6
[claim.citation]
authors = ["Y. Drori", "M. Teboulle"]
year = 2014
title = "Performance of first-order methods for smooth convex minimization: a novel approach"
theorem = "Thm 3.1"
'''
HEAD = '''
[params]
L = { default = 1.0, domain = "(0, inf)", doc = "smoothness" }
R = { default = 1.0, domain = "(0, inf)", doc = "initial distance" }
h = { default = 1.0, domain = "(0, 2)", doc = "normalized step" }
[setting]
algorithm = { name = "gd", h = "h" }
function = { name = "smooth-convex", instance = "huber", L = "L", R = "R", N = "N", h = "h" }
[check]
N = [1, 2, 5]
runs = 1
'''


def _claims(*specs):
    out = HEAD
    for cid, bound, expected, assumption, fast in specs:
        out += CLAIM.format(id=cid, bound=bound, expected=expected, assumption=assumption,
                            fast="true" if fast else "false")
    return textwrap.dedent(out)


TRUE, HALF = "L*R^2/(4*N*h + 2)", "L*R^2/(2*(4*N*h + 2))"


def test_plugin_outcomes(pytester):
    d = pytester.mkdir("my_problems")
    (d / "t01.toml").write_text(_claims(
        ("A-true", TRUE, "PASS", "0 < h <= 1", True),
        ("B-halved", HALF, "PASS", "0 < h <= 1", True),
        ("C-known-wrong", HALF, "FAIL", "0 < h <= 1", True),
        ("D-true-recorded-wrong", TRUE, "FAIL", "0 < h <= 1", True),
        ("E-not-applicable", TRUE, "PASS", "h >= 1.5", True),
        ("F-slow", TRUE, "PASS", "0 < h <= 1", False),
    ))
    (d / "pyproject.toml").write_text("[project]\nname = 'x'\n")  # not a catalogue: ignored
    r = pytester.runpytest_subprocess(str(d), "-m", "not slow", "-rsx", "-p", "no:cacheprovider")
    r.assert_outcomes(passed=1, failed=2, xfailed=1, skipped=1, deselected=1)
    out = r.stdout.str()
    assert "B-halved: unexpected FAIL" in out and "reproduce: boundcheck verify --claim B-halved --problems" in out
    assert "XPASS(strict)" in out and "D-true-recorded-wrong" in out
    assert "SKIP: assumption 'h >= 1.5' fails" in out
    assert "measured value 0.166667 is outside" in out  # the verdict row's reason for the FAIL


def test_plugin_option_adds_a_folder(pytester):
    d = pytester.mkdir("elsewhere")
    (d / "c.toml").write_text(_claims(("A-true", TRUE, "PASS", "0 < h <= 1", True)))
    pytester.makepyfile(test_nothing="def test_x():\n    pass\n")
    r = pytester.runpytest_subprocess("test_nothing.py", "--boundcheck-problems", str(d), "-p", "no:cacheprovider")
    r.assert_outcomes(passed=2)


def test_plugin_malformed_catalogue_is_a_collection_error(pytester):
    d = pytester.mkdir("broken")
    (d / "x.toml").write_text(_claims(("A", "__import__('os')", "PASS", "0 < h <= 1", True)))
    r = pytester.runpytest_subprocess(str(d), "-p", "no:cacheprovider")
    assert r.ret != 0 and "__import__" in r.stdout.str()


# A sample of the catalogue that exercises every engine path through the plugin: exact PEP and
# deterministic Monte Carlo (T01, T04, T06), stochastic rates (the demo set, T07/T08), finite-sum
# oracles (T23) and operator classes (T25). About 70 s with cold kernel caches, against about 250 s
# for every fast claim (the numba compiles dominate; warm, all fast claims take about 25 s), so the
# whole fast subset runs with make test-slow (and make results runs every claim).
SAMPLE = ("gd_smooth_convex.toml", "accelerated.toml", "subgradient.toml", "clipped_sgd.toml", "shuffling.toml",
          "monotone_operators.toml")


def test_builtin_catalogue_sample(pytester):
    """The fast claims of a sample of problems/ through the plugin: no unexpected verdict."""
    files = [str(builtin_dir() / f) for f in SAMPLE]
    r = pytester.runpytest_subprocess(*files, "-m", "not slow", "-rfEs", "-p", "no:cacheprovider")
    assert r.ret == 0, r.stdout.str()
    assert r.parseoutcomes().get("failed", 0) == 0 and r.parseoutcomes().get("passed", 0) >= 15


@pytest.mark.slow
def test_builtin_catalogue_fast_subset(pytester):
    """Every fast claim of problems/ through the plugin: no unexpected verdict (make test-slow)."""
    r = pytester.runpytest_subprocess(str(builtin_dir()), "-m", "not slow", "-rfEs", "-p", "no:cacheprovider")
    assert r.ret in (0, 5), r.stdout.str()  # 5: no fast claims (nothing collected)
    assert r.parseoutcomes().get("failed", 0) == 0


@pytest.mark.slow
def test_builtin_catalogue_all(pytester):
    """Every claim of problems/ (the slow ones too) through the plugin (make test-slow)."""
    r = pytester.runpytest_subprocess(str(builtin_dir()), "-m", "slow or not slow", "-rfEs", "-p", "no:cacheprovider")
    assert r.ret == 0, r.stdout.str()

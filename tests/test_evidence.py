"""Issue 12, point 1: every PASS states what it could have caught (resolution and evidence grade).

The resolution is checked to be real: the same data, with the claim strengthened just beyond
its resolution (factor k^1.05, exponent margin x 1.05), FAIL; just inside (k^0.95, x 0.95) they do
not (PASS for upper, lower and high_prob claims, whose tests have no INCONCLUSIVE zone). A
deliberately vacuous claim is graded weak, shows as WEAK in the table, and
``--require-evidence strong`` turns it INCONCLUSIVE with the reason.
"""
import dataclasses
import json
import math
import textwrap

import numpy as np
import pytest

import boundcheck.algorithms as algos
from boundcheck import evidence, registry, stats
from boundcheck.claims import decide, load_file
from boundcheck.claims.formula import parse
from boundcheck.cli import main
from boundcheck.errors import CatalogueError

CIT = 'citation = { authors = "A. B", year = 2020, title = "t", theorem = "1" }'
TOML = textwrap.dedent(f'''\
    [setting]
    algorithm = "fake-sgd"
    function = "smooth-convex"
    noise = "gaussian"
    [check]
    N = "2^4:2^10:7:log"
    runs = 200
    bootstrap = 400
    [[claim]]
    id = "U"
    kind = "upper"
    bound = "1.3*N^(-0.5)"
    expected = "PASS"
    {CIT}
    [[claim]]
    id = "L"
    kind = "lower"
    bound = "0.7*N^(-0.5)"
    expected = "PASS"
    {CIT}
    [[claim]]
    id = "H"
    kind = "high_prob"
    delta = 0.1
    bound = "3*N^(-0.5)"
    expected = "PASS"
    {CIT}
    [[claim]]
    id = "R-up"
    kind = "rate"
    sense = "upper"
    bound = "N^(-0.3)"
    expected = "PASS"
    {CIT}
    [[claim]]
    id = "R-low"
    kind = "rate"
    sense = "lower"
    bound = "N^(-0.7)"
    expected = "PASS"
    {CIT}
    [[claim]]
    id = "R-eq"
    kind = "rate"
    bound = "N^(-0.5)"
    expected = "PASS"
    [claim.check]
    tolerance = 0.15
    [claim.citation]
    authors = "A. B"
    year = 2020
    title = "t"
    theorem = "1"
    ''')


@pytest.fixture
def claims(tmp_path, monkeypatch):
    fake = dataclasses.replace(registry.algorithms.get("gd"), name="fake-sgd", stochastic=True)
    monkeypatch.setitem(registry.algorithms._cache, "fake-sgd", fake)
    monkeypatch.setitem(algos.PLUGINS, "fake-sgd", "gd")
    p = tmp_path / "e.toml"
    p.write_text(TOML)
    return {c.id: c for c in load_file(p)}


def _data(seed=0, runs=200):
    N = 2.0 ** np.arange(4, 11)
    return N ** -0.5 * np.random.default_rng(seed).lognormal(0, 0.4, (runs, N.size))


def _scaled(c, factor):
    """The claim with its bound multiplied by ``factor``."""
    return dataclasses.replace(c, bound=parse(f"({c.bound_text})*{factor!r}", set(c.params) | {"N"}))


def _shifted(c, d):
    """The rate claim with its exponent moved by d."""
    return dataclasses.replace(c, exponent=parse(f"-({-float(c.bind().exponent())!r}) + ({d!r})", set(c.params)))


@pytest.mark.parametrize("cid", ["U", "L", "H"])
def test_value_resolution_is_the_fail_threshold(claims, cid):
    c, X, budget = claims[cid], _data(), stats.Budget(0.05, 7)
    v = decide(c.bind(), X, budget=budget)
    assert v.verdict == "PASS" and v.resolution["kind"] == "factor"
    k = v.resolution["value"]
    assert k is not None and k > 1
    sign = 1 if c.kind == "lower" else -1  # upper/high_prob: bound / k; lower: bound * k
    beyond = decide(_scaled(c, k ** (1.05 * sign)).bind(), X, budget=budget)
    inside = decide(_scaled(c, k ** (0.95 * sign)).bind(), X, budget=budget)
    assert beyond.verdict == "FAIL", (k, beyond.reason)
    assert inside.verdict == "PASS", (k, inside.reason)
    assert v.evidence == c.thresholds.grade(evidence.Resolution.from_dict(v.resolution))


@pytest.mark.parametrize("cid,direction", [("R-up", -1), ("R-low", +1), ("R-eq", -1), ("R-eq", +1)])
def test_rate_resolution_is_the_fail_threshold(claims, cid, direction):
    c, X, budget = claims[cid], _data(), stats.Budget(0.05, 7)
    v = decide(c.bind(), X, budget=budget)
    assert v.verdict == "PASS" and v.resolution["kind"] == "exponent"
    d = v.resolution["value"]
    lo, hi = v.ci
    e, tol = c.bind().exponent(), c.check.tolerance
    if c.sense == "equal":  # the nearer side decides; the other side may be farther
        side = e + tol - lo if direction < 0 else hi - e + tol
        assert d == pytest.approx(min(e + tol - lo, hi - e + tol))
        d = side
    beyond = decide(_shifted(c, direction * 1.05 * d).bind(), X, budget=budget)
    inside = decide(_shifted(c, direction * 0.95 * d).bind(), X, budget=budget)
    assert beyond.verdict == "FAIL", (d, beyond.reason)
    assert inside.verdict != "FAIL", (d, inside.reason)  # rates: PASS or INCONCLUSIVE (straddling)


def test_heavy_tailed_lower_bound_could_not_fail(claims):
    """Under heavy tails a lower-bound FAIL is reported INCONCLUSIVE: its PASS caught nothing."""
    c = claims["L"]
    N = 2.0 ** np.arange(4, 11)
    X = N ** -0.5 * (1 + np.random.default_rng(3).pareto(1.2, (200, N.size)))
    v = decide(c.bind(), X, budget=stats.Budget(0.05, 7))
    assert v.verdict == "PASS" and v.resolution["value"] is None and v.evidence == "weak"


def test_grades_and_thresholds():
    d = evidence.DEFAULT
    assert [d.grade(evidence.factor(k)) for k in (1.0, 1.5, 1.51, 4.0, 4.1, math.inf)] == \
           ["strong", "strong", "moderate", "moderate", "weak", "weak"]
    assert [d.grade(evidence.exponent(x)) for x in (0.0, 0.1, 0.2, 0.3, 0.31)] == \
           ["strong", "strong", "moderate", "moderate", "weak"]
    assert evidence.factor(math.inf).as_dict()["value"] is None
    strict = d.stricter({"strong_factor": 1.1})
    assert strict.grade(evidence.factor(1.2)) == "moderate" and d.grade(evidence.factor(1.2)) == "strong"
    for bad in ({"strong_factor": 2.0}, {"moderate_exponent": 0.5}, {"weak_factor": 3}, {"strong_exponent": -1}):
        with pytest.raises(ValueError):
            d.stricter(bad)
    assert evidence.meets("strong", "moderate") and not evidence.meets("weak", "moderate")
    assert evidence.meets(None, None) and not evidence.meets(None, "moderate")


GD = '''
[params]
c = {{ default = 1.0, domain = "(0, inf)" }}
[setting]
algorithm = {{ name = "gd", h = 1 }}
function = {{ name = "smooth-convex", instance = "huber", L = 1, R = 1, N = "N", h = 1 }}
[check]
N = [1, 2, 5, 10, 20]
[[claim]]
id = "V-gd"
kind = "upper"
bound = "c/(4*N + 2)"
expected = "PASS"
fast = true
{evidence}
[claim.citation]
authors = ["Y. Drori", "M. Teboulle"]
year = 2014
title = "Performance of first-order methods for smooth convex minimization: a novel approach"
theorem = "Thm 3.1"
'''


def _run(tmp_path, capsys, args, c=1.0, ev=""):
    d = tmp_path / f"cat{c}{len(ev)}"
    d.mkdir(exist_ok=True)
    (d / "claims.toml").write_text(GD.format(evidence=ev).replace("default = 1.0", f"default = {c}"))
    out = tmp_path / "o.json"
    rc = main(["verify", "--problems", str(d), "--claim", "V-gd", "--json", str(out), *args])
    return rc, json.loads(out.read_text())["claims"][0], capsys.readouterr().out


def test_vacuous_claim_is_weak_and_require_evidence_makes_it_inconclusive(tmp_path, capsys):
    rc, tight, out = _run(tmp_path, capsys, [])  # the exact bound: the huber instance attains it
    assert rc == 0 and tight["verdict"] == "PASS" and tight["evidence"] == "strong"
    assert tight["resolution"]["value"] == pytest.approx(1.0, abs=1e-5)
    assert tight["engines"]["mc"]["evidence"] == "strong" and "1 PASS (0 weak)" in out
    rc, vac, out = _run(tmp_path, capsys, [], c=50.0)  # 50 times too large: passes, but proves little
    assert rc == 0 and vac["verdict"] == "PASS" and vac["evidence"] == "weak"
    assert vac["resolution"]["kind"] == "factor" and vac["resolution"]["value"] == pytest.approx(50, rel=1e-4)
    assert "would have caught" in vac["resolution"]["statement"]
    assert "WEAK k=50" in out and "1 PASS (1 weak)" in out
    rc, req, out = _run(tmp_path, capsys, ["--require-evidence", "strong"], c=50.0)
    assert rc == 0 and req["verdict"] == "INCONCLUSIVE"
    assert req["resolution"] is None and req["evidence"] is None
    assert "below the required strong" in req["reason"] and "below the required strong" in out
    rc, mod, _ = _run(tmp_path, capsys, ["--require-evidence", "moderate"], c=3.0)
    assert mod["verdict"] == "PASS" and mod["evidence"] == "moderate"


def test_claim_may_make_grades_stricter_not_looser(tmp_path, capsys):
    rc, v, _ = _run(tmp_path, capsys, [], c=1.3, ev="evidence = { strong_factor = 1.2 }")
    assert v["verdict"] == "PASS" and v["evidence"] == "moderate"
    d = tmp_path / "loose"
    d.mkdir()
    (d / "claims.toml").write_text(GD.format(evidence="evidence = { strong_factor = 3 }"))
    with pytest.raises(CatalogueError, match="stricter, never looser"):
        load_file(d / "claims.toml")


def test_fail_and_skip_carry_no_resolution(tmp_path, capsys):
    rc, v, _ = _run(tmp_path, capsys, [], c=0.5)
    assert rc == 1 and v["verdict"] == "FAIL" and v["resolution"] is None and v["evidence"] is None
    assert v["engines"]["mc"]["resolution"] is None


def test_sweep_grades_each_point_and_requires_evidence(tmp_path, capsys):
    d = tmp_path / "sw"
    d.mkdir()
    (d / "claims.toml").write_text(GD.format(evidence=""))
    out = tmp_path / "s.csv"
    args = ["sweep", "--problems", str(d), "--claim", "V-gd", "--grid", "c=1,50", "--workers", "1", "--no-cache",
            "--out", str(out)]
    assert main(args) == 0
    import csv

    rows = {r["c"].removesuffix(".0"): r for r in csv.DictReader(out.open())}
    assert rows["1"]["evidence"] == "strong" and rows["50"]["evidence"] == "weak"
    assert float(rows["50"]["resolution"]) == pytest.approx(50, rel=1e-4) and rows["50"]["resolution_kind"] == "factor"
    assert "WEAK k=50" in capsys.readouterr().out
    assert main(args + ["--require-evidence", "strong"]) == 0
    rows = {r["c"].removesuffix(".0"): r for r in csv.DictReader(out.open())}
    assert rows["1"]["verdict"] == "PASS" and rows["50"]["verdict"] == "INCONCLUSIVE"
    assert "below the required strong" in rows["50"]["reason"]
    assert "--require-evidence strong" in rows["50"]["reproduce"]


pytest_plugins = ["pytester"]


@pytest.mark.slow  # a pytest subprocess (its kernels compile in a fresh cache): ~90 s
def test_pytest_plugin_require_evidence(pytester):
    d = pytester.mkdir("cat")
    (d / "claims.toml").write_text(GD.format(evidence="").replace("default = 1.0", "default = 50.0"))
    r = pytester.runpytest_subprocess(str(d), "-p", "no:cacheprovider", "-rs")
    r.assert_outcomes(passed=1)
    r = pytester.runpytest_subprocess(str(d), "-p", "no:cacheprovider", "-rs", "--boundcheck-require-evidence", "strong")
    r.assert_outcomes(skipped=1)
    assert "below the required strong" in r.stdout.str()


def test_measured_not_judged_carries_no_resolution(tmp_path):
    """Outside a claim's check regime sweep measures without judging (SKIP): no PASS, no grade."""
    from boundcheck.verify import verify_claims

    p = tmp_path / "r.toml"
    p.write_text(GD.format(evidence='regime = ["c <= 10"]').replace("default = 1.0", "default = 50.0"))
    (c,) = load_file(p)
    r = verify_claims([c], explore=True).results[0]
    v = r.engines["mc"]
    assert v.verdict == "SKIP" and "measured, not judged" in v.reason and v.measured is not None
    assert v.resolution is None and v.evidence is None and r.resolution is None and r.evidence is None


def test_verify_outside_the_check_regime_is_inconclusive_with_the_measurement(tmp_path):
    """verify: a claim whose hypotheses hold but whose check regime does not is measured and
    reported INCONCLUSIVE, naming the regime and the measured value (a SKIP is only for a failed
    hypothesis of the theorem); it neither PASSes nor FAILs, and carries no grade."""
    from boundcheck.verify import verify_claims

    p = tmp_path / "r.toml"
    p.write_text(GD.format(evidence='regime = ["c <= 10"]').replace("default = 1.0", "default = 50.0"))
    (c,) = load_file(p)
    r = verify_claims([c]).results[0]
    v = r.engines["mc"]
    assert v.verdict == "INCONCLUSIVE" and r.verdict.verdict == "INCONCLUSIVE"
    assert "outside the check regime 'c <= 10'" in v.reason and "measured value" in v.reason
    assert "would have read" in v.reason and v.measured is not None
    assert v.resolution is None and v.evidence is None and r.evidence is None


@pytest.mark.parametrize("source, best", [("paper", "strong"), ("derived", "moderate"), ("ours", "weak")])
def test_bound_source_caps_the_grade(tmp_path, source, best):
    """A strong grade counts only for the paper's statement: a bound we derived grades at most
    moderate, a constant we chose earns no grade (weak), however finely the data resolve it."""
    from boundcheck import evidence

    p = tmp_path / "s.toml"
    text = GD.format(evidence="" if source == "paper" else f'bound_source = "{source}"')
    p.write_text(text)
    (c,) = load_file(p)
    assert c.bound_source == source
    assert c.thresholds.grade(evidence.factor(1.01)) == best
    assert c.thresholds.grade(evidence.factor(3.0)) == ("moderate" if source != "ours" else "weak")


def test_unknown_bound_source_is_a_load_error(tmp_path):
    from boundcheck.errors import CatalogueError

    p = tmp_path / "s.toml"
    p.write_text(GD.format(evidence='bound_source = "folklore"'))
    with pytest.raises(CatalogueError, match="bound_source = 'folklore' must be one of paper, derived, ours"):
        load_file(p)

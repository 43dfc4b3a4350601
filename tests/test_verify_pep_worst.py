"""verify with instance = "pep-worst" (both engines on the PEP's own worst case) and the refutation
of an upper claim by a relaxed PEP whose worst case a replay confirms."""
from __future__ import annotations

import textwrap

import pytest

from boundcheck import registry
from boundcheck.claims import load_catalogue
from boundcheck.functions.base import Condition, FunctionClass
from boundcheck.params import Interval, Param
from boundcheck.pep import reconstruct, worst_instance
from boundcheck.verify import verify_claims

HEAD = """
title = "test"
[params]
L = { default = 1.0, domain = "(0, inf)", doc = "L" }
R = { default = 1.0, domain = "(0, inf)", doc = "R" }
mu = { default = 0.1, domain = "(0, inf)", doc = "mu" }
[setting]
algorithm = { name = "gd", h = 1 }
function = { name = "smooth-convex", L = "L", R = "R" }
[check]
N = [1, 3]
runs = 1
seed = 0
confidence = 0.95
index = "N steps"
"""


def _claims(tmp_path, body):
    d = tmp_path / "cat"
    d.mkdir()
    (d / "c.toml").write_text(textwrap.dedent(HEAD) + textwrap.dedent(body))
    return load_catalogue([d])


def _claim(cid, kind, bound, function, engines='["pep", "mc"]', N="[1, 3]", metric="f_gap"):
    return f"""
[[claim]]
id = "{cid}"
kind = "{kind}"
metric = "{metric}"
iterate = "last"
bound = "{bound}"
engines = {engines}
expected = "PASS"
[claim.setting]
function = {function}
[claim.check]
N = {N}
tolerance = 1e-6
[claim.citation]
authors = ["test"]
year = 2024
title = "test"
venue = "test"
theorem = "1"
"""


WORST = '{ name = "smooth-convex", instance = "pep-worst", L = "L", R = "R" }'


def test_both_engines_see_the_same_function_and_a_10_percent_smaller_constant_fails(tmp_path):
    claims = _claims(tmp_path, _claim("ok", "tight", "L*R^2/(4*N + 2)", WORST)
                     + _claim("low", "tight", "0.9*L*R^2/(4*N + 2)", WORST))
    rep = verify_claims(claims)
    ok, low = rep.results
    assert ok.verdict.verdict == "PASS", ok.verdict.reason
    (_, pep), (_, mc) = ok.data["pep"], ok.data["mc"]
    assert abs(mc - pep).max() <= 1e-6 * abs(pep).max()          # the mc run attains the PEP values
    assert low.engines["mc"].verdict == "FAIL" and low.engines["pep"].verdict == "FAIL"


def test_pep_worst_keys_are_filled_from_the_claim(tmp_path):
    from boundcheck.claims.binding import bind
    from boundcheck.verify.pep_worst import mc_setting, uses

    (c,) = _claims(tmp_path, _claim("ok", "tight", "L*R^2/(4*N + 2)", WORST))
    b = bind(c, {})
    assert uses(b)
    st = mc_setting(b, b.setting(3), 3)
    fp = st["function"][1]
    assert fp["algorithm"].startswith("gd[") and fp["N"] == 3 and fp["measure"] == "f-gap-last"
    assert fp["init"].startswith("dist[R=")


def _relaxed_copy() -> FunctionClass:
    """smooth-convex with its (exact, sufficient) interpolation condition declared only necessary:
    its PEP is flagged a relaxation although every worst case is attained by a member."""
    base = registry.functions.get("smooth-convex")
    name = "smooth-convex-relaxed"
    cond = base.conditions[0]
    return FunctionClass(
        name=name, summary="relaxed copy", definition=base.definition,
        constants=(Param("L", Interval(0, float("inf"), lo_open=True, hi_open=True), 1.0, "smoothness"),),
        stronger={"L": "smaller"},
        generators=(base.generator("quadratic"), worst_instance.generator(name, ("L",))),
        default_generator="quadratic",
        conditions=(Condition(cond.name, "pair", cond.expr, "necessary", "relaxation", cond.formula),))


@pytest.fixture
def relaxed(monkeypatch):
    import boundcheck.functions as F

    cls = _relaxed_copy()
    monkeypatch.setitem(F.PLUGINS, cls.name, "smooth_convex")
    monkeypatch.setitem(registry.functions._cache, cls.name, cls)
    monkeypatch.setitem(reconstruct.RECONSTRUCTORS, cls.name, reconstruct.RECONSTRUCTORS["smooth-convex"])
    return cls


def test_a_relaxed_pep_above_an_upper_claim_is_a_fail_when_the_replay_confirms_it(tmp_path, relaxed):
    fn = '{ name = "smooth-convex-relaxed", L = "L", R = "R" }'
    claims = _claims(tmp_path, _claim("wrong", "upper", "0.9*L*R^2/(4*N + 2)", fn, engines='["pep"]')
                     + _claim("right", "upper", "L*R^2/(4*N + 2)", fn, engines='["pep"]'))
    wrong, right = verify_claims(claims).results
    v = wrong.engines["pep"]
    assert v.verdict == "FAIL", v.reason
    assert "counterexample" in v.reason and "instance=pep-worst" in v.reason
    assert any("counterexample" in i for i in wrong.pep_info)
    assert right.engines["pep"].verdict == "PASS"


def test_a_relaxed_pep_stays_inconclusive_when_the_replay_does_not_confirm(tmp_path):
    """The PL relaxation: its worst case rebuilt as a smooth function is not PL (self-check)."""
    fn = '{ name = "pl", L = "L", mu = "mu", R = "R" }'
    claims = _claims(tmp_path, _claim("pl", "upper", "0.01*L*R^2", fn, engines='["pep"]', N="[1]"))
    (r,) = verify_claims(claims).results
    v = r.engines["pep"]
    assert v.verdict == "INCONCLUSIVE", v.reason
    assert "replay did not confirm" in v.reason

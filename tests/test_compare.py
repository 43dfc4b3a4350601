"""Issue 12, point 3: comparison claims (kind = "compare"): two settings on the same instances
with common random numbers, a paired bootstrap over runs; each form PASSes a true separation,
FAILs the reversed one, and its resolution is the FAIL threshold of the same data."""
import dataclasses
import textwrap

import numpy as np
import pytest

from boundcheck.claims import load_file
from boundcheck.claims.compare import decide_compare
from boundcheck.claims.formula import parse
from boundcheck.errors import CatalogueError
from boundcheck.verify import verify_claims

CAT = '''
[setting]
function = {{ name = "smooth-strongly-convex", L = 1, mu = 0.5, d = 10, R = 0.1 }}
noise = {{ name = "gaussian", sigma = 1 }}
algorithm = {{ name = "sgd", gamma = "{a}" }}
[check]
N = "2^6:2^12:7:log"
runs = 100
[[claim]]
id = "C-steeper"
kind = "compare"
metric = "f_gap"
iterate = "last"
bound = "0.5"
expected = "PASS"
compare = {{ form = "steeper", setting = {{ algorithm = {{ name = "sgd", gamma = "{b}" }} }} }}
citation = {{ authors = "A. B", year = 2020, title = "t", theorem = "1" }}
[[claim]]
id = "C-below"
kind = "compare"
metric = "f_gap"
iterate = "last"
bound = "1"
expected = "PASS"
compare = {{ form = "below", setting = {{ algorithm = {{ name = "sgd", gamma = "{b}" }} }} }}
citation = {{ authors = "A. B", year = 2020, title = "t", theorem = "1" }}
[claim.check]
N = [256, 1024, 4096]
'''
DECAY, CONST = "1/(0.5*(t + 4))", "0.05"


def _run(tmp_path, a, b):
    p = tmp_path / f"c{len(a)}{len(b)}.toml"
    p.write_text(textwrap.dedent(CAT.format(a=a, b=b)))
    rep = verify_claims(load_file(p))
    return {r.claim.id: r for r in rep.results}, rep


def _redecide(r, rep, claim):
    (_, XA), (_, XB) = r.data["mc"], r.data["mc (B)"]
    return decide_compare(claim.bind(), XA, XB, budget=rep.budget).verdict


def test_steeper_passes_a_true_separation_fails_the_reverse_and_resolves(tmp_path):
    res, rep = _run(tmp_path, DECAY, CONST)
    r = res["C-steeper"]
    v = r.verdict
    assert v.verdict == "PASS" and v.measured < -0.5 and v.resolution["kind"] == "exponent"
    d = v.resolution["value"]
    c = r.claim
    margin = lambda m: dataclasses.replace(c, bound=parse(repr(m), set()))  # noqa: E731
    assert _redecide(r, rep, margin(0.5 + 1.05 * d)) == "FAIL"
    assert _redecide(r, rep, margin(0.5 + 0.95 * d)) != "FAIL"
    rev, _ = _run(tmp_path, CONST, DECAY)
    assert rev["C-steeper"].verdict.verdict == "FAIL" and "not steeper" in rev["C-steeper"].verdict.reason


def test_below_passes_fails_the_reverse_and_resolves(tmp_path):
    res, rep = _run(tmp_path, DECAY, CONST)
    r = res["C-below"]
    v = r.verdict
    assert v.verdict == "PASS" and v.resolution["kind"] == "factor"
    k = v.resolution["value"]
    assert k > 1 and len(v.points) == 3 and r.claim.n_tests() == 3
    c = r.claim
    ratio = lambda x: dataclasses.replace(c, bound=parse(repr(x), set()))  # noqa: E731
    assert _redecide(r, rep, ratio(1 / k ** 1.05)) == "FAIL"
    assert _redecide(r, rep, ratio(1 / k ** 0.95)) == "PASS"
    rev, _ = _run(tmp_path, CONST, DECAY)
    assert rev["C-below"].verdict.verdict == "FAIL"


def test_common_random_numbers_identical_settings_give_identical_runs(tmp_path):
    res, _ = _run(tmp_path, CONST, CONST)
    r = res["C-below"]
    np.testing.assert_array_equal(r.data["mc"][1], r.data["mc (B)"][1])  # same instance, same noise draws
    assert r.verdict.measured == 1.0 and r.verdict.ci == (1.0, 1.0)


@pytest.mark.parametrize("change,msg", [
    ('compare = { form = "steeper", setting = { algorithm = { name = "sgd", gamma = "0.05" } } }', None),
    ('compare = { form = "sideways", setting = { algorithm = { name = "sgd" } } }', "compare.form"),
    ('compare = { form = "below" }', "compare.setting"),
])
def test_bad_compare_tables_are_catalogue_errors(tmp_path, change, msg):
    text = textwrap.dedent(CAT.format(a=DECAY, b=CONST))
    first = text.split("[[claim]]")[1]
    bad = first.replace(first.splitlines()[-2], change) if msg else first.replace('kind = "compare"', 'kind = "upper"')
    p = tmp_path / "bad.toml"
    p.write_text(text.split("[[claim]]")[0] + "[[claim]]" + bad)
    with pytest.raises(CatalogueError, match=msg or "goes with kind"):
        load_file(p)


GROWTH = '''
[params]
p = {{ default = 1.0, domain = "(0, inf)" }}
[setting]
algorithm = {{ name = "gd", h = "{h}" }}
function = {{ name = "smooth-strongly-convex", L = 1, mu = "{mu}", d = 5 }}
[check]
N = [20000]
over = "p"
grid = {grid}
tolerance = 0.1
[[claim]]
id = "G"
kind = "compare"
metric = "f_gap"
bound = "1e-6"
expected = "PASS"
compare = {{ form = "growth", {shape} }}
citation = {{ authors = "A. B", year = 2020, title = "t", theorem = "1" }}
'''
EXP = dict(h="exp(-p)", mu="0.5", grid="[1, 2, 3, 4, 5]")  # T(p) ~ e^p: exponential
POLY = dict(h="1", mu="1/p", grid="[2, 4, 8, 16, 32]")  # T(p) ~ p log(1/eps): degree 1


def _growth(tmp_path, setting, shape):
    p = tmp_path / f"g{len(shape)}{setting['h']}.toml"
    p.write_text(textwrap.dedent(GROWTH.format(shape=shape, **setting)))
    (c,) = load_file(p)
    assert c.n_tests() == 0 and c.deterministic  # exact: one run, no budget spent
    return verify_claims([c]).results[0].verdict


def test_growth_shape_exponential_vs_polynomial(tmp_path):
    v = _growth(tmp_path, EXP, 'shape = "exponential", rate = 0.8')
    assert v.verdict == "PASS" and v.measured == pytest.approx(1.0, abs=0.1) and v.resolution["kind"] == "exponent"
    assert _growth(tmp_path, EXP, 'shape = "polynomial", degree = 1').verdict == "FAIL"
    v = _growth(tmp_path, POLY, 'shape = "polynomial", degree = 1')
    assert v.verdict == "PASS" and v.measured == pytest.approx(1.0, abs=0.1)
    assert _growth(tmp_path, POLY, 'shape = "exponential", rate = 0.5').verdict == "FAIL"


def test_growth_says_when_eps_is_not_reached(tmp_path):
    v = _growth(tmp_path, {**EXP, "grid": "[1, 12]"}, 'shape = "exponential"')
    assert v.verdict == "INCONCLUSIVE" and "not reached within 20000 steps at p = 12" in v.reason

"""Catalogue loading: validation errors name file:line, the claim and the token; SKIP vs usage error."""
import dataclasses
import re
import textwrap

import pytest

from boundcheck import registry
from boundcheck.claims import check_overrides, list_claims_text, load_catalogue, load_file, select
from boundcheck.errors import CatalogueError, FormulaError, ParamError

BASE = textwrap.dedent('''\
    title = "test file"

    [params]
    L = { default = 1.0, domain = "(0, inf)", doc = "smoothness" }
    R = 1.0
    h = { default = 1.0, domain = "(0, 2)" }
    alpha = { default = 2.0, domain = "(1, 2]", doc = "noise moment order" }

    [setting]
    algorithm = { name = "gd", h = "h" }
    function = { name = "smooth-convex", instance = "huber", L = "L", R = "R", N = "N", h = "h" }

    [check]
    N = "1:4:4"
    runs = 1

    [[claim]]
    id = "T01-test-tight"
    kind = "tight"
    bound = "L*R^2/(4*N*h + 2)"
    assumptions = ["0 < h <= 1"]
    engines = ["mc", "pep"]
    expected = "PASS"
    fast = true
    [claim.citation]
    authors = "Y. Drori, M. Teboulle"
    year = 2014
    title = "Performance of first-order methods"
    theorem = "Thm 3.1"
    arxiv = "1206.3209"

    [[claim]]
    id = "X-variance"
    kind = "upper"
    bound = "L*R^2/(2*N*h)"
    assumptions = ["alpha == 2"]
    expected = "PASS"
    [claim.citation]
    authors = ["A. Author"]
    year = 2020
    title = "A bound that needs bounded variance"
    theorem = "Thm 1"
    ''')


def write(tmp_path, text, name="p.toml"):
    p = tmp_path / name
    p.write_text(text)
    return p


def line_of(text, needle, nth=0):
    hits = [i + 1 for i, l in enumerate(text.splitlines()) if needle in l]
    return hits[nth]


def test_base_loads_with_everything_resolved(tmp_path):
    a, b = load_file(write(tmp_path, BASE))
    assert a.id == "T01-test-tight" and a.kind == "tight" and a.engines == ("mc", "pep")
    assert a.check.N == (1, 2, 3, 4) and a.check.tolerance == 1e-6 and a.fast and not b.fast
    assert a.citation.short() == "Drori, Teboulle 2014, Thm 3.1" and b.citation.authors == "A. Author"
    assert a.line == line_of(BASE, 'id = "T01-test-tight"')
    bd = a.bind()
    assert bd.skip_reason is None and bd.exponent() == -1.0
    assert bd.bound([1, 5]).tolist() == pytest.approx([1 / 6, 1 / 22])
    s = bd.setting(5)
    assert s["noise"] is None and s["algorithm"] == ("gd", {"h": 1.0})
    assert s["function"][1]["N"] == 5 and s["function"][1]["instance"] == "huber"


def test_builtin_catalogue_is_consistent():
    """Generic conformance: every built-in claim loads, its assumptions hold at its defaults, and
    its setting validates at every N of its grid."""
    claims = load_catalogue()
    assert any(c.id == "T01-gd-tight" for c in claims)
    for c in claims:
        b = c.bind()
        assert b.skip_reason is None, (c.id, b.skip_reason)
        # a compare claim's bound is a margin (steeper by at least bound: 0 = strictly steeper)
        assert all(b.bound(c.check.N) >= 0) if c.kind == "compare" else all(b.bound(c.check.N) > 0), c.id
        for N in c.check.N:
            b.setting(N)
    assert "T01-gd-tight" in list_claims_text()


def test_malformed_toml_names_file_and_line(tmp_path):
    text = BASE.replace('runs = 1', 'runs = = 1')
    with pytest.raises(CatalogueError, match=rf"p.toml:{line_of(text, 'runs = = 1')}: malformed TOML"):
        load_file(write(tmp_path, text))


@pytest.mark.parametrize("old,new,pattern,needle", [
    ('kind = "upper"', 'kind = "upper"\nbund = "1"', r"unknown key 'bund' in claim 'X-variance'; did you mean 'bound'", 'bund ='),
    ('expected = "PASS"\nfast', 'expected = "pass"\nfast', r"expected must be one of PASS \| FAIL", 'expected = "pass"'),
    ('runs = 1', 'runs = 1\nconfidense = 0.9', r"unknown key 'confidense'.*did you mean 'confidence'", 'confidense'),
    ('year = 2020', 'year = "2020"', r"'year' must be an integer", 'year = "2020"'),
    ('bound = "L*R^2/(2*N*h)"', 'bound = "__import__(\'os\')"', r"claim 'X-variance', bound: .*'__import__'", "__import__"),
    ('bound = "L*R^2/(2*N*h)"', 'bound = "mu*R^2/N"', r"claim 'X-variance', bound: unknown name.*'mu'", "mu*R^2"),
    ('bound = "L*R^2/(2*N*h)"', 'bound = "L.__class__"', r"attribute access is not allowed", "L.__class__"),
    ('assumptions = ["alpha == 2"]', 'assumptions = ["alpha = 2"]', r"claim 'X-variance', assumption: cannot parse", "alpha = 2"),
    ('algorithm = { name = "gd", h = "h" }', 'algorithm = { name = "gd", h = "h*os.sep" }',
     r"claim 'T01-test-tight', setting.algorithm.h: attribute access is not allowed: 'os.sep'", 'h = "h*os.sep"'),
    ('[params]', '[params]\nbeta = { default = 1, domain = "(0, 1" }', r"domain '\(0, 1' is not an interval", "beta ="),
    ('[params]', '[setings]\n[params]', r"unknown key 'setings' in the file; did you mean 'setting'", "[setings]"),
])
def test_errors_name_file_line_claim_and_token(tmp_path, old, new, pattern, needle):
    assert old in BASE
    text = BASE.replace(old, new, 1)
    with pytest.raises((CatalogueError, FormulaError)) as e:
        load_file(write(tmp_path, text))
    msg = str(e.value)
    assert re.search(pattern, msg), msg
    assert msg.startswith(f"{tmp_path / 'p.toml'}:{line_of(text, needle)}:"), msg


@pytest.mark.parametrize("old,new,pattern", [
    ('name = "gd"', 'name = "gdd"', r"unknown algorithm 'gdd'; did you mean 'gd'"),
    ('name = "smooth-convex"', 'name = "smooth-konvex"', r"unknown function class 'smooth-konvex'"),
    ('h = "h" }', 'step = "h" }', r"gd has no parameter 'step'"),
    ('[check]', 'noise = { name = "gaussian", sigma = 1 }\n[check]', r"gd is a deterministic method"),
    ('kind = "upper"', 'kind = "high_prob"\ndelta = 0.1\nengines = ["pep"]', r"engine 'pep' is not compatible: high_prob"),
    ('kind = "upper"', 'kind = "upper"\ndelta = 0.1', r"'delta' is required for kind = \"high_prob\" and allowed only there and for rate"),
    ('kind = "upper"', 'kind = "upper"\niterate = "out"', r"iterate 'out' is not available for gd"),
    ('kind = "upper"', 'kind = "upper"\nengines = ["mc", "sdp"]', r"engines must be a non-empty list of mc, pep"),
    ('[[claim]]\nid = "X-variance"', '[[claim]]\nid = "T01-test-tight"', r"duplicate claim id 'T01-test-tight'"),
    ('title = "A bound that needs bounded variance"\n', '', r"citation of claim 'X-variance' lacks the required key 'title'"),
    ('alpha = { default = 2.0,', 'alpha = { default = 3.0,', r"default of 'alpha' must be in \(1, 2\]"),
    ('alpha = { default', 'N = { default', r"'N' cannot be a parameter name"),
])
def test_validation_errors(tmp_path, old, new, pattern):
    assert old in BASE
    with pytest.raises(CatalogueError, match=pattern):
        load_catalogue([write(tmp_path, BASE.replace(old, new, 1))])


def test_pep_is_rejected_for_stochastic_methods(tmp_path, monkeypatch):
    gd = registry.algorithms.get("gd")
    fake = dataclasses.replace(gd, name="fake-sgd", stochastic=True)
    monkeypatch.setitem(registry.algorithms._cache, "fake-sgd", fake)
    import boundcheck.algorithms as algos

    monkeypatch.setitem(algos.PLUGINS, "fake-sgd", "gd")
    text = BASE.replace('name = "gd"', 'name = "fake-sgd"').replace(
        '[check]', 'noise = { name = "pareto", beta = "alpha + 0.1" }\n[check]')
    with pytest.raises(CatalogueError, match=r"PEP covers deterministic methods only .*no PEP model of pareto"):
        load_file(write(tmp_path, text))
    (c, _) = load_file(write(tmp_path, text.replace('engines = ["mc", "pep"]', 'engines = ["mc"]')))
    assert c.bind({"alpha": 1.5}).setting(3)["noise"][1]["beta"] == pytest.approx(1.6)


def test_failing_assumption_is_skip_with_numbers(tmp_path):
    a, b = load_file(write(tmp_path, BASE))
    bd = b.bind({"alpha": 1.5})
    assert bd.skip_reason == "assumption 'alpha == 2' fails: alpha == 2 is false at alpha = 1.5"
    assert bd.failures[0].values == {"alpha": 1.5}
    assert a.bind({"alpha": 1.5}).skip_reason is None  # a does not assume anything about alpha
    assert a.bind({"h": 1.5}).skip_reason.startswith("assumption '0 < h <= 1' fails: h <= 1")


def test_out_of_domain_is_a_usage_error_naming_claims(tmp_path):
    claims = load_file(write(tmp_path, BASE))
    with pytest.raises(ParamError, match=r"alpha=2.5 is outside the domain of the selected claims: "
                                         r"T01-test-tight, X-variance need alpha in \(1, 2\]"):
        check_overrides(claims, {"alpha": 2.5})
    check_overrides(claims, {"alpha": 1.5})
    with pytest.raises(ParamError, match=r"claim 'X-variance' needs alpha in \(1, 2\] \(got 2.5\)"):
        claims[1].bind({"alpha": 2.5})
    assert ParamError.exit_code == 2


def test_overrides_reach_plugins_and_report_unused(tmp_path):
    a, _ = load_file(write(tmp_path, BASE))
    bd = a.bind({"function.L": 2.0, "d": 1, "sigma": 3})
    assert bd.setting(2)["function"][1]["L"] == 2.0 and bd.unused == ["sigma"]
    # function.L is tied to the claim parameter L (L = "L"): it flows there, so the bound follows
    assert bd.values["L"] == 2.0 and bd.bound([2])[0] == pytest.approx(2.0 / 10)
    with pytest.raises(ParamError, match=r"claim 'T01-test-tight' needs L in \(0, inf\) \(got -1\)"):
        a.bind({"function.L": -1})


def test_select_and_grids(tmp_path):
    claims = load_catalogue([write(tmp_path, BASE.replace('N = "1:4:4"', 'N = "2^4:2^10:7:log"'))])
    assert claims[0].check.N == (16, 32, 64, 128, 256, 512, 1024)
    assert [c.id for c in select(claims, claim_id="T01")] == ["T01-test-tight"]
    assert [c.id for c in select(claims, fast=True)] == ["T01-test-tight"]
    assert [c.id for c in select(claims, engine="pep", algorithm="gd")] == ["T01-test-tight"]
    with pytest.raises(CatalogueError, match="did you mean 'X-variance'"):
        select(claims, claim_id="X-varianse")
    with pytest.raises(CatalogueError, match="no such catalogue folder"):
        load_catalogue([tmp_path / "missing"])


def test_missing_citation_key_points_at_the_citation_table(tmp_path):
    text = BASE.replace('theorem = "Thm 1"\n', '')
    with pytest.raises(CatalogueError) as e:
        load_file(write(tmp_path, text))
    assert str(e.value).startswith(f"{tmp_path / 'p.toml'}:{line_of(text, '[claim.citation]', 1)}:")
    assert "lacks the required key 'theorem'" in str(e.value)


def test_claim_level_overrides_merge_into_the_file_setting(tmp_path):
    text = BASE.replace('assumptions = ["alpha == 2"]\n', 'assumptions = ["alpha == 2"]\nmetric = "min(grad_norm, grad_sq)"\n')
    text += '[claim.setting]\nfunction = { instance = "quadratic", d = 3 }\n[claim.check]\nN = [10, 20]\nruns = 50\n'
    with pytest.raises(CatalogueError, match=r"smooth-convex has no parameter 'N'") as e:
        load_file(write(tmp_path, text))  # quadratic takes no N: the merged table is validated
    huber_line = line_of(text, 'instance = "huber"')
    assert str(e.value).startswith(f"{tmp_path / 'p.toml'}:{huber_line}:")
    text = text.replace('function = { instance = "quadratic", d = 3 }', 'function = { name = "smooth-convex", instance = "quadratic", d = 3, L = "2*L" }')
    a, b = load_file(write(tmp_path, text))
    f = b.bind().setting(10)["function"]
    assert f == ("smooth-convex", {"L": 2.0, "d": 3, "R": 1.0, "seed": 0, "instance": "quadratic"})
    assert b.check.N == (10, 20) and b.check.runs == 50 and a.check.runs == 1
    assert b.quantities == ("grad_norm", "grad_sq") and b.metric_key is None and a.metric_key == "f_gap@last"
    import numpy as np

    assert b.bind().metric(grad_sq=np.array([0.25, 4.0])).tolist() == [0.25, 2.0]
    assert a.deterministic and a.n_tests() == 0


def test_schedules_stay_formulas_in_t(tmp_path, monkeypatch):
    from boundcheck.params import Param, Text
    import boundcheck.algorithms as algos

    gd = registry.algorithms.get("gd")
    fake = dataclasses.replace(gd, name="fake-sched", params=gd.params + (Param("gamma", Text("schedule"), "1", ""),))
    monkeypatch.setitem(registry.algorithms._cache, "fake-sched", fake)
    monkeypatch.setitem(algos.PLUGINS, "fake-sched", "gd")
    text = BASE.replace('algorithm = { name = "gd", h = "h" }',
                        'algorithm = { name = "fake-sched", h = "h", gamma = "1/(L*sqrt(N)*sqrt(t + 1))" }')
    a, _ = load_file(write(tmp_path, text))
    g = a.bind({"L": 2}).setting(4)["algorithm"][1]["gamma"]
    assert g == "1/(4*sqrt(t + 1))"
    with pytest.raises(FormulaError, match="unknown name.*'s'"):
        load_file(write(tmp_path, text.replace("sqrt(t + 1)", "sqrt(s + 1)")))


def test_rate_exponent_given_or_derived(tmp_path):
    text = BASE.replace('kind = "upper"\nbound = "L*R^2/(2*N*h)"',
                        'kind = "rate"\nsense = "upper"\nbound = "max(L*R^2/N, R*N^(-(alpha-1)/alpha))"')
    _, b = load_file(write(tmp_path, text))
    assert b.bind({"alpha": 2}).exponent() == pytest.approx(-0.5)
    _, b = load_file(write(tmp_path, text.replace('sense = "upper"', 'sense = "upper"\nexponent = "-2*(alpha-1)/alpha"')))
    assert b.bind().exponent() == pytest.approx(-1.0) and b.sense == "upper"
    with pytest.raises(CatalogueError, match="'exponent' is only for kind"):
        load_file(write(tmp_path, BASE.replace('kind = "upper"', 'kind = "upper"\nexponent = "-1"')))


def test_docs_example_is_the_shipped_file_and_documents_every_key():
    from pathlib import Path

    from boundcheck.claims import schema as S

    root = Path(__file__).resolve().parents[1]
    doc = (root / "docs" / "claims.md").read_text()
    example = doc.split("```toml\n", 1)[1].split("```", 1)[0]
    shipped = (root / "problems" / "gd_smooth_convex.toml").read_text()
    strip = lambda t: [l.split("#")[0].rstrip() for l in t.splitlines() if l.split("#")[0].strip()]  # noqa: E731
    assert set(strip(example)) <= set(strip(shipped)) | {'title = "Gradient descent on L-smooth convex functions: exact worst case"'}
    for table in (S.FILE_KEYS, S.CLAIM_KEYS, S.CHECK_KEYS, S.CITATION_KEYS):
        for key in table:
            assert f"`{key}`" in doc or f"[{key}]" in doc or f"[claim.{key}]" in doc, key


def test_regime_is_separate_from_assumptions(tmp_path):
    """``regime``: where the check is trusted. Outside it the claim SKIPs (a distinct reason);
    Binding.outside_regime_only tells a sweep it may still measure; a failing hypothesis wins."""
    text = BASE.replace('assumptions = ["alpha == 2"]\n', 'assumptions = ["alpha > 1"]\nregime = ["alpha >= 1.5"]\n')
    _, b = load_file(write(tmp_path, text))
    assert [r.text for r in b.regime] == ["alpha >= 1.5"] and b.describe()["regime"] == ["alpha >= 1.5"]
    ok = b.bind({"alpha": 1.6})
    assert ok.skip_reason is None and not ok.outside_regime_only
    out = b.bind({"alpha": 1.2})
    assert out.skip_reason.startswith("outside the check regime 'alpha >= 1.5': alpha >= ")
    assert out.outside_regime_only and out.judged().skip_reason is None
    assert out.skip_reason is not None  # judged() is a copy
    both = load_file(write(tmp_path, BASE.replace('assumptions = ["alpha == 2"]\n',
                                                  'assumptions = ["alpha == 2"]\nregime = ["alpha >= 1.5"]\n')))[1]
    bb = both.bind({"alpha": 1.2})
    assert bb.skip_reason.startswith("assumption 'alpha == 2' fails") and not bb.outside_regime_only
    bad = BASE.replace('assumptions = ["alpha == 2"]\n', 'assumptions = ["alpha == 2"]\nregime = ["zeta >= 1"]\n')
    with pytest.raises(FormulaError) as e:
        load_file(write(tmp_path, bad))
    assert "claim 'X-variance', regime" in str(e.value) and f"p.toml:{line_of(bad, 'zeta')}" in str(e.value)


# ---------------------------------------------------------------- issue 11: input errors found on load
@pytest.mark.parametrize("bound, value, point", [("log(1 - N)", "-inf", "N = 1"), ("exp(1000*N)", "+inf", "N = 1"),
                                                 ("L*sqrt(1 - N)", "NaN", "N = 2")])
def test_non_finite_bound_at_a_check_point_is_a_load_error(tmp_path, bound, value, point):
    text = BASE.replace('bound = "L*R^2/(4*N*h + 2)"', f'bound = "{bound}"')
    with pytest.raises(CatalogueError, match=rf"p.toml:\d+: claim 'T01-test-tight': bound '{re.escape(bound)}' is "
                                             rf"{re.escape(value)} at {point}"):
        load_file(write(tmp_path, text))


def test_non_finite_bound_under_an_override_is_a_usage_error(tmp_path):
    a, _ = load_file(write(tmp_path, BASE.replace('bound = "L*R^2/(4*N*h + 2)"', 'bound = "L*R^2/(4*N*h + 2) + log(L - 1)"')
                           .replace("L = { default = 1.0", "L = { default = 2.0")))
    with pytest.raises(ParamError, match=r"claim 'T01-test-tight': bound .* is NaN at N = 1 with L = 0.5"):
        a.bind({"L": 0.5})
    # outside the theorem's assumptions the bound need not be a number: the claim is SKIP
    assert a.bind({"L": 0.5, "h": 1.5}).skip_reason.startswith("assumption '0 < h <= 1' fails")


def test_non_utf8_file_is_named_in_one_line(tmp_path):
    p = tmp_path / "latin.toml"
    p.write_bytes(BASE.replace('title = "test file"', 'title = "caf\u00e9"').encode("latin-1"))
    with pytest.raises(CatalogueError, match=r"latin.toml:1: the file is not UTF-8 text \(byte 0xe9"):
        load_file(p)


def test_check_value_out_of_domain_names_the_key_and_domain(tmp_path):
    with pytest.raises(CatalogueError, match=r"p.toml:\d+: claim 'T01-test-tight': check.confidence = 1.5 is "
                                             r"outside its domain: confidence must be in \(0, 1\)"):
        load_file(write(tmp_path, BASE.replace("runs = 1\n", "runs = 1\nconfidence = 1.5\n")))
    with pytest.raises(CatalogueError, match=r"check.runs = 0 .* runs must be >= 1"):
        load_file(write(tmp_path, BASE.replace("runs = 1\n", "runs = 0\n")))


@pytest.mark.parametrize("assumptions, default, why", [
    ('["h > 2"]', "1.0", r"no value of h in its domain \(0, 2\) satisfies h > 2 \(the default is h = 1\)"),
    ('["h < 0.5", "h >= 0.7"]', "0.6", r"satisfies h < 1/2 together with h >= 7/10"),
    ('["1 > 2"]', "1.0", r"1 > 2 is false \(it involves no parameter"),
])
def test_assumption_that_can_never_hold_is_a_load_error(tmp_path, assumptions, default, why):
    text = BASE.replace('assumptions = ["0 < h <= 1"]', f"assumptions = {assumptions}").replace(
        "h = { default = 1.0", f"h = {{ default = {default}")
    with pytest.raises(CatalogueError, match=rf"p.toml:\d+: claim 'T01-test-tight': assumption .* can never hold: .*{why}"):
        load_file(write(tmp_path, text))


def test_assumption_failing_only_at_the_default_loads_and_skips(tmp_path):
    """alpha == 2 fails at the default alpha = 1.5 but an override (--noise alpha=2) satisfies it:
    not an input error; the claim is SKIP until then. Same for relations in several parameters."""
    text = BASE.replace('alpha = { default = 2.0', 'alpha = { default = 1.5').replace(
        'assumptions = ["0 < h <= 1"]', 'assumptions = ["0 < h <= 1", "L <= R/2"]')
    a, b = load_file(write(tmp_path, text))
    assert b.bind().skip_reason.startswith("assumption 'alpha == 2' fails")
    assert b.bind({"alpha": 2}).skip_reason is None
    assert a.bind().skip_reason.startswith("assumption 'L <= R/2' fails") and a.bind({"L": 0.5}).skip_reason is None

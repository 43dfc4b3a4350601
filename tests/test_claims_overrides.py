"""--function/--noise overrides against a claim (issue 11, silent wrong answer #1): a value flows
into the claim parameter the catalogue ties it to (bound and instance change together), or it is
refused naming the claim parameter to set; a replaced noise model whose declared facts break the
claim's hypotheses makes the claim SKIP with the reason."""
import textwrap

import pytest

from boundcheck.claims import load_catalogue, load_file
from boundcheck.errors import ParamError

TEXT = textwrap.dedent('''\
    title = "override routing"

    [params]
    L = { default = 1.0, domain = "(0, inf)" }
    mu = { default = 0.1, domain = "(0, inf)" }
    alpha = { default = 1.5, domain = "(1, 2]" }
    sigma = { default = 1.0, domain = "(0, inf)" }

    [setting]
    algorithm = { name = "clipped-sgd", gamma = "2/(mu*(t + 2*L/mu))", c = "(t + 1)^(1/alpha)" }
    function = { name = "smooth-strongly-convex", L = "L", mu = "mu" }
    noise = { name = "pareto", beta = "alpha + 0.1", scale = "sigma" }

    [check]
    N = "2^4:2^8:5:log"
    runs = 10

    [[claim]]
    id = "R-upper-rate"
    kind = "rate"
    sense = "upper"
    bound = "N^(-2*(alpha - 1)/alpha)"
    assumptions = ["1 < alpha <= 2", "mu < L"]
    expected = "PASS"
    [claim.citation]
    authors = "A. Author"
    year = 2020
    title = "t"
    theorem = "Thm 1"

    [[claim]]
    id = "R-upper-abs"
    kind = "upper"
    bound = "sigma^2/(mu*N)"
    expected = "PASS"
    [claim.citation]
    authors = "A. Author"
    year = 2020
    title = "t"
    theorem = "Thm 2"

    [[claim]]
    id = "R-lower"
    kind = "lower"
    bound = "sigma^2/(mu*N)/100"
    expected = "PASS"
    [claim.citation]
    authors = "A. Author"
    year = 2020
    title = "t"
    theorem = "Thm 3"
    ''')


def _builtin(cid):
    (c,) = [c for c in load_catalogue() if c.id == cid]
    return c


@pytest.fixture()
def claims(tmp_path):
    p = tmp_path / "r.toml"
    p.write_text(TEXT)
    return {c.id: c for c in load_file(p)}


def test_t01_function_spec_flows_into_the_claim_parameter_and_keeps_the_instance():
    t01 = _builtin("T01-gd-tight")
    b = t01.bind({"function": "smooth-convex[L=2]"})
    assert b.values["L"] == 2.0  # the bound is computed at L = 2, not at the claim's default L = 1
    assert b.bound([5])[0] == pytest.approx(2 / (4 * 5 + 2))
    name, p = b.setting(5)["function"]
    assert name == "smooth-convex" and p["instance"] == "huber" and p["L"] == 2.0 and p["N"] == 5
    assert t01.bind({"function.L": 2}).values["L"] == 2.0 and t01.bind({"L": 2}).values["L"] == 2.0
    # equal to the claim's literal: nothing to refuse
    assert t01.bind({"function": "smooth-convex[instance=huber,L=3]"}).values["L"] == 3.0


@pytest.mark.parametrize("ov, message", [
    ({"function": "smooth-convex[instance=quadratic]"},
     r"claim 'T01-gd-tight' fixes function.instance = huber: it is part of the claim, not a parameter; "
     r"its parameters are L, R, h"),
    ({"function": "smooth-convex[N=3]"}, r"sets function.N = N; it follows the grid \(N\)"),
    ({"function": "smooth-strongly-convex[L=2,mu=0.1]"},
     r"stated for the function class smooth-convex .* set its parameters L, R, h instead"),
    ({"function": "smooth-convex[L=2]", "L": 3}, r"L=3 sets the claim parameter L = 3 .* but --function "
                                                  r"'smooth-convex\[L=2\]' sets it to 2"),
])
def test_t01_overrides_the_claim_does_not_allow_are_refused(ov, message):
    t01 = _builtin("T01-gd-tight")
    with pytest.raises(ParamError, match=message):
        t01.bind(ov)


def test_noise_parameter_tied_by_a_formula_is_refused_naming_the_claim_parameter(claims):
    c = claims["R-upper-rate"]
    for ov in ({"noise": "pareto[beta=1.6]"}, {"noise.beta": 1.6}, {"beta": 1.6}):
        with pytest.raises(ParamError, match=r"sets noise.beta = alpha \+ 0.1; set the claim parameter alpha instead "
                                             r"\(e.g. --noise alpha=VALUE\)"):
            c.bind(ov)
    # a bare claim parameter flows: scale = "sigma"
    assert c.bind({"noise": "pareto[scale=2]"}).values["sigma"] == 2.0


@pytest.mark.parametrize("spec, ok", [("stable[alpha=1.5]", False), ("stable[alpha=1.9]", True),
                                      ("student-t[nu=1.4]", False), ("student-t[nu=1.7]", True),
                                      ("gaussian", True), ("student-t[nu=1.5]", False),
                                      ("rare-spike[alpha=1.2]", True)])
def test_replaced_noise_is_checked_against_the_moment_order_by_declared_facts(claims, spec, ok):
    """The claim's own noise (pareto with beta = alpha + 0.1) declares a bounded alpha-th moment,
    1.5; a replacement must have a finite 1.5-th moment by its declared tail index, whatever the
    model (the bounded two-point rare-spike law has every moment)."""
    from boundcheck import registry
    from boundcheck.noise.shorthand import moment_order

    c = claims["R-upper-rate"]
    own = registry.noise.get("pareto")
    q = moment_order(own, own.validate({"beta": 1.6}))
    assert q == 1.5
    b = c.bind({"noise": spec, "alpha": 1.5})
    name = spec.split("[")[0]
    model = registry.noise.get(name)
    params = b.setting(16)["noise"][1]
    assert ok == model.has_moment(params, q)  # the rule, restated from the facts
    if ok:
        assert b.skip_reason is None
    else:
        assert b.skip_reason.startswith(f"the claim assumes noise with a finite {q:g}-th moment")
        assert f"tail index {model.tail_index(params):g}" in b.skip_reason


def test_t07_with_stable_noise_of_the_same_order_is_skip_not_pass():
    c = _builtin("T07-clip-strongly-convex-rate")
    b = c.bind({"noise": "stable[alpha=1.5]"})
    assert b.skip_reason == ("the claim assumes noise with a finite 1.5-th moment (its own noise pareto[beta=1.6,scale=1] "
                             "has a bounded 1.5-th moment); stable[alpha=1.5,scale=1,skew=0] has none (tail index 1.5)")
    assert c.bind({"noise": "student-t[nu=3]"}).skip_reason is None


def test_replaced_noise_on_attained_or_constant_bounds_is_skip(claims):
    lower = claims["R-lower"].bind({"noise": "gaussian"})
    assert "a lower claim says its bound is attained by its own noise pareto" in lower.skip_reason
    absolute = claims["R-upper-abs"].bind({"noise": "gaussian"})
    assert absolute.skip_reason.startswith("the bound's constant uses sigma, which sets the claim's own noise")
    # the same claims with their own noise model: parameters flow, nothing is skipped
    assert claims["R-upper-abs"].bind({"noise": "pareto[scale=2]"}).values["sigma"] == 2.0
    assert claims["R-upper-abs"].bind({"noise": "pareto[scale=2]"}).skip_reason is None


def test_a_plugin_key_named_like_an_untied_claim_parameter_is_refused(tmp_path):
    """The claim declares L but its function leaves function.L at the plugin default: overriding
    function.L would change the instance and not the bound's L (a nearby question): refused."""
    p = tmp_path / "u.toml"
    p.write_text(TEXT.replace('function = { name = "smooth-strongly-convex", L = "L", mu = "mu" }',
                              'function = { name = "smooth-strongly-convex", mu = "mu" }'))
    c = {x.id: x for x in load_file(p)}["R-upper-rate"]
    for ov in ({"function": "smooth-strongly-convex[L=2]"}, {"function.L": 2}):
        with pytest.raises(ParamError, match=r"has a parameter L, but its function leaves function.L at the plugin's "
                                             r"default: the two are not tied"):
            c.bind(ov)
    assert c.bind({"function.d": 3}).setting(16)["function"][1]["d"] == 3  # a key the claim leaves free


def test_flowed_values_are_checked_against_the_claim_parameter_domain():
    t01 = _builtin("T01-gd-tight")
    with pytest.raises(ParamError, match=r"claim 'T01-gd-tight' needs L in \(0, inf\) \(got -1\)"):
        t01.bind({"function": "smooth-convex[L=-1]"})
    with pytest.raises(ParamError, match=r"needs L to be a number in \(0, inf\) \(got abc\)"):
        t01.bind({"function": "smooth-convex[L=abc]"})


def test_moment_order_comes_from_the_claims_own_noise_facts(tmp_path):
    """With gaussian noise of its own the claim's declared moment order is 2 (bounded variance): a
    replacement with tail index 1.7 is SKIP, one with tail index 3 runs."""
    p = tmp_path / "g.toml"
    p.write_text(TEXT.replace('noise = { name = "pareto", beta = "alpha + 0.1", scale = "sigma" }',
                              'noise = { name = "gaussian", sigma = "sigma" }'))
    c = {x.id: x for x in load_file(p)}["R-upper-rate"]
    assert c.bind({"noise": "student-t[nu=1.7]"}).skip_reason == (
        "the claim assumes noise with a finite 2nd moment (its own noise gaussian[sigma=1] has a bounded 2nd moment); "
        "student-t[nu=1.7,scale=1] has none (tail index 1.7)")
    assert c.bind({"noise": "student-t[nu=3]"}).skip_reason is None


def test_plugin_parameters_are_validated_when_bound_before_any_run():
    """A free plugin key passes to the plugin, and the plugin's refusal comes at bind time (before
    verify runs anything), not in the middle of a run."""
    t01 = _builtin("T01-gd-tight")
    with pytest.raises(ParamError, match=r"claim 'T01-gd-tight' at N=\d+: smooth-convex: instance 'huber' is "
                                         r"1-dimensional \(got d=3\)"):
        t01.bind({"function.d": 3})

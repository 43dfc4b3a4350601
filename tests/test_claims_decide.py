"""decide(): a claim's kind picks the test; budget and calibration at claim level (synthetic data)."""
import dataclasses
import textwrap

import numpy as np
import pytest

import boundcheck.algorithms as algos
from boundcheck import registry, stats
from boundcheck.claims import decide, load_file

TOML = textwrap.dedent('''\
    [params]
    alpha = { default = 1.5, domain = "(1, 2]" }
    [setting]
    algorithm = "fake-sgd"
    function = "smooth-convex"
    noise = { name = "pareto", beta = "alpha + 0.1" }
    [check]
    N = "2^4:2^11:8:log"
    runs = 100
    bootstrap = 500
    [[claim]]
    id = "S-rate"
    kind = "rate"
    sense = "upper"
    bound = "N^(-2*(alpha-1)/(3*alpha-2))"
    expected = "PASS"
    citation = { authors = "A. B", year = 2020, title = "t", theorem = "1" }
    [[claim]]
    id = "S-hp"
    kind = "high_prob"
    delta = 0.1
    bound = "3*N^(-0.4)"
    expected = "PASS"
    citation = { authors = "A. B", year = 2020, title = "t", theorem = "1" }
    ''')


@pytest.fixture
def claims(tmp_path, monkeypatch):
    fake = dataclasses.replace(registry.algorithms.get("gd"), name="fake-sgd", stochastic=True)
    monkeypatch.setitem(registry.algorithms._cache, "fake-sgd", fake)
    monkeypatch.setitem(algos.PLUGINS, "fake-sgd", "gd")
    p = tmp_path / "s.toml"
    p.write_text(TOML)
    return load_file(p)


def _data(seed, b=-0.4, runs=100):
    N = 2.0 ** np.arange(4, 12)
    return N ** b * np.random.default_rng(seed).lognormal(0, 0.5, (runs, N.size))


def test_rate_claim_pass_and_steeper_exponent_fails(claims):
    rate, _ = claims
    assert rate.n_tests() == 1 and not rate.deterministic
    b = rate.bind()
    assert b.exponent() == pytest.approx(-0.4)
    budget = stats.Budget(0.05, 1)
    assert decide(b, _data(0), budget=budget).verdict == "PASS"
    # the same data against the exponent made steeper by 0.15: FAIL
    from boundcheck.claims.formula import parse

    steeper = dataclasses.replace(rate, exponent=parse("-2*(alpha-1)/(3*alpha-2) - 0.15", {"alpha"}))
    v = decide(steeper.bind(), _data(0), budget=budget)
    assert v.verdict == "FAIL" and "slope CI" in v.reason and v.budget["tests"] == 1


def test_claim_level_false_alarms_stay_in_budget(claims):
    """20 seeds of true claims (both kinds): no more false FAILs than the budget allows."""
    rate, hp = claims
    budget = stats.Budget(0.05, rate.n_tests() + hp.n_tests())
    assert budget.tests == 1 + 8
    fails = 0
    for s in range(20):
        X = _data(100 + s)
        fails += decide(rate.bind(), X, budget=budget).verdict == "FAIL"
        # P(X > 3 N^-0.4) = P(lognormal(0, .5) > 3) = 1.4% < delta = 0.1
        fails += decide(hp.bind(), X, budget=budget).verdict == "FAIL"
    assert fails <= 1
    # power on the hp claim: a bound at the median is exceeded half of the time
    X = _data(7)
    tight = dataclasses.replace(hp, bound=hp.bound / 3)
    assert decide(tight.bind(), X, budget=budget).verdict == "FAIL"


def test_skip_and_shape_errors(claims):
    rate, _ = claims
    with pytest.raises(ValueError, match="one column per grid point N"):
        decide(rate.bind(), np.ones((3, 2)))


def test_grid_over_a_parameter(tmp_path, claims):
    """T13-style: the floor as a function of the clip level c at one horizon."""
    text = TOML.replace('bound = "N^(-2*(alpha-1)/(3*alpha-2))"', 'bound = "min(sigma, sigma^2/c)"').replace(
        'algorithm = "fake-sgd"', 'algorithm = { name = "fake-sgd", h = "1/c" }').replace(
        '[params]', '[params]\nc = { default = 1.0, domain = "(0, inf)" }\nsigma = 2.0').replace(
        'sense = "upper"', 'sense = "equal"').replace(
        '[[claim]]\nid = "S-hp"', '[claim.check]\nN = [1000]\nover = "c"\ngrid = "0.25:64:9:log"\n[[claim]]\nid = "S-hp"')
    p = tmp_path / "t13.toml"
    p.write_text(text)
    rate, _ = load_file(p)
    b = rate.bind()
    assert rate.check.over == "c" and b.points[0] == 0.25 and b.points[-1] == 64
    assert b.exponent() == pytest.approx(-1.0)
    np.testing.assert_allclose(b.bound(), np.minimum(2.0, 4.0 / b.points))
    s = b.setting_at(4.0)
    assert s["algorithm"][1]["h"] == 0.25 and s["noise"][1]["beta"] == pytest.approx(1.6)
    floor = np.minimum(2.0, 4.0 / b.points) * np.random.default_rng(0).lognormal(0, 0.3, (200, b.points.size))
    fit = decide(dataclasses.replace(rate, check=dataclasses.replace(rate.check, fit_from=4)).bind(), floor)
    assert fit.verdict == "PASS" and fit.over == "c"
    text2 = text.replace('sense = "equal"', 'sense = "equal"\nassumptions = ["c <= 10"]')
    p.write_text(text2)
    assert load_file(p)[0].bind().skip_reason.endswith("at c = 16")
    p.write_text(text.replace('"0.25:64:9:log"', '"-1, 2"'))
    with pytest.raises(Exception, match="grid point 'c' must be in"):
        load_file(p)
    p.write_text(text.replace('N = [1000]', 'N = [10, 1000]'))
    with pytest.raises(Exception, match="single horizon N"):
        load_file(p)


def test_replacing_the_noise_component(claims):
    rate, _ = claims
    s = rate.bind({"noise": "student-t[nu=1.7]"}).setting(16)["noise"]
    assert s[0] == "student-t" and s[1]["nu"] == pytest.approx(1.7)
    s = rate.bind({"noise.scale": "2"}).setting(16)["noise"]
    assert s[0] == "pareto" and s[1]["scale"] == 2.0 and s[1]["beta"] == pytest.approx(1.6)
    from boundcheck.errors import UnknownNameError

    with pytest.raises(UnknownNameError, match="did you mean 'pareto'"):
        rate.bind({"noise": "paretto[beta=2]"})


class FakeResults:
    """Duck-typed engine Results: res[name] is (n_checkpoints, n_runs)."""

    def __init__(self, checkpoints, arrays):
        self.checkpoints, self.arrays = np.asarray(checkpoints), arrays

    def __getitem__(self, name):
        return self.arrays[name]


def test_collect_from_engine_results(claims, tmp_path):
    from boundcheck.claims import collect

    rate, hp = claims
    b = rate.bind()
    N = list(rate.check.N)
    assert not b.horizon_dependent  # the pareto beta depends on alpha only; gd's h is a number
    arr = np.arange(len(N) * 3, dtype=float).reshape(len(N), 3) + 1
    X = collect(b, FakeResults(N, {"f_gap@last": arr}))
    assert X.shape == (3, len(N)) and X[0, 1] == arr[1, 0]
    per_point = [FakeResults([1, n], {"f_gap@last": np.vstack([np.zeros(3), arr[j]])}) for j, n in enumerate(N)]
    np.testing.assert_array_equal(collect(b, per_point), X)
    with pytest.raises(ValueError, match="not the claim's N grid"):
        collect(b, FakeResults(N[:-1], {"f_gap@last": arr[:-1]}))
    text = TOML.replace('algorithm = "fake-sgd"', 'algorithm = { name = "fake-sgd", h = "1/sqrt(N)" }')
    p = tmp_path / "h.toml"
    p.write_text(text)
    assert load_file(p)[0].bind().horizon_dependent


def test_rate_of_a_quantile(claims):
    rate, _ = claims
    q = dataclasses.replace(rate, delta=0.1)
    v = decide(q.bind(), _data(3), budget=stats.Budget(0.05, 1))
    assert v.verdict == "PASS" and "0.9" in v.method

"""Issue 12, point 4: calibration at the decision boundary, with enough repetitions that the
binomial thresholds separate a correct 95% procedure from a mislabelled 90% one (fast; seeded).

* The slope interval (rates): 1000 fits of a true power law. Under 95% coverage the count of
  covering intervals is Binom(1000, 0.95) (mean 950, sd 6.9); under 90%, Binom(1000, 0.90) (mean
  900, sd 9.5). The threshold 925 misclassifies either with probability < 0.01; the 90% interval
  computed from the same bootstrap draws must fall below it.
* high_prob at the exact quantile: the bound is the true (1 - delta)-quantile, so P(X > bound) =
  delta exactly, the boundary of the claim. n = 340 runs, where the exact binomial test's size is
  0.047 at level 0.05 and 0.090 at level 0.10 (computed from the binomial law alone). 2000
  repetitions: FAIL counts about Binom(2000, 0.047) (mean 94) vs Binom(2000, 0.090) (mean 181);
  threshold 150.
* Family level (fast counterpart of test_verify's slow false-alarm test): a 7-point high_prob
  claim at the exact quantile, through ``decide`` with the run's Bonferroni budget, FAILs in at
  most 5% of 400 repetitions (threshold: the 0.999 binomial quantile at 5%); without the
  correction (each test at the family level) it FAILs in about 29% and exceeds the threshold.
"""
import dataclasses

import numpy as np
import pytest
from scipy import stats as st

import boundcheck.algorithms as algos
from boundcheck import registry, stats as S
from boundcheck.claims import decide, load_file

N = np.array([16, 32, 64, 128, 256, 512, 1024, 2048])


def test_slope_interval_coverage_separates_95_from_90():
    cover95 = cover90 = 0
    for s in range(1000):
        X = 2.0 * N ** -0.4 * np.random.default_rng(10_000 + s).lognormal(0.0, 0.5, (100, N.size))
        fit = S.slope_fit(N, X, alpha=0.05, B=500, seed=s)
        cover95 += fit.ci[0] <= -0.4 <= fit.ci[1]
        lo, hi = np.nanquantile(fit.boot, [0.05, 0.95])  # the same draws read as a 90% interval
        cover90 += lo <= -0.4 <= hi
    assert cover95 >= 925, cover95
    assert cover90 < 925, cover90  # the threshold would catch a mislabelled 90% interval


def test_high_prob_at_the_exact_quantile_separates_levels():
    delta, n = 0.1, 340
    b = st.expon.ppf(1 - delta)  # P(X > b) = delta exactly
    fails = {0.05: 0, 0.10: 0}
    for s in range(2000):
        x = np.random.default_rng(50_000 + s).exponential(1.0, n)
        for a in fails:
            fails[a] += S.quantile_test(x, b, delta, a).verdict == "FAIL"
    assert fails[0.05] <= 150, fails
    assert fails[0.10] > 150, fails  # a test run at the 90% level would be caught


TOML = '''
[setting]
algorithm = "fake-sgd"
function = "smooth-convex"
noise = "gaussian"
[check]
N = "2^4:2^10:7:log"
runs = 340
[[claim]]
id = "H"
kind = "high_prob"
delta = 0.1
bound = "3*N^(-0.5)"
expected = "PASS"
citation = { authors = "A. B", year = 2020, title = "t", theorem = "1" }
'''


@pytest.fixture
def hp(tmp_path, monkeypatch):
    fake = dataclasses.replace(registry.algorithms.get("gd"), name="fake-sgd", stochastic=True)
    monkeypatch.setitem(registry.algorithms._cache, "fake-sgd", fake)
    monkeypatch.setitem(algos.PLUGINS, "fake-sgd", "gd")
    p = tmp_path / "h.toml"
    p.write_text(TOML)
    (c,) = load_file(p)
    return c


def test_family_false_alarms_stay_in_budget_fast(hp):
    b = hp.bind()
    bounds = b.bound()
    q = st.expon.ppf(0.9)
    family = S.Budget(0.05, hp.n_tests())
    assert family.tests == 7
    uncorrected = S.Budget(0.05, 1)
    reps = 400
    fails = {"bonferroni": 0, "uncorrected": 0}
    for s in range(reps):
        X = bounds * np.random.default_rng(90_000 + s).exponential(1.0, (340, bounds.size)) / q
        fails["bonferroni"] += decide(b, X, budget=family).verdict == "FAIL"
        fails["uncorrected"] += decide(b, X, budget=uncorrected).verdict == "FAIL"
    limit = st.binom.ppf(0.999, reps, 0.05)
    assert fails["bonferroni"] <= limit, fails
    assert fails["uncorrected"] > limit, fails

"""stats.py: calibration and power on synthetic data with known truth (fixed seeds, fast)."""
import subprocess
import sys

import numpy as np
import pytest
from scipy import stats as st

from boundcheck import stats as S

REPS = 40


def _rng(s):
    return np.random.default_rng([2024, s])


# ----- one-sided mean tests -------------------------------------------------------------------

def test_true_upper_bound_passes_and_30pct_too_small_fails():
    """Gamma(4) metric, mean 1, 400 runs, 95%: a true bound (= the mean) passes in >= 95% of
    40 repetitions; a bound 30% too small fails in >= 90%."""
    passed = failed = 0
    for s in range(REPS):
        x = _rng(s).gamma(4.0, 0.25, 400)
        passed += S.mean_test(x, 1.0, "upper", 0.05).verdict == "PASS"
        failed += S.mean_test(x, 0.7, "upper", 0.05).verdict == "FAIL"
    assert passed >= 0.95 * REPS
    assert failed >= 0.9 * REPS


def test_anderson_bound_is_calibrated_under_infinite_variance():
    """Lomax(1.6): finite mean 1/0.6, infinite variance. The lower limit must stay below the mean
    in >= 95% of repetitions (here: 200), whatever the tail."""
    mean = 1 / 0.6
    misses = sum(S.mean_lcb(_rng(s).pareto(1.6, 300), 0.05) > mean for s in range(200))
    assert misses <= st.binom.ppf(0.99, 200, 0.05)
    # the same test through mean_test: no false FAIL of a true upper bound
    fails = sum(S.mean_test(_rng(s).pareto(1.6, 300), mean, "upper", 0.05).verdict == "FAIL" for s in range(REPS))
    assert fails <= 2


def test_anderson_lcb_is_exactly_the_dkw_integral():
    x = np.array([3.0, 1.0, 2.0, 0.0])
    eps = np.sqrt(np.log(1 / 0.2) / 8)
    # survival levels 1, 3/4, 1/2, 1/4 on [0,0), [0,1), [1,2), [2,3)
    want = 0 * (1 - eps) + 1 * max(0, 0.75 - eps) + 1 * max(0, 0.5 - eps) + 1 * max(0, 0.25 - eps)
    assert S.mean_lcb(x, 0.2) == pytest.approx(want)
    assert S.mean_lcb(x, 0.999999) <= x.mean()
    with pytest.raises(ValueError):
        S.mean_lcb([-1.0, 2.0], 0.05)
    assert S.mean_test([-1e-17, 0.5, 1.0], 2.0, "upper", 0.05).verdict == "PASS"  # rounding at f*


def test_lcb_pvalue_matches_the_bound():
    x = _rng(1).exponential(1.0, 300)
    for b in (0.6, 0.7, 0.8):
        p = S.mean_lcb_pvalue(x, b)
        if p < 1:
            assert S.mean_lcb(x, p * 1.01) > b - 1e-9
            assert S.mean_lcb(x, p * 0.99) <= b + 1e-9
    assert S.mean_lcb_pvalue(x, 10.0) == 1.0


def test_lower_bound_test_calibration_and_power():
    fa = sum(S.mean_test(_rng(s).gamma(4.0, 0.25, 200), 1.0, "lower", 0.05).verdict == "FAIL" for s in range(REPS))
    assert fa <= 4
    power = sum(S.mean_test(_rng(s).gamma(4.0, 0.25, 200), 1.3, "lower", 0.05).verdict == "FAIL" for s in range(REPS))
    assert power >= 0.9 * REPS


def test_lower_bound_fail_is_downgraded_under_heavy_tails():
    """Lomax(1.3), true mean 1/0.3: the sample mean is usually far below it, so a t upper limit
    would 'refute' the true bound; the Hill guard turns that into INCONCLUSIVE, never FAIL."""
    verdicts = [S.mean_test(_rng(s).pareto(1.3, 400), 1 / 0.3, "lower", 0.05).verdict for s in range(REPS)]
    assert "FAIL" not in verdicts
    assert verdicts.count("INCONCLUSIVE") >= 5  # the guard did fire: without it these were FAILs
    assert S.hill_tail_index(_rng(0).pareto(1.3, 4000)) == pytest.approx(1.3, abs=0.25)


def test_exact_tight_decisions():
    assert S.mean_test([0.1], 0.1 * (1 + 1e-9), "tight", 0.05, 1e-6, exact=True).verdict == "PASS"
    o = S.mean_test([0.1], 0.05, "tight", 0.05, 1e-6, exact=True)  # constant halved
    assert o.verdict == "FAIL" and "outside" in o.reason
    assert S.mean_test([0.2], 0.1, "upper", 0.05, 1e-6, exact=True).verdict == "FAIL"
    assert S.mean_test([0.1], 0.2, "lower", 0.05, 1e-6, exact=True).verdict == "FAIL"
    with pytest.raises(ValueError, match="not deterministic"):
        S.mean_test([0.1, 0.2], 0.1, "tight", 0.05, exact=True)


def test_stochastic_tight_can_be_inconclusive():
    x = _rng(3).normal(1.0, 0.5, 50).clip(0)
    assert S.mean_test(x, 1.0, "tight", 0.05, 0.01).verdict == "INCONCLUSIVE"


# ----- high_prob: exact binomial test ----------------------------------------------------------

@pytest.mark.parametrize("k,n,delta", [(0, 50, 0.1), (9, 50, 0.1), (12, 50, 0.1), (3, 1000, 0.001), (40, 40, 0.5)])
def test_binomial_pvalue_is_scipy_binomtest(k, n, delta):
    x = np.r_[np.full(k, 2.0), np.zeros(n - k)]
    o = S.quantile_test(x, 1.0, delta, 0.05)
    assert o.p_value == pytest.approx(st.binomtest(k, n, delta, alternative="greater").pvalue, rel=1e-12)


def test_quantile_test_calibration_power_and_too_few_runs():
    delta = 0.1
    b = st.expon.ppf(1 - delta)  # P(X > b) = delta exactly
    fa = sum(S.quantile_test(_rng(s).exponential(1, 300), b, delta, 0.05).verdict == "FAIL" for s in range(REPS))
    assert fa <= 4
    b3 = st.expon.ppf(1 - 3 * delta)
    assert sum(S.quantile_test(_rng(s).exponential(1, 300), b3, delta, 0.05).verdict == "FAIL" for s in range(REPS)) >= 38
    assert S.quantile_test(np.ones(2), 0.5, 0.5, 0.05).verdict == "INCONCLUSIVE"


# ----- rates -----------------------------------------------------------------------------------

N = np.array([16, 32, 64, 128, 256, 512, 1024, 2048])


def _power_law(s, b=-0.4, runs=100):
    return 2.0 * N ** b * _rng(s).lognormal(0.0, 0.5, (runs, N.size))


def test_slope_fit_recovers_exponent_and_ci_covers():
    cover = 0
    for s in range(REPS):
        fit = S.slope_fit(N, _power_law(s), B=500, seed=s)
        assert abs(fit.slope + 0.4) < 0.05
        cover += fit.ci[0] <= -0.4 <= fit.ci[1]
    assert cover >= 0.85 * REPS


def test_rate_test_pass_fail_and_senses():
    fit = S.slope_fit(N, _power_law(0), B=1000, seed=1)
    assert S.rate_test(fit, -0.4, 0.05).verdict == "PASS"
    assert S.rate_test(fit, -0.55, 0.05).verdict == "FAIL"  # exponent made steeper by 0.15
    assert S.rate_test(fit, -0.55, 0.05, "upper").verdict == "FAIL"
    assert S.rate_test(fit, -0.25, 0.05, "upper").verdict == "PASS"  # faster decay than O(N^-1/4): fine
    assert S.rate_test(fit, -0.25, 0.05, "equal").verdict == "FAIL"
    assert S.rate_test(fit, -0.55, 0.05, "lower").verdict == "PASS"  # decays slower than Omega(N^-0.55)
    assert S.rate_test(fit, -0.25, 0.05, "lower").verdict == "FAIL"  # faster than a lower bound allows
    wide = S.slope_fit(N, _power_law(0, runs=4), B=1000, seed=1)
    assert wide.ci[1] - wide.ci[0] > 0.05
    assert S.rate_test(wide, wide.ci[1], 0.01).verdict == "INCONCLUSIVE"  # band straddles the CI end


def test_slope_fit_is_seeded_and_window_and_stats():
    X = _power_law(5)
    a, b = S.slope_fit(N, X, B=300, seed=7), S.slope_fit(N, X, B=300, seed=7)
    assert a.ci == b.ci
    assert S.slope_fit(N, X, fit_from=256).N == (256, 512, 1024, 2048)
    assert abs(S.slope_fit(N, X, stat="median").slope + 0.4) < 0.05
    assert abs(S.slope_fit(N, X, stat=0.9).slope + 0.4) < 0.05
    assert abs(S.slope_fit(N, X, stat="mom").slope + 0.4) < 0.05
    X[:, 0] = 0.0
    assert S.rate_test(S.slope_fit(N, X, B=50), -0.4, 0.05).verdict == "INCONCLUSIVE"


# ----- multiple testing, verdicts --------------------------------------------------------------

def test_holm_and_budget():
    p = [0.001, 0.04, 0.013, 0.5]
    assert S.holm(p, 0.05).tolist() == [True, False, True, False]  # 0.001<=.0125, .013<=.0167, .04>.025
    assert S.holm([0.01, 0.02], 0.05).tolist() == [True, True]
    b = S.Budget(0.05, 20)
    assert b.per_test_alpha == pytest.approx(0.0025) and "20 tests" in b.as_dict()["statement"]


def test_combine_and_exit_code():
    o = lambda v, m, b=1.0: S.Outcome(v, m, b, (m, m), None, "x")  # noqa: E731
    assert S.combine([o("PASS", 0.5), o("FAIL", 2.0), o("FAIL", 3.0)]).measured == 3.0
    assert S.combine([o("PASS", 0.5), o("INCONCLUSIVE", 0.1)]).verdict == "INCONCLUSIVE"
    assert S.combine([o("PASS", 0.5), o("PASS", 0.9)]).measured == 0.9
    assert S.combine([o("PASS", 1.5), o("PASS", 1.1)], "lower").measured == 1.1
    assert S.combine([o("FAIL", 0.4), o("FAIL", 1.9)], "tight").measured == 0.4
    v = lambda verdict, expected: S.Verdict("c", "upper", verdict, expected)  # noqa: E731
    assert S.exit_code([v("PASS", "PASS"), v("FAIL", "FAIL"), v("SKIP", "PASS"), v("INCONCLUSIVE", "PASS")]) == 0
    assert S.exit_code([v("FAIL", "PASS")]) == 1
    assert S.exit_code([v("PASS", "FAIL")]) == 1  # strict xfail
    assert v("PASS", "PASS").as_dict()["verdict"] == "PASS"
    w = S.Verdict("c", "upper", "FAIL", measured=float("inf"), bound=1.0, ci=(2.0, float("inf")))
    assert w.as_dict()["measured"] is None and w.as_dict()["ci"] == [2.0, None]


def test_stats_imports_no_sympy_or_cvxpy():
    code = "import sys, boundcheck.stats; print('sympy' in sys.modules, 'cvxpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_diverged_runs_are_results_not_errors():
    """NaN/inf metrics (divergence) count as unbounded: they can make an upper bound FAIL and
    exceed every quantile bound, and never produce a numpy warning."""
    x = np.r_[np.ones(60), np.full(40, np.nan)]
    with np.errstate(all="raise"):
        assert S.mean_test(x, 1.0, "upper", 0.05).verdict == "FAIL"
        assert S.mean_test(x, 1.0, "lower", 0.05).verdict == "PASS"
        assert S.quantile_test(x, 2.0, 0.1, 0.05).verdict == "FAIL"
        few = np.r_[np.ones(95), np.full(5, np.inf)]
        assert S.mean_test(few, 1.0, "upper", 0.05).verdict == "PASS"  # 5% < eps: not significant
        assert S.mean_test([np.inf], 1.0, "upper", 0.05, exact=True).verdict == "FAIL"


def test_quantile_ci_coverage_and_consistency_with_the_test():
    level = 0.9
    q = st.expon.ppf(level)
    lo_miss = hi_miss = 0
    for s in range(200):
        lo, hi = S.quantile_ci(_rng(s).exponential(1, 200), level, 0.05)
        lo_miss += lo > q
        hi_miss += hi < q
    assert lo_miss <= st.binom.ppf(0.99, 200, 0.05) and hi_miss <= st.binom.ppf(0.99, 200, 0.05)
    for s in range(20):  # FAIL <=> the lower limit of the quantile is above the bound
        x = _rng(s).exponential(1, 150)
        for b in np.quantile(x, [0.8, 0.85, 0.9, 0.95]):
            o = S.quantile_test(x, b, 0.1, 0.05)
            assert (o.verdict == "FAIL") == (o.ci[0] > b)

"""schedule.py: values, horizon dependence, and safety of the formula evaluator."""
import math

import numpy as np
import pytest

from boundcheck import schedule
from boundcheck.errors import FormulaError, ParamError
from boundcheck.schedule import Schedule


def test_values_vectorized_over_t():
    v = schedule.evaluate("0.1/sqrt(t+1)", 4)
    assert v.dtype == np.float64 and v.shape == (4,)
    assert v.tolist() == pytest.approx([0.1 / math.sqrt(k) for k in (1, 2, 3, 4)], rel=1e-15)
    assert schedule.evaluate("2", 3).tolist() == [2.0, 2.0, 2.0]           # constants broadcast
    assert schedule.evaluate("R/(M*sqrt(N+1))", 3, {"R": 2.0, "M": 4.0}).tolist() == [0.25] * 3
    assert schedule.evaluate("min(1, 3/(t+1))", 4).tolist() == [1.0, 1.0, 1.0, 0.75]
    assert schedule.evaluate("max(t, 1, 2)", 4).tolist() == [2.0, 2.0, 2.0, 3.0]
    assert schedule.evaluate("(t+1)^(3/4)", 2).tolist() == pytest.approx([1.0, 2 ** 0.75])
    assert schedule.evaluate("-abs(t-1) + exp(0) + log(1)", 3).tolist() == [0.0, 1.0, 0.0]
    assert schedule.evaluate("d*pi", 1, {"d": 2}).tolist() == [2 * math.pi]


def test_horizon_dependence():
    assert schedule.parse("1/sqrt(N)").uses_horizon
    assert not schedule.parse("1/sqrt(t+1)").uses_horizon
    assert not schedule.uses_horizon(0.1)
    assert schedule.uses_horizon("gamma0 * (1 - t/N)")


@pytest.mark.parametrize("text, token", [
    ("__import__('os')", "'__import__'"),
    ("t.real", "'.real'"),
    ("(1).__class__", "'.__class__'"),
    ("sqrt.__globals__", "'.__globals__'"),
    ("open('x')", "'open'"),
    ("eval('1')", "'eval'"),
    ("[t for t in (1,)]", "ListComp"),
    ("lambda: 1", "Lambda"),
    ("t[0]", "subscripts"),
    ("'abc'", "'abc'"),
    ("t if N else 1", "IfExp"),
    ("t // 2", "'//'"),
    ("t % 2", "'%'"),
    ("t < 2", "Compare"),
    ("sqrt(t, 2)", "exactly one argument"),
    ("max(t)", "two or more"),
    ("sqrt(x=t)", "keyword"),
    ("_secret + 1", "'_secret'"),
    ("sqrt", "must be called"),
    ("1 +", "does not parse"),
    ("", "empty"),
])
def test_unsafe_or_malformed_formulas_are_rejected(text, token):
    with pytest.raises(FormulaError) as e:
        schedule.parse(text)
    assert token in str(e.value)


def test_unknown_symbol_names_it_and_lists_available():
    with pytest.raises(FormulaError, match=r"unknown symbol 'Lx' \(available here: t, N, L"):
        schedule.evaluate("1/Lx", 3, {"L": 1.0})


def test_huge_powers_do_not_hang():
    v = schedule.evaluate("10**10**10", 2)  # float arithmetic: inf, no big-int evaluation
    assert np.isinf(v).all()
    with pytest.raises(ParamError, match="gives inf at t=0"):
        schedule.values("gamma", "10**10**10", 2, {})


def test_schedule_domain():
    dom = Schedule(0.0, 1.0, lo_open=False, hi_open=True)
    assert dom.parse("beta", "0.5") == 0.5
    assert dom.parse("beta", "1 - 1/sqrt(t+1)") == "1 - 1/sqrt(t+1)"
    with pytest.raises(ParamError, match=r"'beta' must be in \[0, 1\) \(got 1\)"):
        dom.parse("beta", 1)
    with pytest.raises(ParamError, match="'beta': formula"):
        dom.parse("beta", "t.x")
    with pytest.raises(ParamError, match=r"'beta' = '1/\(t\+1\)' gives 1 at t=0 \(N=3\), outside \[0, 1\)"):
        schedule.values("beta", "1/(t+1)", 3, {}, dom)
    v = schedule.values("beta", "1 - 1/sqrt(t+1)", 3, {}, dom)
    assert v.tolist() == pytest.approx([0.0, 1 - 1 / math.sqrt(2), 1 - 1 / math.sqrt(3)])
    assert 0.5 in dom and 1.0 not in dom and "t+1" in dom and "t." not in dom
    with pytest.raises(ParamError, match="must be a number or a formula"):
        dom.parse("beta", True)


def test_schedule_module_stays_light():
    import subprocess
    import sys

    code = ("import sys, boundcheck.schedule, boundcheck.algorithms.sgd; "
            "print(any(m in sys.modules for m in ('sympy', 'cvxpy')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_nan_and_long_horizons():
    with pytest.raises(ParamError, match=r"'gamma' = 'sqrt\(1.5 - t\)' gives nan at t=2 \(N=4\)"):
        schedule.values("gamma", "sqrt(1.5 - t)", 4, {})
    v = schedule.values("gamma", "0.1/sqrt(t+1)", 10**6, {})   # vectorized: no Python loop over t
    assert v.shape == (10**6,) and v[-1] == pytest.approx(0.1 / 1000)

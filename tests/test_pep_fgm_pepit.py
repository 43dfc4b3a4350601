"""The FGM N = 5 value 0.034894 of test_pep_closed_forms.py, cross-checked with PEPit (an independent
implementation, used as a test oracle only). The PEPit model is written here from the method's
definition (its own lambda recursion), not from boundcheck's algorithm file."""
import math

import pytest

from boundcheck.pep.solve import worst_case

PEPit = pytest.importorskip("PEPit")  # a test dependency of .venv (see tests/test_pep_pepit.py)
from PEPit import PEP  # noqa: E402
from PEPit.functions import SmoothConvexFunction  # noqa: E402

FGM_N5 = 0.034894  # the value asserted in test_pep_closed_forms.py::test_t04_fgm_below_lam_n_bound


def pepit_fgm(N: int, L: float = 1.0) -> float:
    """f(x_N) - f* over L-smooth convex f, ||x0 - x*|| <= 1: x_{t+1} = y_t - grad f(y_t)/L,
    y_{t+1} = x_{t+1} + (lam_{t+1} - 1)/lam_{t+2} (x_{t+1} - x_t), lam_1 = 1,
    lam_{k+1} = (1 + sqrt(1 + 4 lam_k^2))/2, y_0 = x_0."""
    lam = [1.0]
    for _ in range(N + 1):
        lam.append((1 + math.sqrt(1 + 4 * lam[-1] ** 2)) / 2)
    problem = PEP()
    f = problem.declare_function(SmoothConvexFunction, L=L)
    xs = f.stationary_point()
    fs = f(xs)
    x0 = problem.set_initial_point()
    problem.set_initial_condition((x0 - xs) ** 2 <= 1)
    x, y = x0, x0
    for t in range(N):
        xn = y - f.gradient(y) / L
        y = xn + (lam[t] - 1) / lam[t + 1] * (xn - x)
        x = xn
    problem.set_performance_metric(f(x) - fs)
    return problem.solve(wrapper="cvxpy", solver="CLARABEL", verbose=0)


def test_fgm_n5_value_matches_pepit():
    ref = pepit_fgm(5)
    assert ref == pytest.approx(FGM_N5, rel=1e-5)
    assert worst_case("fgm", "smooth-convex[L=1]", 5).value == pytest.approx(ref, rel=1e-6)

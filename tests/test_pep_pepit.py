"""Cross-check against PEPit 0.5.1 (an independent implementation, used here as an oracle only)."""
import pytest

from boundcheck.algorithms.fgm import lambdas
from boundcheck.algorithms.ogm import thetas
from boundcheck.pep.solve import worst_case

PEPit = pytest.importorskip("PEPit")
from PEPit import PEP  # noqa: E402
from PEPit.functions import (ConvexLipschitzFunction, SmoothConvexFunction, SmoothFunction,  # noqa: E402
                             SmoothStronglyConvexFunction)


def _solve(problem):
    return problem.solve(wrapper="cvxpy", solver="CLARABEL", verbose=0)


def pepit_gd(N, h, cls, measure):
    problem = PEP()
    f = problem.declare_function(cls[0], **cls[1])
    L = cls[1]["L"]
    x0 = problem.set_initial_point()
    if measure == "grad-min":
        x, g0 = x0, None
        points = [x0]
        for _ in range(N):
            x = x - h / L * f.gradient(x)
            points.append(x)
        problem.set_initial_condition(f(x0) - f(points[-1]) <= 1)
        for p in points:
            problem.set_performance_metric(f.gradient(p) ** 2)
        return _solve(problem)
    xs = f.stationary_point()
    fs = f(xs)
    problem.set_initial_condition((x0 - xs) ** 2 <= 1)
    x = x0
    for _ in range(N):
        x = x - h / L * f.gradient(x)
    problem.set_performance_metric((x - xs) ** 2 if measure == "dist" else f(x) - fs)
    return _solve(problem)


def pepit_momentum(N, coeffs):
    """x_{t+1} = y_t - g(y_t); y_{t+1} = x_{t+1} + a_t (x_{t+1} - x_t) + b_t (x_{t+1} - y_t)."""
    problem = PEP()
    f = problem.declare_function(SmoothConvexFunction, L=1)
    xs = f.stationary_point()
    fs = f(xs)
    x0 = problem.set_initial_point()
    problem.set_initial_condition((x0 - xs) ** 2 <= 1)
    x, y = x0, x0
    for t in range(N):
        xn = y - f.gradient(y)
        a, b = coeffs(t)
        y = xn + a * (xn - x) + b * (xn - y)
        x = xn
    return problem, f, fs, x, y


@pytest.mark.parametrize("N,h", [(3, 1.0), (5, 0.7), (4, 1.6)])
def test_gd_smooth_convex(N, h):
    ours = worst_case(f"gd[h={h}]", "smooth-convex[L=1]", N).value
    assert ours == pytest.approx(pepit_gd(N, h, (SmoothConvexFunction, dict(L=1)), "f-gap"), rel=1e-6)


def test_gd_strongly_convex_distance_and_nonconvex_gradient():
    ours = worst_case("gd[h=1.2]", "smooth-strongly-convex[L=1,mu=0.2]", 3, measure="dist-last").value
    ref = pepit_gd(3, 1.2, (SmoothStronglyConvexFunction, dict(L=1, mu=0.2)), "dist")
    assert ours == pytest.approx(ref, rel=1e-6)
    ours = worst_case("gd[h=1.2]", "smooth-nonconvex[L=1]", 3, measure="grad-min", init="f-decrease").value
    assert ours == pytest.approx(pepit_gd(3, 1.2, (SmoothFunction, dict(L=1)), "grad-min"), rel=1e-6)


def test_ogm_and_fgm():
    N = 4
    th = thetas(N)
    problem, f, fs, x, y = pepit_momentum(N, lambda t: ((th[t] - 1) / th[t + 1], th[t] / th[t + 1]))
    problem.set_performance_metric(f(y) - fs)
    assert worst_case("ogm", "smooth-convex[L=1]", N).value == pytest.approx(_solve(problem), rel=1e-6)
    lam = lambdas(N + 1)
    problem, f, fs, x, y = pepit_momentum(N, lambda t: ((lam[t] - 1) / lam[t + 1], 0.0))
    problem.set_performance_metric(f(x) - fs)
    assert worst_case("fgm", "smooth-convex[L=1]", N).value == pytest.approx(_solve(problem), rel=1e-6)


def test_subgradient_with_a_schedule():
    """A decaying schedule (no closed form): last iterate, convex Lipschitz."""
    N, M = 4, 1.0
    gam = [0.3 / (t + 1) ** 0.5 for t in range(N)]
    problem = PEP()
    f = problem.declare_function(ConvexLipschitzFunction, M=M)
    xs = f.stationary_point()
    fs = f(xs)
    x0 = problem.set_initial_point()
    problem.set_initial_condition((x0 - xs) ** 2 <= 1)
    x = x0
    for t in range(N):
        x = x - gam[t] * f.gradient(x)
    problem.set_performance_metric(f(x) - fs)
    ours = worst_case("subgradient[gamma=0.3/sqrt(t+1)]", "convex-lipschitz[M=1]", N).value
    assert ours == pytest.approx(_solve(problem), rel=1e-6)

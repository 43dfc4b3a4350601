"""T25 PEP values against PEPit (an independent implementation, used as an oracle only), the
proximal point closed forms, and the backward-step (resolvent) oracle of the PEP driver.

Each boundcheck PEP below is the same problem as the PEPit one next to it: the same operator class
(PEPit's MonotoneOperator, StronglyMonotoneOperator, CocoerciveOperator, NegativelyComonotone-
Operator, LipschitzStronglyMonotoneOperatorCheap with mu = 0), ||x0 - x*|| <= 1, the same method
written out with PEPit's primitives, and ||F(x_N)||^2 as the measure; the values must agree to
1e-5 relative.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.errors import UsageError
from boundcheck.pep import driver
from boundcheck.pep.solve import worst_case

PEPit = pytest.importorskip("PEPit")
from PEPit import PEP  # noqa: E402
from PEPit.operators import (CocoerciveOperator, LipschitzStronglyMonotoneOperatorCheap,  # noqa: E402
                             MonotoneOperator, NegativelyComonotoneOperator, StronglyMonotoneOperator)
from PEPit.primitive_steps import proximal_step  # noqa: E402


def _pepit(cls, kw, method):
    problem = PEP()
    F = problem.declare_function(cls, **kw)
    xs = F.stationary_point()
    x0 = problem.set_initial_point()
    problem.set_initial_condition((x0 - xs) ** 2 <= 1)
    problem.set_performance_metric(method(F, x0) ** 2)  # method returns F at its last point
    return problem.solve(wrapper="cvxpy", solver="CLARABEL", verbose=0)


def ppa(N, gamma):
    def run(F, x):
        for _ in range(N):
            x, gx, _ = proximal_step(x, F, gamma)
        return gx  # the element of F(x_N) the step used (MonotoneOperator is set-valued)
    return run


def eg(K, gamma):
    def run(F, x):
        for _ in range(K):
            y = x - gamma * F.gradient(x)
            x = x - gamma * F.gradient(y)
        return F.gradient(x)
    return run


def og(N, gamma):
    def run(F, x):
        xt = x
        for _ in range(N):
            g = F.gradient(xt)
            x = x - gamma * g
            xt = x - gamma * g
        return F.gradient(x)
    return run


def forward(N, gamma):
    def run(F, x):
        for _ in range(N):
            x = x - gamma * F.gradient(x)
        return F.gradient(x)
    return run


CASES = [
    # (id, boundcheck algorithm, boundcheck class, N (oracle calls), PEPit class, kwargs, PEPit method)
    ("ppa-monotone-N3", "proximal-point[gamma=1]", "monotone", 3, MonotoneOperator, {}, ppa(3, 1.0)),
    ("ppa-monotone-N4-g2", "proximal-point[gamma=2]", "monotone", 4, MonotoneOperator, {}, ppa(4, 2.0)),
    ("ppa-comonotone-N3", "proximal-point[gamma=1]", "comonotone[rho=0.25]", 3,
     NegativelyComonotoneOperator, {"rho": 0.25}, ppa(3, 1.0)),
    ("ppa-strongly-monotone-N3", "proximal-point[gamma=1]", "strongly-monotone[mu=0.2]", 3,
     StronglyMonotoneOperator, {"mu": 0.2}, ppa(3, 1.0)),
    ("ppa-cocoercive-N2", "proximal-point[gamma=0.5]", "cocoercive[beta=1]", 2,
     CocoerciveOperator, {"beta": 1.0}, ppa(2, 0.5)),
    ("eg-K2", f"extragradient[h={1 / math.sqrt(2)}]", "lipschitz-monotone[L=1]", 4,
     LipschitzStronglyMonotoneOperatorCheap, {"mu": 0.0, "L": 1.0}, eg(2, 1 / math.sqrt(2))),
    ("eg-K3-L2", "extragradient[h=0.5]", "lipschitz-monotone[L=2]", 6,
     LipschitzStronglyMonotoneOperatorCheap, {"mu": 0.0, "L": 2.0}, eg(3, 0.25)),
    ("og-N3", "optimistic-gradient[h=0.5]", "lipschitz-monotone[L=1]", 3,
     LipschitzStronglyMonotoneOperatorCheap, {"mu": 0.0, "L": 1.0}, og(3, 0.5)),
    ("og-N4-claim-step", f"optimistic-gradient[h={1 / 3}]", "lipschitz-monotone[L=1]", 4,
     LipschitzStronglyMonotoneOperatorCheap, {"mu": 0.0, "L": 1.0}, og(4, 1 / 3)),
    ("forward-N2", "forward-step[h=0.5]", "lipschitz-monotone[L=1]", 2,
     LipschitzStronglyMonotoneOperatorCheap, {"mu": 0.0, "L": 1.0}, forward(2, 0.5)),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_pep_value_equals_pepit(case):
    _, alg, fn, N, cls, kw, method = case
    ours = worst_case(alg, fn, N, "grad-sq")
    theirs = _pepit(cls, kw, method)
    assert ours.status == "optimal"
    assert ours.value == pytest.approx(theirs, rel=1e-5), (ours.value, theirs)


def test_relaxation_flag_follows_the_class():
    """lipschitz-monotone's conditions are necessary only: its PEP says so; monotone's are exact."""
    assert worst_case(f"extragradient[h={1 / math.sqrt(2)}]", "lipschitz-monotone", 2, "grad-sq").relaxation
    assert not worst_case("proximal-point", "monotone", 2, "grad-sq").relaxation


@pytest.mark.parametrize("N", [1, 2, 5])
def test_ppa_gu_yang_closed_form(N):
    """||x_N - x_{N-1}||^2 = gamma^2 ||F(x_N)||^2 = (1 - 1/N)^(N-1)/N R^2 (Gu-Yang, tight)."""
    gamma = 1.5
    v = worst_case(f"proximal-point[gamma={gamma}]", "monotone", N, "grad-sq").value
    assert gamma ** 2 * v == pytest.approx((1 - 1 / N) ** (N - 1) / N, rel=1e-6)


@pytest.mark.parametrize("N", [2, 4])
def test_comonotone_ppa_worst_case(N):
    """Gorbunov-Taylor-Horvath-Gidel: (1 - 1/N)^(N-1)/(N gamma (gamma - 2 rho)) for N >= 2."""
    gamma, rho = 1.0, 0.25
    v = worst_case(f"proximal-point[gamma={gamma}]", f"comonotone[rho={rho}]", N, "grad-sq").value
    assert v == pytest.approx((1 - 1 / N) ** (N - 1) / (N * gamma * (gamma - 2 * rho)), rel=1e-6)
    assert v <= 1 / (gamma * (gamma - 2 * rho) * N)


def test_backward_step_point_is_implicit():
    """The driver's resolvent oracle: each oracle point is x_{k+1} = x_k - gamma g_{k+1}, with its own
    new gradient, and the final iterate is that oracle point (its gradient is reused, not added)."""
    alg = registry.algorithms.get("proximal-point")
    run = driver.run(alg, alg.validate({"gamma": 2.0}), 3, {"R": 1.0, "d": 2, "f_star": 0.0})
    X, G = run.oracle.matrices()
    assert run.oracle.P == 3 and X.shape[1] == 4  # x0 - x*, g1, g2, g3
    prev = np.eye(4)[0]
    for k in range(3):
        g = G[k]
        assert np.flatnonzero(g).tolist() == [k + 1] and g[k + 1] == 1.0
        assert np.allclose(X[k], prev - 2.0 * g)
        prev = X[k]
    assert np.allclose(run.last.coef(4), X[2])


def test_monte_carlo_refuses_a_resolvent_method_without_a_resolvent():
    """The nonlinear (tanh) operator has no closed-form resolvent: the Monte Carlo engine refuses the
    backward step on it (the linear generators have one: tests/test_operators_resolvent.py)."""
    from boundcheck.engine import run

    with pytest.raises(UsageError, match="resolvent oracle: monotone's generator 'tanh' has none"):
        run("proximal-point", "monotone[instance=tanh]", None, n_steps=3, n_runs=1)


def test_forward_step_pep_grows_like_the_skew_worst_case():
    """The forward step on L-Lipschitz monotone operators: the skew operator gives
    ||F(x_N)||^2 = L^2 (1 + h^2)^N R^2; the PEP (a relaxation) can only be at least that."""
    for N in (1, 3):
        v = worst_case("forward-step[h=0.5]", "lipschitz-monotone", N, "grad-sq").value
        assert v >= (1 + 0.25) ** N * (1 - 1e-7)


def test_closed_forms_registered_for_certify():
    """certify prints the T25 closed forms next to the PEP value; comonotone's only where the
    theorem holds (N >= 2, gamma > 2 rho)."""
    from boundcheck.pep.build import build
    from boundcheck.pep.closed_forms import lookup

    cf, v = lookup(build("proximal-point[gamma=2]", "monotone", 3, "grad-sq"))
    assert cf.tag == "T25" and cf.kind == "tight" and v == pytest.approx((2 / 3) ** 2 / 3 / 4)
    cf, v = lookup(build("proximal-point[gamma=2]", "comonotone[rho=0.5]", 4, "grad-sq"))
    assert v == pytest.approx(0.75 ** 3 / (4 * 2 * 1))
    assert worst_case("proximal-point[gamma=2]", "comonotone[rho=0.5]", 4, "grad-sq").value == pytest.approx(v, rel=1e-6)
    assert lookup(build("proximal-point[gamma=2]", "comonotone[rho=0.5]", 1, "grad-sq")) is None
    assert lookup(build("proximal-point[gamma=0.9]", "comonotone[rho=0.5]", 3, "grad-sq")) is None


@pytest.mark.parametrize("measure,init", [("f-gap", "dist"), ("f-best", "dist"), ("grad-sq", "f-gap")])
def test_measures_reading_f_are_refused_on_operators(measure, init):
    """An operator has no function values: a PEP measure or initial condition reading f would leave
    f free (unbounded, or a meaningless number); it is a usage error naming the class."""
    from boundcheck.pep.build import build

    with pytest.raises(UsageError, match="operator class"):
        build("extragradient", "lipschitz-monotone", 2, measure, init)
    build("extragradient", "lipschitz-monotone", 2, "grad-sq", "dist")  # F and x measures are fine

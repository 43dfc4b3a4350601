"""Update rules of the deterministic / early catalogue methods against hand computations."""
import math

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.errors import ParamError

from _algo_helpers import run

Q = lambda a: (lambda x: a * x)  # gradient of (a/2) x^2


def test_sgd_constant_and_inv_sqrt():
    _, _, xs = run("sgd", {"gamma": 0.1}, 3, {}, [1.0], Q(2.0))
    assert [x[0] for x in xs] == pytest.approx([0.8, 0.64, 0.512], abs=1e-15)
    _, P, xs = run("sgd", {"gamma": 0.1, "schedule": "inv-sqrt"}, 3, {}, [1.0], Q(2.0))
    x = 1.0
    for t in range(3):
        x = x - 0.1 / math.sqrt(t + 1) * 2.0 * x
    assert xs[-1][0] == pytest.approx(x, rel=1e-14)
    assert P.gamma.tolist() == pytest.approx([0.1, 0.1 / math.sqrt(2), 0.1 / math.sqrt(3)])


def test_sgd_horizon_and_formula_schedules():
    A = registry.algorithms.get("sgd")
    p = A.validate({"gamma": "0.5/sqrt(N)"})
    assert A.horizon_dependent(p)
    assert A.make_params(p, 4, {}).gamma.tolist() == [0.25] * 4
    p = A.validate({"gamma": 0.5, "schedule": "horizon"})
    assert A.horizon_dependent(p)
    assert A.make_params(p, 16, {}).gamma.tolist() == [0.125] * 16
    p = A.validate({"gamma": "1/(L*(t+1))"})
    assert not A.horizon_dependent(p)
    assert A.make_params(p, 3, {"L": 2.0}).gamma.tolist() == pytest.approx([0.5, 0.25, 1 / 6])
    p = A.validate({"gamma": 1.0, "schedule": "linear-decay"})
    assert A.make_params(p, 4, {}).gamma.tolist() == [1.0, 0.75, 0.5, 0.25]


def test_sgd_domain_errors():
    A = registry.algorithms.get("sgd")
    with pytest.raises(ParamError, match=r"'gamma' must be in \(0, inf\) \(got -1\)"):
        A.validate({"gamma": -1})
    with pytest.raises(ParamError, match="'gamma' must be in"):
        A.validate({"gamma": 0})
    p = A.validate({"gamma": "1/sqrt(t)"})  # t is 0-based: inf at t = 0
    with pytest.raises(ParamError, match=r"gives inf at t=0.*t\+1"):
        A.make_params(p, 5, {})
    p = A.validate({"gamma": "0.1 - t/100"})  # becomes <= 0 at t = 10
    with pytest.raises(ParamError, match="gives 0 at t=10"):
        A.make_params(p, 20, {})
    with pytest.raises(ParamError, match="function '__import__' is not allowed"):
        A.validate({"gamma": "__import__('os')"})
    with pytest.raises(ParamError, match="unknown parameter 'step'"):
        A.validate({"step": 0.1})
    with pytest.raises(ParamError, match="'batch' must be an integer"):
        A.validate({"batch": 1.5})
    with pytest.raises(ParamError, match="'schedule' must be one of"):
        A.validate({"schedule": "inv-sqr"})


def test_clipped_sgd_clips_and_c_inf_is_sgd():
    _, _, xs = run("clipped-sgd", {"gamma": 0.5, "c": 1.0}, 3, {}, [3.0], Q(2.0))
    assert [x[0] for x in xs] == [2.5, 2.0, 1.5]  # |g| = 6, 5, 4 > 1: unit steps of 0.5
    # below the clip level it is an sgd step
    _, _, xs = run("clipped-sgd", {"gamma": 0.1, "c": 10.0}, 2, {}, [1.0], Q(2.0))
    assert [x[0] for x in xs] == pytest.approx([0.8, 0.64], abs=1e-15)
    # 2-D: the clipped step has norm gamma*c along -g
    _, _, xs = run("clipped-sgd", {"gamma": 1.0, "c": 1.0}, 1, {}, [3.0, 4.0], Q(1.0))
    assert xs[0] == pytest.approx([3 - 0.6, 4 - 0.8], abs=1e-15)
    # c = inf gives exactly sgd (bit for bit), on a noisy-looking 2-D sequence
    rng = np.random.default_rng(0)
    noise = rng.standard_normal((30, 2)) * 5
    it = iter(range(30))
    g1 = lambda x: np.array([3.0, 0.5]) * x + noise[next(it)]
    _, _, a = run("clipped-sgd", {"gamma": "0.3/sqrt(t+1)", "c": "inf"}, 30, {}, [1.0, -1.0], g1)
    it = iter(range(30))
    _, _, b = run("sgd", {"gamma": "0.3/sqrt(t+1)"}, 30, {}, [1.0, -1.0], g1)
    assert np.array_equal(np.array(a), np.array(b))


def test_clipped_sgd_domain():
    A = registry.algorithms.get("clipped-sgd")
    with pytest.raises(ParamError, match=r"'c' must be in \(0, inf\]"):
        A.validate({"c": 0})
    assert A.validate({"c": "inf"})["c"] == math.inf
    p = A.validate({"c": "sigma*sqrt(N)", "gamma": 0.1})
    assert A.horizon_dependent(p)
    assert A.make_params(p, 4, {"sigma": 2.0}).c.tolist() == [4.0] * 4


def test_subgradient_T06_step():
    sgn = lambda x: np.sign(x)
    _, P, xs = run("subgradient", {"gamma": "R/(M*sqrt(N+1))"}, 3, {"R": 1.0, "M": 1.0}, [0.8], sgn)
    assert P.gamma.tolist() == [0.5] * 3
    assert [x[0] for x in xs] == pytest.approx([0.3, -0.2, 0.3], abs=1e-15)
    with pytest.raises(Exception, match="unknown symbol 'M'"):
        run("subgradient", {"gamma": "R/(M*sqrt(N+1))"}, 3, {"R": 1.0, "L": 1.0}, [0.8], sgn)


def test_fgm_hand_computation_and_T04_index():
    # f = x^2/4 (grad x/2), L = 1, h = 1: step 1
    _, P, xs = run("fgm", {}, 3, {"L": 1.0}, [1.0], Q(0.5))
    lam2 = (1 + math.sqrt(5)) / 2
    lam3 = (1 + math.sqrt(4 * lam2 ** 2 + 1)) / 2
    x1 = 0.5                      # y0 = 1
    y1 = x1                       # momentum (lam1 - 1)/lam2 = 0
    x2 = y1 - 0.5 * y1
    y2 = x2 + (lam2 - 1) / lam3 * (x2 - x1)
    x3 = y2 - 0.5 * y2
    assert [x[0] for x in xs] == pytest.approx([x1, x2, x3], rel=1e-14)
    assert P.mom[0] == 0.0 and P.mom[1] == pytest.approx((lam2 - 1) / lam3, rel=1e-15)
    # T04: L R^2/(2 lam_N^2) with lam_N BEFORE the N-th update; N = 5 -> 0.046056 (not lam_6's 0.034039)
    fgm = registry.algorithms.get("fgm").module
    assert fgm.bound(5) == pytest.approx(0.046056, abs=1e-6)
    assert 1 / (2 * fgm.lambdas(6)[5] ** 2) == pytest.approx(0.034039, abs=1e-6)


def test_fgm_strongly_convex_variant():
    _, P, xs = run("fgm", {"variant": "strongly-convex"}, 2, {"L": 4.0, "mu": 1.0}, [1.0], Q(2.0))
    q = (2 - 1) / (2 + 1)
    assert P.mom.tolist() == pytest.approx([q, q])
    x1 = 1 - 0.25 * 2
    y1 = x1 + q * (x1 - 1)
    x2 = y1 - 0.25 * 2 * y1
    assert [x[0] for x in xs] == pytest.approx([x1, x2], rel=1e-14)
    with pytest.raises(ParamError, match="needs the problem constant 'mu'"):
        run("fgm", {"variant": "strongly-convex"}, 2, {"L": 4.0}, [1.0], Q(2.0))
    with pytest.raises(ParamError, match="'h' must be in"):
        registry.algorithms.get("fgm").validate({"h": -1})


def test_heavy_ball_hand_computation():
    _, _, xs = run("heavy-ball", {"h": 0.5, "beta": 0.5}, 3, {"L": 1.0}, [1.0], Q(1.0))
    assert [x[0] for x in xs] == pytest.approx([0.5, 0.0, -0.25], abs=1e-15)
    # Polyak's tuning as formulas in L and mu
    _, P, _ = run("heavy-ball", {"h": "4*L/(sqrt(L)+sqrt(mu))^2",
                                 "beta": "((sqrt(L)-sqrt(mu))/(sqrt(L)+sqrt(mu)))^2"},
                  1, {"L": 4.0, "mu": 1.0}, [1.0], Q(1.0))
    assert P.step[0] == pytest.approx(4 / 9 / 1.0, rel=1e-15) and P.beta[0] == pytest.approx(1 / 9)
    A = registry.algorithms.get("heavy-ball")
    with pytest.raises(ParamError, match=r"'beta' must be in \[0, 1\) \(got 1\)"):
        A.validate({"beta": 1})
    p = A.validate({"beta": "t/(t+2)"})
    assert A.make_params(p, 3, {"L": 1.0}).beta.tolist() == pytest.approx([0, 1 / 3, 1 / 2])


def test_every_registered_algorithm_validates_defaults():
    for name in registry.algorithms.names():
        A = registry.algorithms.get(name)
        assert A.name == name
        p = A.validate({})
        P = A.make_params(p, 5, {"L": 1.0, "mu": 0.1, "M": 1.0, "R": 1.0, "d": 2, "f_star": 0.0})
        s = A.init(np.zeros(2) + 1.0, P)
        assert s.x.dtype == np.float64 and s.x.shape == (2,)
        assert A.update_rule and A.references


def test_fgm_T04_bound_holds_on_random_quadratics():
    rng = np.random.default_rng(5)
    fgm = registry.algorithms.get("fgm").module
    for _ in range(5):
        d = 8
        lam = np.concatenate([[1.0], rng.random(d - 1)])          # spectrum in [0, 1], L = 1
        x0 = rng.standard_normal(d)
        R2 = float(x0 @ x0)
        for N in (1, 2, 5, 13, 30):
            _, _, xs = run("fgm", {}, N, {"L": 1.0}, x0, lambda x: lam * x)
            gap = 0.5 * float(np.sum(lam * xs[-1] ** 2))
            assert gap <= fgm.bound(N, 1.0, math.sqrt(R2)) * (1 + 1e-12)


def test_subgradient_T06_bound_on_scaled_norm():
    M = 2.0
    for N in (1, 4, 9, 25):
        x0 = np.array([0.6, -0.8]) * 1.5                             # R = 1.5
        f = lambda x: M * float(np.linalg.norm(x))
        g = lambda x: M * x / np.linalg.norm(x) if np.linalg.norm(x) > 0 else 0 * x
        _, _, xs = run("subgradient", {"gamma": "R/(M*sqrt(N+1))"}, N, {"R": 1.5, "M": M}, x0, g)
        best = min([f(x0)] + [f(x) for x in xs])
        assert best <= M * 1.5 / math.sqrt(N + 1) * (1 + 1e-12)


def test_gd_armijo_is_monotone_and_converges():
    A = np.diag([1.0, 10.0])
    f = lambda x: 0.5 * float(x @ A @ x)
    _, _, xs = run("gd-armijo", {"eta0": 1.0}, 200, {}, [1.0, 1.0], lambda x: A @ x, f)
    vals = [f(x) for x in xs]
    assert all(b <= a for a, b in zip(vals, vals[1:]))
    assert vals[-1] < 1e-8

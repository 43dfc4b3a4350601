"""Update rules of the nonlinear / adaptive methods against hand computations (numpy bodies)."""
import math

import numpy as np
import pytest

from boundcheck import ops, registry
from boundcheck.errors import ParamError

from _algo_helpers import run


def seq(*gs):
    """A gradient oracle returning the given vectors in turn (ignores the query point)."""
    it = iter(gs)
    return lambda x: np.atleast_1d(np.array(next(it), dtype=float))


# ----------------------------------------------------------------------------- gd-armijo
def test_gd_armijo_state_machine_counts_oracle_calls():
    f = lambda x: 1.5 * float(x[0] ** 2)     # f = (3/2) x^2, grad 3x
    g = lambda x: 3.0 * x
    prm = {"eta0": 1.0, "beta": 0.5, "c1": 0.1}
    s, _, xs = run("gd-armijo", prm, 4, {}, [1.0], g, f)
    # call 1 at x0 (accepted by definition); call 2 at y=-2: f=6 > 1.5-0.9 -> reject, eta=0.5;
    # call 3 at y=-0.5: 0.375 <= 1.05 -> accept, restart eta=1; call 4 at y=1: 1.5 > 0.15 -> reject
    assert [x[0] for x in xs] == [1.0, 1.0, -0.5, -0.5]
    assert s.k[0] == 4 and s.k[5] == 1 and s.k[3] == 0.5 and s.y[0] == pytest.approx(0.25)
    s, _, xs = run("gd-armijo", dict(prm, restart="previous"), 4, {}, [1.0], g, f)
    assert [x[0] for x in xs] == [1.0, 1.0, -0.5, 0.25]   # warm start at 0.5: accepted at call 4
    s, _, xs = run("gd-armijo", dict(prm, restart="grow"), 3, {}, [1.0], g, f)
    assert s.k[3] == 1.0                                    # 0.5/beta after the acceptance


def test_gd_armijo_rejects_nan_values_and_validates():
    s, _, xs = run("gd-armijo", {}, 2, {}, [1.0], lambda x: 2 * x, lambda x: float("nan"))
    assert xs[-1][0] == 1.0 and s.k[3] == 0.5              # NaN never passes the test
    A = registry.algorithms.get("gd-armijo")
    assert A.needs_value and not A.stochastic
    with pytest.raises(ParamError, match=r"'beta' must be in \(0, 1\)"):
        A.validate({"beta": 1})
    with pytest.raises(ParamError, match=r"'c1' must be in \(0, 1\)"):
        A.validate({"c1": 0})


# ----------------------------------------------------------------------------- normalized / sign
def test_nsgd_unit_steps():
    _, _, xs = run("nsgd", {"gamma": 1.0}, 2, {}, [3.0, 4.0], lambda x: x)
    assert xs[0] == pytest.approx([2.4, 3.2], abs=1e-15) and xs[1] == pytest.approx([1.8, 2.4], abs=1e-15)
    _, _, xs = run("nsgd", {"gamma": 1.0}, 1, {}, [0.0, 0.0], lambda x: x)  # g = 0: no move
    assert xs[0].tolist() == [0.0, 0.0]


def test_nsgd_m_momentum_and_hubler_schedules():
    D = np.array([1.0, 2.0])
    _, _, xs = run("nsgd-m", {"gamma": 0.1, "beta": 0.5}, 2, {}, [1.0, 1.0], lambda x: D * x)
    x0 = np.array([1.0, 1.0])
    m = 0.5 * (D * x0)
    x1 = x0 - 0.1 * m / np.linalg.norm(m)
    m = 0.5 * m + 0.5 * (D * x1)
    x2 = x1 - 0.1 * m / np.linalg.norm(m)
    assert xs[0] == pytest.approx(x1, rel=1e-14) and xs[1] == pytest.approx(x2, rel=1e-14)
    A = registry.algorithms.get("nsgd-m")
    p = A.validate({"gamma": 0.1, "schedule": "inv-t34", "beta": "1-1/sqrt(t+1)"})
    P = A.make_params(p, 3, {})
    assert P.beta.tolist() == pytest.approx([0.0, 1 - 1 / math.sqrt(2), 1 - 1 / math.sqrt(3)])
    assert P.gamma.tolist() == pytest.approx([0.1, 0.1 / 2 ** 0.75, 0.1 / 3 ** 0.75])
    assert not A.horizon_dependent(p)
    with pytest.raises(ParamError, match=r"'beta' = '1/sqrt\(t\+1\)' gives 1 at t=0"):
        A.make_params(A.validate({"beta": "1/sqrt(t+1)"}), 3, {})


def test_sign_sgd_with_and_without_momentum():
    _, _, xs = run("sign-sgd", {"gamma": 0.25}, 1, {}, [1.0, -2.0, 0.0], lambda x: x)
    assert xs[0].tolist() == [0.75, -1.75, 0.0]            # sign(0) = 0
    # g = +1 then -0.2: signSGD follows the last sign, Signum (beta=0.5) keeps m = 0.15 > 0
    _, _, xs = run("sign-sgd", {"gamma": 0.25}, 2, {}, [0.0], seq(1.0, -0.2))
    assert [x[0] for x in xs] == [-0.25, 0.0]
    _, _, xs = run("sign-sgd", {"gamma": 0.25, "beta": 0.5}, 2, {}, [0.0], seq(1.0, -0.2))
    assert [x[0] for x in xs] == [-0.25, -0.5]


# ----------------------------------------------------------------------------- adam family
def test_adam_bias_corrected_two_steps():
    b1, b2, eps, lr = 0.9, 0.999, 1e-8, 0.1
    _, _, xs = run("adam", {"gamma": lr}, 2, {}, [1.0], seq(2.0, -1.0))
    m = (1 - b1) * 2.0
    v = (1 - b2) * 4.0
    x1 = 1.0 - (lr / (1 - b1)) * m / (math.sqrt(v / (1 - b2)) + eps)
    m = b1 * m + (1 - b1) * (-1.0)
    v = b2 * v + (1 - b2) * 1.0
    x2 = x1 - (lr / (1 - b1 ** 2)) * m / (math.sqrt(v / (1 - b2 ** 2)) + eps)
    assert xs[0][0] == pytest.approx(x1, rel=1e-14) and xs[1][0] == pytest.approx(x2, rel=1e-14)
    assert x1 == pytest.approx(0.9, abs=1e-7)              # first Adam step has length ~gamma


def test_adam_without_bias_correction_is_reddi_form():
    _, _, xs = run("adam", {"gamma": 0.1, "bias_correction": "off", "eps": 0, "beta1": 0.5,
                            "beta2": 0.5}, 1, {}, [1.0, 0.0], lambda x: np.array([2.0, 0.0]))
    # m = 1, v = 2: x -= 0.1 * 1/sqrt(2); the zero coordinate (0/0) does not move
    assert xs[0][0] == pytest.approx(1 - 0.1 / math.sqrt(2), rel=1e-15) and xs[0][1] == 0.0


def test_amsgrad_uses_running_max_and_adam_does_not():
    prm = {"gamma": 0.1, "beta1": 0.0, "beta2": 0.5, "eps": 0.0, "bias_correction": "off"}
    _, _, xs = run("amsgrad", prm, 2, {}, [0.0], seq(10.0, 0.1))
    v0 = 0.5 * 100
    assert xs[0][0] == pytest.approx(-0.1 * 10 / math.sqrt(v0), rel=1e-15)
    assert xs[1][0] == pytest.approx(xs[0][0] - 0.1 * 0.1 / math.sqrt(v0), rel=1e-15)  # vhat = v0
    _, _, ys = run("adam", prm, 2, {}, [0.0], seq(10.0, 0.1))
    v1 = 0.5 * v0 + 0.5 * 0.01
    assert ys[1][0] == pytest.approx(ys[0][0] - 0.1 * 0.1 / math.sqrt(v1), rel=1e-15)
    A = registry.algorithms.get("amsgrad")
    assert A.validate({})["bias_correction"] == "off" and A.validate({})["eps"] == 0.0
    with pytest.raises(ParamError, match=r"'beta2' must be in \[0, 1\)"):
        A.validate({"beta2": 1.0})
    with pytest.raises(ParamError, match="'eps' must be in"):
        A.validate({"eps": -1e-8})


def test_adam_time_varying_betas_bias_correction():
    A = registry.algorithms.get("adam")
    P = A.make_params(A.validate({"gamma": 1.0, "beta1": "0.5/(t+1)", "beta2": "1-1/N"}), 3, {})
    b1 = np.array([0.5, 0.25, 0.5 / 3])
    assert P.a.tolist() == pytest.approx((-1.0 / (1 - np.cumprod(b1))).tolist())
    assert P.s.tolist() == pytest.approx([1 / (1 - (2 / 3) ** k) for k in (1, 2, 3)])
    assert A.horizon_dependent(A.validate({"beta2": "1-1/N"}))


def test_rmsprop_two_steps():
    _, _, xs = run("rmsprop", {"gamma": 0.1, "beta2": 0.9, "eps": 0.0}, 2, {}, [1.0], seq(2.0, 1.0))
    v = 0.1 * 4
    x1 = 1.0 - 0.1 * 2.0 / math.sqrt(v)
    v = 0.9 * v + 0.1 * 1.0
    x2 = x1 - 0.1 * 1.0 / math.sqrt(v)
    assert [x[0] for x in xs] == pytest.approx([x1, x2], rel=1e-15)


def test_adagrad_norm_two_steps():
    _, _, xs = run("adagrad-norm", {"gamma": 0.5, "b0": 1.0}, 2, {}, [0.0, 0.0], seq([3.0, 4.0], [0.0, 1.0]))
    x1 = -0.5 / math.sqrt(26) * np.array([3.0, 4.0])
    x2 = x1 - 0.5 / math.sqrt(27) * np.array([0.0, 1.0])
    assert xs[0] == pytest.approx(x1, rel=1e-15) and xs[1] == pytest.approx(x2, rel=1e-15)
    with pytest.raises(ParamError, match=r"'b0' must be in \(0, inf\)"):
        registry.algorithms.get("adagrad-norm").validate({"b0": 0})


# ----------------------------------------------------------------------------- polyak, dog
def test_polyak_step():
    f, g = (lambda x: 0.5 * float(x[0] ** 2)), (lambda x: x)
    _, _, xs = run("polyak", {}, 3, {"f_star": 0.0}, [2.0], g, f)
    assert [x[0] for x in xs] == [1.0, 0.5, 0.25]         # (f - f*)/g^2 = 1/2 on x^2/2
    _, _, xs = run("polyak", {}, 1, {"f_star": 0.0}, [2.0], np.sign, lambda x: abs(float(x[0])))
    assert xs[0][0] == 0.0                                 # |x|: one step to the minimizer
    _, _, xs = run("polyak", {"gamma_max": 0.3}, 1, {"f_star": 0.0}, [2.0], g, f)
    assert xs[0][0] == pytest.approx(1.4)
    with pytest.raises(ParamError, match="needs the problem constant 'f_star'"):
        run("polyak", {}, 1, {"L": 1.0}, [2.0], g, f)
    assert registry.algorithms.get("polyak").needs_value


def test_dog_steps_and_weighted_average_output():
    A = registry.algorithms.get("dog")
    s, P, xs = run("dog", {"r_eps_rel": 0.1}, 3, {}, [1.0], lambda x: x)
    r_eps = 0.1 * (1 + 1.0)
    x1 = 1.0 - r_eps / 1.0 * 1.0
    G = 1.0 + x1 ** 2
    x2 = x1 - r_eps / math.sqrt(G) * x1
    rbar = abs(x2 - 1.0)
    assert rbar > r_eps
    G += x2 ** 2
    x3 = x2 - rbar / math.sqrt(G) * x2
    assert [x[0] for x in xs] == pytest.approx([x1, x2, x3], rel=1e-14)
    xbar = (r_eps * 1.0 + r_eps * x1 + rbar * x2) / (2 * r_eps + rbar)   # weights rbar_i, i < 3
    assert A.output(s, P)[0] == pytest.approx(xbar, rel=1e-14)
    assert "out" in A.outputs


# ----------------------------------------------------------------------------- SMoM
def test_clipped_sgd_smom_estimator_and_step():
    A = registry.algorithms.get("clipped-sgd-smom")
    p = A.validate({"gamma": 0.5, "c": 10.0, "m": 1, "n": 2, "theta": 0.5})
    assert A.samples_per_step(p) == (6, 3) and A.calls_per_step(p) == 6
    P = A.make_params(p, 2, {})
    s = A.init(np.zeros(2), P)
    draws = np.array([[1.0, 0.0], [3.0, 2.0],      # block 0 mean (2, 1)
                      [100.0, -8.0], [0.0, -8.0],  # block 1 mean (50, -8): an outlier block
                      [0.0, 1.0], [2.0, 1.0]])     # block 2 mean (1, 1)
    z = np.array([[0.0, 2.0], [0.0, 0.0], [2.0, -4.0]])
    G = np.vstack([draws, z])
    A.update(s, G, 0.0, P)
    # smoothed means: (2, 2), (50, -8), (2, -1); coordinate-wise medians: (2, -1)
    assert s.est.tolist() == [2.0, -1.0]
    assert s.x.tolist() == [-1.0, 0.5]
    # clipping of the estimate: c = 1 -> unit direction
    P1 = A.make_params(dict(p, c=1.0), 1, {})
    s = A.init(np.zeros(2), P1)
    A.update(s, G.copy(), 0.0, P1)
    assert s.x == pytest.approx(-0.5 * np.array([2.0, -1.0]) / math.sqrt(5), rel=1e-15)
    with pytest.raises(ParamError, match="'m' must be an integer"):
        A.validate({"m": 0.5})
    with pytest.raises(ParamError, match=r"'theta' must be in \[0, inf\)"):
        A.validate({"theta": -1})


def test_calls_per_step_with_batch():
    A = registry.algorithms.get("sgd")
    assert A.calls_per_step(A.validate({"batch": 8})) == 8
    assert registry.algorithms.get("fgm").calls_per_step({"h": 1.0}) == 1


# ----------------------------------------------------------------------------- ops and the PEP
class Sym:
    """A minimal symbolic vector (coefficients over a basis), like the PEP's Gram points."""

    def __init__(self, c):
        self.c = np.asarray(c, dtype=float)

    def copy(self):
        return Sym(self.c.copy())

    def __add__(self, o):
        return Sym(self.c + o.c)

    def __sub__(self, o):
        return Sym(self.c - o.c)

    def __mul__(self, a):
        return Sym(self.c * float(a))

    __rmul__ = __mul__

    def __neg__(self):
        return Sym(-self.c)

    def __iadd__(self, o):
        self.c = self.c + o.c
        return self

    def __isub__(self, o):
        self.c = self.c - o.c
        return self

    def __imul__(self, a):
        self.c = self.c * float(a)
        return self

    def __setitem__(self, key, o):
        self.c = o.c.copy()


@pytest.mark.parametrize("name, prm", [("sgd", {"gamma": 0.5}), ("subgradient", {"gamma": "1/sqrt(N)"}),
                                       ("fgm", {}), ("heavy-ball", {"beta": 0.5}), ("gd", {}), ("ogm", {})])
def test_linear_methods_run_on_symbolic_vectors(name, prm):
    A = registry.algorithms.get(name)
    N = 3
    P = A.make_params(A.validate(prm), N, {"L": 2.0, "mu": 0.5})
    e = np.eye(N + 1)
    s = A.init(Sym(e[0]), P)
    for t in range(N):
        A.query(s, P)
        A.update(s, Sym(e[t + 1]), 0.0, P)
    c = s.x.c  # x_N = c_0 x_0 + sum_t c_{t+1} g_t
    # every coefficient, against the same method run on numeric vectors (random x_0 and g_t)
    rng = np.random.default_rng(0)
    x0, G = rng.standard_normal(5), rng.standard_normal((N, 5))
    n = A.init(x0.copy(), P)
    for t in range(N):
        A.query(n, P)
        A.update(n, G[t].copy(), 0.0, P)
    assert np.allclose(n.x, c[0] * x0 + c[1:] @ G, rtol=0, atol=1e-13)
    # and against the closed form where the method's coefficients are elementary (step a = h/L
    # = 1/2 at L = 2, or gamma): x_N = x_0 - a sum g_t; heavy ball weights g_t by
    # 1 + beta + ... + beta^(N-1-t)
    a = {"sgd": 0.5, "gd": 0.5, "subgradient": 1 / np.sqrt(N), "heavy-ball": 0.5}.get(name)
    if name == "heavy-ball":
        assert c == pytest.approx([1.0] + [-a * sum(0.5 ** j for j in range(N - t)) for t in range(N)], abs=1e-15)
    elif a is not None:
        assert c == pytest.approx([1.0] + [-a] * N, abs=1e-15)
    else:  # fgm, ogm: x_0's coefficient is 1 (the updates are affine combinations), the last step is -h/L
        assert c[0] == pytest.approx(1.0, abs=1e-15) and c[-1] == pytest.approx(-0.5, abs=1e-15)


@pytest.mark.parametrize("name, op", [("clipped-sgd", "clip"), ("nsgd", "normalize"), ("adam", "ema_sq"),
                                      ("sign-sgd", "sign_axpy"), ("adagrad-norm", "norm_sq"), ("dog", "norm")])
def test_nonlinear_methods_refuse_symbolic_vectors(name, op):
    A = registry.algorithms.get(name)
    P = A.make_params(A.validate({}), 2, {"L": 1.0})
    with pytest.raises(ops.PEPLoweringError, match=f"op '{op}' has no exact PEP lowering"):
        s = A.init(Sym(np.eye(3)[0]), P)
        A.update(s, Sym(np.eye(3)[1]), 0.0, P)


def test_new_ops_are_declared_nonlinear():
    for op in ("dist", "ema_sq", "maximum", "adaptive_axpy", "sign_axpy", "smom"):
        assert ops.LOWERING[op] == "none"
    for op in ("assign", "axpy", "scal", "lincomb", "dot"):
        assert ops.LOWERING[op] == "exact"


def test_nsgd_power_beta():
    # beta = 0.5: x -= gamma g/||g||^0.5 ; g = (3, 4), ||g|| = 5
    _, _, xs = run("nsgd", {"gamma": 1.0, "beta": 0.5}, 1, {}, [3.0, 4.0], lambda x: x)
    assert xs[0] == pytest.approx(np.array([3.0, 4.0]) * (1 - 1 / math.sqrt(5)), rel=1e-15)
    _, _, xs = run("nsgd", {"gamma": 0.1, "beta": 0.0}, 1, {}, [3.0, 4.0], lambda x: x)   # = sgd
    assert xs[0] == pytest.approx([2.7, 3.6], rel=1e-15)
    with pytest.raises(ParamError, match=r"'beta' must be in \[0, 1\]"):
        registry.algorithms.get("nsgd").validate({"beta": 1.5})

"""The algorithm files compile under numba (init/query/update jitted in a tiny loop) for a few
methods covering every new op; the generic numba-vs-numpy conformance suite is the engine's."""
import numba
import numpy as np
import pytest

from boundcheck import registry


def _loop(A, m=None, r=0):
    init, query, update = numba.njit(A.init), numba.njit(A.query), numba.njit(A.update)

    if m is None:
        @numba.njit
        def loop(x0, P, n, noise):
            s = init(x0, P)
            g = np.empty_like(x0)
            for t in range(n):
                q = query(s, P)
                fx = 0.0
                for i in range(q.shape[0]):
                    g[i] = (i + 1.0) * q[i] + noise[t, i]
                    fx += 0.5 * (i + 1.0) * q[i] * q[i]
                update(s, g, fx, P)
            return s.x.copy()
    else:
        @numba.njit
        def loop(x0, P, n, noise):
            s = init(x0, P)
            G = np.empty((m + r, x0.shape[0]))
            c = 0
            for t in range(n):
                q = query(s, P)
                for j in range(m + r):
                    for i in range(q.shape[0]):
                        G[j, i] = ((i + 1.0) * q[i] if j < m else 0.0) + noise[c % noise.shape[0], i]
                    c += 1
                update(s, G, 0.0, P)
            return s.x.copy()
    return loop


def _numpy(A, x0, P, n, noise, m=None, r=0):
    s = A.init(x0.copy(), P)
    w = np.arange(1.0, x0.shape[0] + 1)
    c = 0
    for t in range(n):
        q = A.query(s, P)
        if m is None:
            A.update(s, w * q + noise[t], float(np.sum(0.5 * w * q * q)), P)
        else:
            G = np.empty((m + r, x0.shape[0]))
            for j in range(m + r):
                G[j] = (w * q if j < m else 0.0) + noise[c % noise.shape[0]]
                c += 1
            A.update(s, G, 0.0, P)
    return s.x


@pytest.mark.parametrize("name, prm", [
    ("clipped-sgd", {"gamma": "0.2/sqrt(t+1)", "c": 0.5}),
    ("amsgrad", {"gamma": 0.05, "bias_correction": "on", "eps": 1e-8}),
    ("gd-armijo", {"restart": "grow"}),
    ("dog", {}),
    ("nsgd", {"beta": 0.5, "gamma": 0.05}),
    ("clipped-sgd-smom", {"m": 2, "n": 2, "theta": 0.3, "gamma": 0.1}),
])
def test_compiles_under_numba_and_matches_numpy(name, prm):
    A = registry.algorithms.get(name)
    p = A.validate(prm)
    N = 30
    P = A.make_params(p, N, {"L": 3.0})
    x0 = np.array([1.0, -2.0, 0.5])
    noise = np.random.default_rng(3).standard_normal((200, 3)) * (0.3 if A.stochastic else 0.0)
    m, r = A.samples_per_step(p) if A.samples_per_step else (None, 0)
    x_nb = _loop(A, m, r)(x0, P, N, noise)
    x_np = _numpy(A, x0, P, N, noise, m, r)
    assert np.all(np.isfinite(x_nb))
    assert np.array_equal(x_nb, x_np)  # bit for bit: the op bodies share their operation order


def _nb_ops():
    from boundcheck import ops

    @numba.njit
    def run_all(x, y, m, v, G, work, out):
        r = np.empty(4)
        r[0] = ops.dot(x, y)
        r[1] = ops.norm_sq(x)
        r[2] = ops.norm(y)
        r[3] = ops.dist(x, y)
        a = x.copy(); ops.clip(a, 0.5); out[0] = a
        a = x.copy(); ops.normalize(a); out[1] = a
        a = x.copy(); ops.sign_axpy(a, -0.3, y); out[2] = a
        a = v.copy(); ops.ema_sq(a, 0.9, y); out[3] = a
        a = v.copy(); ops.maximum(a, m); out[4] = a
        a = x.copy(); ops.adaptive_axpy(a, -0.1, m, v, 3.0, 1e-8); out[5] = a
        a = x.copy(); ops.smom(a, G, 3, 2, 0.7, work); out[6] = a
        a = x.copy(); ops.lincomb(a, 0.3, a, -1.7, y); out[7] = a
        a = x.copy(); ops.axpy(a, 0.3, y); ops.scal(a, 1.1); out[8] = a
        return r
    return run_all


@pytest.mark.parametrize("d", [3, 10, 257])
def test_ops_numpy_and_numba_bodies_are_bit_identical(d):
    from boundcheck import ops

    rng = np.random.default_rng(d)
    x, y, m = rng.standard_normal((3, d))
    v = rng.random(d)
    v[0] = 0.0
    G = rng.standard_normal((9, d))
    out = np.empty((9, d))
    r_nb = _nb_ops()(x, y, m, v, G, np.zeros(3), out)
    r_np = [ops.dot(x, y), ops.norm_sq(x), ops.norm(y), ops.dist(x, y)]
    assert r_nb.tolist() == r_np                           # reductions: same left-to-right order
    exp = np.empty((9, d))
    a = x.copy(); ops.clip(a, 0.5); exp[0] = a
    a = x.copy(); ops.normalize(a); exp[1] = a
    a = x.copy(); ops.sign_axpy(a, -0.3, y); exp[2] = a
    a = v.copy(); ops.ema_sq(a, 0.9, y); exp[3] = a
    a = v.copy(); ops.maximum(a, m); exp[4] = a
    a = x.copy(); ops.adaptive_axpy(a, -0.1, m, v, 3.0, 1e-8); exp[5] = a
    a = x.copy(); ops.smom(a, G, 3, 2, 0.7, np.zeros(3)); exp[6] = a
    a = x.copy(); ops.lincomb(a, 0.3, a, -1.7, y); exp[7] = a
    a = x.copy(); ops.axpy(a, 0.3, y); ops.scal(a, 1.1); exp[8] = a
    assert np.array_equal(out, exp)

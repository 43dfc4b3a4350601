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
    assert np.max(np.abs(x_nb - x_np)) <= 1e-12

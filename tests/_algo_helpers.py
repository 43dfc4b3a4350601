"""Plain-numpy driver for the algorithm unit tests (the engine owner's conformance suite compares
numba, numpy and NUMBA_DISABLE_JIT generically; these tests pin each update rule by hand)."""
import numpy as np

from boundcheck import registry


def run(name, params, N, prob, x0, grad, f=None, steps=None):
    """Run ``steps`` (default N) steps of algorithm ``name``; return (state, P, list of x after each step)."""
    A = registry.algorithms.get(name)
    p = A.validate(params)
    P = A.make_params(p, N, prob)
    s = A.init(np.array(x0, dtype=float), P)
    xs = []
    for _ in range(N if steps is None else steps):
        q = A.query(s, P)
        g = np.array(grad(q), dtype=float)
        fx = float(f(q)) if (A.needs_value and f is not None) else 0.0
        A.update(s, g, fx, P)
        xs.append(s.x.copy())
    return s, P, xs

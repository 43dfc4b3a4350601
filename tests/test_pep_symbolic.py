"""Symbolic PEP points: linear algebra, nonlinear errors, the driver against a numpy run, lifting."""
import numpy as np
import pytest

from boundcheck import registry
from boundcheck.functions.base import Point
from boundcheck.ops import PEPLoweringError
from boundcheck.pep import driver, lift
from boundcheck.pep.symbolic import Scalar, Vec

PROB = dict(L=1.0, mu=0.1, M=1.0, R=1.0, d=6, f_star=0.0, gamma=0.5, L0=1.0, L1=1.0)


def test_vector_ops_and_inplace():
    a, b = Vec.basis(0), Vec.basis(2)
    v = 2.0 * a - b / 4
    v += np.float64(3.0) * b
    v -= a
    v *= 2
    v /= 4
    assert np.allclose(v.c, [0.5, 0, 1.375])
    w = v.copy()
    w[:] = a
    assert np.allclose(v.c, [0.5, 0, 1.375]) and np.allclose(w.c, [1.0])
    assert np.allclose((-v).c, -v.c)
    s = (a + b) @ (a - 2 * b)  # ||a||^2 - 2||b||^2 - <a,b>
    G = np.diag([1.0, 5.0, 3.0])
    G[0, 2] = G[2, 0] = 0.5
    assert np.isclose(np.sum(s.Q * G[:3, :3]), 1 - 6 - 0.5)


@pytest.mark.parametrize("bad", [
    lambda a, f: a * a, lambda a, f: f * f, lambda a, f: float(f), lambda a, f: np.sqrt(float(a @ a)),
    lambda a, f: a[0], lambda a, f: bool(f > 0), lambda a, f: a * f, lambda a, f: abs(f),
])
def test_nonlinear_raises(bad):
    with pytest.raises(PEPLoweringError):
        bad(Vec.basis(1), Scalar.variable(0))


@pytest.mark.parametrize("name", registry.algorithms.names())
def test_driver_matches_numpy(name):
    """The symbolic run reproduces the numpy run: x_t = X[t] @ [x0, g_0, ...] for arbitrary g_t."""
    alg = registry.algorithms.get(name)
    p = alg.validate({})
    N, d = 5, 12
    try:
        run = driver.run(alg, p, N, PROB)
    except PEPLoweringError as e:
        assert str(e).startswith(f"{name} cannot run on PEP points"), e
        assert "no exact PEP lowering" in str(e)
        return
    rng = np.random.default_rng(0)
    basis = rng.standard_normal((run.oracle.n + 2, d))  # x0, g_0, g_1, ... as numeric vectors
    P = alg.make_params(p, N, PROB)
    s = alg.init(basis[0].copy(), P)
    X, Gr = run.oracle.matrices()
    for t in range(N):
        q = np.array(alg.query(s, P), copy=True)
        i = run.queries[t]
        g = Gr[i] @ basis[: X.shape[1]]
        if alg.resolvent is not None:  # a backward step: the oracle point is q - a g (proximal point)
            q = q - alg.resolvent(P) * g
        assert np.allclose(q, X[i] @ basis[: X.shape[1]], atol=1e-12), (name, t)
        alg.update(s, g.copy(), 0.0, P)
    assert np.allclose(s.x, run.last.coef(X.shape[1]) @ basis[: X.shape[1]], atol=1e-12)


def _numeric(form, pts, ps_f=0.0):
    """evaluate a local form on numeric points (x, g, f)"""
    s = np.concatenate([np.stack([p.x, p.g]) for p in pts])
    return float(np.sum(form.Q * (s @ s.T)) + form.q @ np.array([p.f for p in pts]) + form.const)


@pytest.mark.parametrize("cls", registry.functions.names())
def test_local_forms_match_numpy(cls):
    """Every Gram-expressible class condition, read once on symbolic points, agrees with the same
    function on numpy points (pair, star and point arities)."""
    fc = registry.functions.get(cls)
    c = {p.name: float(p.default if p.default is not None else 1.0) for p in fc.constants}
    c.update({k: v for k, v in PROB.items() if k in c})
    rng = np.random.default_rng(1)
    for cd in fc.conditions:
        if cd.pep == "none":
            continue
        k = 1 if cd.arity == "point" else 2
        form = lift.local_form(lambda *p: cd.expr(*p, c), k)
        for _ in range(3):
            pts = [Point(rng.standard_normal(4), rng.standard_normal(4), rng.standard_normal()) for _ in range(k)]
            assert np.isclose(_numeric(form, pts), float(cd.expr(*pts, c)), rtol=1e-10, atol=1e-10), cd.name


def test_lift_rows_match_dense():
    """Sparse lifted rows equal the dense Gram matrices built directly, and values() agrees."""
    rng = np.random.default_rng(2)
    P, n = 5, 7
    X, Gr = rng.standard_normal((P + 1, n)), rng.standard_normal((P + 1, n))
    X[P] = Gr[P] = 0.0
    fidx = np.r_[np.arange(P), -1]
    fn = registry.functions.get("smooth-strongly-convex").conditions[0].expr
    c = dict(L=2.0, mu=0.3)
    form = lift.local_form(lambda a, b: fn(a, b, c), 2)
    tup = np.array([(i, j) for i in range(P + 1) for j in range(P + 1) if i != j])
    A, B, r = lift.lift(form, tup, X, Gr, fidx, P, chunk=7)
    W = rng.standard_normal((n, n))
    G = W @ W.T
    F = rng.standard_normal(P)
    vals = lift.values(form, tup, np.vstack([X, Gr]) @ G @ np.vstack([X, Gr]).T, np.r_[F, 0.0], fidx, P + 1)
    for row, (i, j) in enumerate(tup):
        fi = F[i] if i < P else 0.0
        fj = F[j] if j < P else 0.0
        expr = float(fn(Point(X[i] @ W, Gr[i] @ W, fi), Point(X[j] @ W, Gr[j] @ W, fj), c))
        assert np.isclose(-(A[row] @ G.reshape(-1) + B[row] @ F) + r[row], expr)
        assert np.isclose(vals[row], expr)
        Ai = A[row].toarray().reshape(n, n)
        assert np.allclose(Ai, Ai.T)

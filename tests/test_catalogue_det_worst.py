"""Issue 13 (T02, T05): worst-case instances for gradient descent with certified constants, and the
catalogue claims that use them in the theorems' own normalisation (f-decrease, f-gap).

* smooth-nonconvex 'zigzag' attains min ||grad||^2 = 4 L (f(x0) - f(x_N))/(N h (4 - h)) (T02);
* pl 'quadratic' attains f(x_N) - f* = (1 - h mu/L)^(2N) (f(x0) - f*) (T05);
* the catalogue claims on them PASS strong, and their negative controls FAIL.
"""
from pathlib import Path

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.claims import load_file
from boundcheck.functions.check import check_instance
from boundcheck.verify import verify_claims

PROBLEMS = Path(__file__).resolve().parents[1] / "problems"


def _gd(inst, L, h, N):
    x = inst.x0.copy()
    g2, f0 = [], inst.f(x)
    for k in range(N + 1):
        g = inst.g(x)
        g2.append(float(g @ g))
        if k < N:
            x = x - (h / L) * g
    return g2, f0, inst.f(x)


@pytest.mark.parametrize("h", [0.5, 1.0, 1.5])
def test_zigzag_attains_the_min_gradient_constant(h):
    L, R, N = 2.0, 1.5, 40
    cls = registry.functions.get("smooth-nonconvex")
    inst = cls.instance(instance="zigzag", d=3, seed=0, L=L, R=R, N=N, h=h)
    assert np.linalg.norm(inst.x0 - inst.x_star) == pytest.approx(R)
    g2, f0, fN = _gd(inst, L, h, N)
    assert max(g2) == pytest.approx(min(g2), rel=1e-12)  # every iterate on a flat tent top (no drift over 40 steps)
    c = min(g2) / (L * (f0 - fN) / N)
    assert c == pytest.approx(4 / (h * (4 - h)), rel=1e-5) and c <= 4 / (h * (4 - h))
    assert check_instance(inst, cls).ok
    assert not check_instance(inst, cls, constants={"L": 0.95 * L}).ok  # |f''| = L is attained


def test_zigzag_is_bounded_below_by_its_minimiser():
    inst = registry.functions.get("smooth-nonconvex").instance(instance="zigzag", d=1, seed=0, N=5, h=1.0)
    xs = np.linspace(-3.0, 3.0, 2001)
    f = np.array([inst.f(np.array([t])) for t in xs])
    assert f.min() >= -1e-15 and inst.f(inst.x_star) == 0.0
    assert xs[f.argmin()] == pytest.approx(0.0, abs=0.01)


def test_pl_quadratic_attains_the_squared_factor():
    L, mu, h, N = 1.0, 0.1, 1.0, 7
    cls = registry.functions.get("pl")
    inst = cls.instance(instance="quadratic", seed=0, L=L, mu=mu, R=2.0)
    _, f0, fN = _gd(inst, L, h, N)
    assert fN / f0 == pytest.approx((1 - h * mu / L) ** (2 * N), rel=1e-12)
    assert check_instance(inst, cls).ok
    assert not check_instance(inst, cls, constants={"mu": 1.05 * mu}).ok
    assert not check_instance(inst, cls, constants={"L": 0.95 * L}).ok


def _claims(name):
    return {c.id: c for c in load_file(PROBLEMS / name)}


def test_t02_f_decrease_claim_is_strong_and_its_control_fails():
    cs = _claims("gd_nonconvex.toml")
    rep = verify_claims([cs["T02-gd-mingrad-f-decrease"], cs["T02-gd-mingrad-f-decrease-c1"]], engines=["mc"])
    tight, control = rep.results
    assert tight.verdict.verdict == "PASS" and tight.evidence == "strong"
    assert tight.verdict.resolution["value"] == pytest.approx(1.0, abs=1e-4)
    assert control.verdict.verdict == "FAIL" and control.verdict.expected == "FAIL"


def test_t05_fgap_claims_are_strong_and_the_accelerated_control_fails():
    cs = _claims("gd_pl.toml")
    ids = ["T05-gd-pl-descent-lemma-fgap", "T05-gd-pl-sharper-fgap", "T05-gd-pl-accelerated-rate-control"]
    dl, sharp, control = verify_claims([cs[i] for i in ids]).results
    assert dl.verdict.verdict == "PASS" and dl.evidence == "strong"
    assert dl.verdict.resolution["value"] == pytest.approx(0.9 / 0.81 * (1 + 1e-6), rel=1e-6)
    assert sharp.verdict.verdict == "PASS" and sharp.evidence == "strong"
    assert control.verdict.verdict == "FAIL"


@pytest.mark.parametrize("alg", ["gd[h=1]", "fgm[h=1]", "ogm", "heavy-ball"])
def test_nesterov_chain_bounds_every_krylov_method_from_below(alg):
    """Nesterov Thm 2.1.7: on the tridiagonal quadratic with k = 2N + 1, x0 = 0, ||x0 - x*|| = R,
    f(x_N) - f* >= 3 L R^2/(32 (N+1)^2) for every method whose iterates stay in the gradients' span."""
    from boundcheck.engine import run

    L, R = 2.0, 1.5
    for N in (1, 4, 9):
        r = run(alg, f"smooth-convex[L={L},instance=nesterov,N={N},d={2 * N + 1},R={R}]", None, n_steps=N,
                n_runs=1, seed=0, checkpoints=[N], iterates=["last"])
        gap = float(np.asarray(r["f_gap@last"])[0][0])
        assert gap >= 3 * L * R * R / (32 * (N + 1) ** 2) * (1 - 1e-12), (alg, N, gap)


def test_nesterov_chain_instance():
    cls = registry.functions.get("smooth-convex")
    inst = cls.instance(instance="nesterov", d=13, N=5, L=2.0, R=1.5, seed=0)
    assert np.linalg.norm(inst.x0 - inst.x_star) == pytest.approx(1.5)
    assert np.abs(inst.g(inst.x_star)).max() < 1e-14 and inst.f(inst.x_star) == pytest.approx(inst.f_star, abs=1e-15)
    assert check_instance(inst, cls).ok
    with pytest.raises(Exception, match="d >= 2N"):
        cls.instance(instance="nesterov", d=8, N=5)

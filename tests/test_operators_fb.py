"""The forward-backward split x_{k+1} = J_{gamma B}(x_k - gamma A(x_k)).

* Monte Carlo: on the cocoercive ``split`` instance (A symmetric, B = K (x - x*) skew, reached
  through its resolvent) the iterates solve x_{k+1} + gamma B(x_{k+1}) = x_k - gamma A(x_k), the
  numba kernel equals the numpy reference, and B changes the trajectory (it is not dropped);
* PEP: B = 0 only. Its value equals PEPit's forward step on a cocoercive operator, and is strictly
  below PEPit's two-operator forward-backward (A cocoercive, B maximally monotone): a restriction,
  which is why a catalogue claim on a split instance cannot list the pep engine.
"""
from __future__ import annotations

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.engine import run
from boundcheck.engine.reference import run_reference
from boundcheck.errors import CatalogueError
from boundcheck.pep.solve import worst_case
from boundcheck.plugins.report import max_rel_diff

SPLIT = dict(beta=1.0, instance="split", backward=2.0, d=6, seed=1)


def _spec(p):
    return "cocoercive[" + ",".join(f"{k}={v}" for k, v in p.items()) + "]"


def test_split_instance_certifies_beta_and_a_common_zero():
    inst = registry.functions.get("cocoercive").instance(**SPLIT)
    assert inst.constants["beta"].value == pytest.approx(1.0, rel=1e-12)
    assert np.allclose(inst.g(inst.x_star), 0.0, atol=1e-12)
    M, c = inst.backward(1.5)  # J_{gamma B} fixes x*: B(x*) = 0
    assert np.allclose(M @ inst.x_star + c, inst.x_star, atol=1e-12)


def test_engine_takes_the_backward_step():
    gamma, n = 1.5, 10
    kw = dict(n_steps=n, n_runs=1, seed=0, checkpoints=[1, 5, n], keep_final=True)
    a = run(f"forward-backward[gamma={gamma}]", _spec(SPLIT), None, **kw)
    b = run_reference(f"forward-backward[gamma={gamma}]", _spec(SPLIT), None, **kw)
    assert max_rel_diff(a.values, b.values) <= 1e-12 and max_rel_diff(a.final_x, b.final_x) <= 1e-12
    inst = registry.functions.get("cocoercive").instance(**SPLIT)
    K = inst.backward.A
    xs = [inst.x0] + [run_reference(f"forward-backward[gamma={gamma}]", inst, None, n_steps=k, n_runs=1, seed=0,
                                    checkpoints=[k], keep_final=True).final_x[0] for k in range(1, 5)]
    for k in range(4):  # x_{k+1} + gamma K (x_{k+1} - x*) = x_k - gamma A(x_k)
        lhs = xs[k + 1] + gamma * K @ (xs[k + 1] - inst.x_star)
        assert np.allclose(lhs, xs[k] - gamma * inst.g(xs[k]), rtol=0, atol=1e-12)
    d = a.metrics["dist_sq@last"][:, 0]
    assert np.all(np.diff(d) <= 0)  # Fejer monotone: gamma < 2 beta
    # without B (the same A, forward steps only) the trajectory differs: B is applied, not dropped
    x = inst.x0.copy()
    for _ in range(n):
        x = x - gamma * inst.g(x)
    assert not np.allclose(x, a.final_x[0], atol=1e-6)


def test_instance_without_backward_part_is_the_forward_step():
    p = dict(beta=1.0, d=5, seed=2)
    kw = dict(n_steps=8, n_runs=1, seed=0, checkpoints=[8], keep_final=True)
    a = run("forward-backward[gamma=0.7]", _spec(p), None, **kw)
    inst = registry.functions.get("cocoercive").instance(**p)
    assert inst.backward is None
    x = inst.x0.copy()
    for _ in range(8):
        x = x - 0.7 * inst.g(x)
    assert np.allclose(a.final_x[0], x, rtol=1e-12, atol=1e-14)


def _pepit_fb(N, gamma, beta, with_b):
    from PEPit import PEP
    from PEPit.operators import CocoerciveOperator, MonotoneOperator
    from PEPit.primitive_steps import proximal_step

    problem = PEP()
    A = problem.declare_function(CocoerciveOperator, beta=beta)
    B = problem.declare_function(MonotoneOperator) if with_b else None
    xs = (A + B).stationary_point() if with_b else A.stationary_point()
    x0 = problem.set_initial_point()
    problem.set_initial_condition((x0 - xs) ** 2 <= 1)
    x = xp = x0
    for _ in range(N):
        xp = x
        y = x - gamma * A.gradient(x)
        x = proximal_step(y, B, gamma)[0] if with_b else y
    problem.set_performance_metric((x - xp) ** 2)
    return problem.solve(wrapper="cvxpy", solver="CLARABEL", verbose=0)


@pytest.mark.parametrize("N", [2, 3])
def test_pep_is_the_b_zero_restriction(N):
    pytest.importorskip("PEPit")
    ours = worst_case("forward-backward[gamma=1.5]", "cocoercive[beta=1]", N, "step-sq")
    assert ours.status == "optimal"
    assert ours.value == pytest.approx(_pepit_fb(N, 1.5, 1.0, False), rel=1e-5)
    assert ours.value < 0.9 * _pepit_fb(N, 1.5, 1.0, True)  # B = 0 is a restriction: strictly below


CLAIM = """
title = "fb"
tag = "T25"
[params]
R = 1.0
[setting]
algorithm = { name = "forward-backward", gamma = 1.5 }
function = { name = "cocoercive", instance = "split", beta = 1.0, backward = 2.0, R = "R", d = 6 }
[check]
N = [2, 4]
runs = 1
[[claim]]
id = "T25-fb-fejer"
kind = "upper"
metric = "dist_sq"
iterate = "last"
bound = "R^2"
engines = ENGINES
expected = "PASS"
[claim.citation]
authors = ["test"]
year = 2026
title = "Fejer monotonicity"
theorem = "test"
"""


def test_split_claim_refuses_the_pep_and_runs_on_mc(tmp_path):
    from boundcheck.claims import load_catalogue
    from boundcheck.verify import verify_claims

    (tmp_path / "c.toml").write_text(CLAIM.replace("ENGINES", '["pep", "mc"]'))
    with pytest.raises(CatalogueError) as e:
        load_catalogue([tmp_path])
    assert "B = 0, a restriction" in str(e.value) and len(str(e.value).splitlines()) == 1
    (tmp_path / "c.toml").write_text(CLAIM.replace("ENGINES", '["mc"]'))
    claims = load_catalogue([tmp_path])
    r = verify_claims(claims).results[0]
    assert r.engines["mc"].verdict == "PASS"


def test_pep_of_a_split_instance_is_refused():
    """certify/build on cocoercive[instance=split]: the PEP would answer B = 0, a nearby question;
    it is a usage error instead (the class without a split instance still builds)."""
    from boundcheck.errors import UsageError
    from boundcheck.pep.build import build

    with pytest.raises(UsageError, match="B = 0, a restriction"):
        build("forward-backward", "cocoercive[beta=1,instance=split]", 2, "step-sq")
    build("forward-backward", "cocoercive[beta=1]", 2, "step-sq")

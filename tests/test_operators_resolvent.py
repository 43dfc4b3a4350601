"""Proximal point in the Monte Carlo engines: the instance's resolvent (linear operators).

* ``AffineResolvent``: J_{aF}(y) = M y + c solves x + a A (x - x*) = y; a singular I + a A (a
  comonotone operator with a <= rho) is refused in one line, never returned inexact;
* the engine's PP iterates satisfy the implicit equation x_{k+1} = x_k - gamma F(x_{k+1}), and the
  numba kernel equals the numpy reference;
* the worst-case instances attain the T25 bounds: the monotone rotation with gamma s = 1/sqrt(N-1)
  gives Gu-Yang's (1 - 1/N)^(N-1)/N, the uniform comonotone operator gives
  (1 - 1/N)^(N-1)/(N gamma (gamma - 2 rho)); a random linear operator stays below;
* verify: the PP claims PASS on the Monte Carlo engine and the planted half constant FAILs there.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.engine import run
from boundcheck.engine.reference import run_reference
from boundcheck.errors import UsageError
from boundcheck.functions.operator import AffineResolvent
from boundcheck.plugins.report import max_rel_diff

ROOT = Path(__file__).resolve().parents[1]


def gu_yang(N):
    return (1 - 1 / N) ** (N - 1) / N


@pytest.mark.parametrize("fn", ["monotone[d=5,seed=3]", "strongly-monotone[mu=0.3,d=4,seed=1]",
                                "cocoercive[beta=0.5,d=4,seed=2]", "comonotone[rho=0.25,d=4,seed=4]"])
def test_resolvent_solves_the_implicit_equation(fn):
    name, _, rest = fn.partition("[")
    params = dict(kv.split("=") for kv in rest.rstrip("]").split(","))
    inst = registry.functions.get(name).instance(**params)
    rng = np.random.default_rng(0)
    for a in (0.7, 2.0):
        M, c = inst.resolvent(a)
        y = rng.standard_normal(inst.d)
        x = M @ y + c
        assert np.allclose(x + a * inst.g(x), y, rtol=0, atol=1e-12)


def test_singular_resolvent_is_refused():
    """A = -(1/rho) I is rho-comonotone (with equality); I + a A is singular at a = rho."""
    rho = 0.5
    J = AffineResolvent(-np.eye(3) / rho, np.zeros(3))
    with pytest.raises(UsageError) as e:
        J(rho)
    assert "not defined" in str(e.value) and len(str(e.value).splitlines()) == 1
    M, c = J(2.0)  # a > rho: defined
    assert np.allclose(M, np.eye(3) / (1 - 2.0 / rho))


@pytest.mark.parametrize("fn", ["monotone[d=5,seed=3]", "comonotone[rho=0.2,d=4,seed=1]"])
def test_engine_runs_the_backward_step(fn):
    kw = dict(n_steps=12, n_runs=1, seed=0, checkpoints=[1, 2, 6, 12], keep_final=True)
    a = run("proximal-point[gamma=1.5]", fn, None, **kw)
    b = run_reference("proximal-point[gamma=1.5]", fn, None, **kw)
    assert max_rel_diff(a.values, b.values) <= 1e-12
    assert max_rel_diff(a.final_x, b.final_x) <= 1e-12
    # the implicit equation, step by step, on the reference's iterates: x_{k+1} = x_k - gamma F(x_{k+1})
    name, _, rest = fn.partition("[")
    inst = registry.functions.get(name).instance(**dict(kv.split("=") for kv in rest.rstrip("]").split(",")))
    xs = [inst.x0]
    for k in range(12):
        xs.append(run_reference("proximal-point[gamma=1.5]", inst, None, n_steps=k + 1, n_runs=1, seed=0,
                                checkpoints=[k + 1], keep_final=True).final_x[0])
    for k in range(12):
        assert np.allclose(xs[k + 1], xs[k] - 1.5 * inst.g(xs[k + 1]), rtol=0, atol=1e-12)
    g = a.metrics["grad_sq@last"][:, 0]
    assert np.all(np.diff(g) <= 1e-15)  # PP never increases ||F(x_k)|| on a monotone or comonotone operator


@pytest.mark.parametrize("N", [2, 3, 5, 8])
def test_rotation_attains_gu_yang(N):
    gamma = 1.5
    s = 1 / (gamma * math.sqrt(N - 1))
    r = run(f"proximal-point[gamma={gamma}]", f"monotone[instance=rotation,s={s},d=6,seed=2]", None,
            n_steps=N, n_runs=1, checkpoints=[N])
    assert gamma ** 2 * r.metrics["grad_sq@last"][0, 0] == pytest.approx(gu_yang(N), rel=1e-12)
    # a random monotone linear operator is below (the skew rotation is the worst case)
    r = run(f"proximal-point[gamma={gamma}]", "monotone[d=6,seed=2]", None, n_steps=N, n_runs=1, checkpoints=[N])
    assert gamma ** 2 * r.metrics["grad_sq@last"][0, 0] < gu_yang(N)


@pytest.mark.parametrize("N", [2, 4])
def test_uniform_comonotone_attains_the_worst_case(N):
    gamma, rho = 1.0, 0.25
    t = math.sqrt((N - 1) * (gamma - rho) ** 2 - N * rho ** 2)
    inst = registry.functions.get("comonotone").instance(instance="uniform", rho=rho, t=t, d=6, seed=5)
    assert inst.constants["rho"].value == pytest.approx(rho, rel=1e-12)
    r = run(f"proximal-point[gamma={gamma}]", inst, None, n_steps=N, n_runs=1, checkpoints=[N])
    want = (1 - 1 / N) ** (N - 1) / (N * gamma * (gamma - 2 * rho))
    assert r.metrics["grad_sq@last"][0, 0] == pytest.approx(want, rel=1e-12)


def test_ppa_claims_on_the_monte_carlo_engine(tmp_path):
    from boundcheck.claims import load_catalogue
    from boundcheck.verify import verify_claims

    text = (ROOT / "problems" / "monotone_operators.toml").read_text()
    assert text.count('N = [2, 3, 5, 8]') == 2  # the PP claims' grids (N = 1 is only a supremum)
    (tmp_path / "monotone_operators.toml").write_text(text.replace("N = [2, 3, 5, 8]", "N = [2, 5]"))
    ids = {"T25-ppa-tight", "T25-ppa-half-constant", "T25-comonotone-ppa-tight"}
    claims = [c for c in load_catalogue([tmp_path]) if c.id in ids]
    assert len(claims) == 3 and all("mc" in c.engines for c in claims)
    got = {r.claim.id: r.engines["mc"] for r in verify_claims(claims, engines=("mc",)).results}
    assert got["T25-ppa-tight"].verdict == "PASS" and got["T25-ppa-tight"].evidence == "strong"
    assert got["T25-comonotone-ppa-tight"].verdict == "PASS"
    assert got["T25-ppa-half-constant"].verdict == "FAIL"


def test_undefined_worst_case_instance_is_one_line_exit_2(capsys):
    """At rho = 0.45, gamma = 1 the uniform instance's t^2 = (N-1)(gamma-rho)^2 - N rho^2 is negative at
    N = 2: a setting formula that is not a number is bad input (one line, exit 2), not a traceback."""
    from boundcheck.cli import main

    rc = main(["verify", "--claim", "T25-comonotone-ppa-tight", "--function", "rho=0.45"])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and len(err.splitlines()) == 1 and "not a finite number" in err and "Traceback" not in err

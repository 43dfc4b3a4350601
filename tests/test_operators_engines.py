"""VI methods (T25) in the Monte Carlo engines, and the T25 claims end to end.

* numba and the numpy reference give the same iterates for extragradient, optimistic gradient and
  the forward step on the linear and the nonlinear (tanh) operators;
* the forward step diverges on a skew operator exactly as the algebra says, extragradient does not;
* verify: the proximal point claim PASSes (strong), the planted half constant FAILs, and a planted
  constant on the Lipschitz monotone class (conditions only necessary) is INCONCLUSIVE, not FAIL.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.engine import run
from boundcheck.engine.reference import run_reference
from boundcheck.plugins.report import max_rel_diff

ROOT = Path(__file__).resolve().parents[1]
METHODS = ["extragradient", "optimistic-gradient", "forward-step"]
# a kernel per (method, class, generator) is compiled once and cached; the nonlinear operator's
# three cold compiles take ~15-30 s each on a loaded machine, so they run with the slow marker
OPERATORS = ["lipschitz-monotone[L=2,d=5,seed=3]",
             pytest.param("lipschitz-monotone[L=1,d=4,instance=tanh,seed=1]", marks=pytest.mark.slow)]


@pytest.mark.parametrize("alg", METHODS)
@pytest.mark.parametrize("fn", OPERATORS)
def test_numba_matches_numpy_reference(alg, fn):
    kw = dict(n_steps=40, n_runs=2, seed=0, checkpoints=[1, 2, 10, 40], keep_final=True)
    a = run(alg, fn, None, **kw)
    b = run_reference(alg, fn, None, **kw)
    assert a.metric_names == b.metric_names
    assert not any(n.startswith(("f_gap@", "f@")) for n in a.metric_names)  # an operator has no f
    assert max_rel_diff(a.values, b.values) <= 1e-12
    assert max_rel_diff(a.final_x, b.final_x) <= 1e-12


def _skew():
    cls = registry.functions.get("lipschitz-monotone")
    inst = cls.instance(L=1.0, d=4, sym=0.0, seed=5)
    A = inst.data[1]
    assert np.allclose(A, -A.T)
    return inst, A


def test_forward_step_diverges_on_a_skew_operator():
    """A skew: (I - g A)^T (I - g A) = I + g^2 A^T A, so ||x_N - x*||^2 = e^T (I + g^2 A^T A)^N e."""
    inst, A = _skew()
    h, Ns = 0.5, [1, 2, 5, 10, 20]
    res = run("forward-step[h=0.5]", inst, None, n_steps=20, n_runs=1, checkpoints=Ns)
    e = inst.x0 - inst.x_star
    M = np.eye(4) + h * h * A.T @ A
    exact = [e @ np.linalg.matrix_power(M, N) @ e for N in Ns]
    dist = res.metrics["dist_sq@last"][:, 0]
    assert np.allclose(dist, exact, rtol=1e-10)
    assert all(np.diff(dist) > 0) and dist[-1] > 2 * dist[0]


def test_extragradient_converges_on_the_same_operator():
    inst, _ = _skew()
    Ns = [2, 10, 40, 200]
    res = run("extragradient[h=0.5]", inst, None, n_steps=200, n_runs=1, checkpoints=Ns)
    g = res.metrics["grad_sq@last"][:, 0]
    assert all(np.diff(g) < 0)
    K = np.array(Ns) / 2
    assert np.all(g <= 1.0 / (0.25 * (K + 1)))  # the T25 EG bound L^2 R^2/(h^2 (K + 1)), L = R = 1


def _verify(ids, catalogue=None):
    from boundcheck.claims import load_catalogue
    from boundcheck.verify import verify_claims

    claims = [c for c in load_catalogue([catalogue or ROOT / "problems"]) if c.id in ids]
    assert len(claims) == len(ids)
    return {r.claim.id: r.verdict for r in verify_claims(claims).results}


def test_ppa_claim_passes_and_half_constant_fails(tmp_path):
    d = tmp_path / "t25"
    d.mkdir()  # the catalogue's own file, alone and on a shorter grid (each PEP solve costs ~0.5 s)
    text = (ROOT / "problems" / "monotone_operators.toml").read_text()
    assert "N = [1, 2, 3, 5, 8]" in text
    (d / "monotone_operators.toml").write_text(text.replace("N = [1, 2, 3, 5, 8]", "N = [2, 5]"))
    v = _verify({"T25-ppa-tight", "T25-ppa-half-constant"}, d)
    assert v["T25-ppa-tight"].verdict == "PASS" and v["T25-ppa-tight"].evidence == "strong"
    assert v["T25-ppa-half-constant"].verdict == "FAIL" and v["T25-ppa-half-constant"].expected == "FAIL"


PLANTED = """
title = "planted"
tag = "T25"
[params]
L = 1.0
R = 1.0
[setting]
algorithm = { name = "extragradient", h = 0.5 }
function = { name = "lipschitz-monotone", L = "L", R = "R", d = 4 }
[check]
N = [2, 4]
runs = 1
[[claim]]
id = "T25-eg-planted"
kind = "upper"
metric = "grad_sq"
iterate = "last"
bound = "0.2*L^2*R^2/(0.25*(N/2 + 1))"
engines = ["pep"]
expected = "PASS"
[claim.citation]
authors = ["test"]
year = 2026
title = "EG constant 5 times too small"
theorem = "planted"
"""


def test_planted_constant_on_a_relaxed_class_is_inconclusive(tmp_path):
    """EG's constant made 5x too small: the PEP value exceeds it, but lipschitz-monotone's
    conditions are only necessary, so the excess proves nothing: INCONCLUSIVE, never FAIL, and
    never PASS."""
    d = tmp_path / "cat"
    d.mkdir()
    (d / "planted.toml").write_text(PLANTED)
    v = _verify({"T25-eg-planted"}, d)["T25-eg-planted"]
    assert v.verdict == "INCONCLUSIVE", (v.verdict, v.measured, v.bound)


def test_tight_claim_on_the_necessary_only_class_is_refused(tmp_path):
    """Claims on lipschitz-monotone can only be upper claims for the PEP: a tight one is a load
    error (exit 2) naming the class, since its PEP is a relaxation."""
    from boundcheck.claims import load_catalogue
    from boundcheck.errors import UsageError

    d = tmp_path / "cat"
    d.mkdir()
    (d / "tight.toml").write_text(PLANTED.replace('kind = "upper"', 'kind = "tight"'))
    with pytest.raises(UsageError, match="exact interpolation for lipschitz-monotone"):
        load_catalogue([d])


def test_run_of_a_resolvent_method_is_one_line_exit_2(capsys):
    from boundcheck.cli import main

    rc = main(["run", "proximal-point", "--function", "monotone[instance=tanh]", "--steps", "3"])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and len(err.splitlines()) == 1 and "resolvent oracle" in err and "Traceback" not in err

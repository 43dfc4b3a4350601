"""Reddi, Kale, Kumar's online instance (T22) as a finite sum in incremental order with projection,
run by the MC engine (formerly the dedicated runner boundcheck/instances/reddi.py)."""
from __future__ import annotations

import numpy as np
import pytest

from boundcheck.claims import load_catalogue, select
from boundcheck.claims.loader import load_file
from boundcheck.engine import run
from boundcheck.errors import CatalogueError

FN = "convex-lipschitz[instance=reddi,M=0.3333333333333333,R=1.0,d=1]"  # C = 3, x0 = 0


def _spec(alg, **kw):
    p = dict(gamma=0.5, schedule="inv-sqrt", beta1=0.0, beta2=0.1, eps=0.0, bias_correction="off", **kw)
    return f"{alg}[{','.join(f'{k}={v}' for k, v in p.items())}]"


def _trajectory(alg, T, **kw):
    """x_0..x_T from the engine (f_gap@last at every step: F = M (x + 1) on [-1, 1])."""
    r = run(_spec(alg, **kw), FN, None, n_steps=T, n_runs=1, seed=0, checkpoints="all", iterates=["last"])
    gap = r.values[r.metric_names.index("f_gap@last"), :, 0]
    return np.concatenate([[0.0], gap / (1 / 3) - 1.0])


def test_first_rounds_by_hand():
    """Adam with beta1 = 0, no bias correction, eps = 0: g_1 = C, v_1 = (1 - b2) C^2, x_1 =
    Pi(x_0 - a C/sqrt(v_1)); g_2 = -1, v_2 = b2 v_1 + (1 - b2), x_2 = Pi(x_1 + (a/sqrt 2)/sqrt(v_2))."""
    C, b2, a = 3.0, 0.1, 0.5
    x = _trajectory("adam", 3)
    v1 = (1 - b2) * C * C
    x1 = max(-1.0, 0.0 - a * C / np.sqrt(v1))
    v2 = b2 * v1 + (1 - b2)
    x2 = min(1.0, max(-1.0, x1 + (a / np.sqrt(2)) / np.sqrt(v2)))
    assert x[1] == pytest.approx(x1, rel=1e-12) and x[2] == pytest.approx(x2, rel=1e-12)


def test_adam_goes_to_plus_one_amsgrad_to_minus_one_and_online_regret():
    """x_T and the online average regret (1/T) sum_t (f_t(x_{t-1}) - f_t(-1)), g_t (x_{t-1} + 1)
    with g_t = C on rounds t = 1 mod 3, -1 otherwise, from the engine's own trajectory."""
    T = 30000
    g = np.where(np.arange(1, T + 1) % 3 == 1, 3.0, -1.0)
    xa, xm = _trajectory("adam", T), _trajectory("amsgrad", T)
    assert np.all(np.abs(xa) <= 1.0) and np.all(np.abs(xm) <= 1.0)  # projected onto [-1, 1]
    assert xa[-1] > 0.99 and xm[-1] < -0.95
    assert np.mean(g * (xa[:-1] + 1)) == pytest.approx(2 / 3, abs=0.01)  # (2C - 4)/3 per round
    assert np.mean(g * (xm[:-1] + 1)) < 0.01


def test_default_betas_converge_pitfall():
    """With (0.9, 0.999) Adam reaches the right point: the counterexample needs its own beta2."""
    r = run("adam[gamma=0.5,schedule=inv-sqrt]", FN, None, n_steps=30000, n_runs=1, checkpoints=[30000],
            keep_final=True)
    assert r.final_x[0, 0] < -0.9


def test_t22_claims_run_on_the_mc_engine_with_their_verdicts():
    from boundcheck.verify.core import verify_claims

    cs = select(load_catalogue(), claim_id="T22")
    assert cs and all(c.engines == ("mc",) and c.deterministic for c in cs)
    rep = verify_claims(cs)
    for r in rep.results:
        assert r.verdict.verdict == r.claim.expected, (r.claim.id, r.verdict.reason)
        assert r.verdict.engine == "mc"


def test_old_runner_claims_load(tmp_path):
    """engine 'runner' with runner 'reddi' (same N: rounds = oracle steps) is read as mc; 'shuffling'
    (N counted epochs) is refused in one line; an unknown runner too."""
    from boundcheck.claims import catalogue

    text = (catalogue.builtin_dir() / "adam_counterexample.toml").read_text()
    old = tmp_path / "old.toml"
    old.write_text(text.replace('expected = "PASS"\n', 'expected = "PASS"\nengines = ["runner"]\nrunner = "reddi"\n', 1))
    (c, *_) = load_file(old)
    assert c.engines == ("mc",) and c.runner is None
    old.write_text(text.replace('expected = "PASS"\n', 'expected = "PASS"\nengines = ["runner"]\nrunner = "shuffling"\n', 1))
    with pytest.raises(CatalogueError, match="runner 'shuffling' is retired"):
        load_file(old)
    old.write_text(text.replace('expected = "PASS"\n', 'expected = "PASS"\nengines = ["runner"]\nrunner = "nope"\n', 1))
    with pytest.raises(CatalogueError, match="unknown runner 'nope'"):
        load_file(old)
    old.write_text(text.replace('expected = "PASS"\n', 'expected = "PASS"\nengines = ["runner"]\n', 1))
    with pytest.raises(CatalogueError, match="engine 'runner' and the key 'runner' go together"):
        load_file(old)

"""The engine's API: conventions (index, avg, min, out), checkpoints, divergence, statistics and
JSON, bad input (the messages are pinned), and the ``run`` command. Uses the conformance suite's
class and kernels (gd, ogm, sgd on smooth-strongly-convex) so that no extra kernel is compiled."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.engine import checkpoints as ck
from boundcheck.engine import run
from boundcheck.engine.reference import run_reference
from boundcheck.errors import ParamError, UnknownNameError

FN = "smooth-strongly-convex[L=1,mu=0.1,d=6,seed=3]"


# ----------------------------------------------------------------------------- conventions
def test_index_avg_and_min_conventions_against_a_hand_computed_gd():
    inst = registry.functions.get("smooth-strongly-convex").instance(L=1, mu=0.1, d=6, seed=3)
    T = 12
    r = run("gd[h=0.7]", FN, None, n_steps=T, n_runs=2, seed=0, checkpoints="all")
    xs = [inst.x0.copy()]
    for _ in range(T):
        xs.append(xs[-1] - 0.7 * inst.g(xs[-1]))
    fgap = np.array([inst.f(x) - inst.f_star for x in xs])
    gsq = np.array([inst.g(x) @ inst.g(x) for x in xs])
    dsq = np.array([(x - inst.x_star) @ (x - inst.x_star) for x in xs])
    avgs = [np.mean(xs[: t + 1], axis=0) for t in range(T + 1)]
    for j, t in enumerate(range(1, T + 1)):  # checkpoint t = x_t, after t steps
        assert np.isclose(r["f_gap@last"][j, 0], fgap[t], rtol=1e-12, atol=0)
        assert np.isclose(r["grad_sq@last"][j, 1], gsq[t], rtol=1e-12, atol=0)
        assert np.isclose(r["dist_sq@last"][j, 0], dsq[t], rtol=1e-12, atol=0)
        assert np.isclose(r["f_gap@avg"][j, 0], inst.f(avgs[t]) - inst.f_star, rtol=1e-12, atol=0)
        assert np.isclose(r["f_gap@min"][j, 0], fgap[: t + 1].min(), rtol=1e-12, atol=0)
        assert np.isclose(r["grad_sq@min"][j, 0], gsq[: t + 1].min(), rtol=1e-12, atol=0)
    assert "avg at T = (x_0 + ... + x_T)/(T + 1)" in r.meta["iterate_convention"]


def test_metric_names_and_declared_output():
    r = run("ogm", FN, None, n_steps=8, n_runs=1, checkpoints=[2, 8])
    assert set(r.metric_names) == {f"{q}@{i}" for q in ("f_gap", "grad_sq", "grad_l1", "dist_sq")
                                   for i in ("last", "avg", "min", "out", "mean", "random")}
    assert r.meta["horizon_dependent"] is True
    solo = run("ogm", FN, None, n_steps=2, n_runs=1, checkpoints=[2])  # checkpoint 2 = its own run
    assert r["f_gap@out"][0, 0] == solo["f_gap@out"][0, 0]
    only = run("gd", FN, None, n_steps=5, n_runs=1, iterates=["last"])
    assert only.metric_names == ("f_gap@last", "grad_sq@last", "grad_l1@last", "dist_sq@last")


def test_minibatch_averages_draws_and_matches_the_reference():
    g = registry.noise.get("gaussian")
    kw = dict(n_steps=30, n_runs=3, seed=4, checkpoints="all", keep_final=True)
    a = run("sgd[gamma=0.1,batch=3]", FN, (g, {"sigma": 1.0}), **kw)
    b = run_reference("sgd[gamma=0.1,batch=3]", FN, (g, {"sigma": 1.0}), **kw)
    assert np.allclose(a.values, b.values, rtol=1e-12, atol=0)
    one = run("sgd[gamma=0.1,batch=1]", FN, (g, {"sigma": 1.0}), n_steps=400, n_runs=200, seed=4)
    many = run("sgd[gamma=0.1,batch=16]", FN, (g, {"sigma": 1.0}), n_steps=400, n_runs=200, seed=4)
    s1, s16 = one.statistics()["f_gap@last"]["mean"][-1], many.statistics()["f_gap@last"]["mean"][-1]
    # stationary noise floor ~ gamma sigma^2 / batch: the ratio is 16, lowered slightly by the
    # deterministic transient both runs share (observed 15.3 at this seed; 15.2-17.5 at seeds 5-9).
    # Over 200 runs the ratio's bootstrap sd is 0.87, so the window is 16 +- 4 sd: it still
    # catches a batch of 8 or 32 (ratio 8 or 32) or a sum instead of a mean.
    assert 12.5 < s1 / s16 < 19.5, s1 / s16


def test_reference_with_python_kernels_is_the_same():
    g = registry.noise.get("gaussian")
    kw = dict(n_steps=6, n_runs=2, seed=3, checkpoints="all", keep_final=True)
    a = run_reference("sgd[gamma=0.1]", FN, (g, {"sigma": 1.0}), **kw)
    b = run_reference("sgd[gamma=0.1]", FN, (g, {"sigma": 1.0}), python_kernels=True, **kw)
    assert np.allclose(a.values, b.values, rtol=1e-12, atol=0)
    assert np.allclose(a.final_x, b.final_x, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("noise", ["pareto[beta=1.6,scale=1]", "affine-variance[sigma0=1,sigma1=0.5]"])
def test_heavy_tailed_and_grad_dependent_noise_match_the_reference(noise):
    """d = 10: pareto's vectorised transform (8 coordinates) and libm tail (2), drawn one step ahead
    by the kernel; affine-variance reads the gradient, so it is drawn at its step. Both with
    batch 1 and 2, against the reference with the sampler run as plain Python. (A non-quadratic
    family, so that the conformance suite's count of quadratic kernels per algorithm stays.)"""
    fn = "smooth-nonconvex[d=10,seed=3]"
    kw = dict(n_steps=25, n_runs=3, seed=8, checkpoints="all", keep_final=True)
    for batch in (1, 2):
        a = run(f"sgd[gamma=0.05,batch={batch}]", fn, noise, **kw)
        b = run_reference(f"sgd[gamma=0.05,batch={batch}]", fn, noise, python_kernels=True, **kw)
        assert np.allclose(a.values, b.values, rtol=1e-12, atol=0), (noise, batch)
        assert np.allclose(a.final_x, b.final_x, rtol=1e-12, atol=1e-15), (noise, batch)


# ----------------------------------------------------------------------------- divergence
def test_divergence_is_detected_per_run_and_excluded():
    r = run("gd[h=3]", FN, None, n_steps=3000, n_runs=3, seed=0, checkpoints=[10, 100, 3000])
    assert r.diverged == 3
    assert ((r.diverged_step > 100) & (r.diverged_step <= 3000)).all()
    assert r.diverged_by_checkpoint == [0, 0, 3]
    st = r.statistics()["f_gap@last"]
    assert st["n"] == [3, 3, 0] and st["mean"][2] is None and st["mean"][1] > 1e10
    assert np.isnan(r["f_gap@last"][2]).all()
    doc = json.loads(r.to_json())  # valid JSON: no NaN or Infinity
    assert doc["diverged"] == 3
    ref = run_reference("gd[h=3]", FN, None, n_steps=3000, n_runs=1, seed=0, checkpoints=[10, 100, 3000])
    assert ref.diverged_step[0, 0] == r.diverged_step[0, 0]


# ----------------------------------------------------------------------------- statistics, JSON
def test_json_is_identical_for_identical_inputs_except_timing():
    g = registry.noise.get("gaussian")
    a = run("sgd[gamma=0.05]", FN, (g, {"sigma": 1.0}), n_steps=200, n_runs=50, seed=9).to_dict()
    b = run("sgd[gamma=0.05]", FN, (g, {"sigma": 1.0}), n_steps=200, n_runs=50, seed=9).to_dict()
    c = run("sgd[gamma=0.05]", FN, (g, {"sigma": 1.0}), n_steps=200, n_runs=50, seed=10).to_dict()
    for d in (a, b, c):
        assert "timing" in d
        for key in ("checkpoints", "n_runs", "seed", "diverged", "metrics", "kernel_hash", "versions"):
            assert key in d
        for name, st in d["metrics"].items():
            for k in ("mean", "std", "median", "q10", "q90"):
                assert len(st[k]) == len(d["checkpoints"]), (name, k)
    a.pop("timing"), b.pop("timing"), c.pop("timing")
    assert json.dumps(a) == json.dumps(b)
    assert a["metrics"] != c["metrics"]


def test_statistics_match_numpy():
    g = registry.noise.get("gaussian")
    r = run("sgd[gamma=0.05]", FN, (g, {"sigma": 1.0}), n_steps=50, n_runs=41, seed=1, checkpoints=[7, 50])
    st = r.statistics()["dist_sq@avg"]
    v = r["dist_sq@avg"][1]
    assert st["mean"][1] == pytest.approx(v.mean(), rel=1e-14)
    assert st["std"][1] == pytest.approx(v.std(ddof=1), rel=1e-14)
    assert st["q10"][1] == pytest.approx(np.quantile(v, 0.1), rel=1e-14)
    assert st["median"][1] == pytest.approx(np.median(v), rel=1e-14)


def test_geometric_checkpoints():
    g = ck.geometric(10_000)
    assert g[0] == 1 and g[-1] == 10_000 and (np.diff(g) > 0).all() and 15 <= len(g) <= 30
    assert list(ck.parse("1,10,100", 100)) == [1, 10, 100]
    assert list(ck.parse("lin:4", 100)) == [25, 50, 75, 100]
    assert list(ck.parse("all", 3)) == [1, 2, 3]


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("kwargs,exc,message", [
    (dict(algorithm="clipped-sdg"), UnknownNameError,
     "unknown algorithm 'clipped-sdg'; did you mean 'clipped-sgd'"),
    (dict(algorithm="sgd[gama=0.1]"), ParamError,
     "sgd: unknown parameter 'gama'; did you mean 'gamma'?"),
    (dict(algorithm="gd[h=-1]"), ParamError, "gd: 'h' must be in (0, inf) (got -1)"),
    (dict(n_runs=0), ParamError, "n_runs must be a positive integer (got 0)"),
    (dict(checkpoints=[10, 3000]), ParamError,
     "checkpoint 3000 is beyond n_steps = 2000: checkpoints must lie in 1..2000"),
    (dict(checkpoints=[100, 10]), ParamError, "checkpoints must be strictly increasing (got 10 after 100)"),
    (dict(checkpoints=[0, 10]), ParamError, "checkpoint 0 is below 1"),
    (dict(n_steps=0), ParamError, "n_steps must be a positive integer (got 0)"),
    (dict(seed=-1), ParamError, "seed must be an integer in [0, 2^63)"),
    (dict(noise="gaussian"), Exception, "'gd' is a deterministic method"),
])
def test_bad_input_messages(kwargs, exc, message):
    args = dict(algorithm="gd", function=FN, noise=None, n_steps=2000, n_runs=10)
    args.update(kwargs)
    with pytest.raises(exc) as e:
        run(args.pop("algorithm"), args.pop("function"), args.pop("noise"), **args)
    assert message in str(e.value)


def test_sgd_step_outside_domain():
    with pytest.raises(ParamError, match=r"'gamma'"):
        run("sgd[gamma=-0.1]", FN, "gaussian", n_steps=10, n_runs=1)


# ----------------------------------------------------------------------------- light, quiet
def test_engine_import_is_light_and_library_does_not_print(capsys):
    p = subprocess.run([sys.executable, "-c", "import sys, boundcheck.engine; print('numba' in sys.modules)"],
                       capture_output=True, text=True)
    assert p.stdout.strip() == "False", p.stderr
    run("gd", FN, None, n_steps=5, n_runs=1)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


# ----------------------------------------------------------------------------- the command
def _cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "boundcheck.cli", *args], capture_output=True, text=True, **kw)


def test_run_command_table_and_json(tmp_path):
    assert "run" in __import__("boundcheck.cli", fromlist=["LAZY"]).LAZY  # a rename must fail, not skip
    path = tmp_path / "out" / "r.json"
    p = _cli("run", "sgd[gamma=0.05]", "--function", FN, "--noise", "gaussian", "--steps", "300",
             "--runs", "20", "--seed", "7", "--json", str(path))
    assert p.returncode == 0, p.stderr
    assert "f_gap@last" in p.stdout and "median" in p.stdout
    doc = json.loads(path.read_text())
    assert doc["n_runs"] == 20 and doc["seed"] == 7 and doc["checkpoints"][-1] == 300
    assert set(doc["metrics"]["dist_sq@last"]) >= {"mean", "std", "median", "q10", "q90"}
    assert not [f for f in os.listdir(path.parent) if f.startswith(".tmp")]


@pytest.mark.parametrize("args,message", [
    (["run", "sgd", "--function", FN, "--runs", "0"], "--runs must be a positive integer (got 0)"),
    (["run", "sgd", "--function", FN, "--steps", "100", "--checkpoints", "10,200"],
     "checkpoint 200 is beyond --steps = 100"),
    (["run", "sgdd", "--function", FN], "did you mean 'sgd'"),
])
def test_run_command_bad_input_exits_2(args, message):
    p = _cli(*args)
    assert p.returncode == 2, (p.returncode, p.stderr)
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], p.stderr

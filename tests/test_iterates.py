"""Issue 12, point 2: the measures the theorems bound. ``mean`` = (1/T) sum_{t<T} m(x_t) and
``random`` = m(x_tau), tau uniform in {0..T-1} seeded per run, in both engines, in claims and as
``run`` metrics; requesting them leaves the noise draws (hence every other metric) unchanged."""
import json

import numpy as np
import pytest
from scipy import stats as st

from boundcheck.cli import main
from boundcheck.engine import run
from boundcheck.engine.reference import run_reference

SGD = ("sgd[gamma=0.05]", "smooth-convex[L=1,d=5]", "gaussian")
GD = ("gd[h=0.5]", "smooth-convex[L=1,d=3]", None)


def test_mean_is_the_running_average_over_x0_to_xT_minus_1():
    r = run(*SGD, n_steps=30, n_runs=5, seed=2, checkpoints="all", iterates=["last", "mean"])
    last, mean = r["grad_sq@last"], r["grad_sq@mean"]  # rows: T = 1..30
    m0 = mean[0]  # T = 1: the metric at x_0 alone
    for T in (2, 7, 30):
        want = (m0 + last[: T - 1].sum(axis=0)) / T
        np.testing.assert_allclose(mean[T - 1], want, rtol=1e-12)


def test_random_iterate_is_uniform_and_seeded_per_run():
    T, runs = 10, 3000
    r = run(*GD, n_steps=T, n_runs=runs, seed=5, checkpoints="all", iterates=["last", "mean", "random"])
    traj = np.concatenate([[r["f_gap@mean"][0, 0]], r["f_gap@last"][: T - 1, 0]])  # f at x_0..x_{T-1}
    assert np.all(np.diff(traj) < 0)  # distinct values: tau is identified by its value
    val = r["f_gap@random"][T - 1]
    tau = np.array([int(np.argmin(np.abs(traj - v))) for v in val])
    np.testing.assert_allclose(traj[tau], val, rtol=1e-12)
    counts = np.bincount(tau, minlength=T)
    assert counts.size == T  # never x_T
    assert st.chisquare(counts).pvalue > 1e-4  # uniform over {0..T-1}
    again = run(*GD, n_steps=T, n_runs=runs, seed=5, checkpoints="all", iterates=["random"])
    np.testing.assert_array_equal(again["f_gap@random"], r["f_gap@random"])
    other = run(*GD, n_steps=T, n_runs=runs, seed=6, checkpoints="all", iterates=["random"])
    assert not np.array_equal(other["f_gap@random"], r["f_gap@random"])


def test_new_iterates_leave_the_noise_draws_unchanged():
    a = run(*SGD, n_steps=40, n_runs=8, seed=1, checkpoints=[10, 40], iterates=["last", "avg"])
    b = run(*SGD, n_steps=40, n_runs=8, seed=1, checkpoints=[10, 40], iterates=["last", "avg", "mean", "random"])
    for n in a.metric_names:
        np.testing.assert_array_equal(a[n], b[n])


@pytest.mark.parametrize("setting", [SGD, GD, ("ogm", "smooth-convex[L=1,d=3]", None)])
def test_engine_and_reference_agree_on_mean_and_random(setting):
    kw = dict(n_steps=40, n_runs=6, seed=3, checkpoints=[1, 5, 17, 40], iterates=["mean", "random", "last"])
    a, b = run(*setting, **kw), run_reference(*setting, **kw)
    assert a.metric_names == b.metric_names
    for n in a.metric_names:
        np.testing.assert_allclose(a[n], b[n], rtol=1e-9, atol=1e-13, err_msg=n)


def test_run_json_has_mean_and_random_metrics(tmp_path, capsys):
    out = tmp_path / "r.json"
    rc = main(["run", "sgd[gamma=0.05]", "--function", "smooth-convex[L=1,d=5]", "--noise", "gaussian",
               "--steps", "20", "--runs", "4", "--iterates", "last,mean,random", "--json", str(out)])
    assert rc in (0, None)
    doc = json.loads(out.read_text())
    assert {"grad_sq@mean", "grad_sq@random", "f_gap@mean"} <= set(doc["metrics"])
    assert len(doc["metrics"]["grad_sq@mean"]["median"]) == len(doc["checkpoints"])


def test_method_declared_weighted_average_of_the_metric():
    """DoG declares its weights (rbar_t): wmean = sum_{t<T} rbar_t m(x_t) / sum_{t<T} rbar_t, the
    average its proof bounds; by convexity (Jensen) f at its weighted-average output is below it."""
    from boundcheck import registry

    assert "wmean" in registry.algorithms.get("dog").outputs and "wmean" not in registry.algorithms.get("sgd").outputs
    fn = "smooth-convex[L=1,d=5]"
    kw = dict(n_steps=30, n_runs=4, seed=2, checkpoints="all", iterates=["last", "mean", "wmean", "out"])
    a, b = run("dog", fn, "gaussian", **kw), run_reference("dog", fn, "gaussian", **kw)
    for n in a.metric_names:
        np.testing.assert_allclose(a[n], b[n], rtol=1e-9, atol=1e-13, err_msg=n)
    # by hand, deterministic DoG: x_t from the method's own update, rbar_t = max(r_eps, max_{i<=t} ||x_i - x_0||)
    from boundcheck.algorithms import dog

    inst = registry.functions.get("smooth-convex").instance(L=1.0, d=5)
    P = dog.P(r_eps_rel=1e-6)
    s = dog.init(inst.x0.copy(), P)
    xs = []
    for _ in range(12):
        xs.append(s.x.copy())
        dog.update(s, inst.g(s.x), 0.0, P)
    rbar = np.maximum.accumulate([max(1e-6 * (1 + np.linalg.norm(inst.x0)), np.linalg.norm(x - inst.x0)) for x in xs])
    fg = np.array([inst.f(x) - inst.f_star for x in xs])
    want = np.cumsum(rbar * fg) / np.cumsum(rbar)  # T = 1..12
    r = run("dog", fn, None, n_steps=12, n_runs=1, checkpoints="all", iterates=["wmean", "out"])
    np.testing.assert_allclose(r["f_gap@wmean"][:, 0], want, rtol=1e-10)
    assert np.all(r["f_gap@out"][:, 0] <= r["f_gap@wmean"][:, 0] * (1 + 1e-12))  # Jensen: f(xbar) <= the average

"""The anchored finite-sum oracle (variance reduction): a method declaring ``anchor`` receives
(grad f_i(query), grad f_i(anchor), grad F(anchor)) with the same index i. SVRG (tests/_vr_svrg.py)
then converges linearly to x* under reshuffling, where SGD at the same constant step stalls at a
noise floor; kernel = reference; refused without a finite sum or with noise."""
from __future__ import annotations

import numpy as np
import pytest
from _vr_svrg import SVRG

from boundcheck.engine import run
from boundcheck.engine.reference import run_reference
from boundcheck.errors import UsageError

FN = "smooth-strongly-convex[instance=quadsum-kappa,L=1,mu=0.25,n=8,sigma=1,R=1,sampling=rr]"


def test_svrg_converges_linearly_where_sgd_stalls():
    kw = dict(n_steps=300, n_runs=20, seed=1, checkpoints=[100, 200, 300], iterates=["last"])
    v = run((SVRG, {"gamma": 0.2, "m": 16}), FN, None, **kw)
    s = run("sgd[gamma=0.2]", FN, None, **kw)
    dv = v.values[v.metric_names.index("dist_sq@last")].max(axis=-1)
    ds = s.values[s.metric_names.index("dist_sq@last")].mean(axis=-1)
    assert 0 < dv[2] < 1e-3 * dv[1] and dv[1] < 1e-3 * dv[0]  # linear: orders of magnitude per 100 steps
    assert ds[2] > 1e-3 and ds[2] > 0.3 * ds[1]  # the constant-step noise floor


def test_kernel_matches_reference():
    kw = dict(n_steps=40, n_runs=3, seed=2, checkpoints=[8, 40], keep_final=True)
    a = run((SVRG, {"gamma": 0.2, "m": 8}), FN, None, **kw)
    b = run_reference((SVRG, {"gamma": 0.2, "m": 8}), FN, None, **kw)
    assert np.array_equal(a.values, b.values, equal_nan=True) and np.array_equal(a.final_x, b.final_x)


def test_refused_without_a_finite_sum_or_with_noise():
    with pytest.raises(UsageError, match="needs a finite-sum instance"):
        run((SVRG, {}), "smooth-strongly-convex[L=1,mu=0.1,d=3]", None, n_steps=4, n_runs=1)
    with pytest.raises(UsageError, match="without noise"):
        run((SVRG, {}), FN, "gaussian", n_steps=4, n_runs=1)

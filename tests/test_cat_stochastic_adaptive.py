"""T19 on the linear-regime instance (issue 13): DoG's O~(D0 G/sqrt T) checked on f_N = M_N ||x - x*||
with M_N = sigma/sqrt(N) under noise of bounded support (problems/adaptive_methods.toml,
T19-dog-linear-regime).

The claim's meaning rests on its family being uniform in N: the same D0 and the same almost-sure
bound G on the stochastic gradients at every horizon (otherwise the slope would compare different
constants). The fast test checks that on the bound claim; the slow one runs it and shows that the
check resolves the exponent (a claimed N^(-3/4) FAILs on the same instance).
"""
from __future__ import annotations

import dataclasses
import math

import pytest
import sympy as sp

from boundcheck.claims import load_catalogue
from boundcheck.verify import verify_claims


def _claim(cid):
    return next(c for c in load_catalogue() if c.id == cid)


def test_t19_linear_regime_family_has_one_d0_and_one_g_bound():
    c = _claim("T19-dog-linear-regime")
    assert c.iterate == "out" and c.setting["algorithm"].name == "dog"
    b = c.bind({})
    sigma = float(b.values["sigma"])
    for N in c.check.points:
        st = b.setting(int(N))
        fname, f = st["function"]
        nname, nz = st["noise"]
        assert fname == "convex-lipschitz" and f["instance"] == "norm" and f["R"] == 1.0
        assert f["M"] == pytest.approx(sigma / math.sqrt(N))  # slope sigma/sqrt(N): the linear regime
        assert nname == "sphere" and nz["sigma"] == sigma  # ||xi|| = sigma a.s. (DoG's hypothesis)
        assert f["M"] + nz["sigma"] <= 2 * sigma  # ||g|| <= G = 2 sigma at every N


@pytest.mark.slow  # about 10 s per claim (a DoG kernel, 100 runs, N up to 2^14)
def test_t19_linear_regime_passes_and_a_faster_claimed_rate_fails():
    c = _claim("T19-dog-linear-regime")
    faster = dataclasses.replace(c, id="T19-faster-control", exponent_text="-0.75", exponent=sp.Float(-0.75))
    ok, bad = (r.verdict for r in verify_claims([c, faster]).results)
    assert ok.verdict == "PASS", (ok.measured, ok.ci, ok.reason)
    assert abs(ok.measured + 0.5) < 0.05  # the rate is attained: slope -1/2
    assert bad.verdict == "FAIL", (bad.measured, bad.ci)

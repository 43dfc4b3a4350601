"""Issue 13 item 4 (T17, lower side): Nesterov's chain as a member of every gamma-quasar-convex class.

The claims T17-lower-chain-* rest on two facts checked here: the chain (a convex quadratic) passes
the quasar-convex class's own conditions for every gamma in (0, 1] (and fails them beyond its true
constant 2 = <grad f, x - x*>/(f - f*), so the checker has power on it); and Nesterov's bound
3 L R^2/(32 (N+1)^2) holds for FGM only when the chain is tuned to the horizon (k = 2N + 1): on a
chain tuned to a shorter horizon FGM goes below it, so the lower claims test the construction,
not a vacuous inequality.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.algorithms.fgm import lambdas
from boundcheck.claims import load_file
from boundcheck.functions.check import check_instance

C = registry.functions.get("smooth-convex")
Q = registry.functions.get("quasar-convex")
CAT = Path(__file__).resolve().parents[1] / "problems" / "quasar_convex.toml"
L, R = 2.0, 1.5


def _nesterov_bound(N):
    return 3 * L * R ** 2 / (32 * (N + 1) ** 2)


def _fgm_gap(inst, N):
    lam = lambdas(N + 1)
    x = inst.x0.copy()
    y = x.copy()
    for t in range(N):
        xn = y - inst.g(y) / L
        a = (lam[t] - 1) / lam[t + 1]
        y = xn + a * (xn - x)
        x = xn
    return inst.f(x) - inst.f_star


@pytest.mark.parametrize("gamma", [1.0, 0.5, 0.1])
def test_the_chain_is_gamma_quasar_convex_for_every_gamma(gamma):
    inst = C.instance(instance="nesterov", L=L, R=R, N=4, d=9, seed=0)
    assert check_instance(inst, Q, {"gamma": gamma, "L": L}).ok


def test_the_quasar_check_has_power_on_the_chain():
    inst = C.instance(instance="nesterov", L=L, R=R, N=4, d=9, seed=0)
    assert check_instance(inst, Q, {"gamma": 2.0, "L": L}).ok  # a quadratic's ratio is exactly 2
    assert not check_instance(inst, Q, {"gamma": 2.2, "L": L}).ok


@pytest.mark.parametrize("N", [1, 2, 4, 8, 16])
def test_fgm_stays_above_nesterovs_bound_on_the_tuned_chain(N):
    inst = C.instance(instance="nesterov", L=L, R=R, N=N, d=2 * N + 1, seed=0)
    ratio = _fgm_gap(inst, N) / _nesterov_bound(N)
    assert 1.0 <= ratio <= 4.0  # above the bound, and within the moderate factor


def test_fgm_goes_below_the_bound_on_a_chain_tuned_to_a_shorter_horizon():
    inst = C.instance(instance="nesterov", L=L, R=R, N=1, d=33, seed=0)  # 3 coupled coordinates only
    assert _fgm_gap(inst, 16) < 0.1 * _nesterov_bound(16)


def test_the_catalogue_lower_claims_use_the_tuned_chain():
    cs = {c.id: c for c in load_file(CAT)}
    ids = ("T17-lower-chain-fgm", "T17-lower-chain-heavy-ball", "T17-lower-chain-ogm", "T17-lower-chain-fgm-control")
    for cid in ids:
        c = cs[cid]
        fn = c.setting["function"].values
        assert c.kind == "lower" and str(fn["instance"]) == "nesterov" and str(fn["N"]) == "N"
        assert int(fn["d"]) >= 2 * max(c.check.N) + 1
    assert [cs[i].expected for i in ids] == ["PASS", "PASS", "PASS", "FAIL"]
    assert cs["T17-lower-chain-fgm"].bound_source == "paper"


@pytest.mark.slow
def test_the_lower_claims_pass_moderate_and_the_control_fails():
    from boundcheck.verify import verify_claims

    cs = {c.id: c for c in load_file(CAT)}
    fgm, hb, ogm, ctl = verify_claims([cs["T17-lower-chain-fgm"], cs["T17-lower-chain-heavy-ball"],
                                       cs["T17-lower-chain-ogm"], cs["T17-lower-chain-fgm-control"]]).results
    for r in (fgm, hb, ogm):
        assert r.verdict.verdict == "PASS" and r.evidence == "moderate" and r.resolution["value"] < 2.5
    assert ctl.verdict.verdict == "FAIL" and ctl.verdict.expected == "FAIL"
    assert np.isfinite(fgm.resolution["value"])

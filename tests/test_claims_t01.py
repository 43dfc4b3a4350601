"""End to end without the engine: the T01 claim's setting builds the Huber instance, a plain numpy
GD loop measures f(x_N) - f*, and stats decides. The true bound passes, the halved one fails."""
import numpy as np
import pytest

from boundcheck import registry, stats
from boundcheck.claims import load_catalogue, select


def _gd_last_gap(setting):
    fname, fp = setting["function"]
    _, ap = setting["algorithm"]
    inst = registry.functions.get(fname).instance(**fp)
    x, step = inst.x0.copy(), ap["h"] / inst.constants["L"].value
    for _ in range(fp["N"]):
        x = x - step * inst.g(x)
    return inst.f(x) - inst.f_star


@pytest.mark.parametrize("h", [1.0, 0.5])
def test_t01_tight_passes_and_halved_constant_fails(h):
    (claim,) = select(load_catalogue(), claim_id="T01-gd-tight")
    b = claim.bind({"h": h})
    assert b.skip_reason is None and claim.deterministic
    pts, halved = [], []
    for N, bound in zip(claim.check.N, b.bound(claim.check.N)):
        gap = _gd_last_gap(b.setting(N))
        pts.append(stats.mean_test([gap], bound, claim.kind, 0.05, claim.check.tolerance, exact=True))
        halved.append(stats.mean_test([gap], bound / 2, claim.kind, 0.05, claim.check.tolerance, exact=True))
    assert stats.combine(pts).verdict == "PASS"
    worst = stats.combine(halved)
    assert worst.verdict == "FAIL" and worst.measured / worst.bound == pytest.approx(2.0, rel=1e-9)


def test_t01_skips_outside_its_assumption():
    (claim,) = select(load_catalogue(), claim_id="T01-gd-tight")
    assert "h <= 1 is false at h = 1.5" in claim.bind({"h": 1.5}).skip_reason
    assert claim.bind({"noise": "gaussian", "alpha": 1.5}).unused == ["noise", "alpha"]  # no noise here


def test_decide_gives_the_claim_verdict_with_every_point():
    from boundcheck.claims import decide

    (claim,) = select(load_catalogue(), claim_id="T01-gd-tight")
    b = claim.bind()
    gaps = np.array([[_gd_last_gap(b.setting(N)) for N in claim.check.N]])
    v = decide(b, gaps, engine="mc", seeds=[0])
    assert v.verdict == "PASS" and not v.unexpected and len(v.points) == len(claim.check.N)
    assert v.iterate == "last" and "x_N" in v.index and v.runs == 1
    bad = decide(b, 2 * gaps, engine="pep")
    assert bad.verdict == "FAIL" and bad.unexpected and bad.measured / bad.bound == pytest.approx(2.0)
    assert decide(claim.bind({"h": 1.5}), gaps).verdict == "SKIP"
    import json

    d = json.loads(json.dumps(v.as_dict(), allow_nan=False))
    assert d["verdict"] == "PASS" and d["points"][0]["N"] == 1 and d["ci"][0] == d["measured"]
    json.dumps(claim.describe(), allow_nan=False)
    json.dumps(b.as_dict(), allow_nan=False)

"""The dedicated runners (boundcheck/instances): Reddi et al.'s online instance (T22) and shuffling
SGD (T23), and the catalogue's runner engine (claim key ``runner``)."""
from __future__ import annotations

import numpy as np
import pytest

from boundcheck.claims import decide, load_catalogue, select
from boundcheck.claims.loader import load_file
from boundcheck.errors import CatalogueError
from boundcheck.instances import get, reddi, values

REDDI = dict(gamma=0.5, schedule="inv-sqrt", beta1=0.0, beta2=0.1, eps=0.0, bias_correction="off")


def test_reddi_adam_goes_to_plus_one_amsgrad_to_minus_one():
    """T22 thresholds (problems/adam_counterexample.toml): Adam x_T > 0.99 and average regret > 0.5; AMSGrad x_T < -0.95."""
    a = reddi.simulate("adam", REDDI, C=3.0, T=30000)
    assert a["x"][-1] > 0.99 and a["regret"][-1] > 0.5
    assert a["regret"][-1] == pytest.approx(2 / 3, abs=0.01)  # (2C - 4)/3 per round
    m = reddi.simulate("amsgrad", {k: v for k, v in REDDI.items()}, C=3.0, T=30000)
    assert m["x"][-1] < -0.95 and m["regret"][-1] < 0.01


def test_reddi_default_betas_converge_pitfall_3():
    """With (0.9, 0.999) Adam reaches the right point: the counterexample needs its own beta2."""
    a = reddi.simulate("adam", dict(gamma=0.5, schedule="inv-sqrt"), C=3.0, T=30000)
    assert a["x"][-1] < -0.9


def test_reddi_online_sequence_and_projection_by_hand():
    """First rounds of Adam with beta1 = 0, no bias correction, eps = 0, by hand: g_1 = C, so
    v_1 = (1 - b2) C^2 and x_1 = x_0 - a C/sqrt(v_1), projected onto [-1, 1]."""
    C, b2, a = 3.0, 0.1, 0.5
    r = reddi.simulate("adam", dict(REDDI, beta2=b2, gamma=a), C=C, T=3, x0=0.0)
    assert list(r["g"]) == [C, -1.0, -1.0]
    v1 = (1 - b2) * C * C
    x1 = max(-1.0, 0.0 - a * C / np.sqrt(v1))
    assert r["x"][1] == pytest.approx(x1, rel=1e-12)
    v2 = b2 * v1 + (1 - b2) * 1.0
    x2 = min(1.0, max(-1.0, x1 + (a / np.sqrt(2)) / np.sqrt(v2)))
    assert r["x"][2] == pytest.approx(x2, rel=1e-12)
    assert r["regret"][0] == pytest.approx(C * (0.0 + 1.0))  # f_1(x_1) - f_1(-1) = C (x_0 + 1)


def test_t22_claims_give_the_catalogue_verdicts():
    for c in select(load_catalogue(), claim_id="T22"):
        b = c.bind()
        v = decide(b, values(b), engine="runner")
        assert v.verdict == c.expected, (c.id, v.verdict, v.reason)


def test_shuffling_rr_beats_with_replacement_and_uses_permutations():
    claims = {c.id: c for c in select(load_catalogue(), claim_id="T23")}
    rr, iid = claims["T23-rr-lower-K"].bind(), claims["T23-with-replacement-lower-K"].bind()
    x_rr, x_iid = values(rr, runs=200), values(iid, runs=200)
    assert x_rr.shape == (200, len(rr.points))
    assert np.all(x_rr.mean(axis=0) < x_iid.mean(axis=0))  # reshuffling is better at every K
    for c in claims.values():
        b = c.bind()
        assert decide(b, values(b), engine="runner").verdict == c.expected, c.id


def _t23(tmp_path, sampling):
    from boundcheck.claims import catalogue

    text = (catalogue.builtin_dir() / "shuffling.toml").read_text().replace("N = [4, 8, 16, 32]", "N = [1]")
    f = tmp_path / "t23.toml"
    f.write_text(text)
    # each sampling rule is fixed by its own claim (a fixed literal is not overridable)
    cid = {"rr": "T23-rr-lower-K", "iid": "T23-with-replacement-lower-K"}[sampling]
    (c,) = [x for x in load_file(f) if x.id == cid]
    assert c.setting["function"].values["sampling"] == sampling
    return c.bind({"n": 2})


@pytest.mark.parametrize("sampling", ["rr", "iid"])
def test_shuffling_one_epoch_by_hand(tmp_path, sampling):
    """n = 2 components (L/2)(x -/+ 1)^2, one epoch from x0 = 1 with step g = 2 log 2/2: RR visits
    both components, x_2 = q^2 + g(q - 1) s_i with q = 1 - g and s_i = +/-1 the first one's sign,
    each order with probability 1/2; with replacement the same component may come twice."""
    b = _t23(tmp_path, sampling)
    out = get("shuffling").run(b, 4000, 0)
    x = np.sqrt(2 * out["f_gap@last"][0])  # |x_2| (L = 1, x* = 0)
    g = 2 * np.log(2) / 2
    q = 1 - g
    rr = sorted(abs(q * q + sgn * g * (q - 1)) for sgn in (1, -1))
    same = sorted(abs(q * q + sgn * g * (q + 1)) for sgn in (1, -1))  # (+,+) or (-,-)
    allowed = rr + (same if sampling == "iid" else [])
    assert all(min(abs(v - a) for a in allowed) < 1e-12 for v in x)
    frac = np.mean(np.abs(x - rr[0]) < 1e-12)
    assert frac == pytest.approx(0.5 if sampling == "rr" else 0.25, abs=0.03)


def test_runner_key_and_engine_go_together(tmp_path):
    from boundcheck.claims import catalogue

    text = (catalogue.builtin_dir() / "adam_counterexample.toml").read_text()
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('runner = "reddi"\n', "", 1))
    with pytest.raises(CatalogueError, match="engine 'runner' and the key 'runner'"):
        load_file(bad)
    bad.write_text(text.replace('runner = "reddi"', 'runner = "nope"', 1))
    with pytest.raises(CatalogueError, match="unknown runner 'nope'"):
        load_file(bad)


def test_noise_free_stochastic_method_is_deterministic_and_pep_capable():
    (c,) = select(load_catalogue(), claim_id="T06-subgradient-tight")
    assert c.deterministic and c.engines == ("pep",) and c.n_tests() == 0
    (t23,) = [x for x in select(load_catalogue(), claim_id="T23") if x.id == "T23-rr-lower-K"]
    assert not t23.deterministic and t23.n_tests() == 1  # a random runner spends budget

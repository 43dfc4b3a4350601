"""Issue 13 (T23): the per-K witness family of the Safran-Shamir claims (T23-*-hard-K).

On quadsum-kappa (f_i = (L/2)(x_1 - s_i sigma/L)^2 + (mu/2) x_2^2, x_0 = R_K e_2) constant-step SGD
is linear, so the expected f-gap after K epochs has a closed form under each component order:

* e_2: (mu/2) R_K^2 (1 - gamma mu)^(2 n K), deterministic;
* e_1 (starts at x*_1): x <- q x + gamma L b_i with q = 1 - gamma L, b_i = s_i sigma/L. One epoch
  adds eta = gamma L sum_j q^(n-1-j) b_pi(j): a fresh permutation each epoch (RR), one permutation
  reused (shuffle once), the order 0..n-1 (incremental), or n independent draws (with replacement).

The exact expectations below (no Monte Carlo) show that with the catalogue's R_K and step
gamma = u/(mu n K) the error decays in K with exactly Safran-Shamir's exponents (-3, -2, -2) and the
with-replacement -1, at every fixed u and for the best u of a grid; a start that does not shrink
with K (the fixed instance) gives a shallower slope, which is why the old claims are weak. The
claims are two-sided because the start-up term alone fixes the lower side at a fixed u; the side
that can FAIL is the order's stationary error, and the slow test shows the RR claim FAILs when the
oracle is with-replacement or shuffle-once sampling.
"""
from pathlib import Path

import numpy as np
import pytest

from boundcheck.claims import load_file

CAT = Path(__file__).resolve().parents[1] / "problems" / "shuffling.toml"
L, SIGMA, N_COMP = 1.0, 1.0, 64
KS = np.array([8, 16, 32, 64])


def _weights(q, n):
    return q ** (n - 1 - np.arange(n))


def e1_error(order, gamma, n, K):
    """E (L/2) x_1^2 after K epochs from x_1 = x*_1 = 0 (exact)."""
    q = 1 - gamma * L
    b = SIGMA / L * np.where(np.arange(n) < n // 2, 1.0, -1.0)
    w = gamma * L * _weights(q, n)
    Q = q ** n  # the epoch's contraction
    if order == "iid":
        N = n * K
        return L / 2 * (gamma * L) ** 2 * np.mean(b * b) * (1 - q ** (2 * N)) / (1 - q * q)
    if order == "incremental":
        eta2 = float(w @ b) ** 2
        return L / 2 * eta2 * ((1 - Q ** K) / (1 - Q)) ** 2
    # a uniform permutation of b (sum b = 0): E (sum_j w_j b_pi(j))^2 = sum(b^2)/(n-1) (|w|^2 - (sum w)^2/n)
    eta2 = float(b @ b) / (n - 1) * (w @ w - w.sum() ** 2 / n)
    if order == "rr":  # independent epochs
        return L / 2 * eta2 * (1 - Q ** (2 * K)) / (1 - Q * Q)
    if order == "shuffle-once":  # the same eta every epoch
        return L / 2 * eta2 * ((1 - Q ** K) / (1 - Q)) ** 2
    raise ValueError(order)


# R_K as in the catalogue (kappa = 1, rho = 1): the order's own scaling with K
R_K = {
    "rr": lambda n, K: SIGMA / (L * np.sqrt(n * K ** 3)),
    "shuffle-once": lambda n, K: SIGMA / (L * np.sqrt(n * K ** 2)),
    "incremental": lambda n, K: SIGMA / (L * K),
    "iid": lambda n, K: SIGMA / (L * np.sqrt(n * K)),
}
EXPONENT = {"rr": -3.0, "shuffle-once": -2.0, "incremental": -2.0, "iid": -1.0}
U_STAR = {"rr": 1.2, "shuffle-once": 1.17, "incremental": 1.27, "iid": 0.69}


def error(order, u, n, K, R=None):
    mu = L  # kappa = 1
    gamma = u / (mu * n * K)
    R = R_K[order](n, K) if R is None else R
    return mu / 2 * R ** 2 * (1 - gamma * mu) ** (2 * n * K) + e1_error(order, gamma, n, K)


def slope(values):
    return np.polyfit(np.log(KS), np.log(values), 1)[0]


@pytest.mark.parametrize("order", ["rr", "shuffle-once", "incremental", "iid"])
def test_the_witness_family_attains_the_exponent_at_every_step(order):
    for u in (0.3, U_STAR[order], 4.8):
        s = slope([error(order, u, N_COMP, K) for K in KS])
        assert abs(s - EXPONENT[order]) < 0.05, (order, u, s)


@pytest.mark.parametrize("order", ["rr", "shuffle-once", "incremental", "iid"])
def test_the_best_step_of_a_grid_has_the_same_exponent(order):
    grid = np.geomspace(0.1, 10, 41)
    best = [min(error(order, u, N_COMP, K) for u in grid) for K in KS]
    assert abs(slope(best) - EXPONENT[order]) < 0.05
    # the claim's u is within 10% of the grid's best error at every K
    for K, b in zip(KS, best):
        assert error(order, U_STAR[order], N_COMP, K) <= 1.1 * b


def test_a_fixed_start_gives_a_shallower_rr_slope():
    """The old claims' situation: R fixed, the best step pays a log factor."""
    grid = np.geomspace(0.1, 100, 121)
    best = [min(error("rr", u, N_COMP, K, R=1.0) for u in grid) for K in KS]
    assert slope(best) > -2.8


def test_rr_beats_the_shuffle_once_exponent_on_its_family():
    rr = slope([error("rr", U_STAR["rr"], N_COMP, K) for K in KS])
    assert rr < -2.0 - 0.5  # the control T23-rr-hard-beats-shuffle-once must FAIL


def test_the_catalogue_encodes_the_witness_family():
    cs = {c.id: c for c in load_file(CAT)}
    ids = ["T23-rr-hard-K", "T23-shuffle-once-hard-K", "T23-incremental-hard-K", "T23-with-replacement-hard-K"]
    for cid in ids + ["T23-rr-hard-beats-shuffle-once"]:
        c = cs[cid]
        # two-sided: on this family the lower side holds by construction, so a one-sided lower claim
        # could not FAIL; the control is a lower claim that must FAIL
        assert c.kind == "rate" and c.iterate == "last"
        assert c.sense == ("lower" if cid == "T23-rr-hard-beats-shuffle-once" else "equal")
        assert "N" in str(c.setting["function"].values["R"])  # the start shrinks with K
        n = int(c.params["n"].default)
        assert all(N // n <= n for N in c.check.N)  # K <= n: the regime of the 1/(nK^3) term
    assert cs["T23-with-replacement-hard-K"].bound_source == "derived"
    assert cs["T23-rr-hard-beats-shuffle-once"].expected == "FAIL"


@pytest.mark.slow
def test_the_witness_claims_pass_and_the_control_fails():
    from boundcheck.verify import verify_claims

    cs = {c.id: c for c in load_file(CAT)}
    ids = ["T23-rr-hard-K", "T23-shuffle-once-hard-K", "T23-incremental-hard-K", "T23-with-replacement-hard-K",
           "T23-rr-hard-beats-shuffle-once"]
    res = {r.claim.id: r for r in verify_claims([cs[i] for i in ids]).results}
    for i in ids[:3]:
        assert res[i].verdict.verdict == "PASS" and res[i].evidence == "strong", i
    assert res[ids[3]].verdict.verdict == "PASS" and res[ids[3]].evidence == "moderate"
    assert res[ids[4]].verdict.verdict == "FAIL" and res[ids[4]].verdict.expected == "FAIL"


@pytest.mark.slow
def test_the_rr_claim_fails_under_another_component_order(tmp_path):
    from boundcheck.verify import verify_claims

    text = CAT.read_text()
    i = text.index('id = "T23-rr-hard-K"')
    j = text.index("[[claim]]", i)
    block = text[i:j]
    assert block.count('sampling = "rr"') == 1
    out = {}
    for order in ("iid", "shuffle-once"):
        path = tmp_path / f"{order}.toml"
        path.write_text(text[:i] + block.replace('sampling = "rr"', f'sampling = "{order}"') + text[j:])
        c = {c.id: c for c in load_file(path)}["T23-rr-hard-K"]
        out[order] = verify_claims([c]).results[0]
    assert all(r.verdict.verdict == "FAIL" for r in out.values()), {k: r.verdict for k, r in out.items()}


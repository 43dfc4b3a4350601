"""Issue 13 (T13): the upper side of the clipping-bias floor, with one noise law for every c.

The catalogue's T13-floor-upper-fixed-law checks our 1-D derivation of the paper's O(sigma^2/c):
at the biased stationary point G of clipped SGD on a quadratic, E clip(G + xi, c) = 0, and

    |G| <= sigma^2 / (2c + sqrt(4c^2 - sigma^2))        (c >= sigma/2, Var xi = sigma^2).

Here the stationary point of the two-point (rare-spike) law is solved exactly, without Monte
Carlo: the inequality holds at every c and p tried, it is tight where the spike is 2c (the law the
claim uses is the worst case at c = 4, a point of its grid), and the negative control's bound
sigma^2/(8c) is below the exact floor there, so the control must FAIL.
"""
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import brentq

from boundcheck.claims import load_file

CAT = Path(__file__).resolve().parents[1] / "problems" / "clipping_bias.toml"


def two_point(sigma, p):
    """rare-spike at alpha = 2: +a with probability p, -b otherwise; mean 0, variance sigma^2 (1 - p)."""
    return sigma * (1 - p) / np.sqrt(p), sigma * np.sqrt(p)


def floor(sigma, p, c):
    """|G| with E clip(G + xi, c) = 0 (1-D clipping: clip(t) = max(-c, min(c, t)), increasing in G)."""
    a, b = two_point(sigma, p)
    h = lambda g: p * np.clip(g + a, -c, c) + (1 - p) * np.clip(g - b, -c, c)  # noqa: E731
    return abs(brentq(h, -c, c, xtol=1e-15))


def derived_bound(var, c):
    return var / (2 * c + np.sqrt(4 * c * c - var))


def test_the_two_point_law_has_the_claimed_variance():
    for sigma, p in [(1.0, 1 / 64), (2.0, 0.2), (0.5, 0.01)]:
        a, b = two_point(sigma, p)
        assert p * a - (1 - p) * b == pytest.approx(0, abs=1e-12)
        assert p * a * a + (1 - p) * b * b == pytest.approx(sigma ** 2 * (1 - p), rel=1e-12)


@pytest.mark.parametrize("p", [1 / 64, 1 / 16, 0.1, 0.2])
def test_the_exact_floor_obeys_the_derived_bound(p):
    sigma = 1.0
    var = sigma ** 2 * (1 - p)
    for c in np.geomspace(1.0, 64.0, 41):
        assert floor(sigma, p, c) <= derived_bound(var, c) * (1 + 1e-9)


def test_the_bound_is_tight_where_the_spike_is_twice_the_clip_level():
    sigma, p = 1.0, 1 / 64
    a, _ = two_point(sigma, p)
    c = a / 2
    assert floor(sigma, p, c) / derived_bound(sigma ** 2 * (1 - p), c) > 0.98
    # the claim's grid point c = 4 is within 2% of that worst case
    assert floor(sigma, p, 4.0) / derived_bound(sigma ** 2 * (1 - p), 4.0) > 0.98


def test_the_control_bound_is_below_the_exact_floor():
    sigma, p = 1.0, 1 / 64
    assert floor(sigma, p, 4.0) > 1.5 * sigma ** 2 / (8 * 4.0)


def test_a_fixed_law_has_no_sigma2_over_c_floor():
    """The reason the lower-bound claims tune the law to c: for a fixed law c * floor(c) -> 0."""
    sigma, p = 1.0, 1 / 64
    a, _ = two_point(sigma, p)
    assert floor(sigma, p, 1.01 * a) < 1e-12  # the spike is no longer clipped: no bias at all


def test_the_catalogue_claims_use_one_law_for_every_c():
    cs = {c.id: c for c in load_file(CAT)}
    up, control = cs["T13-floor-upper-fixed-law"], cs["T13-floor-upper-control"]
    assert up.bound_source == "derived" and up.expected == "PASS" and up.kind == "upper"
    assert control.expected == "FAIL"
    for c in (up, control):
        noise = c.setting["noise"].values
        assert "c" not in str(noise.get("p")) and str(noise.get("p")) == "p0"
        assert c.check.over == "c" and any(abs(float(x) - 4.0) < 1e-9 for x in c.check.grid)


@pytest.mark.slow
def test_the_upper_side_passes_and_its_control_fails():
    from boundcheck.verify import verify_claims

    cs = {c.id: c for c in load_file(CAT)}
    up, control = verify_claims([cs["T13-floor-upper-fixed-law"], cs["T13-floor-upper-control"]]).results
    assert up.verdict.verdict == "PASS" and up.evidence == "moderate"
    assert control.verdict.verdict == "FAIL" and control.verdict.expected == "FAIL"

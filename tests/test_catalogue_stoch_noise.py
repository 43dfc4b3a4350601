"""The two noise models added for the stochastic catalogue entries (issue 13): ``sphere`` (bounded
support, T19's DoG hypothesis) and ``one-sided-pareto`` (a fixed skewed law whose clipping bias
decays like scale^2/c). The generic battery (tests/test_noise_conformance.py) checks their laws,
symmetry flags and moment bounds; these are the model-specific facts. Seeded, deterministic."""
from __future__ import annotations

import math

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.errors import ParamError
from boundcheck.noise.one_sided_pareto import raw_moment


def _draw(name, given, d, n, seed=3):
    m = registry.noise.get(name)
    return m, m.validate(given), m.draw(m.validate(given), d, n, seed=seed)


@pytest.mark.parametrize("d", [1, 2, 10])
def test_sphere_noise_has_norm_sigma_almost_surely(d):
    m, p, x = _draw("sphere", {"sigma": 2.5}, d, 20000)
    assert np.allclose(np.linalg.norm(x, axis=1), 2.5, rtol=1e-12)
    assert m.symmetric(p) and math.isinf(m.tail_index(p))
    assert m.moment_bound(p, d, 7.0).value == 2.5  # exact at every order: ||xi|| = sigma
    # mean 0 and covariance sigma^2/d I (3.09 standard errors, level 1e-3 per coordinate)
    se = 2.5 / math.sqrt(d) / math.sqrt(x.shape[0])
    assert np.all(np.abs(x.mean(axis=0)) <= 3.09 * se)


def test_sphere_rejects_a_zero_radius():
    with pytest.raises(ParamError):
        registry.noise.get("sphere").validate({"sigma": 0.0})


def test_one_sided_pareto_is_centred_skewed_and_along_one_direction():
    m, p, x = _draw("one-sided-pareto", {"beta": 2.0, "scale": 0.5, "cap": 10.0}, 4, 200000)
    assert not m.symmetric(p)
    assert np.allclose(x, x[:, :1])  # every coordinate equal: a spike along (1, ..., 1)/sqrt(d)
    z = x[:, 0] * 2.0  # = Z - m (d = 4: u = 1/2)
    sd = m.moment_bound(p, 4, 2.0).value
    assert abs(z.mean()) <= 3.09 * sd / math.sqrt(z.size)
    assert z.min() >= 0.5 - raw_moment(p, 1.0) - 1e-12  # no left tail: Z >= scale
    assert np.mean(z > 0) < 0.5  # skewed: the median is below the mean


def test_one_sided_pareto_clipping_bias_decays_like_scale_sq_over_c():
    """The reason the model exists: for beta = 2, E (xi - c)_+ = int_{c+m} P(Z > z) dz, about
    scale^2 (1/(c + m) - 1/(scale cap)), from one fixed law at every clip level c."""
    p = {"beta": 2.0, "scale": 0.25, "cap": 1e4}
    m = registry.noise.get("one-sided-pareto")
    mean = raw_moment(m.validate(p), 1.0)
    _, _, x = _draw("one-sided-pareto", p, 1, 400000, seed=5)
    rho, hi = 1e-4, 0.25 * 1e4
    for c in (2.0, 8.0):
        y = np.maximum(x[:, 0] - c, 0.0)
        a = c + mean  # E (Z - m - c)_+ = int_a^hi P(Z > z) dz, P(Z > z) = ((s/z)^2 - rho^2)/(1 - rho^2)
        exact = (0.25 ** 2 * (1 / a - 1 / hi) - rho ** 2 * (hi - a)) / (1 - rho ** 2)
        se = y.std(ddof=1) / math.sqrt(y.size)
        assert abs(y.mean() - exact) <= 3.09 * se, (c, y.mean(), exact, se)
        assert exact == pytest.approx(0.25 ** 2 / (c + mean), rel=0.01)  # scale^2/(c + m): ~ 1/c for c >> m


def test_one_sided_pareto_untruncated_needs_a_mean():
    m = registry.noise.get("one-sided-pareto")
    with pytest.raises(ParamError):
        m.validate({"beta": 1.0, "cap": float("inf")})
    p = m.validate({"beta": 2.5, "cap": float("inf")})
    assert m.tail_index(p) == 2.5 and raw_moment(p, 1.0) == pytest.approx(2.5 / 1.5)

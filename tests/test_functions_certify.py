"""Interval certification (functions/certify.py): enclosures contain the truth, bounds are tight,
wrong claims are rejected, and the sin^2 constants agree with dense grids."""
from __future__ import annotations

import numpy as np
import pytest

from boundcheck.functions import certify
from boundcheck.functions.certify import Dual, inf_bounds, iv, prove_at_least, sinc


def _sinc_d(t):
    t = np.asarray(t, float)
    return np.where(np.abs(t) < 1e-6, -t / 3, (np.cos(t) - np.sinc(t / np.pi)) / np.where(t == 0, 1, t))


@pytest.mark.parametrize("lo,width", [(0.0, 0.3), (0.0, 1.0), (0.2, 0.6), (0.7, 0.4), (2.0, 0.5),
                                      (4.3, 0.4), (9.0, 3.0), (0.0, 0.001)])
def test_sinc_enclosure_contains_values_and_derivatives(lo, width):
    X = Dual(iv.mpf([lo, lo + width]), iv.mpf(1))
    S = sinc(X)
    t = np.linspace(lo, lo + width, 2001)
    v, dv = np.sinc(t / np.pi), _sinc_d(t)
    eps = 1e-15
    assert float(S.v.a) - eps <= v.min() and v.max() <= float(S.v.b) + eps
    assert float(S.d.a) - eps <= dv.min() and dv.max() <= float(S.d.b) + eps


def test_inf_bounds_brackets_known_minimum_and_is_tight():
    F = lambda y: (y - 1.3).sq() * (2 + sinc(y)) + 0.5  # min 0.5 at y = 1.3
    lb, ub, y = inf_bounds(F, 0.0, 5.0, rtol=1e-6)
    assert lb <= 0.5 <= ub and ub - lb <= 1e-6
    assert abs(y - 1.3) < 1e-2


def test_wrong_claims_are_rejected():
    F = lambda y: (y - 1.3).sq() * (2 + sinc(y)) + 0.5
    assert prove_at_least(F, 0.0, 5.0, 0.5 - 1e-6)
    assert not prove_at_least(F, 0.0, 5.0, 0.5 + 1e-6)
    # a claim that a grid would "confirm": on a coarse grid missing 1.3 the minimum looks larger
    grid = np.linspace(0, 5, 6)
    fake = float(np.min((grid - 1.3) ** 2 * (2 + np.sinc(grid / np.pi)) + 0.5))
    assert fake > 0.55
    assert not prove_at_least(F, 0.0, 5.0, fake)


def _dense_inf(kind, a):
    y = np.linspace(1e-9, 60.0, 600_001)
    v = certify.ratio_float(kind, a, y)
    i = int(np.argmin(v))
    yy = np.linspace(y[max(i - 1, 0)], y[i + 1], 20001)
    return float(min(v.min(), certify.ratio_float(kind, a, yy).min()))


@pytest.mark.parametrize("kind,a", [("pl", 3.0), ("pl", 0.5), ("pl", 4.4), ("quasar", 1.0), ("quasar", 3.5)])
def test_certified_inf_below_dense_grid_and_within_one_percent(kind, a):
    lb, ub, y = certify.sin_ratio_inf(kind, a)
    grid = _dense_inf(kind, a)
    assert lb <= grid <= ub * (1 + 1e-9)
    assert grid <= lb * 1.01
    assert not prove_at_least(certify._ratio(kind, a), 0.0, 12.0, grid * 1.001)


def test_karimi_nutini_schmidt_example():
    """s(y) = y^2 + 3 sin^2 y: certified PL constant of s, and mu/L = m_3/8 maps back to a = 3."""
    lb, ub, y = certify.sin_ratio_inf("pl", 3.0)
    assert 0.1754 < lb <= ub < 0.1757 and 2.1 < y < 2.3
    a = certify.solve_amplitude("pl", 0.5 * (lb + ub) / 8 / 1.003)
    assert abs(a - 3.0) < 1e-3


@pytest.mark.parametrize("kind", ["pl", "quasar"])
def test_tail_bound_is_valid(kind):
    a, T = 4.0, 12.0
    t = np.linspace(T, 40 * T, 200_001)
    assert certify.ratio_float(kind, a, t).min() >= certify._tail(kind, a, T)


def test_amplitude_outside_range_is_refused():
    with pytest.raises(certify.CertificationError):
        certify.sin_ratio_inf("pl", 4.7)

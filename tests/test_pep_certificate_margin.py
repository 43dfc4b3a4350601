"""The exact certificate's margin (pep/certificate_margin.py) and the cutting planes' stall rule.

OGM's residual S is singular in almost every direction (rank one at the optimum), so rounding the
solver's multipliers leaves S indefinite in many directions, which the shift along the initial
condition (one direction) cannot repair. The margin lifts every direction at once along the dual of
max <D^-2, G> (D the solver's scaling); the certificate then proves a bound just above the closed form L R^2/(2 theta_N^2).
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from boundcheck.algorithms.ogm import thetas
from boundcheck.errors import CertificateError
from boundcheck.pep import certificate as C
from boundcheck.pep import certificate_margin as CM
from boundcheck.pep import solve as S
from boundcheck.pep.build import build
from boundcheck.pep.certificate import make_certificate, verify_certificate

SC = "smooth-convex[L=1]"


def _ogm_ref(N: int) -> Fraction:
    return Fraction(1) / (2 * Fraction(float(thetas(N)[-1])) ** 2)


@pytest.fixture(scope="module")
def ogm10():
    return S.solve(build("ogm", SC, 10))


def test_without_the_margin_the_ogm_certificate_fails_in_many_directions(ogm10):
    """The old path (round, repair, shift along init) refuses: S has several negative eigenvalues."""
    with pytest.raises(CertificateError, match="negative eigenvalues|could not prove the residual S PSD"):
        C._make_certificate(ogm10, C.DEFAULT_BITS, None, False)


def test_the_margin_proves_the_ogm_bound_just_above_the_closed_form(ogm10):
    cert = make_certificate(ogm10, two_sided=False)
    margin = cert.data["method"]["margin"]
    assert margin["t"] > 0 and "max <D^-2, G>" in margin["direction"]
    ref = _ogm_ref(10)
    assert ref * (1 - Fraction(1, 10**9)) <= cert.upper <= ref * (1 + Fraction(1, 10**5))
    assert verify_certificate(cert.to_json(), rebuild=None).ok


def test_the_lift_direction_lifts_every_direction_in_the_solver_scaling(ogm10):
    delta, d = CM.lift_direction(ogm10)
    p = ogm10.problem
    assert delta.min() >= 0 and np.abs(np.asarray(p.B).T @ delta).max() <= 1e-3 * max(1.0, delta.max())
    lift = d[:, None] * np.asarray(p.A.T @ delta).reshape(p.n, p.n) * d[None, :]
    assert np.linalg.eigvalsh((lift + lift.T) / 2)[0] >= 0.5
    ts = CM.schedule(ogm10, d)
    assert ts[0] > 0 and all(b == a * CM.FACTOR for a, b in zip(ts, ts[1:]))


def test_stall_rule_needs_flat_values_over_the_last_rounds():
    assert not S._stalled([1.0, 2.0])
    assert not S._stalled([1.0, 1.0 + 1e-6])  # too few rounds
    assert S._stalled([1.0, 1.0 + 1e-6, 1.0 - 1e-6])
    assert not S._stalled([1.0, 1.0 + 1e-6, 1.1])


def test_a_stalled_cutting_plane_loop_reports_an_upper_bound_not_attained(monkeypatch):
    """OGM's optimal face is large: the solver's worst case violates pair rows that change nothing.
    With the stall rule on (STALL_MIN_N lowered to reach a small N), the loop stops, says so, and the
    certified bound is still at least the true worst case (the closed form)."""
    monkeypatch.setattr(S, "STALL_MIN_N", 0)
    res = S.solve(build("ogm", SC, 26))
    assert res.support_note and "upper bound" in res.support_note
    assert res.tight  # the class conditions are exact: only the support is incomplete
    cert = make_certificate(res, two_sided=False)
    assert cert.upper >= _ogm_ref(26) * (1 - Fraction(1, 10**9))


def test_a_stalled_solve_is_judged_as_a_relaxation():
    from boundcheck.verify.pep_engine import with_support

    prov = {"class": "smooth-convex", "overall": "exact"}
    assert with_support(prov, "") is prov
    weak = with_support(prov, "cutting planes stopped")
    assert weak["overall"] == "necessary" and weak["support"] == "cutting planes stopped"
    assert with_support({"overall": "sufficient"}, "x")["overall"] == "mixed"


def test_a_lower_point_with_huge_rationals_is_refused_not_a_traceback():
    """A feasible point mixed with a strictly feasible one can carry rationals of thousands of digits
    (OGM at N = 30); Python refuses to print such integers, so the certificate drops the point."""
    big = Fraction(2 ** 4000 + 1, 3)
    assert C._too_long([[Fraction(1, 3)]], [big])
    assert not C._too_long([[Fraction(1, 3)]], [Fraction(7, 10**12)])

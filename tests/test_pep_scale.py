"""PEP at scale: the banded solve (pep/chordal.py) of one-step methods, proven by the exact certificate.

The banded solve answers the PEP over the structural support (consecutive pairs and pairs with x*)
as many 3 x 3 PSD blocks in the basis of the iterates. Its multipliers are for the rows of the
ORIGINAL problem, so ``certify_exact`` proves the bound with no knowledge of how they were found.
Timings are in benchmarks/bench_pep.py, not here.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from boundcheck.errors import SolverError
from boundcheck.pep import chordal
from boundcheck.pep.build import build
from boundcheck.pep.certificate import certify_exact, make_certificate
from boundcheck.pep.solve import solve

SC = "smooth-convex[L=1]"


def test_iterate_basis_makes_gd_rows_banded_and_momentum_rows_not():
    m = build("gd[h=1]", SC, 12)
    m.start_cuts()
    W = chordal.iterate_basis(m)
    got = chordal.banded_rows(m, m.problem(), W)
    assert got is not None and got[2] == 2
    m = build("fgm", SC, 12)
    m.start_cuts()
    assert chordal.banded_rows(m, m.problem(), chordal.iterate_basis(m)) is None


def test_banded_solve_matches_the_full_cone_and_the_closed_form():
    N = 6
    banded = solve(build("gd[h=1]", SC, N), solver="BANDED")
    full = solve(build("gd[h=1]", SC, N), solver="CLARABEL")
    assert banded.solver.startswith("BANDED") and banded.residuals["omitted_violated"] == 0
    assert abs(banded.value - full.value) <= 1e-7 * full.value
    up = Fraction(certify_exact(banded).upper)
    ref = Fraction(1, 4 * N + 2)
    assert ref <= up <= ref * (1 + Fraction(1, 10**6))


def test_banded_primal_is_a_worst_case_of_the_full_problem():
    N = 10
    m = build("gd[h=1.5]", SC, N)
    res = solve(m, solver="BANDED")
    assert np.linalg.eigvalsh(res.G)[0] >= -1e-9
    # the completed Gram matrix satisfies every row of the FULL PEP (to the solver's accuracy)
    m.start_cuts()
    m.blocks[0].mask[:] = True
    full = m.problem()
    assert full.m > res.problem.m
    assert full.slack(res.G, res.F).min() >= -1e-7
    assert abs(res.primal - res.value) <= 1e-6 * res.value


def test_banded_refuses_a_momentum_method_with_one_clear_reason():
    with pytest.raises(SolverError, match="not banded"):
        solve(build("fgm", SC, 12), solver="BANDED")


def test_a_linearly_decaying_step_schedule_is_certified_at_N_100_from_a_numerical_solve():
    """No closed form is involved: the multipliers come from the banded solve and the exact
    certificate proves the bound. At N = 20 the proven bound is checked against the full PEP solved
    by cutting planes: never below what a member of the class attains (its worst case rebuilt and
    run, replay.py; the solver's own primal value can sit above the optimum by its infeasibility,
    ~1e-9), and within 1e-4 of the solver's value (measured alone: 2.6e-9 below it with the Newton
    steps on the face, 5.5e-6 above without them; inside a clean-clone suite run once 1.5e-6 above,
    so the steps' gain is pinned by the GD test below, not here)."""
    from boundcheck.pep.replay import replay

    spec = "sgd[gamma=1.5,schedule=linear-decay]"
    small = solve(build(spec, SC, 20), solver="BANDED", accept_inaccurate=True)
    model = build(spec, SC, 20)
    full = solve(model)
    up20 = float(make_certificate(small, two_sided=False).upper)  # the upper bound is what is tested
    rp = replay(model, full)
    assert rp.in_class and rp.attained * (1 - 1e-12) <= up20 <= full.value * (1 + 1e-4)
    res = solve(build(spec, SC, 100), solver="BANDED", accept_inaccurate=True)
    up = float(Fraction(certify_exact(res).upper))
    assert abs(up - res.value) <= 1e-4 * res.value


def test_newton_on_the_face_brings_the_banded_bound_to_the_closed_form_at_N_300():
    """GD h = 1 at N = 300: Clarabel alone leaves S(lam) indefinite by ~1e-10 in the iterate basis
    (its value 1.4e-5 below L R^2/(4N+2), and the certificate's shift then proved 1.5e-5 above it).
    The Newton steps on the optimal face (chordal_refine.py) bring the KKT residual to ~1e-15 and
    the exact upper bound to within 1e-8 of the closed form, never below it."""
    N = 300
    res = solve(build("gd[h=1]", SC, N), solver="BANDED", accept_inaccurate=True)
    assert "Newton on the face" in res.solver
    assert res.residuals["omitted_violated"] == 0  # the refined worst case satisfies every row of the full PEP
    up = Fraction(certify_exact(res).upper)
    ref = Fraction(1, 4 * N + 2)
    assert ref <= up <= ref * (1 + Fraction(1, 10**8))


def test_the_null_space_of_S_is_read_from_a_clear_gap_or_not_at_all():
    from boundcheck.pep.chordal_refine import null_dimension

    assert null_dimension(np.array([-1e-10, 2e-5, 5e-5, 1e-4])) == 1
    assert null_dimension(np.array([1e-12, 3e-12, 4e-4, 1e-3])) == 2
    assert null_dimension(np.array([1e-4, 2e-4, 5e-4, 1e-3])) == 0   # no gap: the face is not recognised
    assert null_dimension(np.array([-1e-3, -1e-4, -1e-5])) == 0      # no positive eigenvalue above it


def test_a_refinement_that_does_not_improve_the_solve_is_not_adopted():
    """A point already on the face (the refined one) has nothing left to gain: refine returns None
    instead of a point that is no better, and the solver's answer stands."""
    from boundcheck.pep.chordal_refine import refine

    m = build("gd[h=1]", SC, 30)
    m.start_cuts()
    problem = m.problem()
    W = chordal.iterate_basis(m)
    Winv = np.linalg.inv(W)
    Au, Cu, band = chordal.banded_rows(m, problem, W, Winv)
    delta = 1e-12 * float(np.abs(Au[:, np.arange(m.n) * (m.n + 1)]).max())
    _, lam, Gb, F = chordal.solve_banded(problem, Au, Cu, band, delta)
    once = refine(problem, Au, Cu, band, lam, chordal.complete(Gb, band), F)
    assert once is not None and once.residual_after < 1e-3 * once.residual_before
    assert refine(problem, Au, Cu, band, once.lam, once.G, once.F) is None

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
    certificate proves the bound. At N = 20 the proven bound is checked against the cutting-plane
    full-cone solve: never below its primal value (a feasible point of the full PEP), and within
    1e-4 of it (decaying steps make the iterate basis ill-conditioned: measured 5.5e-6 below the
    full-cone value before the certificate's shift)."""
    spec = "sgd[gamma=1.5,schedule=linear-decay]"
    small = solve(build(spec, SC, 20), solver="BANDED", accept_inaccurate=True)
    full = solve(build(spec, SC, 20))
    up20 = float(make_certificate(small, two_sided=False).upper)  # the upper bound is what is tested
    assert full.primal * (1 - 1e-9) <= up20 <= full.value * (1 + 1e-4)
    res = solve(build(spec, SC, 100), solver="BANDED", accept_inaccurate=True)
    up = float(Fraction(certify_exact(res).upper))
    assert abs(up - res.value) <= 1e-4 * res.value

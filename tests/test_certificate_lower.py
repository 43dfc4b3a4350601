"""The lower half of a two-sided certificate (pep/certificate_lower.py): a rational point feasible
for every row of the full PEP, rounded to a common denominator so that the exact arithmetic stays on
small integers. Before, each entry was rounded to its own simplest fraction at every denominator:
FGM at N = 20 then found no point at all (13 s, the rationals outgrew the length limit)."""
from __future__ import annotations

from fractions import Fraction

from boundcheck.pep.build import build
from boundcheck.pep.certificate import certify_exact
from boundcheck.pep.solve import solve


def test_fgm_at_N_20_gets_a_lower_bound_close_to_its_upper_bound():
    o = certify_exact(solve(build("fgm", "smooth-convex[L=1]", 20)), None)
    assert o.lower is not None
    lo, up = Fraction(o.lower), Fraction(o.upper)
    assert lo <= up <= lo * (1 + Fraction(1, 10**5))


def test_a_simple_rational_worst_case_is_still_found_exactly():
    """GD h = 1 (T01): the worst case is rational and the lower bound is 1/(4N+2) exactly, which
    needs each entry's own simplest fraction (a common denominator 10^k would not give it)."""
    N = 10
    o = certify_exact(solve(build("gd[h=1]", "smooth-convex[L=1]", N)), None)
    assert Fraction(o.lower) == Fraction(1, 4 * N + 2)

"""claims.formula.to_text writes what schedule.py reads back: a step formula whose parameters are
substituted (e.g. 2/(exp(L1*R) + exp(-L1*R)) at L1 = R = 1) must not print sympy's names (E, oo)."""
import math

import pytest
import sympy as sp

from boundcheck import schedule
from boundcheck.claims.formula import to_text

R, t = sp.Symbol("R"), sp.Symbol("t")


@pytest.mark.parametrize("expr, value", [
    (2 / (sp.exp(R) + sp.exp(-R)), 2 / (math.e + 1 / math.e)),   # e appears once R = 1
    (sp.E ** 2 / 3, math.e ** 2 / 3),
    (2 * sp.pi, 2 * math.pi),
    (sp.EulerGamma + 1, 1.5772156649015329),
])
def test_substituted_constants_read_back_by_the_schedule_parser(expr, value):
    text = to_text(expr.subs(R, 1))
    assert "E" not in text.replace("exp", "")
    assert schedule.evaluate(text, 3)[0] == pytest.approx(value, rel=1e-15)


def test_infinity_reads_back():
    assert schedule.evaluate(to_text(sp.oo), 1)[0] == math.inf
    assert schedule.evaluate(to_text(-sp.oo), 1)[0] == -math.inf


def test_formulas_in_t_keep_their_variable():
    text = to_text(sp.exp(-t) / (t + 1))
    assert list(schedule.evaluate(text, 2)) == pytest.approx([1.0, math.exp(-1) / 2])

"""Safe formulas: ast -> sympy over a whitelist, no eval; numpy evaluation over N grids."""
import builtins
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp

from boundcheck.claims import formula as F
from boundcheck.errors import FormulaError

NAMES = {"L", "R", "N", "h", "alpha", "sigma"}


def test_arithmetic_and_power_precedence():
    e = F.parse("L*R^2/(4*N*h + 2)", NAMES)
    L, R, h = (sp.Symbol(n, real=True) for n in "L R h".split())
    N = sp.Symbol("N", positive=True)
    assert sp.simplify(e - L * R**2 / (4 * N * h + 2)) == 0
    assert F.parse("2^3^2", set()) == 512  # right-associative, like **
    assert F.parse("-N^2", {"N"}) == -sp.Symbol("N", positive=True) ** 2


def test_parameters_may_be_negative():
    f = F.numpy_function(F.parse("sqrt(a^2)", {"a"}))
    assert f(a=-2.0) == 2.0


def test_decimals_are_exact_rationals_and_aliases():
    assert F.parse("0.1", set()) == sp.Rational(1, 10)
    assert F.parse("1e-3", set()) == sp.Rational(1, 1000)
    assert F.parse("K + T", {"N"}) == 2 * sp.Symbol("N", positive=True)


@pytest.mark.parametrize("text,token", [
    ("__import__('os')", "__import__"),
    ("__import__('os').system('true')", "system"),
    ("().__class__.__bases__", "__class__"),
    ("L.real", "L.real"),
    ("L[0]", "L[0]"),
    ("'abc'", "'abc'"),
    ("lambda: 1", "lambda"),
    ("L if N else R", "L if N else R"),
    ("[L, R]", "[L, R]"),
    ("log(L, base=2)", "log(L, base=2)"),
    ("sqrt(*N)", "sqrt(*N)"),
    ("eval('1')", "eval"),
    ("mu + 1", "mu"),
    ("sqrt", "sqrt"),
    ("True", "True"),
    ("N < 2", "N < 2"),
])
def test_unsafe_or_unknown_is_rejected_with_token(text, token):
    with pytest.raises(FormulaError) as e:
        F.parse(text, NAMES, where="p.toml:7: claim 'X', bound")
    msg = str(e.value)
    assert msg.startswith("p.toml:7: claim 'X', bound: ")
    assert token in msg


def test_parse_never_evaluates_code(monkeypatch):
    def boom(*a, **k):
        raise AssertionError("eval-like function called")

    import sympy.parsing.sympy_parser as spp

    F.parse("max(1/(2*N*h + 1), (1 - h)^(2*N))", NAMES)  # warm sympy's lazy imports (they exec)
    for mod, name in ((builtins, "eval"), (sp, "sympify"), (sp, "parse_expr"), (spp, "parse_expr"),
                      (spp, "eval_expr")):
        monkeypatch.setattr(mod, name, boom)
    assert F.parse("max(1/(2*N*h + 1), (1 - h)^(2*N))", NAMES) is not None
    with pytest.raises(FormulaError):
        F.parse("__import__('os')", NAMES)


def test_resource_limits_and_syntax_errors():
    with pytest.raises(FormulaError, match="exponent larger"):
        F.parse("9^9^9", set())
    with pytest.raises(FormulaError, match="longer than"):
        F.parse("1+" * 600 + "1", set())
    with pytest.raises(FormulaError, match="cannot parse .* at column"):
        F.parse("L*(R", NAMES)
    with pytest.raises(FormulaError, match="undefined"):
        F.parse("1/(N-N)", NAMES)
    with pytest.raises(FormulaError, match="did you mean 'alpha'"):
        F.parse("alpah", NAMES)


def test_numpy_evaluation_over_a_grid():
    f = F.numpy_function(F.parse("sigma*R*min(1, N^(-(alpha-1)/alpha)) + max(L, 2)*log(N)/sqrt(N)", NAMES))
    N = np.array([1, 10, 100, 1000.0])
    want = 0.5 * 2 * np.minimum(1, N ** (-(1.5 - 1) / 1.5)) + 2 * np.log(N) / np.sqrt(N)
    np.testing.assert_allclose(f(sigma=0.5, R=2, alpha=1.5, L=1, N=N), want, rtol=1e-13)
    g = F.numpy_function(F.parse("exp(-N/L) + abs(h - 1) + floor(N/3) + ceil(N/3) + pi", NAMES))
    np.testing.assert_allclose(g(N=N, L=2.0, h=0.5), np.exp(-N / 2) + 0.5 + np.floor(N / 3) + np.ceil(N / 3) + np.pi)
    with pytest.raises(FormulaError, match="no value for"):
        f(N=N)


def test_relations_and_round_trip():
    rel = F.parse_relations("1 < alpha <= 2 and L >= sigma", NAMES)
    assert [op for _, op, _ in rel] == ["<", "<=", ">="]
    with pytest.raises(FormulaError, match="expected a comparison"):
        F.parse_relations("alpha + 1", NAMES)
    with pytest.raises(FormulaError, match="comparison"):
        F.parse_relations("alpha < 2 or alpha > 3", NAMES)
    for text in ("min(L, R)*log(N)/N^2", "max(1/(2*N*h + 1), (1 - h)^(2*N))", "abs(h - 1)/ceil(N/2)"):
        e = F.parse(text, NAMES)
        assert F.parse(F.to_text(e), NAMES) == e


def test_import_boundcheck_does_not_import_sympy():
    code = "import sys, boundcheck; print('sympy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def _fgm_lambda(levels: int) -> tuple[str, float]:
    """FGM's lambda_N unrolled: lambda_{k+1} = (1 + sqrt(1 + 4 lambda_k^2))/2, lambda_0 = 1."""
    text, lam = "1", 1.0
    for _ in range(levels):
        text, lam = f"(1+sqrt(1+4*({text})^2))/2", (1 + np.sqrt(1 + 4 * lam * lam)) / 2
    return text, lam


def test_nested_radicals_cost_linear_work(monkeypatch):
    """Issue 11: sympy's exact arithmetic on nested numeric radicals doubled its work per level
    (11 levels took minutes). The work is measured as sympy evalf calls, not time: it must stay
    proportional to the formula's length."""
    import sympy.core.evalf as ev

    calls = []
    real = ev.evalf
    monkeypatch.setattr(ev, "evalf", lambda *a, **k: calls.append(1) or real(*a, **k))
    text, lam = _fgm_lambda(7)
    e = F.parse(f"L*R^2/(2*({text})^2)", NAMES)
    assert len(calls) <= 10 * len(text), len(calls)  # about 10^5 before the fix
    text, lam = _fgm_lambda(11)
    calls.clear()
    e = F.parse(f"L*R^2/(2*({text})^2)", NAMES)
    assert len(calls) <= 10 * len(text), len(calls)
    assert F.evaluate(e, {"L": 1.0, "R": 1.0}) == pytest.approx(1 / (2 * lam**2), rel=1e-14)


def test_long_sums_and_deep_nesting_are_formula_errors_not_recursion():
    text = "+".join(["N"] * 498)  # 995 characters: RecursionError before
    assert F.parse(text, NAMES) == 498 * sp.Symbol("N", positive=True)
    assert F.parse("-".join(["L"] * 300), NAMES) == -298 * sp.Symbol("L", real=True)
    with pytest.raises(FormulaError, match=rf"nested deeper than {F.MAX_DEPTH} levels"):
        F.parse("-" * 930 + "0", NAMES, where="p.toml:3: claim 'X', bound")
    with pytest.raises(FormulaError, match=r"^p.toml:3: claim 'X', bound: .*nested deeper"):
        F.parse("abs(" * 120 + "N" + ")" * 120, NAMES, where="p.toml:3: claim 'X', bound")


def test_powers_of_numbers_are_capped_before_they_are_computed():
    with pytest.raises(FormulaError, match=r"power of numbers with more than 1000 digits in '\(9\*\*999\)\*\*999'"):
        F.parse("((9^999)^999)^999", NAMES)  # parsed for > 20 s before
    with pytest.raises(FormulaError, match="more than 1000 digits"):
        F.parse("(1/99)^999*N", NAMES)
    assert F.parse("2^999*N", NAMES) == sp.Integer(2) ** 999 * sp.Symbol("N", positive=True)


@pytest.mark.parametrize("text", ["L*log(-1)", "sqrt(-2) + N", "(-8)^(1/3)*N", "log(-exp(2))"])
def test_non_real_constants_are_formula_errors_with_the_place(text):
    with pytest.raises(FormulaError, match=r"^p.toml:7: claim 'X', bound: not a real number: "):
        F.parse(text, NAMES, where="p.toml:7: claim 'X', bound")

"""Safe formulas: text -> sympy, built node by node from Python's ``ast``; never ``eval``.

A formula is an arithmetic expression over a whitelist of names (the declared parameters, the
horizon ``N`` and, in schedules, the step index ``t``) and functions (``sqrt log exp min max abs
floor ceil``), with ``+ - * / ** ^`` (``^`` means power, as in papers) and number literals.
Anything else (attribute access, subscripts, strings, lambdas, keyword arguments, ``__import__``)
is rejected with a ``FormulaError`` that names the place (file:line, claim, field), the offending
token and its column. ``sympify``/``parse_expr`` are not used: they evaluate Python code.

    >>> parse("L*R^2/(4*N+2)", {"L", "R", "N"})
    L*R**2/(4*N + 2)

Decimal literals become exact rationals (0.1 -> 1/10), so a PEP comparison at 1e-9 is not
spoiled by the parser. ``numpy_function`` evaluates a parsed formula over arrays (an N grid)
by walking the sympy tree with numpy ufuncs: again no generated code is executed.
"""
from __future__ import annotations

import ast
import math
from typing import Callable, Iterable, Mapping

import numpy as np
import sympy as sp
from sympy.printing.str import StrPrinter

from ..errors import FormulaError

HORIZON_ALIASES = ("K", "T")  # read as N unless declared as parameters
MAX_LEN = 1000
MAX_LITERAL_EXPONENT = 1000
MAX_POWER_DIGITS = 1000  # a power of numbers may have at most this many digits
MAX_DEPTH = 100  # nesting levels of a formula (a chain of + - or * / is one level)

_FUNCS: dict[str, tuple[Callable, tuple[int, ...]]] = {
    "sqrt": (sp.sqrt, (1,)),
    "log": (sp.log, (1, 2)),   # log(x) natural, log(x, base)
    "exp": (sp.exp, (1,)),
    "min": (sp.Min, (2, 3, 4, 5, 6)),
    "max": (sp.Max, (2, 3, 4, 5, 6)),
    "abs": (sp.Abs, (1,)),
    "floor": (sp.floor, (1,)),
    "ceil": (sp.ceiling, (1,)),
}
FUNCTIONS = tuple(_FUNCS)
CONSTANTS = {"pi": sp.pi}
RESERVED = set(FUNCTIONS) | set(CONSTANTS)

_BINOPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: None,
}
_CMPOPS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}


def _token(text: str, node: ast.AST) -> str:
    seg = ast.get_source_segment(text, node)
    return seg if seg is not None else type(node).__name__


def _fail(text: str, where: str, node: ast.AST | None, msg: str) -> FormulaError:
    col = f" at column {node.col_offset + 1}" if node is not None and hasattr(node, "col_offset") else ""
    tok = f" {_token(text, node)!r}" if node is not None else ""
    return FormulaError(f"{where + ': ' if where else ''}{msg}{tok}{col} in formula {text!r}")


def _pow(a, b, text, where, node):
    if b.is_Number and abs(b) > MAX_LITERAL_EXPONENT:
        raise _fail(text, where, node, f"exponent larger than {MAX_LITERAL_EXPONENT} in")
    if a.is_Rational and b.is_Rational and a not in (0, 1, -1):
        # |p/q|^b has about |b| * log10(max(|p|, |q|)) digits: refuse before computing it
        digits = abs(float(b)) * max(math.log10(abs(int(a.p))) if a.p else 0.0, math.log10(int(a.q)))
        if digits > MAX_POWER_DIGITS:
            raise _fail(text, where, node, f"a power of numbers with more than {MAX_POWER_DIGITS} digits in")
    return _numeric(a) ** _numeric(b)


FLOAT_DIGITS = 30


def _numeric(x):
    if x.has(_seqcall()):  # a sequence term stays a term (sequences.py evaluates it, memoised)
        return x
    """A number that is not rational (sqrt(5), pi, log(2)) becomes a 30-digit Float when it is the
    argument of a function or a power: exact radicals nested in radicals (FGM's lambda_N unrolled)
    make sympy's exact arithmetic double its work per level; in floating point, parsing stays
    linear. Rationals and expressions in the parameters stay exact."""
    if x.free_symbols or x.is_Rational or x.is_Float:
        return x
    return sp.Float(x.evalf(FLOAT_DIGITS), FLOAT_DIGITS)


def _real(value, text, where, node):
    """A numeric sub-expression must be a real number (log(-1), sqrt(-2) are refused here, with
    the place, instead of failing later inside sympy or numpy)."""
    if not value.free_symbols and (value.has(sp.I) or value.is_extended_real is False):
        raise _fail(text, where, node, "not a real number:")
    return value


_CHAINS = ((ast.Add, ast.Sub), (ast.Mult, ast.Div))


def _chain(node: ast.BinOp) -> list[tuple[type, ast.AST]]:
    """``a - b + c`` (a left-nested chain of + and -, or of * and /) -> [(Add, a), (Sub, b), (Add, c)],
    without recursion: a 500-term sum is one level, not 500."""
    family = next(f for f in _CHAINS if isinstance(node.op, f))
    out = []
    while isinstance(node, ast.BinOp) and isinstance(node.op, family):
        out.append((type(node.op), node.right))
        node = node.left
    out.append((family[0], node))
    return out[::-1]


def depth(node: ast.AST) -> int:
    """Nesting depth of a formula tree, counting a chain of + and - (or of * and /) as one level;
    computed without recursion, so that any input gets an answer."""
    best, stack = 0, [(node, 1)]
    while stack:
        n, d = stack.pop()
        best = max(best, d)
        if isinstance(n, ast.BinOp) and any(isinstance(n.op, f) for f in _CHAINS):
            stack += [(x, d + 1) for _, x in _chain(n)]
        else:
            stack += [(x, d + 1) for x in ast.iter_child_nodes(n)]
    return best


def _seqcall():
    from .sequences import SeqCall

    return SeqCall


def _build(node: ast.AST, names: Mapping[str, sp.Symbol], text: str, where: str, seqs: Mapping | None = None):
    rec = lambda n: _build(n, names, text, where, seqs)  # noqa: E731
    seqs = seqs or {}
    if isinstance(node, ast.Constant):
        v = node.value
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise _fail(text, where, node, "only numbers are allowed as literals, not")
        if isinstance(v, float) and not math.isfinite(v):
            raise _fail(text, where, node, "non-finite literal")
        return sp.Integer(v) if isinstance(v, int) else sp.Rational(repr(v))
    if isinstance(node, ast.Name):
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        if node.id in names:
            return names[node.id]
        if node.id in _FUNCS:
            raise _fail(text, where, node, "function used without a call:")
        if node.id in seqs:
            raise _fail(text, where, node, "sequence used without an index (write name(N)):")
        allowed = ", ".join(sorted(names)) or "none"
        import difflib

        close = difflib.get_close_matches(node.id, list(names) + list(_FUNCS), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise _fail(text, where, node, f"unknown name{hint}; allowed names: {allowed}; unknown:")
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        return _real(_pow(rec(node.left), rec(node.right), text, where, node), text, where, node)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:  # one flat Add or Mul per chain
        terms = [(op, rec(x)) for op, x in _chain(node)]
        if isinstance(node.op, (ast.Add, ast.Sub)):
            return sp.Add(*[x if op is ast.Add else -x for op, x in terms])
        return sp.Mul(*[x if op is ast.Mult else 1 / x for op, x in terms])
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        v = rec(node.operand)
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in seqs:
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise _fail(text, where, node, "a sequence takes one index argument:")
        return seqs[node.func.id](rec(node.args[0]))
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCS:
            raise _fail(text, where, node.func, f"only the functions {', '.join(FUNCTIONS)} may be called, not")
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise _fail(text, where, node, "keyword or starred arguments are not allowed in")
        fn, arities = _FUNCS[node.func.id]
        if len(node.args) not in arities:
            raise _fail(text, where, node, f"{node.func.id} takes {'/'.join(map(str, arities))} arguments:")
        return _real(fn(*[_numeric(rec(a)) for a in node.args]), text, where, node)
    if isinstance(node, ast.Attribute):
        raise _fail(text, where, node, "attribute access is not allowed:")
    raise _fail(text, where, node, f"{type(node).__name__} is not allowed in a formula:")


def _tree(text, where: str, mode: str) -> ast.AST:
    if not isinstance(text, str):
        if isinstance(text, (int, float)) and not isinstance(text, bool):
            text = repr(text)
        else:
            raise FormulaError(f"{where + ': ' if where else ''}a formula must be a string or a number (got {text!r})")
    if len(text) > MAX_LEN:
        raise FormulaError(f"{where + ': ' if where else ''}formula longer than {MAX_LEN} characters")
    text = text.strip().replace("^", "**")  # '^' is power (papers); no strings exist to protect
    try:
        node = ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError) as e:
        col = f" at column {e.offset}" if getattr(e, "offset", None) else ""
        raise FormulaError(f"{where + ': ' if where else ''}cannot parse {mode} {text!r}{col}: {e.msg if hasattr(e, 'msg') else e}") from None
    except (RecursionError, MemoryError):
        raise FormulaError(f"{where + ': ' if where else ''}{mode} {text!r} is nested too deeply") from None
    if depth(node) > MAX_DEPTH:
        raise FormulaError(f"{where + ': ' if where else ''}{mode} {_short(text)} is nested deeper than "
                           f"{MAX_DEPTH} levels (the limit of boundcheck formulas)")
    return node, text


def _short(text: str) -> str:
    return repr(text) if len(text) <= 80 else repr(text[:60] + "...") + f" ({len(text)} characters)"


INDEX = ("N", "t") + HORIZON_ALIASES


def symbols_for(names: Iterable[str]) -> dict[str, sp.Symbol]:
    """Real symbols; the horizon N and the step index t are positive (parameters may be negative,
    so sympy must not simplify sqrt(a^2) to a)."""
    return {n: sp.Symbol(n, positive=True) if n in INDEX else sp.Symbol(n, real=True) for n in names}


def substitute(expr: sp.Basic, values: Mapping[str, float]) -> sp.Basic:
    """Replace the symbols named in ``values`` by exact rationals of the given floats."""
    return expr.subs({s: sp.Rational(repr(float(values[s.name])))
                      for s in expr.free_symbols if s.name in values})


def parse(text, names: Iterable[str], *, where: str = "", sequences: Mapping | None = None) -> sp.Expr:
    """Parse an arithmetic formula over ``names``; ``K``/``T`` read as ``N`` when N is allowed.
    ``sequences`` ({name: sequences.Sequence}) may be called with one index: ``lam(N)``."""
    names = set(names)
    table = symbols_for(names)
    if "N" in names:
        for a in HORIZON_ALIASES:
            table.setdefault(a, table["N"])
    node, text = _tree(text, where, "formula")
    expr = _build(node, table, text, where, sequences)
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise FormulaError(f"{where + ': ' if where else ''}formula {text!r} is undefined (division by zero?)")
    return expr


def parse_relations(text, names: Iterable[str], *, where: str = "") -> list[tuple[sp.Expr, str, sp.Expr]]:
    """Parse ``"1 < alpha <= 2"`` or ``"mu <= L and h < 2"`` into (lhs, op, rhs) triples."""
    names = set(names)
    table = symbols_for(names)
    node, text = _tree(text, where, "relation")
    parts = node.values if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And) else [node]
    out = []
    for part in parts:
        if not isinstance(part, ast.Compare):
            raise _fail(text, where, part, "expected a comparison like 'mu <= L' (only 'and' may join them), got")
        terms = [part.left] + list(part.comparators)
        exprs = [_build(t, table, text, where) for t in terms]
        for i, op in enumerate(part.ops):
            if type(op) not in _CMPOPS:
                raise _fail(text, where, part, f"{type(op).__name__} is not a numeric comparison in")
            out.append((exprs[i], _CMPOPS[type(op)], exprs[i + 1]))
    return out


def _np(e: sp.Basic, env: Mapping[str, np.ndarray]):
    if isinstance(e, _seqcall()):
        return e.seq.values(_np(e.args[0], env))
    if e.is_Symbol:
        return env[e.name]
    if e.is_Number or e in (sp.pi, sp.E):
        return float(e)
    args = [_np(a, env) for a in e.args]
    if isinstance(e, sp.Add):
        return sum(args[1:], args[0])
    if isinstance(e, sp.Mul):
        out = args[0]
        for a in args[1:]:
            out = out * a
        return out
    if isinstance(e, sp.Pow):
        return np.power(np.asarray(args[0], float), args[1])
    table = {sp.Min: np.minimum, sp.Max: np.maximum}
    for cls, fn in table.items():
        if isinstance(e, cls):
            out = args[0]
            for a in args[1:]:
                out = fn(out, a)
            return out
    unary = {sp.exp: np.exp, sp.log: np.log, sp.Abs: np.abs, sp.floor: np.floor, sp.ceiling: np.ceil}
    for cls, fn in unary.items():
        if isinstance(e, cls):
            return fn(args[0])
    raise FormulaError(f"cannot evaluate {type(e).__name__} in {e} numerically")


def numpy_function(expr: sp.Basic) -> Callable[..., np.ndarray]:
    """``f(**values)``: evaluate ``expr`` with numpy broadcasting; every free symbol must be given."""
    need = sorted(s.name for s in expr.free_symbols)

    def f(**values):
        missing = [n for n in need if n not in values]
        if missing:
            raise FormulaError(f"no value for {', '.join(missing)} in {expr}")
        env = {n: np.asarray(values[n], dtype=float) for n in need}
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return np.asarray(_np(expr, env), dtype=float)

    f.symbols = tuple(need)
    return f


def evaluate(expr: sp.Basic, values: Mapping[str, float]) -> float:
    return float(numpy_function(expr)(**values))


class _TextPrinter(StrPrinter):
    """sympy's str printer, with the constants a schedule formula (schedule.py) can read back:
    e as exp(1) (sympy prints E), infinities as inf, other named constants as their float."""

    def _print_Exp1(self, expr):
        return "exp(1)"

    def _print_Infinity(self, expr):
        return "inf"

    def _print_NegativeInfinity(self, expr):
        return "-inf"

    def _print_NumberSymbol(self, expr):  # pi is printed by name (schedule.py reads it); others by value
        return "pi" if expr is sp.pi else repr(float(expr))

    _print_EulerGamma = _print_Catalan = _print_GoldenRatio = _print_TribonacciConstant = _print_NumberSymbol


def to_text(expr: sp.Basic) -> str:
    """A formula string this module parses back (``**`` for powers, lower-case function names)."""
    s = _TextPrinter().doprint(expr)
    for a, b in (("Min(", "min("), ("Max(", "max("), ("ceiling(", "ceil("), ("Abs(", "abs(")):
        s = s.replace(a, b)
    return s


__all__ = ["parse", "parse_relations", "numpy_function", "evaluate", "symbols_for", "substitute", "to_text",
           "FUNCTIONS", "RESERVED", "HORIZON_ALIASES"]

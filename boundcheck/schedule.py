"""Step-size schedules: a number, or a safe formula in t, N and the problem constants.

A schedule parameter (``gamma`` of sgd, ``c`` of clipped-sgd, ``beta`` of nsgd-m, ...) is given
either as a number or as a formula string such as ``"R/(M*sqrt(N+1))"`` or ``"0.1/sqrt(t+1)"``:

* ``t`` is the 0-based iteration index (t = 0..N-1), ``N`` the horizon (number of steps);
* any problem constant known to the run (``L``, ``mu``, ``M``, ``R``, ``d``, ``f_star``, ``sigma``,
  ... : the keys of the ``prob`` mapping passed to ``make_params``), plus ``pi`` and ``inf``;
* numbers, ``+ - * / **`` (``^`` is accepted as ``**``), unary ``-``/``+``, parentheses, and the
  functions ``sqrt log exp sin cos min max abs`` (``min``/``max`` take two or more arguments and
  act element-wise).

Nothing else is accepted: formulas are parsed with :mod:`ast` and checked against this whitelist
*before* anything is evaluated, so attribute access, subscripts, strings, lambdas, comprehensions
and calls of any other name (``__import__('os')``) are rejected with a :class:`FormulaError` that
names the offending token. Evaluation is vectorized over ``t = 0..N-1`` with numpy float64, so a
schedule costs nothing inside the hot loop: ``make_params`` stores it as an array of length N.

A schedule is *horizon dependent* exactly when its formula uses ``N``: then the same run cannot be
read at several checkpoints, and the engine runs each horizon separately.

This module imports only numpy (``import boundcheck`` stays light; no sympy, no cvxpy).
"""
from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

import numpy as np

from .errors import FormulaError, ParamError

MAX_LEN = 400

_FUNCS = {
    "sqrt": np.sqrt,
    "log": np.log,
    "exp": np.exp,
    "sin": np.sin,
    "cos": np.cos,
    "abs": np.abs,
}
_VARIADIC = {"min": np.minimum, "max": np.maximum}
_CONSTS = {"pi": math.pi, "inf": math.inf}
_BINOPS = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.divide,
    ast.Pow: np.power,
}
_OPNAME = {ast.BitXor: "^", ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.BitAnd: "&",
           ast.BitOr: "|", ast.LShift: "<<", ast.RShift: ">>", ast.Not: "not", ast.Invert: "~"}
ALLOWED = "numbers, + - * / ** (or ^), unary -, parentheses, " + ", ".join(
    list(_FUNCS) + list(_VARIADIC)) + ", the symbols t (0-based step), N (horizon) and the problem constants"


@dataclass(frozen=True)
class Formula:
    """A checked formula: its source text, the compiled (validated) AST and its free symbols."""

    text: str
    tree: ast.Expression
    symbols: frozenset

    @property
    def uses_horizon(self) -> bool:
        return "N" in self.symbols

    def __call__(self, N: int, consts: Mapping[str, Any] = {}) -> np.ndarray:
        """Values at t = 0..N-1 (float64 array of length N)."""
        return evaluate(self, N, consts)


def _where(node) -> str:
    col = getattr(node, "col_offset", None)
    return f" at column {col + 1}" if col is not None else ""


def _check(node, text: str, names: set):
    """Walk the AST; raise FormulaError on the first node outside the whitelist."""
    if isinstance(node, ast.Expression):
        return _check(node.body, text, names)
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise FormulaError(f"formula {text!r}: only numbers are allowed as literals, "
                               f"got {node.value!r}{_where(node)}")
        return
    if isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise FormulaError(f"formula {text!r}: name {node.id!r} is not allowed{_where(node)} "
                               f"(allowed: {ALLOWED})")
        if node.id in _FUNCS or node.id in _VARIADIC:
            raise FormulaError(f"formula {text!r}: function {node.id!r} must be called, e.g. {node.id}(t+1)")
        names.add(node.id)
        return
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _BINOPS:
            op = _OPNAME.get(type(node.op), type(node.op).__name__)
            raise FormulaError(f"formula {text!r}: operator {op!r} is not allowed{_where(node)} "
                               f"(allowed: {ALLOWED})")
        _check(node.left, text, names)
        _check(node.right, text, names)
        return
    if isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            op = _OPNAME.get(type(node.op), type(node.op).__name__)
            raise FormulaError(f"formula {text!r}: operator {op!r} is not allowed{_where(node)}")
        _check(node.operand, text, names)
        return
    if isinstance(node, ast.Call):
        f = node.func
        if isinstance(f, ast.Attribute):
            raise FormulaError(f"formula {text!r}: attribute access '.{f.attr}' is not allowed{_where(f)} "
                               f"(allowed: {ALLOWED})")
        if not isinstance(f, ast.Name):
            raise FormulaError(f"formula {text!r}: only calls of {', '.join(list(_FUNCS) + list(_VARIADIC))} "
                               f"are allowed{_where(node)}")
        if f.id not in _FUNCS and f.id not in _VARIADIC:
            raise FormulaError(f"formula {text!r}: function {f.id!r} is not allowed{_where(f)} "
                               f"(allowed functions: {', '.join(list(_FUNCS) + list(_VARIADIC))})")
        if node.keywords:
            raise FormulaError(f"formula {text!r}: keyword arguments are not allowed in {f.id}(...)")
        for a in node.args:
            if isinstance(a, ast.Starred):
                raise FormulaError(f"formula {text!r}: '*' unpacking is not allowed in {f.id}(...)")
        n = len(node.args)
        if f.id in _FUNCS and n != 1:
            raise FormulaError(f"formula {text!r}: {f.id} takes exactly one argument (got {n})")
        if f.id in _VARIADIC and n < 2:
            raise FormulaError(f"formula {text!r}: {f.id} takes two or more arguments (got {n})")
        for a in node.args:
            _check(a, text, names)
        return
    if isinstance(node, ast.Attribute):
        raise FormulaError(f"formula {text!r}: attribute access '.{node.attr}' is not allowed{_where(node)} "
                           f"(allowed: {ALLOWED})")
    if isinstance(node, ast.Subscript):
        raise FormulaError(f"formula {text!r}: subscripts '[...]' are not allowed{_where(node)}")
    kind = type(node).__name__
    raise FormulaError(f"formula {text!r}: {kind} expressions are not allowed{_where(node)} (allowed: {ALLOWED})")


@lru_cache(maxsize=512)
def parse(text: str) -> Formula:
    """Parse and whitelist-check ``text``; raises FormulaError naming the offending token."""
    if not isinstance(text, str):
        raise FormulaError(f"a formula must be a string (got {text!r})")
    src = text.strip()
    if not src:
        raise FormulaError("empty formula")
    if len(src) > MAX_LEN:
        raise FormulaError(f"formula longer than {MAX_LEN} characters")
    try:
        tree = ast.parse(src.replace("^", "**"), mode="eval")
    except SyntaxError as e:
        col = f" at column {e.offset}" if e.offset else ""
        raise FormulaError(f"formula {src!r} does not parse{col}: {e.msg}") from None
    names: set = set()
    _check(tree, src, names)
    return Formula(src, tree, frozenset(names))


def _eval(node, env):
    if isinstance(node, ast.Expression):
        return _eval(node.body, env)
    if isinstance(node, ast.Constant):
        return np.float64(node.value)
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.BinOp):
        return _BINOPS[type(node.op)](_eval(node.left, env), _eval(node.right, env))
    if isinstance(node, ast.UnaryOp):
        v = _eval(node.operand, env)
        return np.negative(v) if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.Call):
        args = [_eval(a, env) for a in node.args]
        if node.func.id in _FUNCS:
            return _FUNCS[node.func.id](args[0])
        out = args[0]
        for a in args[1:]:
            out = _VARIADIC[node.func.id](out, a)
        return out
    raise FormulaError(f"cannot evaluate {type(node).__name__}")  # unreachable after _check


def evaluate(f: Formula | str, N: int, consts: Mapping[str, Any] = {}) -> np.ndarray:
    """The formula at t = 0..N-1, as a float64 array of length N (non-finite values are kept;
    callers check domains with :func:`values`)."""
    if isinstance(f, str):
        f = parse(f)
    env: dict[str, Any] = {}
    for k, v in consts.items():
        if isinstance(k, str) and isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
            env[k] = np.float64(v)
    env.update(_CONSTS)
    env["t"] = np.arange(N, dtype=np.float64)
    env["N"] = np.float64(N)
    missing = sorted(f.symbols - set(env))
    if missing:
        avail = ", ".join(["t", "N"] + sorted(k for k in env if k not in ("t", "N")))
        raise FormulaError(f"formula {f.text!r}: unknown symbol {missing[0]!r} (available here: {avail})")
    with np.errstate(all="ignore"):
        out = _eval(f.tree, env)
    return np.array(np.broadcast_to(np.asarray(out, dtype=np.float64), (N,)), dtype=np.float64)


def uses_horizon(spec: Any) -> bool:
    """True exactly when ``spec`` is a formula that uses N."""
    return isinstance(spec, str) and parse(spec).uses_horizon


# ----------------------------------------------------------------------------- Param domain
def _fmt(v: float) -> str:
    return "inf" if v == math.inf else ("-inf" if v == -math.inf else f"{v:g}")


@dataclass(frozen=True)
class Schedule:
    """Param domain: a number in an interval, or a formula whose values (checked per t when the
    run is set up, by :func:`values`) lie in that interval."""

    lo: float = 0.0
    hi: float = math.inf
    lo_open: bool = True
    hi_open: bool = True

    def interval(self) -> str:
        lb = "(" if self.lo_open else "["
        rb = ")" if self.hi_open else "]"
        return f"{lb}{_fmt(self.lo)}, {_fmt(self.hi)}{rb}"

    def __str__(self) -> str:
        return f"a number in {self.interval()}, or a formula in t (0-based), N and the problem constants"

    def _in(self, v: float) -> bool:
        if math.isnan(v):
            return False
        if v < self.lo or (self.lo_open and v == self.lo):
            return False
        if v > self.hi or (self.hi_open and v == self.hi):
            return False
        return True

    def __contains__(self, v) -> bool:
        if isinstance(v, str):
            try:
                parse(v)
                return True
            except FormulaError:
                return False
        return isinstance(v, (int, float)) and not isinstance(v, bool) and self._in(float(v))

    def parse(self, name: str, raw: Any):
        if isinstance(raw, bool):
            raise ParamError(f"'{name}' must be a number or a formula (got {raw!r})")
        if isinstance(raw, (int, float, np.integer, np.floating)):
            v = float(raw)
        elif isinstance(raw, str):
            txt = raw.strip()
            try:
                v = float(txt.lower().replace("infinity", "inf"))
            except ValueError:
                try:
                    parse(txt)
                except FormulaError as e:
                    raise ParamError(f"'{name}': {e}") from None
                return txt
        else:
            raise ParamError(f"'{name}' must be a number or a formula (got {raw!r})")
        if not self._in(v):
            raise ParamError(f"'{name}' must be in {self.interval()} (got {_fmt(v)})")
        return v


def values(name: str, spec: Any, N: int, prob: Mapping[str, Any], domain: Schedule | None = None,
           scale: Any = None) -> np.ndarray:
    """The schedule ``spec`` (number or formula) at t = 0..N-1, times the optional ``scale`` (a
    number or another formula, e.g. a named shape), checked against ``domain``. Raises ParamError
    naming the first offending t."""
    dom = domain or Schedule()
    try:
        if isinstance(spec, str):
            v = evaluate(parse(spec), N, prob)
        else:
            v = np.full(N, float(spec))
        s = None
        if scale is not None:
            s = evaluate(parse(scale), N, prob) if isinstance(scale, str) else float(scale)
    except FormulaError as e:
        raise FormulaError(f"'{name}': {e}") from None
    if s is not None:
        with np.errstate(all="ignore"):
            v = v * s
    with np.errstate(invalid="ignore"):
        ok = (v > dom.lo) if dom.lo_open else (v >= dom.lo)
        ok &= (v < dom.hi) if dom.hi_open else (v <= dom.hi)
    bad = np.flatnonzero(~ok)  # NaN compares False, so it is caught here too
    if bad.size:  # report the first bad value, with a hint
        t = int(bad[0])
        shown = spec if scale is None else f"{spec} * ({scale})"
        hint = " (t is 0-based: write t+1 where the paper's index starts at 1)" if t == 0 else ""
        raise ParamError(f"'{name}' = {shown!r} gives {_fmt(float(v[t]))} at t={t} (N={N}), "
                         f"outside {dom.interval()}{hint}")
    return v


#: named step-size shapes for the ``schedule`` parameter: step_t = gamma * shape(t)
SHAPES: dict[str, str] = {
    "constant": "1",
    "inv-sqrt": "1/sqrt(t+1)",
    "inv-t": "1/(t+1)",
    "inv-t34": "1/(t+1)^(3/4)",
    "horizon": "1/sqrt(N)",
    "linear-decay": "1 - t/N",
    "cosine": "(1 + cos(pi*t/N))/2",
}

__all__ = ["Formula", "Schedule", "SHAPES", "parse", "evaluate", "values", "uses_horizon"]

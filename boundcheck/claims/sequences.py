"""Sequences defined by recurrence in a claim: ``lam(1) = 1``, ``lam(k+1) = (1 + sqrt(1 + 4*lam(k)^2))/2``.

A catalogue file (table ``[sequences]``) or a claim (key ``sequences``) names each sequence with a
list of equations, base cases first:

    [sequences]
    lam = ["lam(1) = 1", "lam(k+1) = (1 + sqrt(1 + 4*lam(k)^2))/2"]

* a base case is ``name(<integer>) = <formula in numbers>``; they must be consecutive indices;
* the recurrence is ``name(k + c) = <formula>`` (``c`` an integer, ``name(k)`` is c = 0) in the
  index ``k``, numbers, earlier terms ``name(k + j)`` with ``j < c`` (a strictly smaller index),
  and sequences declared before it; it defines every index after the last base case;
* formulas go through the safe parser (formula.py, its limits and messages); parameters of the
  claim are not allowed inside a recurrence (a bound may combine the sequence with them).

A bound then calls the sequence at an integer expression of N: ``L*R^2/(2*lam(N)^2)``, or OGM's
theta_N with its different last step ``(1 + sqrt(1 + 8*th(N-1)^2))/2``.

Evaluation is in mpmath at ``DIGITS`` significant digits, memoised: the terms up to the largest
index asked for are computed once each, in increasing order, so a grid up to N costs N steps of the
recurrence (``Sequence.steps`` counts them), whatever the nesting of the closed form would be. An
index outside the sequence (below its first base case, above ``MAX_INDEX``, not an integer) and a
value that is not a finite real number are ``FormulaError`` (exit 2), naming the sequence and index.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

import mpmath
import numpy as np
import sympy as sp

from ..errors import FormulaError

DIGITS = 50
MAX_INDEX = 10**6
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LHS = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(\s*(.*?)\s*\)\s*$")


class SeqCall(sp.Function):
    """``name(index)``: a term of a declared sequence, left unevaluated in sympy (never expanded
    into nested radicals); numeric evaluation goes through ``seq`` (the class attribute)."""

    seq: "Sequence" = None
    is_real = True

    @classmethod
    def eval(cls, arg):  # stays symbolic
        return None

    def _eval_evalf(self, prec):
        n = self.args[0]
        if not n.is_Integer:
            return None
        return sp.Float(mpmath.nstr(self.seq.term(int(n)), DIGITS), mpmath.libmp.prec_to_dps(prec))

    def _sympystr(self, printer):
        return f"{self.seq.name}({printer._print(self.args[0])})"


@dataclass
class Sequence:
    name: str
    start: int                       # first base index
    base: list                       # mpf values of the base cases, indices start..start+len-1
    offset: int                      # c in name(k + c) = rhs
    rhs: sp.Expr                     # in the symbol k and SeqCall terms
    text: tuple[str, ...]
    memo: list = field(default_factory=list)
    steps: int = 0                   # recurrence evaluations so far (memoised: linear in the index)
    call: type = None

    def __post_init__(self):
        self.memo = list(self.base)
        self.call = type(self.name, (SeqCall,), {"seq": self})

    def __call__(self, arg) -> sp.Expr:
        return self.call(arg)

    def term(self, n: int):
        """The n-th term as an mpmath number (FormulaError outside the sequence or if not finite)."""
        if n < self.start:
            raise FormulaError(f"sequence {self.name}: index {n} is below its first base case {self.name}({self.start})")
        if n > MAX_INDEX:
            raise FormulaError(f"sequence {self.name}: index {n} is above the limit {MAX_INDEX}")
        k = sp.Symbol("k", integer=True)
        with mpmath.workdps(DIGITS):
            while self.start + len(self.memo) <= n:
                m = self.start + len(self.memo)          # the index computed now: m = k + offset
                self.steps += 1
                v = _mp(self.rhs, {k: mpmath.mpf(m - self.offset)}, self.name)
                if not (isinstance(v, mpmath.mpf) and mpmath.isfinite(v)):
                    raise FormulaError(f"sequence {self.name}: {self.name}({m}) is not a finite real number ({v}) "
                                       f"in {self.text[-1]!r}")
                self.memo.append(v)
        return self.memo[n - self.start]

    def values(self, idx) -> np.ndarray:
        """Terms at an array of indices (floats that must be integers), as float64."""
        a = np.asarray(idx, dtype=float)
        if not np.all(np.isfinite(a)) or np.any(a != np.round(a)):
            raise FormulaError(f"sequence {self.name}: index {a.tolist()} is not an integer")
        out = np.empty(a.shape)
        flat = a.reshape(-1)
        if flat.size:
            self.term(int(flat.max()))
        for j, n in enumerate(flat):
            out.reshape(-1)[j] = float(self.term(int(n)))
        return out


def _mp(e: sp.Basic, env: dict, name: str):
    """Evaluate a recurrence's right-hand side with mpmath (terms of sequences looked up)."""
    if isinstance(e, SeqCall):
        n = _mp(e.args[0], env, name)
        if n != mpmath.nint(n):
            raise FormulaError(f"sequence {name}: index {n} of {e.seq.name} is not an integer")
        return e.seq.term(int(mpmath.nint(n)))
    if e.is_Symbol:
        return env[e]
    if e.is_Rational:
        return mpmath.mpf(e.p) / e.q
    if e.is_Number or e in (sp.pi, sp.E):
        return mpmath.mpf(str(sp.Float(e, DIGITS + 5)))
    args = [_mp(a, env, name) for a in e.args]
    if isinstance(e, sp.Add):
        return mpmath.fsum(args)
    if isinstance(e, sp.Mul):
        out = mpmath.mpf(1)
        for a in args:
            out *= a
        return out
    if isinstance(e, sp.Pow):
        b, x = args
        if b < 0 and x != mpmath.nint(x):
            return mpmath.mpf("nan")
        if b == 0 and x < 0:
            return mpmath.mpf("inf")
        return mpmath.power(b, x)
    table = {sp.Min: min, sp.Max: max, sp.Abs: abs, sp.floor: mpmath.floor, sp.ceiling: mpmath.ceil}
    for cls, fn in table.items():
        if isinstance(e, cls):
            return fn(*args)
    if isinstance(e, sp.exp):
        return mpmath.exp(args[0])
    if isinstance(e, sp.log):
        if args[0] <= 0:
            return mpmath.mpf("nan")
        return mpmath.log(args[0]) if len(args) == 1 else mpmath.log(args[0]) / mpmath.log(args[1])
    raise FormulaError(f"sequence {name}: cannot evaluate {type(e).__name__} in a recurrence")


def _index(text: str, where: str, name: str, eq: str):
    """The left-hand side's index: an integer (base case) or k + c (recurrence): ('base', n) | ('rec', c)."""
    t = text.replace(" ", "")
    if re.fullmatch(r"[+-]?\d+", t):
        return "base", int(t)
    m = re.fullmatch(r"k(?:([+-])(\d+))?", t)
    if m:
        return "rec", (int(m.group(2)) * (1 if m.group(1) == "+" else -1)) if m.group(1) else 0
    raise FormulaError(f"{where}: sequence {name}: the left-hand side of {eq!r} must be {name}(<integer>) or "
                       f"{name}(k + <integer>), got index {text!r}")


def parse_sequences(table, where: str, known: dict | None = None) -> dict[str, Sequence]:
    """``{name: [equations]}`` -> ``{name: Sequence}``; later sequences may use earlier ones."""
    from .formula import parse

    if table is None:
        return dict(known or {})
    if not isinstance(table, dict):
        raise FormulaError(f"{where}: 'sequences' must be a table: name = [\"name(1) = ...\", \"name(k+1) = ...\"]")
    out = dict(known or {})
    for name, eqs in table.items():
        w = f"{where}: sequence {name}"
        if not _NAME.match(name) or name in ("N", "k", "t"):
            raise FormulaError(f"{w}: not a valid sequence name (letters, digits, '_'; not N, k or t)")
        from .formula import RESERVED

        if name in RESERVED:
            raise FormulaError(f"{w}: '{name}' is a built-in function or constant")
        if isinstance(eqs, str):
            eqs = [eqs]
        if not isinstance(eqs, list) or not all(isinstance(e, str) for e in eqs):
            raise FormulaError(f"{w}: expected a list of equations like \"{name}(1) = 1\"")
        base, rec = {}, None
        for eq in eqs:
            if eq.count("=") != 1:
                raise FormulaError(f"{w}: {eq!r} is not one equation 'lhs = rhs'")
            lhs, rhs = eq.split("=")
            m = _LHS.match(lhs)
            if not m or m.group(1) != name:
                raise FormulaError(f"{w}: the left-hand side of {eq!r} must be {name}(...)")
            kind, n = _index(m.group(2), where, name, eq)
            if kind == "base":
                if n in base:
                    raise FormulaError(f"{w}: base case {name}({n}) given twice")
                val = parse(rhs, set(), where=f"{w}, base case {name}({n})", sequences=out)
                base[n] = val
            else:
                if rec is not None:
                    raise FormulaError(f"{w}: more than one recurrence ({rec[2]!r} and {eq!r})")
                rec = (n, rhs, eq)
        if not base:
            raise FormulaError(f"{w}: no base case (write e.g. \"{name}(1) = 1\" before the recurrence)")
        idx = sorted(base)
        if idx != list(range(idx[0], idx[0] + len(idx))):
            raise FormulaError(f"{w}: base cases must be consecutive indices (got {idx})")
        if rec is None:
            raise FormulaError(f"{w}: no recurrence {name}(k+1) = ... (a finite list is not a sequence of N)")
        c, rhs, eq = rec
        seq = Sequence(name, idx[0], [], c, sp.Integer(0), tuple(eqs))
        with mpmath.workdps(DIGITS):
            seq.base = [_mp(base[n], {}, name) for n in idx]
        seq.memo = list(seq.base)
        expr = parse(rhs, {"k"}, where=f"{w}, recurrence {eq!r}", sequences={**out, name: seq})
        kk = [s for s in expr.free_symbols if s.name == "k"]
        if kk:
            expr = expr.subs(kk[0], sp.Symbol("k", integer=True))
        for call in expr.atoms(SeqCall):
            if call.seq is not seq:
                continue
            arg = sp.expand(call.args[0] - sp.Symbol("k", integer=True))
            if not arg.is_Integer:
                raise FormulaError(f"{w}: in {eq!r}, {name}({call.args[0]}) must be {name}(k + <integer>)")
            if int(arg) >= c:
                raise FormulaError(f"{w}: {eq!r} refers to {name}({call.args[0]}), not to a smaller index than "
                                   f"the one it defines: the recurrence would never end")
            if c - int(arg) > len(idx):
                raise FormulaError(f"{w}: {eq!r} reaches {c - int(arg)} terms back but only {len(idx)} base "
                                   f"case(s) are given")
        seq.rhs = expr
        out[name] = seq
    return out


def used(expr: sp.Basic) -> list[Sequence]:
    """The sequences a parsed formula calls, each once, with those their recurrences call first."""
    out: list[Sequence] = []
    seen: set[int] = set()

    def add(e):
        for call in sorted(e.atoms(SeqCall), key=lambda x: x.seq.name):
            if id(call.seq) not in seen:
                seen.add(id(call.seq))
                add(call.seq.rhs)  # a recurrence refers to itself: seen already
                out.append(call.seq)

    add(expr)
    return out


__all__ = ["Sequence", "SeqCall", "parse_sequences", "used", "DIGITS", "MAX_INDEX"]

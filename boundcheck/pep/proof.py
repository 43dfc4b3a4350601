"""A PEP certificate as the proof a paper prints (``certify --proof``).

The certificate (certificate.py) stores, in exact rationals, the rows of the PEP, each an
inequality  <A_i, G> + b_i . F <= r_i  between the Gram matrix G of the basis vectors and the
function values F, the objective  measure = c . F + <C, G>,  and multipliers lam_i >= 0. Writing
each inequality as  h_i := r_i - <A_i, G> - b_i . F >= 0,  and with  bound = sum_i lam_i r_i,

    measure - bound = - sum_i lam_i h_i - <S, G>,      S = sum_i lam_i A_i - C,

holds identically in (G, F) as soon as  sum_i lam_i b_i = c  (checked exactly). With lam >= 0, every
h_i >= 0 and S PSD (shown by an exact factor S = L D L^T, L unit lower triangular, D >= 0) the
right-hand side is <= 0 at every feasible point: measure <= bound.

``build(cert)`` first tries the multipliers rounded to simple fractions (denominators up to
10^4): if they satisfy every exact check they prove a bound at most as large with a proof one can
read; otherwise the certificate's own multipliers are used. Either way every claim of the
document is checked here in exact arithmetic before it is written.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..errors import CertificateError

Sym = dict  # (i, j) with i <= j -> Fraction: the symmetric matrix with M_ij = M_ji


@dataclass
class Row:
    name: str
    A: Sym
    b: dict  # k -> Fraction
    r: Fraction
    lam: Fraction


@dataclass
class Proof:
    problem: dict  # the certificate's description: algorithm, function, N, measure, init, ...
    basis: list  # names of the Gram basis vectors (x0-x*, g0, ...)
    f_names: list  # names of the function values
    c: dict  # measure = c . F + <C, G>
    C: Sym
    rows: list  # the rows with lam_i > 0
    S: list  # dense n x n Fractions
    L: list
    D: list
    bound: Fraction
    simplified: bool  # the multipliers are the rounded simple fractions, not the certificate's
    certificate_upper: Fraction
    lower: Fraction | None


def _q(s) -> Fraction:
    return Fraction(str(s))


def _sym(entries) -> Sym:
    return {(int(i), int(j)): _q(v) for i, j, v in entries}


def dense(n: int, terms) -> list:
    M = [[Fraction(0)] * n for _ in range(n)]
    for w, A in terms:
        for (i, j), v in A.items():
            M[i][j] += w * v
            if i != j:
                M[j][i] += w * v
    return M


def ldl(S: list) -> tuple[list, list] | None:
    """Exact S = L D L^T (L unit lower triangular, D diagonal), None unless every pivot is >= 0 and a
    zero pivot has a zero column below it (then S is PSD, and only then)."""
    n = len(S)
    A = [row[:] for row in S]
    L = [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]
    D = [Fraction(0)] * n
    for k in range(n):
        D[k] = A[k][k]
        if D[k] < 0:
            return None
        if D[k] == 0:
            if any(A[i][k] != 0 for i in range(k + 1, n)):
                return None
            continue
        for i in range(k + 1, n):
            L[i][k] = A[i][k] / D[k]
        for i in range(k + 1, n):
            for j in range(k + 1, i + 1):
                A[i][j] -= L[i][k] * D[k] * L[j][k]
                A[j][i] = A[i][j]
    return L, D


def _attempt(cert, lam: dict) -> tuple | None:
    """(rows, S, L, D, bound) when ``lam`` passes every exact check, else None."""
    data = cert["data"]
    n = int(data["n"])
    stored = {r["name"]: r for r in list(data["rows"]) + list(data.get("other_rows", []))}
    rows = [Row(nm, _sym(stored[nm]["A"]), {int(k): _q(v) for k, v in stored[nm]["b"]}, _q(stored[nm]["r"]), w)
            for nm, w in lam.items() if w != 0]
    if any(r.lam < 0 for r in rows):
        return None
    c = {int(k): _q(v) for k, v in data["objective"]["c"]}
    resid = dict(c)
    for r in rows:
        for k, v in r.b.items():
            resid[k] = resid.get(k, Fraction(0)) - r.lam * v
    if any(v != 0 for v in resid.values()):
        return None
    C = _sym(data["objective"]["C"])
    S = dense(n, [(r.lam, r.A) for r in rows] + [(Fraction(-1), C)])
    f = ldl(S)
    if f is None:
        return None
    return rows, S, f[0], f[1], sum((r.lam * r.r for r in rows), Fraction(0))


def build(cert: dict, max_denominator: int = 10_000) -> Proof:
    lam = {nm: _q(v) for nm, v in cert["multipliers"].items()}
    simple = {nm: v.limit_denominator(max_denominator) for nm, v in lam.items()}
    got, simplified = _attempt(cert, simple), True
    upper = _q(cert["upper"])
    if got is None or got[4] > upper:
        got, simplified = _attempt(cert, lam), False
    if got is None:
        raise CertificateError("the certificate's multipliers do not give an exact LDL^T proof of S >= 0 "
                               "(its PSD proof uses a shifted residual); no proof document written")
    rows, S, L, D, bound = got
    data = cert["data"]
    return Proof(cert["problem"], list(data["basis"]), list(data["f_names"]),
                 {int(k): _q(v) for k, v in data["objective"]["c"]}, _sym(data["objective"]["C"]),
                 rows, S, L, D, bound, simplified, upper,
                 None if cert.get("lower") is None else _q(cert["lower"]))


__all__ = ["Proof", "Row", "build", "ldl", "dense"]

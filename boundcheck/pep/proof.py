"""A PEP certificate as the proof a paper prints (``certify --proof``).

The certificate (certificate.py) stores, in exact rationals, the rows of the PEP, each an
inequality  <A_i, G> + b_i . F <= r_i  between the Gram matrix G of the basis vectors and the
function values F, the objective  measure = c . F + <C, G>,  and multipliers lam_i >= 0. Writing
each inequality as  h_i := r_i - <A_i, G> - b_i . F >= 0,  and with  bound = sum_i lam_i r_i,

    measure - bound = - sum_i lam_i h_i - <S, G>,      S = sum_i lam_i A_i - C,

holds identically in (G, F) as soon as  sum_i lam_i b_i = c  (checked exactly). With lam >= 0, every
h_i >= 0 and S PSD (shown by an exact factor S = L D L^T, L unit lower triangular, D >= 0) the
right-hand side is <= 0 at every feasible point: measure <= bound.

The certificate's multipliers are a rounded solver output: exact, but with 2^40 denominators, and
one point of a face of optimal duals. ``build(cert)`` first looks for simple exact ones by
complementary slackness at the certificate's feasible point (V, F), which attains the lower
bound: lam_i = 0 on the rows that point leaves slack, sum lam_i b_i = c and S V = 0, an exact
linear system whose free parameters are set to 0 (the sparsest choice). For gd[h=1] on
smooth-convex[L=1] this recovers lam_{i,i+1} = (i+1)/(2N-i) and bound 1/(4N+2). Failing that, the
multipliers rounded to simple fractions, then the certificate's own. Every candidate must pass
every exact check here (lam >= 0, stationarity, S = L D L^T with D >= 0) before it is written.
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
    closed: tuple | None = None  # proof_closed.recognise(...): (forms, not recognised, bound form, (train, held))


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


def _h_at(row_json, V, F) -> Fraction:
    """h_i = r_i - <A_i, V V^T> - b_i . F at the certificate's feasible (lower-bound) point."""
    G = lambda i, j: sum((V[i][k] * V[j][k] for k in range(len(V[0]))), Fraction(0))  # noqa: E731
    val = _q(row_json["r"])
    for i, j, v in row_json["A"]:
        val -= _q(v) * G(int(i), int(j)) * (1 if int(i) == int(j) else 2)
    for k, v in row_json["b"]:
        val -= _q(v) * F[int(k)]
    return val


def complementary(cert: dict, lam: dict, max_denominator: int = 1000) -> list | None:
    """Simple exact multipliers from complementary slackness at the certificate's feasible point
    (V, F) (G = V V^T attains the lower bound): lam_i = 0 on the rows that point leaves slack,
    sum lam_i b_i = c and S V = 0, solved exactly. Candidates: the free parameters at 0 (sparsest),
    then at the certificate's values rounded to simple fractions; each is still to be checked
    (lam >= 0, S PSD) by the caller. None when there is no feasible point or no solution."""
    import sympy as sp

    lp = cert.get("lower_point")
    if not lp:
        return None
    V = [[_q(x) for x in row] for row in lp["V"]]
    F = [_q(x) for x in lp["F"]]
    data = cert["data"]
    n = int(data["n"])
    stored = list(data["rows"]) + list(data.get("other_rows", []))
    active = [r for r in stored if _h_at(r, V, F) == 0]
    if not active:
        return None
    out = []
    for key in (_forward_first, lambda r: -lam.get(r["name"], Fraction(0))):
        # the unknowns that come last are the free ones (set to 0 first): two orders are tried,
        # rows between consecutive iterates and with x* first, then by decreasing certificate value
        out += _solve(sorted(active, key=key), data, V, lam, max_denominator) or []
    return out or None


def _forward_first(r) -> tuple:
    import re

    m = re.fullmatch(r"interp\((\w+|\*),(\w+|\*)\)", r["name"])
    if r["name"] == "init" or (m and (m.group(1) == "*" or (m.group(2) != "*" and int(m.group(2)) == int(m.group(1)) + 1))):
        return (0,)
    return (1,)


def _solve(active, data, V, lam, max_denominator):
    import sympy as sp

    n = int(data["n"])
    x = sp.symbols(f"l0:{len(active)}")
    eqs = []
    c = {int(k): _q(v) for k, v in data["objective"]["c"]}
    for k in range(len(data["f_names"])):
        eqs.append(sum(x[i] * sp.Rational(str(_q(dict((int(a), b) for a, b in r["b"]).get(k, 0))))
                       for i, r in enumerate(active)) - sp.Rational(str(c.get(k, 0))))
    S = sp.zeros(n, n)
    for i, r in enumerate(active):
        for a, b_, v in r["A"]:
            S[int(a), int(b_)] += x[i] * sp.Rational(str(_q(v)))
            if int(a) != int(b_):
                S[int(b_), int(a)] += x[i] * sp.Rational(str(_q(v)))
    for a, b_, v in data["objective"]["C"]:
        S[int(a), int(b_)] -= sp.Rational(str(_q(v)))
        if int(a) != int(b_):
            S[int(b_), int(a)] -= sp.Rational(str(_q(v)))
    eqs += list(S * sp.Matrix([[sp.Rational(str(v)) for v in row] for row in V]))
    A, rhs = sp.linear_eq_to_matrix([sp.expand(e) for e in eqs], x)
    try:
        sol, params = A.gauss_jordan_solve(rhs)
    except ValueError:  # inconsistent
        return None
    out = []
    for rounded in (False, True):  # free parameters 0 (the sparsest choice), else the certificate's, rounded
        subs = {}
        for p in params:
            col = next((i for i in range(len(x)) if sol[i] == p), None)
            v = lam.get(active[col]["name"], Fraction(0)) if (rounded and col is not None) else Fraction(0)
            subs[p] = sp.Rational(str(v.limit_denominator(max_denominator)))
        s = sol.subs(subs)
        out.append({r["name"]: Fraction(str(s[i])) for i, r in enumerate(active)})
    return out


def build(cert: dict, max_denominator: int = 10_000) -> Proof:
    lam = {nm: _q(v) for nm, v in cert["multipliers"].items()}
    got, simplified = None, True
    for cand in complementary(cert, lam) or []:
        got = _attempt(cert, cand)
        if got is not None and got[4] <= _q(cert["upper"]):
            break
        got = None
    if got is None:
        simple = {nm: v.limit_denominator(max_denominator) for nm, v in lam.items()}
        got = _attempt(cert, simple)
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

"""Closed forms in N of a proof's multipliers, recognised across small N (``certify --proof``).

For N = 1..TRAIN the same PEP is certified and turned into a proof (proof.build: simple exact
multipliers); rows are grouped into families by their name with the indices made relative
(``interp(k,k+1)``, ``interp(*,k)``, ``interp(k,*)``, ``init``). Each family's multiplier is
fitted as a rational function P(k, N) / Q(k, N) of total degree <= 1, then <= 2, in the row
index k and N, by exact linear algebra (the null space of  lam * Q - P = 0  over the training
points); the bound likewise as a function of N. A form is reported only when it reproduces, exactly,
every multiplier at the held-out N (TRAIN < N <= max(TRAIN + 2, N asked)) and is not a
zero on every training point; otherwise the family is reported as not recognised.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

TRAIN = 4  # N = 1..TRAIN fit; the next ones (at least two) check
SMALL_N = 8  # certify --proof looks for closed forms when N <= SMALL_N


@dataclass
class Form:
    family: str  # e.g. interp(k,k+1)
    expr: object  # sympy expression in k, N
    train: tuple  # the N used to fit
    held_out: tuple  # the N it was checked on, exactly


def family(name: str):
    """(family, k) for a row name: interp(3,4) -> ('interp(k,k+1)', 3); init -> ('init', None)."""
    m = re.fullmatch(r"interp\((\w+|\*),(\w+|\*)\)", name)
    if not m:
        return name, None
    a, b = m.groups()
    if a == "*" and b == "*":
        return name, None
    if a == "*":
        return "interp(*,k)", int(b)
    if b == "*":
        return "interp(k,*)", int(a)
    d = int(b) - int(a)
    return f"interp(k,k{d:+d})", int(a)


def _fit(points, degree: int):
    """P/Q through every (k, N, value) point, total degree <= degree, or None (exact, sympy)."""
    import sympy as sp

    k, N = sp.symbols("k N")
    mons = [k**i * N**j for i in range(degree + 1) for j in range(degree + 1 - i)]
    p = sp.symbols(f"p0:{len(mons)}")
    q = sp.symbols(f"q0:{len(mons)}")
    P = sum(c * m for c, m in zip(p, mons))
    Q = sum(c * m for c, m in zip(q, mons))
    rows = []
    for kv, nv, val in points:
        sub = {k: kv if kv is not None else 0, N: nv}
        rows.append(sp.expand(sp.Rational(val.numerator, val.denominator) * Q.subs(sub) - P.subs(sub)))
    A, _ = sp.linear_eq_to_matrix(rows, list(p) + list(q))
    null = A.nullspace()
    for v in null:
        sol = dict(zip(list(p) + list(q), v))
        Qs = Q.subs(sol)
        if Qs == 0:
            continue
        f = sp.factor(sp.cancel(P.subs(sol) / Qs))
        if all(f.subs({k: kv if kv is not None else 0, N: nv}) == sp.Rational(val.numerator, val.denominator)
               for kv, nv, val in points):
            return f
    return None


def recognise(proofs: dict) -> tuple[list, list, object]:
    """``proofs``: N -> proof.Proof. Returns (forms, families not recognised, bound form or None,
    (training N, held-out N))."""
    import sympy as sp

    Ns = sorted(proofs)
    train = tuple(n for n in Ns if n <= TRAIN)
    held = tuple(n for n in Ns if n > TRAIN)
    data: dict[str, list] = {}
    for n in Ns:
        for r in proofs[n].rows:
            fam, kv = family(r.name)
            data.setdefault(fam, []).append((kv, n, r.lam))
    forms, missed = [], []
    for fam, pts in sorted(data.items()):
        tr = [p for p in pts if p[1] in train]
        ho = [p for p in pts if p[1] in held]
        f = None
        if tr and ho:
            for deg in (0, 1, 2):
                f = _fit(tr, deg)
                if f is not None and _holds(f, ho):
                    break
                f = None
        (forms.append(Form(fam, f, train, held)) if f is not None else missed.append(fam))
    bpts = [(None, n, proofs[n].bound) for n in Ns]
    bound = None
    for deg in (0, 1, 2):
        f = _fit([p for p in bpts if p[1] in train], deg)
        if f is not None and _holds(f, [p for p in bpts if p[1] in held]):
            bound = f
            break
    return forms, missed, bound, (train, held)


def _holds(f, pts) -> bool:
    import sympy as sp

    k, N = sp.symbols("k N")
    return bool(pts) and all(f.subs({k: kv if kv is not None else 0, N: nv}) == sp.Rational(v.numerator, v.denominator)
                             for kv, nv, v in pts)


def as_fraction(f) -> tuple:
    """(numerator, denominator) of a form, the denominator with a positive leading coefficient."""
    import sympy as sp

    n, d = sp.fraction(sp.factor(f))
    lead = sp.Poly(d, *sorted(d.free_symbols, key=str)).LC() if d.free_symbols else d
    return (-n, -d) if lead < 0 else (n, d)


def spec_of(problem: dict) -> tuple:
    """(algorithm, function, measure, init) specs of a certificate's problem description."""
    ip = problem.get("init_params") or {}
    init = problem.get("init", "dist") + (("[" + ",".join(f"{k}={v:g}" for k, v in ip.items()) + "]") if ip else "")
    return problem["algorithm"], problem["function"], problem.get("measure", "f-gap"), init


def certify_range(algorithm, function, measure, init, n_max: int, progress=None) -> dict:
    """N -> Proof for N = 1..n_max (solve, exact certificate in memory, proof.build)."""
    from . import proof
    from .build import build
    from .certificate import make_certificate
    from .solve import solve

    out = {}
    for n in range(1, n_max + 1):
        res = solve(build(algorithm, function, n, measure, init))
        out[n] = proof.build(make_certificate(res).to_json())
        if progress is not None:
            progress(f"closed forms: N={n}")
    return out


__all__ = ["Form", "family", "recognise", "certify_range", "as_fraction", "spec_of", "TRAIN", "SMALL_N"]

"""Timing of the exact certificate pipeline (issue 4, item 5), as data; nothing is printed here.

``measure(N)`` builds T01 (gd[h=1], smooth-convex[L=1], f-gap, ||x0 - x*|| <= 1) with the PEP
builder, restricts it to the generic cutting-plane start set (consecutive pairs and pairs with x*,
which is already the optimal support for T01, so no cut round is needed), solves it once, and runs
``certify_exact`` (certificate + exact re-verification from its JSON form), plus the exact
fraction-free LU (python-flint) on the same residual for comparison. Run it with

    .venv/bin/python -c "from boundcheck.pep.certificate_bench import main; main()" 10 40 100 300
"""
from __future__ import annotations

import sys
import time
from fractions import Fraction


def measure(N: int, solver: str | None = None, compare_ldl: bool = True) -> dict:
    from . import exact as X
    from .build import build
    from .certificate import certify_exact
    from .certificate_verify import _parse
    from .solve import solve_problem

    t0 = time.perf_counter()
    model = build("gd[h=1]", "smooth-convex[L=1]", N)
    model.start_cuts()
    prob = model.problem()
    res = solve_problem(prob, solver, accept_inaccurate=True)
    t_solve = time.perf_counter() - t0
    out = certify_exact(res, None)
    closed = Fraction(1, 4 * N + 2)
    upper = Fraction(out.upper)
    row = dict(N=N, n=prob.n, rows=prob.m, solver=res.solver, status=res.status, solve_s=t_solve,
               exact_s=out.times["exact_total_s"], certificate_s=out.times["total_s"],
               verify_s=out.times["verify_s"], psd_s=out.times["psd_s"],
               total_s=time.perf_counter() - t0, value=res.value,
               upper=float(upper), rel_to_closed=float((upper - closed) / closed),
               rel_to_dual=out.rel_gap, lower=out.lower)
    if compare_ldl:
        try:
            from .certificate import make_certificate

            d = make_certificate(res, two_sided=False).to_json()
            n, _, C, _, rows, lam = _parse(d)
            num, den = X.sym_matrix_int(n, [(w, rows[nm][0]) for nm, w in lam.items()], C)
            t1 = time.perf_counter()
            minors = X.ldl_leading_minors(num)
            row["exact_ldl_s"] = time.perf_counter() - t1
            row["exact_ldl_pd"] = all(m > 0 for m in minors)
            row["exact_ldl_digits"] = max(len(str(abs(m))) for m in minors)
            t1 = time.perf_counter()
            row["gram_dd_ok"] = X.psd_proof(num, den).ok
            row["gram_dd_s"] = time.perf_counter() - t1
        except ImportError:
            row["exact_ldl_s"] = None
    return row


def main(argv=None) -> None:  # a script entry point: printing is its job
    Ns = [int(a) for a in (sys.argv[1:] if argv is None else argv)] or [10, 40, 100]
    for N in Ns:
        r = measure(N)
        sys.stdout.write(" ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
                                  for k, v in r.items()) + "\n")
        sys.stdout.flush()


__all__ = ["measure", "main"]

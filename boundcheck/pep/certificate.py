"""Exact PEP certificates: from a solved PEP to a rigorous rational upper bound, stored as JSON.

What a certificate proves
-------------------------
For the canonical PEP of ``problem.py`` (maximize <C,G> + c.F s.t. <A_i,G> + b_i.F <= r_i, G PSD),
rational multipliers lam_i >= 0 with

    (1) sum_i lam_i b_i = c            exactly,
    (2) S = sum_i lam_i A_i - C  PSD   proven exactly (``exact.psd_proof``),

prove  worst case <= U := sum_i lam_i r_i  (weak duality, see problem.py). All problem coefficients
are float64 numbers (the method *as run in float64*, e.g. the step h/L) taken as exact rationals via
``Fraction(float)``, so the certificate certifies the PEP of the method with exactly those
coefficients. Rows that carry no multiplier are not stored: a certificate for a subset of the
constraints (the cutting-plane support) is a certificate for the full PEP.

How the exact multipliers are obtained (``make_certificate``)
-------------------------------------------------------------
The solver's duals are accurate to about 1e-9 and the optimal S is singular (S G* = 0 for the
worst-case Gram matrix G*), so rounding them cannot give (1) and (2) directly. Three steps:

1. **Round**: lam_i -> nearest multiple of 2^-bits (default bits = 40, so every multiplier is k/2^40;
   denominators are powers of two, and S has a power-of-two common denominator).
2. **Repair (1) exactly, keeping lam >= 0**: the residual rho = c - sum lam_i b_i (exact, about
   2^-bits in size) is removed coordinate by coordinate: for rho_k != 0 pick a row whose b is
   beta e_k with sign(beta) = sign(rho_k) (PEPs have them: the interpolation rows with x*, b = +-e_k)
   and *increase* its multiplier by rho_k / beta. Multipliers only grow, so lam >= 0 stays exact.
   Without such rows, a generic exact solve on a pivot set of rows is used, and lam >= 0 is checked.
3. **Shift along a PSD constraint ("tau shift")**: S is now within about 1e-9 of a singular PSD
   matrix and may be slightly indefinite. A row with b_i = 0, r_i > 0 and A_i PSD (the initial
   condition ||x0 - x*||^2 <= R^2: A = e0 e0^T) can absorb this: raising its multiplier by t adds
   t A_i to S and t r_i to the bound. t is the smallest grid value such that, in floating point,
   D S D + t D A_i D has smallest eigenvalue >= sigma (D the power-of-two diagonal scaling of
   exact.psd_proof, sigma ~ 16 n^2 2^-53, raised by 8x until the exact proof succeeds); found by
   bisection on Cholesky success. Then (2) is proven exactly by ``exact.psd_proof``. The price is
   t r_i. Measured certified upper vs the closed form 1/(4N+2): 1e-10 to 3e-9 relative for
   N <= 100 (Clarabel, or SCS at eps 1e-9); 1.3e-5 at N = 300 from SCS at eps 1e-7, where the
   shift absorbs the solver's dual infeasibility (about 5e-8). ``rel_gap`` reports it against the
   solver's value.

3'. **No PSD row to shift along** (function-value initial conditions, e.g. T02's f(x0) - f(x_N)
   <= F0): the worst-case Gram matrices then fill the whole space, so the optimal S is 0 and the
   bound follows from the linear rows alone. If the solver's S is numerically 0, the exact repair
   is extended to  sum lam_i (b_i, A_i) = (c, C)  (weighted least-norm correction, exact, every
   equation re-checked, lam >= 0 checked), which makes S = 0 exactly. Measured: gd[h=1] on
   smooth-nonconvex, grad-min, f-decrease[F0=1]: upper = 4/15 (N = 5) and 2/15 (N = 10). Where
   neither applies (e.g. the pl relaxation with f-gap init: a multiplier would turn negative),
   CertificateError says so.

Alternatives considered: a margin in the SDP (solve with S >= eps I) needs a bounded primal trace
and a second solve; projecting the rounded multipliers onto the optimal face ({S v = 0} for a
rationalised worst case v) gives *exactly* tight upper bounds but needs the worst case to have a
small rational form, which is not generic. The tau shift is generic (any PEP with an initial
condition <A, G> <= r, A PSD, as all of ours have) and costs less than the solver's own error; where
the worst case is rational, the two-sided certificate below pins it exactly from the other side.

The exact PSD check: choice by measurement
------------------------------------------
Both candidates are exact and rigorous:

* exact elimination: leading principal minors by fraction-free LU of the integer matrix
  den * S (python-flint ``fmpz_mat.fflu``); Sylvester's criterion;
* ``exact.psd_proof``: D S D = R^T R + E with E diagonally dominant, checked in integers, R a
  float Cholesky factor rounded to 2^-62 (proof in exact.py).

Exact checks that took 11-70 s at N = 40 (first measurements) came from multipliers with unrelated denominators (Fraction
limit_denominator): the common denominator of S then has thousands of digits before elimination
starts. On the 2^-40 grid S is an integer matrix over a power of two, and both checks are fast.
Measured on T01 (cutting-plane start rows, i.e. consecutive pairs and pairs with x*; 2 cores
shared with other jobs; N = 10-100 via ``certificate_bench.py``, N = 300 from an SCS(eps = 1e-7)
solve of the same rows):

    N     n    exact fflu minors       Gram + dd proof      whole exact stage: certificate +
               (largest, digits)       (flint / limbs)      re-verification from its JSON
    10    12   0.013 s   (132)         0.0005 s             0.15 s (two-sided)
    40    42   0.013 s   (483)         0.011 s              2-3 s (two-sided: all 1722 rows checked)
    100   102  0.63-0.75 s (1189)      0.05 s               0.3-0.9 s
    300   302  85 s      (3548)        0.34 s / 1.3 s       4.4 s (2.7 s certificate, 1.7 s verify)

Exact elimination grows like n^4 (n^3 operations on numbers of O(n) digits), the Gram proof like
n^3 on fixed-size numbers and needs only numpy (python-flint is optional: an int64-limb product is
the fallback), so ``psd_proof`` is the one used; ``ldl_leading_minors`` is kept as the independent
cross-check in the tests. A PSD proof needs a strictly positive definite matrix, which the tau
shift provides.

File format (``certificates/<algo>__<class>__<measure>__N=<N>.json``, written atomically)
----------------------------------------------------------------------------------------
``format`` "boundcheck-pep-certificate/1"; ``problem``: the description (algorithm, function, N,
measure, init and the builder's meta: parameters, constants, points, conditions, rows_total);
``statement``; ``tight`` / ``relaxed_parts``; ``versions``; ``solver`` (name, status, value,
primal); ``data``: n, basis, f_names, m_total, ``objective`` {C: [[i, j, "p/q"], ...] upper
triangle, c: [[k, "p/q"], ...]}, ``rows``: [{name, A: [[i, j, "p/q"]...] upper triangle of the
symmetric A_i, b: [[k, "p/q"]...], r: "p/q"}] for every row with a multiplier (plus ``other_rows``,
the rest of the full PEP, when two-sided); ``multipliers`` {name: "p/q"}; ``upper`` "p/q" (exactly
sum lam_i r_i) and ``upper_float``; ``lower`` "p/q" or null, ``lower_point`` {V: n x r, F} and
``lower_note``; ``rel_gap`` (upper vs the solver's value); ``method`` (rounding bits, the repair
amounts, the shift row and t, the PSD proof's sigma and backend); ``seal`` {field: digest} of the
provenance fields. All numbers that the check uses are exact rational strings; every other field
is bound too (recomputed, compared with the rebuilt problem, or sealed: certificate_bind.py).
``certificate_verify.verify_certificate`` re-checks a file without cvxpy or any solver.

Lower bound (two-sided certificate, ``certificate_lower.py``)
-------------------------------------------------------------
When the Gram size is at most 42 and the solve is "optimal" (or with ``two_sided=True``), the
solver's worst case is rounded to a
rational Gram factor V (G = V V^T, PSD by construction), the function values are set exactly by
shortest paths over the difference constraints f_j - f_i <= q_ij, and every row of the FULL PEP is
checked exactly; ``lower`` = the objective there. The best rational rounding over a few
denominators is kept; if none is within 1e-6 of the upper bound (rounding breaks the tight cycles
of the worst case, e.g. h = 1.9, strongly convex classes), the worst case is mixed with a strictly
feasible Gram matrix (one more small SDP, cvxpy + Clarabel, ``certificate_lower.slater_gram``):
G = (1 - theta) G* + theta G_s with theta = 1e-8 ... 1e-2, losing about theta. Measured at N = 5:
T01 h = 1: lower = 1/22 exactly; OGM: two-sided gap 2e-8; strongly convex (mu = 0.1, distance):
1e-8; h = 1.9: 8e-7. For T01 (h <= 1) the worst case is rational and ``lower = 1/(4N+2)``
exactly. When nothing works, ``lower`` is null and ``lower_note`` says why. A relaxed PEP (a class
given by necessary conditions only, ``result.relaxation``) gets no lower bound: its feasible points
need not come from functions of the class.
"""
from __future__ import annotations

import json
import math
import platform
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import CertificateError
from . import exact as X
from .certificate_bind import STATEMENT, seal
from .certificate_steps import (ExactRow, _exact_objective, _exact_row, _find_shift, _full_rows,
                                _is_psd_row, _repair, zero_residual_repair)

FORMAT = "boundcheck-pep-certificate/1"
DEFAULT_BITS = 40


# ----------------------------------------------------------------------------------- the builder
@dataclass
class Certificate:
    """An exact certificate in memory; ``to_json()`` is what is stored."""

    data: dict[str, Any]
    upper: Fraction
    rel_gap: float
    times: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return self.data


# the messages of a rounded residual that could not be proven PSD (a margin may still prove it)
PSD_FAILURES = ("could not prove the residual S PSD", "the rounded residual S is not provably PSD")


def make_certificate(result, *, bits: int = DEFAULT_BITS, description: dict | None = None,
                     two_sided: bool | str = "auto") -> Certificate:
    """Turn a solved PEP (``problem.PEPResult``) into an exact certificate (module docstring).
    Raises CertificateError when no exact certificate could be produced."""
    with X.single_thread_blas():
        try:
            return _make_certificate(result, bits, description, two_sided)
        except CertificateError as e:
            if not str(e).startswith(PSD_FAILURES):
                raise
            first = e
        # S singular in many directions: lift them all along the dual of max <D^-2, G> (certificate_margin.py)
        from . import certificate_margin as CM

        t0 = time.perf_counter()
        got = CM.lift_direction(result)
        if got is None:
            raise first
        delta, d = got
        for t in CM.schedule(result, d):
            margin = {"direction": "Delta: the multipliers of max <D^-2, G> over the same rows (D: the solver's "
                                   "scaling of the basis vectors)", "t": t,
                      "note": "the solver's residual S was singular in several directions; the multipliers "
                              "are lam + t Delta, which lifts them all at a cost t r.Delta on the bound"}
            try:
                cert = _make_certificate(CM.lifted(result, delta, t), bits, description, two_sided, margin)
            except CertificateError as e:
                if not str(e).startswith(PSD_FAILURES):
                    raise
                continue
            cert.times["margin_s"] = time.perf_counter() - t0
            return cert
        raise first


def _make_certificate(result, bits, description, two_sided, margin=None) -> Certificate:
    t0 = time.perf_counter()
    p = result.problem
    n, n_f = p.n, p.n_f
    lam_f = np.clip(np.asarray(result.lam, dtype=float), 0.0, None)
    if not np.all(np.isfinite(lam_f)):
        raise CertificateError("the solver's multipliers are not finite")
    # exact rows: those with a multiplier, and the candidates of the repair (one F term) and of
    # the shift (no F term); the others cannot enter the certificate
    p.A.sort_indices()
    nnz_b = np.count_nonzero(np.asarray(p.B), axis=1) if p.m else np.zeros(0, int)
    q_all = [X.round_to_grid(v, bits) if v > 0 else Fraction(0) for v in lam_f]
    need = [i for i in range(p.m) if q_all[i] > 0 or nnz_b[i] <= 1]
    rows_all = [_exact_row(p, i) for i in need]
    Cu, c = _exact_objective(p)
    lam = {p.names[i]: q_all[i] for i in need if q_all[i] > 0}
    moved = _repair(n_f, rows_all, lam, c)
    times = {"round_repair_s": time.perf_counter() - t0}

    # the shift along a PSD row with b = 0, r > 0
    t1 = time.perf_counter()
    shift_rows = [r for r in rows_all if not r.b and r.r > 0 and r.A and _is_psd_row(r)]
    sup = [r for r in rows_all if lam.get(r.name, 0) > 0 or r in shift_rows]
    terms = [(lam.get(r.name, Fraction(0)), r.A) for r in sup]
    num, den = X.sym_matrix_int(n, terms, Cu)
    proof = X.psd_proof(num, den)
    shift_info = None
    tries = []
    if not proof.ok and not shift_rows:
        # no row to shift along: the bound may follow from the linear rows alone (S* = 0)
        Sf = X.float_matrix(num, den)
        scale = max(1.0, float(np.abs(Sf).max(initial=0.0)), max((float(v) for v in lam.values()), default=1.0))
        if np.abs(np.linalg.eigvalsh(Sf)).max(initial=0.0) <= 1e-6 * scale:
            lam_try = dict(lam)
            try:
                moved0 = zero_residual_repair(rows_all, lam_try, n_f, c, Cu)
            except CertificateError as e:
                raise CertificateError(
                    "the rounded residual S is not provably PSD, the problem has no PSD initial "
                    f"condition row to shift along, and S = 0 could not be made exact: {e}") from None
            lam = {k: v for k, v in lam_try.items() if v != 0}
            for k, v in moved0.items():
                moved[k] = moved.get(k, Fraction(0)) + v
            sup = [r for r in rows_all if lam.get(r.name, 0) > 0]
            terms = [(lam[r.name], r.A) for r in sup]
            num, den = X.sym_matrix_int(n, terms, Cu)
            proof = X.psd_proof(num, den)
            shift_info = {"row": None, "t": "0/1", "t_float": 0.0, "sigma": 0.0,
                          "note": "S = 0 exactly: the bound follows from the linear rows alone"}
    if not proof.ok:
        if not shift_rows:
            raise CertificateError(
                "the rounded residual S is not provably PSD and the problem has no PSD initial "
                "condition row (<A,G> <= r with A PSD, b = 0) to shift along; exact certificates "
                f"need one ({proof.reason})")
        Sf = X.float_matrix(num, den)
        # a shift along PSD rows of total rank k can fix at most k negative eigenvalues (interlacing)
        ranks = sum(_row_rank(r) for r in shift_rows)
        ev = np.linalg.eigvalsh(Sf)
        neg = int((ev < -1e-13 * max(1.0, float(np.abs(ev).max(initial=0.0)))).sum())
        if neg > ranks:
            raise CertificateError(
                f"could not prove the residual S PSD: it has {neg} negative eigenvalues, and shifting along "
                f"{[r.name for r in shift_rows]} lifts at most {ranks}")
        sigma = 16 * n * n * 2.0 ** -53
        for _ in range(8):
            for srow in shift_rows:
                Pf = X.float_matrix(*X.sym_matrix_int(n, [(Fraction(1), srow.A)]))
                tf = _find_shift(Sf, Pf, sigma)
                tries.append({"row": srow.name, "sigma": sigma, "t": tf})
                if tf is None:
                    continue
                tq = Fraction(math.ceil(Fraction(tf) * (1 << bits)), 1 << bits)
                num2, den2 = X.sym_matrix_int(n, terms + [(tq, srow.A)], Cu)
                pr = X.psd_proof(num2, den2)
                if pr.ok:
                    lam[srow.name] = lam.get(srow.name, Fraction(0)) + tq
                    num, den, proof = num2, den2, pr
                    shift_info = {"row": srow.name, "t": X.frac_str(tq), "t_float": float(tq),
                                  "sigma": sigma}
                    break
            if proof.ok:
                break
            sigma *= 8
        if not proof.ok:
            raise CertificateError(
                "could not prove the residual S PSD even after shifting along "
                f"{[r.name for r in shift_rows]} (tries: {tries}); the solver's duals may be too "
                "inaccurate (re-solve with a tighter tolerance)")
    times["psd_s"] = time.perf_counter() - t1

    upper = sum((lam[r.name] * r.r for r in rows_all if r.name in lam), Fraction(0))
    value = float(result.value)

    # the lower bound: an exactly feasible point of the full PEP (certificate_lower.py)
    t2 = time.perf_counter()
    lower, lower_point, other_rows, lower_note = None, None, [], "not attempted"
    if result.relaxation:
        # a feasible point of a relaxed PEP need not come from a function of the class
        lower_note = "relaxed PEP (" + "; ".join(result.relaxed_parts) + "): no lower bound"
        if two_sided is True:
            raise CertificateError(f"no two-sided certificate: {lower_note}")
    elif two_sided is True or (two_sided == "auto" and n <= 42 and result.G is not None
                               and result.status == "optimal"):
        full, why, full_prob = _full_rows(result, rows_all)
        if full is None:
            lower_note = why
        else:
            from .certificate_lower import lower_point as _lower_point
            from .certificate_lower import slater_gram

            target = float(upper)
            V, F, lo = _lower_point(result.G, n, n_f, full, Cu, c, target=target)
            if V is None or float(upper - lo) > 1e-6 * abs(target):
                Gs = slater_gram(full_prob, result.G)
                if Gs is not None:
                    for theta in (1e-8, 1e-6, 1e-4, 1e-2):
                        Gm = (1 - theta) * np.asarray(result.G) + theta * Gs
                        V2, F2, lo2 = _lower_point(Gm, n, n_f, full, Cu, c, keep_rel=0.0,
                                                   denominators=(10**12, 10**15), target=target)
                        if V2 is not None:
                            if V is None or lo2 > lo:
                                V, F, lo = V2, F2, lo2
                                lower_note = f"mixed with a strictly feasible point, theta = {theta:g}"
                            break
            if V is None:
                lower_note = lo
            elif lo > upper:  # pragma: no cover - would be a bug
                raise CertificateError("internal: the feasible point beats the certified upper bound")
            elif _too_long(V, F):
                lower_note = (f"the feasible point found has rationals of more than {LONGEST_DIGITS} digits "
                              "(after mixing with a strictly feasible point): not stored, no lower bound")
            else:
                lower = lo
                lower_note = lower_note if lower_note.startswith("mixed") else ""
                lower_point = {"V": [[X.frac_str(x) for x in row] for row in V],
                               "F": [X.frac_str(x) for x in F]}
                other_rows = [r for r in full if r.name not in lam]
        if two_sided is True and lower is None:
            raise CertificateError(f"no two-sided certificate: {lower_note}")
    times["lower_s"] = time.perf_counter() - t2
    rel_gap = (float(upper) - value) / abs(value) if value != 0 else float(upper) - value
    stored = [r for r in rows_all if r.name in lam]
    data = {
        "format": FORMAT,
        "problem": _describe(p, result, description),
        "statement": STATEMENT,
        # tight: every condition used is exact (no relaxed and no restricted part: problem.provenance)
        "tight": bool(result.tight) and not p.meta.get("restricted_parts"),
        "relaxed_parts": list(result.relaxed_parts),
        "versions": _versions(),
        "solver": {"name": result.solver, "status": result.status, "value": value,
                   "primal": float(result.primal)},
        "data": {
            "n": n, "basis": list(p.basis), "f_names": list(p.f_names), "m_total": int(p.meta.get("rows_total", p.m)),
            "objective": {"C": [[i, j, X.frac_str(v)] for (i, j), v in sorted(Cu.items())],
                          "c": [[k, X.frac_str(v)] for k, v in sorted(c.items())]},
            "rows": [_row_json(r) for r in stored],
        },
        "multipliers": {r.name: X.frac_str(lam[r.name]) for r in stored},
        "upper": X.frac_str(upper),
        "upper_float": float(upper),
        "lower": X.frac_str(lower) if lower is not None else None,
        "lower_float": float(lower) if lower is not None else None,
        "lower_note": lower_note,
        "rel_gap": rel_gap,
        "two_sided_gap": float((upper - lower) / upper) if lower is not None and upper else None,
        "method": {
            "rounding_bits": bits,
            "repair": {k: X.frac_str(v) for k, v in moved.items()},
            "shift": shift_info,
            **({"margin": margin} if margin is not None else {}),
            "psd": {"method": "D S D = R^T R + E, E diagonally dominant (exact integers)",
                    "sigma": proof.sigma, "n": proof.n, "dropped": proof.dropped,
                    "backend": proof.backend},
        },
    }
    if lower is not None:
        data["lower_point"] = lower_point
        data["data"]["m_total"] = len(stored) + len(other_rows)
        data["data"]["other_rows"] = [_row_json(r) for r in other_rows]
    data["seal"] = seal(data)  # provenance fields: an edit is caught and named (certificate_bind.py)
    times["total_s"] = time.perf_counter() - t0
    return Certificate(data, upper, rel_gap, times)


def _row_rank(r: ExactRow) -> int:
    """The rank of a row's (small, sparse) matrix, on the basis vectors it touches."""
    idx = sorted({k for ij in r.A for k in ij})
    pos = {k: a for a, k in enumerate(idx)}
    M = np.zeros((len(idx), len(idx)))
    for (i, j), v in r.A.items():
        M[pos[i], pos[j]] = M[pos[j], pos[i]] = float(v)
    return int(np.linalg.matrix_rank(M))


LONGEST_DIGITS = 1000  # a stored rational longer than this is not a readable certificate


def _too_long(V, F) -> bool:
    bits = LONGEST_DIGITS * 3.33
    return any(max(abs(x.numerator).bit_length(), x.denominator.bit_length()) > bits
               for x in [*F, *(y for row in V for y in row)])


def _row_json(r: ExactRow) -> dict:
    return {"name": r.name,
            "A": [[i, j, X.frac_str(v)] for (i, j), v in sorted(r.A.items())],
            "b": [[k, X.frac_str(v)] for k, v in sorted(r.b.items())],
            "r": X.frac_str(r.r)}


def _describe(p, result, description):
    d = {k: (v if isinstance(v, (str, int, float, bool, type(None), list, dict)) else str(v))
         for k, v in dict(p.meta).items()}
    if description:
        d.update(description)
    d.setdefault("relaxed_parts", list(result.relaxed_parts))
    return d


def _versions():
    import boundcheck

    try:
        from importlib.metadata import version

        bv = version("boundcheck")
    except Exception:  # not installed as a distribution
        bv = getattr(boundcheck, "__version__", "unknown")
    v = {"boundcheck": bv, "python": platform.python_version(),
         "numpy": np.__version__}
    try:
        import flint

        v["python-flint"] = flint.__version__
    except ImportError:
        pass
    return v


# --------------------------------------------------------------------------------- file handling
def _spec_part(s: str) -> str:
    return str(s).replace("[", "_").replace("]", "").replace(",", "_").replace(" ", "")


def certificate_filename(desc: dict) -> str:
    """``gd_h=1__smooth-convex_L=1__f-gap__N=10.json`` (+ ``__init=...`` when not the default)."""
    parts = [_spec_part(desc.get("algorithm", "algo")), _spec_part(desc.get("function", "function")),
             _spec_part(desc.get("measure", "f-gap")), f"N={desc.get('N', '?')}"]
    init = desc.get("init")
    if init not in (None, "dist", "dist[R=1]", "dist_R=1"):
        parts.append("init=" + _spec_part(init))
    return "__".join(parts) + ".json"


def write_json_atomic(obj: dict, path: Path) -> Path:
    import re

    from ..atomic import write_text

    text = json.dumps(obj, indent=1)
    # innermost arrays (triplets, short vectors) on one line: JSON whitespace only, strings untouched
    text = re.sub(r"\[\n\s*((?:[^\[\]{}\"\n]|\"(?:[^\"\\]|\\.)*\")*?(?:\n\s*(?:[^\[\]{}\"\n]|\"(?:[^\"\\]|\\.)*\")*?)*)\n\s*\]",
                  lambda m: "[" + re.sub(r",\n\s*", ", ", m.group(1)) + "]", text)
    if json.loads(text) != obj:  # pragma: no cover - the compaction must never change the content
        text = json.dumps(obj, indent=1)
    return write_text(path, text + "\n")


def write_certificate(result, out_dir, *, bits: int = DEFAULT_BITS, description: dict | None = None) -> Path:
    """Build the exact certificate of a solved PEP (``PEPResult``) or take a ``Certificate``, and
    write it atomically to ``out_dir/<name>.json``. Returns the path."""
    cert = result if isinstance(result, Certificate) else make_certificate(result, bits=bits,
                                                                          description=description)
    return write_json_atomic(cert.to_json(), Path(out_dir) / certificate_filename(cert.data["problem"]))


@dataclass
class ExactOutcome:
    """What ``certify --exact`` reports: ``upper``/``lower`` as 'p/q' strings (lower may be None)."""

    upper: str
    lower: str | None
    path: Path | None
    rel_gap: float
    report: "VerifyReport"
    times: dict[str, float]


def certify_exact(result, out_dir=None, *, bits: int = DEFAULT_BITS,
                  description: dict | None = None) -> ExactOutcome:
    """Entry point for ``certify --exact``: build the certificate, re-verify it from its JSON form
    (exactly as a reader of the file would), optionally write it. Raises CertificateError."""
    t0 = time.perf_counter()
    cert = make_certificate(result, bits=bits, description=description)
    t1 = time.perf_counter()
    rep = verify_certificate(cert.to_json(), rebuild=None)
    times = dict(cert.times, verify_s=time.perf_counter() - t1, exact_total_s=time.perf_counter() - t0)
    if not rep.ok:  # pragma: no cover - would be a bug in make_certificate
        raise CertificateError(f"internal: a fresh certificate did not verify: {rep.reason}")
    path = write_json_atomic(cert.to_json(), Path(out_dir) / certificate_filename(cert.data["problem"])) \
        if out_dir is not None else None
    return ExactOutcome(cert.data["upper"], cert.data["lower"], path, cert.rel_gap, rep, times)


from .certificate_verify import VerifyReport, verify_certificate, verify_certificate_float  # noqa: E402

__all__ = ["Certificate", "make_certificate", "write_certificate", "certify_exact", "ExactOutcome",
           "verify_certificate", "verify_certificate_float", "VerifyReport", "certificate_filename"]

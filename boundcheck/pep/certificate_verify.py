"""Re-verify a stored PEP certificate in exact arithmetic, without any SDP solver or cvxpy.

``verify_certificate(path_or_dict)`` checks, over the rationals:

1. the file is well formed: every multiplier names a stored row, indices are in range, lam_i >= 0;
2. F-stationarity  sum_i lam_i b_i = c  exactly;
3. the stored bound is exactly  upper = sum_i lam_i r_i;
4. S = sum_i lam_i A_i - C is PSD, by the exact proof of ``exact.psd_proof``;
5. optionally (``rebuild``), that the stored rows and objective are those of the problem the
   description names: a callable ``rebuild(description, names=None) -> PEPProblem`` (all rows, or
   only those named) is run and every stored row
   must equal, exactly, the rebuilt row of the same name (this catches a valid certificate for the
   wrong problem). ``rebuild="auto"`` uses the PEP builder when one is importable.

``verify_certificate_float`` is the floating-point check with the usual tolerances, kept to show in
the tests what the exact check catches and the float check does not.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from . import exact as X
from .certificate_bind import BindError, check_fields, check_rebuilt

FORMAT = "boundcheck-pep-certificate/1"


@dataclass
class VerifyReport:
    ok: bool
    path: str | None
    reason: str = ""
    upper: Fraction | None = None
    lower: Fraction | None = None
    n: int = 0
    rows: int = 0
    rebuilt: str = "not checked"     # "matched" | "not checked" | "unavailable: ..." | mismatch text
    checks: dict[str, Any] = field(default_factory=dict)
    times: dict[str, float] = field(default_factory=dict)

    def line(self) -> str:
        name = Path(self.path).name if self.path else "<certificate>"
        if self.ok:
            lo = f"lower = {float(self.lower):.12g}, " if self.lower is not None else ""
            return (f"OK    {name}: {lo}upper = {float(self.upper):.12g} (exact {self.upper.numerator}/"
                    f"{self.upper.denominator} has {len(str(self.upper.denominator))}-digit denominator), "
                    f"n = {self.n}, rows = {self.rows}, rebuilt: {self.rebuilt}, "
                    f"{self.times.get('total_s', 0):.2f} s")
        return f"FAIL  {name}: {self.reason}"


class _Bad(Exception):
    pass


def _load(src):
    if isinstance(src, dict):
        return src, None
    path = Path(src)
    try:
        with open(path) as fh:
            return json.load(fh), str(path)
    except (OSError, json.JSONDecodeError) as e:
        raise _Bad(f"cannot read {path}: {e}") from None


def _q(s, what) -> Fraction:
    if not isinstance(s, str):
        raise _Bad(f"{what}: expected a rational string 'p/q', got {s!r}")
    try:
        return Fraction(s)
    except (ValueError, ZeroDivisionError):
        raise _Bad(f"{what}: malformed rational {s!r}") from None


def _parse(d):
    if not isinstance(d, dict):
        raise _Bad(f"not a certificate: the JSON is {type(d).__name__}, expected an object")
    if d.get("format") != FORMAT:
        raise _Bad(f"field 'format': unknown format {d.get('format')!r} (expected {FORMAT!r})")
    data = d["data"]
    n, f_names = int(data["n"]), list(data["f_names"])
    n_f = len(f_names)

    def sym(entries, what):
        out = {}
        for e in entries:
            try:
                i, j, v = int(e[0]), int(e[1]), _q(e[2], what)
            except (TypeError, ValueError, IndexError, KeyError):
                raise _Bad(f"{what}: malformed entry {e!r} (expected [i, j, 'p/q'])") from None
            if not (0 <= i <= j < n):
                raise _Bad(f"{what}: index ({i},{j}) out of range or not upper-triangular (n = {n})")
            if (i, j) in out:
                raise _Bad(f"{what}: duplicate entry ({i},{j})")
            out[(i, j)] = v
        return out

    def vec(entries, what):
        out = {}
        for e in entries:
            try:
                k, v = int(e[0]), _q(e[1], what)
            except (TypeError, ValueError, IndexError, KeyError):
                raise _Bad(f"{what}: malformed entry {e!r} (expected [k, 'p/q'])") from None
            if not (0 <= k < n_f) or k in out:
                raise _Bad(f"{what}: index {k} out of range or duplicated (n_f = {n_f})")
            out[k] = v
        return out

    C = sym(data["objective"]["C"], "field 'data.objective.C'")
    c = vec(data["objective"]["c"], "field 'data.objective.c'")
    rows = {}
    stored = [("rows", r) for r in data["rows"]] + [("other_rows", r) for r in data.get("other_rows", [])]
    for k, (key, r) in enumerate(stored):
        nm, at = r["name"], f"field 'data.{key}' (row {r.get('name')!r})"
        if nm in rows:
            raise _Bad(f"{at}: duplicate row {nm!r}")
        rows[nm] = (sym(r["A"], f"{at} A"), vec(r["b"], f"{at} b"), _q(r["r"], f"{at} r"))
    lam = {nm: _q(v, f"field 'multipliers.{nm}'") for nm, v in d["multipliers"].items()}
    missing = set(lam) - set(rows)
    if missing:
        raise _Bad(f"field 'multipliers' (or a name in 'data.rows'): multipliers without a stored row: {sorted(missing)[:5]}")
    return n, n_f, C, c, rows, lam


def verify_certificate(src, rebuild="auto") -> VerifyReport:
    """Exact re-verification (module docstring). Never raises on a bad certificate: returns a report
    with ``ok`` False and the reason."""
    t0 = time.perf_counter()
    path = str(src) if not isinstance(src, dict) else None
    try:
        d, path = _load(src)
        n, n_f, C, c, rows, lam = _parse(d)
        rep = VerifyReport(False, path, n=n, rows=len(rows))
        neg = [nm for nm, v in lam.items() if v < 0]
        if neg:
            raise _Bad(f"field 'multipliers': negative multiplier(s): {neg[:5]}")
        # every stated field is bound (certificate_bind.py); the problem before the proof, so that
        # an edited row is named as such rather than as a failing proof
        upper = _q(d.get("upper"), "field 'upper'")
        check_fields(d, upper, None if d.get("lower") is None else _q(d["lower"], "field 'lower'"))
        if rebuild is not None:
            rep.rebuilt = _rebuild_check(d, rows, C, c, n, rebuild)
            if not (rep.rebuilt == "matched" or rep.rebuilt.startswith("unavailable")):
                raise _Bad(f"the stored problem data differ from the rebuilt problem: {rep.rebuilt}")
        rep.checks["fields"] = "bound (certificate_bind.py)"
        # 2. stationarity
        rho = [c.get(k, Fraction(0)) for k in range(n_f)]
        for nm, w in lam.items():
            for k, v in rows[nm][1].items():
                rho[k] -= w * v
        bad = [(k, r) for k, r in enumerate(rho) if r != 0]
        if bad:
            k, r = bad[0]
            raise _Bad(f"field 'multipliers': sum lam_i b_i != c exactly: {len(bad)} coordinate(s) differ, e.g. "
                       f"{d['data']['f_names'][k]}: residual {float(r):.3e}")
        # 3. the bound
        total = sum((w * rows[nm][2] for nm, w in lam.items()), Fraction(0))
        if upper != total:
            raise _Bad(f"field 'upper' (or 'multipliers'): stored upper {float(upper):.17g} != sum lam_i r_i = {float(total):.17g} "
                       f"(relative difference {float((upper - total) / total) if total else float(upper):.3e})")
        rep.upper = upper
        if d.get("lower") is not None:
            rep.lower = _check_lower(d, n, n_f, C, c, rows, upper)
            rep.checks["lower"] = "exact (feasible point checked on all stored rows)"
        rep.checks["stationarity"] = "exact"
        rep.checks["bound"] = "exact"
        # 4. PSD
        t1 = time.perf_counter()
        num, den = X.sym_matrix_int(n, [(w, rows[nm][0]) for nm, w in lam.items()], C)
        hint = (d.get("method") or {}).get("psd", {}).get("sigma")
        proof = X.psd_proof(num, den, sigma=hint) if hint else None
        if proof is None or not proof.ok:
            proof = X.psd_proof(num, den)
        rep.times["psd_s"] = time.perf_counter() - t1
        rep.checks["psd"] = {"ok": proof.ok, "sigma": proof.sigma, "min_dominance": proof.min_dominance,
                             "dropped": proof.dropped, "backend": proof.backend}
        if not proof.ok:
            raise _Bad(f"field 'multipliers': S = sum lam_i A_i - C is not proven PSD: {proof.reason}")
        rep.ok = True
    except BindError as e:
        rep = locals().get("rep") or VerifyReport(False, path)
        rep.ok, rep.reason = False, f"does not prove what it states: {e}"
    except _Bad as e:
        rep = locals().get("rep") or VerifyReport(False, path)
        rep.ok, rep.reason = False, str(e)
    except (KeyError, TypeError, ValueError, IndexError) as e:
        rep = locals().get("rep") or VerifyReport(False, path)
        rep.ok, rep.reason = False, f"malformed certificate: {type(e).__name__}: {e}"
    rep.path = path
    rep.times["total_s"] = time.perf_counter() - t0
    return rep


def _check_lower(d, n, n_f, C, c, rows, upper) -> Fraction:
    from .certificate_steps import ExactRow
    from .certificate_lower import check_lower_point

    lower = _q(d["lower"], "field 'lower'")
    pt = d.get("lower_point") or {}
    V = [[_q(x, "field 'lower_point.V'") for x in row] for row in pt.get("V", [])]
    F = [_q(x, "field 'lower_point.F'") for x in pt.get("F", [])]
    if d["data"].get("m_total") is not None and len(rows) != int(d["data"]["m_total"]):
        raise _Bad(f"field 'data.other_rows': a lower bound needs every row of the PEP: {len(rows)} stored, "
                   f"{d['data']['m_total']} in the problem")
    ex = [ExactRow(nm, A, b, r) for nm, (A, b, r) in rows.items()]
    val, why = check_lower_point(V, F, n, n_f, ex, C, c)
    if val is None:
        raise _Bad(f"field 'lower_point': lower bound not proven: {why}")
    if val != lower:
        raise _Bad(f"field 'lower' (or 'lower_point'): stored lower {float(lower):.17g} != objective at the stored point {float(val):.17g}")
    if lower > upper:
        raise _Bad(f"lower {float(lower)!r} > upper {float(upper)!r}: inconsistent certificate")
    return lower


_STATED = (" (the data are not those of the problem stated in 'problem.algorithm', 'problem.function', "
           "'problem.N', 'problem.measure', 'problem.init')")


def _rebuild_check(d, rows, C, c, n, rebuild) -> str:
    if rebuild == "auto":
        try:
            from .certificate_rebuild import rebuild_problem
        except ImportError as e:  # pragma: no cover - depends on the PEP core being present
            return f"unavailable: {e}"
        rebuild = rebuild_problem
    try:
        prob = rebuild(d["problem"], names=list(rows)) if d.get("lower") is None else rebuild(d["problem"])
    except Exception as e:  # a description the builder rejects: the certificate names no valid PEP
        return (f"the description in 'problem.algorithm', 'problem.function', 'problem.N', 'problem.measure', "
                f"'problem.init' does not rebuild ({type(e).__name__}: {e})")
    if prob is None:
        return "unavailable: no builder for this description"
    from .certificate_steps import _exact_objective, _exact_row

    if prob.n != n:
        return f"field 'data.n': Gram size {n} stored, {prob.n} rebuilt{_STATED}"
    try:
        check_rebuilt(d, prob)
    except BindError as e:
        return str(e)
    Cr, cr = _exact_objective(prob)
    if Cr != C or cr != c:
        return f"field 'data.objective' differs from the rebuilt objective{_STATED}"
    index = {nm: i for i, nm in enumerate(prob.names)}
    total = prob.meta.get("rows_total", prob.m) if hasattr(prob, "meta") else prob.m
    if d.get("lower") is not None and (set(index) != set(rows) or total != len(rows)):
        return (f"field 'data.other_rows': the two-sided certificate stores {len(rows)} rows, the rebuilt PEP has {len(index)} "
                "(a lower bound must satisfy all of them)")
    for nm, (A, b, r) in rows.items():
        if nm not in index:
            return f"field 'data.rows': row {nm!r} does not exist in the rebuilt problem{_STATED}"
        er = _exact_row(prob, index[nm])
        if er.A != A or er.b != b or er.r != r:
            return f"field 'data.rows': row {nm!r} differs from the rebuilt row{_STATED}"
    return "matched"


def verify_certificate_float(src, tol_stationarity: float = 1e-9, tol_bound: float = 1e-8,
                             tol_eig: float = 1e-8) -> VerifyReport:
    """The floating-point check (what a float verifier with usual tolerances would accept)."""
    d, path = _load(src)
    n, n_f, C, c, rows, lam = _parse(d)
    rep = VerifyReport(False, path, n=n, rows=len(rows))
    lamf = {nm: float(v) for nm, v in lam.items()}
    rho = np.array([float(c.get(k, 0)) for k in range(n_f)])
    S = np.zeros((n, n))
    total = 0.0
    for nm, w in lamf.items():
        A, b, r = rows[nm]
        for k, v in b.items():
            rho[k] -= w * float(v)
        for (i, j), v in A.items():
            S[i, j] += w * float(v)
            if i != j:
                S[j, i] += w * float(v)
        total += w * float(r)
    for (i, j), v in C.items():
        S[i, j] -= float(v)
        if i != j:
            S[j, i] -= float(v)
    upper = float(Fraction(d["upper"]))
    emin = float(np.linalg.eigvalsh(S)[0])
    rep.checks = {"stationarity": float(np.abs(rho).max(initial=0.0)), "bound": abs(upper - total),
                  "min_eig": emin}
    rep.upper = Fraction(d["upper"])
    if min(lamf.values(), default=0) < 0:
        rep.reason = "negative multiplier"
    elif rep.checks["stationarity"] > tol_stationarity:
        rep.reason = "stationarity"
    elif abs(upper - total) > tol_bound * max(abs(total), 1e-300):
        rep.reason = "bound"
    elif emin < -tol_eig:
        rep.reason = "S not PSD"
    else:
        rep.ok = True
    return rep


__all__ = ["VerifyReport", "verify_certificate", "verify_certificate_float"]

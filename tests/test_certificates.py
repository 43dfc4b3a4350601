"""Exact PEP certificates: the stored ones re-verify, the exact check has power where a float check
has none, and the building blocks (PSD proof, repair, shift, JSON, command) do what they claim."""
from __future__ import annotations

import copy
import json
import random
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from boundcheck.pep import exact as X
from boundcheck.pep.certificate import (certificate_filename, certify_exact, make_certificate,
                                        write_certificate)
from boundcheck.pep.certificate_verify import verify_certificate, verify_certificate_float

ROOT = Path(__file__).resolve().parents[1]
CERTS = ROOT / "certificates"
T01 = "gd_h=1__smooth-convex_L=1__f-gap__N={N}.json"

sys.path.insert(0, str(Path(__file__).parent))
from test_certificates_reference import build_t01, solve_reference  # noqa: E402


def _load(N):
    return json.loads((CERTS / T01.format(N=N)).read_text())


def _consistent(d):
    """Re-derive the float echoes of an edited certificate (upper_float, lower_float, the gaps), as a
    careful forger would, so that the exact proof, not the field binding, is what must catch it."""
    up = Fraction(d["upper"])
    lo = None if d["lower"] is None else Fraction(d["lower"])
    d["upper_float"] = float(up)
    d["lower_float"] = None if lo is None else float(lo)
    d["two_sided_gap"] = float((up - lo) / up) if lo is not None else None
    v = d["solver"]["value"]
    d["rel_gap"] = (float(up) - v) / abs(v)
    return d


# ------------------------------------------------------------------------- the stored certificates
@pytest.mark.parametrize("N", range(1, 11))
def test_t01_certificates_are_stored(N):
    assert (CERTS / T01.format(N=N)).is_file()


@pytest.mark.parametrize("path", sorted(CERTS.glob("*.json")), ids=lambda p: p.name)
def test_every_stored_certificate_verifies_exactly(path):
    rep = verify_certificate(path)
    assert rep.ok, rep.reason
    assert rep.rebuilt == "matched"  # the stored data are those of the problem it names


@pytest.mark.parametrize("N", range(1, 11))
def test_t01_certified_bound_is_sound_and_close(N):
    d = _load(N)
    upper, closed = Fraction(d["upper"]), Fraction(1, 4 * N + 2)
    assert upper >= closed                      # a proven upper bound cannot be below the true worst case
    assert upper - closed <= Fraction(1, 10**7) * closed
    assert d["problem"]["algorithm"] == "gd[h=1]" and d["problem"]["N"] == N


@pytest.mark.parametrize("N", range(1, 11))
def test_t01_certificates_are_two_sided_and_the_lower_bound_is_the_closed_form(N):
    d = _load(N)
    assert d["lower"] is not None, d["lower_note"]
    assert Fraction(d["lower"]) == Fraction(1, 4 * N + 2)   # the worst case is rational: exactly tight
    assert Fraction(d["lower"]) <= Fraction(d["upper"])


# -------------------------------------------------------------------------------------- power
def test_exact_check_rejects_a_bound_lowered_by_1e9_relative_and_float_check_accepts_it():
    d = _load(10)
    up = Fraction(d["upper"])
    bad = copy.deepcopy(d)
    bad["upper"] = X.frac_str(up * (1 - Fraction(1, 10**9)))
    _consistent(bad)
    assert verify_certificate_float(d).ok
    assert verify_certificate_float(bad).ok          # the float check lets it pass
    rep = verify_certificate(bad, rebuild=None)
    assert not rep.ok and "stored upper" in rep.reason


@pytest.mark.parametrize("which", ["interp(4,5)", "interp(10,*)", "init"])
def test_exact_check_rejects_one_multiplier_changed_by_1e12_and_float_check_accepts_it(which):
    d = _load(10)
    assert which in d["multipliers"]
    for delta in (Fraction(1, 10**12), -Fraction(1, 10**12)):
        bad = copy.deepcopy(d)
        bad["multipliers"][which] = X.frac_str(Fraction(d["multipliers"][which]) + delta)
        assert verify_certificate_float(bad).ok, which
        rep = verify_certificate(bad, rebuild=None)
        assert not rep.ok, which
        assert ("sum lam_i b_i != c" in rep.reason) if which != "init" else ("stored upper" in rep.reason)


def test_exact_psd_check_rejects_a_false_bound_that_the_float_check_accepts():
    """Lower the init multiplier (and the bound with it, consistently) by 1e-9: the bound drops below
    the true worst case 1/42, S is indefinite by ~1e-9, the float check (|eig| <= 1e-8) accepts."""
    d = _load(10)
    bad = copy.deepcopy(d)
    eps = Fraction(1, 10**9)
    bad["multipliers"]["init"] = X.frac_str(Fraction(d["multipliers"]["init"]) - eps)
    bad["upper"] = X.frac_str(Fraction(d["upper"]) - eps)   # init has r = R^2 = 1
    bad["lower"] = None                                      # (else lower > upper gives it away)
    _consistent(bad)
    assert Fraction(bad["upper"]) < Fraction(1, 42)           # a false claim
    assert verify_certificate_float(bad).ok
    rep = verify_certificate(bad, rebuild=None)
    assert not rep.ok and "not proven PSD" in rep.reason


def test_exact_check_rejects_a_lower_bound_raised_or_an_infeasible_point():
    d = _load(5)
    bad = copy.deepcopy(d)
    bad["lower"] = X.frac_str(Fraction(d["lower"]) * (1 + Fraction(1, 10**12)))
    rep = verify_certificate(_consistent(bad), rebuild=None)
    assert not rep.ok and "stored lower" in rep.reason
    bad = copy.deepcopy(d)
    F = bad["lower_point"]["F"]
    F[-1] = X.frac_str(Fraction(F[-1]) + Fraction(1, 10**12))   # f(x_N) slightly larger
    bad["lower"] = X.frac_str(Fraction(bad["lower"]) + Fraction(1, 10**12))
    rep = verify_certificate(_consistent(bad), rebuild=None)
    assert not rep.ok and "violates row" in rep.reason
    bad = copy.deepcopy(d)
    bad["data"]["other_rows"] = bad["data"]["other_rows"][1:]   # a row missing: feasibility unproven
    rep = verify_certificate(bad, rebuild=None)
    assert not rep.ok and "every row" in rep.reason


def test_wrong_problem_is_caught_by_the_rebuild_check():
    d = _load(3)
    bad = copy.deepcopy(d)
    bad["problem"]["algorithm"] = "gd[h=1.5]"   # data and multipliers are those of h = 1
    rep = verify_certificate(bad)
    assert verify_certificate(bad, rebuild=None).ok   # internally consistent ...
    assert not rep.ok and "differ" in rep.reason       # ... but not a certificate of gd[h=1.5]


def test_a_description_that_does_not_build_fails_the_rebuild_check():
    bad = copy.deepcopy(_load(3))
    bad["problem"]["algorithm"] = "gd[h=-1]"
    rep = verify_certificate(bad)
    assert not rep.ok and "does not rebuild" in rep.reason


def test_malformed_certificates_fail_cleanly():
    d = _load(2)
    for mutate in (lambda x: x.pop("upper"), lambda x: x.update(format="other"),
                   lambda x: x["multipliers"].update({"nope": "1/2"}),
                   lambda x: x["data"]["rows"][0]["A"].append([9, 9, "1/2"]),
                   lambda x: x["multipliers"].update({"init": "-1/2"})):
        bad = copy.deepcopy(d)
        mutate(bad)
        rep = verify_certificate(bad, rebuild=None)
        assert not rep.ok and rep.reason


# ------------------------------------------------------------------- building certificates
@pytest.mark.parametrize("N,h,pairs", [(3, 1.0, "all"), (7, 1.0, "all"), (6, 1.5, "support"), (4, 0.1, "all")])
def test_certificates_from_the_independent_reference_builder(N, h, pairs):
    """All pairs (dense interior-point duals), a non-dyadic step (h = 0.1 as a float64)."""
    res = solve_reference(build_t01(N, h=h, pairs=pairs))
    cert = make_certificate(res)
    rep = verify_certificate(cert.to_json(), rebuild=None)
    assert rep.ok, rep.reason
    assert 0 <= cert.rel_gap < 1e-6 or abs(cert.rel_gap) < 1e-8
    if h == 1.0:
        assert cert.upper >= Fraction(1, 4 * N + 2)
        assert float(cert.upper) <= (1 + 1e-7) / (4 * N + 2)
    # exactness of the stored coefficients: h = 0.1 is stored as the float64 0.1, exactly
    if h <= 1.5 and cert.data["lower"] is not None:
        assert Fraction(cert.data["lower"]) <= cert.upper
        assert float(cert.upper - Fraction(cert.data["lower"])) <= 1e-6 * float(cert.upper)
    if h == 1.0:
        assert cert.data["lower"] == X.frac_str(Fraction(1, 4 * N + 2))
    if h == 0.1:
        dens = {Fraction(e[2]).denominator for r in cert.data["data"]["rows"] for e in r["A"]}
        assert max(dens) >= 2**50


def test_repair_makes_stationarity_exact_and_keeps_multipliers_nonnegative():
    res = solve_reference(build_t01(5))
    res.lam = res.lam * (1 + 1e-7 * np.random.default_rng(0).standard_normal(len(res.lam)))
    cert = make_certificate(res)
    assert cert.data["method"]["repair"]   # something had to be repaired
    assert all(Fraction(v) >= 0 for v in cert.data["multipliers"].values())
    assert verify_certificate(cert.to_json(), rebuild=None).ok


def test_no_certificate_from_garbage_duals():
    from boundcheck.errors import CertificateError

    res = solve_reference(build_t01(4))
    res.lam = np.zeros_like(res.lam)
    with pytest.raises(CertificateError):
        make_certificate(res)


def test_write_certificate_is_atomic_and_named(tmp_path):
    res = solve_reference(build_t01(2))
    path = write_certificate(res, tmp_path)
    assert path.name == "gd_h=1__smooth-convex_L=1__f-gap__N=2.json"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]   # no temporary left behind
    assert verify_certificate(path, rebuild=None).ok
    assert certificate_filename({"algorithm": "ogm", "function": "smooth-strongly-convex[L=1,mu=0.1]",
                                 "measure": "dist", "N": 5, "init": "fgap[F0=1]"}) == \
        "ogm__smooth-strongly-convex_L=1_mu=0.1__dist__N=5__init=fgap_F0=1.json"


def test_certify_exact_entry_point(tmp_path):
    from boundcheck.pep.build import build
    from boundcheck.pep.solve import solve

    out = certify_exact(solve(build("gd[h=1]", "smooth-convex[L=1]", 4)), tmp_path)
    assert out.report.ok and out.path.is_file() and out.lower == "1/18"
    p, q = out.upper.split("/")
    assert Fraction(int(p), int(q)) >= Fraction(1, 18) and abs(out.rel_gap) < 1e-7


# ------------------------------------------------------------------------------ the PSD proof
def _int_matrix(M):
    return [[int(v) for v in row] for row in M]


def test_psd_proof_accepts_pd_and_refuses_singular_and_indefinite():
    rng = np.random.default_rng(1)
    B = rng.integers(-50, 50, (8, 8))
    M = B.T @ B + np.eye(8, dtype=np.int64)
    assert X.psd_proof(_int_matrix(M), 7).ok
    sing = B[:7].T @ B[:7]                     # rank 7: PSD but singular -> no strict proof
    assert not X.psd_proof(_int_matrix(sing)).ok
    ind = B.T @ np.diag([1, 1, 1, 1, 1, 1, 1, -1]) @ B   # indefinite (B invertible)
    assert np.linalg.eigvalsh(ind.astype(float))[0] < 0
    assert not X.psd_proof(_int_matrix(ind)).ok


def test_psd_proof_drops_exact_zero_rows_and_refuses_a_zero_diagonal_with_coupling():
    M = [[2, 0, 1], [0, 0, 0], [1, 0, 2]]
    pr = X.psd_proof(M)
    assert pr.ok and pr.dropped == [1]
    assert not X.psd_proof([[2, 1, 1], [1, 0, 0], [1, 0, 2]]).ok


def test_psd_proof_agrees_with_exact_leading_minors_on_near_singular_matrices():
    """Matrices with smallest eigenvalue +-1e-9 relative: Sylvester's criterion (exact fraction-free
    LU) and the Gram + diagonal-dominance proof must agree whenever the latter succeeds."""
    pytest.importorskip("flint")
    rng = np.random.default_rng(2)
    for trial in range(6):
        n = 12
        Q = np.linalg.qr(rng.standard_normal((n, n)))[0]
        ev = np.concatenate([[(1e-9 if trial % 2 else -1e-9)], rng.uniform(0.1, 2, n - 1)])
        M = Q @ np.diag(ev) @ Q.T
        Mq = [[Fraction(float(v)).limit_denominator(10**15) for v in row] for row in (M + M.T) / 2]
        num, den = X.to_integer_matrix(Mq)
        minors = X.ldl_leading_minors(num)
        pd = all(m > 0 for m in minors)
        pr = X.psd_proof(num, den)
        if pr.ok:
            assert pd
        assert pd == (trial % 2 == 1)


def test_integer_gram_backends_agree():
    random.seed(3)
    R = [[random.randint(-2**62, 2**62) for _ in range(9)] for _ in range(11)]
    ref = [[sum(R[k][i] * R[k][j] for k in range(11)) for j in range(9)] for i in range(9)]
    assert X.gram_exact(R, "limbs") == ref
    pytest.importorskip("flint")
    assert X.gram_exact(R, "flint") == ref


def test_psd_proof_limb_backend_on_a_certificate_residual():
    d = _load(6)
    rep = verify_certificate(d, rebuild=None)
    assert rep.ok
    # same residual, limb backend
    from boundcheck.pep.certificate_verify import _parse

    n, n_f, C, c, rows, lam = _parse(d)
    S = X.sym_matrix(n, [(w, rows[nm][0]) for nm, w in lam.items()])
    num, den = X.to_integer_matrix(S)
    assert X.psd_proof(num, den, backend="limbs").ok


# -------------------------------------------------------------------------------- the command
def test_check_certificates_command(tmp_path):
    from boundcheck.cli import main

    assert main(["check-certificates", str(CERTS / T01.format(N=3))]) == 0
    good = _load(2)
    bad = copy.deepcopy(good)
    bad["upper"] = X.frac_str(Fraction(good["upper"]) * (1 - Fraction(1, 10**9)))
    (tmp_path / "a.json").write_text(json.dumps(good))
    (tmp_path / "b.json").write_text(json.dumps(bad))
    assert main(["check-certificates", str(tmp_path)]) == 3
    assert main(["check-certificates", str(tmp_path / "missing")]) == 2


def test_check_certificates_prints_one_line_per_certificate(tmp_path, capsys):
    from boundcheck.cli import main

    for N in (1, 2):
        (tmp_path / f"c{N}.json").write_text((CERTS / T01.format(N=N)).read_text())
    assert main(["check-certificates", str(tmp_path), "--no-rebuild"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [ln.split()[0] for ln in out[:2]] == ["OK", "OK"] and "2 certificate(s)" in out[-1]


def test_importing_boundcheck_and_verifying_does_not_load_cvxpy_or_sympy():
    import subprocess

    code = ("import sys, boundcheck\n"
            "from boundcheck.pep.certificate_verify import verify_certificate\n"
            f"assert verify_certificate({str(CERTS / T01.format(N=2))!r}).ok\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('cvxpy', 'sympy', 'clarabel', 'scs')]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_integer_residual_equals_the_fraction_residual():
    rng = random.Random(4)
    n = 6
    terms = []
    for _ in range(20):
        e = {}
        for _ in range(4):
            i, j = sorted((rng.randrange(n), rng.randrange(n)))
            e[(i, j)] = Fraction(rng.randint(-9, 9), rng.choice([1, 2, 3, 8, 1 << 40]))
        terms.append((Fraction(rng.randint(0, 99), rng.choice([1, 7, 1 << 40])), e))
    C = {(0, 0): Fraction(1, 3), (1, 2): Fraction(-5, 2)}
    S = X.sym_matrix(n, terms)
    for (i, j), v in C.items():
        S[i][j] -= v
        if i != j:
            S[j][i] -= v
    num, den = X.sym_matrix_int(n, terms, C)
    assert all(Fraction(num[i][j], den) == S[i][j] for i in range(n) for j in range(n))


def test_single_thread_blas_restores_the_thread_count():
    fns = X.single_thread_blas._lookup()
    before = [g() for g, _ in fns]
    with X.single_thread_blas():
        assert all(g() == 1 for g, _ in fns)
    assert [g() for g, _ in fns] == before


def test_certificate_bench_measures_a_small_case():
    from boundcheck.pep.certificate_bench import measure

    r = measure(3)
    assert r["upper"] >= 1 / 14 and r["rel_to_closed"] < 1e-7 and r["lower"] == "1/14"
    assert r["gram_dd_ok"] and (r["exact_ldl_s"] is None or r["exact_ldl_pd"])


def test_general_repair_when_no_row_has_a_single_F_term():
    """A tiny LP-like PEP: max F0 + F1 s.t. F0 + F1 <= 1, F0 - F1 <= 0, F1 - F0 <= 0, G <= 1."""
    import scipy.sparse as sp

    from boundcheck.pep.problem import PEPProblem, PEPResult

    A = sp.csr_matrix(([1.0], ([3], [0])), shape=(4, 1))
    prob = PEPProblem(n=1, basis=["x0-x*"], f_names=["F0", "F1"], C=sp.csr_matrix((1, 1)),
                      c=np.array([1.0, 1.0]), A=A, B=np.array([[1.0, 1.0], [1.0, -1.0], [-1.0, 1.0], [0, 0]]),
                      r=np.array([1.0, 0.0, 0.0, 1.0]), names=["sum", "d01", "d10", "init"])
    lam = np.array([1 + 3e-9, 2e-10, 1e-10, 0.0])
    res = PEPResult(problem=prob, value=float(lam @ prob.r), primal=1.0, status="optimal", solver="test",
                    lam=lam, S=prob.residual(lam), G=np.zeros((1, 1)), F=np.array([0.5, 0.5]), residuals={})
    cert = make_certificate(res, two_sided=False)
    assert verify_certificate(cert.to_json(), rebuild=None).ok
    assert Fraction(1) <= cert.upper <= Fraction(1) + Fraction(1, 10**8)
    assert all(Fraction(v) >= 0 for v in cert.data["multipliers"].values())


def test_two_sided_by_mixing_with_a_strictly_feasible_point_when_rounding_breaks_tight_cycles():
    """h = 1.9 (T01's quadratic branch): rounding the worst case alone creates a negative cycle."""
    res = solve_reference(build_t01(4, h=1.9))
    cert = make_certificate(res)
    assert cert.data["lower"] is not None and cert.data["lower_note"].startswith("mixed")
    lower = Fraction(cert.data["lower"])
    assert lower <= cert.upper and float(cert.upper - lower) <= 1e-5 * float(cert.upper)
    closed = 0.5 * max(1 / (2 * 4 * 1.9 + 1), (1 - 1.9) ** 8)
    assert float(lower) <= closed * (1 + 1e-9) and float(cert.upper) >= closed * (1 - 1e-9)
    assert verify_certificate(cert.to_json(), rebuild=None).ok


def test_a_relaxed_pep_gets_no_lower_bound():
    res = solve_reference(build_t01(3))
    res.relaxation, res.relaxed_parts = True, ("pretend necessary-only condition",)
    cert = make_certificate(res)
    assert cert.data["lower"] is None and "relaxed" in cert.data["lower_note"]
    assert cert.data["tight"] is False and verify_certificate(cert.to_json(), rebuild=None).ok


def test_exact_certificate_without_a_psd_init_row_when_S_is_zero():
    """Function-value initial condition (T02 shape): no row to shift along; the optimal S is 0 and
    the repair makes sum lam (b, A) = (c, C) exact, so S = 0 exactly."""
    from boundcheck.pep.build import build
    from boundcheck.pep.solve import solve

    res = solve(build("gd[h=1]", "smooth-nonconvex[L=1]", 3, "grad-min", "f-decrease[F0=1]"))
    cert = make_certificate(res)
    assert cert.data["method"]["shift"]["note"].startswith("S = 0")
    rep = verify_certificate(cert.to_json())
    assert rep.ok and rep.rebuilt == "matched", rep.reason
    assert abs(float(cert.upper) - res.value) <= 1e-8 * res.value


def test_psd_proof_with_small_diagonal_entries():
    M = [[1, 1, 0], [1, 3, 1], [0, 1, 2]]         # PD; scaled by 2^-80 all diagonals are tiny
    assert X.psd_proof(M, 1 << 80).ok

"""certify --proof (issue 17): the certificate as a proof. The acceptance case
``certify 'gd[h=1]' --function 'smooth-convex[L=1]' --N 5 --exact --proof p.tex``: the document's
numbers are read back from the LaTeX text alone and, with sympy, its identity
measure - bound = - sum lam_i h_i - <S, G> holds identically, with S = L D L^T as printed, lam >= 0,
D >= 0; its bound is the one certify reports for the proof, 1/22, the exact worst case (equal to the
certificate's lower bound and below its upper bound)."""
import json
import re
import shutil
import subprocess
from fractions import Fraction

import pytest
import sympy as sp

from boundcheck.cli import main

ARGS = ["certify", "gd[h=1]", "--function", "smooth-convex[L=1]", "--N", "5", "--exact"]


@pytest.fixture(scope="module")
def proof(tmp_path_factory):
    d = tmp_path_factory.mktemp("proof")
    rc = main(ARGS + ["--out", str(d / "certs"), "--json", str(d / "c.json"), "--proof", str(d / "p.tex")])
    assert rc == 0
    rc = main(ARGS + ["--out", str(d / "certs"), "--proof", str(d / "p.md")])
    assert rc == 0
    return d, json.loads((d / "c.json").read_text())


def _q(tex: str) -> sp.Rational:
    tex = tex.strip()
    m = re.fullmatch(r"(-?)\\frac\{(\d+)\}\{(\d+)\}", tex)
    if m:
        return sp.Rational(int(m.group(2)), int(m.group(3))) * (-1 if m.group(1) else 1)
    return sp.Rational(int(tex))


class Reader:
    """Reads the expressions of the document back into sympy (G_i_j, F symbols)."""

    def __init__(self, tex: str):
        self.basis = {name.strip(): int(i) for i, name in re.findall(r"\$v_\{(\d+)\} = ([^$]+)\$", tex)}
        self.n = len(self.basis)

    def G(self, a: str, b: str):
        i, j = sorted((self.basis[a.strip()], self.basis[b.strip()]))
        return sp.Symbol(f"G_{i}_{j}")

    def expr(self, tex: str):
        terms = re.findall(r"(^|[+-])\s*((?:\\frac\{\d+\}\{\d+\}|\d+)(?:\\,)?)?\s*"
                           r"(\\\|[^|]+?\\\|\^\{2\}|\\langle .+? \\rangle|f\([^()]*\))?\s*(?=[+-]|$)", tex.strip())
        total, seen = sp.Integer(0), ""
        for sign, coef, atom in terms:
            if not coef and not atom:
                continue
            seen += sign + coef + atom
            w = _q(coef.replace("\\,", "")) if coef else sp.Integer(1)
            if atom.startswith("\\|"):
                v = self.G(atom[2:atom.index("\\|^")], atom[2:atom.index("\\|^")])
            elif atom.startswith("\\langle"):
                a, b = atom[len("\\langle "):-len(" \\rangle")].split(", ")
                v = self.G(a, b)
            elif atom:
                v = sp.Symbol(atom)
            else:
                v = sp.Integer(1)
            total += (-1 if sign == "-" else 1) * w * v
        assert re.sub(r"\s", "", seen) == re.sub(r"\s", "", tex), (seen, tex)  # every character was read
        return total


def read(tex: str):
    r = Reader(tex)
    rows = re.findall(r"h_\{(\d+)\} &:= (.*?) \\ge 0, & \\lambda_\{\d+\} &= (\S+) &&", tex)
    h = [r.expr(e) for _, e, _ in rows]
    lam = [_q(x) for _, _, x in rows]
    m = re.search(r"\\Big\((.*?)\\Big\) - (\S+) = -\\sum_\{i\} \\lambda_i h_i - \\langle S, G \\rangle", tex)
    measure, bound = r.expr(m.group(1)), _q(m.group(2))
    Lm = re.search(r"L = \\begin\{pmatrix\}(.*?)\\end\{pmatrix\}", tex).group(1)
    L = sp.Matrix([[_q(x) for x in row.split(" & ")] for row in Lm.split(" \\\\ ")])
    D = [_q(x) for x in re.search(r"\\operatorname\{diag\}\\left\((.*?)\\right\)", tex).group(1).split(",\\; ")]
    return r, h, lam, measure, bound, L, D


def _identity_residual(r, h, lam, measure, bound, L, D):
    S = L * sp.diag(*D) * L.T
    SG = sum(S[i, j] * sp.Symbol(f"G_{min(i, j)}_{max(i, j)}") for i in range(r.n) for j in range(r.n))
    return sp.expand(measure - bound + sum(l * e for l, e in zip(lam, h)) + SG)


def test_the_latex_identity_is_exactly_the_certified_bound(proof):
    d, doc = proof
    tex = (d / "p.tex").read_text()
    r, h, lam, measure, bound, L, D = read(tex)
    assert r.n == 7 and len(h) == len(lam) >= 5
    # exactly the bound certify reports for the proof, at most the certificate's upper bound, and equal
    # to its lower bound (a feasible point): the exact worst case 1/(4N+2) (Drori-Teboulle)
    assert bound == sp.Rational(doc["proof"]["bound"]) == sp.Rational(doc["lower"]) == sp.Rational(1, 22)
    assert bound <= sp.Rational(doc["upper"])
    assert [x for x in lam[:5]] == [sp.Rational(k, 2 * 5 + 1 - k) for k in range(1, 6)]  # lam_{i,i+1} = (i+1)/(2N-i)
    assert all(x >= 0 for x in lam) and all(x >= 0 for x in D)
    assert all(L[i, i] == 1 for i in range(r.n)) and all(L[i, j] == 0 for i in range(r.n) for j in range(i + 1, r.n))
    assert measure == sp.Symbol("f(x_{\\mathrm{out}})")
    assert _identity_residual(r, h, lam, measure, bound, L, D) == 0


def test_a_changed_multiplier_breaks_the_identity(proof):
    d, _ = proof
    tex = (d / "p.tex").read_text()
    r, h, lam, measure, bound, L, D = read(tex)
    k = max(range(len(lam)), key=lambda i: lam[i])
    lam[k] += sp.Rational(1, 10**6)
    assert _identity_residual(r, h, lam, measure, bound, L, D) != 0
    D[0] += sp.Rational(1, 10**6)
    lam[k] -= sp.Rational(1, 10**6)
    assert _identity_residual(r, h, lam, measure, bound, L, D) != 0


def _tex_engine():
    for e in ("pdflatex", "lualatex", "xelatex", "tectonic"):
        if shutil.which(e):
            return e
    return None


def test_the_latex_compiles_standalone_or_is_well_formed(proof, tmp_path):
    d, _ = proof
    tex = (d / "p.tex").read_text()
    assert tex.startswith("\\documentclass") and tex.rstrip().endswith("\\end{document}")
    assert tex.count("{") == tex.count("}")
    for env in ("document", "align*", "pmatrix"):
        assert tex.count(f"\\begin{{{env}}}") == tex.count(f"\\end{{{env}}}") >= 1
    assert "\\usepackage{amsmath" in tex and "\\blacksquare" in tex
    engine = _tex_engine()
    if engine is None:
        pytest.skip("no TeX engine installed: checked the structure only")
    (tmp_path / "p.tex").write_text(tex)
    args = [engine, "-interaction=nonstopmode", "-halt-on-error", "p.tex"] if engine != "tectonic" else [engine, "p.tex"]
    r = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and (tmp_path / "p.pdf").exists(), r.stdout[-3000:]


def test_markdown_proof_states_the_same_numbers(proof):
    d, doc = proof
    md = (d / "p.md").read_text()
    assert f"<= {doc['proof']['bound']}" in md and "S = L D L^T" in md and "| i | inequality |" in md
    assert md.count("smooth-convex interpolation inequality") >= 5 and "initial condition" in md


def test_proof_needs_exact_and_a_known_extension(tmp_path, capsys):
    assert main(ARGS[:-1] + ["--proof", str(tmp_path / "p.tex")]) == 2
    assert "--proof needs --exact" in capsys.readouterr().err
    assert main(ARGS + ["--proof", str(tmp_path / "p.pdf")]) == 2
    assert ".md or .tex" in capsys.readouterr().err


def test_closed_forms_in_N_are_stated_and_agree_with_the_printed_multipliers(proof):
    d, _ = proof
    tex = (d / "p.tex").read_text()
    assert r"\lambda_{k,k+1} &= \frac{k + 1}{2 N - k}" in tex
    assert r"\text{bound} &= \frac{1}{4 N + 2}" in tex and "held-out $N = 5, 6$" in tex
    assert r"Not recognised" in tex  # lam_{*,k} differs at its end rows: said, not forced
    _, h, lam, _, _, _, _ = read(tex)
    names = re.findall(r"inequality between \$x_\{(\d+)\}\$ and \$x_\{(\d+)\}\$", tex)
    consecutive = [(int(a), lam[i]) for i, (a, b) in enumerate(names) if int(b) == int(a) + 1]
    assert len(consecutive) == 5 and all(v == sp.Rational(k + 1, 2 * 5 - k) for k, v in consecutive)


def test_a_form_that_fails_on_held_out_N_is_not_reported():
    from dataclasses import replace

    from boundcheck.pep.proof_closed import certify_range, recognise

    proofs = certify_range("gd[h=1]", "smooth-convex[L=1]", "f-gap", "dist", 6)
    forms, missed, bound, _ = recognise(proofs)
    assert {f.family for f in forms} == {"init", "interp(k,k+1)"} and bound is not None
    p6 = proofs[6]
    rows = [replace(r, lam=r.lam + (Fraction(1, 1000) if r.name == "interp(2,3)" else 0)) for r in p6.rows]
    forms, missed, _, _ = recognise({**proofs, 6: replace(p6, rows=rows)})
    assert "interp(k,k+1)" in missed and "interp(k,k+1)" not in {f.family for f in forms}

"""Render a ``proof.Proof`` as a standalone LaTeX document or as Markdown (``certify --proof``).

Layout (both formats): the problem and the performance measure; the basis of the Gram matrix;
each inequality used, named (interpolation between two points, initial condition), as
h_i >= 0 with its exact multiplier lam_i; the factor S = L D L^T; the identity
measure - bound = - sum_i lam_i h_i - <S, G> and the one-line conclusion. Expressions are sums of
terms ``coefficient * atom`` with atoms ||v||^2, <v, w>, f values and 1, so that a reader (or
tests/test_proof.py) can re-read every number.
"""
from __future__ import annotations

import re
from fractions import Fraction

from .proof_closed_text import closed_md, closed_tex


def vec_tex(name: str) -> str:
    """'x0-x*' -> 'x_{0} - x_{\\star}', 'g3' -> 'g_{3}', 'f(out)' -> 'f(x_{\\mathrm{out}})'."""
    s = name.replace("out", "\\mathrm{out}")
    s = re.sub(r"([a-z])(\d+)", r"\1_{\2}", s)
    s = re.sub(r"([a-z])\*", r"\1_{\\star}", s)
    s = s.replace("(\\mathrm{out})", "(x_{\\mathrm{out}})")
    return s.replace("-", " - ")


def q_tex(q: Fraction) -> str:
    q = Fraction(q)
    if q.denominator == 1:
        return str(q.numerator)
    return ("-" if q < 0 else "") + f"\\frac{{{abs(q.numerator)}}}{{{q.denominator}}}"


def q_text(q: Fraction) -> str:
    return str(Fraction(q))


def _terms(A: dict, b: dict, r: Fraction, sign_G: int, sign_F: int, basis, f_names) -> list:
    """[(coefficient, atom)] for sign_G <A, G> + sign_F b.F + r; atom None is the constant."""
    out = []
    for (i, j), v in sorted(A.items()):
        w = v * (1 if i == j else 2) * sign_G
        if w:
            out.append((w, ("sq", i) if i == j else ("ip", i, j)))
    for k, v in sorted(b.items()):
        if v:
            out.append((v * sign_F, ("f", k)))
    if r:
        out.append((r, None))
    return out


def _atom(a, basis, f_names, tex: bool) -> str:
    name = (lambda i: vec_tex(basis[i])) if tex else (lambda i: basis[i])
    if a[0] == "sq":
        return f"\\|{name(a[1])}\\|^{{2}}" if tex else f"||{name(a[1])}||^2"
    if a[0] == "ip":
        return f"\\langle {name(a[1])}, {name(a[2])} \\rangle" if tex else f"<{name(a[1])}, {name(a[2])}>"
    return vec_tex(f_names[a[1]]) if tex else f_names[a[1]]


def expr(terms, basis, f_names, tex: bool = True) -> str:
    if not terms:
        return "0"
    parts = []
    for k, (w, a) in enumerate(terms):
        sign = "-" if w < 0 else "+"
        mag = abs(w)
        if a is None:
            body = q_tex(mag) if tex else q_text(mag)
        elif mag == 1:
            body = _atom(a, basis, f_names, tex)
        else:
            body = (q_tex(mag) + "\\," if tex else q_text(mag) + " ") + _atom(a, basis, f_names, tex)
        parts.append((("- " if sign == "-" else "") if k == 0 else f" {sign} ") + body)
    return "".join(parts)


def row_words(name: str, problem: dict) -> str:
    cond = (problem.get("conditions") or ["interpolation"])[0]
    m = re.fullmatch(r"interp\((\w+|\*),(\w+|\*)\)", name)
    if m:
        i, j = (("x_\\star" if t == "*" else f"x_{{{t}}}") for t in m.groups())
        return f"{cond} inequality between ${i}$ and ${j}$"
    if name == "init":
        return f"initial condition ({problem.get('init', 'dist')})"
    return name


def measure_terms(p):
    return _terms(p.C, p.c, Fraction(0), 1, 1, p.basis, p.f_names)


def row_terms(row):
    """h_i = r_i - <A_i, G> - b_i . F."""
    return _terms(row.A, row.b, row.r, -1, -1, None, None)


def matrix_tex(M) -> str:
    return "\\begin{pmatrix}" + " \\\\ ".join(" & ".join(q_tex(x) for x in row) for row in M) + "\\end{pmatrix}"


def latex(p) -> str:
    pr = p.problem
    n = len(p.basis)
    lines = [r"\documentclass[11pt]{article}", r"\usepackage{amsmath,amssymb}", r"\usepackage[margin=2cm]{geometry}",
             r"\allowdisplaybreaks", r"\begin{document}",
             rf"\section*{{Worst case of {tex_escape(pr.get('algorithm'))} on {tex_escape(pr.get('function'))}, "
             rf"$N = {pr.get('N')}$}}",
             r"\paragraph{Claim.} For every function of the class and every run of the method from a start point "
             r"satisfying the initial condition,",
             rf"\[ {expr(measure_terms(p), p.basis, p.f_names)} \;\le\; {q_tex(p.bound)} . \]",
             rf"The left-hand side is the performance measure ({tex_escape(pr.get('measure'))}); $f_\star = 0$ and "
             r"$x_\star$, $g_\star = 0$ are the minimum value, minimizer and its gradient.",
             r"\paragraph{Gram basis.} $G_{ij} = \langle v_i, v_j \rangle$ with "
             + ", ".join(f"$v_{{{i}}} = {vec_tex(b)}$" for i, b in enumerate(p.basis)) + ".",
             r"\paragraph{Inequalities and multipliers.} Each inequality $h_i \ge 0$ holds for every function of "
             r"the class (interpolation) or by the initial condition; $\lambda_i \ge 0$ are exact rationals.",
             r"\begin{align*}"]
    for k, row in enumerate(p.rows):
        lines.append(rf"h_{{{k}}} &:= {expr(row_terms(row), p.basis, p.f_names)} \ge 0, & \lambda_{{{k}}} &= "
                     rf"{q_tex(row.lam)} && \text{{{row_words_tex(row.name, pr)}}} \\")
    lines[-1] = lines[-1].rstrip("\\ ")
    lines += [r"\end{align*}",
              r"\paragraph{The matrix $S = \sum_i \lambda_i A_i - C$ is positive semidefinite.} "
              r"Exactly, $S = L D L^\top$ with $L$ unit lower triangular and $D$ diagonal with nonnegative entries:",
              rf"\[ L = {matrix_tex(p.L)}, \]",
              r"\[ D = \operatorname{diag}\left(" + ",\\; ".join(q_tex(d) for d in p.D) + r"\right). \]",
              r"\paragraph{Identity.} For every $G$ and $f$ values (exact, checked in rational arithmetic):",
              rf"\[ \Big({expr(measure_terms(p), p.basis, p.f_names)}\Big) - {q_tex(p.bound)} "
              r"= -\sum_{i} \lambda_i h_i - \langle S, G \rangle . \]",
              r"\paragraph{Conclusion.} Every $\lambda_i h_i \ge 0$, and $\langle S, G\rangle = "
              r"\sum_k D_{kk} \| \sum_j L_{jk} v_j \|^2 \ge 0$; hence the measure is at most "
              rf"${q_tex(p.bound)} \approx {float(p.bound):.10g}$. $\blacksquare$",
              *closed_tex(p),
              r"\paragraph{Provenance.} " + tex_escape(_provenance(p)),
              r"\end{document}", ""]
    return "\n".join(lines)


def row_words_tex(name, problem) -> str:
    """The row's name in words, for \\text{...} (its points stay in math mode)."""
    return row_words(name, problem)


def tex_escape(s) -> str:
    s = "" if s is None else str(s)
    for a, b in (("\\", r"\textbackslash{}"), ("_", r"\_"), ("%", r"\%"), ("&", r"\&"), ("#", r"\#"),
                 ("{", r"\{"), ("}", r"\}"), ("^", r"\^{}")):
        s = s.replace(a, b)
    return s


def _provenance(p) -> str:
    how = ("the multipliers are simple exact ones found from the certificate (complementary slackness at its "
           "feasible point, or rounding), re-checked exactly"
           if p.simplified else "the multipliers are the exact certificate's own (rounded solver output, "
                                "repaired to satisfy the equations exactly)")
    low = (f"; a feasible point attains {p.lower} exactly" if p.lower is not None else "")
    return (f"boundcheck certify --exact; {how}; the certificate's upper bound is {p.certificate_upper}{low}.")


def markdown(p) -> str:
    pr = p.problem
    out = [f"# Worst case of {pr.get('algorithm')} on {pr.get('function')}, N = {pr.get('N')}", "",
           "**Claim.** For every function of the class and every run from a start point satisfying the initial "
           "condition:", "", f"    {expr(measure_terms(p), p.basis, p.f_names, tex=False)} <= {p.bound}", "",
           f"(measure {pr.get('measure')}; f* = 0, g* = 0 at the minimizer x*; bound = {float(p.bound):.10g})", "",
           "**Gram basis.** G_ij = <v_i, v_j> with " + ", ".join(f"v_{i} = {b}" for i, b in enumerate(p.basis)), "",
           "**Inequalities h_i >= 0 and exact multipliers lambda_i >= 0.**", "",
           "| i | inequality | h_i (>= 0) | lambda_i |", "|---|---|---|---|"]
    for k, row in enumerate(p.rows):
        words = re.sub(r"x_\{(\w+)\}", r"x\1", row_words(row.name, pr)).replace("x_\\star", "x*").replace("$", "")
        out.append(f"| {k} | {words} | "
                   f"`{expr(row_terms(row), p.basis, p.f_names, tex=False)}` | {row.lam} |")
    out += ["", "**S = sum_i lambda_i A_i - C is PSD**: exactly S = L D L^T, L unit lower triangular:", "", "```"]
    out += ["L[%d] = [%s]" % (i, ", ".join(q_text(x) for x in row)) for i, row in enumerate(p.L)]
    out += ["D = diag(" + ", ".join(q_text(d) for d in p.D) + ")", "```", "",
            "**Identity** (exact, for every G and f values):", "",
            f"    ({expr(measure_terms(p), p.basis, p.f_names, tex=False)}) - {p.bound} = "
            f"- sum_i lambda_i h_i - <S, G>", "",
            "**Conclusion.** Each lambda_i h_i >= 0 and <S, G> = sum_k D_kk ||sum_j L_jk v_j||^2 >= 0, so the "
            f"measure is at most {p.bound}.", ""] + closed_md(p) + [f"*Provenance*: {_provenance(p)}", ""]
    return "\n".join(out)


__all__ = ["latex", "markdown", "vec_tex", "expr", "row_words"]

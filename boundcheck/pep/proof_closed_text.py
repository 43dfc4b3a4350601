"""The "closed forms in N" section of a proof document (proof_closed.recognise), LaTeX and Markdown."""
from __future__ import annotations

import re


def family_tex(fam: str) -> str:
    """interp(k,k+1) -> \\lambda_{k,k+1}; interp(*,k) -> \\lambda_{\\star,k}; init -> \\lambda_{\\mathrm{init}}."""
    m = re.fullmatch(r"interp\((.*?),(.*?)\)", fam)
    if m:
        a, b = (t.replace("*", r"\star") for t in m.groups())
        return rf"\lambda_{{{a},{b}}}"
    return rf"\lambda_{{\mathrm{{{fam}}}}}"


def form_tex(f) -> str:
    import sympy as sp

    from .proof_closed import as_fraction

    n, d = as_fraction(f)
    return sp.latex(n) if d == 1 else rf"\frac{{{sp.latex(n)}}}{{{sp.latex(d)}}}"


def form_text(f) -> str:
    from .proof_closed import as_fraction

    n, d = as_fraction(f)
    return f"{n}" if d == 1 else f"({n})/({d})"


def _ns(forms, bound_train):
    tr = forms[0].train if forms else bound_train[0]
    ho = forms[0].held_out if forms else bound_train[1]
    return ", ".join(map(str, tr)), ", ".join(map(str, ho))


def closed_tex(p) -> list:
    if p.closed is None:
        return []
    forms, missed, bound, ns = p.closed
    if not forms and bound is None:
        return [r"\paragraph{Closed forms in $N$.} No pattern recognised across small $N$."]
    tr, ho = _ns(forms, ns)
    rows = [rf"{family_tex(f.family)} &= {form_tex(f.expr)}" for f in forms]
    if bound is not None:
        rows.append(rf"\text{{bound}} &= {form_tex(bound)}")
    out = [r"\paragraph{Closed forms in $N$.} Fitted as rational functions of the row index $k$ and $N$ on "
           rf"$N = {tr}$, and checked exactly on the held-out $N = {ho}$:",
           r"\begin{align*}", " \\\\\n".join(rows), r"\end{align*}"]
    if missed:
        out.append("Not recognised (no single rational form of degree at most 2 fits every $N$): "
                   + ", ".join(f"${family_tex(m)}$" for m in missed) + ".")
    return out


def closed_md(p) -> list:
    if p.closed is None:
        return []
    forms, missed, bound, ns = p.closed
    tr, ho = _ns(forms, ns)
    out = [f"**Closed forms in N** (fitted on N = {tr}, checked exactly on held-out N = {ho}):", ""]
    out += [f"- lambda for {f.family} = `{form_text(f.expr)}`" for f in forms]
    if bound is not None:
        out.append(f"- bound = `{form_text(bound)}`")
    if missed:
        out.append("- not recognised: " + ", ".join(missed))
    return out + [""]


__all__ = ["closed_tex", "closed_md", "family_tex", "form_tex", "form_text"]

"""Formulas and claims for people: presentation MathML (rendered natively by browsers, no CDN),
a plain typographic fallback, and a claim stated in words."""
from __future__ import annotations

import html

KIND_WORDS = {
    "upper": "is at most",
    "lower": "is at least",
    "tight": "equals (worst case over the class)",
}


def mathml(expr, fallback: str = "") -> str:
    """``<math>`` for a sympy expression; the plain text when there is no expression or the printer
    fails (never an exception: a report is written whatever the formula)."""
    if expr is None:
        return f"<code>{html.escape(fallback)}</code>"
    try:
        import sympy as sp

        shown = expr.xreplace({f: sp.Float(f, 6) for f in expr.atoms(sp.Float)})  # 6 digits shown; the text is exact
        body = sp.mathml(shown, printer="presentation")
    except Exception:  # noqa: BLE001 - a printer gap falls back to the text as written
        return f"<code>{html.escape(fallback or str(expr))}</code>"
    alt = html.escape(plain(expr) or fallback, quote=True)
    return f'<math display="inline" alttext="{alt}">{body}</math>'


def plain(expr) -> str:
    """One-line typographic text: ``L·R²/(4·N·h + 2)``."""
    if expr is None:
        return ""
    text = str(expr).replace("**", "^").replace("*", "·")
    sup = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
    out, i = [], 0
    while i < len(text):  # x^2 -> x², only for plain integer exponents
        if text[i] == "^":
            j = i + 1
            while j < len(text) and (text[j].isdigit() or (j == i + 1 and text[j] == "-")):
                j += 1
            if j > i + 1 and text[i + 1:j] != "-":
                out.append(text[i + 1:j].translate(sup))
                i = j
                continue
        out.append(text[i])
        i += 1
    return "".join(out).replace("sqrt", "√")


def _statistic(c) -> str:
    if c.kind == "high_prob":
        return f"with probability at least 1 - {c.delta:g}, {c.metric} at iterate {c.iterate}"
    if c.delta:
        return f"the {1 - c.delta:g}-quantile of {c.metric} at iterate {c.iterate}"
    return f"the expected {c.metric} at iterate {c.iterate}"


def in_words(c) -> str:
    """The claim as a sentence (what is compared with what, over which grid)."""
    over = c.check.over
    pts = ", ".join(f"{x:g}" for x in c.check.points)
    if c.kind == "rate":
        sense = {"upper": "decays at least as fast as", "lower": "decays no faster than"}.get(c.sense, "decays like")
        what = f"{_statistic(c)} {sense} {over}^(exponent) with the exponent below"
    elif c.kind == "compare":
        what = f"a comparison of {c.metric} at iterate {c.iterate} between two settings, by the formula below"
    elif c.kind == "high_prob":
        what = f"{_statistic(c)} is at most the bound below"
    else:
        what = f"{_statistic(c)} {KIND_WORDS.get(c.kind, c.kind)} the bound below"
    return f"{what[0].upper()}{what[1:]}, for {over} in [{pts}]."


__all__ = ["mathml", "plain", "in_words"]

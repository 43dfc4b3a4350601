"""A verify ``Report`` as text: the terminal table, a Markdown report, a log-log plot (PNG).

Pure functions returning strings (``table``, ``markdown``) or writing a file (``plot``); the CLI
prints. One table row per (claim, engine); the CI column is the interval of the reported point
(the slope's bootstrap interval for rate claims, the mean's or quantile's limits otherwise).
"""
from __future__ import annotations

import math

HEADERS = ("claim", "kind", "engine", "measured", "bound", "CI", "verdict", "evidence", "reproduce")


def fmt(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if isinstance(v, float) and math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0:
        return "0"
    a = abs(v)
    return f"{v:.4g}" if 1e-3 <= a < 1e5 else f"{v:.3e}"


_SOURCE = {"paper": "the paper's statement (or a documented weakening of it)",
           "derived": "derived by us from the paper's assumptions, so graded at most moderate",
           "ours": "a constant chosen by us, so it earns no grade (weak)"}


def _kind(c) -> str:
    if c.kind == "high_prob":
        return f"high_prob({c.delta:g})"
    if c.kind == "rate":
        return "rate" + (f"({c.sense})" if c.sense != "equal" else "") + (f"[q{1 - c.delta:g}]" if c.delta else "")
    return c.kind


def _verdict_text(v) -> str:
    if v.verdict == "FAIL" and v.expected == "FAIL":
        return "FAIL (expected)"
    if v.verdict == "PASS" and v.expected == "FAIL":
        return "PASS (UNEXPECTED: expected FAIL)"
    return v.verdict


def _evidence(v) -> str:
    """'WEAK k=inf', 'strong d=0.07' (PASS only): weak passes are upper-cased to stand out."""
    from ..evidence import short

    if v.evidence is None:
        return "-"
    return f"{v.evidence.upper() if v.evidence == 'weak' else v.evidence} {short(v.resolution)}"


def summary_text(report) -> str:
    """'12 PASS (3 weak), 1 FAIL, ...'"""
    s = report.summary()
    return (f"{s['PASS']} PASS ({s['weak']} weak), {s['FAIL']} FAIL, {s['INCONCLUSIVE']} INCONCLUSIVE, "
            f"{s['SKIP']} SKIP; {s['unexpected']} unexpected")


def evidence_lines(r) -> list[str]:
    """Markdown lines explaining a claim's evidence grade in words."""
    from ..evidence import MEANING

    out = []
    if r.evidence is not None:
        meaning = MEANING[r.evidence]
        out.append(f"- evidence: **{r.evidence}**: {r.resolution['statement']}. {meaning[0].upper()}{meaning[1:]}.")
    for e, v in r.engines.items():
        if v.evidence is not None and len(r.engines) > 1:
            out.append(f"  - {e}: {v.evidence}, {v.resolution['statement']}")
    return out


def rows(report) -> list[tuple]:
    out = []
    for r in report.results:
        for e, v in r.engines.items():
            skip = v.verdict == "SKIP"
            ci = "-" if skip or v.ci is None else f"[{fmt(v.ci[0])}, {fmt(v.ci[1])}]"
            at = "" if skip or v.N is None or r.claim.kind == "rate" else f" @{r.claim.check.over}={v.N:g}"
            out.append((r.claim.id, _kind(r.claim), e, "-" if skip else fmt(v.measured) + at,
                        "-" if skip else fmt(v.bound), ci, _verdict_text(v), _evidence(v), r.reproduce))
    return out


def table(report) -> str:
    from ..report.table import render

    return render(HEADERS, rows(report), max_width=90)


def reasons(report) -> list[str]:
    """One line per (claim, engine) with a reason worth reading (SKIP, FAIL, INCONCLUSIVE, notes)."""
    out = []
    for r in report.results:
        for e, v in r.engines.items():
            if v.reason:
                out.append(f"{r.claim.id} ({e}, {v.verdict}): {v.reason}")
        for err in r.errors:
            out.append(f"{r.claim.id}: computation failed: {err}")
        if r.binding is not None and r.binding.unused:
            out.append(f"{r.claim.id}: overrides not applicable to this claim: {', '.join(r.binding.unused)}")
    return out


def budget_line(report) -> str:
    b = report.budget.as_dict()
    return (f"false-alarm budget: {b['statement']} (Bonferroni, {b['per_test_alpha']:.3g} per test; "
            f"exact PEP/deterministic comparisons spend none)")


def markdown(report) -> str:
    from .entries import markdown as entry_summary

    lines = ["# boundcheck verify", "", f"Command: `{report.command}`", "", budget_line(report), ""]
    lines += entry_summary(report.results)  # one row per theorem entry (empty for a single entry)
    lines += ["| " + " | ".join(HEADERS[:-1]) + " | reproduce |", "|" + "---|" * len(HEADERS)]
    for row in rows(report):
        cells = [str(x).replace("|", "\\|") for x in row[:-1]] + [f"`{row[-1]}`"]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "## Claims", ""]
    for r in report.results:
        c, v = r.claim, r.verdict
        lines += [f"### {c.id}: {v.verdict}", "",
                  f"- citation: {c.citation.short()}" + (f", arXiv {c.citation.arxiv}" if c.citation.arxiv else ""),
                  f"- claim: {_kind(c)} of `{c.metric}` at iterate `{c.iterate}`, bound `{c.bound_text}`"
                  + (f", exponent `{c.exponent_text}`" if c.exponent_text else ""),
                  f"- expected: {c.expected}; confidence {c.check.confidence:g}; runs {r.runs}; seed {r.seed}",
                  f"- bound source: {_SOURCE[c.bound_source]}",
                  f"- index convention: {c.check.index}"]
        if r.setting:
            lines.append("- setting (largest grid point): " + "; ".join(f"{k} `{s}`" for k, s in r.setting.items() if s))
        if r.binding is not None and r.binding.values:
            lines.append("- parameters: " + ", ".join(f"{k} = {x:g}" for k, x in r.binding.values.items()))
        for e, ve in r.engines.items():
            lines.append(f"- {e}: {ve.verdict}" + (f", measured {fmt(ve.measured)} vs bound {fmt(ve.bound)}"
                                                    if ve.verdict != "SKIP" else "")
                         + (f" ({ve.reason})" if ve.reason else "") + (f"; method: {ve.method}" if ve.method else ""))
        lines += evidence_lines(r)
        if c.notes.strip():  # why a claim fails or is inconclusive, what was read for its constants
            lines.append("- notes: " + " ".join(c.notes.split()))
        lines += [f"- reproduce: `{r.reproduce}`", ""]
    lines += ["## Evidence grades", "",
              "Every PASS states its resolution: the strengthening of the claim (a factor k on the constant, or a "
              "margin d on the exponent) at which the same data would have FAILed. The grades:", ""]
    from ..evidence import MEANING, THRESHOLDS

    t = THRESHOLDS
    lines += [f"- **strong** (k <= {t['factor']['strong']:g} or d <= {t['exponent']['strong']:g}): {MEANING['strong']}.",
              f"- **moderate** (k <= {t['factor']['moderate']:g} or d <= {t['exponent']['moderate']:g}): "
              f"{MEANING['moderate']}.",
              f"- **weak** (beyond; k = inf when nothing could have been caught): {MEANING['weak']}.", ""]
    lines.append(f"Summary: {summary_text(report)}; exit code {report.exit_code}.")
    return "\n".join(lines) + "\n"


def plot(report, path: str) -> None:
    """One panel per claim that ran, on a fixed layout (report/figures.grid, report/claim_figure):
    the statistic vs N, the verdict's bands, the claimed bound; written atomically in the format
    of the extension (.png, .pdf, .svg)."""
    from ..report.figures import grid

    grid(report.results, report.budget, path)


__all__ = ["table", "rows", "markdown", "plot", "reasons", "budget_line", "fmt", "summary_text", "evidence_lines"]

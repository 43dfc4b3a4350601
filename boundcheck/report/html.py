"""Self-contained HTML reports (no network, no external assets): what a reviewer attaches.

``verify_page(report)``: a summary table sortable by any column (verdict and evidence sort by
severity, not alphabetically), one section per claim (citation, the claim in words and as
MathML, verdict, evidence grade and resolution in words, the figure as inline SVG, the
reproduce command, the notes), then versions, seeds and the false-alarm budget.
``sweep_page(result, svg)``: the sweep table and its phase diagram.

The small inline script sorts tables and records, on ``<body>``, any script error
(``data-errors``) and the rendered size of every figure (``data-plot-sizes``), which the browser
test reads back.
"""
from __future__ import annotations

import html
import json

VERDICT_ORDER = {"FAIL": 0, "INCONCLUSIVE": 1, "SKIP": 2, "PASS": 3}
EVIDENCE_ORDER = {"weak": 0, "moderate": 1, "strong": 2}

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#222;line-height:1.45}
table{border-collapse:collapse;font-size:.88em;width:100%}th,td{border:1px solid #ccc;padding:.25em .5em;
text-align:left;vertical-align:top}th{background:#f0f0f0;cursor:pointer;user-select:none}
th[aria-sort=ascending]::after{content:' \\25B2'}th[aria-sort=descending]::after{content:' \\25BC'}
.PASS{color:#11722b;font-weight:600}.FAIL{color:#b3261e;font-weight:600}.INCONCLUSIVE{color:#a15c00;
font-weight:600}.SKIP{color:#666}.weak{color:#a15c00}section.claim{border-top:2px solid #ddd;margin-top:2em}
code,pre{background:#f6f6f6;padding:.1em .3em;font-size:.9em}pre{white-space:pre-wrap;padding:.5em}
figure.plot{margin:1em 0}figure.plot svg{max-width:100%;height:auto;display:block}
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:600}dd{margin:0}
math{font-size:1.15em}
"""

SCRIPT = """
(function(){var errs=[];window.addEventListener('error',function(e){errs.push(String(e.message));
document.body.setAttribute('data-errors',JSON.stringify(errs));});
function key(td){var k=td.getAttribute('data-sort');return k===null?td.textContent.trim():k;}
document.querySelectorAll('table.sortable').forEach(function(t){t.querySelectorAll('th').forEach(function(th,i){
th.addEventListener('click',function(){var asc=th.getAttribute('aria-sort')!=='ascending';
t.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',asc?'ascending':'descending');var body=t.tBodies[0];
var rows=Array.prototype.slice.call(body.rows);rows.sort(function(a,b){var x=key(a.cells[i]),y=key(b.cells[i]);
var nx=parseFloat(x),ny=parseFloat(y);var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return asc?c:-c;});
rows.forEach(function(r){body.appendChild(r);});});});});
var sizes={};document.querySelectorAll('figure.plot').forEach(function(f){var s=f.querySelector('svg');
var r=s?s.getBoundingClientRect():{width:0,height:0};sizes[f.getAttribute('data-claim')]=[r.width,r.height];});
document.body.setAttribute('data-plot-sizes',JSON.stringify(sizes));
document.body.setAttribute('data-errors',JSON.stringify(errs));})();
"""


def esc(x) -> str:
    return html.escape("" if x is None else str(x))


def page(title: str, body: list[str]) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width\"><title>{esc(title)}</title>"
            f"<style>{CSS}</style></head>\n<body>\n" + "\n".join(body) + f"\n<script>{SCRIPT}</script>\n</body></html>\n")


def table(headers, rows, sort_keys=None) -> str:
    """``rows``: lists of HTML cells; ``sort_keys``: the same shape, a sort key or None per cell."""
    out = ['<table class="sortable"><thead><tr>' + "".join(f"<th>{esc(h)}</th>" for h in headers)
           + "</tr></thead><tbody>"]
    for i, row in enumerate(rows):
        keys = sort_keys[i] if sort_keys else [None] * len(row)
        out.append("<tr>" + "".join(f"<td{'' if k is None else f' data-sort={json.dumps(str(k))}'}>{c}</td>"
                                     for c, k in zip(row, keys)) + "</tr>")
    return "\n".join(out) + "</tbody></table>"


def _evidence_cell(v) -> tuple[str, str | None]:
    from ..evidence import short

    if v.evidence is None:
        return "-", "-1"
    return (f'<span class="{esc(v.evidence)}">{esc(v.evidence)}</span> {esc(short(v.resolution))}',
            str(EVIDENCE_ORDER[v.evidence]))


def _summary(report) -> str:
    from ..verify.render import _kind, _verdict_text, fmt

    rows, keys = [], []
    for r in report.results:
        for e, v in r.engines.items():
            skip = v.verdict == "SKIP"
            ev, evk = _evidence_cell(v)
            rows.append([f'<a href="#{esc(r.claim.id)}">{esc(r.claim.id)}</a>', esc(_kind(r.claim)), esc(e),
                         "-" if skip else esc(fmt(v.measured)), "-" if skip else esc(fmt(v.bound)),
                         f'<span class="{esc(v.verdict)}">{esc(_verdict_text(v))}</span>', ev])
            keys.append([None, None, None, None if skip else v.measured, None if skip else v.bound,
                         VERDICT_ORDER[v.verdict], evk])
    return table(("claim", "kind", "engine", "measured", "bound", "verdict", "evidence"), rows, keys)


def _entries(report) -> str:
    """The per-entry summary (verify/entries.py), or nothing for a run with one entry."""
    from ..verify.entries import HEADERS, table_rows

    rows = table_rows(report.results)
    if len(rows) < 2:
        return ""
    order = {g: i for i, g in enumerate(("weak", "none", "moderate", "strong"))}
    cells = [[esc(x) for x in r] for r in rows]
    keys = [[None, None, order.get(r[2]), None, None] for r in rows]
    return "<h2>Summary by entry</h2>" + table(HEADERS, cells, keys)


def _claim_section(r, budget) -> str:
    from ..evidence import MEANING
    from .figures import claim_svg
    from ..verify.render import fmt
    from .mathtext import in_words, mathml

    c, v = r.claim, r.verdict
    cit = c.citation
    link = f' <a href="https://arxiv.org/abs/{esc(cit.arxiv)}">arXiv {esc(cit.arxiv)}</a>' if cit.arxiv else ""
    items = [("citation", f"{esc(cit.authors)} ({cit.year}), <i>{esc(cit.title)}</i>, {esc(cit.theorem)}"
              + (f", {esc(cit.venue)}" if cit.venue else "") + link),
             ("claim", esc(in_words(c))),
             ("bound" if c.kind != "rate" else "rate", mathml(c.bound, c.bound_text)
              + f" <code>{esc(c.bound_text)}</code>")]
    if c.exponent_text:
        items.append(("exponent", mathml(c.exponent, c.exponent_text) + f" <code>{esc(c.exponent_text)}</code>"))
    if r.binding is not None and r.binding.values:
        items.append(("parameters", esc(", ".join(f"{k} = {x:g}" for k, x in r.binding.values.items()))))
    items.append(("verdict", f'<span class="{esc(v.verdict)}">{esc(v.verdict)}</span> (expected {esc(c.expected)})'))
    for e, ve in r.engines.items():
        txt = esc(ve.verdict) + ("" if ve.verdict == "SKIP" else f": measured {esc(fmt(ve.measured))} vs bound "
                                 f"{esc(fmt(ve.bound))}") + (f"; {esc(ve.reason)}" if ve.reason else "")
        items.append((f"engine {e}", txt + (f"<br><small>method: {esc(ve.method)}</small>" if ve.method else "")))
    if r.evidence is not None:
        items.append(("evidence", f'<b class="{esc(r.evidence)}">{esc(r.evidence)}</b>: '
                                  f"{esc(r.resolution['statement'])}. {esc(MEANING[r.evidence][0].upper() + MEANING[r.evidence][1:])}."))
    else:
        items.append(("evidence", "none graded (only a PASS carries an evidence grade)"))
    items.append(("runs, seed", f"{r.runs} run{'s' if r.runs != 1 else ''}, seed {r.seed}; index convention: "
                                f"{esc(c.check.index)}"))
    if r.setting:
        items.append(("setting", esc("; ".join(f"{k} {s}" for k, s in r.setting.items() if s))))
    for err in r.errors:
        items.append(("computation", esc(err)))
    if c.notes.strip():
        items.append(("notes", esc(" ".join(c.notes.split()))))
    items.append(("reproduce", f"<pre>{esc(r.reproduce)}</pre>"))
    fig = (f'<figure class="plot" data-claim="{esc(c.id)}">{claim_svg(r, budget)}</figure>' if r.data
           else "<p><i>No plot: the claim did not run (see the verdict).</i></p>")
    dl = "".join(f"<dt>{esc(k)}</dt><dd>{val}</dd>" for k, val in items)
    head = f"{esc(c.id)}: {esc(c.title)}" if c.title else esc(c.id)
    return f'<section class="claim" id="{esc(c.id)}"><h2>{head}</h2><dl>{dl}</dl>{fig}</section>'


def verify_page(report) -> str:
    from ..evidence import MEANING
    from ..verify.core import _versions
    from ..verify.render import budget_line, summary_text

    b = report.budget
    body = ["<h1>boundcheck verify</h1>", f"<p>Command: <code>{esc(report.command)}</code></p>",
            f"<p><b>{esc(summary_text(report))}</b>; exit code {report.exit_code}.</p>",
            f"<p>{esc(budget_line(report))}. Each statistical test runs at level {b.per_test_alpha:.3g}; "
            f"bands in the plots are these intervals (simultaneous coverage at least {1 - b.family_alpha:g}).</p>",
            _entries(report),
            "<h2>Summary</h2><p>Click a column to sort (verdict: FAIL first; evidence: weak first).</p>",
            _summary(report)]
    body += [_claim_section(r, b) for r in report.results]
    body += ["<h2>Evidence grades</h2><ul>"] + [f"<li><b>{g}</b>: {esc(MEANING[g])}.</li>" for g in MEANING] + ["</ul>"]
    seeds = "; ".join(f"{r.claim.id}: {r.seed}" for r in report.results)
    vers = ", ".join(f"{k} {v}" for k, v in _versions().items())
    body += ["<h2>Versions, seeds, budget</h2><dl>",
             f"<dt>versions</dt><dd>{esc(vers)}</dd>", f"<dt>seeds</dt><dd>{esc(seeds)}</dd>",
             f"<dt>false-alarm budget</dt><dd>{esc(json.dumps(b.as_dict()))}</dd></dl>"]
    return page("boundcheck verify report", body)


def sweep_page(headers, rows, svg: str | None, title: str, lines: list[str]) -> str:
    """The sweep table (plain cells) and, when given, its figure as inline SVG."""
    body = [f"<h1>{esc(title)}</h1>"] + [f"<p>{esc(s)}</p>" for s in lines]
    cells = [[esc(x) for x in r] for r in rows]
    keys = [[x if isinstance(x, (int, float)) else None for x in r] for r in rows]
    body.append(table(headers, cells, keys))
    if svg:
        body.append(f'<figure class="plot" data-claim="sweep">{svg}</figure>')
    return page(title, body)


__all__ = ["verify_page", "sweep_page", "page", "table"]

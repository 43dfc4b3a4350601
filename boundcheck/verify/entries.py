"""The per-entry summary of a verify run: one row per theorem entry (T01, T02, ...).

A claim belongs to the entry named by the leading token of its id (``T04-fgm-lamN`` -> ``T04``;
an id without a dash is its own entry). For each entry the row gives

* its claims (how many, and how many are negative controls, i.e. expected to FAIL);
* the best evidence grade among its claims that PASSed as expected (``none`` when none did);
* the verdicts, counted (``3 PASS, 1 FAIL (expected)``);
* in one line, what the check would have caught: the resolution statement of its best PASS, and
  the negative controls that did FAIL, which show the check can refute.

The grade is the claim's own (its thresholds, evidence.py); a PASS of a claim expected to FAIL is
unexpected and is not counted as evidence.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from .. import evidence

_ENTRY = re.compile(r"^([A-Za-z]*\d+[A-Za-z]?)(?:-|$)")


def entry_of(claim_id: str) -> str:
    """'T04-fgm-lamN' -> 'T04'; 'my-claim' -> 'my' (the leading token before the first dash)."""
    m = _ENTRY.match(claim_id)
    return m.group(1) if m else claim_id.split("-", 1)[0]


@dataclass
class EntryRow:
    entry: str
    claims: list = field(default_factory=list)  # ClaimResult
    best_grade: str = "none"
    best_claim: str | None = None
    best_statement: str = ""
    best_value: float = math.inf  # the best PASS's resolution (factor k or margin d)
    controls_failed: list = field(default_factory=list)  # ids of expected FAILs that FAILed
    verdicts: Counter = field(default_factory=Counter)

    @property
    def n_controls(self) -> int:
        return sum(1 for r in self.claims if r.claim.expected == "FAIL")

    def verdict_text(self) -> str:
        order = ("PASS", "FAIL (expected)", "FAIL", "INCONCLUSIVE", "SKIP", "unexpected")
        return ", ".join(f"{self.verdicts[k]} {k}" for k in order if self.verdicts.get(k))

    def caught_text(self) -> str:
        parts = []
        if self.best_claim is not None:
            parts.append(f"{self.best_claim}: {self.best_statement}")
        if self.controls_failed:
            parts.append("negative control" + ("s " if len(self.controls_failed) > 1 else " ")
                         + ", ".join(self.controls_failed) + " FAILed as expected")
        return "; ".join(parts) if parts else "nothing: no claim of this entry PASSed"


def _verdict_key(r) -> str:
    v = r.verdict
    if v is None:
        return "SKIP"
    if v.unexpected:
        return "unexpected"
    if v.verdict == "FAIL" and r.claim.expected == "FAIL":
        return "FAIL (expected)"
    return v.verdict


def _grade(r) -> tuple[str | None, float]:
    """The claim's grade and resolution value, for a claim that PASSed as expected."""
    v = r.verdict
    if v is None or v.verdict != "PASS" or r.claim.expected != "PASS":
        return None, math.inf
    res = r.resolution
    if res is None:
        return "weak", math.inf
    grade = r.claim.thresholds.grade(res)
    value = evidence.Resolution.from_dict(res).value
    return grade, value


def summarise(results) -> list[EntryRow]:
    """One EntryRow per entry, in the order entries first appear (catalogue order sorted by id)."""
    rows: dict[str, EntryRow] = {}
    for r in results:
        row = rows.setdefault(entry_of(r.claim.id), EntryRow(entry_of(r.claim.id)))
        row.claims.append(r)
        key = _verdict_key(r)
        row.verdicts[key] += 1
        if key == "FAIL (expected)":
            row.controls_failed.append(r.claim.id)
        grade, value = _grade(r)
        if grade is None:
            continue
        rank = evidence.GRADES.index(grade)
        best_rank = evidence.GRADES.index(row.best_grade) if row.best_grade in evidence.GRADES else 99
        if rank < best_rank or (rank == best_rank and row.best_claim is not None and value < row.best_value):
            row.best_grade, row.best_claim = grade, r.claim.id
            row.best_statement = (r.resolution or {}).get("statement", "could not have caught an error of any size")
            row.best_value = value
    return sorted(rows.values(), key=lambda x: _sort_key(x.entry))


def _sort_key(entry: str):
    m = re.match(r"^([A-Za-z]*)(\d+)", entry)
    return (m.group(1), int(m.group(2)), entry) if m else ("~", 0, entry)


HEADERS = ("entry", "claims", "best evidence", "verdicts", "what the check would have caught")


def table_rows(results, summary: list[EntryRow] | None = None) -> list[tuple[str, ...]]:
    """The table's cells, one tuple per entry (``summary``: summarise(results), when already made)."""
    out = []
    for row in summary if summary is not None else summarise(results):
        n = len(row.claims)
        claims = f"{n}" + (f" ({row.n_controls} negative control{'s' if row.n_controls > 1 else ''})"
                           if row.n_controls else "")
        out.append((row.entry, claims, row.best_grade, row.verdict_text(), row.caught_text()))
    return out


def markdown(results) -> list[str]:
    """The summary table as Markdown lines (header included), or [] for a run with one entry."""
    summary = summarise(results)
    rows = table_rows(results, summary)
    if len(rows) < 2:
        return []
    lines = ["## Summary by entry", "",
             "One row per theorem entry: its claims, the best evidence grade among those that PASSed as "
             "expected, the verdicts, and what the check would have caught.", "",
             "| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    for row in rows:
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |")
    strong = sum(1 for r in summary if r.best_grade == "strong")
    lines += ["", f"{strong} of {len(rows)} entries have a PASS graded strong.", ""]
    return lines


__all__ = ["entry_of", "summarise", "table_rows", "markdown", "HEADERS", "EntryRow"]

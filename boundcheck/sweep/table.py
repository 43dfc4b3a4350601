"""The sweep's tidy table: one row per (grid point, claim), written as CSV atomically.

Columns: the grid keys (one column each, in --grid order), then the claim's verdict and what
was measured (``measured``/``bound``: the fitted and the claimed exponent for rate claims, else
the statistic and the bound at the reported point ``at``; ``ci_low``/``ci_high`` at the sweep's
per-test level), how (``metric``, ``iterate``, ``index``: the iterate and index convention;
``runs``, ``seed``, ``per_test_alpha``, ``tests``: the Bonferroni family of the whole sweep),
the bound parameters and engine setting (JSON), ``not_applicable`` (swept keys that do not reach
this claim), kernel hashes, reasons, the evidence grade of a PASS with its resolution (the factor k
or exponent margin at which the same data would have FAILed, empty when infinite or not a PASS;
``resolution_kind`` says which), and the command that recomputes the row.
Floats are written in their shortest round-trip form, so the CSV is identical for identical rows.
"""
from __future__ import annotations

import csv
import io
from typing import Sequence

from ..atomic import write_text

COLUMNS = ("claim", "kind", "verdict", "expected", "unexpected", "judged", "measured", "bound", "ci_low",
           "ci_high", "p_value", "at", "over", "metric", "iterate", "index", "sense", "engine", "runs", "seed",
           "confidence", "per_test_alpha", "tests", "params", "setting", "not_applicable", "kernel_hashes",
           "errors", "reason", "evidence", "resolution", "resolution_kind", "reproduce")


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(v)
    return str(v)


def to_csv(rows: Sequence[dict], keys: Sequence[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    cols = list(keys) + [c for c in COLUMNS if c not in keys]  # a swept seed/runs is one column
    w.writerow(cols)
    for r in rows:
        w.writerow([_cell(r.get(c)) for c in cols])
    return buf.getvalue()


def write_csv(rows: Sequence[dict], keys: Sequence[str], path: str) -> None:
    write_text(path, to_csv(rows, keys))


__all__ = ["COLUMNS", "to_csv", "write_csv"]

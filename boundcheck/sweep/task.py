"""One unit of sweep work: one claim at one grid point, run exactly as ``verify`` runs it.

A ``Task`` is plain data (picklable, JSON-able) and carries the claim's catalogue file *content*,
so a Dask worker on another machine needs only an installed boundcheck, not this file system.
``run_task`` is what a worker executes: parse the catalogue text (cached per process), then
``verify_claims([claim], overrides, runs, seed, budget_tests, explore)``: the same binding, engine,
seeds and statistics as ``boundcheck verify``; the result is one table row (a dict of plain values).

Determinism: the row depends only on the task (per-run counter-seeded streams make the engine's
numbers independent of the thread count and of the process), so every executor gives the same
rows bit for bit; the worker's ``code_fingerprint`` travels with the row so the client can refuse
rows computed by other code.
"""
from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Task:
    claim_id: str
    file: str  # the catalogue file the claim came from (messages, reproduce commands)
    toml: str  # that file's content
    overrides: dict = field(default_factory=dict)  # verify overrides, as verify.parse_overrides makes them
    runs: int | None = None  # None: the claim's own
    seed: int | None = None  # None: the claim's own
    budget_tests: int = 1  # tests in the sweep's family (Bonferroni over the whole sweep)
    explore: bool = True  # measure (without judging) outside the claim's check regime
    require_evidence: str | None = None  # a PASS graded below this is INCONCLUSIVE (verify --require-evidence)

    def key(self, fingerprint: str) -> str:
        """Content hash of everything that determines the row (see cache.py)."""
        doc = asdict(self)
        doc["toml"] = hashlib.sha256(self.toml.encode()).hexdigest()
        doc["overrides"] = sorted((k, repr(v)) for k, v in self.overrides.items())
        doc["fingerprint"] = fingerprint
        if doc["require_evidence"] is None:  # keys of tasks without the option are unchanged
            del doc["require_evidence"]
        plugins = _plugin_digest(self.file)
        if plugins:  # the folder's plugin code (boundcheck/plugins/): an edit never serves an old row
            doc["plugins"] = plugins
        return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def _plugin_digest(file: str) -> str | None:
    """sha256 over the *.py files (plugins and their helpers) of the claims file's folder, or None."""
    from pathlib import Path

    folder = Path(file).parent
    pys = sorted(folder.glob("*.py")) if folder.is_dir() else []
    if not pys:
        return None
    h = hashlib.sha256()
    for p in pys:
        h.update(p.name.encode() + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


@functools.lru_cache(maxsize=32)
def _claims(file: str, toml: str) -> dict:
    from pathlib import Path

    from ..claims.loader import load_text
    from ..plugins.discover import load_folder

    if Path(file).parent.is_dir():  # a worker on the same file system: the folder's plugins first
        load_folder(Path(file).parent)
    return {c.id: c for c in load_text(toml, file)}


def _num(x):
    if x is None:
        return None
    x = float(x)
    return x if x == x and abs(x) != float("inf") else None


def run_task(task: Task, numba_threads: int | None = None) -> dict:
    """Run one task; returns {"row": {...}, "fingerprint": ...}. ``numba_threads`` caps the
    engine's threads in this process (sweep workers use 1: parallelism comes from processes)."""
    if numba_threads:
        import numba

        numba.set_num_threads(min(int(numba_threads), numba.config.NUMBA_NUM_THREADS))
    from ..verify import verify_claims
    from .fingerprint import code_fingerprint

    claim = _claims(task.file, task.toml)[task.claim_id]
    rep = verify_claims([claim], dict(task.overrides), runs=task.runs, seed=task.seed,
                        budget_tests=task.budget_tests, explore=task.explore,
                        require_evidence=task.require_evidence)
    r = rep.results[0]
    v = r.verdict
    b = r.binding
    row = {
        "claim": claim.id, "kind": claim.kind, "verdict": v.verdict, "expected": claim.expected,
        "unexpected": bool(r.unexpected), "judged": v.verdict != "SKIP",
        "measured": _num(v.measured), "bound": _num(v.bound),
        "ci_low": _num(v.ci[0]) if v.ci else None, "ci_high": _num(v.ci[1]) if v.ci else None,
        "p_value": _num(v.p_value), "at": _num(v.N), "over": claim.check.over,
        "metric": claim.metric, "iterate": claim.iterate, "index": claim.check.index,
        "sense": claim.sense if claim.kind == "rate" else None, "engine": v.engine,
        "runs": r.runs, "seed": r.seed, "confidence": claim.check.confidence,
        "per_test_alpha": rep.budget.per_test_alpha, "tests": rep.budget.tests,
        "params": json.dumps(dict(b.values), sort_keys=True) if b is not None else None,
        "setting": json.dumps(r.setting, sort_keys=True) if r.setting else None,
        "kernel_hashes": ",".join(r.kernels), "errors": "; ".join(r.errors), "reason": v.reason,
        "evidence": r.evidence, "resolution": _num((r.resolution or {}).get("value")),
        "resolution_kind": (r.resolution or {}).get("kind"),
    }
    return {"row": row, "fingerprint": code_fingerprint()}


def worker_fingerprint() -> str:
    """Run on every Dask worker before a sweep (Client.run): the worker's boundcheck code."""
    from .fingerprint import code_fingerprint

    return code_fingerprint()


__all__ = ["Task", "run_task", "worker_fingerprint"]

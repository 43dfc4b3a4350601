"""Resolution and evidence at the claim level of a verify run.

* A claim's resolution is the finest (smallest factor or margin) over the engines that passed;
  FAIL, SKIP and INCONCLUSIVE claims carry none (claims/resolution.py computes each engine's).
* ``--require-evidence strong|moderate``: an engine PASS graded below the requirement becomes
  INCONCLUSIVE, saying which grade it had and what it could have caught; the claim stays PASS when
  its best engine meets the requirement, and becomes INCONCLUSIVE otherwise.
* A PEP relaxation cannot refute an upper bound (exceeding it proves nothing, the FAIL would be
  reported INCONCLUSIVE), so its PASS could not have caught any error: infinite resolution.
"""
from __future__ import annotations

from dataclasses import replace

from .. import evidence


def check_required(required: str | None) -> None:
    from ..errors import ParamError

    if required is not None and required not in evidence.GRADES[:2]:
        raise ParamError(f"--require-evidence must be strong or moderate (got {required!r})")


def _passing(res) -> list:
    return [v for v in res.engines.values() if v.verdict == "PASS" and v.resolution is not None]


def claim_resolution(res) -> dict | None:
    """The claim's resolution (a JSON dict), or None unless the claim PASSed."""
    if res.verdict is None or res.verdict.verdict != "PASS":
        return None
    best = evidence.strongest(v.resolution for v in _passing(res))
    return best.as_dict() if best is not None else None


def _demote(v, grade: str, required: str):
    r = v.resolution or {}
    why = (f"evidence {grade} is below the required {required} ({r.get('statement', 'no resolution')})"
           + (f"; {v.reason}" if v.reason else ""))
    return replace(v, verdict="INCONCLUSIVE", reason=why, resolution=None, evidence=None)


def require(res, required: str | None) -> None:
    """Apply ``--require-evidence`` to one ClaimResult in place (see the module docstring)."""
    if required is None or res.verdict is None or res.verdict.verdict != "PASS":
        return
    best = None
    for v in _passing(res):
        if best is None or evidence.Resolution.from_dict(v.resolution).value < \
                evidence.Resolution.from_dict(best.resolution).value:
            best = v
    grade = res.claim.thresholds.grade(best.resolution) if best is not None else None
    claim_ok = evidence.meets(grade, required)
    old = res.verdict
    for e, v in list(res.engines.items()):
        if v.verdict == "PASS" and not evidence.meets(v.evidence, required):
            res.engines[e] = _demote(v, v.evidence or "none", required)
    if claim_ok:
        res.verdict = best
    else:
        res.verdict = _demote(best or old, grade or "none", required)


def relaxed(v, claim) -> None:
    """Mark a PASS of a PEP relaxation on an upper or rate claim: it could not have FAILed."""
    from ..claims.resolution import unfalsifiable

    r = unfalsifiable(claim.kind, "the PEP is a relaxation, so exceeding a stronger bound would prove nothing")
    v.resolution, v.evidence = r.as_dict(), claim.thresholds.grade(r)


__all__ = ["claim_resolution", "require", "check_required", "relaxed"]

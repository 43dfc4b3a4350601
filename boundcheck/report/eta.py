"""Weights for verify's progress bar: each claim's estimated time from the cost model
(verify/cost.py, budget.py), so that the bar's time left reflects what remains, not a claim count.

The cost model is optimistic (it leaves out compilation and start-up), but only the *ratios*
matter here: tqdm divides the remaining estimated work by the rate observed so far. When a claim
cannot be estimated (its binding fails: verify reports that itself), no weights are used and the
bar counts claims.
"""
from __future__ import annotations

from typing import Mapping, Sequence

FLOOR_S = 0.05  # a claim that skips or costs nothing measurable still takes a moment


def claim_weights(claims: Sequence, overrides: Mapping, runs: int | None) -> list[float] | None:
    from ..errors import BoundcheckError
    from ..verify.core import overrides_for
    from ..verify.cost import estimate

    out = []
    for c in claims:
        try:
            b = c.bind(overrides_for(c, overrides))
            if b.skip_reason:
                out.append(FLOOR_S)
                continue
            r = 1 if c.deterministic else (runs or c.check.runs)
            out.append(max(FLOOR_S, float(estimate(b, r, c.engines).seconds)))
        except (BoundcheckError, ValueError, ZeroDivisionError):
            return None
    return out


__all__ = ["claim_weights", "FLOOR_S"]

"""What a claim's check will cost, estimated before ``verify`` runs anything (boundcheck/budget.py).

``precheck(bound, runs)`` is called with every bound claim before the first one runs:

* memory: a claim whose instance or Monte Carlo state, or whose PEP, cannot fit in the memory limit
  is a ``SizeError`` (exit 2, one line naming the claim, the estimate and the limit);
* time: the claim's ``budget_s`` (its [check] table, default 30 s) is the stated time budget of its
  check. When the *optimistic* estimate of its engines' time (budget.py's cost model: a lower
  estimate, so nothing that could fit is refused) exceeds ``budget_s``, the claim is not started:
  ``precheck`` returns the reason, and verify reports the claim INCONCLUSIVE with it (exit 3: the
  check cannot answer within its budget). Raise ``budget_s`` in the claim, or lower the runs or N.
  The estimate leaves out one-off costs (kernel compilation, start-up).
"""
from __future__ import annotations

from .. import budget


def _mc(b, runs: int) -> budget.Estimate:
    from .. import registry

    c = b.claim
    pts = [float(x) for x in b.points]
    if c.check.over == "N":
        st = b.setting(int(max(pts)))
        step_sum = sum(pts) if b.horizon_dependent else max(pts)
    else:
        st = b.setting_at(pts[-1])
        step_sum = float(c.check.N[0]) * (len(pts) if b.horizon_dependent else 1)
    fname, fp = st["function"]
    cls = registry.functions.get(fname)
    p = cls.validate({(k[9:] if k.startswith("function.") else k): v for k, v in fp.items()})
    _, ap = st["algorithm"]
    batch = int(ap.get("batch", 1)) if st.get("noise") is not None else 1
    est = budget.monte_carlo(cls, p, step_sum, runs, len(pts), batch)
    est.what = f"claim '{c.id}' (mc): {est.what}"
    return est


def _pep(b) -> budget.Estimate:
    c = b.claim
    if c.check.over != "N":  # the PEP engine SKIPs such claims
        return budget.Estimate(f"claim '{c.id}' (pep)")
    total = budget.Estimate(f"claim '{c.id}' (pep)")
    for N in b.points:
        part = budget.pep(int(N))
        part.what = f"claim '{c.id}' (pep): {part.what}"
        budget.check_memory(part, "lower the claim's N")
        total = budget.Estimate(total.what, max(total.bytes, part.bytes), total.seconds + part.seconds,
                                [f"PEP at N = {', '.join(str(int(n)) for n in b.points)}"])
    return total


def estimate(b, runs: int, engines) -> budget.Estimate:
    """The claim's estimate over its engines (peak memory, summed time)."""
    total = budget.Estimate(f"claim '{b.claim.id}'")
    for e in engines:
        part = _mc(b, runs) if e == "mc" else _pep(b) if e == "pep" else None
        if part is not None:
            budget.check_memory(part, "lower --runs (or the claim's runs), N or d")
            total = total + part
    return total


def precheck(bound, runs_override: int | None) -> dict[str, str]:
    """Check every (claim, binding, engines) before anything runs; return claim id -> the reason it
    exceeds its budget_s (those claims are reported INCONCLUSIVE, not run)."""
    over = {}
    for c, b, es in bound:
        if b.skip_reason and not b.outside_regime_only:  # outside the regime it is still measured
            continue
        runs = 1 if c.deterministic else (runs_override or c.check.runs)
        est = estimate(b, runs, es)
        if est.seconds > c.check.budget_s:
            over[c.id] = (f"not run: the check would take at least {budget.fmt_seconds(est.seconds)} "
                          f"({'; '.join(est.parts)}), over the claim's budget_s = {c.check.budget_s:g} s "
                          f"(raise budget_s in its [check] table, or lower the runs or N)")
    return over


__all__ = ["estimate", "precheck"]

"""``verify`` on the PEP's own worst case, and refutation of a claim by a relaxed PEP plus replay.

1. A claim whose function setting says ``instance = "pep-worst"`` runs the Monte Carlo engine on
   the function the PEP engine's worst case rebuilds to (pep/worst_instance.py), at every N of the
   grid: the generator's ``algorithm``, ``N``, ``measure`` and ``init`` are filled in here from the
   claim (its algorithm setting, the PEP measure of its metric@iterate, its initial condition), as
   pep_engine.py builds the PEP, so both engines check the same function. Values the claim gives
   for those four keys are overwritten: they are not the user's to choose.
2. A relaxed PEP (a class given by necessary conditions only) whose value exceeds an upper claim
   proves nothing by itself (INCONCLUSIVE). ``refute`` rebuilds that worst case as a function and
   replays the method on it (pep/replay.py): when the run attains the PEP value on a function that
   passes the class's self-check, and that value exceeds the bound, the claim FAILs with the
   function as the counterexample. Otherwise it stays INCONCLUSIVE, with the replay's reason.
"""
from __future__ import annotations

WORST = "pep-worst"


def uses(b) -> bool:
    """Does the claim's function setting select the pep-worst instance?"""
    comp = b.claim.setting.get("function")
    return comp is not None and str(comp.values.get("instance", "")) == WORST


def mc_setting(b, st: dict, N: int) -> dict:
    """The setting at horizon N with the pep-worst generator's keys filled in from the claim."""
    from ..engine.problem import canonical
    from .pep_engine import _init_spec, measure_for

    fname, fp = st["function"]
    if str(fp.get("instance")) != WORST:
        return st
    aname, ap = st["algorithm"]
    # d: at least the Gram size N + 2 >= rank(G), which the worst case may need
    fp = dict(fp, algorithm=canonical(aname, ap), N=int(N), measure=measure_for(b.claim),
              init=str(_init_spec(b.claim, b, fp)), d=max(int(fp.get("d", 1)), int(N) + 2))
    return {**st, "function": (fname, fp)}


def _model(b, N: int):
    """The PEP pep_engine.run_pep builds at N (same specs)."""
    from .. import registry
    from ..spec import Spec
    from .pep_engine import _init_spec, measure_for, require_pep

    build, _ = require_pep()
    st = b.setting(int(N))
    (aname, ap), (fname, fp) = st["algorithm"], st["function"]
    keep = {p.name for p in registry.functions.get(fname).constants} | {"R"}
    fspec = Spec(fname, {k: v for k, v in fp.items() if k in keep})
    return build(Spec(aname, dict(ap)), fspec, int(N), measure_for(b.claim), _init_spec(b.claim, b, fp))


def refute(b, v, info: list, note=None) -> None:
    """Turn an INCONCLUSIVE relaxed-PEP excess into a FAIL when a replay confirms it (in place)."""
    from ..errors import ComputationError
    from ..pep.replay import replay
    from .pep_engine import _solve, require_pep

    c = b.claim
    if c.kind != "upper":
        return
    _, solve = require_pep()
    bounds = b.bound(b.points)
    tol = float(c.check.tolerance or 0.0)
    why = []
    for N, bound, inf in zip(b.points, bounds, info):
        if not inf["value"] > bound * (1 + tol) + 1e-12 * abs(bound):
            continue
        if note is not None:
            note(f"replaying the relaxed PEP's worst case at N={int(N)}")
        try:
            model = _model(b, int(N))
            rp = replay(model, _solve(model, solve))
        except ComputationError as e:
            why.append(f"N={int(N)}: {str(e).splitlines()[0]}")
            continue
        inf["replay"] = rp.to_json()
        if rp.confirmed and rp.attained > bound * (1 + tol):
            v.verdict = "FAIL"
            v.reason = (f"counterexample at N={int(N)}: {rp.instance} (passes the {inf.get('class', 'class')} "
                        f"self-check: {rp.check}); the method attains {rp.attained:.10g} > bound {bound:.10g} "
                        f"(the relaxed PEP's worst case, replayed in the engine)")
            inf["counterexample"] = rp.instance
            return
        why.append(f"N={int(N)}: {rp.message}")
    if why:
        v.reason += "; replay did not confirm the excess (" + "; ".join(why[:2]) + ")"


__all__ = ["WORST", "uses", "mc_setting", "refute"]

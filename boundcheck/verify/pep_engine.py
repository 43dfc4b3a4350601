"""The PEP engine of ``verify``: a claim's metric@iterate as a PEP measure, one worst case per N.

Mapping (boundcheck/pep/measures.py names the measures):

    f_gap@last  -> f-gap-last   f(x_N) - f*
    f_gap@out   -> f-gap        f(output) - f*   (output = the method's declared output, else x_N)
    f_gap@min   -> f-best       min_i f(x_i) - f*
    grad_sq@min -> grad-min     min_i ||grad f(x_i)||^2
    grad_sq@out -> grad-sq      ||grad f(output)||^2   (and grad_sq@last for a method without output)
    dist_sq@last -> dist-last   ||x_N - x*||^2
    dist_sq@out -> dist         ||output - x*||^2
    step_sq@last -> step-sq     ||x_N - x_{N-1}||^2   (PEP only: the Monte Carlo engine has no x_{N-1})

The initial condition is the claim's ``init`` (claims/init.py), by default ``dist[R]``
(||x0 - x*|| <= R, R from the claim's function setting),
the class constants are the function setting's. A claim the PEP cannot express (another metric,
the ``avg`` iterate, a grid over a parameter, a method with nonlinear ops) raises
``PEPUnavailable`` with the reason: the caller reports the pep engine as SKIP, never a crash.
A solver failure is a ``SolverError`` (exit 3), reported by the caller as INCONCLUSIVE; so is a
PEP module that does not import (``require_pep``: a ``ComputationError``, not a SKIP).
"""
from __future__ import annotations

import numpy as np

MEASURES = {
    ("f_gap", "last"): "f-gap-last", ("f_gap", "out"): "f-gap", ("f_gap", "min"): "f-best",
    ("grad_sq", "min"): "grad-min", ("grad_sq", "out"): "grad-sq",
    ("dist_sq", "last"): "dist-last", ("dist_sq", "out"): "dist",
    ("step_sq", "last"): "step-sq",
}


class PEPUnavailable(Exception):
    """The PEP cannot check this claim (the reason is the message)."""


def measure_for(claim) -> str:
    """The PEP measure name for the claim's metric and iterate (PEPUnavailable otherwise)."""
    from .. import registry

    key = (claim.metric, claim.iterate)
    if key == ("grad_sq", "last") and registry.algorithms.get(claim.algorithm).output is None:
        return "grad-sq"
    if key not in MEASURES:
        raise PEPUnavailable(f"no PEP measure for {claim.metric}@{claim.iterate} "
                             f"(PEP measures: {', '.join(f'{q}@{i}' for q, i in MEASURES)})")
    return MEASURES[key]


def require_pep():
    """(build, solve) of the PEP module. A claim that lists ``pep`` is checked by it: when the
    module (or cvxpy, its solver interface) does not import, that is a ComputationError (exit 3,
    the claim INCONCLUSIVE with the reason), never a SKIP that would let the claim pass on Monte
    Carlo alone."""
    from ..errors import ComputationError

    try:
        from ..pep.build import build
        from ..pep.solve import solve
    except Exception as e:  # ImportError, or any error while the module loads
        msg = str(e).splitlines()[0] if str(e) else ""
        raise ComputationError(f"the PEP engine cannot be loaded ({type(e).__name__}: {msg}); reinstall "
                               f"boundcheck with its dependencies (cvxpy), or drop 'pep' from the claim's engines") from None
    return build, solve


def run_pep(binding, note=None) -> tuple[np.ndarray, list[dict]]:
    """Worst-case values (certified dual values) at each N of the claim's grid, with one info
    dict per N (solver, status, rows, relaxation, provenance, scale). A solver failure at one N is
    recorded for that N (value NaN, ``status`` "failed", ``error``) and the other N are still solved;
    ``judge`` names the failed N. A model the PEP cannot express raises PEPUnavailable."""
    from .. import registry
    from ..spec import Spec

    c = binding.claim
    if c.check.over != "N":
        raise PEPUnavailable(f"the grid is over {c.check.over!r}, not N")
    meas = measure_for(c)
    build, solve = require_pep()
    from ..ops import PEPLoweringError
    from ..errors import ComputationError, UsageError

    def make(N: int):
        st = binding.setting(N)
        (aname, ap), (fname, fp) = st["algorithm"], st["function"]
        keep = {p.name for p in registry.functions.get(fname).constants} | {"R"}
        fspec = Spec(fname, {k: v for k, v in fp.items() if k in keep})
        try:
            return build(Spec(aname, dict(ap)), fspec, N, meas, _init_spec(c, binding, fp))
        except (PEPLoweringError, UsageError) as e:
            raise PEPUnavailable(f"PEP cannot model this setting at N={N}: {str(e).splitlines()[0]}") from None

    def warm(N: int, depth: int = 0):
        """Magnitudes of the worst case at a smaller horizon, when N itself failed unscaled."""
        if N <= 1 or depth > 6:
            return None
        M = max(1, N // 2)
        try:
            res, mags = scaled_solve(make(M), solve, None)
        except ComputationError:
            prev = warm(M, depth + 1)
            if prev is None:
                return None
            try:
                res, mags = scaled_solve(make(M), solve, prev)
            except ComputationError:
                return None
        return mags

    vals, info, prev = [], [], None
    for N in binding.points:
        N = int(N)
        if note is not None:
            note(f"PEP at N={N} ({meas})")
        model = make(N)
        prov = model.meta.get("provenance")
        try:
            try:
                res, mags = scaled_solve(model, solve, prev)
            except ComputationError:
                if prev is not None:
                    raise
                seed = warm(N)
                if seed is None:
                    raise
                if note is not None:
                    note(f"PEP at N={N}: rescaled from a smaller horizon")
                res, mags = scaled_solve(model, solve, seed)
        except ComputationError as e:
            vals.append(float("nan"))
            info.append({"N": N, "measure": meas, "value": None, "primal": None, "status": "failed",
                         "solver": None, "rows": None, "error": str(e).splitlines()[0],
                         "relaxation": bool(model.relaxed_parts),
                         "provenance": prov["overall"] if prov else None, "provenance_record": prov})
            continue
        prev = mags
        prov = with_support(prov, res.support_note)
        vals.append(float(res.value))
        info.append({"N": N, "measure": meas, "value": float(res.value), "primal": float(res.primal),
                     "status": res.status, "solver": res.solver, "rows": int(res.problem.m),
                     "relaxation": bool(res.relaxation) or bool(res.support_note),
                     "rescaled": "scaled" in res.problem.meta,
                     "provenance": prov["overall"] if prov else None, "provenance_record": prov})
    return np.asarray(vals, dtype=float), info


# a worst case whose Gram diagonal or function values span more than this ratio is solved in
# rescaled variables (build.Model.gram_scale): below it, the solvers are accurate unscaled
SPAN = 1e3


def _extend(m: np.ndarray, n: int) -> np.ndarray:
    """The magnitudes m (one per basis vector or value) continued geometrically to length n."""
    m = np.abs(np.asarray(m, dtype=float))
    m = np.maximum(m, 1e-8 * max(float(m.max(initial=0.0)), 1e-300)) if m.size else np.ones(1)
    if m.size >= n:
        return m[:n]
    q = m[-1] / m[-2] if m.size >= 2 else 1.0
    return np.concatenate([m, m[-1] * q ** np.arange(1, n - m.size + 1)])


def scaled_solve(model, solve, prev):
    """Solve ``model``; when ``prev`` (the magnitudes sqrt(diag G), |F| of the worst case at a smaller
    N) spans more than SPAN, in the variables rescaled by those magnitudes continued geometrically
    (exact: the value and multipliers do not change, build.Model.gram_scale). Returns the result and
    the magnitudes of this worst case. A failure raises the solver's error (ComputationError)."""
    if prev is not None:
        gm, fm = prev
        nf = len(model.f_names)
        has_t = model.f_names[-1:] == ["t"]
        g = _extend(gm, model.n)
        f = _extend(fm, nf - int(has_t))
        if has_t:
            f = np.append(f, max(float(f.min()), 1e-300))
        if g.max() / g.min() > SPAN or f.max() / f.min() > SPAN:
            model.gram_scale, model.f_scale = g, f
    from ..errors import ComputationError

    try:
        try:
            res = _solve(model, solve)
        except ComputationError:
            if model.gram_scale is None:
                raise
            # magnitudes that span a wide range because some are near 0 (not because they grow) can
            # make the rescaled problem worse conditioned than the plain one: solve it unscaled
            model.gram_scale = model.f_scale = None
            res = _solve(model, solve)
        G, F = model.unscale(res.G, res.F)
    finally:
        model.gram_scale = model.f_scale = None
    wo = res.problem.meta.get("scaled", {}).get("objective", 1.0)
    if wo != 1.0:  # the solver saw the objective divided by wo (build.Model.problem)
        res.value, res.primal = res.value * wo, res.primal * wo
    has_t = model.f_names[-1:] == ["t"]
    return res, (np.sqrt(np.maximum(np.diag(G), 0.0)), np.abs(F[:-1] if has_t else F))


class _Subgrid:
    """A binding seen on part of its grid (the N at which the PEP was solved)."""

    def __init__(self, b, keep):
        self._b, self.points = b, np.asarray(b.points)[keep]

    def __getattr__(self, k):
        return getattr(self._b, k)


def with_support(prov: dict | None, support_note: str) -> dict | None:
    """The provenance of one solve: the class's, made one step weaker when the cutting planes
    stopped with omitted rows violated (solve.STALL_REL): the value is then an upper bound only,
    whatever the conditions, so it is judged as a relaxation's (exact -> necessary, sufficient ->
    mixed), with the reason kept under ``support``."""
    if not support_note or not prov:
        return prov
    weaker = {"exact": "necessary", "sufficient": "mixed"}.get(prov["overall"], prov["overall"])
    return dict(prov, overall=weaker, support=support_note)


def provenance(info: list[dict]) -> dict | None:
    """The engine's provenance record (build.provenance) over the grid: the one record when every N
    used the same conditions, else the weakest overall status with the records per N."""
    recs = [i.get("provenance_record") for i in info if i.get("provenance_record")]
    if not recs:
        return None
    if all(r == recs[0] for r in recs):
        return recs[0]
    kinds = {r["overall"] for r in recs}
    overall = "mixed" if "mixed" in kinds or {"necessary", "sufficient"} <= kinds else \
        "necessary" if "necessary" in kinds else "sufficient" if "sufficient" in kinds else "exact"
    return {"class": recs[0]["class"], "overall": overall, "per_N": {str(i["N"]): i["provenance_record"] for i in info}}


def judge(b, vals, info: list[dict], budget, note=None):
    """The PEP engine's verdict, using the provenance of the conditions soundly:

    * exact: the value is the worst case; the verdict stands;
    * necessary (relaxation, value >= worst case): PASS of an upper claim stands (infinite
      resolution: it could not have failed); a FAIL is INCONCLUSIVE unless the replay of the worst
      case on a member of the class confirms it (pep_worst.refute);
    * sufficient (restriction, value <= worst case): FAIL of an upper claim stands; a PASS is
      INCONCLUSIVE;
    * a lower claim mirrors these; a tight claim needs exact conditions.

    N at which the solver failed are named; the others are judged, and a PASS that did not cover
    the whole grid is INCONCLUSIVE."""
    from ..claims import decide
    from .resolution import relaxed

    c = b.claim
    vals = np.asarray(vals, dtype=float)
    failed = [i for i in info if i.get("status") == "failed"]
    ok = np.array([i.get("status") != "failed" for i in info], dtype=bool)
    if not ok.any():
        from .. import stats

        v = decide(b, np.zeros((1, len(info))), engine="pep", budget=budget, seeds=[])
        v = stats.Verdict(**{**v.__dict__, "verdict": "INCONCLUSIVE", "measured": None, "resolution": None,
                             "evidence": None, "reason": "PEP solver failed at every N: " + _failed_text(failed)})
        return v
    sub = b if ok.all() else _Subgrid(b, ok)
    v = decide(sub, vals[ok][None, :], engine="pep", budget=budget, seeds=[])
    overall = (provenance(info) or {}).get("overall", "necessary" if any(i["relaxation"] for i in info) else "exact")
    upper, lower = c.kind in ("upper", "rate"), c.kind == "lower"
    sound_fail = overall == "exact" or (upper and overall == "sufficient") or (lower and overall == "necessary")
    sound_pass = overall == "exact" or (upper and overall == "necessary") or (lower and overall == "sufficient")
    what = {"necessary": "a relaxation (some conditions only necessary: an upper bound on the worst case)",
            "sufficient": "a restriction (some conditions only sufficient: a lower bound on the worst case)",
            "mixed": "both a relaxation and a restriction (neither bound is proven)"}.get(overall, "")
    if v.verdict == "FAIL" and not sound_fail:
        v.verdict = "INCONCLUSIVE"
        v.resolution = v.evidence = None
        v.reason = _join(f"the PEP is {what}: this excess proves nothing", v.reason)
        if upper and overall == "necessary":
            from .pep_worst import refute

            refute(sub, v, [i for i in info if i.get("status") != "failed"], note)
    elif v.verdict == "PASS" and not sound_pass:
        v.verdict = "INCONCLUSIVE"
        v.resolution = v.evidence = None
        v.reason = _join(f"the PEP is {what}: being on the right side of the bound proves nothing", v.reason)
    elif v.verdict == "PASS" and overall == "necessary" and upper:
        relaxed(v, c)
    if failed and v.verdict == "PASS":
        v.verdict = "INCONCLUSIVE"
        v.resolution = v.evidence = None
        v.reason = _join(f"PASS at the solved N only; the PEP solver failed at N = "
                         f"{', '.join(str(i['N']) for i in failed)} ({_failed_text(failed)})", v.reason)
    elif failed:
        v.reason = _join(v.reason, f"PEP solver failed at N = {', '.join(str(i['N']) for i in failed)} "
                                   f"({_failed_text(failed)})")
    return v


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _failed_text(failed: list[dict]) -> str:
    return "; ".join(f"N={i['N']}: {i.get('error', 'failed')}" for i in failed[:3]) + \
        (f"; and {len(failed) - 3} more" if len(failed) > 3 else "")


def _init_spec(c, binding, fp):
    """The claim's initial condition (key ``init``, claims/init.py); default ||x0 - x*|| <= R, R
    the function setting's."""
    from ..claims.init import INITS
    from ..spec import Spec

    init = c.init
    if init is None or (init.name == "dist" and init.value is None):
        return Spec("dist", {"R": fp.get("R", 1.0)})
    return Spec(init.name, {INITS[init.name][0]: init.at(binding.values)})


def _solve(model, solve):
    """The default solver; when it fails or is inaccurate, once more with the other solver (as
    ``boundcheck certify`` suggests). A second failure raises SolverError (exit 3)."""
    from ..errors import SolverError
    from ..pep.solve import default_solver

    try:
        return solve(model)
    except SolverError as first:
        other = "SCS" if default_solver(model.n) == "CLARABEL" else "CLARABEL"
        try:
            return solve(model, solver=other)
        except SolverError as second:
            raise SolverError(f"{str(first).splitlines()[0]}; retry with {other}: {str(second).splitlines()[0]}") from None


__all__ = ["MEASURES", "PEPUnavailable", "measure_for", "require_pep", "run_pep", "judge", "provenance",
           "scaled_solve"]

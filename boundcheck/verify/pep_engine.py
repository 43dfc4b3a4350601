"""The PEP engine of ``verify``: a claim's metric@iterate as a PEP measure, one worst case per N.

Mapping (boundcheck/pep/measures.py names the measures):

    f_gap@last  -> f-gap-last   f(x_N) - f*
    f_gap@out   -> f-gap        f(output) - f*   (output = the method's declared output, else x_N)
    f_gap@min   -> f-best       min_i f(x_i) - f*
    grad_sq@min -> grad-min     min_i ||grad f(x_i)||^2
    grad_sq@out -> grad-sq      ||grad f(output)||^2   (and grad_sq@last for a method without output)
    dist_sq@last -> dist-last   ||x_N - x*||^2
    dist_sq@out -> dist         ||output - x*||^2

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
    dict per N (solver, status, rows, relaxation)."""
    from .. import registry
    from ..spec import Spec

    c = binding.claim
    if c.check.over != "N":
        raise PEPUnavailable(f"the grid is over {c.check.over!r}, not N")
    meas = measure_for(c)
    build, solve = require_pep()
    from ..ops import PEPLoweringError
    from ..errors import UsageError

    fcls = registry.functions.get(c.function)
    keep = {p.name for p in fcls.constants} | {"R"}
    vals, info = [], []
    for N in binding.points:
        N = int(N)
        if note is not None:
            note(f"PEP at N={N} ({meas})")
        st = binding.setting(N)
        (aname, ap), (fname, fp) = st["algorithm"], st["function"]
        if fname != c.function:
            fcls = registry.functions.get(fname)
            keep = {p.name for p in fcls.constants} | {"R"}
        fspec = Spec(fname, {k: v for k, v in fp.items() if k in keep})
        try:
            model = build(Spec(aname, dict(ap)), fspec, N, meas, _init_spec(c, binding, fp))
        except (PEPLoweringError, UsageError) as e:
            raise PEPUnavailable(f"PEP cannot model this setting at N={N}: {str(e).splitlines()[0]}") from None
        res = _solve(model, solve)
        vals.append(float(res.value))
        info.append({"N": N, "measure": meas, "value": float(res.value), "primal": float(res.primal),
                     "status": res.status, "solver": res.solver, "rows": int(res.problem.m),
                     "relaxation": bool(res.relaxation)})
    return np.asarray(vals, dtype=float), info


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


__all__ = ["MEASURES", "PEPUnavailable", "measure_for", "require_pep", "run_pep"]

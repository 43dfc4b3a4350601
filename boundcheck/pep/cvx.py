"""The raw cvxpy call for a canonical PEP, optionally in rescaled variables.

    maximize  vec(C) . vec(G) + c . F   s.t.  A @ vec(G) + B @ F <= r,   G >> 0

is posed as exactly two cvxpy constraints. With a scaling (d, s) > 0 the solver sees the same
problem in the variables G = D Gh D (D = diag d) and F = S Fh (S = diag s):

    A_i -> D A_i D,   C -> D C D,   b_i -> S b_i,   c -> S c,      rows and r unchanged,

a congruence that keeps the PSD cone, so the multipliers of the rows are the SAME numbers for both
forms, and the returned (G, F) are mapped back. Why: worst cases are badly scaled (for gd at
N = 300 the gradients are ~1/(2N+1), so Gram entries range over 1e-6..1), and SCS can only
equilibrate a PSD cone as a whole; at eps = 1e-9 it stalled at a primal residual of 6e-8 on the
raw form (N = 300) and converged in 675 iterations once rescaled (benchmarks/bench_pep.py).
``scaling(G, F)`` takes d = sqrt(max(diag G, 1e-3 max diag G)) and s = max(|F|, 1e-3 max |F|) from
a rough solution. The floor matters: flooring d itself at 1e-3 max d (i.e. trusting the rough
solution's tiny gradients) made SCS stall again at N = 300.
"""
from __future__ import annotations

import warnings

import numpy as np

from .problem import PEPProblem


def scaling(G: np.ndarray, F: np.ndarray, floor: float = 1e-3):
    dg = np.maximum(np.diag(G), 0.0)
    d = np.sqrt(np.maximum(dg, floor * dg.max())) if dg.max() > 0 else np.ones(len(dg))
    af = np.abs(F)
    s = np.maximum(af, floor * af.max()) if af.size and af.max() > 0 else np.ones(len(af))
    return d, s


def cvx_solve(problem: PEPProblem, solver: str, opts: dict, d=None, s=None):
    """Returns (cvxpy status, G, F, lam) with G, F, lam in the original variables (None if absent)."""
    import cvxpy as cp
    import scipy.sparse as sp

    n = problem.n
    A, B = problem.A, sp.csr_matrix(problem.B)
    Cm = problem.C.toarray()
    c = problem.c
    if d is not None:
        A = A @ sp.diags(np.kron(d, d))
        B = B @ sp.diags(s)
        Cm = Cm * np.outer(d, d)
        c = c * s
    G = cp.Variable((n, n), symmetric=True)
    F = cp.Variable(problem.n_f)
    g = cp.vec(G, order="F")
    lin = A @ g + B @ F <= problem.r
    prob = cp.Problem(cp.Maximize(Cm.reshape(-1) @ g + c @ F), [lin, G >> 0])
    with warnings.catch_warnings():  # the status says it; library code does not print
        warnings.simplefilter("ignore")
        prob.solve(solver=solver, **opts)
    if G.value is None or lin.dual_value is None:
        return prob.status, None, None, None
    Gv, Fv = np.asarray(G.value), np.asarray(F.value).reshape(-1)
    if d is not None:
        Gv, Fv = Gv * np.outer(d, d), Fv * s
    return prob.status, Gv, Fv, np.maximum(np.asarray(lin.dual_value).reshape(-1), 0.0)


__all__ = ["scaling", "cvx_solve"]

"""A margin for the exact certificate when the solver's residual S is singular in many directions.

The certificate needs S(lam) = sum_i lam_i A_i - C PSD after rounding lam to rationals. At the
optimum S is singular: S G = 0, so S has a zero eigenvalue for every direction the worst case spans,
and on a large optimal face (OGM: S of rank one, the worst case a whole face of Gram matrices)
almost every direction. The solver's multipliers leave those eigenvalues at +-1e-9, and the shift
along the initial condition (certificate.py) can only lift the one direction x_0 - x*.

A direction that lifts all of them at once is the dual of the same PEP with the objective
<D^-2, G> (D = diag d, d the solver's scaling of the basis vectors, cvx.scaling):

    Delta = argmin r . Delta   s.t.  B^T Delta = 0,  Delta >= 0,  sum_i Delta_i A_i - D^-2 >= 0,

i.e. the multipliers of  max <D^-2, G>  over the same rows (bounded whenever the PEP is: the rows
bound every point and gradient). Then lam + t Delta keeps B^T lam = c, costs t r.Delta on the bound
and adds t sum_i Delta_i A_i >= t D^-2 to S, i.e. t I to D S D: t about twice the most negative
eigenvalue of D S D lifts every direction at once, each relative to its size. The solve of Delta
needs no accuracy (its margin is I in the scaled variables, not 1e-9), and the exact certificate
still proves whatever bound comes out: nothing here is trusted.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import scipy.sparse as sp

TRIES = 5          # t = FACTOR^k * base, k = 0 .. TRIES - 1 (schedule)
FACTOR = 8.0
EPS = 1e-2         # SCS's tolerance for Delta (the lift only has to stay above 1/2 of I). Measured, OGM
                   # N = 100 (load ~4): 1e-3 took 7.9 s of the certificate's 7.9 s, relative gap 5.9e-6;
                   # 1e-2 takes 1.6 s, gap 9.6e-6 (N = 60: 7.3e-5 -> 1.1e-4; N = 10 unchanged)


def lift_direction(result):
    """(Delta, d) for the PEP of ``result`` (module docstring), or None when the solve fails or the
    lift is not clearly positive definite. The directions are weighed in the solver's scaling
    d (cvx.scaling: d_k ~ the size of basis vector k in the worst case): the objective is
    <D^-2, G>, so that D (sum Delta_i A_i) D >= I and small vectors (late gradients) are lifted as
    much as large ones, relative to their size. Loose accuracy suffices (SCS at EPS: the lift
    only has to stay above 1/2)."""
    from .cvx import cvx_solve, scaling

    p = result.problem
    if result.G is not None and result.F is not None:
        d, s = scaling(np.asarray(result.G), np.asarray(result.F))
    else:
        d, s = np.ones(p.n), np.ones(p.n_f)
    tr = dataclasses.replace(p, C=sp.diags(1.0 / d ** 2, format="csr"), c=np.zeros(p.n_f))
    try:
        st, _, _, lam = cvx_solve(tr, "SCS", dict(eps_abs=EPS, eps_rel=EPS, max_iters=20_000), d, s)
    except Exception:  # noqa: BLE001 - any solver failure means: no margin, the caller reports its own error
        return None
    if lam is None:
        return None
    delta = np.maximum(np.asarray(lam, dtype=float), 0.0)
    lift = d[:, None] * np.asarray(p.A.T @ delta).reshape(p.n, p.n) * d[None, :]
    if np.linalg.eigvalsh((lift + lift.T) / 2)[0] < 0.5:
        return None
    return delta, d


def lifted(result, delta: np.ndarray, t: float):
    """The result with multipliers lam + t Delta (a feasible dual point of the same PEP whose
    residual is larger by t sum Delta_i A_i) and its dual value."""
    p = result.problem
    lam = np.maximum(np.asarray(result.lam, dtype=float), 0.0) + t * delta
    return dataclasses.replace(result, lam=lam, S=p.residual(lam), value=float(lam @ p.r))


def schedule(result, d: np.ndarray) -> list[float]:
    """The t tried in turn: twice the most negative eigenvalue of D S D (the residual in the
    scaling of the lift), plus a floor for the rounding of the multipliers, then larger."""
    S = np.asarray(result.S if result.S is not None else result.problem.residual(result.lam))
    Sd = d[:, None] * S * d[None, :]
    neg = max(0.0, -float(np.linalg.eigvalsh((Sd + Sd.T) / 2)[0]))
    base = 2.0 * neg + 1e-13 * max(1.0, float(np.abs(Sd).max(initial=0.0)))
    return [base * FACTOR ** k for k in range(TRIES)]


__all__ = ["lift_direction", "lifted", "schedule", "TRIES", "FACTOR"]

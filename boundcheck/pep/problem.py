"""The PEP in canonical form: the data the solver, the certificate writer and the exact checker share.

A performance-estimation problem over the Gram matrix ``G`` (n x n) of the basis vectors
``[x0 - x*, g_0, g_1, ...]`` (x* = 0 without loss of generality) and the vector ``F`` (n_f) of
scalar variables (function values f_i - f*, f* = 0, plus auxiliaries such as the epigraph variable
``t`` of a min-measure) reads

    maximize    <C, G> + c . F
    subject to  <A_i, G> + b_i . F <= r_i     (i = 1..m, each row NAMED, e.g. "interp(2,*)", "init")
                G PSD.

``A_i`` and ``C`` are symmetric; ``A`` stacks the rows ``vec(A_i)`` (length n*n; since A_i is
symmetric, row- and column-major vectorizations coincide) as one ``scipy.sparse.csr_matrix``, and
``B`` stacks the dense ``b_i`` (m x n_f). The solver sees exactly this: ONE sparse matrix inequality
``A @ vec(G) + B @ F <= r`` and one PSD constraint.

Duality (the certificate). For multipliers ``lam >= 0`` with

    sum_i lam_i b_i = c                  (F-stationarity)
    S := sum_i lam_i A_i - C  is PSD,

every feasible (G, F) has  <C,G> + c.F = sum_i lam_i (<A_i,G> + b_i.F) - <S,G>  <=  sum_i lam_i r_i,
so ``sum_i lam_i r_i`` is a proven upper bound on the worst case. ``PEPResult`` carries lam, S
(recomputed from lam, not read from the solver) and the residuals of both conditions.

Coefficients are float64: they are the coefficients of the method *as run in float64* (steps such
as h/L, OGM's theta ratios). ``fractions.Fraction(float)`` is exact, so an exact check over the
rationals certifies exactly the SDP stored here, i.e. the method with its float64 coefficients.

With cutting planes (solve.py) the rows are the subset of the full PEP's constraints that the final
solve used; every omitted constraint carries multiplier 0, so a certificate for the stored rows is
also a certificate for the full PEP (fewer constraints can only raise the maximum).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp


@dataclass
class PEPProblem:
    """maximize <C, G> + c.F  s.t.  A @ vec(G) + B @ F <= r,  G PSD  (see module docstring)."""

    n: int                       # Gram size
    basis: list[str]             # names of the Gram basis vectors: "x0-x*", "g0", "g1", ...
    f_names: list[str]           # names of the entries of F: "f0", ..., and "t" for min-measures
    C: sp.csr_matrix             # n x n symmetric
    c: np.ndarray                # (n_f,)
    A: sp.csr_matrix             # m x (n*n), row i = vec(A_i), A_i symmetric
    B: np.ndarray                # m x n_f
    r: np.ndarray                # (m,)
    names: list[str]             # m row names, unique
    meta: dict[str, Any] = field(default_factory=dict)  # algorithm, function, N, measure, init, ...

    @property
    def m(self) -> int:
        return self.A.shape[0]

    @property
    def n_f(self) -> int:
        return len(self.f_names)

    def A_i(self, i: int) -> sp.csr_matrix:
        """The symmetric n x n matrix of row i."""
        return sp.csr_matrix(self.A[i].reshape(self.n, self.n))

    def residual(self, lam: np.ndarray) -> np.ndarray:
        """S(lam) = sum_i lam_i A_i - C as a dense n x n array."""
        S = np.asarray(self.A.T @ lam).reshape(self.n, self.n) - self.C.toarray()
        return (S + S.T) / 2

    def diagnostics(self, lam: np.ndarray, S: np.ndarray, G: np.ndarray, F: np.ndarray) -> dict[str, float]:
        """How far a solve is from exact: ||B^T lam - c||_inf, the least eigenvalues of S and G, and
        the largest row violation at (G, F)."""
        return dict(stationarity=float(np.abs(np.asarray(self.B).T @ lam - self.c).max(initial=0.0)),
                    S_min_eig=float(np.linalg.eigvalsh(S)[0]),
                    G_min_eig=float(np.linalg.eigvalsh((G + G.T) / 2)[0]),
                    primal_infeas=float(max(0.0, -self.slack(G, F).min(initial=0.0))))

    def objective(self, G: np.ndarray, F: np.ndarray) -> float:
        return float(self.C.multiply(G).sum() + self.c @ F)

    def slack(self, G: np.ndarray, F: np.ndarray) -> np.ndarray:
        """r - (A vec(G) + B F): nonnegative for a feasible point."""
        return self.r - (self.A @ G.reshape(-1) + self.B @ F)


@dataclass
class PEPResult:
    """A solved PEP. ``value`` = sum_i lam_i r_i (the dual value, an upper bound once the duals are
    certified); ``primal`` = <C,G> + c.F at the returned (G, F)."""

    problem: PEPProblem
    value: float
    primal: float
    status: str                  # "optimal" | "inaccurate" | "failed"
    solver: str                  # e.g. "CLARABEL", "SCS(eps=1e-09)"
    lam: np.ndarray              # (m,) multipliers, clipped at 0
    S: np.ndarray                # n x n, S = sum lam_i A_i - C
    G: np.ndarray                # n x n primal Gram matrix
    F: np.ndarray                # (n_f,)
    residuals: dict[str, float]  # "stationarity" = ||sum lam b - c||_inf, "S_min_eig", "primal_infeas"
    relaxation: bool = False     # True: some condition is only necessary (an upper bound, not tight)
    relaxed_parts: tuple[str, ...] = ()
    rounds: int = 1              # cutting-plane rounds (1 = one solve)
    # non-empty when the cutting planes stopped with omitted rows still violated (solve.STALL_REL):
    # the value is then an upper bound on the full PEP, certified by the multipliers, not attained
    support_note: str = ""
    times: dict[str, float] = field(default_factory=dict)

    @property
    def tight(self) -> bool:
        return not self.relaxation

    def multipliers(self, tol: float = 0.0) -> dict[str, float]:
        """Named multipliers above ``tol``."""
        return {nm: float(v) for nm, v in zip(self.problem.names, self.lam) if v > tol}


__all__ = ["PEPProblem", "PEPResult"]

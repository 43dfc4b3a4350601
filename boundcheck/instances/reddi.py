"""reddi: Reddi, Kale, Kumar's online counterexample for Adam, run with projection (T22).

Online losses on the feasible set [-1, 1] (Reddi et al., ICLR 2018, arXiv 1904.09237, Thm 1):

    f_t(x) = C x   if t mod 3 = 1,      f_t(x) = -x   otherwise          (rounds t = 1, 2, ...)

so the gradient at round t is C or -1 whatever x is, and the best fixed point in hindsight is
x = -1 (each 3-round block costs (C - 2)(x + 1) more than -1). The method is the catalogue's
algorithm file (adam, amsgrad, or any method with ``init``/``update``), run in plain numpy: at
round t = 1..T it receives g_t, applies its own ``update`` and the iterate is projected onto
[-1, 1] (Reddi et al.'s Alg. 1: x_{t+1} = Pi_F(x_t - alpha_t m_t / sqrt(v_t))). Engine index
convention: the iterate after T rounds is x_T; x_0 = the function setting's x0.

Quantities, for a claim's ``metric@iterate`` (F = the function setting's instance
``convex-lipschitz[instance=reddi]``, F(x) = M |x + 1| with M = (C - 2)/3, the average loss minus
its minimum): ``f_gap`` = F - F*, ``dist_sq`` = (x + 1)^2, ``grad_sq`` = M^2 off -1, at ``last``
(x_T), ``avg`` (mean of x_0..x_T, F linear on [-1, 1]) and ``min`` (running min). ``regret(...)``
gives the online average regret (1/T) sum_t (f_t(x_t) - f_t(-1)) itself; for iterates that settle
at a point x it tends to F(x) - F*, which is what ``f_gap@avg`` measures.

Deterministic: no noise, one run.
"""
from __future__ import annotations

import numpy as np

DETERMINISTIC = True


def _problem(binding, N: int):
    from ..engine.problem import resolve

    st = binding.setting(N)
    if st.get("noise") is not None:
        raise ValueError("reddi: the online instance is deterministic; the claim must have no noise")
    (aname, ap), (fname, fp) = st["algorithm"], st["function"]
    if fname != "convex-lipschitz" or fp.get("instance") != "reddi":
        raise ValueError("reddi: the function setting must be convex-lipschitz[instance=reddi] (F = M |x + 1|)")
    return resolve((aname, ap), (fname, fp), None)


def simulate(algorithm, params: dict, C: float, T: int, x0: float = 0.0) -> dict:
    """Run ``algorithm`` (registry name) on the online instance for T rounds.

    Returns {"x": x_0..x_T (T + 1,), "g": g_1..g_T, "regret": (1/t) sum_{s<=t} (f_s(x_s) - f_s(-1))
    for t = 1..T}. ``params`` are the algorithm's parameters (validated here)."""
    from .. import registry

    alg = registry.algorithms.get(algorithm)
    p = alg.validate(params)
    M = (C - 2.0) / 3.0
    facts = {"M": M, "f_star": 0.0, "R": abs(x0 + 1.0), "d": 1}
    return _run(alg, p, alg.make_params(p, T, facts), C, T, x0)


def _run(alg, p, P, C, T, x0):
    s = alg.init(np.array([float(x0)]), P)
    xs = np.empty(T + 1)
    gs = np.empty(T)
    xs[0] = s.x[0]
    loss_gap = 0.0
    regret = np.empty(T)
    for t in range(1, T + 1):
        g = C if t % 3 == 1 else -1.0
        x = float(alg.query(s, P)[0])
        loss_gap += g * (x + 1.0)  # f_t(x_t) - f_t(-1) for a linear loss g x
        regret[t - 1] = loss_gap / t
        gs[t - 1] = g
        alg.update(s, np.array([g]), 0.0, P)
        np.clip(s.x, -1.0, 1.0, out=s.x)
        xs[t] = s.x[0]
    return {"x": xs, "g": gs, "regret": regret}


def regret(algorithm, params: dict, C: float, T: int, x0: float = 0.0) -> float:
    """The online average regret after T rounds."""
    return float(simulate(algorithm, params, C, T, x0)["regret"][-1])


def run(binding, runs: int, seed: int) -> dict:
    """{"QUANTITY@ITERATE": (len(points), runs)} at the claim's horizons (the runner is
    deterministic: every run is the same; horizon-tuned settings get one run per horizon)."""
    c = binding.claim
    if c.check.over != "N":
        raise ValueError("reddi: the grid must be over N")
    Ns = [int(n) for n in binding.points]
    out = {f"{q}@{it}": np.empty((len(Ns), runs)) for q in ("f_gap", "dist_sq", "grad_sq")
           for it in ("last", "avg", "min")}
    hd = binding.horizon_dependent
    traj = None
    for j, N in enumerate(Ns):
        if traj is None or hd:
            prob = _problem(binding, max(Ns) if not hd else N)
            M = float(prob.instance.constants["M"].value)
            C = 3.0 * M + 2.0
            T = max(Ns) if not hd else N
            traj = _run(prob.algorithm, prob.alg_params, prob.make_params(T), C, T, float(prob.instance.x0[0]))
        xs = traj["x"][: N + 1]
        dist = np.abs(xs + 1.0)
        q = {"f_gap": M * dist, "dist_sq": dist ** 2, "grad_sq": np.where(dist > 0, M * M, 0.0)}
        xbar = abs(xs.mean() + 1.0)
        at = {"f_gap": M * xbar, "dist_sq": xbar ** 2, "grad_sq": M * M if xbar > 0 else 0.0}
        for k, arr in q.items():
            out[f"{k}@last"][j] = arr[-1]
            out[f"{k}@min"][j] = arr.min()
            out[f"{k}@avg"][j] = at[k]
    return out


__all__ = ["DETERMINISTIC", "simulate", "regret", "run"]

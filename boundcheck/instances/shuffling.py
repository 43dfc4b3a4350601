"""shuffling: SGD over the components of a finite sum in a chosen order (T23).

The function setting is ``smooth-convex[instance=quadsum, n=..., sigma=..., sampling=...]``
(functions/families/quadsum.py: F = (1/n) sum_i (L/2)(x - b_i)^2 in 1-D). One epoch is n steps
x <- x - gamma_t grad f_{i_t}(x), with the component order given by ``sampling``:

* ``rr``: random reshuffling, a fresh uniform permutation every epoch (Cha-Lee-Yun, Safran-Shamir);
* ``iid``: with replacement, i_t uniform and independent (plain SGD on the finite sum);
* ``cyclic``: the fixed order 0..n-1 (incremental gradient).

The claim's grid variable N is the number of EPOCHS K (so N*n steps); a step formula in N sees K.
The update is the algorithm file's own (``sgd``), run in plain numpy with the R runs as the
coordinates of one vector: valid because sgd is coordinate-wise and F is 1-D (other methods are
refused). Quantities at ``last`` (the iterate after K epochs) and ``avg`` (the uniform average of
x_0..x_{nK}, one of the weighted averages Cha-Lee-Yun's bounds cover): ``f_gap`` = F - F*,
``dist_sq``, ``grad_sq`` of F; ``min`` is the running min over the steps.

Random (per-run permutations from numpy's PCG64 seeded by (seed, K)): DETERMINISTIC = False.
"""
from __future__ import annotations

import numpy as np

DETERMINISTIC = False
_COORDINATEWISE = ("sgd",)


def run(binding, runs: int, seed: int) -> dict:
    from ..engine.problem import resolve
    from ..functions.families.quadsum import components

    c = binding.claim
    if c.check.over != "N":
        raise ValueError("shuffling: the grid must be over N (the number of epochs K)")
    Ns = [int(n) for n in binding.points]
    out = {f"{q}@{it}": np.empty((len(Ns), runs)) for q in ("f_gap", "dist_sq", "grad_sq")
           for it in ("last", "avg", "min")}
    for j, K in enumerate(Ns):
        st = binding.setting(K)
        if st.get("noise") is not None:
            raise ValueError("shuffling: the finite sum is the only randomness; the claim must have no noise")
        (aname, ap), (fname, fp) = st["algorithm"], st["function"]
        if aname not in _COORDINATEWISE or fname != "smooth-convex" or fp.get("instance") != "quadsum":
            raise ValueError(f"shuffling: needs algorithm in {_COORDINATEWISE} on smooth-convex[instance=quadsum] "
                             f"(got {aname} on {fname}[instance={fp.get('instance')}])")
        prob = resolve((aname, ap), (fname, fp), None)
        inst = prob.instance
        b, L = components(fp)
        n = b.size
        T = n * K
        P = prob.make_params(T)
        alg = prob.algorithm
        rng = np.random.default_rng([seed, K])
        s = alg.init(np.full(runs, float(inst.x0[0])), P)
        xsum = s.x.copy()
        xmin = np.abs(s.x - inst.x_star[0])
        for k in range(K):
            if fp["sampling"] == "rr":
                order = rng.permuted(np.tile(np.arange(n), (runs, 1)), axis=1)
            elif fp["sampling"] == "iid":
                order = rng.integers(0, n, (runs, n))
            else:
                order = np.tile(np.arange(n), (runs, 1))
            for i in range(n):
                x = alg.query(s, P)
                g = L * (x - b[order[:, i]])
                alg.update(s, g, 0.0, P)
                xsum += s.x
                np.minimum(xmin, np.abs(s.x - inst.x_star[0]), out=xmin)
        for it, dx in (("last", s.x - inst.x_star[0]), ("avg", xsum / (T + 1) - inst.x_star[0]), ("min", xmin)):
            out[f"f_gap@{it}"][j] = 0.5 * L * dx * dx
            out[f"dist_sq@{it}"][j] = dx * dx
            out[f"grad_sq@{it}"][j] = (L * dx) ** 2
    return out


__all__ = ["DETERMINISTIC", "run"]

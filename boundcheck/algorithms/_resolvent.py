"""The backward step of the operator methods in the Monte Carlo engines: a resolvent J(y) = M y + c.

Not a plugin. ``resolvent_params`` builds a method's P(step, M, c) from the instance's resolvent
(functions/operator.py ``AffineResolvent``, passed by engine/problem.py in the problem facts);
``affine_map`` applies it. proximal-point takes J_{gamma F}, forward-backward J_{gamma B}.
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np
from numba import njit


def resolvent_params(P, p: Mapping[str, Any], prob: Mapping[str, Any], key: str):
    """P(step=gamma, M, c) for a method with a backward step J(y) = M y + c: ``prob[key]`` is the
    instance's resolvent as gamma -> (M, c) (Monte Carlo engines, engine/problem.py); without it
    M and c are empty (the PEP, whose driver takes the backward step itself, or B = 0)."""
    gamma = float(p["gamma"])
    res = prob.get(key)
    if res is None:
        return P(step=gamma, M=np.zeros((0, 0)), c=np.zeros(0))
    M, c = res(gamma)
    return P(step=gamma, M=M, c=c)


@njit
def affine_map(out, M, c, x):
    """out = M x + c, summed left to right (``out`` must not be ``x``). Compiled on its own, never
    inlined: numba's inliner (inline="always", used for algorithm functions) miscompiled this loop
    inside the engine's loop (proximal point's query returned x_k unchanged; numba 0.68)."""
    d = x.shape[0]
    for i in range(d):
        v = c[i]
        for j in range(d):
            v += M[i, j] * x[j]
        out[i] = v

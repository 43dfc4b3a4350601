"""forward-backward: the forward-backward split for 0 in A(x) + B(x), step gamma > 0 (absolute):

    x_{k+1} = J_{gamma B}(x_k - gamma A(x_k)),   J_{gamma B} = (I + gamma B)^(-1)

with A the operator the oracle evaluates (cocoercive, for the theory: gamma in (0, 2 beta) makes
J_{gamma B}(I - gamma A) averaged; or Lipschitz monotone) and B maximally monotone, reached only
through its resolvent. One oracle call (A at x_k) per step.

Where B comes from, per engine:

* Monte Carlo engines: the instance's backward part (``Instance.backward``, the ``split`` generator
  of cocoercive: B(x) = K (x - x*), K skew; functions/cocoercive.py), whose resolvent
  J(y) = M y + c reaches make_params through the problem facts. An instance without one has B = 0.
* PEP: **B = 0 only.** The PEP builder models one operator class per problem (pep/build.py: one
  set of oracle points, one class's interpolation conditions); a second class for B would need a
  second family of points and conditions, which it does not have. Its FB is therefore the forward
  step x_{k+1} = x_k - gamma A(x_k) on A's class. Over pairs (A, B) that is a restriction
  (B = 0 is one maximally monotone operator), so it is never used for a claim on a split problem:
  a catalogue claim with this method on a ``split`` instance cannot list the pep engine
  (claims/setting.py).

References: P.-L. Lions, B. Mercier, SIAM J. Numer. Anal. 16 (1979); H. Bauschke, P. Combettes,
Convex Analysis and Monotone Operator Theory in Hilbert Spaces, 2nd ed. (2017), Sec. 26.5.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import ops
from ..algorithm import Algorithm
from ..params import Interval, Param
from ._resolvent import affine_map, resolvent_params


class State(NamedTuple):
    x: np.ndarray
    z: np.ndarray   # scratch for the backward step (Monte Carlo engines)


class P(NamedTuple):
    step: float
    M: np.ndarray   # J_{gamma B}(y) = M y + c (d x d); 0 x 0: B = 0 (the PEP, or an instance without B)
    c: np.ndarray


def init(x0, P):
    return State(x=x0.copy(), z=x0.copy())


def query(s, P):
    return s.x


def update(s, g, fx, P):
    ops.axpy(s.x, -P.step, g)          # forward: x_k - gamma A(x_k)
    if P.M.shape[0] > 0:
        affine_map(s.z, P.M, P.c, s.x)  # backward: J_{gamma B}, into the scratch z
        ops.assign(s.x, s.z)


def make_params(p, N, prob):
    return resolvent_params(P, p, prob, "backward")  # the instance's B (Monte Carlo engines; engine/problem.py)


PLUGIN = Algorithm(
    name="forward-backward",
    summary="forward-backward split x_{k+1} = J_{gamma B}(x_k - gamma A x_k) (PEP: B = 0 only)",
    update_rule="x_{k+1} = J_{gamma B}(x_k - gamma A(x_k))",
    params=(
        Param("gamma", Interval(0, float("inf"), lo_open=True, hi_open=True), 1.0, "step gamma (absolute)"),
    ),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=False,
    references=("P.-L. Lions, B. Mercier, SIAM J. Numer. Anal. 16 (1979)",
                "H. Bauschke, P. Combettes, Convex Analysis and Monotone Operator Theory in Hilbert Spaces, "
                "2nd ed. (2017), Sec. 26.5"),
)

"""State and parameters shared by the momentum methods (nsgd-m, sign-sgd with momentum).

    m_t = beta_t m_{t-1} + (1 - beta_t) g_t,   m_{-1} = 0;   gamma_t, beta_t precomputed for t < N.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._common import MOMENTUM, steps


class State(NamedTuple):
    x: np.ndarray
    m: np.ndarray
    k: np.ndarray  # k[0] = t


class P(NamedTuple):
    gamma: np.ndarray
    beta: np.ndarray


def init(x0, P):
    return State(x=x0.copy(), m=x0 - x0, k=np.zeros(1))


def query(s, P):
    return s.x


def make_params(p, N, prob):
    return P(gamma=steps(p, N, prob),
             beta=steps(p, N, prob, "beta", shape_key=None, domain=MOMENTUM))

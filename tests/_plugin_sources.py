"""Plugin files and claims used by the plugin tests (written into temporary folders).

Each is a user's file as docs/own-method.md describes it: absolute imports from boundcheck, a
module-level PLUGIN. ``STEP_SCALE``, ``GRAD_SCALE`` and ``NOISE_SCALE`` are the lines the tests
edit to check that a changed file changes the result (no stale kernel).
"""
from __future__ import annotations

ALGORITHM = '''"""my-gd: gradient descent with step h/L (a user's copy of the built-in gd)."""
from typing import NamedTuple

import numpy as np

from boundcheck import ops
from boundcheck.algorithm import Algorithm
from boundcheck.params import Interval, Param

STEP_SCALE = 1.0


class State(NamedTuple):
    x: np.ndarray


class P(NamedTuple):
    step: float


def init(x0, P):
    return State(x=x0.copy())


def query(s, P):
    return s.x


def update(s, g, fx, P):
    ops.axpy(s.x, -STEP_SCALE * P.step, g)


def make_params(p, N, prob):
    return P(step=p["h"] / prob["L"])


PLUGIN = Algorithm(
    name="my-gd", summary="gradient descent, step h/L (user plugin)",
    update_rule="x_{t+1} = x_t - (h/L) grad f(x_t)",
    params=(Param("h", Interval(0, float("inf"), lo_open=True, hi_open=True), 1.0, "normalized step"),),
    State=State, init=init, query=query, update=update, make_params=make_params, stochastic=False,
)
'''

ALGORITHM_CLAIMS = '''title = "my-gd on L-smooth convex functions"
[params]
L = { default = 1.0, domain = "(0, inf)", doc = "smoothness" }
R = { default = 1.0, domain = "(0, inf)", doc = "initial distance" }
h = { default = 1.0, domain = "(0, 2)", doc = "normalized step" }

[setting]
algorithm = { name = "my-gd", h = "h" }
function = { name = "smooth-convex", instance = "huber", L = "L", R = "R", N = "N", h = "h" }

[check]
N = [1, 2, 5, 10]
runs = 1
seed = 0
confidence = 0.95

[[claim]]
id = "U-my-gd-tight"
kind = "upper"
metric = "f_gap"
iterate = "last"
bound = "L*R^2/(4*N*h + 2)"
assumptions = ["0 < h <= 1"]
engines = ["mc"]
expected = "PASS"
fast = true
[claim.citation]
authors = ["Y. Drori", "M. Teboulle"]
year = 2014
title = "Performance of first-order methods for smooth convex minimization: a novel approach"
theorem = "Thm 3.1"
'''

FUNCTION = '''"""my-quad: separable quadratics 1/2 sum c_i (x_i - b_i)^2 with c in [L/10, L], c_0 = L."""
import numpy as np
from numba import njit

from boundcheck.functions.base import Certified, Condition, FunctionClass, Generator, Instance, unit_vector
from boundcheck.params import Interval, Param

GRAD_SCALE = 1.0


@njit  # plain @njit, not cache=True (docs/adding-a-function-class.md): the engine caches its kernel
def value(x, p, A, b):
    s = 0.0
    for i in range(x.shape[0]):
        s += 0.5 * p[i] * (x[i] - b[i]) ** 2
    return s


@njit  # plain @njit, not cache=True (docs/adding-a-function-class.md): the engine caches its kernel
def grad(x, p, A, b, out):
    for i in range(x.shape[0]):
        out[i] = GRAD_SCALE * p[i] * (x[i] - b[i])


def interpolation(pi, pj, c):
    dx, dg = pi.x - pj.x, pi.g - pj.g
    return pi.f - pj.f - pj.g @ dx - (dg @ dg) / (2 * c["L"])


def build(p, rng):
    d, L, R = p["d"], p["L"], p["R"]
    c = L * rng.uniform(0.1, 1.0, d)
    c[0] = L
    b = rng.standard_normal(d)
    e0 = np.zeros(d)
    e0[0] = 1.0
    return Instance(function="my-quad", generator="diag", params=p, d=d, value=value, grad=grad,
                    data=(c, np.zeros((1, 1)), b), x0=b + R * unit_vector(rng, d), x_star=b, f_star=0.0,
                    constants={"L": Certified(float(c.max()), "exact: the largest curvature, c_0 = L")},
                    probes=lambda rng, n: [b + t * e0 for t in rng.uniform(-1, 1, n)])


PLUGIN = FunctionClass(
    name="my-quad", summary="separable convex quadratics, curvatures in [L/10, L] (user plugin)",
    definition="f(x) = 1/2 sum c_i (x_i - b_i)^2",
    constants=(Param("L", Interval(0, float("inf"), lo_open=True, hi_open=True), 1.0, "smoothness"),),
    stronger={"L": "smaller"},
    generators=(Generator("diag", "random curvatures in [L/10, L], c_0 = L", build),),
    default_generator="diag",
    conditions=(Condition("smooth convex interpolation", "pair", interpolation, "interpolation", "exact",
                          "f_i >= f_j + <g_j, x_i - x_j> + ||g_i - g_j||^2/(2L)"),),
)
'''

FUNCTION_CLAIMS = '''title = "gd on my-quad"
[params]
L = { default = 1.0, domain = "(0, inf)", doc = "smoothness" }
R = { default = 1.0, domain = "(0, inf)", doc = "initial distance" }

[setting]
algorithm = { name = "gd", h = 1.0 }
function = { name = "my-quad", L = "L", R = "R", d = 5 }

[check]
N = [1, 2, 5, 10, 20]
runs = 1
seed = 0
confidence = 0.95

[[claim]]
id = "U-gd-my-quad"
kind = "upper"
metric = "f_gap"
iterate = "last"
bound = "L*R^2/(4*N + 2)"
engines = ["mc"]
expected = "PASS"
fast = true
[claim.citation]
authors = ["Y. Drori", "M. Teboulle"]
year = 2014
title = "Performance of first-order methods for smooth convex minimization: a novel approach"
theorem = "Thm 3.1"
'''

NOISE = '''"""my-uniform (sigma): i.i.d. uniform coordinates on [-a, a], a = sigma sqrt(3/d), E||xi||^2 = sigma^2."""
import math

import numpy as np
from numba import njit

from boundcheck.functions.base import Certified
from boundcheck.noise.base import INF, NoiseModel, iid_norm_moment
from boundcheck.params import Interval, Param
from boundcheck.rng import uniform

NOISE_SCALE = 1.0


@njit  # plain @njit, not cache=True (docs/adding-a-function-class.md): the engine caches its kernel
def sample(s, theta, g, out):
    for i in range(out.shape[0]):
        out[i] = NOISE_SCALE * theta[0] * (2.0 * uniform(s) - 1.0)


def _a(p, d):
    return p["sigma"] * math.sqrt(3.0 / d)


def moment(p, d, q):
    a = _a(p, d)
    if a == 0:
        return Certified(0.0, "exact: xi = 0")
    return iid_norm_moment(d, q, a ** q / (q + 1), "E|u|^q = a^q/(q+1)", a * a / 3, "E u^2 = a^2/3")


def law(p, d):
    from scipy import stats

    a = _a(p, d)
    return stats.uniform(loc=-a, scale=2 * a)


PLUGIN = NoiseModel(
    name="my-uniform", summary="uniform coordinates, E||xi||^2 = sigma^2 (user plugin)",
    definition="xi_i ~ U[-a, a], a = sigma sqrt(3/d)",
    params=(Param("sigma", Interval(0, INF, hi_open=True), 1.0, "noise level"),),
    sample=sample, pack=lambda p, d: np.array([_a(p, d)]), symmetric=lambda p: True,
    tail_index=lambda p: INF, moment_bound=moment, law=law,
)
'''

NOISE_CLAIMS = '''title = "sgd with my-uniform noise"
[params]
sigma = { default = 0.1, domain = "[0, inf)", doc = "noise level" }

[setting]
algorithm = { name = "sgd", gamma = 0.5 }
noise = { name = "my-uniform", sigma = "sigma" }
function = { name = "smooth-strongly-convex", L = 1.0, mu = 0.1, R = 1.0, d = 10 }

[check]
N = [50, 100, 200]
runs = 200
seed = 0
confidence = 0.95

[[claim]]
id = "U-sgd-my-uniform"
kind = "upper"
metric = "dist_sq"
iterate = "last"
bound = "(1 - 0.05)^N + 0.5*sigma^2/0.1"
engines = ["mc"]
expected = "PASS"
fast = true
notes = "SGD with step gamma <= 1/L on mu-strongly convex f: E||x_N - x*||^2 <= (1 - gamma mu)^N R^2 + gamma sigma^2/mu"
[claim.citation]
authors = ["E. Moulines", "F. Bach"]
year = 2011
title = "Non-asymptotic analysis of stochastic approximation algorithms for machine learning"
theorem = "Thm 1"
'''


def write(folder, py_name: str, py_text: str, toml_text: str | None = None):
    """Write ``py_text`` as ``folder/py_name`` (and the claims as ``folder/claims.toml``)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / py_name).write_text(py_text)
    if toml_text is not None:
        (folder / "claims.toml").write_text(toml_text)
    return folder


BROKEN = {
    "syntax": "def f(:\n",
    "missing-update": ALGORITHM.replace("def update(s, g, fx, P):\n    ops.axpy(s.x, -STEP_SCALE * P.step, g)\n", ""),
    "bad-param": ALGORITHM.replace('1.0, "normalized step"', '-1.0, "normalized step"'),
}


def case(tmp, files: dict, argv: list) -> list:
    """For tests/test_bad_input_cli.py rows: write ``files`` ({name: text}, text a key of BROKEN or
    source) into ``tmp`` and return the argv, with '{dir}' and '{tmp}' replaced by the folder."""
    from pathlib import Path

    tmp = Path(tmp)
    for name, text in files.items():
        (tmp / name).write_text(BROKEN.get(text, text))
    return [a.replace("{dir}", str(tmp)) for a in argv]

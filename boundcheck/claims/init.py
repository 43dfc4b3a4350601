"""The ``init`` claim key: the initial condition of a deterministic claim, as in ``certify --init``.

    init = "dist[R=R]"          # ||x0 - x*|| <= R (the default: the function setting's R)
    init = "f-gap[F0=F0]"       # f(x0) - f* <= F0
    init = "f-decrease[F0=F0]"  # normalised by f(x0) - f(x_N): T02's form
    init = "potential[E0=E0]"   # f(x0) - f* + mu/2 ||x0 - x*||^2 <= E0 (mu: the class's), T04 sc FGM
    init = { name = "f-gap", F0 = "2*L" }   # values may be formulas in the claim's parameters

Both engines honour it:

* PEP: the same initial condition (pep/measures.py INITS).
* Monte Carlo, on the generated instance (the worst case over the initial set is at least the
  value at any point of it, so the instance must lie on the set's boundary):
  - ``dist[R]``: x0 = x* + R u (the function's R is set to R);
  - ``f-gap[F0]``: x0 is moved along the ray from x* through the generated x0 until
    f(x0) - f* = F0 exactly (bisection on the distance; needs f* and x*);
  - ``potential[E0]``: the same ray, until f(x0) - f* + mu/2 ||x0 - x*||^2 = E0 exactly (mu the
    function setting's; a class without mu is refused when the claim is loaded);
  - ``f-decrease[F0]``: each run's metric is multiplied by F0 / (f(x0) - f(x_N)) (x_N the
    method's output when it declares one, as in the PEP), so the claim's bound, a formula in F0, is
    compared with the metric normalised by the run's own decrease.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping

import numpy as np

# name -> (its parameter, what it means); the same names and parameters as pep/measures.py INITS
INITS = {
    "dist": ("R", "||x0 - x*|| <= R"),
    "f-gap": ("F0", "f(x0) - f* <= F0"),
    "f-decrease": ("F0", "normalised by f(x0) - f(x_N) (= F0 in the bound)"),
    "potential": ("E0", "f(x0) - f* + mu/2 ||x0 - x*||^2 <= E0 (mu: the function class's)"),
}
NEEDS = {"potential": ("mu",)}  # class constants an initial condition reads (as pep/measures.py Init.needs)


@dataclass(frozen=True)
class Init:
    name: str
    value: Any  # sympy expression in the claim's parameters (or a number); None: dist's default R
    text: str

    def at(self, values: Mapping[str, float]) -> float | None:
        from .formula import evaluate

        if self.value is None:
            return None
        return float(self.value) if isinstance(self.value, (int, float)) else evaluate(self.value, values)

    @property
    def pep_name(self) -> str:
        return self.name


def parse_init(raw, names: set, where: str) -> Init | None:
    """The ``init`` key's value -> Init; CatalogueError naming what is wrong."""
    from ..errors import CatalogueError
    from .formula import parse
    from .setting import name_and_params

    if raw is None:
        return None
    name, given = name_and_params(raw, f"{where}: init",
                                  f"must be NAME[k=v] or {{name = ..., k = v}} ({', '.join(INITS)})")
    if name not in INITS:
        raise CatalogueError(f"{where}: unknown init {name!r} (initial conditions: {', '.join(INITS)})")
    key = INITS[name][0]
    extra = [k for k in given if k != key]
    if extra:
        raise CatalogueError(f"{where}: init {name} takes only {key} (got {', '.join(extra)})")
    if key not in given:
        if name != "dist":
            raise CatalogueError(f"{where}: init {name} needs {key} (e.g. {name}[{key}={key}] with {key} a parameter)")
        return Init(name, None, raw if isinstance(raw, str) else name)
    v = given[key]
    expr = parse(str(v), names, where=f"{where}: init {name}.{key}") if isinstance(v, str) else float(v)
    return Init(name, expr, raw if isinstance(raw, str) else f"{name}[{key}={v}]")


def check_init(init: Init | None, fcls, where: str) -> None:
    """CatalogueError when the initial condition reads a constant the claim's function class lacks."""
    from ..errors import CatalogueError

    if init is None:
        return
    have = {p.name for p in fcls.constants}
    missing = [k for k in NEEDS.get(init.name, ()) if k not in have]
    if missing:
        raise CatalogueError(f"{where}: init {init.name} needs the class constant {', '.join(missing)}, which "
                             f"{fcls.name} does not have (constants: {', '.join(sorted(have))})")


# ---------------------------------------------------------------------------- Monte Carlo
def mc_function(init: Init | None, values: Mapping[str, float], function):
    """The engine's ``function`` argument for this initial condition: the (name, params) pair
    unchanged, with R set (dist), or a built Instance with x0 on the level set (f-gap, potential)."""
    if init is None or init.name == "f-decrease":
        return function
    name, params = function
    x = init.at(values)
    if init.name == "dist":
        return function if x is None else (name, {**params, "R": x})
    from .. import registry

    inst = registry.functions.get(name).instance(**params)
    if init.name == "potential":
        return on_potential_level(inst, x, float(inst.params["mu"]))
    return on_level_set(inst, x)


def on_level_set(inst, F0: float, mu: float = 0.0, what: str = "f-gap"):
    """The instance with x0 on the ray from x* through x0 where f(x0) - f* + mu/2 ||x0 - x*||^2 = F0
    (mu = 0: the level set f - f* = F0). Both terms grow along the ray for a convex f, so the
    crossing is found by doubling, then bisection on the distance."""
    from ..errors import ParamError

    if inst.x_star is None or inst.f_star is None:
        raise ParamError(f"init {what}: the {inst.function} instance ({inst.generator}) has no known x*, f*")
    u = inst.x0 - inst.x_star
    uu = float(u @ u)
    gap = lambda s: inst.f(inst.x_star + s * u) - inst.f_star + mu / 2 * s * s * uu  # noqa: E731
    lo, hi = 0.0, 1.0
    while gap(hi) < F0:
        lo, hi = hi, 2 * hi
        if hi > 1e12:
            lhs = "f - f*" if mu == 0 else "f - f* + mu/2 ||x - x*||^2"
            raise ParamError(f"init {what}: {lhs} stays below {F0:g} along the ray from x* ({inst.generator})")
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if gap(mid) < F0 else (lo, mid)
        if hi - lo <= 1e-15 * hi:
            break
    s = hi if abs(gap(hi) - F0) <= abs(gap(lo) - F0) else lo
    x0 = inst.x_star + s * u
    return replace(inst, x0=x0, params={**inst.params, "R": float(np.linalg.norm(x0 - inst.x_star))})


def on_potential_level(inst, E0: float, mu: float):
    """The instance with x0 on the ray from x* through x0 where f(x0) - f* + mu/2 ||x0 - x*||^2 = E0."""
    return on_level_set(inst, E0, mu=mu, what="potential")


def decrease_iterate(claim) -> str:
    """Where f(x_N) is read for f-decrease: the method's output when it declares one."""
    from .. import registry

    return "out" if registry.algorithms.get(claim.algorithm).output is not None else "last"


def normalise(init: Init | None, values: Mapping[str, float], metric: np.ndarray, f0_gap: float,
              fN_gap: np.ndarray) -> np.ndarray:
    """f-decrease: metric * F0 / (f(x0) - f(x_N)); the others: unchanged. A run with no decrease
    (f(x_N) >= f(x0)) gets an infinite value where its metric is positive (never hidden)."""
    if init is None or init.name != "f-decrease":
        return metric
    dec = f0_gap - np.asarray(fN_gap, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(dec > 0, metric * init.at(values) / dec, np.where(metric > 0, np.inf, 0.0))
    return out


__all__ = ["INITS", "NEEDS", "Init", "parse_init", "check_init", "mc_function", "on_level_set", "on_potential_level",
           "normalise", "decrease_iterate", "apply_mc"]


def apply_mc(b, results, values: np.ndarray, settings) -> np.ndarray:
    """The claim's values after the initial condition's normalisation (f-decrease only).
    ``results``: one Results (checkpoints at the N grid) or one per grid point; ``settings``: the
    engine setting of each grid point (or one for all), to compute f(x0) - f*."""
    init = b.claim.init
    if init is None or init.name != "f-decrease":
        return values
    from .. import registry

    name = f"f_gap@{decrease_iterate(b.claim)}"
    seq = results if isinstance(results, (list, tuple)) else None
    fN = (np.asarray(results[name], float).T if seq is None
          else np.stack([np.asarray(r[name], float)[-1] for r in seq], axis=1))
    sts = settings if isinstance(settings, (list, tuple)) else [settings] * values.shape[1]
    out = np.empty_like(values, dtype=float)
    for j, st in enumerate(sts):
        fname, fp = st["function"]
        inst = registry.functions.get(fname).instance(**fp)
        f0 = inst.f(inst.x0) - (inst.f_star if inst.f_star is not None else 0.0)
        out[:, j] = normalise(init, b.values, values[:, j], f0, fN[:, j])
    return out

"""Resolve what the user asked for (spec strings or objects) into one validated ``Problem``.

Shared by the numba engine (api.py) and the numpy reference (reference.py), so both run exactly
the same algorithm, instance and noise, with the same parameters and problem facts.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from ..errors import ParamError, UsageError


@dataclass
class Problem:
    algorithm: Any  # boundcheck.algorithm.Algorithm
    alg_params: dict
    instance: Any  # boundcheck.functions.base.Instance
    fn_params: dict
    noise: Any | None  # boundcheck.noise.base.NoiseModel
    noise_params: dict
    noise_facts: dict
    facts: dict  # ``prob`` passed to make_params
    batch: int = 1  # noise draws per step (averaged; or the m individual draws when ``multi``)
    n_aux: int = 0  # auxiliary N(0, 1) rows per step (``multi`` only)
    multi: bool = False  # the algorithm declares samples_per_step: update receives G[(m + r), d]
    specs: dict = field(default_factory=dict)

    @property
    def theta(self) -> np.ndarray:
        if self.noise is None:
            return np.zeros(1)
        return np.ascontiguousarray(self.noise.pack(self.noise_params, self.instance.d), dtype=np.float64)

    def make_params(self, horizon: int):
        try:
            return self.algorithm.make_params(self.alg_params, int(horizon), self.facts)
        except KeyError as e:  # a method reading prob[...] directly (others use algorithms._common.need)
            raise ParamError(f"{self.algorithm.name} needs the problem constant {e} (for its step), which "
                             f"{self.instance.function} does not provide (known: {', '.join(sorted(self.facts))})") from None

    def horizon_dependent(self) -> bool:
        return bool(self.algorithm.horizon_dependent(self.alg_params))


def canonical(name: str, params: Mapping[str, Any]) -> str:
    if not params:
        return name

    def fmt(v):
        if isinstance(v, float):
            return "inf" if v == math.inf else ("-inf" if v == -math.inf else repr(float(v)))  # shortest round-trip
        return str(v)

    return f"{name}[{','.join(f'{k}={fmt(v)}' for k, v in params.items())}]"


def _split(obj, kind: str):
    """(name-or-object, params) from a spec string, a Spec, an object, or an (object, dict) pair."""
    from ..spec import Spec, parse_spec

    if isinstance(obj, str):
        s = parse_spec(obj)
        return s.name, dict(s.params)
    if isinstance(obj, Spec):
        return obj.name, dict(obj.params)
    if isinstance(obj, tuple) and len(obj) == 2 and isinstance(obj[1], Mapping):
        return obj[0], dict(obj[1])
    return obj, {}


def resolve_algorithm(algorithm, params: Mapping[str, Any] | None = None):
    from .. import registry

    ref, given = _split(algorithm, "algorithm")
    for k, v in (params or {}).items():
        k = k[5:] if k.startswith("algo.") else k
        given[k] = v
    alg = registry.algorithms.get(ref) if isinstance(ref, str) else ref
    return alg, alg.validate(given)


def resolve_function(function):
    from .. import registry
    from ..functions.base import Instance

    ref, given = _split(function, "function")
    if isinstance(ref, Instance):
        if given:
            raise UsageError("engine: an Instance is already built; pass its class with parameters instead")
        return ref, dict(ref.params)
    cls = registry.functions.get(ref) if isinstance(ref, str) else ref
    given = {(k[9:] if k.startswith("function.") else k): v for k, v in given.items()}
    inst = cls.instance(**given)
    return inst, dict(inst.params)


def resolve_noise(noise, d: int):
    """(model or None, params, facts) for ``noise`` at dimension d."""
    if noise is None or (isinstance(noise, str) and noise.strip().lower() in ("none", "")):
        return None, {}, {"noise": "none"}
    if isinstance(noise, str):
        from ..noise.shorthand import resolve_noise as _resolve

        ch = _resolve(noise, d)
        return ch.model, dict(ch.params), ch.facts()
    ref, given = _split(noise, "noise")
    if isinstance(ref, str):
        from ..noise.shorthand import resolve_noise as _resolve

        ch = _resolve(canonical(ref, given) if given else ref, d)
        return ch.model, dict(ch.params), ch.facts()
    model = ref
    p = model.validate({(k[6:] if k.startswith("noise.") else k): v for k, v in given.items()})
    return model, p, {"noise": canonical(model.name, p)}


def resolve(algorithm, function, noise=None, params: Mapping[str, Any] | None = None) -> Problem:
    alg, ap = resolve_algorithm(algorithm, params)
    inst, fp = resolve_function(function)
    model, npar, nfacts = resolve_noise(noise, inst.d)
    if model is not None and not alg.stochastic:
        raise UsageError(
            f"'{alg.name}' is a deterministic method (its theorems assume exact gradients): run it "
            f"without noise (--noise none), or use a stochastic method such as 'sgd'")
    backward = getattr(alg, "resolvent", None) is not None
    if backward and getattr(inst, "resolvent", None) is None:
        raise UsageError(
            f"'{alg.name}' takes a backward (proximal) step x = J(q), which needs a resolvent oracle: "
            f"{inst.function}'s generator '{inst.generator}' has none in closed form (linear operators have one); "
            f"use a linear generator, or bound it with the PEP (boundcheck certify, or engines = [\"pep\"])")
    facts: dict[str, Any] = dict(inst.constant_values())
    if backward:
        facts["resolvent"] = inst.resolvent  # make_params builds J_(aF) from it (functions/operator.py)
    if getattr(inst, "backward", None) is not None:
        facts["backward"] = inst.backward  # a split problem's B: its resolvent (algorithms/forward_backward.py)
    facts["f_star"] = inst.f_star
    facts["d"] = inst.d
    if "R" in fp:
        facts["R"] = float(fp["R"])
    elif inst.x_star is not None:
        facts["R"] = float(np.linalg.norm(inst.x0 - inst.x_star))
    for k in ("sigma", "alpha"):
        if nfacts.get(k) is not None:
            facts[k] = nfacts[k]
    sps = getattr(alg, "samples_per_step", None)
    n_aux = 0
    if sps is not None:
        batch, n_aux = (int(v) for v in sps(ap))
        if batch < 1 or n_aux < 0:
            raise ParamError(f"{alg.name}: samples_per_step gave ({batch}, {n_aux}); expected m >= 1, r >= 0")
    else:
        batch = ap.get("batch", 1)
        if not (isinstance(batch, (int, np.integer)) or float(batch).is_integer()) or int(batch) < 1:
            raise ParamError(f"{alg.name}: 'batch' must be a positive integer (got {batch})")
    specs = {
        "algorithm": canonical(alg.name, ap),
        "function": canonical(inst.function, fp),
        "noise": nfacts.get("noise", "none") if model is not None else "none",
    }
    return Problem(alg, ap, inst, fp, model, npar, nfacts, facts, int(batch), n_aux, sps is not None, specs)


__all__ = ["Problem", "resolve", "canonical"]

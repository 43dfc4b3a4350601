"""Resolve a ``--noise`` string into a noise model, validated parameters and declared facts.

Accepted forms (boundcheck/spec.py):

* a spec ``NAME`` or ``NAME[k=v,...]``: ``gaussian``, ``pareto[beta=1.6]``, ``student-t[nu=3]``;
* the headline shorthand ``alpha=A`` (or the namespaced ``noise.alpha=A``): "noise with a bounded
  alpha-th moment". 'alpha' must be in (1, 2], as in the theorems (T07, T08); other values fail
  validation with ``'alpha' must be in (1, 2] (got 2.5)``.

THE DEFAULT HEAVY-TAILED FAMILY for ``alpha=A`` is the symmetric Pareto/Lomax law with tail index
``beta = A + 0.1`` and unit per-coordinate scale, i.e. ``pareto[beta=A+0.1,scale=1]`` (docs/pitfalls.md#stable-is-not-bounded-moment:
"to meet bounded alpha-th moment for a nominal alpha, use beta = alpha + 0.1"). Its tail index is
strictly above A, so E||xi||^A is finite and ``sigma`` below is a certified bound on it. It is NOT
the alpha-stable law: stable(alpha=A) has an infinite A-th moment (docs/pitfalls.md#stable-is-not-bounded-moment), so it
does not satisfy the hypothesis. The family is symmetric: symmetric noise makes clipped methods
look faster than the minimax rates (docs/pitfalls.md#symmetric-noise-beats-minimax); for lower bounds use ``rare-spike``. Besides
``alpha``, the shorthand accepts ``scale`` (passed to the family: ``alpha=1.5,scale=2``); the tail
index is fixed by alpha, so ``beta`` is refused (write ``pareto[beta=...]`` to choose it).

Declared facts for claims (``NoiseChoice.facts()``):

* ``alpha``: the bounded-moment order. For the shorthand, A. For a named model: the model's own
  ``alpha`` parameter when its alpha-th moment is finite (rare-spike), else 2 when the tail index
  exceeds 2 (gaussian, student-t[nu=3], ...), else tail_index - 0.1 (the same margin as the
  shorthand; pareto[beta=1.6] gives 1.5), and None when that is not above 1 (no order in (1, 2]).
  ``resolve_noise(..., alpha=A)`` overrides it (refused when the A-th moment is infinite).
* ``sigma``: a certified bound on (E||xi||^alpha)^{1/alpha} at dimension ``d``, from the model's
  ``moment_bound`` (value, proof in ``sigma_method``, ``sigma_exact``); ``inf`` when no bound
  uniform in the iterate exists (affine-variance with sigma1 > 0).
* ``tail_index``, ``symmetric``, ``grad_dependent``, and ``noise``: the canonical spec string.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from ..errors import ParamError, SpecSyntaxError
from ..functions.base import Certified
from ..params import Interval, Param, validate
from .base import NoiseModel

DEFAULT_FAMILY = "pareto"
"""The family behind ``--noise alpha=A`` (see the module docstring)."""

TAIL_MARGIN = 0.1
"""beta = alpha + TAIL_MARGIN for the shorthand; alpha = tail_index - TAIL_MARGIN for named models."""

ALPHA = Param("alpha", Interval(1, 2, lo_open=True), None,
              "order of the bounded noise moment: E||xi||^alpha <= sigma^alpha")

_PREFIX = "noise."


@dataclass(frozen=True)
class NoiseChoice:
    """A resolved ``--noise``: the model, its validated parameters and the facts claims read."""

    model: NoiseModel
    params: dict
    spec: str
    d: int
    alpha: float | None
    sigma: Certified | None
    shorthand: bool

    def at_dim(self, d: int) -> "NoiseChoice":
        """The same noise with ``sigma`` certified at dimension ``d``."""
        return replace(self, d=d, sigma=_sigma(self.model, self.params, d, self.alpha))

    def facts(self) -> dict[str, Any]:
        return {
            "noise": self.spec,
            "alpha": self.alpha,
            "sigma": None if self.sigma is None else float(self.sigma.value),
            "sigma_method": None if self.sigma is None else self.sigma.method,
            "sigma_exact": None if self.sigma is None else self.sigma.exact,
            "d": self.d,
            "tail_index": self.model.tail_index(self.params),
            "symmetric": bool(self.model.symmetric(self.params)),
            "grad_dependent": self.model.grad_dependent,
        }


def _fmt(v) -> str:
    """Shortest exact text of a value (repr round-trips floats; 1.0 -> '1')."""
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return str(v)


def _canonical(name: str, params: dict) -> str:
    if not params:
        return name
    return f"{name}[{','.join(f'{k}={_fmt(v)}' for k, v in params.items())}]"


def _sigma(model: NoiseModel, params: dict, d: int, alpha: float | None) -> Certified | None:
    if alpha is None:
        return None
    return model.moment_bound(params, d, alpha)


def _default_alpha(model: NoiseModel, params: dict, d: int) -> float | None:
    if "alpha" in params and math.isfinite(model.moment_bound(params, d, params["alpha"]).value):
        return float(params["alpha"])
    ti = model.tail_index(params)
    if ti > 2:
        return 2.0
    a = round(ti - TAIL_MARGIN, 12)
    return a if a > 1 else None


def moment_order(model: NoiseModel, params: dict, d: int = 1) -> float | None:
    """The bounded-moment order a noise declares (``facts()["alpha"]`` of a named model): its own
    ``alpha`` when that moment is finite, 2 when the tail index exceeds 2, else tail_index - 0.1,
    None when that is not above 1. Claims read it as the moment hypothesis their noise satisfies."""
    return _default_alpha(model, params, d)


def canonical(name: str, params: dict) -> str:
    """``NAME[k=v,...]`` with the shortest exact text of each value."""
    return _canonical(name, params)


def _is_shorthand(text: str) -> bool:
    return "=" in text and "[" not in text.split("=", 1)[0]


def _resolve_shorthand(text: str, d: int) -> NoiseChoice:
    from ..spec import parse_kv
    from .. import registry

    kv = parse_kv(text)
    given: dict[str, str] = {}
    for k, v in kv.items():
        key = k[len(_PREFIX):] if k.startswith(_PREFIX) else k
        if "." in key:
            raise ParamError(f"--noise {text!r}: {k!r} is not a noise key (noise keys are 'alpha' or "
                             f"'noise.alpha', optionally 'scale')")
        if key in given:
            raise SpecSyntaxError(f"--noise {text!r}: {key!r} given twice")
        given[key] = v
    if "alpha" not in given:
        raise ParamError(f"--noise {text!r}: the shorthand needs 'alpha' (e.g. --noise alpha=1.5), "
                         f"or give a model: NAME[k=v,...]")
    alpha = validate((ALPHA,), {"alpha": given.pop("alpha")}, owner="noise")["alpha"]
    family = registry.noise.get(DEFAULT_FAMILY)
    if "beta" in given:
        raise ParamError(f"noise: 'beta' is set by alpha in the shorthand (beta = alpha + {TAIL_MARGIN:g}); "
                         f"to choose it write --noise '{DEFAULT_FAMILY}[beta=...]'")
    params = family.validate({**given, "beta": round(alpha + TAIL_MARGIN, 12)})
    return NoiseChoice(family, params, _canonical(family.name, params), d, alpha,
                       _sigma(family, params, d, alpha), True)


def resolve_noise(text: str, d: int = 1, alpha: float | None = None) -> NoiseChoice:
    """Turn a ``--noise`` string into a ``NoiseChoice`` (model, validated params, facts at dim d).

    Raises ``UnknownNameError`` (with "did you mean") for an unknown model, ``ParamError`` for a
    parameter out of its domain, ``SpecSyntaxError`` for a malformed string.
    """
    from ..spec import parse_spec
    from .. import registry

    text = text.strip()
    if _is_shorthand(text):
        if alpha is not None:
            raise ParamError(f"--noise {text!r} already sets alpha")
        return _resolve_shorthand(text, d)
    spec = parse_spec(text)
    model = registry.noise.get(spec.name)
    params = model.validate(spec.params)
    if alpha is None:
        a = _default_alpha(model, params, d)
    else:
        a = validate((ALPHA,), {"alpha": alpha}, owner="noise")["alpha"]
        if not model.has_moment(params, a):
            raise ParamError(f"noise: {model.name} with tail index {model.tail_index(params):g} has an "
                             f"infinite {a:g}-th moment; use a tail index above alpha = {a:g}")
    return NoiseChoice(model, params, _canonical(model.name, params), d, a, _sigma(model, params, d, a), False)


__all__ = ["DEFAULT_FAMILY", "TAIL_MARGIN", "ALPHA", "NoiseChoice", "resolve_noise", "moment_order", "canonical"]

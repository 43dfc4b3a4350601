"""Declared parameters and their validation.

A plugin (function class, noise model, algorithm) declares its parameters once, as a tuple of
``Param(name, domain, default, doc)``; validation, ``boundcheck info``, the docs and the generic
tests all read the same declaration.

    >>> p = Param("alpha", Interval(1, 2, lo_open=True), 2.0, "order of the bounded noise moment")
    >>> p.check(2.5)
    Traceback (most recent call last):
    ...
    boundcheck.errors.ParamError: 'alpha' must be in (1, 2] (got 2.5)
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from .errors import ParamError


def _fmt(v: float) -> str:
    if v == math.inf:
        return "inf"
    if v == -math.inf:
        return "-inf"
    return f"{v:g}"


@dataclass(frozen=True)
class Interval:
    """A real (or integer) interval; ``lo_open``/``hi_open`` mark open ends."""

    lo: float = -math.inf
    hi: float = math.inf
    lo_open: bool = False
    hi_open: bool = False
    integer: bool = False

    def __contains__(self, v: float) -> bool:
        if isinstance(v, float) and math.isnan(v):
            return False
        if v < self.lo or (self.lo_open and v == self.lo):
            return False
        if v > self.hi or (self.hi_open and v == self.hi):
            return False
        return True

    def __str__(self) -> str:
        lb = "(" if self.lo_open or self.lo == -math.inf else "["
        rb = ")" if self.hi_open or self.hi == math.inf else "]"
        f = (lambda v: str(int(v)) if math.isfinite(v) else _fmt(v)) if self.integer else _fmt
        s = f"{lb}{f(self.lo)}, {f(self.hi)}{rb}"
        return ("integers in " + s) if self.integer else s

    def parse(self, name: str, raw: Any):
        if isinstance(raw, bool):
            raise ParamError(f"'{name}' must be a number (got {raw!r})")
        if isinstance(raw, str):
            txt = raw.strip().lower()
            try:
                v = float(txt.replace("infinity", "inf"))
            except ValueError:
                raise ParamError(f"'{name}' must be a number (got {raw!r})") from None
        elif isinstance(raw, (int, float)):
            v = float(raw)
        else:
            raise ParamError(f"'{name}' must be a number (got {raw!r})")
        if self.integer:
            if not math.isfinite(v) or v != int(v):
                raise ParamError(f"'{name}' must be an integer in {str(self)[12:]} (got {raw})")
            return int(v)
        return v


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of strings."""

    options: tuple[str, ...]

    def __contains__(self, v) -> bool:
        return v in self.options

    def __str__(self) -> str:
        return "{" + ", ".join(self.options) + "}"

    def parse(self, name: str, raw: Any):
        v = str(raw).strip()
        if v not in self.options:
            import difflib

            close = difflib.get_close_matches(v, self.options, n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ParamError(f"'{name}' must be one of {self} (got {v!r}){hint}")
        return v


@dataclass(frozen=True)
class Text:
    """Free text (e.g. a schedule formula, parsed later by its consumer)."""

    doc: str = "text"

    def __contains__(self, v) -> bool:
        return isinstance(v, str)

    def __str__(self) -> str:
        return self.doc

    def parse(self, name: str, raw: Any):
        return raw if not isinstance(raw, str) else raw.strip()


@dataclass(frozen=True)
class Param:
    """A declared parameter: name as in the papers, its domain, default (None = required), doc."""

    name: str
    domain: Interval | Choice | Text
    default: Any = None
    doc: str = ""

    def check(self, raw: Any):
        """Parse ``raw`` (a string from a spec or a Python value) and check the domain."""
        v = self.domain.parse(self.name, raw)
        if isinstance(self.domain, Interval) and v not in self.domain:
            raise ParamError(f"'{self.name}' must be in {self.domain} (got {_fmt(v) if isinstance(v, float) else v})")
        return v

    def describe(self) -> str:
        d = "required" if self.default is None else f"default {self.default}"
        return f"{self.name} in {self.domain} ({d}): {self.doc}"


@dataclass(frozen=True)
class Relation:
    """A cross-parameter rule, e.g. ``Relation(lambda p: p['mu'] <= p['L'], "'mu' must be <= 'L'")``."""

    holds: Callable[[Mapping[str, Any]], bool]
    message: str


def validate(
    params: Sequence[Param],
    given: Mapping[str, Any],
    *,
    owner: str,
    relations: Sequence[Relation] = (),
) -> dict[str, Any]:
    """Return a complete, checked parameter dict: defaults filled, unknown keys rejected.

    Errors name ``owner`` (e.g. ``quasar-convex``), the parameter, and its domain.
    """
    by_name = {p.name: p for p in params}
    unknown = [k for k in given if k not in by_name]
    if unknown:
        import difflib

        k = unknown[0]
        close = difflib.get_close_matches(k, list(by_name), n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ParamError(
            f"{owner}: unknown parameter {k!r}{hint} (parameters: {', '.join(by_name) or 'none'})"
        )
    out: dict[str, Any] = {}
    for p in params:
        if p.name in given:
            try:
                out[p.name] = p.check(given[p.name])
            except ParamError as e:
                raise ParamError(f"{owner}: {e}") from None
        elif p.default is None:
            raise ParamError(f"{owner}: parameter '{p.name}' is required ({p.describe()})")
        else:
            out[p.name] = p.default
    for r in relations:
        if not r.holds(out):
            raise ParamError(f"{owner}: {r.message} (got {', '.join(f'{k}={v}' for k, v in out.items() if k in r.message)})")
    return out


__all__ = ["Interval", "Choice", "Text", "Param", "Relation", "validate"]

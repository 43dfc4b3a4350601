"""The spec grammar: ``NAME`` or ``NAME[k=v,k=v]`` .

Values may themselves contain commas inside parentheses (``gamma=min(1,1/sqrt(t))``); splitting
respects bracket depth. Values stay strings here; each plugin's ``Param`` parses its own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import SpecSyntaxError

_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


@dataclass(frozen=True)
class Spec:
    name: str
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        if not self.params:
            return self.name
        return f"{self.name}[{','.join(f'{k}={v}' for k, v in self.params.items())}]"


def _split_top(text: str, sep: str = ",") -> list[str]:
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth < 0:
                raise SpecSyntaxError(f"unbalanced ')' in {text!r}")
        if ch == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    if depth:
        raise SpecSyntaxError(f"unbalanced '(' in {text!r}")
    parts.append("".join(cur))
    return parts


def parse_spec(text: str) -> Spec:
    """Parse ``NAME[k=v,...]``; errors say what is wrong and show the expected form."""
    raw = text
    text = text.strip()
    if not text:
        raise SpecSyntaxError("empty spec; expected NAME or NAME[k=v,...]")
    if "[" in text:
        if not text.endswith("]"):
            raise SpecSyntaxError(f"spec {raw!r} must end with ']' (form: NAME[k=v,k=v])")
        name, body = text[: text.index("[")].strip(), text[text.index("[") + 1 : -1]
    else:
        name, body = text, ""
    if not _NAME.match(name):
        raise SpecSyntaxError(
            f"bad name {name!r} in spec {raw!r}: names are kebab-case like 'smooth-convex'"
        )
    params: dict[str, str] = {}
    if body.strip():
        for item in _split_top(body):
            if "=" not in item:
                raise SpecSyntaxError(f"expected k=v in spec {raw!r}, got {item.strip()!r}")
            k, v = item.split("=", 1)
            k, v = k.strip(), v.strip()
            if not _KEY.match(k):
                raise SpecSyntaxError(f"bad parameter name {k!r} in spec {raw!r}")
            if not v:
                raise SpecSyntaxError(f"parameter {k!r} has no value in spec {raw!r}")
            if k in params:
                raise SpecSyntaxError(f"parameter {k!r} given twice in spec {raw!r}")
            params[k] = v
    return Spec(name, params)


def parse_kv(text: str) -> dict[str, str]:
    """Parse the shorthand ``k=v[,k=v]`` (e.g. ``--noise alpha=1.5``)."""
    out = {}
    for item in _split_top(text):
        if "=" not in item:
            raise SpecSyntaxError(f"expected k=v, got {item.strip()!r}")
        k, v = (s.strip() for s in item.split("=", 1))
        if not _KEY.match(k) or not v:
            raise SpecSyntaxError(f"expected k=v, got {item.strip()!r}")
        out[k] = v
    return out


__all__ = ["Spec", "parse_spec", "parse_kv"]

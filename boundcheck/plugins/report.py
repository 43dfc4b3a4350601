"""The result of a conformance battery (``boundcheck check-plugin``): one line per check."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # "pass" | "FAIL" | "n/a" (not applicable to this plugin, with the reason)
    detail: str

    def line(self) -> str:
        return f"{self.status.upper():4s}  {self.name}: {self.detail}"


def failed(checks) -> list[Check]:
    return [c for c in checks if c.status == "FAIL"]


def max_rel_diff(a, b) -> float:
    """max |a - b| / (1 + |b|) over the entries; inf when shapes or NaN (divergence) patterns differ.
    The engines' conformance measure (tests/test_engine_conformance.py): equal to 1e-12 means
    ``max_rel_diff <= 1e-12``."""
    import numpy as np

    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.shape != b.shape:
        return float("inf")
    na, nb = np.isnan(a), np.isnan(b)
    if (na != nb).any():
        return float("inf")
    if na.all():
        return 0.0
    return float(np.max(np.abs(a - b)[~na] / (1.0 + np.abs(b)[~na])))

"""Rebuild the PEP a certificate describes, with the PEP builder (``build.py``), for the verifier's
"is this the certificate of the problem it claims to be" check. No solver is involved."""
from __future__ import annotations


def rebuild_problem(desc: dict):
    """The full PEP (every row, no cutting-plane mask) named by a certificate's ``problem`` block."""
    from .build import build

    keys = ("algorithm", "function", "N", "measure", "init")
    if any(k not in desc for k in keys):
        return None
    return build(desc["algorithm"], desc["function"], int(desc["N"]), desc["measure"], desc["init"]).problem()


__all__ = ["rebuild_problem"]

"""Rebuild the PEP a certificate describes, with the PEP builder (``build.py``), for the verifier's
"is this the certificate of the problem it claims to be" check. No solver is involved."""
from __future__ import annotations

import numpy as np


def rebuild_problem(desc: dict, names=None):
    """The PEP named by a certificate's ``problem`` block: every row, or only the rows called
    ``names`` (lifting all O(N^2) rows takes ~30 s at N = 300; the stored rows are ~1000)."""
    from .build import build

    keys = ("algorithm", "function", "N", "measure", "init")
    if any(k not in desc for k in keys):
        return None
    model = build(desc["algorithm"], desc["function"], int(desc["N"]), desc["measure"], desc["init"])
    if names is not None:
        want = set(names)
        name = getattr(model, "_row_name", None) or (
            lambda tag, t: "init" if tag == "init" else f"{tag}({','.join(model._label(i) for i in t)})")
        for b in model.blocks:
            b.mask = np.array([name(b.tag, t) in want for t in b.tuples], dtype=bool)
    return model.problem()


__all__ = ["rebuild_problem"]

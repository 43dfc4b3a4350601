"""``certify --proof``: read the certificate just written, build its proof, write it atomically."""
from __future__ import annotations

import json
from pathlib import Path


def write_proof(certificate_path: str, out_path: str) -> str:
    """Write the proof (.tex or .md by extension); return the line the command prints."""
    from ..atomic import write_text
    from . import proof, proof_tex

    cert = json.loads(Path(certificate_path).read_text())
    p = proof.build(cert)
    text = proof_tex.latex(p) if Path(out_path).suffix.lower() == ".tex" else proof_tex.markdown(p)
    write_text(out_path, text)
    how = "simple fractions" if p.simplified else "the certificate's multipliers"
    return (f"proof:       {out_path}  (bound {p.bound} = {float(p.bound):.10g}; {len(p.rows)} inequalities, "
            f"{how}; S = L D L^T exact)")


__all__ = ["write_proof"]

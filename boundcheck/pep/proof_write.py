"""``certify --proof``: read the certificate just written, build its proof, write it atomically."""
from __future__ import annotations

import json
from pathlib import Path


def write_proof(certificate_path: str, out_path: str):
    """Write the proof (.tex or .md by extension); return (the line the command prints, the proof)."""
    from ..atomic import write_text
    from . import proof, proof_closed, proof_tex

    cert = json.loads(Path(certificate_path).read_text())
    p = proof.build(cert)
    if int(cert["problem"]["N"]) <= proof_closed.SMALL_N:  # closed forms in N, fitted on small N
        N = int(cert["problem"]["N"])
        proofs = proof_closed.certify_range(*proof_closed.spec_of(cert["problem"]), max(proof_closed.TRAIN + 2, N))
        p.closed = proof_closed.recognise(proofs)
    text = proof_tex.latex(p) if Path(out_path).suffix.lower() == ".tex" else proof_tex.markdown(p)
    write_text(out_path, text)
    how = ("exact multipliers from complementary slackness" if p.simplified else "the certificate's multipliers")
    tight = " = the exact lower bound: the worst case is exactly this" if p.lower is not None and p.bound == p.lower else ""
    return (f"proof:       {out_path}  (proves bound {p.bound} = {float(p.bound):.10g}{tight}; {len(p.rows)} "
            f"inequalities, {how}; S = L D L^T exact)"), p


__all__ = ["write_proof"]

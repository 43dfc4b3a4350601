"""``boundcheck verify`` as a library: bind claims, run their engines, decide, report.

    from boundcheck.verify import parse_overrides, verify_claims
    from boundcheck.claims import load_catalogue, select

    claims = select(load_catalogue(), algorithm="clipped-sgd")
    ov = parse_overrides(noise="alpha=1.5")             # {"alpha": 1.5}
    report = verify_claims(claims, ov)                   # Report: one ClaimResult per claim
    report.exit_code, report.as_dict()                   # exit code (docs/verify.md) and JSON document

core.py runs the engines (mc: boundcheck.engine.run; pep: boundcheck.pep) and applies one
Bonferroni budget across every (claim, grid point, engine) test; pep_engine.py maps a claim's
metric@iterate to a PEP measure; render.py turns a Report into the terminal table, Markdown and
a plot. Library code returns objects and never prints (progress goes to a callback).
"""
from .core import ClaimResult, Report, parse_overrides, reproduce_command, verify_claims

__all__ = ["verify_claims", "parse_overrides", "reproduce_command", "Report", "ClaimResult"]

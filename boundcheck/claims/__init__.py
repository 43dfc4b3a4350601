"""Claims: loading and validating problems/*.toml, safe formulas, binding at parameters.

    from boundcheck.claims import load_catalogue, select, check_overrides
    claims = select(load_catalogue(), algorithm="gd")
    b = claims[0].bind({"h": 0.5})          # Binding: skip_reason, bound(N), exponent(), setting(N)

Importing this package imports sympy (``import boundcheck`` alone does not). The format is
documented in docs/claims.md.
"""
from .binding import AssumptionFailure, Binding, bind, check_overrides, split_overrides
from .decide import collect, decide, skip_verdict
from .catalogue import builtin_dir, list_claims_text, load_catalogue, select
from .loader import load_file
from .model import Assumption, Check, Citation, Claim, Component

__all__ = ["decide", "collect", "skip_verdict", "load_catalogue", "load_file", "select", "list_claims_text", "builtin_dir", "check_overrides",
           "split_overrides", "bind", "Binding", "AssumptionFailure", "Claim", "Citation", "Check",
           "Component", "Assumption"]

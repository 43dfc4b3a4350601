"""The catalogue schema: which keys each table takes, their types, and the small grammars
(parameter domains like ``"(1, 2]"``, N grids like ``"2^4:2^12:9:log"``).

Everything a problems/*.toml file may contain is declared here, once; the loader checks every
table against it, so an unknown key is an error with "did you mean", never silently ignored.
"""
from __future__ import annotations

import difflib
import math
import re
from typing import Any, Mapping

from ..errors import CatalogueError
from ..params import Interval

KINDS = ("upper", "lower", "tight", "rate", "high_prob", "compare")
ENGINES = ("mc", "pep", "runner")  # runner: deprecated, read as mc (the runners became finite-sum oracles)
RUNNERS = ("reddi", "shuffling")  # the former runners' names, still accepted with engine runner
EXPECTED = ("PASS", "FAIL")
ITERATES = ("last", "avg", "min", "out", "mean", "random", "wmean")  # engine/results.py says which measure each is
QUANTITIES = ("f_gap", "grad_sq", "grad_l1", "dist_sq", "grad_norm", "step_sq")  # step_sq: PEP only (claims/setting.py)
SENSES = ("equal", "upper", "lower")  # rate: Theta(N^b), O(N^b) (faster is fine), Omega(N^b)
COMPONENTS = ("function", "noise", "algorithm")

# key -> (python types, description); the description is used in error messages and docs
FILE_KEYS = {
    "title": (str, "one-line title of the file"),
    "tag": (str, "catalogue tag, e.g. T01 (docs/pitfalls.md#provenance-grades-and-tags)"),
    "notes": (str, "free text"),
    "params": (dict, "the problem constants: NAME = {default, domain, doc}"),
    "setting": (dict, "function, noise (optional) and algorithm, each NAME or {name = ..., k = v}"),
    "check": (dict, "default check settings for every claim"),
    "claim": (list, "the claims, as [[claim]] tables"),
    "sequences": (dict, "sequences defined by recurrence, NAME = [\"NAME(1) = ...\", \"NAME(k+1) = ...\"] "
                        "(docs/claims.md#sequences-defined-by-recurrence)"),
}
PARAM_KEYS = {
    "default": ((int, float), "value used unless overridden"),
    "domain": (str, "interval, e.g. \"(1, 2]\" or \"[0, inf)\"; \"integers in [1, inf)\""),
    "doc": (str, "meaning, as in the paper"),
}
CHECK_KEYS = {
    "N": ((list, str), "horizons: a list, \"a,b,c\", \"a:b:n\" (linspace) or \"a:b:n:log\" (geometric)"),
    "runs": (int, "Monte Carlo runs per N"),
    "seed": (int, "base seed (run r of horizon N uses the engine's per-run stream)"),
    "confidence": (float, "family-wise confidence of the claim's test, e.g. 0.95"),
    "tolerance": ((int, float), "relative tolerance (upper/lower/tight) or absolute slope tolerance (rate)"),
    "fit_from": (int, "rate: fit only N >= fit_from (asymptotic window)"),
    "bootstrap": (int, "bootstrap resamples B"),
    "budget_s": ((int, float), "time budget of the check in seconds (over it by the optimistic estimate: not run, "
                               "INCONCLUSIVE)"),
    "index": (str, "index convention, e.g. 'N gradient steps, x_0..x_N; measured at x_N'"),
    "over": (str, "the grid variable: N (default) or a declared parameter, e.g. the clip level c"),
    "grid": ((list, str), "values of 'over' when it is not N (then N is a single horizon)"),
}
CLAIM_KEYS = {
    "id": (str, "unique id; starts with the catalogue tag when it encodes one (docs/pitfalls.md#provenance-grades-and-tags)"),
    "citation": (dict, "authors, year, title, theorem, arxiv (venue, doi, url optional)"),
    "kind": (str, "upper | lower | tight | rate | high_prob | compare"),
    "compare": (dict, "kind compare: form (steeper | below) and setting (B's changes to the claim's setting); "
                      "bound is the tested threshold (claims/compare.py)"),
    "delta": ((int, float), "high_prob: the failure probability; rate: fit the (1 - delta)-quantile"),
    "sense": (str, "rate: equal (Theta) | upper (O: faster decay is fine) | lower (Omega)"),
    "metric": (str, "f_gap | grad_sq | grad_l1 | dist_sq | grad_norm | step_sq (||x_N - x_{N-1}||^2, PEP only), "
                    "or a formula over them"),
    "iterate": (str, "last | avg | min | out | mean | random | wmean (docs/claims.md: which measure each is)"),
    "bound": ((str, int, float), "the bound as a formula in N and the parameters"),
    "exponent": ((str, int, float), "rate: the claimed exponent of N (default: derived from bound)"),
    "assumptions": (list, "relations between parameters, e.g. \"1 < alpha <= 2\""),
    "regime": (list, "relations where the CHECK is trusted, not hypotheses of the theorem (e.g. a pre-asymptotic "
                     "transient elsewhere): outside, verify SKIPs and sweep measures without judging"),
    "engines": (list, "mc and/or pep (runner: deprecated, read as mc)"),
    "runner": (str, "deprecated, with engine runner (reddi or shuffling): the claim runs on the MC engine, whose "
                    "finite-sum oracles (boundcheck/oracles) run those settings"),
    "expected": (str, "PASS, or FAIL for a claim known to be wrong as stated"),
    "demo": (bool, "part of the demo set"),
    "fast": (bool, "part of the fast subset (make test)"),
    "notes": (str, "free text"),
    "params": (dict, "extra or overriding parameter declarations"),
    "setting": (dict, "overrides of the file's setting (per component, merged)"),
    "check": (dict, "overrides of the file's check settings"),
    "init": ((str, dict), "initial condition, as certify --init: dist[R=...] | f-gap[F0=...] | f-decrease[F0=...] | "
                          "potential[E0=...] (values: numbers or formulas in the parameters)"),
    "sequences": (dict, "sequences defined by recurrence for this claim (added to the file's [sequences])"),
    "evidence": (dict, "stricter evidence-grade thresholds: strong_factor, moderate_factor, strong_exponent, "
                       "moderate_exponent (each at most the default: 1.5, 4, 0.1, 0.3)"),
    "bound_source": (str, "where the bound's constants and exponents come from: paper (default: as published, "
                          "or a documented weakening), derived (our derivation: graded at most moderate), ours "
                          "(chosen by us, e.g. to fit data: earns no grade, graded weak)"),
}
CITATION_KEYS = {
    "authors": ((str, list), "authors, as in the paper"),
    "year": (int, "year of publication"),
    "title": (str, "title"),
    "theorem": (str, "theorem, lemma or corollary number"),
    "arxiv": (str, "arXiv id"),
    "venue": (str, "journal or conference"),
    "doi": (str, "DOI"),
    "url": (str, "URL"),
    "note": (str, "free text"),
}
REQUIRED_CLAIM = ("id", "kind", "bound", "expected", "citation")
REQUIRED_CITATION = ("authors", "year", "title", "theorem")
DEFAULT_CHECK = {
    "N": [1, 2, 4, 8, 16], "runs": 100, "seed": 0, "confidence": 0.95, "tolerance": None,
    "fit_from": 1, "bootstrap": 2000, "budget_s": 30.0,
    "index": "N = number of oracle calls (steps); iterates x_0..x_N", "over": "N", "grid": None,
}
DEFAULT_TOLERANCE = {"upper": 1e-6, "lower": 1e-6, "tight": 1e-6, "high_prob": 0.0, "rate": 0.05, "compare": 0.0}


def _hint(key: str, known) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.5)
    return f"; did you mean {close[0]!r}?" if close else ""


def _type_name(t) -> str:
    ts = t if isinstance(t, tuple) else (t,)
    names = {str: "a string", int: "an integer", float: "a number", bool: "true/false",
             list: "a list", dict: "a table"}
    return " or ".join(names[x] for x in ts)


def check_table(table: Mapping[str, Any], spec: Mapping, where: str, what: str,
                required: tuple = (), locate=lambda key: "") -> None:
    """Reject unknown keys (with "did you mean"), missing required keys and wrongly typed values."""
    for key, value in table.items():
        if key not in spec:
            raise CatalogueError(f"{locate(key) or where}: unknown key {key!r} in {what}{_hint(key, spec)} "
                                 f"(keys: {', '.join(spec)})")
        types = spec[key][0]
        ts = types if isinstance(types, tuple) else (types,)
        ok = isinstance(value, ts) and not (isinstance(value, bool) and bool not in ts)
        if not ok and float in ts and isinstance(value, int) and not isinstance(value, bool):
            ok = True
        if not ok:
            raise CatalogueError(f"{locate(key) or where}: {what}: {key!r} must be {_type_name(types)} "
                                 f"({spec[key][1]}), got {value!r}")
    for key in required:
        if key not in table:
            raise CatalogueError(f"{where}: {what} lacks the required key {key!r} ({spec[key][1]})")


_DOMAIN = re.compile(r"^\s*(integers\s+in\s+)?([\[(])\s*([^,]+?)\s*,\s*([^,]+?)\s*([\])])\s*$")


def parse_domain(text: str, where: str) -> Interval:
    """``"(1, 2]"`` -> Interval(1, 2, lo_open=True); ``inf``/``-inf`` allowed; ``integers in [1, inf)``."""
    m = _DOMAIN.match(text)
    if not m:
        raise CatalogueError(f"{where}: domain {text!r} is not an interval like \"(1, 2]\" or \"[0, inf)\"")
    try:
        lo, hi = (float(v.replace("infinity", "inf")) for v in (m.group(3), m.group(4)))
    except ValueError:
        raise CatalogueError(f"{where}: domain {text!r}: the ends must be numbers or inf") from None
    if lo > hi:
        raise CatalogueError(f"{where}: domain {text!r} is empty")
    return Interval(lo, hi, lo_open=m.group(2) == "(", hi_open=m.group(5) == ")", integer=bool(m.group(1)))


def _number(text: str, where: str) -> float:
    from .formula import evaluate, parse

    return evaluate(parse(text, (), where=where), {})


def parse_grid(value, where: str, integer: bool = True, what: str = "N") -> list:
    """A grid: a list, ``"a,b,c"``, ``"a:b:n"`` (n points, linspace) or ``"a:b:n:log"`` (n points,
    geometric); ends may be formulas like ``2^10``. With ``integer`` (N grids) points are rounded
    and must be positive integers. Duplicates are dropped; the result is sorted."""
    if isinstance(value, list):
        pts = value
    elif isinstance(value, str) and ":" in value:
        parts = [p.strip() for p in value.split(":")]
        log = parts[-1] == "log"
        if log:
            parts = parts[:-1]
        if len(parts) != 3:
            raise CatalogueError(f"{where}: {what} grid {value!r}: expected a:b:n or a:b:n:log")
        a, b, n = (_number(p, where) for p in parts)
        if n != int(n) or n < 1 or (log and (a <= 0 or b <= 0)):
            raise CatalogueError(f"{where}: {what} grid {value!r}: n must be a positive integer (and a, b > 0 for log)")
        n = int(n)
        if log:
            pts = [a * (b / a) ** (i / (n - 1)) if n > 1 else a for i in range(n)]
        else:
            pts = [a + (b - a) * i / (n - 1) if n > 1 else a for i in range(n)]
        if integer:
            pts = [int(round(p)) for p in pts]
    elif isinstance(value, str):
        pts = [_number(p, where) for p in value.split(",")]
    else:
        raise CatalogueError(f"{where}: {what} grid must be a list or a grid string, got {value!r}")
    out = []
    for p in pts:
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not math.isfinite(p) or \
                (integer and (p != int(p) or p < 1)):
            need = "a positive integer" if integer else "a finite number"
            raise CatalogueError(f"{where}: {what} grid {value!r}: every point must be {need} (got {p!r})")
        out.append(int(p) if integer else float(p))
    if not out:
        raise CatalogueError(f"{where}: {what} grid {value!r} is empty")
    return sorted(set(out))


__all__ = ["KINDS", "ENGINES", "EXPECTED", "ITERATES", "QUANTITIES", "SENSES", "COMPONENTS",
           "FILE_KEYS", "PARAM_KEYS", "CHECK_KEYS", "CLAIM_KEYS", "CITATION_KEYS", "REQUIRED_CLAIM",
           "REQUIRED_CITATION", "DEFAULT_CHECK", "DEFAULT_TOLERANCE", "check_table", "parse_domain",
           "parse_grid"]

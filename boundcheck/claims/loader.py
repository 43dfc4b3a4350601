"""Read one problems/*.toml file into validated ``Claim`` objects.

Validation on load (every error is a ``CatalogueError`` or ``FormulaError`` naming file:line,
the claim id and what to do): TOML syntax (tomllib's line and column), unknown or missing keys
(with "did you mean"), registry names (function class, noise model, algorithm) and their
parameter names, formulas (whitelisted names only: the declared parameters and N), kinds and
their fields (delta for high_prob, sense/exponent/delta for rate), and engine compatibility (PEP only
for deterministic methods without noise, on classes with a PEP description).
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

from ..errors import CatalogueError, UsageError
from ..params import Param
from . import schema as S
from .formula import RESERVED, parse, parse_relations
from .model import Assumption, Check, Citation, Claim
from .setting import check_engines, component, merge, plugin

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_INDEX_NAMES = {"N", "t", "K", "T"}


class Locator:
    """Line numbers in the TOML text: tomllib gives none, so find keys within each claim's span."""

    def __init__(self, path: Path, text: str):
        self.path, self.lines = path, text.splitlines()
        self.starts = [i + 1 for i, l in enumerate(self.lines) if re.match(r"\s*\[\[\s*claim\s*\]\]", l)]

    def span(self, i: int | None) -> tuple[int, int]:
        if i is None:
            return 1, (self.starts[0] - 1 if self.starts else len(self.lines))
        end = self.starts[i + 1] - 1 if i + 1 < len(self.starts) else len(self.lines)
        return self.starts[i], end

    def key(self, key: str, i: int | None = None, needle: str | None = None) -> int:
        lo, hi = self.span(i)
        pat = re.compile(rf"^\s*(?:{re.escape(key)}\s*=|\[\s*(?:claim\.)?{re.escape(key)}\s*\])"
                         if needle is None else re.escape(needle))
        for n in range(lo, hi + 1):
            if pat.search(self.lines[n - 1]):
                return n
        if needle is None:  # inline tables: key = ... anywhere on a line
            pat = re.compile(rf"[{{,\s]{re.escape(key)}\s*=")
            for n in range(lo, hi + 1):
                if pat.search(self.lines[n - 1]):
                    return n
        return lo

    def component(self, role: str, key: str, i: int | None) -> int:
        """Line of ``key`` inside the setting's ``role = {...}`` (claim span first, then the file's)."""
        pat = re.compile(rf"^\s*{role}\s*=.*[{{,\s]{re.escape(key)}\s*=")
        for span in ((self.span(i),) if i is None else (self.span(i), self.span(None))):
            for n in range(span[0], span[1] + 1):
                if pat.search(self.lines[n - 1]):
                    return n
        return self.key(key, i)

    def at(self, line: int) -> str:
        return f"{self.path}:{line}"


def _params(table: dict, loc: Locator, i: int | None, where: str) -> dict[str, Param]:
    out = {}
    for name, decl in table.items():
        w = loc.at(loc.key(name, i))
        if not _IDENT.match(name) or name in RESERVED or name in _INDEX_NAMES:
            raise CatalogueError(f"{w}: {name!r} cannot be a parameter name (reserved: N, t, K, T, "
                                 f"{', '.join(sorted(RESERVED))})")
        if isinstance(decl, (int, float)) and not isinstance(decl, bool):
            decl = {"default": decl}
        if not isinstance(decl, dict):
            raise CatalogueError(f"{w}: parameter {name!r} must be a number or {{default, domain, doc}}")
        S.check_table(decl, S.PARAM_KEYS, w, f"parameter {name!r}", ("default",))
        dom = S.parse_domain(decl.get("domain", "(-inf, inf)"), w)
        p = Param(name, dom, decl["default"], decl.get("doc", ""))
        try:
            p.check(decl["default"])
        except UsageError as e:
            raise CatalogueError(f"{w}: default of {e}") from None
        out[name] = p
    return out


def _claim(raw: dict, i: int, top: dict, loc: Locator) -> Claim:
    start = loc.starts[i] if i < len(loc.starts) else 1
    where = loc.at(start)
    cid = raw.get("id", f"#{i + 1}")
    lk = lambda key: loc.at(loc.key(key, i))  # noqa: E731
    S.check_table(raw, S.CLAIM_KEYS, where, f"claim {cid!r}", S.REQUIRED_CLAIM, lk)
    if not _ID.match(cid):
        raise CatalogueError(f"{lk('id')}: claim id {cid!r} must be letters, digits, '-', '_', '.'")
    S.check_table(raw["citation"], S.CITATION_KEYS, lk("citation"), f"citation of claim {cid!r}",
                  S.REQUIRED_CITATION, lk)
    cit = dict(raw["citation"])
    if isinstance(cit["authors"], list):  # as written: ["J. Zhang", "et al."] -> "J. Zhang et al."
        names = [str(a).strip() for a in cit["authors"]]
        etal = [a for a in names if a.rstrip(".").lower() == "et al"]
        cit["authors"] = ", ".join(a for a in names if a not in etal) + (" et al." if etal else "")
    for key, options in (("kind", S.KINDS), ("expected", S.EXPECTED)):
        if raw[key] not in options:
            raise CatalogueError(f"{lk(key)}: claim {cid!r}: {key} must be one of {' | '.join(options)} (got {raw[key]!r})")
    kind = raw["kind"]
    params = {**_params(top.get("params", {}), loc, None, where), **_params(raw.get("params", {}), loc, i, where)}
    names = set(params)
    if not isinstance(raw.get("check", {}), dict):
        raise CatalogueError(f"{lk('check')}: claim {cid!r}: 'check' must be a table")
    S.check_table(raw.get("check", {}), S.CHECK_KEYS, lk("check"), f"check of claim {cid!r}", (), lk)
    chk = {**S.DEFAULT_CHECK, **top.get("check", {}), **raw.get("check", {})}
    if chk["tolerance"] is None:
        chk["tolerance"] = S.DEFAULT_TOLERANCE[kind]
    for key, ok, domain in (("confidence", 0 < chk["confidence"] < 1, "(0, 1)"), ("runs", chk["runs"] >= 1, ">= 1"),
                            ("tolerance", chk["tolerance"] >= 0, ">= 0"), ("bootstrap", chk["bootstrap"] >= 1, ">= 1"),
                            ("budget_s", chk["budget_s"] > 0, "> 0")):
        if not ok:
            raise CatalogueError(f"{lk(key)}: claim {cid!r}: check.{key} = {chk[key]} is outside its domain: "
                                 f"{key} must be {'in ' if domain.startswith('(') else ''}{domain}")
    chk["N"] = tuple(S.parse_grid(chk["N"], lk("N")))
    if chk["over"] == "N":
        if chk["grid"] is not None:
            raise CatalogueError(f"{lk('grid')}: claim {cid!r}: 'grid' is for over = <parameter>; the N grid is 'N'")
    else:
        if chk["over"] not in params or chk["grid"] is None or len(chk["N"]) != 1:
            raise CatalogueError(f"{lk('over')}: claim {cid!r}: over = {chk['over']!r} needs a declared parameter of "
                                 f"that name, a 'grid' of its values and a single horizon N (got N = {list(chk['N'])})")
        p = params[chk["over"]]
        chk["grid"] = tuple(S.parse_grid(chk["grid"], lk("grid"), integer=p.domain.integer, what=chk["over"]))
        for v in chk["grid"]:
            try:
                p.check(v)
            except UsageError as e:
                raise CatalogueError(f"{lk('grid')}: claim {cid!r}: grid point {e}") from None
    setting = merge(top.get("setting", {}), raw.get("setting", {}))
    if setting.get("function") is None or setting.get("algorithm") is None:
        raise CatalogueError(f"{where}: claim {cid!r}: the setting needs a function and an algorithm")
    comps = {r: component(r, setting.get(r), names, loc, i, cid) for r in S.COMPONENTS}
    plugins = {r: plugin(r, c.name, where) for r, c in comps.items() if c is not None}
    fw = lambda key: f"{lk(key)}: claim {cid!r}, {key}"  # noqa: E731
    from .sequences import parse_sequences

    seqs = parse_sequences(top.get("sequences"), loc.at(loc.key("sequences")))
    seqs = parse_sequences(raw.get("sequences"), lk("sequences"), seqs)
    clash = sorted(set(seqs) & (names | {"N"}))
    if clash:
        raise CatalogueError(f"{lk('sequences')}: claim {cid!r}: sequence {clash[0]!r} has the name of a parameter")
    bound = parse(raw["bound"], names | {"N"}, where=fw("bound"), sequences=seqs)
    metric = raw.get("metric", "f_gap")
    metric_expr = parse(metric, set(S.QUANTITIES), where=fw("metric"))
    exponent = None
    if "exponent" in raw:
        if kind != "rate":
            raise CatalogueError(f"{lk('exponent')}: claim {cid!r}: 'exponent' is only for kind = \"rate\"")
        exponent = parse(raw["exponent"], names, where=fw("exponent"))
    if kind == "high_prob" and "delta" not in raw or "delta" in raw and kind not in ("high_prob", "rate"):
        raise CatalogueError(f"{where}: claim {cid!r}: 'delta' is required for kind = \"high_prob\" and allowed "
                             f"only there and for rate (the rate of the (1 - delta)-quantile)")
    if "delta" in raw and not 0 < raw["delta"] < 1:
        raise CatalogueError(f"{lk('delta')}: claim {cid!r}: delta must be in (0, 1) (got {raw['delta']})")
    if "sense" in raw and (kind != "rate" or raw["sense"] not in S.SENSES):
        raise CatalogueError(f"{lk('sense')}: claim {cid!r}: 'sense' ({' | '.join(S.SENSES)}) is only for kind = \"rate\"")
    iterate = raw.get("iterate", "last")
    if iterate not in S.ITERATES:
        raise CatalogueError(f"{lk('iterate')}: claim {cid!r}: iterate must be one of {' | '.join(S.ITERATES)} (got {iterate!r})")
    engines = tuple(raw.get("engines", ["mc"]))
    bad = [e for e in engines if e not in S.ENGINES]
    if bad or not engines:
        raise CatalogueError(f"{lk('engines')}: claim {cid!r}: engines must be a non-empty list of {', '.join(S.ENGINES)} (got {bad or engines})")
    runner = raw.get("runner")
    if ("runner" in engines) != (runner is not None):
        raise CatalogueError(f"{lk('engines')}: claim {cid!r}: engine 'runner' and the key 'runner' go together")
    if runner is not None:  # deprecated (docs/claims.md): the former runners are finite-sum oracles of the MC engine
        if runner not in S.RUNNERS:
            raise CatalogueError(f"{lk('runner')}: claim {cid!r}: unknown runner {runner!r} (runners: {', '.join(S.RUNNERS)})")
        if runner == "shuffling":  # its N counted epochs; the engine's N counts oracle steps: no silent change
            raise CatalogueError(f"{lk('runner')}: claim {cid!r}: runner 'shuffling' is retired: the MC engine runs "
                                 f"finite sums itself (docs/claims.md#finite-sum-oracles); write engines = [\"mc\"] "
                                 f"with N in oracle steps (N = n K for K epochs)")
        engines = tuple(dict.fromkeys("mc" if e == "runner" else e for e in engines))
        runner = None
    assumptions, regime = (tuple(
        Assumption(a, tuple(parse_relations(a, names, where=f"{loc.at(loc.key('', i, needle=a))}: claim {cid!r}, {what}")))
        for a in raw.get(key, [])) for key, what in (("assumptions", "assumption"), ("regime", "regime")))
    lines = {k: loc.key(k, i) for k in ("id", "bound", "exponent", "kind", "expected") if k in raw}
    evidence = _evidence(raw.get("evidence", {}), f"{lk('evidence')}: claim {cid!r}")
    from ..evidence import BOUND_SOURCES

    bound_source = raw.get("bound_source", "paper")
    if bound_source not in BOUND_SOURCES:
        raise CatalogueError(f"{lk('bound_source')}: claim {cid!r}: bound_source = {bound_source!r} must be one of "
                             f"{', '.join(BOUND_SOURCES)}")
    from .init import check_init, parse_init

    init = parse_init(raw.get("init"), names, f"{lk('init')}: claim {cid!r}")
    check_init(init, plugins["function"], f"{lk('init')}: claim {cid!r}")
    compare = None
    if kind == "compare" or "compare" in raw:
        from .compare import parse_compare

        if kind != "compare" or engines != ("mc",):
            raise CatalogueError(f"{lk('compare')}: claim {cid!r}: [claim.compare] goes with kind = \"compare\" and "
                                 f"engines = [\"mc\"] (two settings run with common random numbers)")
        compare = parse_compare(raw.get("compare"), top.get("setting", {}), raw.get("setting", {}), names, loc, i,
                                cid, lk("compare"))
        if (compare.form == "growth") != (chk["over"] != "N"):
            raise CatalogueError(f"{lk('compare')}: claim {cid!r}: form growth goes with check.over = <parameter> "
                                 f"(the p of the growth, with its grid; N = the step budget), and only it")
    claim = Claim(
        id=cid, kind=kind, citation=Citation(**cit), bound_text=str(raw["bound"]), bound=bound,
        expected=raw["expected"], metric=metric, metric_expr=metric_expr, iterate=iterate, params=params,
        setting=comps, check=Check(**chk), engines=engines, assumptions=assumptions, regime=regime,
        delta=raw.get("delta"), sense=raw.get("sense", "equal"),
        exponent_text=None if exponent is None else str(raw["exponent"]), exponent=exponent,
        demo=raw.get("demo", False), fast=raw.get("fast", False), notes=raw.get("notes", ""), runner=runner,
        file=loc.path, line=lines.get("id", start), title=top.get("title", ""), tag=top.get("tag", ""), lines=lines,
        evidence=evidence, init=init, compare=compare, bound_source=bound_source)
    check_engines(claim, plugins, where)
    _check_at_defaults(claim, loc, i, lk)
    return claim


def _check_at_defaults(claim: Claim, loc: Locator, i: int, lk) -> None:
    """Input errors visible at the claim's defaults (sanity.py): an assumption that can never hold
    for any parameter value, and a bound that is not a finite number at a check point."""
    from .binding import _holds, bind
    from .sanity import bound_problem, impossible_assumption

    defaults = {k: float(p.default) for k, p in claim.params.items()}
    bad = impossible_assumption(claim, defaults, _holds)
    if bad:
        text, why = bad
        raise CatalogueError(f"{loc.at(loc.key('', i, needle=text))}: claim {claim.id!r}: assumption {text!r} "
                             f"can never hold: {why}")
    b = bind(claim, {}, check_bound=False)
    if not any(not f.regime for f in b.failures):  # where the theorem applies, its bound must be a number
        msg = bound_problem(b)
        if msg:
            raise CatalogueError(f"{lk('bound')}: {msg}")


def _evidence(given: dict, where: str) -> dict:
    """The claim's own evidence thresholds: stricter than the defaults, never looser (evidence.py)."""
    from ..evidence import DEFAULT

    try:
        DEFAULT.stricter(given)
    except ValueError as e:
        raise CatalogueError(f"{where}: {e}") from None
    return dict(given)


def load_file(path: str | Path) -> list[Claim]:
    """Parse and validate one catalogue file; raises CatalogueError/FormulaError with file:line.
    The plugins of its folder (``*.py``, boundcheck/plugins/discover.py) are imported first."""
    path = Path(path)
    from ..plugins.discover import load_folder

    load_folder(path.parent)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise CatalogueError(f"{path}: cannot read: {e.strerror}") from None
    except UnicodeDecodeError as e:
        line = path.read_bytes()[:e.start].count(b"\n") + 1
        raise CatalogueError(f"{path}:{line}: the file is not UTF-8 text (byte 0x{e.object[e.start]:02x} at "
                             f"offset {e.start}); catalogue files must be saved as UTF-8") from None
    return load_text(text, path)


def load_text(text: str, path: str | Path) -> list[Claim]:
    """Parse and validate catalogue TOML ``text`` as if read from ``path`` (used to ship a file's
    content to sweep workers that may not share this file system)."""
    path = Path(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        raise CatalogueError(f"{path}:{m.group(1) if m else '?'}: malformed TOML: {e}") from None
    loc = Locator(path, text)
    S.check_table(data, S.FILE_KEYS, f"{path}:1", "the file", (), lambda k: loc.at(loc.key(k)))
    for key, spec in (("check", S.CHECK_KEYS), ("setting", {r: ((str, dict), "") for r in S.COMPONENTS})):
        S.check_table(data.get(key, {}), spec, loc.at(loc.key(key)), f"[{key}]", (), lambda k: loc.at(loc.key(k)))
    claims = data.get("claim", [])
    if not claims:
        raise CatalogueError(f"{path}:1: no [[claim]] tables")
    if not all(isinstance(c, dict) for c in claims):
        raise CatalogueError(f"{path}: 'claim' must be an array of tables ([[claim]])")
    return [_claim(raw, i, data, loc) for i, raw in enumerate(claims)]


__all__ = ["load_file", "load_text", "Locator"]

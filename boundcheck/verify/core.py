"""Run selected claims through their engines and decide them under one false-alarm budget.

Engines:

* ``mc``: ``boundcheck.engine.run``. A setting that does not depend on the horizon is one run
  of max(N) steps read at the N grid (checkpoints); a setting tuned to N (step, clip level or
  instance formulas in N, docs/pitfalls.md#horizon-dependent-tuning), or a grid over a parameter, is one run per grid point,
  read at its last step, with the same seed (common random numbers across N). A deterministic
  claim (no noise, deterministic method) uses one run: it is exact.
* ``pep``: pep_engine.py, for claims whose engines include "pep".

Budget: Bonferroni over every statistical test of the run (each grid point of each non-rate
claim, one per rate fit, per Monte Carlo engine; exact comparisons spend nothing), at family
level alpha = 1 - min(confidence) of the claims run: P(any false FAIL) <= alpha.

A claim's verdict combines its engines: FAIL if one fails, else INCONCLUSIVE if one is, else
PASS; SKIP when no engine could run it (the reasons are kept per engine).
"""
from __future__ import annotations

import math
import shlex
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from .. import stats
from ..errors import ComputationError, ParamError, UsageError

SHORTHAND = "\0noise-shorthand"  # overrides key: the --noise alpha=A text, resolved per claim
FUNCTION_KV = "\0function-kv"  # overrides key: --function k=v pairs, resolved per claim


# --------------------------------------------------------------------------- overrides
def _num(v: str):
    try:
        x = float(v)
    except ValueError:
        return v
    return int(x) if x.is_integer() and "." not in v and "e" not in v.lower() else x


def parse_overrides(noise: str | None = None, function: str | None = None) -> dict:
    """``--noise`` and ``--function`` texts -> the overrides dict for ``Claim.bind``.

    ``--noise alpha=1.5[,scale=2]`` (the shorthand) feeds a claim's declared parameter ``alpha``
    (the catalogue encodes the family; ``scale`` goes to the noise model as ``noise.scale``). A spec
    ``NAME[k=v]`` replaces the noise (``function``) component. ``k=v`` pairs for ``--function``
    set the claim's parameter ``k`` when it declares one (so the bound and the instance change
    together, e.g. L), else the function class's parameter ``k`` (``function.k``).
    """
    from ..spec import parse_kv

    ov: dict[str, Any] = {}
    if noise is not None and noise.strip():
        text = noise.strip()
        if "=" in text and "[" not in text.split("=", 1)[0]:
            kv = {k[6:] if k.startswith("noise.") else k: _num(v) for k, v in parse_kv(text).items()}
            if "alpha" not in kv:
                raise ParamError(f"--noise {text!r}: the shorthand needs 'alpha' (e.g. --noise alpha=1.5), "
                                 f"or give a model: NAME[k=v,...]")
            ov[SHORTHAND] = text
            ov["alpha"] = kv.pop("alpha")
            for k, v in kv.items():
                ov[f"noise.{k}"] = v
        else:
            ov["noise"] = text
    if function is not None and function.strip():
        text = function.strip()
        if "=" in text and "[" not in text.split("=", 1)[0]:
            ov[FUNCTION_KV] = {k[9:] if k.startswith("function.") else k: _num(v) for k, v in parse_kv(text).items()}
        else:
            ov["function"] = text
    return ov


def overrides_for(claim, ov: Mapping[str, Any]) -> dict:
    """The overrides as they apply to one claim. The ``--noise alpha=A`` shorthand sets the
    claim's declared parameter ``alpha`` (the catalogue encodes the noise family, e.g. pareto
    with beta = alpha + 0.1). A claim that declares no ``alpha`` keeps its setting unchanged (its
    noise is part of the claim, e.g. a lower-bound construction with a fixed moment order): the
    shorthand's keys are then not applicable to it and are listed in ``Binding.unused``."""
    out = {k: v for k, v in ov.items() if k not in (SHORTHAND, FUNCTION_KV)}
    for k, v in ov.get(FUNCTION_KV, {}).items():
        out[k if k in claim.params else f"function.{k}"] = v
    if SHORTHAND in ov and "alpha" not in claim.params:
        for k in ["alpha"] + [k for k in out if k.startswith("noise.")]:
            out.pop(k, None)
    return out


def _not_applicable(claim, ov: Mapping[str, Any]) -> list[str]:
    if SHORTHAND in ov and "alpha" not in claim.params:
        return ["alpha"] + [k for k in ov if k.startswith("noise.")]
    return []


def check_all(claims, ov: Mapping[str, Any]) -> None:
    """Usage errors before anything runs (exit 2): out-of-domain overrides, bad noise texts."""
    from ..claims import check_overrides

    check_overrides(claims, {k: v for k, v in ov.items() if k not in (SHORTHAND, FUNCTION_KV)})
    for k, v in ov.get(FUNCTION_KV, {}).items():
        check_overrides([c for c in claims if k in c.params], {k: v})
    if SHORTHAND in ov:
        from ..noise.shorthand import resolve_noise

        resolve_noise(ov[SHORTHAND])  # 'alpha' must be in (1, 2] even if no claim declares it
    for c in claims:
        overrides_for(c, ov)


# --------------------------------------------------------------------------- results
@dataclass
class ClaimResult:
    claim: Any
    binding: Any | None
    verdict: stats.Verdict  # the combined verdict (the reported engine's numbers)
    engines: dict[str, stats.Verdict]
    runs: int
    seed: int
    reproduce: str
    setting: dict = field(default_factory=dict)  # role -> spec text at the largest grid point
    kernels: list[str] = field(default_factory=list)
    versions: dict = field(default_factory=dict)
    pep_info: list[dict] = field(default_factory=list)
    provenance: dict = field(default_factory=dict)  # engine -> provenance record of its conditions (pep)
    errors: list[str] = field(default_factory=list)  # computation failures (exit 3)
    data: dict = field(default_factory=dict)  # engine -> (points, values) for plots
    seconds: float = 0.0

    @property
    def unexpected(self) -> bool:
        return self.verdict.unexpected

    @property
    def resolution(self) -> dict | None:
        """PASS only: the finest resolution over the engines that passed (evidence.py)."""
        from .resolution import claim_resolution

        return claim_resolution(self)

    @property
    def evidence(self) -> str | None:
        r = self.resolution
        return self.claim.thresholds.grade(r) if r is not None else None

    def as_dict(self) -> dict:
        c, v = self.claim, self.verdict.as_dict()
        return {
            "id": c.id, "kind": c.kind, "verdict": v["verdict"], "expected": c.expected,
            "unexpected": self.unexpected,
            "measured": v["measured"] if v["verdict"] != "SKIP" else None,
            "bound": v["bound"] if v["verdict"] != "SKIP" else None,
            "ci": v["ci"], "p_value": v["p_value"], "N": v["N"], "over": c.check.over,
            "engine": v["engine"], "reason": _json_reason(self.verdict), "method": v["method"],
            "metric": c.metric, "iterate": c.iterate, "index": c.check.index,
            "iterate_convention": _iterate_convention(),
            "bound_formula": c.bound_text, "exponent": c.exponent_text, "sense": c.sense if c.kind == "rate" else None,
            "delta": c.delta, "confidence": c.check.confidence, "tolerance": v["tolerance"],
            "runs": self.runs, "seeds": [self.seed], "seed_convention":
                "run r uses the engine stream splitmix64(seed, r), r = 0..runs-1; the same seed at every N",
            "params": dict(self.binding.values) if self.binding is not None else {},
            "unused_overrides": list(self.binding.unused) if self.binding is not None else [],
            "setting": self.setting, "kernel_hashes": list(self.kernels), "versions": self.versions,
            "resolution": self.resolution, "evidence": self.evidence, "bound_source": c.bound_source,
            "engines": {k: {**e.as_dict(), "reason": _json_reason(e), "provenance": self.provenance.get(k)}
                        for k, e in self.engines.items()},
            "pep": self.pep_info or None, "errors": list(self.errors),
            "citation": c.citation.as_dict(), "file": str(c.file) if c.file else None, "line": c.line,
            "reproduce": self.reproduce,
        }


def _json_reason(v: stats.Verdict) -> str:
    """The reason, plus which numbers are non-finite: the JSON holds null in their place."""
    from ..claims.sanity import nonfinite_note

    note = nonfinite_note({"measured": v.measured, "bound": v.bound, "ci": v.ci, "p_value": v.p_value})
    return "; ".join(x for x in (v.reason, note) if x)


@dataclass
class Report:
    results: list[ClaimResult]
    budget: stats.Budget
    overrides: dict
    command: str
    seconds: float = 0.0

    @property
    def verdicts(self) -> list[stats.Verdict]:
        return [r.verdict for r in self.results]

    @property
    def computation_failed(self) -> bool:
        return any(r.errors for r in self.results)

    @property
    def exit_code(self) -> int:
        """1: an unexpected verdict (FAIL where PASS is expected, or PASS where the catalogue
        records a FAIL: strict xfail); else 3: an engine could not compute an answer; else 0."""
        if stats.exit_code(self.verdicts):
            return 1
        return 3 if self.computation_failed else 0

    def summary(self) -> dict:
        out = {k: 0 for k in stats.VERDICTS}
        for r in self.results:
            out[r.verdict.verdict] += 1
        out["unexpected"] = sum(r.unexpected for r in self.results)
        out["weak"] = sum(r.evidence == "weak" for r in self.results)  # PASS claims graded weak
        return out

    def as_dict(self) -> dict:
        """The JSON document: identical for identical inputs except the top-level ``timing``."""
        kern = sorted({k for r in self.results for k in r.kernels})
        versions = _versions()
        return {
            "command": self.command,
            "overrides": {k: v for k, v in self.overrides.items() if k not in (SHORTHAND, FUNCTION_KV)},
            "function_overrides": self.overrides.get(FUNCTION_KV),
            "noise_shorthand": self.overrides.get(SHORTHAND),
            "budget": self.budget.as_dict(),
            "confidence": 1 - self.budget.family_alpha,
            "claims": [r.as_dict() for r in self.results],
            "summary": self.summary(),
            "exit_code": self.exit_code,
            "versions": versions,
            "kernel_hashes": kern,
            "iterate_convention": _iterate_convention(),
            "timing": {"total_s": self.seconds, "claims": {r.claim.id: r.seconds for r in self.results}},
        }


def _iterate_convention() -> str:
    from ..engine.results import ITERATE_CONVENTION

    return ITERATE_CONVENTION


def _versions() -> dict:
    import platform

    out = {"python": platform.python_version()}
    try:
        from importlib.metadata import version

        for pkg in ("boundcheck", "numpy", "scipy", "numba", "sympy", "cvxpy", "clarabel"):
            try:
                out[pkg] = version(pkg)
            except Exception:
                out[pkg] = None
    except ImportError:  # pragma: no cover
        pass
    return out


# --------------------------------------------------------------------------- reproduce
def reproduce_command(claim, ov: Mapping[str, Any], runs: int, seed: int,
                      noise_text: str | None = None, function_text: str | None = None,
                      budget_tests: int | None = None, require_evidence: str | None = None) -> str:
    """The command line that reruns exactly this claim's check (with ``--budget-tests`` when the
    run split its false-alarm budget over more tests than this claim's own, so that the rerun
    uses the same per-test level and gives the same interval)."""
    from ..claims import builtin_dir

    parts = ["boundcheck", "verify", "--claim", claim.id]
    if claim.file is not None:
        f = Path(claim.file).resolve()
        if builtin_dir() not in f.parents:
            parts += ["--problems", str(f.parent)]
    if noise_text:
        parts += ["--noise", noise_text]
    if function_text:
        parts += ["--function", function_text]
    parts += ["--runs", str(runs), "--seed", str(seed)]
    if budget_tests:
        parts += ["--budget-tests", str(budget_tests)]
    if require_evidence:
        parts += ["--require-evidence", require_evidence]
    return " ".join(shlex.quote(p) for p in parts)


# --------------------------------------------------------------------------- engines
def _spec_text(pair) -> str | None:
    if pair is None:
        return None
    from ..engine.problem import canonical

    name, p = pair
    return canonical(name, p)


def _run_mc(b, runs: int, seed: int, note: Callable[[str], None]):
    from ..claims import collect
    from ..engine import run

    from ..claims.init import apply_mc, decrease_iterate, mc_function

    c = b.claim
    its = [c.iterate]
    if c.init is not None and c.init.name == "f-decrease" and decrease_iterate(c) not in its:
        its.append(decrease_iterate(c))  # f(x_N) for the normalisation (claims/init.py)
    from . import pep_worst

    if b.horizon_dependent or pep_worst.uses(b):  # the pep-worst instance is rebuilt at every N
        res, sts = [], []
        for x in b.points:
            st = b.setting_at(float(x)) if c.check.over != "N" else b.setting(int(x))
            n = int(x) if c.check.over == "N" else int(c.check.N[0])
            st = pep_worst.mc_setting(b, st, n)
            note(f"{c.check.over}={x:g}")
            sts.append(st)
            res.append(run(st["algorithm"], mc_function(c.init, b.values, st["function"]), st["noise"], n_steps=n,
                           n_runs=runs, seed=seed, checkpoints=[n], iterates=its))
        last = res[-1]
        st = b.setting_at(float(b.points[-1])) if c.check.over != "N" else b.setting(int(b.points[-1]))
        st = pep_worst.mc_setting(b, st, int(b.points[-1]))
    else:
        Ns = [int(n) for n in c.check.N]
        st = sts = b.setting(max(Ns))
        note(f"N={Ns[0]}..{max(Ns)}")
        res = last = run(st["algorithm"], mc_function(c.init, b.values, st["function"]), st["noise"],
                         n_steps=max(Ns), n_runs=runs, seed=seed, checkpoints=Ns, iterates=its)
    values = apply_mc(b, res, collect(b, res), sts)
    kernels = sorted({r.meta["kernel_hash"] for r in (res if isinstance(res, list) else [res])})
    setting = {role: _spec_text(p) for role, p in st.items()}
    return values, kernels, last.meta["versions"], setting


def _n_tests(claims_engines) -> int:
    return sum(c.n_tests(tuple(e)) for c, e in claims_engines)


def verify_claims(claims: Sequence, overrides: Mapping[str, Any] | None = None, *, runs: int | None = None,
                  seed: int | None = None, engines: Sequence[str] | None = None,
                  noise_text: str | None = None, function_text: str | None = None,
                  command: str = "", progress: Callable[[str], None] | None = None,
                  budget_tests: int | None = None, explore: bool = False,
                  on_claim: Callable[[Report], None] | None = None,
                  require_evidence: str | None = None) -> Report:
    """Bind, run and decide ``claims`` (see the module docstring). Usage errors (exit 2) are
    raised before anything runs; a violated bound is a FAIL verdict, never an exception; an
    engine that cannot compute an answer is recorded in ``ClaimResult.errors`` (exit 3).

    ``explore``: a claim whose assumptions hold but whose check regime (the catalogue's
    ``regime``) does not is still run and measured, and reported as SKIP with its measurement
    ("measured, not judged"); it spends no false-alarm budget. ``boundcheck sweep`` uses this to
    draw a fitted exponent across the whole parameter range.

    ``require_evidence`` (strong | moderate): a PASS graded below it is reported INCONCLUSIVE, with
    the reason (verify/resolution.py)."""
    from .resolution import check_required, require

    check_required(require_evidence)
    ov = dict(overrides or {})
    if runs is not None and runs < 1:
        raise ParamError(f"--runs must be a positive integer (got {runs})")
    if seed is not None and not 0 <= seed < 2**63:
        raise ParamError(f"--seed must be an integer in [0, 2^63) (got {seed})")
    check_all(claims, ov)
    t0 = time.perf_counter()
    bound = []
    for c in claims:
        b = c.bind(overrides_for(c, ov))
        b.unused += [k for k in _not_applicable(c, ov) if k not in b.unused]
        es = tuple(e for e in c.engines if engines is None or e in engines)
        bound.append((c, b, es))
    live = [(c, es) for c, b, es in bound if not b.skip_reason]
    from .cost import precheck  # sizes (exit 2) and each claim's budget_s, before anything runs

    over_budget = precheck(bound, runs)
    if any("pep" in es for _, es in live):
        from .pep_engine import require_pep

        require_pep()  # a claim that lists pep is not judged on Monte Carlo alone (exit 3)
    fam = 1 - min([c.check.confidence for c, _ in live] or [0.95])
    tests = _n_tests(live)
    if budget_tests is not None:
        if budget_tests < tests:
            raise ParamError(f"--budget-tests {budget_tests} is below the {tests} tests of this run")
        tests = budget_tests
    budget = stats.Budget(fam, tests)
    say = progress or (lambda msg: None)
    results = []
    for i, (c, b, es) in enumerate(bound, 1):
        tc = time.perf_counter()
        r_runs = 1 if c.deterministic else (runs or c.check.runs)
        r_seed = c.check.seed if seed is None else seed
        own = c.n_tests(es) if not b.skip_reason else 0
        rep = reproduce_command(c, ov, r_runs, r_seed, noise_text, function_text,
                                budget.tests if budget.tests > own else None, require_evidence)
        res = ClaimResult(c, b, None, {}, r_runs, r_seed, rep)
        if b.skip_reason and b.outside_regime_only and c.id not in over_budget:
            # the theorem's hypotheses hold, only the check's regime does not: measure it and say
            # what was measured; verify reports INCONCLUSIVE (a SKIP is only for a failed hypothesis),
            # sweep's phase diagram (explore) keeps SKIP, "measured, not judged"
            say(f"[{i}/{len(bound)}] {c.id}: {b.skip_reason}; measuring without judging")
            jb = b.judged()
            for e in es:
                note = (lambda msg, e=e: say(f"[{i}/{len(bound)}] {c.id} ({e}): {msg}"))
                v = _run_engine(e, jb, res, budget, note)
                would, own = v.verdict, v.reason
                v.verdict = "SKIP" if explore else "INCONCLUSIVE"
                v.resolution = v.evidence = None  # measured, not judged: no PASS, nothing resolved
                v.reason = (f"{b.skip_reason}: measured, not judged" if explore else
                            f"{b.skip_reason}, where the catalogue does not trust this check (see the claim's "
                            f"notes): measured {_measured_text(c, v)}, which would have read {would}")
                v.reason += f" ({own})" if own else ""
                res.engines[e] = v
            res.verdict = _combine(c, res.engines) if es else _skip(b, "-", b.skip_reason)
        elif b.skip_reason and not b.outside_regime_only:
            say(f"[{i}/{len(bound)}] {c.id}: SKIP ({b.skip_reason})")
            from ..claims import skip_verdict

            res.verdict = skip_verdict(b)
            res.engines = {e: skip_verdict(b, e) for e in es}
        elif c.id in over_budget:  # its estimated time exceeds its budget_s (verify/cost.py)
            say(f"[{i}/{len(bound)}] {c.id}: INCONCLUSIVE ({over_budget[c.id]})")
            res.errors.append(f"budget_s: {over_budget[c.id]}")
            res.engines = {e: _skip(b, e, over_budget[c.id], "INCONCLUSIVE") for e in es or ("-",)}
            res.verdict = _combine(c, res.engines)
        else:
            for e in es:
                note = (lambda msg, e=e: say(f"[{i}/{len(bound)}] {c.id} ({e}): {msg}"))
                res.engines[e] = _run_engine(e, b, res, budget, note)
            if not es:
                res.engines["-"] = _skip(b, "-", "no engine selected")
            res.verdict = _combine(c, res.engines)
            require(res, require_evidence)
        res.seconds = time.perf_counter() - tc
        say(f"[{i}/{len(bound)}] {c.id}: {res.verdict.verdict} ({res.seconds:.1f} s)")
        results.append(res)
        if on_claim is not None:  # the report so far: an interrupted command writes it, marked partial
            on_claim(Report(list(results), budget, ov, command, time.perf_counter() - t0))
    return Report(results, budget, ov, command, time.perf_counter() - t0)


def _measured_text(c, v) -> str:
    """'slope -0.81, CI [-0.83, -0.79]' or 'value 0.12 at N = 64' for an out-of-regime reason."""
    from .render import fmt

    what = "slope" if c.kind == "rate" else "value"
    ci = f", CI [{fmt(v.ci[0])}, {fmt(v.ci[1])}]" if v.ci is not None else ""
    at = f" at {c.check.over} = {v.N:g}" if v.N is not None and c.kind != "rate" else ""
    return f"{what} {fmt(v.measured)}{at}{ci} against {fmt(v.bound)}"


def _skip(b, engine: str, reason: str, verdict: str = "SKIP") -> stats.Verdict:
    c = b.claim
    return stats.Verdict(c.id, c.kind, verdict, c.expected, engine=engine, iterate=c.iterate, index=c.check.index,
                         confidence=c.check.confidence, tolerance=c.check.tolerance, reason=reason)


def _run_engine(e: str, b, res: ClaimResult, budget, note) -> stats.Verdict:
    from ..claims import decide

    c = b.claim
    if e == "mc":
        if c.kind == "compare" and c.compare.form == "growth":  # iterations to reach eps against p
            from ..claims.compare import growth_mc

            return growth_mc(b, res.runs, res.seed, note, res, budget)
        try:
            values, kernels, versions, setting = _run_mc(b, res.runs, res.seed, note)
        except UsageError:
            raise
        except ComputationError as err:
            res.errors.append(f"mc: {err}")
            return _skip(b, "mc", f"computation failed: {err}", "INCONCLUSIVE")
        res.kernels += [k for k in kernels if k not in res.kernels]
        res.versions, res.setting = versions, setting
        res.data["mc"] = (np.asarray(b.points), values)
        if c.kind == "compare":  # setting B with the same seeds (claims/compare.py)
            from ..claims.compare import compare_mc

            return compare_mc(b, values, lambda bb: _run_mc(bb, res.runs, res.seed, note), res, budget)
        return decide(b, values, engine="mc", budget=budget, seeds=[res.seed])
    if e == "pep":
        from .pep_engine import PEPUnavailable, run_pep

        try:
            vals, info = run_pep(b, note)
        except PEPUnavailable as err:
            return _skip(b, "pep", str(err))
        except ComputationError as err:
            res.errors.append(f"pep: {str(err).splitlines()[0]}")
            return _skip(b, "pep", f"PEP solver failed: {str(err).splitlines()[0]}", "INCONCLUSIVE")
        from .pep_engine import judge, provenance

        res.provenance["pep"] = provenance(info)
        res.data["pep"] = (np.asarray(b.points), vals[None, :])
        # provenance used soundly; failed N named; FAIL of a relaxation only when a replay confirms it
        v = judge(b, vals, info, budget, note)
        res.pep_info = [{k: x for k, x in i.items() if k != "provenance_record"} for i in info]
        res.errors += [f"pep: solver failed at N={i['N']}: {i['error']}" for i in info if i.get("status") == "failed"]
        if not res.setting:
            res.setting = {role: _spec_text(p) for role, p in b.setting(int(b.points[-1])).items()}
        return v
    return _skip(b, e, f"unknown engine {e!r}")


def _combine(c, engines: dict[str, stats.Verdict]) -> stats.Verdict:
    vs = [v for v in engines.values() if v.verdict != "SKIP"]
    if not vs:
        first = next(iter(engines.values()))
        reason = "; ".join(f"{k}: {v.reason}" for k, v in engines.items()) if len(engines) > 1 else first.reason
        out = stats.Verdict(**{**first.__dict__, "reason": reason})
        return out
    for want in ("FAIL", "INCONCLUSIVE", "PASS"):
        hit = [v for v in vs if v.verdict == want]
        if hit:
            return hit[0]
    return vs[0]  # pragma: no cover


__all__ = ["parse_overrides", "overrides_for", "check_all", "verify_claims", "reproduce_command",
           "Report", "ClaimResult", "SHORTHAND"]

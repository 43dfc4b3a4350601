"""Sweeps: the selected claims at every point of a parameter grid, as one statistical family.

    plan = plan_sweep(claims, parse_grid(["noise.alpha=1.2:2.0:5"]))   # validates everything
    result = run_sweep(plan, executor="local")                          # cached, resumable
    write_csv(result.rows, "sweep.csv"); plot(result, "phase.png")

Planning (before anything runs; every error is a UsageError, exit 2): each grid point becomes
``verify`` overrides (grid.py); every (claim, point) is bound, and the setting it would run is
validated, so a value outside any parameter's domain is named with its ``--grid`` option. A key
that applies to none of the selected claims is an error too.

Tasks: one per (claim, point), deduplicated by content: a claim that does not depend on a swept
key (e.g. a claim without ``alpha`` under ``noise.alpha``) runs once and its row is repeated at
every point, with the key listed in the row's ``not_applicable`` column.

Statistics: one Bonferroni family over the whole sweep, P(any false FAIL) <= 1 - min confidence:
each task is judged at per-test level alpha / T, T = the statistical tests of all distinct tasks
(a rate fit is one test; one per horizon otherwise; exact checks spend nothing). Points outside a
claim's check regime (catalogue key ``regime``) are measured but not judged (verdict SKIP, the
``judged`` column False) unless ``explore=False``; they spend no budget.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Sequence

from ..errors import ParamError, UsageError
from . import cache as _cache
from .grid import RUN_KEYS, Axis, fmt, points as grid_points
from .task import Task

EXECUTORS = ("local", "dask")


@dataclass
class Plan:
    claims: list  # Claim objects, in selection order
    axes: list[Axis]
    points: list[dict[str, Any]]
    tasks: list[Task]  # distinct tasks
    cells: list[tuple[int, int, int, str]]  # (point, claim, task index, swept keys not reaching it)
    budget_tests: int
    runs: int | None
    seed: int | None
    explore: bool
    problems: list[str] = field(default_factory=list)
    require_evidence: str | None = None

    @property
    def keys(self) -> list[str]:
        return [a.key for a in self.axes]


@dataclass
class SweepResult:
    plan: Plan
    rows: list[dict]  # one per cell: grid columns first, then the task's row
    computed: int  # tasks run in this call
    cached: int  # tasks read from the cache
    seconds: float

    @property
    def unexpected(self) -> int:
        return sum(1 for r in self.rows if r["unexpected"])

    @property
    def exit_code(self) -> int:
        """1: an unexpected verdict; else 3: an engine could not compute an answer; else 0."""
        if self.unexpected:
            return 1
        return 3 if any(r["errors"] for r in self.rows) else 0


# ----------------------------------------------------------------------------- planning
def overrides_of(point: dict[str, Any]) -> tuple[dict, int | None, int | None]:
    """A grid point -> (verify overrides, runs, seed). ``noise.alpha`` is the ``--noise alpha=A``
    shorthand (other ``noise.K`` join it as its extra keys, as in ``--noise alpha=A,K=v``)."""
    from ..verify.core import SHORTHAND

    ov: dict[str, Any] = {}
    runs = point.get("runs")
    seed = point.get("seed")
    for k, v in point.items():
        if k in RUN_KEYS:
            continue
        if k in ("noise", "function"):
            ov[k] = v
        elif k == "noise.alpha":
            ov["alpha"] = v
            ov[SHORTHAND] = ",".join(f"{kk[6:]}={fmt(vv)}" for kk, vv in point.items() if kk.startswith("noise."))
        elif k.startswith("algorithm."):
            ov["algo." + k[10:]] = v
        else:
            ov[k] = v
    return ov, runs, seed


def _where(point: dict, axes: Sequence[Axis]) -> str:
    return " ".join(f"--grid {a.key}={fmt(point[a.key])}" for a in axes)


def plan_sweep(claims: Sequence, axes: Sequence[Axis], *, runs: int | None = None, seed: int | None = None,
               explore: bool = True, budget_tests: int | None = None,
               problems: Sequence[str] = (), require_evidence: str | None = None) -> Plan:
    """Validate the whole sweep and build its tasks (nothing runs)."""
    from ..verify.core import check_all, overrides_for
    from ..verify.resolution import check_required

    check_required(require_evidence)

    if not claims:
        raise UsageError("no claims selected")
    if runs is not None and runs < 1:
        raise ParamError(f"--runs must be a positive integer (got {runs})")
    if seed is not None and not 0 <= seed < 2**63:
        raise ParamError(f"--seed must be an integer in [0, 2^63) (got {seed})")
    pts = grid_points(axes)
    texts = {}
    for c in claims:
        if c.file is None:
            raise UsageError(f"claim {c.id!r} has no catalogue file; a sweep ships files to its workers")
        texts[c.id] = (str(c.file), Path(c.file).read_text(encoding="utf-8"))
    used = {a.key: False for a in axes}
    tasks: list[Task] = []
    index: dict[str, int] = {}  # content key (without code fingerprint) -> task index
    cells: list[tuple[int, int, int, str]] = []
    tests_of: dict[int, int] = {}
    for pi, pt in enumerate(pts):
        ov, p_runs, p_seed = overrides_of(pt)
        where = _where(pt, axes)
        try:
            check_all(claims, ov)
        except UsageError as e:
            raise type(e)(f"{where}: {e}") from None
        for ci, c in enumerate(claims):
            # a namespaced key for a parameter this claim's component does not have (noise.beta
            # for a claim whose noise is rare-spike) does not apply to it
            eff = {k: v for k, v in overrides_for(c, ov).items() if not _foreign(c, k)}
            try:
                b = c.bind(eff)
            except UsageError as e:
                raise type(e)(f"{where}: {e}") from None
            # the overrides that reach this claim: a claim independent of a swept key gets the
            # same task at every point (run once, its row repeated)
            reach = {k: v for k, v in eff.items() if k not in b.unused}
            idle = [a.key for a in axes if a.key not in RUN_KEYS and _override_key(a.key) not in reach]
            for a in axes:
                used[a.key] |= a.key not in idle
            live = not b.skip_reason or (explore and b.outside_regime_only)
            if live:
                _validate_setting(b, where)
            t = Task(c.id, *texts[c.id], overrides=reach, runs=p_runs if p_runs is not None else runs,
                     seed=p_seed if p_seed is not None else seed, explore=explore,
                     require_evidence=require_evidence)
            k = t.key("")
            if k not in index:
                index[k] = len(tasks)
                tasks.append(t)
                tests_of[index[k]] = c.n_tests(tuple(c.engines)) if not b.skip_reason else 0
            cells.append((pi, ci, index[k], ",".join(idle)))
    idle = [k for k, u in used.items() if not u]
    if idle:
        raise UsageError(f"--grid {idle[0]}: applies to none of the selected claims "
                         f"({', '.join(c.id for c in claims)}); see 'boundcheck info' for parameter names")
    total = sum(tests_of.values())
    if budget_tests is not None:
        if budget_tests < total:
            raise ParamError(f"--budget-tests {budget_tests} is below the {total} tests of this sweep")
        total = budget_tests
    total = max(total, 1)
    tasks = [replace(t, budget_tests=total) for t in tasks]
    return Plan(list(claims), list(axes), pts, tasks, cells, total, runs, seed, explore, list(problems),
                require_evidence)


def _foreign(claim, key: str) -> bool:
    """``role.K`` where the claim's component for that role has no parameter K."""
    from ..claims.binding import _ROLE, _plugin_param_names

    role, _, k = key.rpartition(".")
    if not role or role not in _ROLE:
        return False
    comp = claim.setting.get(_ROLE[role])
    return comp is not None and k not in _plugin_param_names(_ROLE[role], comp)


def _override_key(key: str) -> str:
    """The verify override key a grid key becomes (after overrides_for)."""
    if key == "noise.alpha":
        return "alpha"
    if key.startswith("algorithm."):
        return "algo." + key[10:]
    return key


def _validate_setting(b, where: str) -> None:
    """Evaluate the setting at the largest grid point: a plugin parameter out of its domain (e.g.
    ``algo.c=-1``, or a noise parameter that a formula drives out of range) is named now."""
    c = b.claim
    try:
        x = b.points[-1]
        b.setting(int(x)) if c.check.over == "N" else b.setting_at(float(x))
    except UsageError as e:
        raise type(e)(f"{where}: {e}") from None


# ----------------------------------------------------------------------------- running
def run_sweep(plan: Plan, *, executor: str = "local", workers: int | None = None, scheduler: str | None = None,
              use_cache: bool = True, cache_root: Path | None = None,
              progress: Callable[[str], None] | None = None, client=None) -> SweepResult:
    """Run every task not in the cache, storing each result as it arrives; assemble the rows.

    executor: ``local`` (``workers`` spawned processes, default all cores), ``dask`` (the cluster at
    ``scheduler``, or an existing ``client``) or ``serial`` (this process)."""
    from . import executors as ex
    from .fingerprint import code_fingerprint

    if executor not in EXECUTORS + ("serial",):
        raise UsageError(f"unknown executor {executor!r} (use {' or '.join(EXECUTORS)})")
    if workers is not None and workers < 1:
        raise ParamError(f"--workers must be a positive integer (got {workers})")
    if executor == "dask" and client is None:
        ex.check_address(scheduler)
    t0 = time.perf_counter()
    say = progress or (lambda msg: None)
    fp = code_fingerprint()
    keys = [t.key(fp) for t in plan.tasks]
    results: dict[int, dict] = {}
    if use_cache:
        for i, k in enumerate(keys):
            row = _cache.load(k, cache_root)
            if row is not None:
                results[i] = row
    cached = len(results)
    todo = [i for i in range(len(plan.tasks)) if i not in results]
    own = executor == "dask" and todo and client is None
    if own:  # before any output: an unreachable scheduler is the one line the user sees
        client = ex.connect(scheduler)
    say(f"{len(plan.points)} grid point(s) x {len(plan.claims)} claim(s): {len(plan.tasks)} distinct task(s), "
        f"{cached} cached, {len(todo)} to run")
    if todo:
        sub = [plan.tasks[i] for i in todo]
        if executor == "dask":
            stream = ex.dask(sub, scheduler, client=client)
        elif executor == "serial":
            stream = ex.serial(sub)
        elif workers is None:  # sweep/workers.py: one worker per TASKS_PER_WORKER tasks; 1 runs in-process
            from .workers import auto_workers, reason

            k = auto_workers(len(sub), ex.default_workers())
            say(reason(len(sub), k))
            stream = ex.serial(sub) if k == 1 else ex.local(sub, k)
        else:
            stream = ex.local(sub, min(workers, len(sub)))
        done = 0
        try:
            for j, out in _guard(stream, todo, plan):
                i = todo[j]
                if out["fingerprint"] != fp:
                    raise UsageError(f"a worker computed {plan.tasks[i].claim_id} with other boundcheck code than "
                                     f"this client's (boundcheck's sources or package versions changed since the "
                                     f"sweep started, or Dask workers run another checkout); rerun (finished "
                                     f"points are cached)")
                results[i] = out["row"]
                if use_cache:
                    _cache.store(keys[i], out["row"], cache_root)
                done += 1
                r = out["row"]
                say(f"[{done}/{len(todo)}] {r['claim']} {_task_label(plan.tasks[i])}: {r['verdict']}"
                    + ("" if r["judged"] or r["measured"] is None else " (measured, not judged)"))
        finally:
            stream.close()
            if own:
                client.close()
    rows = []
    for pi, ci, ti, idle in plan.cells:
        pt = plan.points[pi]
        rows.append({**{k: pt[k] for k in plan.keys}, **results[ti], "not_applicable": idle,
                     "reproduce": reproduce_command(plan, pt, plan.claims[ci], plan.tasks[ti])})
    return SweepResult(plan, rows, len(todo), cached, time.perf_counter() - t0)


def _guard(stream, todo, plan):
    """Re-raise a task that failed in its worker as ComputationError (exit 3) naming the task."""
    from ..errors import ComputationError
    from .executors import TaskFailed

    try:
        yield from stream
    except TaskFailed as f:
        t = plan.tasks[todo[f.index]]
        raise ComputationError(f"{t.claim_id} {_task_label(t)} failed in its worker: {type(f.error).__name__}: "
                               f"{f.error} (finished points are cached; rerun to resume)") from f.error


def _task_label(t: Task) -> str:
    from ..verify.core import SHORTHAND

    parts = [f"{k}={fmt(v)}" for k, v in sorted(t.overrides.items()) if k != SHORTHAND]
    if t.seed is not None:
        parts.append(f"seed={t.seed}")
    if t.runs is not None:
        parts.append(f"runs={t.runs}")
    return "[" + ",".join(parts) + "]" if parts else "[defaults]"


def reproduce_command(plan: Plan, point: dict, claim, task: Task) -> str:
    """The one-point sweep that recomputes exactly this row (same overrides, runs, seed, and the
    sweep's per-test level via --budget-tests)."""
    import shlex

    from ..claims import builtin_dir

    parts = ["boundcheck", "sweep", "--claim", claim.id]
    f = Path(claim.file).resolve()
    if builtin_dir() not in f.parents:
        parts += ["--problems", str(f.parent)]
    for k in plan.keys:
        parts += ["--grid", f"{k}={fmt(point[k])}"]
    if plan.runs is not None and "runs" not in plan.keys:
        parts += ["--runs", str(plan.runs)]
    if plan.seed is not None and "seed" not in plan.keys:
        parts += ["--seed", str(plan.seed)]
    parts += ["--budget-tests", str(plan.budget_tests)]
    if not plan.explore:
        parts.append("--judged-only")
    if plan.require_evidence:
        parts += ["--require-evidence", plan.require_evidence]
    return " ".join(shlex.quote(p) for p in parts)


__all__ = ["Plan", "SweepResult", "plan_sweep", "run_sweep", "overrides_of", "reproduce_command", "EXECUTORS"]

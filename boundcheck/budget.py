"""Sizes and budgets: what a computation will need, estimated before it starts.

One small cost model for every command, so that a request that cannot fit is refused up front
(``SizeError``, exit 2, naming the limit and the estimate) instead of allocating until the machine
swaps or the process is killed:

* memory (bytes, float64 = 8 bytes):
  - instance data: the generator's matrix (``Generator.matrix``: its shape, rows x cols; None for
    O(d) data) times ``CONSTRUCTION_COPIES`` (the construction holds a few d x d temporaries:
    a Gaussian matrix, its QR factors, the product, an eigendecomposition), plus O(d) vectors;
  - the Monte Carlo state: 16 metric slots per checkpoint per run (twice: the slices' buffers
    and the result), the runs' final points when kept, and a few d-vectors per thread;
  - a PEP after N steps: a Gram matrix of about (N + 2)^2 entries and one interpolation row per
    ordered pair of points, about (N + 2)^2 rows of ``PEP_BYTES_PER_ROW`` bytes each;
* time (seconds), a deliberately *optimistic* figure (a lower estimate on this kind of machine), so
  that nothing is refused that could have finished: ``MC_SECONDS_PER_COORDINATE_STEP`` per
  coordinate of a gradient step plus ``MC_SECONDS_PER_MATRIX_ENTRY`` per entry of the instance
  matrix read by one gradient, divided over the cores; a PEP solve takes at least
  ``PEP_SECONDS_PER_ROW`` per row of the pair table and ``PEP_SECONDS_PER_GRAM_CUBE`` per (N + 2)^3.

Limits: memory at most ``MEMORY_FRACTION`` of the memory available now (``/proc/meminfo``
MemAvailable, else ``os.sysconf``), or ``$BOUNDCHECK_MAX_MEMORY`` (bytes, or with a suffix K, M,
G, T: ``8G``); time at most ``$BOUNDCHECK_MAX_SECONDS`` (default one day) for ``run`` and
``certify``. ``verify`` judges each claim's time against its own ``budget_s``
(boundcheck/verify/core.py).
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

from .errors import ParamError, SizeError

FLOAT = 8
CONSTRUCTION_COPIES = 6
MEMORY_FRACTION = 0.5
DEFAULT_MAX_SECONDS = 86400.0
MC_SECONDS_PER_COORDINATE_STEP = 2e-9
MC_SECONDS_PER_MATRIX_ENTRY = 2.5e-10
PEP_BYTES_PER_ROW = 80
PEP_SECONDS_PER_ROW = 1e-4
PEP_SECONDS_PER_GRAM_CUBE = 1e-8

_SUFFIX = {"": 1, "B": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


@dataclass
class Estimate:
    """What a computation needs: ``bytes`` at its peak, ``seconds`` (optimistic), and the parts."""

    what: str
    bytes: float = 0.0
    seconds: float = 0.0
    parts: list[str] = field(default_factory=list)

    def __add__(self, other: "Estimate") -> "Estimate":
        return Estimate(self.what, max(self.bytes, other.bytes), self.seconds + other.seconds,
                        self.parts + other.parts)


def fmt_bytes(b: float) -> str:
    for unit, k in (("TB", 2**40), ("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if b >= k:
            return f"{b / k:.3g} {unit}"
    return f"{b:.0f} B"


def fmt_seconds(s: float) -> str:
    if s >= 86400 * 365:
        return f"{s / (86400 * 365):.3g} years"
    if s >= 86400:
        return f"{s / 86400:.3g} day" + ("s" if s >= 86400 * 1.005 else "")
    if s >= 3600:
        return f"{s / 3600:.3g} h"
    return f"{s:.3g} s"


def available_memory() -> float | None:
    """Bytes of memory available now (MemAvailable), or None when the system does not say."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return float(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return None


def _env_number(name: str, text: str, suffixes: bool) -> float:
    t = text.strip().upper()
    unit = t[-1] if suffixes and t and t[-1] in _SUFFIX else ""
    try:
        v = float(t[:-1] if unit else t) * _SUFFIX[unit]
    except ValueError:
        v = float("nan")
    if not (v > 0 and math.isfinite(v)):
        raise ParamError(f"${name}={text!r} is not a positive number"
                         + (" (bytes, or with a suffix K, M, G or T, e.g. 8G)" if suffixes else " (seconds)"))
    return v


def memory_limit() -> tuple[float, str]:
    """(bytes, how the limit was set)."""
    env = os.environ.get("BOUNDCHECK_MAX_MEMORY")
    if env:
        return _env_number("BOUNDCHECK_MAX_MEMORY", env, True), f"BOUNDCHECK_MAX_MEMORY={env}"
    avail = available_memory()
    if avail is None:
        return math.inf, "no limit known"
    lim = MEMORY_FRACTION * avail
    return lim, f"half the {fmt_bytes(avail)} available; set BOUNDCHECK_MAX_MEMORY to change it"


def time_limit() -> tuple[float, str]:
    env = os.environ.get("BOUNDCHECK_MAX_SECONDS")
    if env:
        return _env_number("BOUNDCHECK_MAX_SECONDS", env, False), f"BOUNDCHECK_MAX_SECONDS={env}"
    return DEFAULT_MAX_SECONDS, "one day; set BOUNDCHECK_MAX_SECONDS to change it"


def check_memory(est: Estimate, fix: str = "") -> None:
    lim, how = memory_limit()
    if est.bytes > lim:
        raise SizeError(f"{est.what} needs about {fmt_bytes(est.bytes)} of memory ({'; '.join(est.parts)}), "
                        f"over the limit of {fmt_bytes(lim)} ({how})" + (f"; {fix}" if fix else ""))


def check(est: Estimate, fix: str = "") -> None:
    """SizeError (exit 2) when ``est`` exceeds the memory limit or the time limit."""
    check_memory(est, fix)
    lim, how = time_limit()
    if est.seconds > lim:
        raise SizeError(f"{est.what} would take at least {fmt_seconds(est.seconds)} ({'; '.join(est.parts)}), "
                        f"over the time limit of {fmt_seconds(lim)} ({how})" + (f"; {fix}" if fix else ""))


# --------------------------------------------------------------------------- the cost model
def instance_cost(gen, p: dict) -> tuple[float, float]:
    """(bytes to build the instance, matrix entries one gradient reads) for generator ``gen`` at
    validated parameters ``p``."""
    d = int(p.get("d", 1))
    shape = gen.matrix(p) if gen.matrix is not None else None
    entries = float(shape[0]) * float(shape[1]) if shape else 0.0
    return FLOAT * (CONSTRUCTION_COPIES * entries + 16.0 * d), entries


def instance(cls, p: dict) -> Estimate:
    gen = cls.generator(p["instance"])
    b, entries = instance_cost(gen, p)
    shape = gen.matrix(p) if gen.matrix is not None else None
    part = (f"a {shape[0]} x {shape[1]} matrix" if shape else "O(d) data") + f" at d={p['d']}"
    return Estimate(f"{cls.name} instance '{gen.name}'", b, 0.0, [part])


def monte_carlo(cls, p: dict, step_sum: float, n_runs: int, n_checkpoints: int, batch: int = 1,
                keep_final: bool = False) -> Estimate:
    """A Monte Carlo run of ``n_runs`` runs, ``step_sum`` steps each in total (the sum of the
    horizons for a horizon-dependent method), recording ``n_checkpoints`` checkpoints."""
    inst = instance(cls, p)
    d = int(p["d"])
    _, entries = instance_cost(cls.generator(p["instance"]), p)
    # N_SLOTS metric slots per checkpoint and run (engine/results.py), held twice (the slices' buffers
    # and the result array)
    from .engine.results import N_SLOTS

    state = FLOAT * (2.0 * N_SLOTS * n_checkpoints * n_runs + (n_runs * d if keep_final else 0) + 8.0 * d * batch
                     * (os.cpu_count() or 1))
    per_step = batch * (MC_SECONDS_PER_COORDINATE_STEP * d + MC_SECONDS_PER_MATRIX_ENTRY * entries)
    secs = step_sum * n_runs * per_step / max(1, os.cpu_count() or 1)
    parts = inst.parts + [f"{n_runs} run(s) x {step_sum:.0f} steps, {n_checkpoints} checkpoint(s)"]
    return Estimate(f"{n_runs} runs of {step_sum:.0f} steps on {inst.what}", inst.bytes + state, secs, parts)


def pep(N: int) -> Estimate:
    """A PEP after N steps: Gram size about N + 2, (N + 2)^2 pair rows."""
    n = float(N) + 2.0
    rows = n * n
    return Estimate(f"the PEP at N={N}", PEP_BYTES_PER_ROW * rows + FLOAT * rows,
                    PEP_SECONDS_PER_ROW * rows + PEP_SECONDS_PER_GRAM_CUBE * n ** 3,
                    [f"Gram matrix {N + 2} x {N + 2}, about {rows:.3g} interpolation rows"])


__all__ = ["Estimate", "available_memory", "memory_limit", "time_limit", "check", "check_memory",
           "instance", "instance_cost", "monte_carlo", "pep", "fmt_bytes", "fmt_seconds"]


def run_request(algorithm: str, function: str, noise: str | None, n_steps: int, n_runs: int,
                checkpoints=None, keep_final: bool = False) -> Estimate:
    """The estimate for ``boundcheck run`` (engine.run) from its specs, validated but nothing built.
    Spec errors surface here as the usual UsageErrors, before any computation."""
    from . import registry
    from .engine import checkpoints as ck
    from .engine.problem import resolve_algorithm
    from .spec import parse_spec

    alg, ap = resolve_algorithm(algorithm)
    fs = parse_spec(function)
    cls = registry.functions.get(fs.name)
    p = cls.validate({(k[9:] if k.startswith("function.") else k): v for k, v in fs.params.items()})
    grid = ck.parse(checkpoints, n_steps) if checkpoints is None or isinstance(checkpoints, str) \
        else ck.validate(checkpoints, n_steps)
    step_sum = float(sum(int(t) for t in grid)) if alg.horizon_dependent(ap) else float(n_steps)
    batch = int(ap.get("batch", 1)) if noise not in (None, "none", "") else 1
    return monte_carlo(cls, p, step_sum, n_runs, len(grid), batch, keep_final)

"""Close the loop: run the method on the rebuilt worst case and compare with the PEP's value.

``replay(model, result)`` (after ``solve(model)``):

1. rebuilds the worst case as the class's ``pep-worst`` instance (worst_instance.py), from this
   very solve;
2. checks it with the class's self-check (functions/check.py), as every generator is checked:
   ``in_class``;
3. runs the SAME algorithm file on it in the Monte Carlo engine, one run, float64, no noise,
   from the rebuilt x0 for N steps, and reads the PEP's measure off the engine's metrics:
   ``attained``;
4. optionally (replay_mp.py) repeats the run in extended precision.

The verdict: confirmed iff in_class and |attained - value| <= RTOL |value|; otherwise ``message``
names the step that broke (the class check, or the value: an interpolation condition that is not
sufficient, a solver worst case far from its dual value, or rounding along the run).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import ComputationError

RTOL = 1e-6

# PEP measure -> (engine quantity, iterate: "out" means the declared output, else last)
METRICS = {"f-gap": ("f_gap", "out"), "f-gap-last": ("f_gap", "last"), "grad-sq": ("grad_sq", "out"),
           "dist": ("dist_sq", "out"), "dist-last": ("dist_sq", "last")}


@dataclass
class Replay:
    value: float                 # the PEP value (the solver's dual value)
    attained: float              # the measure on the real run (float64, engine)
    rel_diff: float              # (attained - value)/|value|
    in_class: bool
    check: str                   # the self-check's summary
    dimension: int
    instance: str                # the function spec that rebuilds the instance
    metric: str                  # engine metric read, e.g. "f_gap@last"
    confirmed: bool
    message: str
    construction: str = ""
    extended: dict | None = None
    times: dict = field(default_factory=dict)
    solver_gap: float = 0.0      # (primal - dual)/|dual| of the solve: the accuracy of its worst case
    polished: dict | None = None  # set when the PEP was re-solved in its own scaling (polish.py)

    def to_json(self) -> dict:
        return dict(attained=self.attained, solver_gap=self.solver_gap, in_class=self.in_class, dimension=self.dimension,
                    instance=self.instance, value=self.value, rel_diff=self.rel_diff,
                    confirmed=self.confirmed, message=self.message, check=self.check, metric=self.metric,
                    construction=self.construction, extended=self.extended, timing=self.times,
                    polished=self.polished)


def instance_params(model) -> tuple[str, dict]:
    """(class name, the parameters that build the pep-worst instance of this PEP)."""
    from ..spec import parse_spec

    meta = model.meta
    cls_name = parse_spec(meta["function"]).name
    fspec = parse_spec(meta["function"])
    given = dict(meta["constants"])
    given["R"] = meta["init_params"].get("R", fspec.params.get("R", 1.0))
    given.update(instance="pep-worst", algorithm=meta["algorithm"], N=meta["N"], measure=meta["measure"],
                 init=meta["init"])
    return cls_name, given


def spec_string(cls_name: str, given: dict) -> str:
    return f"{cls_name}[{','.join(f'{k}={v!r}' if isinstance(v, float) else f'{k}={v}' for k, v in given.items())}]"


def replay(model, result, *, extended: bool = False) -> Replay:
    import time

    from .. import registry
    from ..functions.check import check_instance
    from . import worst_instance as W

    t0 = time.perf_counter()
    meta = model.meta
    if meta["measure"] not in METRICS:
        from .measures import measure as _measure

        what = ("a minimum over the PEP's query points, which the engine does not record (its min runs over "
                "the states)" if _measure(meta["measure"]).at == "min" else
                "not recorded by the Monte Carlo engine that runs the rebuilt function")
        raise ComputationError(f"replay: the measure {meta['measure']} is {what}; replayable measures: "
                               f"{', '.join(METRICS)}")
    from .reconstruct import RECONSTRUCTORS, worst_points

    cls_name, given = instance_params(model)
    if cls_name not in RECONSTRUCTORS:
        raise ComputationError(f"replay: no interpolant construction is known here for {cls_name} (known: "
                               f"{', '.join(RECONSTRUCTORS)}); the worst case cannot be rebuilt as a function")
    given["d"] = worst_points(model, result).rank  # the dimension the worst case lives in
    cls = registry.functions.get(cls_name)
    consts = tuple(q.name for q in cls.constants)
    registered = any(g.name == "pep-worst" for g in cls.generators)
    if registered:
        p = cls.validate(given)
    else:  # an attempt for a class without the generator (PL, quasar-convex): built directly
        p = dict(given)
    key = (cls_name, W._spec(cls_name, p, consts), str(p["algorithm"]), int(p["N"]), str(p["measure"]),
           str(p["init"]))
    W.remember(key, model, result)
    inst = cls.instance(**given) if registered else W.build_instance(cls_name, consts, p)
    t1 = time.perf_counter()
    rep = check_instance(inst, cls)
    t2 = time.perf_counter()

    from ..engine import run as engine_run

    alg = registry.algorithms.get(parse_name(meta["algorithm"]))
    quantity, at = METRICS[meta["measure"]]
    at = "out" if at == "out" and alg.output is not None else "last"
    res = engine_run(meta["algorithm"], inst, None, n_steps=int(meta["N"]), n_runs=1, seed=0,
                     checkpoints=[int(meta["N"])], iterates=(at,))
    metric = f"{quantity}@{at}"
    attained = float(res[metric][-1, 0])
    t3 = time.perf_counter()
    value = float(result.value)
    rel = (attained - value) / abs(value) if value != 0 else attained - value
    confirmed = rep.ok and abs(rel) <= RTOL
    if confirmed:
        msg = (f"confirmed: the rebuilt function passes the {cls_name} self-check and the run attains the "
               f"PEP value to {abs(rel):.1e} relative")
    elif not rep.ok:
        msg = f"step 2 broke: the rebuilt function is not in {cls_name} ({rep.summary()})"
    elif rel < 0 and _solve_accuracy(result) > RTOL / 4 * abs(value):
        msg = (f"step 1 (the solve) limits the answer: the solver's accuracy ({result.solver}; its primal value "
               f"is {(float(result.primal) - value) / abs(value):+.2e} relative to its dual value) is "
               f"{_solve_accuracy(result) / abs(value):.1e} of the PEP value, so its worst case is known only to "
               f"that accuracy; the run attains {attained!r} ({rel:+.2e} relative to the PEP value {value!r}, "
               f"tolerance {RTOL:g})")
    elif rel < 0:
        msg = (f"step 3 broke: the run attains {attained!r}, below the PEP value {value!r} by {-rel:.2e} "
               f"relative (> {RTOL:g}); the class's interpolation conditions may not be sufficient, or "
               "the solver's worst case is inaccurate")
    else:
        msg = (f"step 3 broke: the run attains {attained!r}, ABOVE the PEP value {value!r} by {rel:.2e} "
               f"relative: the PEP bound is wrong for this function (conditions not necessary?)")
    spec = spec_string(cls_name, given) if registered else \
        f"boundcheck.pep.worst_instance.build_instance({cls_name!r}, {consts!r}, {p!r})"
    out = Replay(value, attained, rel, rep.ok, rep.summary(), inst.d, spec, metric,
                 confirmed, msg, construction=W.rebuilt(*key)[3][3],
                 times=dict(rebuild_s=t1 - t0, check_s=t2 - t1, engine_s=t3 - t2),
                 solver_gap=(float(result.primal) - value) / abs(value) if value else 0.0)
    if extended:
        from .replay_mp import replay_extended

        t4 = time.perf_counter()
        out.extended = replay_extended(model, W.rebuilt(*key))
        out.times["extended_s"] = time.perf_counter() - t4
    out.times["total_s"] = time.perf_counter() - t0
    return out


def _solve_accuracy(result) -> float:
    """Absolute accuracy of the solve: its primal-dual gap, or the tolerance it was solved to
    (solve.py records it in the solver's name, e.g. 'CLARABEL(tol=1e-08)'), whichever is larger."""
    import re

    m = re.search(r"\((?:tol|eps)=([0-9.eE+-]+)\)", str(result.solver))
    tol = float(m.group(1)) if m else 0.0
    return max(abs(float(result.primal) - float(result.value)), tol)


# the extended-precision oracle's inner solve must reach a KKT residual below KKT_MAX (1 + |value|)
# for its value to be the rebuilt function's (measured: about 1e-41 at 40 digits when the active set
# solves in mpmath, about 1e-12 when it falls back to float64 weights, 2e+33 when the active set is
# near singular and the solve returns garbage)
KKT_MAX = 1e-8


def judge_extended(rp: Replay, upper: str | None) -> None:
    """Fold the extended-precision run into the verdict: it must attain the PEP value too, and can
    never exceed the exact upper bound (the function is in the class, the bound is proven)."""
    from fractions import Fraction

    import mpmath

    e = rp.extended
    kkt = e.get("kkt")
    if kkt is not None and not kkt <= KKT_MAX * (1.0 + abs(float(e["attained"]))):
        # the oracle's inner problem (the projection onto the interpolation data) was not solved in
        # extended precision (a near-singular active set): its value is not the rebuilt function's,
        # so it can neither confirm the worst case nor refute the class
        rp.confirmed = False
        rp.message = (f"step 4 could not be checked: the extended-precision oracle did not evaluate the rebuilt "
                      f"function (KKT residual {kkt:.1e} of its inner solve, above {KKT_MAX:.0e}); nothing is "
                      "concluded about the class or the certified bound from it")
        return
    with mpmath.workdps(e["dps"]):
        att = mpmath.mpf(e["attained_mp"])
        rel = float((att - rp.value) / abs(rp.value)) if rp.value else float(att)
        e["rel_diff"] = rel
        if upper is not None:
            up = Fraction(upper)
            over = att - mpmath.mpf(up.numerator) / up.denominator
            e["above_upper"] = float(over)
            # an excess counts only beyond what the oracle's own inner accuracy (its KKT residual,
            # about 1e-13 when it falls back to float64 weights) could explain
            slack = max(mpmath.mpf(10) ** (8 - e["dps"]) * abs(att), 10 * mpmath.mpf(kkt or 0))
            if over > slack and rp.in_class:
                rp.confirmed = False
                rp.message = (f"step 4 broke: the extended-precision run attains {e['attained_mp']}, ABOVE the "
                              f"exact certified upper bound by {float(over):.3e}, on a function that passed "
                              "the class self-check: the class conditions or the check are wrong")
                return
    if rp.confirmed and abs(rel) > RTOL:
        rp.confirmed = False
        rp.message = (f"step 4 broke: the float64 run attains the PEP value but the extended-precision run "
                      f"gives {e['attained_mp']} ({rel:+.2e} relative): the float64 attainment came from rounding")


def parse_name(spec: str) -> str:
    from ..spec import parse_spec

    return parse_spec(spec).name


__all__ = ["Replay", "replay", "judge_extended", "RTOL", "METRICS", "instance_params", "spec_string"]

"""Self-checks: does a generated instance satisfy its class's conditions with its certified
constants? The checker evaluates every declared ``Condition`` (functions/base.py) on numpy points:
the minimizer, x0, the instance's own probe points (where its constants are attained), and seeded
random points around x*. It has power by construction: declaring a constant 10% too optimistic
makes some inequality fail (tests/test_functions_conformance.py shows it for every class).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import numpy as np

from .base import FunctionClass, Instance, Point


@dataclass
class Violation:
    condition: str
    margin: float  # expr value (negative = violated), normalised by the scale of the terms
    where: str


@dataclass
class CheckReport:
    instance: str
    constants: dict
    n_evaluations: int = 0
    violations: list[Violation] = field(default_factory=list)
    worst: dict = field(default_factory=dict)  # condition -> smallest normalised margin seen

    @property
    def ok(self) -> bool:
        return not self.violations

    def summary(self) -> str:
        if self.ok:
            return f"{self.instance}: all conditions hold at {self.n_evaluations} evaluations"
        v = min(self.violations, key=lambda v: v.margin)
        return (f"{self.instance}: {len(self.violations)} violations; worst {v.condition} "
                f"margin {v.margin:.3g} at {v.where}")


def sample_points(inst: Instance, rng: np.random.Generator, n: int) -> list[np.ndarray]:
    """x*, x0, the instance's probes, and random points at distances 0.01R..3R from x*."""
    R = float(inst.params.get("R", 1.0))
    centre = inst.x_star if inst.x_star is not None else inst.x0
    pts = [np.array(inst.x0, dtype=float)]
    if inst.x_star is not None:
        pts.append(np.array(inst.x_star, dtype=float))
    if inst.probes is not None:
        pts += [np.asarray(p, dtype=float) for p in inst.probes(rng, max(n // 2, 4))]
    while len(pts) < n:
        u = rng.standard_normal(inst.d)
        u /= np.linalg.norm(u)
        r = R * 10 ** rng.uniform(-2, np.log10(3))
        pts.append(centre + r * u)
    return pts[:n] if len(pts) > n else pts


def _scale(*pts: Point) -> float:
    """Magnitude of the terms an inequality over these points is built from, so that rounding
    errors are judged relative to it: |f| of each point, and ||g|| ||x_i - x_j|| for every pair
    (inner products <g, x_i - x_j>, and ||g_i - g_j||^2/L <= ||g_i - g_j|| ||x_i - x_j|| under
    L-smoothness). For a single point: |f|, ||g||^2 and ||H||. No floor at 1: a tiny instance
    (L = 1e-3, R = 1e-3) is judged at its own scale."""
    s = 1e-300
    for p in pts:
        s = max(s, abs(float(p.f)))
    if len(pts) == 1:
        p = pts[0]
        s = max(s, float(np.dot(p.g, p.g)))
        if p.H is not None:
            s = max(s, float(np.abs(np.asarray(p.H)).max()))
        return s
    for p in pts:
        for q in pts:
            if p is not q:
                s = max(s, float(np.linalg.norm(p.g) + np.linalg.norm(q.g)) * float(np.linalg.norm(p.x - q.x)))
    return s


def check_instance(
    inst: Instance,
    cls: FunctionClass,
    constants: Mapping[str, float] | None = None,
    *,
    n_points: int = 48,
    seed: int = 0,
    rtol: float = 1e-9,
) -> CheckReport:
    """Evaluate every condition of ``cls`` on sampled points of ``inst``.

    ``constants`` defaults to the instance's certified constants; pass modified ones to test
    power (e.g. ``{"L": 0.9 * L}``). A violation is ``expr < -rtol * scale``.
    """
    c = inst.constant_values()
    if constants:
        c.update(constants)
    rng = np.random.default_rng(seed)
    xs = sample_points(inst, rng, n_points)
    pts = [inst.point(x) for x in xs]
    star = None
    if inst.x_star is not None:
        # operators (functions/operator.py) have no f*: their conditions never read f
        star = Point(np.array(inst.x_star, float), np.zeros(inst.d), 0.0 if inst.f_star is None else float(inst.f_star))
    rep = CheckReport(f"{cls.name}/{inst.generator}", dict(c))

    def record(cond, val, scale, where):
        m = float(val) / scale
        rep.n_evaluations += 1
        if cond.name not in rep.worst or m < rep.worst[cond.name]:
            rep.worst[cond.name] = m
        if not np.isfinite(m) or m < -rtol:
            rep.violations.append(Violation(cond.name, m, where))

    for cond in cls.conditions:
        if not cond.applies(c):
            continue
        if cond.arity == "pair":
            for i, pi in enumerate(pts):
                for j, pj in enumerate(pts):
                    if i != j:
                        record(cond, cond.expr(pi, pj, c), _scale(pi, pj), f"points {i},{j}")
        elif cond.arity == "star":
            if star is None:
                continue
            for i, pi in enumerate(pts):
                record(cond, cond.expr(pi, star, c), _scale(pi, star), f"point {i} vs x*")
        else:
            for i, pi in enumerate(pts):
                if pi.H is None and "H" in cond.formula:
                    continue
                record(cond, cond.expr(pi, c), _scale(pi), f"point {i}")
    return rep


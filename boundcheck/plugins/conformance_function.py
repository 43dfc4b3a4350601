"""The conformance battery of a function class (the checks tests/test_functions_conformance.py
runs on every built-in), for each of its generators at a small dimension:

* the gradient kernel matches central finite differences of the value kernel (nonsmooth classes:
  coordinate by coordinate away from kinks, at least half of the coordinates checked);
* every declared condition holds with the instance's certified constants (functions/check.py);
* power: each constant declared 10% optimistic (L x 0.9, mu x 1.1, per ``stronger``) makes the
  same checker report a violation; a constant it cannot catch is reported as a FAIL, since then a
  wrong constant would pass unnoticed.
"""
from __future__ import annotations

import numpy as np

from .report import Check

OPTIMISM = 0.10  # a constant declared 10% too optimistic must be caught


def instance(cls, gname: str, seed: int = 1):
    gen = cls.generator(gname)
    d = gen.d_fixed or min(gen.d_default, 6)
    return cls.instance(instance=gname, d=d, seed=seed)


def fd_points(inst, n: int = 5, seed: int = 0) -> list:
    rng = np.random.default_rng(seed)
    centre = inst.x_star if inst.x_star is not None else inst.x0
    return [centre + rng.standard_normal(inst.d) * 0.7 for _ in range(n)]


def gradient_fd(cls, inst, h: float = 1e-6) -> tuple[bool, str]:
    """(ok, detail): gradient vs central differences, |g_i - fd| <= 2e-5 (1 + max|g|) + 1e-5 |fd|.
    An operator class (functions/operator.py) has no values to difference: its kernel F is checked
    against its declared Jacobian instead (``operator_fd``)."""
    if getattr(cls, "operator", False):
        return operator_fd(inst, h)
    checked = total = 0
    worst = 0.0
    for x in fd_points(inst):
        g = inst.g(x)
        scale = 1 + np.abs(g).max()
        f0 = inst.f(x)
        for i, e in enumerate(np.eye(inst.d)):
            fp, fm = inst.f(x + h * e), inst.f(x - h * e)
            total += 1
            if cls.nonsmooth and abs((fp - f0) - (f0 - fm)) / h > 1e-4 * scale:
                continue  # a kink within h of x along e_i
            checked += 1
            fd = (fp - fm) / (2 * h)
            err = abs(g[i] - fd) / (2e-5 * scale + 1e-5 * abs(fd))
            worst = max(worst, err)
    enough = checked == total if not cls.nonsmooth else 2 * checked >= total
    ok = enough and worst <= 1.0
    return ok, (f"{checked}/{total} coordinates checked, worst error {worst:.3g} x the tolerance"
                + ("" if enough else " (too few coordinates away from kinks)"))


def operator_fd(inst, h: float = 1e-6) -> tuple[bool, str]:
    """(ok, detail): central differences of the operator kernel F vs its Jacobian (``inst.hess``),
    column by column, |J_ij - fd_ij| <= 2e-5 (1 + max|J|) + 1e-5 |fd_ij|."""
    if inst.hess is None:
        return False, "operator instance without a Jacobian (hess): nothing to check F against"
    worst, total = 0.0, 0
    for x in fd_points(inst):
        J = np.asarray(inst.hess(x), dtype=float)
        scale = 1 + np.abs(J).max()
        for i, e in enumerate(np.eye(inst.d)):
            fd = (inst.g(x + h * e) - inst.g(x - h * e)) / (2 * h)
            worst = max(worst, float(np.max(np.abs(J[:, i] - fd) / (2e-5 * scale + 1e-5 * np.abs(fd)))))
            total += 1
    return worst <= 1.0, f"operator: {total} Jacobian columns vs differences of F, worst error {worst:.3g} x the tolerance"


def optimistic(cls, inst) -> dict[str, float]:
    """Each constant of ``stronger`` moved 10% in its optimistic direction (zero constants skipped)."""
    out = {}
    for name, direction in cls.stronger.items():
        if name in inst.constants and float(inst.constants[name].value) != 0:
            v = float(inst.constants[name].value)
            out[name] = v * (1 - OPTIMISM if direction == "smaller" else 1 + OPTIMISM)
    return out


def check_function_class(cls) -> list[Check]:
    from ..functions.check import check_instance

    checks: list[Check] = []
    for gen in cls.generators:
        tag = f"[{gen.name}]"
        try:
            inst = instance(cls, gen.name)
        except Exception as e:
            checks.append(Check(f"{tag} build an instance", "FAIL", f"{type(e).__name__}: {e}"))
            continue
        ok, detail = gradient_fd(cls, inst)
        checks.append(Check(f"{tag} gradient = finite differences", "pass" if ok else "FAIL", detail))
        rep = check_instance(inst, cls)
        ok = rep.ok and rep.n_evaluations > 0
        checks.append(Check(f"{tag} declared conditions hold with the certified constants", "pass" if ok else "FAIL",
                            rep.summary() if rep.n_evaluations else "no condition was evaluated"))
        for name, bad in optimistic(cls, inst).items():
            caught = not check_instance(inst, cls, {name: bad}).ok
            checks.append(Check(f"{tag} power: {name} declared {OPTIMISM:.0%} optimistic is caught",
                                "pass" if caught else "FAIL",
                                f"{name} = {bad:.6g} (certified {float(inst.constants[name].value):.6g}) "
                                + ("violates a condition" if caught else "passes every condition: add probe points "
                                   "where the constant is attained (Instance.probes)")))
    return checks


__all__ = ["OPTIMISM", "instance", "fd_points", "gradient_fd", "optimistic", "check_function_class"]

"""Known exact worst cases (closed forms), keyed by (algorithm, class, measure, init).

Each entry computes its value from the *run* parameters (the algorithm's make_params output, so
schedules and normalized steps are read exactly as the PEP ran them) or returns None when the
parameters are outside the theorem (e.g. h >= sqrt 3 for T02). ``kind``:

* ``tight``: the PEP must equal the value (to solver accuracy);
* ``upper``: a proven bound the PEP must not exceed (FGM);
* ``relaxation``: the exact value of the *relaxed* PEP that boundcheck solves (PL), not of the
  class's true worst case (docs/pitfalls.md#pl-pep-is-a-relaxation).

Sources: T01 Drori-Teboulle 2014 / Taylor-Hendrickx-Glineur 2017; T02
Abbaszadehpeivasti-de Klerk-Zamani 2022; T03 Taylor-Hendrickx-Glineur 2018; T04 Kim-Fessler 2016
(OGM), Beck-Teboulle 2009 (FGM, lam_N not lam_{N+1}), d'Aspremont-Scieur-Taylor 2021 Cor. 4.15 (FGM,
constant momentum, potential init); T05(b) Abbaszadehpeivasti et al. 2023;
T06 Drori-Teboulle 2016; T25 Gu-Yang 2020 (proximal point, monotone), Gorbunov-Taylor-Horvath-Gidel
2023 (proximal point, rho-comonotone).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class ClosedForm:
    tag: str
    kind: str               # "tight" | "upper" | "relaxation"
    formula: str
    value: Callable         # value(ctx) -> float | None; ctx: N, a (algo params), c (constants), i (init), P


def _h(ctx):
    return ctx["P"].step * ctx["c"]["L"]


def _t01(ctx):
    h, L, R, N = _h(ctx), ctx["c"]["L"], ctx["i"]["R"], ctx["N"]
    return L * R * R / 2 * max(1 / (2 * N * h + 1), (1 - h) ** (2 * N)) if 0 < h < 2 else None


def _t02(ctx):
    h, L, F0, N = _h(ctx), ctx["c"]["L"], ctx["i"]["F0"], ctx["N"]
    if not 0 < h < math.sqrt(3):
        return None
    c = 4 / (h * (4 - h)) if h <= 1 else 4 / (h * (4 - h * h))
    return c * L * F0 / N


def _rho2n(ctx):
    h, L, mu, N = _h(ctx), ctx["c"]["L"], ctx["c"]["mu"], ctx["N"]
    return max(abs(1 - h), abs(1 - h * mu / L)) ** (2 * N) if 0 < h < 2 else None


def _t03_dist(ctx):
    r = _rho2n(ctx)
    return None if r is None else r * ctx["i"]["R"] ** 2


def _t03_f(ctx):
    r = _rho2n(ctx)
    return None if r is None else r * ctx["i"]["F0"]


def _t04_ogm(ctx):
    if abs(_h(ctx) - 1) > 1e-15:
        return None
    return ctx["c"]["L"] * ctx["i"]["R"] ** 2 / (2 * ctx["P"].theta[-1] ** 2)


def _t04_fgm(ctx):
    if abs(_h(ctx) - 1) > 1e-15 or ctx["a"].get("variant", "convex") != "convex":
        return None
    return ctx["c"]["L"] * ctx["i"]["R"] ** 2 / (2 * ctx["P"].lam[ctx["N"] - 1] ** 2)


def _t04_fgm_sc(ctx):
    L, mu = ctx["c"]["L"], ctx["c"]["mu"]
    q = (math.sqrt(L) - math.sqrt(mu)) / (math.sqrt(L) + math.sqrt(mu))
    if abs(_h(ctx) - 1) > 1e-15 or ctx["a"].get("variant") != "strongly-convex" or not np.allclose(ctx["P"].mom, q):
        return None
    return (1 - math.sqrt(mu / L)) ** ctx["N"] * ctx["i"]["E0"]


def _t05(ctx):
    L, mu, N, F0 = ctx["c"]["L"], ctx["c"]["mu"], ctx["N"], ctx["i"]["F0"]
    g = ctx["P"].step
    if N != 1 or not 0 < g <= 1 / L:
        return None
    m = -L
    tau = ((mu * (1 - L * g) + math.sqrt((L - m) * (m - mu) * (2 - L * g) * mu * g + (L - m) ** 2))
           / (L - m + mu)) ** 2
    return tau * F0


def _t06(ctx):
    M, R, N = ctx["c"]["M"], ctx["i"]["R"], ctx["N"]
    gam = np.asarray(ctx["P"].gamma, dtype=float)
    if not np.allclose(gam, R / (M * math.sqrt(N + 1)), rtol=1e-14, atol=0):
        return None
    return M * R / math.sqrt(N + 1)


def _t25_ppa(ctx):
    """Gu-Yang: gamma^2 ||F(x_N)||^2 = ||x_N - x_{N-1}||^2 <= (1 - 1/N)^(N-1)/N R^2, tight."""
    g, R, N = ctx["P"].step, ctx["i"]["R"], ctx["N"]
    return R * R * (1 - 1 / N) ** (N - 1) / (N * g * g)


def _t25_ppa_comonotone(ctx):
    """Gorbunov-Taylor-Horvath-Gidel: (1 - 1/N)^(N-1) R^2/(N gamma (gamma - 2 rho)), N >= 2, gamma > 2 rho."""
    g, rho, R, N = ctx["P"].step, ctx["c"]["rho"], ctx["i"]["R"], ctx["N"]
    if N < 2 or g <= 2 * rho:
        return None
    return R * R * (1 - 1 / N) ** (N - 1) / (N * g * (g - 2 * rho))


def _t25_ppa_step(ctx):
    """Gu-Yang on the step itself: ||x_N - x_{N-1}||^2 <= (1 - 1/N)^(N-1)/N R^2, tight, any gamma."""
    R, N = ctx["i"]["R"], ctx["N"]
    return R * R * (1 - 1 / N) ** (N - 1) / N


def _t25_ppa_step_comonotone(ctx):
    """gamma^2 times _t25_ppa_comonotone (x_N - x_{N-1} = -gamma F(x_N))."""
    v = _t25_ppa_comonotone(ctx)
    return None if v is None else ctx["P"].step ** 2 * v


REGISTRY: dict[tuple[str, str, str, str], ClosedForm] = {
    ("gd", "smooth-convex", "f-gap", "dist"): ClosedForm(
        "T01", "tight", "(L R^2/2) max(1/(2Nh+1), (1-h)^(2N))", _t01),
    ("gd", "smooth-nonconvex", "grad-min", "f-decrease"): ClosedForm(
        "T02", "tight", "c(h) L F0/N, c = 4/(h(4-h)) (h<=1), 4/(h(4-h^2)) (1<=h<sqrt3)", _t02),
    ("gd", "smooth-strongly-convex", "dist", "dist"): ClosedForm(
        "T03", "tight", "rho^(2N) R^2, rho = max(|1-h|, |1-h mu/L|)", _t03_dist),
    ("gd", "smooth-strongly-convex", "f-gap", "f-gap"): ClosedForm(
        "T03", "tight", "rho^(2N) F0, rho = max(|1-h|, |1-h mu/L|)", _t03_f),
    ("ogm", "smooth-convex", "f-gap", "dist"): ClosedForm(
        "T04", "tight", "L R^2/(2 theta_N^2)", _t04_ogm),
    ("fgm", "smooth-convex", "f-gap", "dist"): ClosedForm(
        "T04", "upper", "L R^2/(2 lam_N^2)", _t04_fgm),
    ("fgm", "smooth-strongly-convex", "f-gap", "potential"): ClosedForm(
        "T04", "upper", "(1 - sqrt(mu/L))^N E0 (Cor. 4.15 of d'Aspremont-Scieur-Taylor 2021)", _t04_fgm_sc),
    ("gd", "pl", "f-gap", "f-gap"): ClosedForm(
        "T05b", "relaxation", "((mu(1-L g) + sqrt(Q))/(2L+mu))^2 F0 (N = 1, naive PL PEP)", _t05),
    ("subgradient", "convex-lipschitz", "f-best", "dist"): ClosedForm(
        "T06", "tight", "M R/sqrt(N+1) (gamma = R/(M sqrt(N+1)))", _t06),
    ("proximal-point", "monotone", "grad-sq", "dist"): ClosedForm(
        "T25", "tight", "(1 - 1/N)^(N-1) R^2/(N gamma^2) (Gu-Yang 2020)", _t25_ppa),
    ("proximal-point", "comonotone", "grad-sq", "dist"): ClosedForm(
        "T25", "tight", "(1 - 1/N)^(N-1) R^2/(N gamma (gamma - 2 rho)) (N >= 2, gamma > 2 rho; "
                        "Gorbunov-Taylor-Horvath-Gidel 2023)", _t25_ppa_comonotone),
    ("proximal-point", "monotone", "step-sq", "dist"): ClosedForm(
        "T25", "tight", "(1 - 1/N)^(N-1) R^2/N (Gu-Yang 2020; ||x_N - x_{N-1}||^2)", _t25_ppa_step),
    ("proximal-point", "comonotone", "step-sq", "dist"): ClosedForm(
        "T25", "tight", "(1 - 1/N)^(N-1) gamma R^2/(N (gamma - 2 rho)) (N >= 2, gamma > 2 rho; "
                        "Gorbunov-Taylor-Horvath-Gidel 2023)", _t25_ppa_step_comonotone),
}


def lookup(model) -> tuple[ClosedForm, float] | None:
    """The closed form for a built model (build.Model), with its value, or None."""
    m = model.meta
    key = (m["algorithm"].split("[")[0], m["function"].split("[")[0], m["measure"], m["init"].split("[")[0])
    cf = REGISTRY.get(key)
    if cf is None:
        return None
    ctx = dict(N=m["N"], a=m["algorithm_params"], c=m["constants"], i=m["init_params"], P=model.algo_P)
    try:
        v = cf.value(ctx)
    except (AttributeError, KeyError):  # the run's parameters do not have the theorem's form
        return None
    return None if v is None else (cf, float(v))


__all__ = ["ClosedForm", "REGISTRY", "lookup"]

"""quasar-convex (gamma, L): gamma-quasar-convex w.r.t. a minimiser x* and L-smooth.

Definition (Hinder, Sidford, Sohoni 2020): for gamma in (0, 1],
f* >= f(x) + (1/gamma) <grad f(x), x* - x> for all x (gamma = 1: star-convex).

Both generators use phi_c(t) = t^2 + c sin^2 t, whose quasar ratio is
t phi_c'(t) / phi_c(t) = G_c(t) = (2 + 2c sinc 2t) / (1 + c sinc^2 t)  (sinc u = sin(u)/u),
so the best gamma of phi_c is gamma_c = inf_t G_c(t) (< 2 for c > 0; the class takes min(., 1)).
gamma_c decreases from 2 (c = 0) to 0 (c -> 4.6033 = 1/|min sinc|, where phi_c' gets a zero).
c is solved in floating point so that gamma_c = gamma (1 + 0.003), then gamma_c >= gamma is PROVEN
by interval arithmetic (functions/certify.py: branch and bound over [0, T] plus an analytic tail);
the reported gamma is the requested one and the true constant is at most 0.3% larger.
Realised range: 1e-4 <= gamma <= 1.

* ``radial`` f(x) = beta phi_c(w r)/w^2, r = ||x - x*||, w = k/R. Then <grad f(x), x - x*> =
  beta r phi'(r) and quasar-convexity is r phi'(r) >= gamma (phi(r) - phi(0)), i.e. G_c(w r) >=
  gamma. Hessian eigenvalues: beta (2 + 2c cos 2t) (radial) and beta (2 + 2c sinc 2t) (tangential,
  d - 1 times), t = w r, all in [-beta (2 + 2c), beta (2 + 2c)] with the top attained at x*:
  L = beta (2 + 2c) exactly, beta = L/(2 + 2c).
* ``sinsq`` f(x) = alpha sum_i phi_c(w (x_i - x*_i)), the separable variant (the PL family's
  kernel). A sum of gamma-quasar-convex functions with the same minimiser is gamma-quasar-convex
  (add the inequalities); one coordinate at the argmin and the rest at x* attains gamma_c, so it is
  exact for the sum. L = alpha w^2 (2 + 2c), attained at x*.

Conditions: quasar-convexity against x* and f_i >= f* (star), and the smooth-nonconvex
interpolation inequality (pairs); together a relaxation of the class for PEP.
"""
from __future__ import annotations

import numpy as np

from ..errors import CertificationError, ParamError
from ..params import Interval, Param
from . import certify
from .base import Certified, Condition, FunctionClass, Generator, Instance, unit_vector
from .families import quasar_tent, radial, separable
from .pl import above_min, smooth_nonconvex

_POS = Interval(0, float("inf"), lo_open=True, hi_open=True)
GAMMA_MIN = 1e-4  # below, c is within 1e-8 of 4.6033 and the quasar margins drop under check resolution


def quasar(pi, ps, c):
    """gamma (f* - f_i) + <g_i, x_i - x*> >= 0  (the definition multiplied by gamma > 0)"""
    return c["gamma"] * (ps.f - pi.f) + pi.g @ (pi.x - ps.x)


def _certified_gamma(gamma: float):
    if gamma < GAMMA_MIN:
        raise ParamError(f"quasar-convex: the sin^2 generators realise gamma in [{GAMMA_MIN:g}, 1] (got {gamma:g})")
    c = certify.solve_amplitude("quasar", gamma)
    lb, ub, t_star = certify.sin_ratio_inf("quasar", c)
    if lb < gamma * (1 - 1e-12):
        raise CertificationError(f"quasar-convex: certified gamma {lb} below requested {gamma}")
    how = (f"interval arithmetic: inf_t G_c(t) in [{lb:.8g}, {ub:.8g}] (c = {c:.10g}) "
           f">= requested {gamma:g}")
    return c, t_star, Certified(gamma, how, exact=False, tightness=ub / gamma)


_L_HOW = "exact: Hessian eigenvalues in [-(2+2c), 2+2c] x scale, top attained at x*"


def _radial(p: dict, rng: np.random.Generator) -> Instance:
    d, L, gamma, R, k = p["d"], p["L"], p["gamma"], p["R"], p["k"]
    c, t_star, gam = _certified_gamma(gamma)
    w = k / R
    beta = L / (2 + 2 * c)
    pv = np.array([beta, c, w])
    x_star = rng.standard_normal(d)

    def probes(prng, n):
        u, v = unit_vector(prng, d), unit_vector(prng, d)
        out = [x_star + (t_star + e) / w * u for e in (0.0, 1e-3, -1e-3)]
        out += [x_star + t_star / w * v]
        out += [x_star + s / w * u for s in (0.01, 0.02, 0.04, 0.06)]
        return out

    return Instance(
        function="quasar-convex", generator="radial", params=p, d=d,
        value=radial.value, grad=radial.grad, data=(pv, np.zeros((1, 1)), x_star),
        x0=x_star + R * unit_vector(rng, d), x_star=x_star, f_star=0.0,
        constants={"gamma": gam, "L": Certified(L, _L_HOW)},
        probes=probes, hess=lambda x: radial.hessian(x, pv, x_star),
        notes=f"radial: c={c:.10g}, beta={beta:.6g}, w={w:.6g}; worst radius {t_star / w:.6g}",
    )


def _sinsq(p: dict, rng: np.random.Generator) -> Instance:
    d, L, gamma, R, k = p["d"], p["L"], p["gamma"], p["R"], p["k"]
    c, t_star, gam = _certified_gamma(gamma)
    w = k / R
    alpha = L / (w * w * (2 + 2 * c))
    pv = np.array([alpha, c, w])
    x_star = rng.standard_normal(d)

    def probes(prng, n):
        j = int(prng.integers(d))
        out = []
        for y in (t_star, -t_star, t_star + 1e-3, 0.01, 0.02, 0.04, 0.06):
            x = x_star.copy()
            x[j] += y / w
            out.append(x)
        return out

    return Instance(
        function="quasar-convex", generator="sinsq", params=p, d=d,
        value=separable.sinsq_value, grad=separable.sinsq_grad, data=(pv, np.zeros((1, 1)), x_star),
        x0=x_star + R * unit_vector(rng, d), x_star=x_star, f_star=0.0,
        constants={"gamma": gam, "L": Certified(L, _L_HOW)},
        probes=probes, hess=lambda x: np.diag(separable.hessian_diag("sinsq", x, pv, x_star)),
        notes=f"sinsq: c={c:.10g}, alpha={alpha:.6g}, w={w:.6g}; worst |y| {t_star:.6g}",
    )


_K = (Param("k", _POS, 3.0, "frequency: the sine's argument is k ||x - x*||/R (x0 at k radians)"),)


def _tent(p: dict, rng: np.random.Generator) -> Instance:
    """The radial tent tuned to N (families/quasar_tent.py): GD lands on a quasar-tight kink at step N."""
    d, L, gamma, R, N = p["d"], p["L"], p["gamma"], p["R"], p["N"]
    pv = quasar_tent.parameters(L, gamma, R, N)
    margin = quasar_tent.certify(pv, gamma)
    x_star = rng.standard_normal(d)
    gam = Certified(gamma, f"exact: r phi' - gamma phi >= 0 on every piece (rational check at the piece ends, "
                           f"min {margin:.3g} L x_k^2); tight at the kink up to a relative 1e-9", exact=False)
    _, pk, xk = pv

    def probes(prng, n):
        u = unit_vector(prng, d)
        radii = (0.5 * pk, pk, 0.5 * (pk + xk), xk * (1 - 1e-6), xk, xk * (1 + 1e-6), 2 * xk, R)
        return [x_star + t * u for t in radii]

    return Instance(
        function="quasar-convex", generator="tent", params=p, d=d,
        value=quasar_tent.value, grad=quasar_tent.grad, data=(pv, np.zeros((1, 1)), x_star),
        x0=x_star + R * unit_vector(rng, d), x_star=x_star, f_star=0.0,
        constants={"gamma": gam, "L": Certified(L, "exact: phi'' in {L, -L, 0}, phi'(r)/r in [0, L]")},
        probes=probes, hess=lambda x: quasar_tent.hessian(x, pv, x_star),
        notes=f"tent tuned to N={N}: p={pk:.6g}, kink x_k={xk:.6g}, tail slope {L * (2 * pk - xk):.6g}",
    )

PLUGIN = FunctionClass(
    name="quasar-convex",
    summary="gamma-quasar-convex w.r.t. its minimiser and L-smooth (nonconvex for gamma < 1)",
    definition="f* >= f(x) + (1/gamma) <grad f(x), x* - x> for all x, gamma in (0, 1]; grad f L-Lipschitz",
    constants=(
        Param("gamma", Interval(0, 1, lo_open=True), 0.5, "quasar-convexity constant (1 = star-convex)"),
        Param("L", _POS, 1.0, "smoothness constant"),
    ),
    stronger={"gamma": "larger", "L": "smaller"},
    generators=(
        Generator("radial", "beta phi_c(w ||x - x*||)/w^2, phi_c(t) = t^2 + c sin^2 t, c solved from gamma "
                  "and certified by interval arithmetic", _radial, params=_K),
        Generator("sinsq", "alpha sum_i phi_c(w (x_i - x*_i)), separable variant, same certified gamma",
                  _sinsq, params=_K),
        Generator("tent", "radial tent tuned to a horizon N: a linear tail on which GD with step 1/L lands, "
                  "after N steps, on a kink where quasar-convexity is tight (T17; families/quasar_tent.py)",
                  _tent, params=(Param("N", Interval(1, 10**9, integer=True), 10, "horizon the instance is tuned to"),)),
    ),
    default_generator="radial",
    conditions=(
        Condition("quasar-convexity", "star", quasar, "defining", "relaxation",
                  "gamma (f* - f_i) + <g_i, x_i - x*> >= 0",
                  "Hinder, Sidford, Sohoni, COLT 2020 (arXiv 1906.11985), Def. 1"),
        Condition("f above f*", "star", above_min, "necessary", "relaxation", "f_i >= f*", "definition: f* = min f, attained at the claim's x* (a global minimiser)"),
        Condition("smooth nonconvex interpolation", "pair", smooth_nonconvex, "necessary", "relaxation",
                  "f_i >= f_j + <g_j, x_i - x_j> + 1/(2L)||g_i - g_j||^2 - L/4 ||x_i - x_j - (g_i - g_j)/L||^2",
                  "Taylor, Hendrickx, Glineur, SIAM J. Optim. 27(3) (2017), Thm 3.10 (exact for L-smooth functions; necessary only once the class's other conditions are added)"),
    ),
    references=(
        "O. Hinder, A. Sidford, N. Sohoni, Near-optimal methods for minimizing star-convex functions "
        "and beyond, COLT 2020, arXiv 1906.11985",
        "M. Hardt, T. Ma, B. Recht, Gradient descent learns linear dynamical systems, JMLR 2018 (definition)",
        "A. Taylor, J. Hendrickx, F. Glineur, Math. Prog. 161 (2017), arXiv 1502.05666",
    ),
)

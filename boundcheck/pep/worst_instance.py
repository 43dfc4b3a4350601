"""The ``pep-worst`` generator: the PEP's worst case, rebuilt as a function of the class.

``smooth-convex[L=1,instance=pep-worst,algorithm=gd[h=1],N=5]`` solves the PEP of gd[h=1] on
smooth-convex[L=1] after N = 5 steps (measure and init as in ``certify``), factors the worst-case
Gram matrix (reconstruct.py) and returns an ``Instance`` whose kernels are the explicit
interpolant of families/interp.py. x* = 0, f* = 0, x0 = the worst case's x0, in dimension ``d``,
which must be at least rank(G) (ParamError otherwise; the extra coordinates carry only
mu/2 ||.||^2, or nothing). The replay and verify ask for what the worst case needs.

Class membership is by construction (the interpolant of each kind is a member for ANY data, see
families/interp.py) and is checked like every generator's, by functions/check.py on the
interpolation points (``probes``) and random points; whether the function also reaches the PEP's
value is the replay's question (replay.py). One solve per parameter set and process (cached).
"""
from __future__ import annotations

import numpy as np

from ..functions.base import Certified, Generator, Instance
from ..params import Interval, Param, Text


def _spec(cls_name: str, p: dict, consts: tuple[str, ...]) -> str:
    kv = [f"{k}={float(p[k])!r}" for k in consts] + [f"R={float(p['R'])!r}"]
    return f"{cls_name}[{','.join(kv)}]"


_CACHE: dict = {}


def rebuilt(cls_name: str, function: str, algorithm: str, N: int, measure: str, init: str):
    """(model, result, points, (p, A, b, construction)) for one PEP; one solve per process."""
    key = (cls_name, function, algorithm, int(N), measure, init)
    if key not in _CACHE:
        from .build import build
        from .solve import solve

        model = build(algorithm, function, N, measure, init)
        remember(key, model, solve(model))
    return _CACHE[key]


def remember(key: tuple, model, result) -> None:
    """Store an already solved PEP (certify's) so that the instance is built from that very solve."""
    from .reconstruct import interpolation_data, worst_points

    pts = worst_points(model, result)
    _CACHE[key] = (model, result, pts, interpolation_data(key[0], pts, model.meta["constants"]))


def build_instance(cls_name: str, consts: tuple[str, ...], p: dict, rng=None) -> Instance:
    from ..functions.families import interp

    function = _spec(cls_name, p, consts)
    model, result, pts, (pa, A, b, how) = rebuilt(cls_name, function, str(p["algorithm"]), int(p["N"]),
                                                  str(p["measure"]), str(p["init"]))
    r = pts.rank
    d = int(p["d"])
    if d < r:
        from ..errors import ParamError

        raise ParamError(f"{cls_name}: instance 'pep-worst' of {p['algorithm']} at N={p['N']} needs d >= rank(G) "
                         f"= {r} (got d={d}); the extra coordinates carry only mu/2 ||.||^2, or nothing")
    pad = lambda v: np.concatenate([v, np.zeros(d - r)])  # noqa: E731
    x0 = pad(pts.x0)
    X = [pad(x) for x in pts.X]
    c = {k: Certified(float(p[k]), f"by construction ({how}): a member for any data; checked on the "
                                   "interpolation points by the class self-check", exact=False)
         for k in consts}

    def probes(rng, n):
        out = list(X)
        while len(out) < n:
            i = rng.integers(len(X))
            out.append(X[i] + 1e-3 * (1 + np.linalg.norm(X[i])) * rng.standard_normal(d))
        return out

    return Instance(
        function=cls_name, generator="pep-worst", params=p, d=d, value=interp.value, grad=interp.grad,
        data=(pa, A, b), x0=x0, x_star=np.zeros(d) if pts.star else None, f_star=0.0 if pts.star else None,
        constants=c, probes=probes,
        notes=(f"worst case of {model.meta['algorithm']} on {function}, N={model.meta['N']}, "
               f"measure {model.meta['measure']}, init {model.meta['init']}: PEP value "
               f"{result.value!r} (status {result.status}); rank {r} (dropped eigenvalues <= "
               f"{pts.dropped:.1e} relative); {how}"))


def generator(cls_name: str, consts: tuple[str, ...], algorithm: str = "gd[h=1]", measure: str = "f-gap",
              init: str = "dist") -> Generator:
    """The ``pep-worst`` generator of a class with a construction in reconstruct.RECONSTRUCTORS."""
    return Generator(
        "pep-worst", "the PEP worst case of ALGORITHM after N steps, rebuilt as an explicit function "
        "(boundcheck/pep/worst_instance.py)",
        lambda p, rng: build_instance(cls_name, consts, p, rng),
        params=(Param("algorithm", Text("algorithm spec"), algorithm, "the method whose worst case is rebuilt"),
                Param("N", Interval(1, 10**4, integer=True), 5, "number of steps of the PEP"),
                Param("measure", Text("PEP measure"), measure, "the PEP measure (as in certify --measure)"),
                Param("init", Text("PEP initial condition"), init, "the initial condition (as in certify --init)")),
        d_default=10)


__all__ = ["generator", "build_instance", "rebuilt"]

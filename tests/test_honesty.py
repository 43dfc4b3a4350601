"""Issue 12, point 4: generic honesty tests over the statistics.

* Non-converging methods (constant-step SGD, RMSProp, NSGD-M, clipped SGD with a constant clip
  level) FAIL a decaying-rate claim with the ``mean`` and the ``last`` measures: their gradient
  settles at a noise floor, and neither measure hides it (``min`` can: the best of many noisy
  iterates keeps falling).
* The resolution of a built-in PASS is real: rerun (on the same data) with the claim strengthened
  just beyond it, the verdict is FAIL; just inside, it is not FAIL (PASS for value claims).
  A sample of fast built-in claims runs by default; every built-in claim graded strong runs under
  the slow marker.
"""
import dataclasses
import math
import textwrap

import numpy as np
import pytest

from boundcheck.claims import decide, load_catalogue, load_file
from boundcheck.claims.formula import parse
from boundcheck.verify import verify_claims

NONCONV = '''
[setting]
function = {{ name = "smooth-strongly-convex", L = 1, mu = 0.5, d = 10, R = 0.1 }}
noise = {{ name = "gaussian", sigma = 1 }}
algorithm = {algo}
[check]
N = "2^6:2^12:7:log"
runs = 100
seed = 11
tolerance = 0.05
[[claim]]
id = "decay-{iterate}"
kind = "rate"
sense = "upper"
metric = "grad_sq"
iterate = "{iterate}"
bound = "N^(-1/2)"
expected = "PASS"
citation = {{ authors = "A. B", year = 2020, title = "a decaying rate", theorem = "1" }}
'''
ALGOS = {
    "sgd": '{ name = "sgd", gamma = 0.05 }',
    "rmsprop": '{ name = "rmsprop", gamma = 0.01 }',
    "nsgd-m": '{ name = "nsgd-m", gamma = 0.05, beta = 0.9 }',
    "clipped-sgd": '{ name = "clipped-sgd", gamma = 0.05, c = 1 }',
}


@pytest.mark.parametrize("iterate", ["mean", "last"])
@pytest.mark.parametrize("algo", list(ALGOS))
def test_non_converging_methods_fail_decaying_rates(tmp_path, algo, iterate):
    p = tmp_path / "c.toml"
    p.write_text(textwrap.dedent(NONCONV.format(algo=ALGOS[algo], iterate=iterate)))
    (c,) = load_file(p)
    v = verify_claims([c]).results[0].verdict
    assert v.verdict == "FAIL", (algo, iterate, v.measured, v.ci, v.reason)
    assert v.resolution is None and v.evidence is None


# ---------------------------------------------------------------- the resolution boundary
def _scaled(c, factor: float):
    return dataclasses.replace(c, bound=parse(f"({c.bound_text})*{factor!r}", set(c.params) | {"N"}))


def _exponent(c, b, e: float):
    return dataclasses.replace(c, exponent=parse(repr(float(e)), set(c.params)))


def _strengthened(c, b, res: dict, scale: float) -> list:
    """The claim strengthened by ``scale`` times its resolution, in each direction that strengthens it."""
    x = res["value"]
    if res["kind"] == "factor":
        k = x ** scale
        return {"upper": [_scaled(c, 1 / k)], "high_prob": [_scaled(c, 1 / k)], "lower": [_scaled(c, k)],
                "tight": [_scaled(c, 1 / k), _scaled(c, k)]}[c.kind]
    e = b.exponent()
    return {"upper": [_exponent(c, b, e - scale * x)], "lower": [_exponent(c, b, e + scale * x)],
            "equal": [_exponent(c, b, e - scale * x), _exponent(c, b, e + scale * x)]}[c.sense]


def check_boundary(report) -> int:
    """For every PASS engine with a finite resolution: strengthened x 1.05 -> FAIL (in the direction
    that attains it), x 0.95 -> not FAIL (and PASS where the kind has no INCONCLUSIVE zone)."""
    checked = 0
    for r in report.results:
        for e, v in r.engines.items():
            if v.verdict != "PASS" or v.resolution is None or v.resolution["value"] is None:
                continue
            if v.resolution["value"] == 0:  # nothing to strengthen by (a slope interval touching the band)
                continue
            b, (pts, X) = r.binding, r.data[e]
            beyond = [decide(s.bind(b.values), X, engine=e, budget=report.budget).verdict
                      for s in _strengthened(r.claim, b, v.resolution, 1.05)]
            inside = [decide(s.bind(b.values), X, engine=e, budget=report.budget).verdict
                      for s in _strengthened(r.claim, b, v.resolution, 0.95)]
            assert "FAIL" in beyond, (r.claim.id, e, v.resolution, beyond)
            assert "FAIL" not in inside, (r.claim.id, e, v.resolution, inside)
            if r.claim.kind in ("upper", "lower", "high_prob"):
                assert inside == ["PASS"], (r.claim.id, e, v.resolution, inside)
            checked += 1
    return checked


SAMPLE = ["T01-gd-tight", "T05-gd-pl-descent-lemma", "T07-clip-strongly-convex-rate", "T13-symmetric-no-floor"]


def test_resolution_boundary_on_a_sample_of_builtin_claims():
    claims = [c for c in load_catalogue() if c.id in SAMPLE]
    assert len(claims) == len(SAMPLE)
    report = verify_claims(claims)
    assert check_boundary(report) >= len(SAMPLE)


@pytest.mark.slow
def test_resolution_boundary_on_every_strong_builtin_claim():
    report = verify_claims(load_catalogue())
    strong = [r for r in report.results if r.evidence == "strong"]
    assert strong
    assert check_boundary(report) >= len(strong)

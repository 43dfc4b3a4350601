"""The conformance battery of an algorithm (the checks tests/test_engine_conformance.py runs on
every built-in): on one smooth strongly convex problem,

* the numba kernel and the numpy reference give the same metrics and final iterates to 1e-12
  (relative), without noise for deterministic methods, with gaussian noise (sigma = 0 and 1) for
  stochastic ones;
* the kernel run with NUMBA_DISABLE_JIT=1 (a subprocess: plain Python) gives the same, to 1e-12;
* a second call reuses the compiled kernel (same hash, no compilation);
* the PEP driver runs it on symbolic points when it is built from linear steps, or says which op
  it cannot lower (deterministic methods; stochastic ones are n/a).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np

from .report import Check, max_rel_diff

FN = "smooth-strongly-convex[L=1,mu=0.1,d=6,seed=3]"
KW = dict(n_steps=40, n_runs=3, seed=11, checkpoints="all", keep_final=True)
TOL = 1e-12


def noises(alg) -> list[tuple[str, object]]:
    """(label, noise) pairs the battery runs: exact gradients for a deterministic method; gaussian
    sigma = 0 (the deterministic trajectory through the stochastic kernel) and sigma = 1 otherwise."""
    if not alg.stochastic:
        return [("exact", None)]
    from .. import registry

    g = registry.noise.get("gaussian")
    return [("sigma0", (g, {"sigma": 0.0})), ("gaussian", (g, {"sigma": 1.0}))]


def _noise_of(label: str):
    if label == "exact":
        return None
    from .. import registry

    return (registry.noise.get("gaussian"), {"sigma": 0.0 if label == "sigma0" else 1.0})


_CHILD = r"""
import json, sys
import numpy as np
file, name, labels, FN, KW = json.loads(sys.argv[1])
from boundcheck import registry
from boundcheck.engine import run
from boundcheck.plugins import conformance_algorithm as C
if file:
    from boundcheck.plugins.discover import load_file
    load_file(file)
alg = registry.algorithms.get(name)
out = {}
for label in labels:
    r = run((alg, {}), FN, C._noise_of(label), **KW)
    out[label] = {"values": np.nan_to_num(r.values, nan=-1e300).tolist(), "final": r.final_x.tolist(),
                  "kernel": r.timing["kernel"]}
json.dump(out, sys.stdout)
"""


def nojit_runs(name: str, labels, file: str | None = None) -> dict:
    """Run the kernel as plain Python (NUMBA_DISABLE_JIT=1) in a subprocess; {label: results}."""
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    p = subprocess.run([sys.executable, "-c", _CHILD, json.dumps([file, name, list(labels), FN, KW])], env=env,
                       capture_output=True, text=True, timeout=1800)
    if p.returncode != 0:
        raise RuntimeError((p.stderr.strip().splitlines() or ["no output"])[-1])
    out = json.loads(p.stdout)
    for v in out.values():
        a = np.array(v["values"])
        a[a == -1e300] = np.nan
        v["values"] = a
        v["final"] = np.array(v["final"])
    return out


def check_algorithm(alg, file: str | None = None, *, nojit: bool = True) -> list[Check]:
    from ..engine import run
    from ..engine.reference import run_reference

    checks: list[Check] = []
    first = {}
    if getattr(alg, "resolvent", None) is not None:  # a backward step: the check's smooth function has no resolvent
        checks.append(Check("numba = numpy reference", "n/a", f"a resolvent (proximal) oracle, which {FN} does not "
                            "have (Monte Carlo: linear operators only; docs/operators.md)"))
    for label, noise in (() if checks else noises(alg)):
        try:
            a = run((alg, {}), FN, noise, **KW)
            b = run_reference((alg, {}), FN, noise, **KW)
        except Exception as e:
            checks.append(Check(f"numba = numpy reference ({label})", "FAIL", f"{type(e).__name__}: {e}"))
            continue
        first[label] = a
        dv, dx = max_rel_diff(a.values, b.values), max_rel_diff(a.final_x, b.final_x)
        ok = dv <= TOL and dx <= TOL and (a.diverged_step == b.diverged_step).all()
        checks.append(Check(f"numba = numpy reference ({label})", "pass" if ok else "FAIL",
                            f"max relative difference {max(dv, dx):.3g} (metrics {dv:.3g}, final iterates {dx:.3g}; "
                            f"tolerance {TOL:g}) on {FN}, {KW['n_steps']} steps x {KW['n_runs']} runs"))
    if nojit and first:
        try:
            got = nojit_runs(alg.name, list(first), file)
        except Exception as e:
            checks.append(Check("numba = NUMBA_DISABLE_JIT", "FAIL", f"the plain-Python run failed: {e}"))
        else:
            for label, a in first.items():
                g = got[label]
                d = max(max_rel_diff(a.values, g["values"]), max_rel_diff(a.final_x, g["final"]))
                checks.append(Check(f"numba = NUMBA_DISABLE_JIT ({label})", "pass" if d <= TOL else "FAIL",
                                    f"max relative difference {d:.3g} (tolerance {TOL:g})"))
    if first:
        label = next(iter(first))
        again = run((alg, {}), FN, _noise_of(label), **KW)
        same = again.meta["kernel_hash"] == first[label].meta["kernel_hash"]
        ok = same and again.timing["kernel"] == "in memory"
        checks.append(Check("no recompilation on a second call", "pass" if ok else "FAIL",
                            f"second call: kernel {again.timing['kernel']}" + ("" if same else ", a different hash")))
    checks.append(pep_lowering(alg))
    return checks


def pep_lowering(alg) -> Check:
    """Run the method on symbolic PEP points for N = 3 (smooth strongly convex facts)."""
    if alg.stochastic:
        return Check("PEP lowering", "n/a", "a stochastic method: the PEP engine covers deterministic methods")
    from ..ops import PEPLoweringError
    from ..pep import driver

    prob = {"L": 1.0, "mu": 0.1, "R": 1.0, "f_star": 0.0, "d": 6}
    try:
        driver.run(alg, alg.validate({}), 3, prob)
    except PEPLoweringError as e:
        return Check("PEP lowering", "n/a", f"does not lower to a PEP: {str(e).splitlines()[0]}")
    except Exception as e:
        return Check("PEP lowering", "n/a", f"does not lower to a PEP ({type(e).__name__}: {e}); only linear steps "
                                           "written with boundcheck.ops lower")
    return Check("PEP lowering", "pass", "runs on symbolic Gram points (N = 3): 'boundcheck certify' can use it")


__all__ = ["FN", "KW", "TOL", "noises", "nojit_runs", "check_algorithm", "pep_lowering"]

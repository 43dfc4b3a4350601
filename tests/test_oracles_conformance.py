"""Every registered algorithm under a finite-sum oracle (boundcheck/oracles): the numba kernel and
the numpy reference give the same metrics and final iterates (the engine conformance suite's rule,
extended to the index-sampling path). Methods a finite sum refuses are checked to refuse."""
from __future__ import annotations

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.engine import run
from boundcheck.engine.problem import resolve
from boundcheck.engine.reference import run_reference
from boundcheck.errors import UsageError
from boundcheck.oracles.finite_sum import check

FN = "smooth-strongly-convex[instance=quadsum-kappa,L=1,mu=0.25,n=6,sigma=1,R=1,sampling=rr]"
KW = dict(n_steps=30, n_runs=3, seed=4, checkpoints=[6, 30], keep_final=True)


def _refused(name) -> bool:
    try:
        check(resolve(name, FN, None))
    except UsageError:
        return True
    except Exception:  # e.g. a method that needs constants this class lacks: not a finite-sum matter
        return False
    return False


@pytest.mark.slow
@pytest.mark.parametrize("name", registry.algorithms.names())
def test_kernel_matches_reference_under_reshuffling(name):
    alg = registry.algorithms.get(name)
    try:
        resolve(name, FN, None)
    except Exception as e:  # not runnable on this class at all (e.g. operator methods)
        pytest.skip(f"{name} does not run on {FN}: {str(e).splitlines()[0]}")
    if _refused(name):
        with pytest.raises(UsageError, match="finite-sum oracle"):
            run(name, FN, None, **KW)
        return
    a, b = run(name, FN, None, **KW), run_reference(name, FN, None, **KW)
    assert np.allclose(a.values, b.values, rtol=1e-12, atol=1e-300, equal_nan=True), name
    assert np.allclose(a.final_x, b.final_x, rtol=1e-12, atol=1e-300), name
    assert alg.name == name

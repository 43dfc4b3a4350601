"""numba's first set-up without scipy.linalg (engine/numba_start.py, issue 18 warm start).

numba's arraymath module probes at import whether BLAS is available by importing
scipy.linalg.cython_blas (about 0.1 s per process); the engine answers that probe from disk
instead. The answer must be the one the import gives, numba's linear algebra must still work
(with its own check) and nothing of numba may stay patched."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

from boundcheck.engine import numba_start
from boundcheck.engine.numba_start import lean_start, scipy_ships_blas

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# a fresh process: the engine's first compile (api._compile_or_load), then what it left behind
_CHILD = """
import sys
import numpy as np
from numba import njit
from boundcheck.engine.api import _compile_or_load

f = njit(lambda x: x + 1.0)
_compile_or_load(f, lambda: f(1.0))
linalg_at_start = "scipy.linalg" in sys.modules
import numba.np.arraymath as am
import numba.np.linalg as la
restored = am.ensure_blas is la.ensure_blas and la.ensure_blas.__module__ == "numba.np.linalg"
have_blas = am._HAVE_BLAS

@njit
def inner(a, b):
    return np.dot(a, b)

v = inner(np.arange(3.0), np.ones(3))   # numba's BLAS path, its own scipy import and checks
print(linalg_at_start, restored, have_blas, v, "scipy.linalg" in sys.modules)
"""


def test_the_first_compile_does_not_import_scipy_linalg_and_blas_still_works():
    p = subprocess.run([sys.executable, "-c", _CHILD], cwd=ROOT, capture_output=True, text=True,
                       env=dict(os.environ, NUMBA_DISABLE_JIT="0"))
    assert p.returncode == 0, p.stderr[-2000:]
    linalg_at_start, restored, have_blas, v, linalg_after = p.stdout.split()
    assert linalg_at_start == "False"
    assert restored == "True"
    import scipy.linalg.cython_blas  # noqa: F401  (the probe numba would have run: it succeeds)
    assert have_blas == "True"
    assert float(v) == 3.0 and linalg_after == "True"


def test_the_disk_probe_answers_as_the_import_does(monkeypatch):
    try:
        import scipy.linalg.cython_blas  # noqa: F401
        importable = True
    except ImportError:
        importable = False
    assert scipy_ships_blas() is importable
    # without scipy the answer is no BLAS (numba's probe then sees an ImportError)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    assert scipy_ships_blas() is False


def test_lean_start_after_numba_set_itself_up_changes_nothing():
    import numba.np.arraymath as am
    import numba.np.linalg as la

    before = (am.ensure_blas, la.ensure_blas, am._HAVE_BLAS, list(sys.meta_path))
    lean_start()
    assert numba_start._DONE
    assert (am.ensure_blas, la.ensure_blas, am._HAVE_BLAS, list(sys.meta_path)) == before
    assert la.ensure_blas is not numba_start._probe

"""``lean_start()``: numba's first set-up without importing scipy.linalg, when a run needs no BLAS.

Before it compiles or loads its first function, numba refreshes its target context: it imports
its implementation modules (numba/core/cpu.py, ``load_additional_registries``). One of them,
``numba.np.arraymath``, probes at import whether BLAS is available, by importing
``scipy.linalg.cython_blas``; the answer (``_HAVE_BLAS``) only chooses how a jitted
``np.convolve``/``np.correlate`` forms its inner products. That import pulls in all of
scipy.linalg (and, through scipy's array-API layer, numpy.f2py and numpy.testing): about 0.1 s of
every fresh process that runs the engine, cached kernel or not, and no kernel here uses it.

``lean_start()`` runs that first refresh itself, in numba's own import order, with the probe
answered by looking for the extension module on disk (``importlib.util.find_spec("scipy")``
and the ``linalg/cython_blas`` file beside it) instead of importing it. The answer is the same
(True when scipy ships cython_blas, False without scipy), so ``_HAVE_BLAS`` is unchanged; numba's
linear algebra (np.dot, np.linalg.*) still calls the real check, with scipy's import and the
LP64/ILP64 guard, when a function using it is compiled. Once per process, before the first
compile; a no-op when numba's refresh has already happened (arraymath imported) or when the
module layout is not the one expected (then numba's own probe runs, as without this).
"""
from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys

_PROBED = "numba.np.arraymath"   # the module whose import-time BLAS probe is answered
_DONE = False


def scipy_ships_blas() -> bool:
    """Whether scipy.linalg.cython_blas is installed, without importing scipy.linalg."""
    try:
        spec = importlib.util.find_spec("scipy")
    except (ImportError, ValueError):
        return False
    if spec is None or not spec.submodule_search_locations:
        return False
    for root in spec.submodule_search_locations:
        folder = os.path.join(root, "linalg")
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        if any(n.startswith("cython_blas") and n.endswith(suffix)
               for n in names for suffix in importlib.machinery.EXTENSION_SUFFIXES):
            return True
    return False


def _probe() -> None:
    """numba.np.linalg.ensure_blas's contract at arraymath's import: ImportError when no BLAS."""
    if not scipy_ships_blas():
        raise ImportError("scipy.linalg.cython_blas is not installed")


class _AnswerProbe:
    """A meta-path finder that only acts when arraymath is about to be imported (numba.np.linalg,
    imported just before it by the same statement, is then in sys.modules): it swaps in the
    probe and lets the normal finders load the module."""

    def __init__(self):
        self.linalg = None
        self.real = None

    def find_spec(self, name, path=None, target=None):
        if name == _PROBED and self.linalg is None:
            la = sys.modules.get("numba.np.linalg")
            real = getattr(la, "ensure_blas", None)
            if real is not None:
                self.linalg, self.real = la, real
                la.ensure_blas = _probe
        return None


def lean_start() -> None:
    """numba's first target-context refresh, with arraymath's BLAS probe answered from disk."""
    global _DONE
    if _DONE or _PROBED in sys.modules:
        _DONE = True
        return
    from numba.core.compiler_lock import global_compiler_lock
    from numba.core.registry import cpu_target

    with global_compiler_lock:
        if _PROBED in sys.modules:
            _DONE = True
            return
        finder = _AnswerProbe()
        sys.meta_path.insert(0, finder)
        try:
            cpu_target.target_context.refresh()
        finally:
            sys.meta_path.remove(finder)
            if finder.linalg is not None:
                finder.linalg.ensure_blas = finder.real
                am = sys.modules.get(_PROBED)
                if am is not None and getattr(am, "ensure_blas", None) is _probe:
                    am.ensure_blas = finder.real
        _DONE = True


__all__ = ["lean_start", "scipy_ships_blas"]

"""``inner(f)``: a compiled function as the generated kernel calls it, without its Python wrappers.

numba compiles, with every function it compiles for a dispatcher, a CPython wrapper (unboxing the
arguments, boxing the result) and a C-callable wrapper, and optimises them with the function's own
code. A kernel's callees (the family's ``value``/``grad``, the sampler, the stream's seeding) are
never called from Python through the kernel, so those wrappers are pure compile time: measured on
the benchmark's kernel, about 0.1 s per callee, 10% of a cold compile.

``inner(f)`` is a second dispatcher on the same Python function and the same options, compiled
without the wrappers. It is built once per function and process (so kernels that share a callee
share its compiled code, as they share ``f``'s), and is only ever called from compiled code; ``f``
itself is untouched (Python callers, the reference engine and the tests keep using it). The
machine code of the function is the same: only the wrappers are skipped.

A plain Python function (an algorithm's ``init``/``query``/``update``) is inlined into the caller
instead (``inline='always'``): numba then drops most of the reference counting around the state's
arrays.
"""
from __future__ import annotations

from numba import njit

# the options of the wrapper-free copy: the Python-callable wrappers are not generated
NO_WRAPPERS = {"no_cpython_wrapper": True, "no_cfunc_wrapper": True}

_MADE: dict = {}


def inner(f):
    """The kernel's version of ``f``: a wrapper-free copy of a dispatcher, an inlined plain function."""
    py = getattr(f, "py_func", None)
    if py is None:
        return njit(inline="always")(f)
    got = _MADE.get(f)
    if got is None:
        opts = {k: v for k, v in getattr(f, "targetoptions", {}).items() if k not in ("cache", "nopython")}
        got = _MADE[f] = njit(**opts, **NO_WRAPPERS)(py)
    return got


__all__ = ["inner", "NO_WRAPPERS"]

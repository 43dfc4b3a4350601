"""The Monte Carlo engine: one numba kernel per (algorithm, function family, noise model).

* ``run(...)`` (api.py): the Python API, returning a ``Results`` (results.py);
* codegen.py + template.py: kernel generation, named by a hash of all sources (cache.py: where);
* reference.py: the same algorithm files run in plain numpy on the same noise stream;
* checkpoints.py: checkpoint grids; problem.py: spec resolution shared by both engines.

Importing this package does not import numba; generating or calling a kernel does.
"""
from __future__ import annotations

from .api import kernel_for, run
from .results import Results

__all__ = ["run", "Results", "kernel_for"]

"""Dedicated runners for claims the fixed engine kernel cannot express (engine ``runner``).

The Monte Carlo engine runs ``x_{t+1} = update(x_t, grad f(x_t) + xi_t)`` with a fixed objective
and a stateless noise draw. Two catalogue claims need more: Reddi et al.'s online instance (T22:
the loss changes with the round t, and the iterates are projected onto [-1, 1]) and random
reshuffling over a finite sum (T23: each epoch visits the n components in a fresh random order,
which a stateless per-step noise draw cannot do). Each runner here runs the SAME algorithm files
(``init``/``update`` from boundcheck/algorithms, in plain numpy) inside that setting.

A runner module defines ``DETERMINISTIC`` (bool) and ``run(binding, runs, seed) -> dict``
mapping ``"QUANTITY@ITERATE"`` names to (len(points), runs) arrays, like engine results; a claim
selects it with ``engines = ["runner"]`` and ``runner = "NAME"``. ``values(binding, runs, seed)``
turns that into the claim's metric matrix (runs x points) for ``claims.decide``.
"""
from __future__ import annotations

import importlib

import numpy as np

PLUGINS = {
    "reddi": "reddi",
    "shuffling": "shuffling",
}


def get(name: str):
    if name not in PLUGINS:
        from ..errors import UnknownNameError

        raise UnknownNameError("runner", name, PLUGINS)
    return importlib.import_module(f"{__name__}.{PLUGINS[name]}")


def values(binding, runs: int | None = None, seed: int | None = None) -> np.ndarray:
    """The claim's metric, shape (runs, len(binding.points)), from its runner."""
    c = binding.claim
    mod = get(c.runner)
    runs = 1 if c.deterministic else (runs or c.check.runs)
    res = mod.run(binding, runs, c.check.seed if seed is None else seed)
    need = [q for q in c.quantities if q != "grad_norm"] + (["grad_sq"] if "grad_norm" in c.quantities else [])
    cols = {q: np.asarray(res[f"{q}@{c.iterate}"], dtype=float).T for q in dict.fromkeys(need)}
    return binding.metric(**cols)


__all__ = ["PLUGINS", "get", "values"]

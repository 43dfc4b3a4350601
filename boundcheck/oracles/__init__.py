"""Oracle models: which stochastic gradient a Monte Carlo step receives.

The default oracle is ``grad f(x) + xi`` with xi drawn from the run's noise model (boundcheck/noise).
A *finite-sum* instance F = (1/n) sum_i f_i (an instance carrying a ``FiniteSum``, see
``finite_sum.py``) is run instead under an index-sampling rule: step t receives grad f_{i_t}(x_t),
with i_t chosen by one of

* ``with-replacement`` (alias ``iid``): i_t uniform on {0..n-1}, independent across steps;
* ``reshuffle`` (alias ``rr``, random reshuffling): epoch k = floor(t/n) visits the components in a
  fresh uniform permutation;
* ``shuffle-once`` (alias ``so``): one uniform permutation, drawn before the first epoch, reused;
* ``incremental`` (alias ``cyclic``): the fixed order 0, 1, ..., n-1 in every epoch.

The rule is the instance's ``sampling`` parameter, so any algorithm file runs under any rule.
Indices come from the run's own index stream, xoshiro256+ seeded by splitmix64(seed XOR INDEX_KEY,
run) (sampling.py): independent of the noise draws, identical in the numba kernel and the numpy
reference, and for any number of threads.
"""
from __future__ import annotations

from ..errors import ParamError

#: model name -> the integer code the kernels branch on (sampling.next_index)
MODELS = {"with-replacement": 0, "reshuffle": 1, "shuffle-once": 2, "incremental": 3}
ALIASES = {"iid": "with-replacement", "rr": "reshuffle", "so": "shuffle-once", "cyclic": "incremental"}
NAMES = tuple(MODELS) + tuple(ALIASES)  # what a ``sampling`` parameter accepts


def canonical(name: str) -> str:
    """The model's canonical name (aliases resolved); ParamError for an unknown one."""
    name = ALIASES.get(name, name)
    if name not in MODELS:
        raise ParamError(f"unknown finite-sum oracle model {name!r} (known: {', '.join(NAMES)})")
    return name


def code(name: str) -> int:
    return MODELS[canonical(name)]


def describe(name: str, n: int) -> str:
    """One line for results' metadata."""
    what = {"with-replacement": "i_t uniform, independent (with replacement)",
            "reshuffle": "a fresh uniform permutation every epoch of n steps (random reshuffling)",
            "shuffle-once": "one uniform permutation drawn before the first epoch, reused (shuffle once)",
            "incremental": "the fixed order 0..n-1 every epoch (incremental gradient)"}[canonical(name)]
    return f"finite sum of n = {n} components: update receives grad f_(i_t) at the query point, {what}"


__all__ = ["MODELS", "ALIASES", "NAMES", "canonical", "code", "describe"]

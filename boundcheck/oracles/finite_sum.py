"""A finite-sum instance: F = (1/n) sum_i f_i, with a kernel for each component's gradient.

A function family whose instance is a finite sum builds its ``Instance`` as usual (value/grad of F,
for the metrics) and attaches a ``FiniteSum`` with ``attach(inst, FiniteSum(...))``. The engines
(api.py, reference.py) then run every algorithm file under the instance's index-sampling rule:
step t calls ``grad_i(q, i_t, p, A, b, out)`` (out <- grad f_{i_t}(q)) on the instance's own data
tuple, instead of ``grad F(q) + noise``; ``count(p, A, b)`` returns n (the kernels read n from the
data, so instances differing only in n share one compiled kernel). A noise model, if given as well, is added on top.

Variance reduction: an algorithm declaring ``anchor(s, P) -> point`` (``Algorithm.anchor``, e.g. an
SVRG snapshot) receives, in place of g, GA of shape (3, d): grad f_{i_t}(query), grad f_{i_t}(anchor)
with the same index, and grad F(anchor) (the full gradient; the algorithm counts its cost). It needs
a finite sum and no noise (refused in one line otherwise).

``project`` (optional) is the Euclidean projection onto a feasible set, ``project(x, p, A, b)`` in
place, applied to the iterate after every update (projected methods, e.g. Reddi et al.'s online
instance on [-1, 1]). Both kernels are module-level numba functions (the kernel binds them).

Not supported (refused with one line): deterministic methods (``stochastic=False``, as with a noise
model), algorithms that receive the individual draws of a step
(``samples_per_step``), a minibatch ``batch`` > 1, and algorithms reading f(query) (``needs_value``:
the value of the sampled component is not an oracle output here).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..errors import UsageError
from . import canonical, code, describe


@dataclass(frozen=True)
class FiniteSum:
    n: int  # number of components
    grad_i: Callable  # njit (x, i, p, A, b, out): out <- grad f_i(x)
    count: Callable  # njit (p, A, b) -> n, the same n read from the data
    sampling: str  # an oracle model name (oracles.MODELS or an alias)
    project: Callable | None = None  # njit (x, p, A, b): x <- Pi_X(x), after each update

    @property
    def order(self) -> int:
        return code(self.sampling)

    @property
    def model(self) -> str:
        return canonical(self.sampling)

    def describe(self) -> str:
        s = describe(self.sampling, self.n)
        return s + ("; the iterate is projected onto the feasible set after every update" if self.project else "")


def attach(inst, fs: FiniteSum):
    """Mark ``inst`` as the finite sum ``fs`` (returns inst)."""
    if int(fs.n) < 1:
        raise ValueError("a finite sum needs n >= 1 components")
    canonical(fs.sampling)
    if int(fs.count(*inst.data)) != int(fs.n):
        raise ValueError(f"finite sum: count(data) = {fs.count(*inst.data)} but n = {fs.n}")
    inst.finite_sum = fs
    return inst


def of(inst) -> FiniteSum | None:
    """The instance's finite sum, or None for an ordinary instance."""
    return getattr(inst, "finite_sum", None)


def check(problem) -> FiniteSum | None:
    """The problem's finite sum after checking the algorithm can run under it (UsageError if not)."""
    fs = of(problem.instance)
    alg = problem.algorithm
    if fs is None:
        if getattr(alg, "anchor", None) is not None:
            raise UsageError(f"engine: {alg.name} is a variance-reduced method (it declares an anchor): it needs a "
                             f"finite-sum instance (docs/claims.md#finite-sum-oracles), not "
                             f"{problem.instance.function}[instance={problem.instance.generator}]")
        return None
    if getattr(alg, "anchor", None) is not None and problem.noise is not None:
        raise UsageError(f"engine: {alg.name} (variance reduction) takes the finite sum's component gradients "
                         f"only; run it without noise")
    why = ("it is a deterministic method (its theorems assume exact gradients; a component gradient is "
           "a stochastic one)" if not alg.stochastic else
           "it receives the individual draws of a step (samples_per_step)" if problem.multi else
           f"its minibatch batch = {problem.batch} > 1" if problem.batch > 1 else
           "it reads f(query) (needs_value), which a component oracle does not return" if alg.needs_value else None)
    if why:
        raise UsageError(f"engine: {alg.name} cannot run under the finite-sum oracle of "
                         f"{problem.instance.function}[instance={problem.instance.generator}]: {why}")
    return fs


__all__ = ["FiniteSum", "attach", "of", "check"]

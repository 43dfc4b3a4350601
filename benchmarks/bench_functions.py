"""Function-class construction timings that used to be wall-clock asserts in the tests.

    .venv/bin/python benchmarks/bench_functions.py

Prints one line per case: the seconds to build (and certify) an instance, uncached. The pl/sinsq
case certifies mu by interval arithmetic for a (mu, L) pair no other code path has used; it was
expected to stay under 2 s (tests/test_functions_pl.py used to assert it).
"""
from __future__ import annotations

import time

from boundcheck import registry


def main() -> None:
    cases = [("pl", dict(instance="sinsq", mu=0.0731, L=1.7, d=4)),
             ("smooth-convex", dict(instance="quadratic", d=1000)),
             ("smooth-strongly-convex", dict(instance="logistic", d=200))]
    for name, kw in cases:
        t = time.perf_counter()
        registry.functions.get(name).instance(**kw)
        print(f"{name} {kw}: {time.perf_counter() - t:.3f} s")


if __name__ == "__main__":
    main()

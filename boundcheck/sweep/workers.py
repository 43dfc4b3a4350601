"""How many local worker processes a sweep starts when ``--workers`` is not given.

A spawned worker pays a start-up cost before its first task: a fresh interpreter, the imports
(numpy, scipy, numba, cvxpy) and the kernel-cache loads, a few seconds on a laptop (issue 17: a
4-point sweep took 9.0 s with 2 workers and 2.9 s in one process). A worker pays off only when it
gets several tasks of its own, so the rule, by task count and never by timing:

    workers = min(cores, tasks // TASKS_PER_WORKER), at least 1;

and one worker runs the tasks in this process (no spawn at all). ``--workers K`` overrides it.
"""
from __future__ import annotations

TASKS_PER_WORKER = 8  # tasks a spawned worker should have to amortise its start


def auto_workers(tasks: int, cores: int) -> int:
    """Worker processes for ``tasks`` tasks on ``cores`` cores (1: run in this process)."""
    return max(1, min(cores, tasks // TASKS_PER_WORKER))


def reason(tasks: int, workers: int) -> str:
    if workers == 1:
        return (f"{tasks} task(s) run in this process: too few to amortise starting worker processes "
                f"(one worker per {TASKS_PER_WORKER} tasks; --workers K overrides)")
    return f"{tasks} task(s) on {workers} worker processes (one per {TASKS_PER_WORKER} tasks, at most one per core)"


__all__ = ["auto_workers", "reason", "TASKS_PER_WORKER"]

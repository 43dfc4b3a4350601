"""Sweeps: catalogue claims over parameter grids, on local processes or a Dask cluster, cached.

    from boundcheck.claims import load_catalogue, select
    from boundcheck.sweep import parse_grid, plan_sweep, run_sweep, write_csv, plot
    plan = plan_sweep(select(load_catalogue(), algorithm="clipped-sgd"), parse_grid(["noise.alpha=1.2:2.0:5"]))
    res = run_sweep(plan, executor="local")          # or executor="dask", scheduler="tcp://host:8786"

grid.py (the --grid syntax), core.py (planning, the statistical family, running, rows),
task.py (one claim at one point, what a worker runs), executors.py (serial, local processes,
Dask), cache.py (content-hashed results, atomic, resumable), table.py (CSV), plot.py (phase
diagrams). Importing this package is light (no numba, sympy or dask until used).
"""
from .core import EXECUTORS, Plan, SweepResult, plan_sweep, run_sweep
from .grid import GridError, parse_grid
from .plot import plot
from .table import to_csv, write_csv

__all__ = ["plan_sweep", "run_sweep", "parse_grid", "plot", "to_csv", "write_csv", "Plan", "SweepResult",
           "GridError", "EXECUTORS"]

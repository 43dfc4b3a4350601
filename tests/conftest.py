import os

import pytest

# Keep the suite's numba threads at the machine's size; tests that need 1 vs 2 threads spawn
# subprocesses with NUMBA_NUM_THREADS set.
os.environ.setdefault("NUMBA_NUM_THREADS", "2")

"""Where sweep tasks run: this process, local worker processes, or an existing Dask cluster.

Each executor is a generator ``execute(tasks) -> (index, result)`` in completion order, so the
caller can cache every result the moment it arrives (an interrupted sweep keeps them all).

* ``serial``: in this process (``--workers 1``).
* ``local``: ``concurrent.futures.ProcessPoolExecutor`` with K spawned processes (default: all
  cores), each with one numba thread: the parallelism is over grid points, one process per core.
* ``dask``: ``distributed.Client`` on an existing scheduler (``--scheduler tcp://HOST:PORT``).
  Before anything is submitted: the scheduler must answer within ``CONNECT_TIMEOUT_S`` seconds,
  at least one worker must be connected, and every worker must import boundcheck with the same
  code fingerprint as this client (else a UsageError, exit 2, says which worker and what to do).
"""
from __future__ import annotations

import os
import re
from typing import Iterator, Sequence

from ..errors import UsageError
from .task import Task, run_task, worker_fingerprint

CONNECT_TIMEOUT_S = 5.0  # a clear error well within the 10 s the issue allows
_ADDRESS = re.compile(r"^(tcp|tls)://(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$")


class SchedulerError(UsageError):
    """The Dask scheduler is unreachable, has no workers, or its workers run other code (exit 2)."""


class TaskFailed(Exception):
    """A task raised in its worker (or the worker died): which task, and the original error."""

    def __init__(self, index: int, error: BaseException):
        super().__init__(index, error)
        self.index, self.error = index, error


def _result(i: int, get):
    try:
        return get()
    except UsageError:
        raise
    except Exception as e:  # a bug, or a worker killed (BrokenProcessPool, KilledWorker)
        raise TaskFailed(i, e) from e


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover (not Linux)
        return max(1, os.cpu_count() or 1)


# ----------------------------------------------------------------------------- serial / local
# Tests only: the serial executor ends the process abruptly (os._exit, no cleanup, like SIGKILL)
# when asked for task k+1, i.e. once the caller has cached k results: a deterministic "kill midway".
CRASH_AFTER_ENV = "BOUNDCHECK_TEST_CRASH_AFTER"
CRASH_EXIT_CODE = 137  # what a shell reports for a process killed by SIGKILL


def serial(tasks: Sequence[Task], numba_threads: int | None = None) -> Iterator[tuple[int, dict]]:
    crash = os.environ.get(CRASH_AFTER_ENV)
    for i, t in enumerate(tasks):
        if crash is not None and i >= int(crash):  # resumed after the caller stored result i-1
            os._exit(CRASH_EXIT_CODE)
        yield i, _result(i, lambda: run_task(t, numba_threads))


def _init_worker(numba_threads: int) -> None:
    import signal

    # before numba is imported in this fresh (spawned) process: its thread pool gets this size
    os.environ["NUMBA_NUM_THREADS"] = str(numba_threads)
    # Ctrl-C reaches the whole process group: the client handles it and stops the workers
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # a cache repaired in a worker (engine/cache.py CacheWarning) is one stderr line, as in the client
    import warnings

    from ..cli import _one_line_warning

    warnings.showwarning = _one_line_warning


def local(tasks: Sequence[Task], workers: int, numba_threads: int = 1) -> Iterator[tuple[int, dict]]:
    """K spawned worker processes (clean interpreters: no forked numba/OpenMP state)."""
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    ex = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"),
                             initializer=_init_worker, initargs=(numba_threads,))
    clean = False
    try:
        todo = {ex.submit(run_task, t, numba_threads): i for i, t in enumerate(tasks)}
        while todo:
            done, _ = wait(todo, return_when=FIRST_COMPLETED)
            for f in done:
                i = todo.pop(f)
                yield i, _result(i, f.result)
        clean = True
    finally:
        if clean:
            ex.shutdown(wait=True)
        else:  # interrupted or failed: do not wait for the remaining grid points
            procs = list(getattr(ex, "_processes", {}).values())
            ex.shutdown(wait=False, cancel_futures=True)
            for p in procs:
                p.terminate()


# ----------------------------------------------------------------------------- dask
def check_address(address: str | None) -> str:
    if not address:
        raise SchedulerError("--executor dask needs --scheduler tcp://HOST:PORT (an existing Dask scheduler; "
                             "start one with '.venv/bin/dask scheduler', see README)")
    m = _ADDRESS.match(address.strip())
    if not m or not 0 < int(m.group(3)) < 65536:
        raise SchedulerError(f"--scheduler {address!r}: expected tcp://HOST:PORT (e.g. tcp://10.0.0.5:8786)")
    return address.strip()


def connect(address: str, timeout: float = CONNECT_TIMEOUT_S):
    """A ``distributed.Client`` on ``address``, checked: reachable, has workers, same code."""
    address = check_address(address)
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover (dask is in setup.cfg's dev extra)
        raise SchedulerError("the dask executor needs 'distributed' (pip install -e '.[dev]')") from None
    _probe(address, timeout)
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except Exception as e:
        raise SchedulerError(f"cannot connect to the Dask scheduler at {address} ({type(e).__name__}: {e})") from None
    try:
        try:
            client.wait_for_workers(1, timeout=timeout)
        except (TimeoutError, OSError):
            raise SchedulerError(f"the Dask scheduler at {address} has no workers (waited {timeout:g} s); start "
                                 f"some with '.venv/bin/dask worker {address} --nthreads 1'") from None
        try:
            prints = client.run(worker_fingerprint)
        except Exception as e:  # ModuleNotFoundError when unpickling, or wrapped by distributed
            raise SchedulerError(f"Dask workers at {address} cannot run boundcheck ({type(e).__name__}: {e}); start "
                                 f"them with this project's '.venv/bin/dask worker {address}'") from None
        from .fingerprint import code_fingerprint

        mine = code_fingerprint()
        other = sorted(w for w, fp in prints.items() if fp != mine)
        if other:
            raise SchedulerError(f"Dask worker(s) {', '.join(other)} run a different boundcheck (source or package "
                                 f"versions differ from this client's); restart them from this checkout's .venv")
    except BaseException:
        client.close()
        raise
    return client


def _tcp_connect(address: str, timeout: float) -> None:
    """Open (and close) a plain TCP connection to ``address``. A refused port or an unknown host
    fails at once with the OS's answer: distributed's own connect retries a refused port until
    its deadline, so without this a scheduler that is simply not running cost the full timeout."""
    import socket

    m = _ADDRESS.match(address)
    host, port = m.group(2).strip("[]"), int(m.group(3))
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except ConnectionRefusedError:
        raise SchedulerError(f"cannot reach the Dask scheduler at {address}: connection refused (nothing listens "
                             f"on port {port}); is it running? ('.venv/bin/dask scheduler')") from None
    except socket.gaierror as e:
        raise SchedulerError(f"cannot reach the Dask scheduler at {address}: unknown host {host!r} "
                             f"({e.strerror})") from None
    except OSError as e:  # unreachable network, or no answer within the deadline (TimeoutError)
        raise SchedulerError(f"cannot reach the Dask scheduler at {address} within {timeout:g} s "
                             f"({type(e).__name__}); is it running? ('.venv/bin/dask scheduler')") from None


def _probe(address: str, timeout: float) -> None:
    """Ask the server at ``address`` who it is, under one hard deadline (asyncio.wait_for), before
    a Client is made: an unreachable host, a closed port, or a server that does not speak the
    Dask protocol (which can make a Client hang or try to allocate absurd buffers) is a one-line
    SchedulerError within ``timeout`` seconds; a refused port at once (``_tcp_connect``)."""
    import asyncio

    from distributed.core import rpc

    _tcp_connect(address, timeout)

    async def identity():
        async with rpc(address, timeout=timeout) as r:
            return await r.identity()

    try:
        info = asyncio.run(asyncio.wait_for(identity(), timeout))
    except (OSError, TimeoutError, asyncio.TimeoutError) as e:
        raise SchedulerError(f"cannot reach the Dask scheduler at {address} within {timeout:g} s "
                             f"({type(e).__name__}); is it running? ('.venv/bin/dask scheduler')") from None
    except Exception as e:
        raise SchedulerError(f"the server at {address} did not answer as a Dask scheduler "
                             f"({type(e).__name__}); check the address and port") from None
    kind = info.get("type") if isinstance(info, dict) else None
    if kind != "Scheduler":
        raise SchedulerError(f"the server at {address} is a {kind or 'non-Dask service'}, not a Dask scheduler; "
                             f"give the scheduler's address (default port 8786)")


def dask(tasks: Sequence[Task], address: str, numba_threads: int = 1,
         client=None) -> Iterator[tuple[int, dict]]:
    """Submit every task to the cluster; yield results as they complete."""
    from distributed import as_completed

    own = client is None
    client = connect(address) if own else client
    futs = []
    try:
        futs = [client.submit(run_task, t, numba_threads, pure=False) for t in tasks]
        index = {f.key: i for i, f in enumerate(futs)}
        for f in as_completed(futs, loop=client.loop):
            yield index[f.key], _result(index[f.key], f.result)
    finally:
        if futs:
            client.cancel(futs)
        if own:
            client.close()


__all__ = ["serial", "local", "dask", "connect", "check_address", "default_workers", "SchedulerError", "TaskFailed",
           "CONNECT_TIMEOUT_S"]

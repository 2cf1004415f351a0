"""Where replications run: in this process, in local processes, or on a Dask cluster.

An executor only runs independent replication jobs and hands back their outputs as they finish;
the order results are used in is fixed by the caller (replication index), so the choice of
executor never changes a result.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

_SCHEDULER_ADDRESS = re.compile(
    r"^(tcp|tls|ucx|inproc)://[^\s:/]+(:\d+)?$|^(tcp|tls)://\[[0-9a-fA-F:.]+\](:\d+)?$"
)


class ExecutorError(RuntimeError):
    """An executor that cannot be used (for example an unreachable Dask scheduler)."""


class Executor(Protocol):
    """Runs ``fn(*args)`` for each argument tuple; yields results as they complete."""

    #: how many jobs it runs at once (a hint for batching)
    parallelism: int

    def run(self, fn: Callable[..., Any], jobs: Sequence[tuple[Any, ...]]) -> Iterator[Any]: ...

    def close(self) -> None: ...


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class InProcessExecutor:
    """Runs jobs one after another in this process."""

    parallelism = 1

    def run(self, fn: Callable[..., Any], jobs: Sequence[tuple[Any, ...]]) -> Iterator[Any]:
        for args in jobs:
            yield fn(*args)

    def close(self) -> None:
        pass


class LocalProcessExecutor:
    """Runs jobs in a pool of local processes, started on first use and kept for reuse."""

    def __init__(self, processes: int) -> None:
        self.parallelism = processes
        self._pool: Any = None

    def run(self, fn: Callable[..., Any], jobs: Sequence[tuple[Any, ...]]) -> Iterator[Any]:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.parallelism)
        futures = [self._pool.submit(fn, *args) for args in jobs]
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            for future in futures:
                future.cancel()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskExecutor:
    """Runs jobs on an existing Dask distributed cluster (the ``dask`` extra)."""

    def __init__(self, address: str) -> None:
        if not _SCHEDULER_ADDRESS.match(address):
            raise ExecutorError(
                f"--address {address!r}: allowed: a scheduler address such as tcp://HOST:PORT"
            )
        try:
            from distributed import Client
        except ImportError:
            raise ExecutorError(
                "--executor dask needs the dask extra: pip install 'caseload_sim[dask]'"
            ) from None
        try:
            self._client = Client(address, timeout=10, set_as_default=False)
        except Exception as error:  # any failure to connect is the address's, not ours
            raise ExecutorError(
                f"--address {address}: cannot reach a Dask scheduler "
                f"({type(error).__name__}: {error})"
            ) from None
        workers = self._client.scheduler_info().get("workers", {})
        self.parallelism = max(1, sum(w.get("nthreads", 1) for w in workers.values()))

    def run(self, fn: Callable[..., Any], jobs: Sequence[tuple[Any, ...]]) -> Iterator[Any]:
        from distributed import as_completed

        # pure=False: every job is distinct even when its arguments hash alike.
        futures = [self._client.submit(fn, *args, pure=False) for args in jobs]
        try:
            # The loop of this executor's client: it is not the default client, and
            # as_completed looks for the default one when given no loop.
            for future in as_completed(futures, loop=self._client.loop):
                yield future.result()
        finally:
            for future in futures:
                future.cancel()

    def close(self) -> None:
        self._client.close()


def check_executor(kind: str, address: str | None) -> None:
    """Refuse an executor other than ``local`` or ``dask``, and ``dask`` without an address."""
    if kind == "dask":
        if not address:
            raise ExecutorError("--executor dask needs --address tcp://HOST:PORT")
    elif kind != "local":
        raise ExecutorError(f"--executor {kind!r}: allowed: local, dask")


def make_executor(
    kind: str = "local", jobs: int | None = None, address: str | None = None
) -> Executor:
    """An executor by name: ``local`` (``jobs`` processes; 1 runs in this process) or ``dask``."""
    check_executor(kind, address)
    if kind == "dask" and address is not None:
        return DaskExecutor(address)
    processes = default_jobs() if jobs is None else jobs
    if processes <= 1:
        return InProcessExecutor()
    return LocalProcessExecutor(processes)

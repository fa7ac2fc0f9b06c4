"""Where the worker runs: in this process, on a local process pool, or on a Dask distributed cluster.

All three give ``concurrent.futures``-like futures to the one loop in ``runner``: ``submit`` a document,
``wait_first`` for some to finish, take each result. The loop keeps only a window of documents in flight
(twice the workers), so memory does not grow with the number of documents.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol


class EngineError(Exception):
    """The engine cannot be started (no scheduler at the address, bad worker count); the message says why."""


class Engine(Protocol):
    window: int

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Any: ...

    def wait_first(self, futures: set[Any]) -> tuple[set[Any], set[Any]]: ...

    def close(self) -> None: ...


class InProcess:
    """One worker: this process, one document at a time."""

    window = 1

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(arg))
        except Exception as exc:  # the worker never raises; should it, the runner makes the error a row
            future.set_exception(exc)
        return future

    def wait_first(self, futures: set[Any]) -> tuple[set[Any], set[Any]]:
        return set(futures), set()

    def close(self) -> None:
        pass


class ProcessPool:
    """N worker processes on this machine."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool = ProcessPoolExecutor(workers)
        self.window = 2 * workers

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Future[Any]:
        try:
            return self.pool.submit(fn, arg)
        except BrokenProcessPool:  # a worker died (its documents are rows with the error): a fresh pool goes on
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = ProcessPoolExecutor(self.workers)
            return self.pool.submit(fn, arg)

    def wait_first(self, futures: set[Any]) -> tuple[set[Any], set[Any]]:
        done, pending = wait(futures, return_when=FIRST_COMPLETED)
        return set(done), set(pending)

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


class DaskCluster:
    """The workers of a Dask distributed scheduler (``tcp://host:8786``); they must have deptbudget installed."""

    def __init__(self, address: str, timeout: float = 30) -> None:
        from distributed import Client

        try:
            self.client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise EngineError(f"无法连接调度器 {address} (cannot reach the Dask scheduler): {exc}") from exc
        try:
            self.client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            self.client.close()
            raise EngineError(f"调度器 {address} 没有工作进程 (the Dask scheduler has no workers)") from exc
        threads = sum(self.client.nthreads().values())
        self.window = 2 * max(threads, 1)

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Any:
        return self.client.submit(fn, arg, pure=False)

    def wait_first(self, futures: set[Any]) -> tuple[set[Any], set[Any]]:
        from distributed import wait as dask_wait

        with self.client.as_current():
            done, pending = dask_wait(list(futures), return_when="FIRST_COMPLETED")
        return set(done), set(pending)

    def close(self) -> None:
        self.client.close()


def engine_for(workers: int, scheduler: str | None) -> Engine:
    if scheduler:
        return DaskCluster(scheduler)
    if workers < 1:
        raise EngineError(f"--workers 须为正整数 (must be at least 1): {workers}")
    return InProcess() if workers == 1 else ProcessPool(workers)

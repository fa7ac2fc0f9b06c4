"""Where the worker runs: in this process, on a local process pool, or on a Dask distributed cluster.

All three give ``concurrent.futures``-like futures to the one loop in ``runner``: ``submit`` a document,
``wait_first`` for some to finish, take each result. The loop keeps only a window of documents in flight
(twice the workers), so memory does not grow with the number of documents.

A worker process that dies (killed, out of memory, a crash in a PDF library) fails the futures it held — on a
process pool every future then in flight (``BrokenProcessPool``), on Dask the tasks of the dead worker once the
scheduler has given up on them (``KilledWorker``). The loop gives each such document one more try with
``retry``: alone in a fresh worker process on this machine (so that a document that kills its worker again
takes no other document with it), a new task on Dask (the nanny has restarted the dead worker).
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
    isolates: bool  # whether ``retry`` runs the document alone, in a worker process of its own

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Any: ...

    def retry(self, fn: Callable[[Any], Any], arg: Any) -> Any: ...

    def wait_first(self, futures: set[Any]) -> tuple[set[Any], set[Any]]: ...

    def close(self) -> None: ...


class InProcess:
    """One worker: this process, one document at a time."""

    window = 1
    isolates = True

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(arg))
        except Exception as exc:  # the worker never raises; should it, the runner makes the error a row
            future.set_exception(exc)
        return future

    def retry(self, fn: Callable[[Any], Any], arg: Any) -> Future[Any]:
        return self.submit(fn, arg)  # no worker of its own to lose: a crash here ends the run itself

    def wait_first(self, futures: set[Any]) -> tuple[set[Any], set[Any]]:
        return set(futures), set()

    def close(self) -> None:
        pass


class ProcessPool:
    """N worker processes on this machine."""

    isolates = True

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool = ProcessPoolExecutor(workers)
        self.window = 2 * workers
        self.single: list[tuple[ProcessPoolExecutor, Future[Any]]] = []  # the retries' own processes

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Future[Any]:
        try:
            return self.pool.submit(fn, arg)
        except BrokenProcessPool:  # a worker died (its documents are retried): a fresh pool goes on
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = ProcessPoolExecutor(self.workers)
            return self.pool.submit(fn, arg)

    def retry(self, fn: Callable[[Any], Any], arg: Any) -> Future[Any]:
        """The document again, alone in a process of its own (ended when done)."""
        for executor, future in [pair for pair in self.single if pair[1].done()]:
            executor.shutdown(wait=False)
            self.single.remove((executor, future))
        executor = ProcessPoolExecutor(1)
        future = executor.submit(fn, arg)
        self.single.append((executor, future))
        return future

    def wait_first(self, futures: set[Any]) -> tuple[set[Any], set[Any]]:
        done, pending = wait(futures, return_when=FIRST_COMPLETED)
        return set(done), set(pending)

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)
        for executor, _ in self.single:
            executor.shutdown(cancel_futures=True)


class DaskCluster:
    """The workers of a Dask distributed scheduler (``tcp://host:8786``); they must have deptbudget installed."""

    isolates = False  # the scheduler blames a task only once it has killed ``allowed-failures`` + 1 workers

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
        from deptbudget.audit.dask_worker import PLUGIN_PREFIX, AuditWorkerSetup

        self.plugin = f"{PLUGIN_PREFIX}{self.client.id}"
        try:  # on every worker, once, now and on those that join later
            self.client.register_plugin(AuditWorkerSetup(), name=self.plugin)
        except Exception as exc:  # a worker without deptbudget (or a broken install) cannot audit
            self.client.close()
            raise EngineError(f"调度器 {address} 的工作进程无法加载 deptbudget (the Dask workers cannot load "
                              f"deptbudget): {type(exc).__name__}: {exc}") from exc
        threads = sum(self.client.nthreads().values())
        self.window = 2 * max(threads, 1)

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Any:
        return self.client.submit(fn, arg, pure=False)

    def retry(self, fn: Callable[[Any], Any], arg: Any) -> Any:
        return self.client.submit(fn, arg, pure=False)  # a new task; the dead worker's nanny has restarted it

    def wait_first(self, futures: set[Any]) -> tuple[set[Any], set[Any]]:
        from distributed import wait as dask_wait

        with self.client.as_current():
            done, pending = dask_wait(list(futures), return_when="FIRST_COMPLETED")
        return set(done), set(pending)

    def close(self) -> None:
        try:
            self.client.unregister_worker_plugin(self.plugin)  # the workers' profiler as it was
        except Exception:  # a scheduler already gone: nothing to restore
            pass
        self.client.close()


def engine_for(workers: int, scheduler: str | None) -> Engine:
    if scheduler:
        return DaskCluster(scheduler)
    if workers < 1:
        raise EngineError(f"--workers 须为正整数 (must be at least 1): {workers}")
    return InProcess() if workers == 1 else ProcessPool(workers)

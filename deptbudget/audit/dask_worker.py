"""What an audit sets up on each Dask worker, once, when it connects (``engines.DaskCluster``).

A worker process of a process pool is forked from the audit's own process, with deptbudget imported; a Dask
worker is a fresh interpreter. ``AuditWorkerSetup`` imports the importers and loads the reviewer (rules,
catalogs, checklists) on every worker of the cluster — those there when the audit connects and those that join
or restart later — so that no document's task pays for it.

While the audit is connected it also quiets two of the worker's diagnostics, whose cost grows with the
wall-clock time, not with the documents: the statistical profiler (``distributed.worker.profile``: the stack of
the running task sampled every 10 ms, for the dashboard) is paused, and the event-loop health check
(``distributed.admin.tick``, every 20 ms) runs every 200 ms — measured on an idle two-worker cluster, the two
together cost each worker ≈ 0.03 CPU-seconds per second, most of the Dask path's extra CPU over a process pool.
Both are restored when the audit disconnects (``teardown``), unless another audit is still connected. Workers
started with ``DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False`` and ``DASK_DISTRIBUTED__ADMIN__TICK__INTERVAL=200ms``
(as docs/audit.md advises for a cluster that audits) have nothing to quiet.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from distributed.diagnostics.plugin import WorkerPlugin

if TYPE_CHECKING:
    from distributed import Worker

PLUGIN_PREFIX = "deptbudget-audit-"
PROFILER_CALLBACKS = ("profile", "profile-cycle")
TICK = "tick"
TICK_MS = 200.0  # the event-loop health check while an audit is connected (distributed's default: 20 ms)


def preload() -> None:
    """Import what auditing a document needs and load the reviewer, once per process."""
    import deptbudget.importers  # noqa: F401  (the readers of every format)
    import deptbudget.importers.combine  # noqa: F401
    from deptbudget.audit.worker import reviewer

    reviewer()


class AuditWorkerSetup(WorkerPlugin):
    """Loads the audit's code and data on a worker and pauses its profiler while the audit is connected."""

    def __init__(self) -> None:
        self.tick_ms: float | None = None  # the worker's own, restored at teardown

    async def setup(self, worker: Worker) -> None:
        for name in PROFILER_CALLBACKS:
            callback = worker.periodic_callbacks.get(name)
            if callback is not None:
                callback.stop()
        tick = worker.periodic_callbacks.get(TICK)
        if tick is not None and tick.callback_time < TICK_MS:
            self.tick_ms, tick.callback_time = tick.callback_time, TICK_MS
        await asyncio.to_thread(preload)  # off the worker's event loop: it keeps answering heartbeats

    def teardown(self, worker: Worker) -> None:
        if any(name.startswith(PLUGIN_PREFIX) for name in worker.plugins):
            return  # another audit connected to this worker still runs
        tick = worker.periodic_callbacks.get(TICK)
        if tick is not None and self.tick_ms is not None:
            tick.callback_time = self.tick_ms
        for name in PROFILER_CALLBACKS:
            callback = worker.periodic_callbacks.get(name)
            if callback is not None and worker.status.name == "running":
                callback.start()

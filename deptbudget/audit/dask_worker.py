"""What an audit sets up on each Dask worker, once, when it connects (``engines.DaskCluster``).

A worker process of a process pool is forked from the audit's own process, with deptbudget imported; a Dask
worker is a fresh interpreter. ``AuditWorkerSetup`` imports the importers and loads the reviewer (rules,
catalogs, checklists) on every worker of the cluster — those there when the audit connects and those that join
or restart later — so that no document's task pays for it.

It also pauses the worker's statistical profiler while the audit is connected: by default a Dask worker samples
the stack of its running task every 10 ms (``distributed.worker.profile``, for the dashboard), which on
deptbudget's deep PDF-parsing stacks costs a sizeable share of the CPU of each document. The profiler is started
again when the audit disconnects (``teardown``), unless another audit still holds it paused. Workers started
with ``DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False`` have none to pause.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from distributed.diagnostics.plugin import WorkerPlugin

if TYPE_CHECKING:
    from distributed import Worker

PLUGIN_PREFIX = "deptbudget-audit-"
PROFILER_CALLBACKS = ("profile", "profile-cycle")


def preload() -> None:
    """Import what auditing a document needs and load the reviewer, once per process."""
    import deptbudget.importers  # noqa: F401  (the readers of every format)
    import deptbudget.importers.combine  # noqa: F401
    from deptbudget.audit.worker import reviewer

    reviewer()


class AuditWorkerSetup(WorkerPlugin):
    """Loads the audit's code and data on a worker and pauses its profiler while the audit is connected."""

    async def setup(self, worker: Worker) -> None:
        for name in PROFILER_CALLBACKS:
            callback = worker.periodic_callbacks.get(name)
            if callback is not None:
                callback.stop()
        await asyncio.to_thread(preload)  # off the worker's event loop: it keeps answering heartbeats

    def teardown(self, worker: Worker) -> None:
        if any(name.startswith(PLUGIN_PREFIX) for name in worker.plugins):
            return  # another audit connected to this worker still runs
        for name in PROFILER_CALLBACKS:
            callback = worker.periodic_callbacks.get(name)
            if callback is not None and worker.status.name == "running":
                callback.start()

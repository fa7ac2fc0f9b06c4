"""``deptbudget audit --scheduler``: the same loop on a real Dask cluster (a scheduler and two worker processes)
gives the results of the single-process run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from distributed import Client, LocalCluster

from deptbudget.audit.engines import DaskCluster, EngineError
from deptbudget.cli import main
from tests.audit.conftest import rows


def test_a_local_cluster_gives_the_single_process_results(batch: Path, tmp_path: Path) -> None:
    assert main(["audit", str(batch), "-o", str(tmp_path / "single")]) == 2
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        assert main(["audit", str(batch), "-o", str(tmp_path / "dask"), "--scheduler", cluster.scheduler_address]) == 2
        assert len(cluster.workers) == 2
    for name in ("documents.parquet", "findings.parquet", "lines.parquet"):
        assert rows(tmp_path / "single" / name) == rows(tmp_path / "dask" / name)


def test_no_scheduler_at_the_address() -> None:
    with pytest.raises(EngineError, match="无法连接调度器 tcp://127.0.0.1:9"):
        DaskCluster("tcp://127.0.0.1:9", timeout=1)


def _worker_state(dask_worker: Any) -> tuple[bool, bool, float]:
    """On a Dask worker: whether its statistical profiler runs, whether the audit's reviewer is loaded, the
    milliseconds between its event-loop health checks."""
    from deptbudget.audit import worker

    return (dask_worker.periodic_callbacks["profile"].is_running(), worker._REVIEWER is not None,
            dask_worker.periodic_callbacks["tick"].callback_time)


def test_each_worker_is_set_up_once_and_its_diagnostics_quieted_while_the_audit_is_connected() -> None:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        engine = DaskCluster(cluster.scheduler_address)
        try:
            assert set(engine.client.run(_worker_state).values()) == {(False, True, 200.0)}
        finally:
            engine.close()
        with Client(cluster.scheduler_address, set_as_default=False) as client:
            assert {(profiling, tick) for profiling, _, tick in client.run(_worker_state).values()} == {(True, 20.0)}

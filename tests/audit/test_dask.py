"""``deptbudget audit --scheduler``: the same loop on a real Dask cluster (a scheduler and two worker processes)
gives the results of the single-process run."""

from __future__ import annotations

from pathlib import Path

import pytest
from distributed import LocalCluster

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

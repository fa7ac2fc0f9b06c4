"""A worker process that dies on a document (killed, out of memory, a crash in a PDF library) loses no document:
each document it held is tried again in a fresh worker; one that kills its worker again is a row with the error
处理该文件的进程异常退出. On the process pool (where the documents swept along by another's death are not blamed)
and on a real Dask cluster alike.

The deaths come from a stand-in for ``audit_document`` patched into the runner here (the worker processes are
forked from, or import, this module): production code has no hook for them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import dask
import pytest
from distributed import LocalCluster

from deptbudget.audit import runner
from deptbudget.audit.engines import DaskCluster, Engine, ProcessPool
from deptbudget.audit.inputs import collect
from deptbudget.audit.runner import run_audit
from deptbudget.audit.worker import WORKER_DIED, audit_document
from tests.audit.conftest import FIXTURES, rows

ALWAYS = "第01局"  # kills every worker that takes it
ONCE = "第03局"  # kills the first worker that takes it, then reads well


def dying_audit(document: Any) -> Any:
    """``audit_document``, except that a worker taking the ALWAYS document (or the ONCE one, the first time) exits
    at once, as a process killed by the kernel does."""
    if ALWAYS in document.path:
        os._exit(9)
    marker = Path(document.path).with_suffix(".died")
    if ONCE in document.path and not marker.exists():
        marker.write_text("died once")
        os._exit(9)
    return audit_document(document)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "docs"
    out.mkdir()
    for index in range(6):
        shutil.copy(FIXTURES / "luohu-2020-seed.txt", out / f"2020年罗湖区第{index:02d}局部门预算.txt")
    return out


def _check(summary: runner.AuditSummary, folder: Path, once: bool = True) -> None:
    documents = rows(summary.documents_file)
    assert sorted(Path(r["path"]).name for r in documents) == sorted(p.name for p in folder.glob("*.txt"))
    failed = [r for r in documents if r["template"] is None]
    assert [Path(r["path"]).name for r in failed] == [f"2020年罗湖区{ALWAYS}部门预算.txt"]
    assert failed[0]["error"].startswith(WORKER_DIED)
    assert (folder / f"2020年罗湖区{ONCE}部门预算.died").exists() == once  # it died once, and its retry read it
    read = [r for r in documents if r["template"]]
    assert len(read) == 5 and all(r["error"] is None and r["grade"] for r in read)
    findings = rows(summary.findings_file)
    assert {f["path"] for f in findings} == {r["path"] for r in read}  # the retried document's findings too


def _run(folder: Path, tmp_path: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> runner.AuditSummary:
    monkeypatch.setattr(runner, "audit_document", dying_audit)
    return run_audit(collect([str(folder)]), tmp_path / "out", engine, batch=2)


def test_a_worker_that_dies_on_the_process_pool(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _check(_run(folder, tmp_path, ProcessPool(2), monkeypatch), folder)


def test_a_worker_that_dies_on_dask(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scheduler blames a task (KilledWorker) once it has killed allowed-failures + 1 workers (here 2, by
    default 4); the runner submits it once more, then records it. A worker is handed one task per thread
    (worker-saturation 1.0), so that a death sweeps along few others; those are rescheduled by the scheduler."""
    (folder / f"2020年罗湖区{ONCE}部门预算.txt").rename(folder / "2020年罗湖区第09局部门预算.txt")
    config = {"distributed.scheduler.allowed-failures": 1, "distributed.scheduler.worker-saturation": 1.0}
    with dask.config.set(config), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        summary = _run(folder, tmp_path, DaskCluster(cluster.scheduler_address), monkeypatch)
    _check(summary, folder, once=False)

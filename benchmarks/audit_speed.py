"""Speed of ``deptbudget audit``: pages/s with one worker and with two, and the Dask path against the process pool,
measured in one run on the same documents.

    .venv/bin/python -m benchmarks.audit_speed ../shared/real-docs [--limit N] [--workers 2]

Runs the audit loop (``deptbudget.audit.runner.run_audit``) three times into fresh temporary results folders:
in this process (``--workers 1``), on a process pool of N workers (``--workers N``) and on a Dask LocalCluster of N
worker processes with one thread each (``--scheduler``, the cluster started before the clock). Pages/s is the
pages read over the wall-clock seconds of the run, including each worker's start (loading rules and catalogs).
Prints the three rates and the ratios pool / one worker and Dask / pool; the issue's targets are ≥ 1.8 and
≥ 0.9 on a 2-core machine. Measured, printed, never asserted (the machine is shared: rates vary with its load).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from deptbudget.audit.engines import DaskCluster, Engine, InProcess, ProcessPool
from deptbudget.audit.inputs import collect
from deptbudget.audit.progress import Progress
from deptbudget.audit.runner import AuditSummary, run_audit


def measure(name: str, documents: list, engine: Engine) -> AuditSummary:
    with tempfile.TemporaryDirectory(prefix="audit-speed-") as folder:
        progress = Progress(len(documents), stream=sys.stderr, every=30)
        summary = run_audit(documents, Path(folder), engine, progress)
    rate = summary.pages / summary.seconds if summary.seconds else 0.0
    load = os.getloadavg()[0]  # other users of the machine: with load ≥ CPUs, a second worker gains nothing
    print(f"{name:<28} {summary.audited:4d} 个文件 {summary.pages:6d} 页 {summary.seconds:8.1f} 秒 {rate:7.2f} 页/秒"
          f"  (负载 load {load:.1f})", flush=True)
    return summary


def _rate(summary: AuditSummary) -> float:
    return summary.pages / summary.seconds if summary.seconds else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, metavar="DIR")
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N documents")
    parser.add_argument("--workers", type=int, default=2, metavar="N", help="processes of the pool and the cluster")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"错误：不是目录 (not a folder): {args.folder}", file=sys.stderr)
        return 2
    documents = collect([str(args.folder)])[: args.limit]
    print(f"{len(documents)} 个文件，{os.cpu_count()} 个 CPU，负载 {os.getloadavg()[0]:.1f} (documents, CPUs, load)")
    one = measure("--workers 1 (in process)", documents, InProcess())
    pool = measure(f"--workers {args.workers} (process pool)", documents, ProcessPool(args.workers))
    from distributed import LocalCluster

    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        dask = measure(f"--scheduler ({args.workers} Dask workers)", documents, DaskCluster(cluster.scheduler_address))
    print(f"进程池 / 单进程 (pool / one worker): {_rate(pool) / _rate(one):.2f}×  (目标 target ≥ 1.8)")
    print(f"Dask / 进程池 (Dask / pool):          {_rate(dask) / _rate(pool):.2f}×  (目标 target ≥ 0.9)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

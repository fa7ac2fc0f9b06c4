"""Speed of ``deptbudget audit``: pages/s with one worker and with two, and the Dask path against the process pool,
measured in one run on the same documents.

    .venv/bin/python -m benchmarks.audit_speed ../shared/real-docs [--limit N] [--workers 2]

Runs the audit loop (``deptbudget.audit.runner.run_audit``) three times into fresh temporary results folders:
in this process (``--workers 1``), on a process pool of N workers (``--workers N``) and on a Dask LocalCluster of N
worker processes with one thread each (``--scheduler``, the cluster started before the clock, configured as
``AUDIT_CLUSTER``; the audit's worker plugin loads the rules and catalogs on each worker as it connects, before
the clock, and ``warm`` has each worker audit the first document before the clock, as the pool's workers fork
warm from the in-process run). Pages/s is the
pages read over the wall-clock seconds of the run (the pool's workers are forked inside it).
Prints the three rates and the ratios pool / one worker and Dask / pool; the issue's targets are ≥ 1.8 and
≥ 0.9 on a 2-core machine. Measured, printed, never asserted (the machine is shared: rates vary with its load).

Beside the wall-clock, each run's CPU seconds — this process and every process under it (pool workers, Dask
workers), sampled twice a second while they live — and pages per CPU-second: on a machine others keep busy the
wall-clock ratio says how much of the machine was free, the CPU ratio what each path costs (its overhead).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
from pathlib import Path

import psutil

from deptbudget.audit.engines import DaskCluster, Engine, InProcess, ProcessPool
from deptbudget.audit.inputs import AuditDocument, collect
from deptbudget.audit.progress import Progress
from deptbudget.audit.runner import AuditSummary, run_audit


class CpuMeter:
    """CPU seconds of this process and of every process under it, from when started: the descendants are
    sampled every ``every`` seconds (a process that ends keeps the last value seen)."""

    def __init__(self, every: float = 0.5) -> None:
        self.every = every
        self.me = psutil.Process()
        self.seen: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.seconds = 0.0

    def _sample(self) -> None:
        for child in self.me.children(recursive=True):
            try:
                times = child.cpu_times()
            except psutil.Error:
                continue
            self.seen[child.pid] = times.user + times.system

    def _run(self) -> None:
        while not self.stop.wait(self.every):
            self._sample()

    def __enter__(self) -> CpuMeter:
        self._sample()
        self.before = dict(self.seen)  # workers already running (a Dask cluster started before the clock)
        mine = self.me.cpu_times()
        self.mine = mine.user + mine.system
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        mine = self.me.cpu_times()
        self.seconds = mine.user + mine.system - self.mine + sum(
            cpu - self.before.get(pid, 0.0) for pid, cpu in self.seen.items())


CPU: dict[str, float] = {}  # CPU seconds of each run, by name
# A cluster started for auditing, as docs/audit.md advises (DASK_DISTRIBUTED__… for ``dask scheduler`` and
# ``dask worker``): no statistical profiler, the event-loop health check every 200 ms instead of 20 ms. Here it
# applies to the scheduler and the nannies, which run in this process; the workers are quieted by the audit's own
# worker plugin (``deptbudget.audit.dask_worker``) whatever their configuration.
AUDIT_CLUSTER = {"distributed.worker.profile.enabled": False, "distributed.admin.tick.interval": "200ms"}


def measure(name: str, documents: list, engine: Engine) -> AuditSummary:
    with tempfile.TemporaryDirectory(prefix="audit-speed-") as folder, CpuMeter() as cpu:
        progress = Progress(len(documents), stream=sys.stderr, every=30)
        summary = run_audit(documents, Path(folder), engine, progress)
    rate = summary.pages / summary.seconds if summary.seconds else 0.0
    load = os.getloadavg()[0]  # other users of the machine: with load ≥ CPUs, a second worker gains nothing
    CPU[name] = cpu.seconds
    print(f"{name:<28} {summary.audited:4d} 个文件 {summary.pages:6d} 页 {summary.seconds:8.1f} 秒 {rate:7.2f} 页/秒"
          f"  CPU {cpu.seconds:7.1f} 秒 {summary.pages / max(cpu.seconds, 0.001):6.2f} 页/CPU秒"
          f"  (负载 load {load:.1f})", flush=True)
    return summary


def warm(engine: DaskCluster, document: AuditDocument) -> None:
    """Each Dask worker audits one document before the clock: the pool's workers fork from this process, warm
    from the in-process run (modules, PDF font maps and caches filled on first use); a Dask worker is a fresh
    interpreter that would otherwise warm up on the clock — a cost per worker, not per document."""
    from deptbudget.audit.worker import audit_document

    client = engine.client
    client.gather([client.submit(audit_document, document, workers=[address], allow_other_workers=False, pure=False)
                   for address in client.scheduler_info()["workers"]])


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
    from dask import config as dask_config
    from distributed import LocalCluster

    with dask_config.set(AUDIT_CLUSTER), LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                                                      dashboard_address=None) as cluster:
        engine = DaskCluster(cluster.scheduler_address)
        warm(engine, documents[0])
        dask = measure(f"--scheduler ({args.workers} Dask workers)", documents, engine)
    print(f"进程池 / 单进程 (pool / one worker): {_rate(pool) / _rate(one):.2f}×  (目标 target ≥ 1.8)")
    print(f"Dask / 进程池 (Dask / pool):          {_rate(dask) / _rate(pool):.2f}×  (目标 target ≥ 0.9)")
    one_cpu, pool_cpu, dask_cpu = CPU.values()
    print(f"CPU 秒 (CPU seconds): 单进程 {one_cpu:.0f}，进程池 {pool_cpu:.0f}（{pool_cpu / one_cpu:.2f}×），"
          f"Dask {dask_cpu:.0f}（{dask_cpu / pool_cpu:.2f}× 进程池）")
    return 0


if __name__ == "__main__":
    sys.exit(main())

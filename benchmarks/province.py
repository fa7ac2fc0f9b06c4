"""A simulated province (issue 17): N synthetic budget documents audited with ``deptbudget audit --workers 2``,
with the peak memory of every worker process, to show memory bounded whatever N, and the per-document costs by
format to extrapolate to 300,000 documents on a cluster.

    .venv/bin/python -m benchmarks.province DIR --documents 2000 [--distinct 100] [--pdf-share 0.05] [--workers 2]
    .venv/bin/python -m benchmarks.province DIR --documents 2000 --also 200    # and a first run of N/10
    nice -n 19 .venv/bin/python -m benchmarks.province DIR --documents 20000 --until 14:10   # as many as fit

Documents: ``--distinct`` budgets of ``benchmarks.synthetic`` (two fiscal years, 2020 and 2021) are computed and
rendered — XLSX (the cheap format), and PDF for a ``--pdf-share`` of them — into DIR/pool; the N documents of the
province are hard links to them, spread over 100 districts (``NNN_区县NNN/``, one department each), listed in
DIR/manifest-N.csv with their locality, department, year and kind. The audit imports, checks and reviews each
as a document of its own (nothing is cached between documents); only the generation is shared.

Run: ``deptbudget audit --manifest … -o DIR/results-N --workers W`` in a child process under ``nice -n 10``;
every second the /proc of its process tree is read for each process's peak resident memory (VmHWM). Prints the
wall-clock, documents/s, the peak of the main process and of each worker, the mean seconds per document by
format (the workers' ``seconds`` of documents.parquet), and the extrapolated wall-clock for 300,000 documents
(the same mix) on 100 cores: their total worker-seconds / 100. Measured, printed, never asserted.

``--until HH:MM`` (UTC) interrupts the audit then (Ctrl-C: the batch in hand is written) and reports on the
documents done, read from the results' parts. Every ``--sample`` seconds the resident memory (VmRSS) of each
process and the documents done so far go to DIR/memory-N.csv; the report prints each worker's resident memory
early, midway and at the end of the run, so that memory flat over thousands of documents shows (or does not).
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

DISTRICTS = 100
YEARS = (2020, 2021)
PROVINCE = 20_000
NATIONAL = 300_000
CORES = 100


def make_pool(folder: Path, distinct: int, pdf_share: float) -> list[tuple[Path, int]]:
    """The distinct documents (path, year), made once; an existing pool is reused."""
    from benchmarks.synthetic import generate_budget
    from deptbudget.compute.disclosure import compute_disclosure
    from deptbudget.render.pdf import write_pdf
    from deptbudget.render.xlsx import write_xlsx

    folder.mkdir(parents=True, exist_ok=True)
    every_pdf = max(1, round(1 / pdf_share)) if pdf_share > 0 else 0
    pool = []
    for index in range(distinct):
        year = YEARS[index % len(YEARS)]
        pdf = bool(every_pdf) and index % every_pdf == every_pdf - 1
        path = folder / f"{index:05d}-{year}.{'pdf' if pdf else 'xlsx'}"
        if not path.exists():
            disclosure = compute_disclosure(generate_budget(10_000 + index, year=year))
            (write_pdf(disclosure, path, charts=False) if pdf else write_xlsx(disclosure, path))
        pool.append((path, year))
    return pool


def make_province(folder: Path, pool: list[tuple[Path, int]], documents: int) -> Path:
    """N documents as hard links into the pool, one district folder each, and their manifest."""
    manifest = folder / f"manifest-{documents}.csv"
    with manifest.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["path", "locality", "entity", "year", "kind"])
        for index in range(documents):
            source, year = pool[index % len(pool)]
            district = index % DISTRICTS
            target = folder / "docs" / f"{district:03d}_区县{district:03d}" / f"{index:06d}{source.suffix}"
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.link(source, target)
            writer.writerow([str(target.relative_to(folder)), f"区县{district:03d}", f"部门{index:06d}", year, "预算"])
    return manifest


def _tree(root: int) -> list[int]:
    """The process and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _status_kib(pid: int, field: str) -> int | None:
    """A memory field of /proc/PID/status in KiB (``VmHWM`` the peak resident, ``VmRSS`` the resident now)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _done(results: Path) -> int:
    """Documents done so far: the rows of the documents parts (read from their footers only)."""
    import pyarrow.parquet as pq

    total = 0
    for part in (results / "parts").glob("documents-*.parquet"):
        try:
            total += pq.ParquetFile(part).metadata.num_rows
        except OSError:
            continue
    return total


def _deadline(until: str | None) -> float | None:
    """``HH:MM`` (UTC, today) as seconds of ``time.time``; None without."""
    if not until:
        return None
    hour, minute = (int(part) for part in until.split(":"))
    return datetime.now(UTC).replace(hour=hour, minute=minute, second=0, microsecond=0).timestamp()


def audit(folder: Path, manifest: Path, workers: int, until: float | None = None,
          sample: float = 30) -> dict[str, Any]:
    label = manifest.stem.removeprefix("manifest-")
    results = folder / f"results-{label}"
    command = ["nice", "-n", "10", sys.executable, "-m", "deptbudget.cli", "audit", "--manifest", str(manifest),
               "-o", str(results), "--workers", str(workers)]
    started = time.perf_counter()
    cpu_before = os.times()
    # SIGINT as a terminal gives it, even when this benchmark runs in the background (where it is ignored, and
    # Python would then not turn it into KeyboardInterrupt): --until interrupts the audit with it
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.default_int_handler))
    peaks: dict[int, int] = {}
    samples = folder / f"memory-{label}.csv"
    sampled, interrupted = 0.0, False
    with samples.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["seconds", "documents", "pid", "rss_kib"])
        while process.poll() is None:
            now = time.perf_counter()
            pids = _tree(process.pid)
            for pid in pids:
                peak = _status_kib(pid, "VmHWM")
                if peak is not None:
                    peaks[pid] = max(peak, peaks.get(pid, 0))
            if now - sampled >= sample:
                sampled, done = now, _done(results)
                for pid in pids:
                    rss = _status_kib(pid, "VmRSS")
                    if rss is not None:
                        writer.writerow([round(now - started), done, pid, rss])
                handle.flush()
            if until is not None and not interrupted and time.time() >= until:
                process.send_signal(signal.SIGINT)  # Ctrl-C: the batch in hand is written, the pool shut down
                interrupted = True
            time.sleep(1)
    seconds = time.perf_counter() - started
    cpu_after = os.times()
    cpu = (cpu_after.children_user - cpu_before.children_user) + (cpu_after.children_system
                                                                   - cpu_before.children_system)
    out = (process.stdout.read() if process.stdout else "").strip()
    main_peak = peaks.pop(process.pid, 0)  # `nice` execs the Python process: the child is the main process
    return {"results": results, "seconds": seconds, "cpu": cpu, "peaks": peaks, "main": main_peak, "out": out,
            "samples": samples, "main_pid": process.pid, "interrupted": interrupted}


def memory_over_run(samples: Path, main_pid: int) -> list[str]:
    """Each process's resident memory (MiB) at the first sample after its first batch, midway and at the end,
    with the documents done then: flat when it does not grow with the documents."""
    by_pid: dict[int, list[tuple[int, int]]] = {}
    with samples.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if int(row["documents"]) > 0:
                by_pid.setdefault(int(row["pid"]), []).append((int(row["documents"]), int(row["rss_kib"])))
    out = []
    for pid, points in sorted(by_pid.items(), key=lambda item: -max(r for _, r in item[1])):
        if max(r for _, r in points) < 50 * 1024:  # `nice`, the resource tracker: not the audit's processes
            continue
        first, middle, last = points[0], points[len(points) // 2], points[-1]
        role = "main" if pid == main_pid else "worker"
        out.append(f"{role} {pid}: {round(first[1] / 1024)} MiB at {first[0]} documents, "
                   f"{round(middle[1] / 1024)} MiB at {middle[0]}, {round(last[1] / 1024)} MiB at {last[0]} "
                   f"(median {round(statistics.median(r for _, r in points) / 1024)} MiB, {len(points)} samples)")
    return out


def report(run: dict[str, Any], documents: int) -> None:
    """The run's wall-clock, CPU and memory; per format, the documents' share of the CPU (the CPU of the
    workers split as their wall-clock seconds per document are: the machine is shared, so a document's own
    wall-clock is longer than its CPU) and the extrapolation to 300,000 documents on 100 cores."""
    results = run["results"]
    whole = (results / "documents.parquet").exists()  # an interrupted run: its parts
    where = {kind: str(results / f"{kind}.parquet") if whole else str(results / "parts" / f"{kind}-*.parquet")
             for kind in ("documents", "lines")}
    rows = duckdb.sql(
        f"SELECT regexp_extract(path, '\\.([a-z]+)$', 1) AS format, count(*), count(template), sum(pages), "
        f"sum(seconds) FROM read_parquet('{where['documents']}') GROUP BY 1 ORDER BY 1").fetchall()
    (lines,), = duckdb.sql(f"SELECT count(*) FROM read_parquet('{where['lines']}')").fetchall()
    if run.get("interrupted"):
        print(f"N = {documents}: 到时中断 (interrupted at --until), {sum(r[1] for r in rows)} 个文件已完成")
        documents = sum(r[1] for r in rows)
    workers = sorted(run["peaks"].values(), reverse=True)
    seconds, cpu = run["seconds"], run["cpu"]
    print(f"N = {documents}: {seconds:.0f} 秒 wall-clock, {documents / seconds:.2f} 文件/秒, CPU {cpu / 60:.1f} 分钟 "
          f"({cpu / documents:.3f} CPU 秒/文件), {lines} 行预算明细 (负载 load {os.getloadavg()[0]:.1f})")
    print(f"  峰值内存 peak RSS (MiB): 主进程 main {round(run['main'] / 1024)}, "
          f"工作进程等 workers and helpers {[round(p / 1024) for p in workers[:6]]}")
    wall = sum(float(r[4] or 0) for r in rows) or 1.0
    for fmt, count, read, pages, total in rows:
        share = cpu * float(total or 0) / wall
        print(f"  {fmt:>5}: {count} 个文件, 读入 {read}, {pages or 0} 页, ≈ {share / count:.3f} CPU 秒/文件")
    for count in (PROVINCE, NATIONAL):
        hours = count * cpu / documents / CORES / 3600
        print(f"  外推 extrapolated: {count} 个文件 × {cpu / documents:.3f} CPU 秒 / {CORES} 核 ≈ {hours:.2f} 小时 "
              f"(this mix of formats)")
    for line in memory_over_run(run["samples"], run["main_pid"]):
        print(f"  内存 RSS {line}")
    print(f"  {run['out']}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, metavar="DIR")
    parser.add_argument("--documents", type=int, default=2000, metavar="N")
    parser.add_argument("--also", type=int, default=None, metavar="N", help="a first run of this many (N/10)")
    parser.add_argument("--distinct", type=int, default=100, metavar="K")
    parser.add_argument("--pdf-share", type=float, default=0.05, metavar="SHARE")
    parser.add_argument("--workers", type=int, default=2, metavar="W")
    parser.add_argument("--until", default=None, metavar="HH:MM", help="interrupt the audit then (UTC)")
    parser.add_argument("--sample", type=float, default=30, metavar="S", help="seconds between memory samples")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    pool = make_pool(args.folder / "pool", args.distinct, args.pdf_share)
    print(f"{len(pool)} 个不同文件 (distinct documents) made in {time.perf_counter() - started:.0f} s", flush=True)
    for documents in [n for n in (args.also, args.documents) if n]:
        manifest = make_province(args.folder, pool, documents)
        report(audit(args.folder, manifest, args.workers, _deadline(args.until), args.sample), documents)
    return 0


if __name__ == "__main__":
    sys.exit(main())

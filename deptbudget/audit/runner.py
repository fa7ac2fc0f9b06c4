"""The audit loop: the documents not yet done go to the engine, a window at a time; their rows are written
in batches (a part per batch, see ``results``); the progress bar follows. Killed, the rows of the batch in
hand are lost only if the kill is not an interrupt (Ctrl-C writes them first); they are audited again on
restart, never written twice. A document whose worker process died is tried once more in a fresh worker
(``Engine.retry``); dying again, it is a row with the error 处理该文件的进程异常退出 — never lost silently. On
a process pool a dead worker fails every document then in flight, so none of them is blamed for it: each is
run alone in a fresh process, where a death is its own (a document that kills its own process is run alone
once more, then recorded). On Dask the scheduler names the document (``KilledWorker``, once it has killed
``allowed-failures`` + 1 workers): it is submitted once more, then recorded.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from deptbudget.audit.engines import Engine
from deptbudget.audit.inputs import AuditDocument
from deptbudget.audit.pairs import NARRATIVE, Waiting
from deptbudget.audit.progress import Progress
from deptbudget.audit.results import ResultStore
from deptbudget.audit.worker import HALF, Rows, audit_document, audit_together, failed_rows

Job = tuple[AuditDocument, ...]  # one document, or the files of one disclosure read together
BATCH_DOCUMENTS = 50
BATCH_SECONDS = 60.0


@dataclass(frozen=True)
class AuditSummary:
    documents: int  # named in the inputs
    already: int  # done by an earlier run in the same results folder
    audited: int  # done by this run
    unreadable: int  # of this run's
    unreadable_total: int  # of all the results, earlier runs' included
    pages: int  # of this run's
    findings: int  # of this run's
    seconds: float  # wall-clock of this run
    documents_file: Path
    findings_file: Path
    lines_file: Path | None = None  # the budget lines of the documents (deptbudget.rollup)


def run_audit(documents: list[AuditDocument], output: Path, engine: Engine, progress: Progress | None = None,
              batch: int = BATCH_DOCUMENTS, batch_seconds: float = BATCH_SECONDS) -> AuditSummary:
    started = time.perf_counter()
    try:
        store = ResultStore(output)
    except Exception:
        engine.close()
        raise
    todo = [d for d in documents if d.path not in store.done]
    already = len(documents) - len(todo)
    progress = progress or Progress(len(documents), already)
    rows: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    counts = {"audited": 0, "unreadable": 0, "pages": 0, "findings": 0}
    flushed = time.monotonic()

    def take(row: dict[str, Any], found: list[dict[str, Any]], budget_lines: list[dict[str, Any]]) -> None:
        rows.append(row)
        findings.extend(found)
        lines.extend(budget_lines)
        counts["audited"] += 1 + (len(row["paired_with"].split(" + ")) if row.get("paired_with") else 0)
        counts["unreadable"] += row["template"] is None
        counts["pages"] += row["pages"] or 0
        counts["findings"] += len(found)
        progress.update(row)

    pending: dict[Any, Job] = {}
    alone: set[Any] = set()  # futures of documents run alone, in a worker of their own
    deaths: dict[Job, int] = {}  # per job, the deaths of workers it is known to have caused
    halves = Waiting()  # halves of a two-file disclosure waiting for the other (bounded: pairs.Waiting)
    paired: dict[Job, list[Rows]] = {}  # a pair being read together → each half's rows as read alone

    def launch(job: Job, retry: bool = False) -> None:
        fn, arg = (audit_document, job[0]) if len(job) == 1 else (audit_together, job)
        future = engine.retry(fn, arg) if retry else engine.submit(fn, arg)
        pending[future] = job
        if retry:
            alone.add(future)

    def result(job: Job, done: Rows) -> None:
        """A job's rows: taken, or — one half of a two-file disclosure — held until its other half comes."""
        half = done[0].pop(HALF, None)
        if len(job) > 1:
            singles = paired.pop(job)
            if done[0]["template"] is None:  # not readable together: each half as read alone
                for single in singles:
                    take(*single)
                return
        elif half is not None:
            other = halves.take_partner(half)
            if other is None:
                for _, _, leaving in halves.add((half, job[0], done)):  # waited long enough: a document alone
                    take(*leaving)
                return
            first, second = sorted([(half, job[0], done), other], key=lambda h: h[0].side != NARRATIVE)
            pair = (first[1], second[1])
            paired[pair] = [first[2], second[2]]
            launch(pair)
            return
        take(*done)

    try:
        queue = iter(todo)
        for document in queue:
            launch((document,))
            if len(pending) >= engine.window:
                break
        while pending:
            done, _ = engine.wait_first(set(pending))
            for future in done:
                job = pending.pop(future)
                ran_alone = future in alone
                alone.discard(future)
                try:
                    rows_of_job = future.result()
                except Exception as exc:  # the worker died (audit_document itself never raises)
                    if ran_alone or not engine.isolates:  # on a shared pool every document in flight fails
                        deaths[job] = deaths.get(job, 0) + 1
                    if deaths.get(job, 0) < 2:  # once more, in a fresh worker; it keeps its place in the window
                        launch(job, retry=True)
                        continue
                    if len(job) > 1:  # a pair: each half as read alone
                        for single in paired.pop(job):
                            take(*single)
                    else:
                        take(*failed_rows(job[0], exc))
                else:
                    result(job, rows_of_job)
                following = next(queue, None)
                if following is not None:
                    launch((following,))
            if len(rows) >= batch or (rows and time.monotonic() - flushed >= batch_seconds):
                store.write_batch(rows, findings, lines)
                rows, findings, lines, flushed = [], [], [], time.monotonic()
        for _, _, alone_rows in halves:  # halves whose other half never came: each a document of its own
            take(*alone_rows)
    finally:
        store.write_batch(rows, findings, lines)  # on Ctrl-C too: what is done is kept
        engine.close()
        progress.close()
    documents_file, findings_file, lines_file = store.finish()
    unreadable_total = pq.read_table(documents_file, columns=["template"]).column("template").null_count
    return AuditSummary(len(documents), already, counts["audited"], counts["unreadable"], unreadable_total,
                        counts["pages"],
                        counts["findings"], round(time.perf_counter() - started, 3), documents_file, findings_file,
                        lines_file)

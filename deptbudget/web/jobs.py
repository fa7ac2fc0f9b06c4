"""Background jobs of the web system (issue 15): the full check of a budget after a save,
publishing (the check and every format rendered), and an uploaded file read, checked and saved. A
request records what is wanted and answers at once; the budget page shows 检查中… / 公开中… / 上传的文件
读取中… and the result when it is there.

- The CPU-heavy part (loading, computing, the rules, rendering) runs in a process pool owned by the
  app: ``Settings.job_processes`` worker processes, 1 by default — on 2 cores the other core serves
  the requests (Python runs one thread at a time, so the same work on a thread of the server would
  make every request wait behind it). 0 runs it on the job thread (tests that patch the computation).
- Two job threads in the server wait on the pool and write the results in short transactions.
- Every job that runs is a row of ``jobs`` (state, progress, the failure's message, the result), so
  a restart keeps what became of it. A job left queued or running by a server that died is marked
  failed when the next one starts: its transaction never committed, so nothing is half written.
- Checks are coalesced per budget: a save while the check of the same budget waits replaces it (only
  the newest source is checked). Results are kept by the source's SHA-256, in memory
  (``services.SUMMARY_CACHE``) and in the job's row (``stored_check``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from deptbudget.sources.errors import Problem
from deptbudget.store.models import Budget, Job, User, utcnow
from deptbudget.web import budget_files, services
from deptbudget.web import workflow as wf
from deptbudget.web.password_pool import lower_priority

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
ACTIVE = (QUEUED, RUNNING)
CHECK, PUBLISH, UPLOAD = "check", "publish", "upload"
STATE_LABELS = {QUEUED: "排队中", RUNNING: "进行中", DONE: "已完成", FAILED: "失败"}
# The worker processes run at a lower scheduling priority: on a busy machine the requests (saves,
# public pages) get the CPU first and a background check or publication takes a little longer.
WORKER_NICE = 10
INTERRUPTED = "服务器重启，任务中断（没有写入任何结果），请重新操作。"
T = TypeVar("T")


def start_worker(nice: int, server: int, every: float = 1.0) -> None:
    """A worker process at a lower priority (``nice``) that ends when the server process ``server``
    is gone: a server stopped without shutting its pool down (SIGTERM, kill -9) would otherwise
    leave it behind, holding the server's output pipes open."""
    lower_priority(nice)

    def watch() -> None:
        while os.getppid() == server:
            time.sleep(every)
        os._exit(0)

    threading.Thread(target=watch, name="deptbudget-parent-watch", daemon=True).start()


class JobFailed(Exception):
    """A job that could not finish, with the message shown on the page."""


@dataclass(frozen=True)
class _CheckWanted:
    text: str
    fmt: str
    filename: str


class JobRunner:
    """The app's job threads and worker processes (``app.state.jobs``)."""

    def __init__(self, sessions: sessionmaker[Session], workflow: wf.Workflow, processes: int = 1,
                 published: Callable[[], None] | None = None) -> None:
        self.sessions, self.workflow, self.processes, self.published = sessions, workflow, processes, published
        self._threads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="deptbudget-job")
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._wanted: dict[int, _CheckWanted] = {}  # budget id → the newest source to check
        self._checking: set[int] = set()  # budgets whose checks are queued or running
        self._futures: set[Future[Any]] = set()
        self._recover()

    # --- the worker processes --------------------------------------------------------------------

    def compute(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in a worker process (a module-level function; its result is pickled back)."""
        if self.processes <= 0:
            return fn(*args)
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=start_worker, initargs=(WORKER_NICE, os.getpid()))
            pool = self._pool
        try:
            return pool.submit(fn, *args).result()
        except BrokenProcessPool:
            with self._lock:
                if self._pool is pool:
                    self._pool = None
            raise JobFailed("后台计算进程意外退出（内存不足或被终止），没有写入任何结果，请重试。") from None

    def shutdown(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def _submit(self, fn: Callable[..., None], *args: Any) -> None:
        future = self._threads.submit(fn, *args)
        with self._lock:
            self._futures.add(future)
        future.add_done_callback(self._forget)

    def _forget(self, future: Future[Any]) -> None:
        with self._lock:
            self._futures.discard(future)

    def wait(self, timeout: float) -> bool:
        """Wait at most ``timeout`` seconds for every job in hand to finish; True when they did."""
        with self._lock:
            futures = list(self._futures)
        return not wait_futures(futures, timeout=timeout).not_done if futures else True

    def _recover(self) -> None:
        """Jobs a previous server left queued or running: failed, with the reason."""
        with self.sessions() as db, db.begin():
            db.execute(update(Job).where(Job.state.in_(ACTIVE))
                       .values(state=FAILED, message=INTERRUPTED, finished_at=utcnow()))

    def prepare_parts(self, budget: Budget) -> None:
        """``services.prepare_parts`` of the budget's source on a job thread (the edit form is answered
        meanwhile), unless its parts are kept already."""
        text, fmt = budget.source, budget.source_format
        if services.parts_wanted(text, fmt):
            self._submit(services.prepare_parts, text, fmt)

    # --- checks ----------------------------------------------------------------------------------

    def request_check(self, budget: Budget) -> None:
        """Check the budget's current source in the background, unless that is known already."""
        text, fmt = budget.source, budget.source_format
        if services.known_check(text, fmt) is not None:
            return
        with self._lock:
            self._wanted[budget.id] = _CheckWanted(text, fmt, services.source_filename(budget))
            if budget.id in self._checking:
                return  # the budget's check thread takes the newest source next
            self._checking.add(budget.id)
        self._submit(self._drain_checks, budget.id)

    def checking(self, budget_id: int) -> bool:
        with self._lock:
            return budget_id in self._checking

    def _drain_checks(self, budget_id: int) -> None:
        while True:
            with self._lock:
                wanted = self._wanted.pop(budget_id, None)
                if wanted is None:
                    self._checking.discard(budget_id)
                    return
            if services.known_check(wanted.text, wanted.fmt) is None:
                try:
                    self._run_check(budget_id, wanted)
                except Exception:  # a failed check is recorded; the thread goes on with the next
                    log.exception("background check of budget %s", budget_id)

    def _run_check(self, budget_id: int, wanted: _CheckWanted) -> None:
        digest = services.source_key(wanted.text, wanted.fmt)[1]
        job_id = self._start(CHECK, budget_id, digest, "检查整份预算（源数据、计算、规则）")
        try:
            summary = self.compute(services.check_summary, wanted.text, wanted.fmt, wanted.filename)
        except JobFailed as exc:
            self._finish(job_id, FAILED, message=str(exc))
            return
        except Exception as exc:
            log.exception("check job %s", job_id)
            self._finish(job_id, FAILED, message=f"检查失败：{type(exc).__name__}: {exc}")
            return
        services.remember_check(wanted.text, wanted.fmt, summary)
        self._finish(job_id, DONE, result=summary, drop_older=True)

    # --- publishing ------------------------------------------------------------------------------

    def start_publish(self, job_id: int) -> None:
        self._submit(self._run_publish, job_id)

    def _run_publish(self, job_id: int) -> None:
        try:
            with self.sessions() as db, db.begin():
                started = _started(db, job_id, "检查预算并生成 HTML、XLSX、PDF、DOCX、JSON 文件")
                if started is None:
                    return
                job, budget = started
                args = (budget.source, budget.source_format, services.source_filename(budget),
                        budget.unit.department.name)
            publication = self.compute(services.build_publication, *args)
            with self.sessions() as db, db.begin():
                job, budget, user = _owned(db, job_id, "发起公开的账户已不存在。")
                params = json.loads(job.params_json)
                version = services.store_publication(db, budget, user, params.get("version"), params.get("note", ""),
                                                     publication, self.workflow)
                db.flush()
                result = {"number": version.number, "content_hash": version.content_hash,
                          "url": f"/budgets/{budget.fiscal_year}/{budget.unit.code}/v{version.number}"}
                job.state, job.finished_at, job.progress = DONE, utcnow(), ""
                job.result_json = json.dumps(result, ensure_ascii=False)
        except services.ServiceError as exc:
            self._finish(job_id, FAILED, message=_refusal_text(exc))
            return
        except JobFailed as exc:
            self._finish(job_id, FAILED, message=str(exc))
            return
        except Exception as exc:
            log.exception("publish job %s", job_id)
            self._finish(job_id, FAILED, message=f"公开失败，没有写入任何结果：{type(exc).__name__}: {exc}")
            return
        if self.published is not None:
            self.published()

    # --- uploads ---------------------------------------------------------------------------------

    def start_upload(self, job_id: int, data: bytes) -> None:
        """Read, check and save the uploaded file of the job (its bytes are kept in memory only: a
        server that dies meanwhile leaves the job failed, and the person uploads again)."""
        self._submit(self._run_upload, job_id, data)

    def _run_upload(self, job_id: int, data: bytes) -> None:
        try:
            with self.sessions() as db, db.begin():
                started = _started(db, job_id, "读取并检查上传的文件")
                if started is None:
                    return
                job, budget = started
                params = json.loads(job.params_json)
                target = budget_files.UploadTarget.of(budget)
            read = self.compute(budget_files.read_upload_outcome, target, params["filename"], data)
            if read.refused:
                self._finish(job_id, FAILED, message=read.refused,
                             result={"status": read.status, "problems": problems_data(read.problems)})
                return
            with self.sessions() as db, db.begin():
                job, budget, user = _owned(db, job_id, "上传文件的账户已不存在。")
                digest = hashlib.sha256(data).hexdigest()
                changes = services.save_source(db, budget, user, read.text, read.fmt, params.get("version"),
                                               action="upload",
                                               comment=f"上传 {params['filename']}（SHA-256 {digest[:16]}…）")
                job.state, job.finished_at, job.progress = DONE, utcnow(), ""
                job.source_sha256 = services.source_key(read.text, read.fmt)[1]
                job.result_json = json.dumps({"changes": len(changes), "problems": problems_data(read.problems)},
                                             ensure_ascii=False)
        except services.ConflictError as exc:
            self._finish(job_id, FAILED, message=exc.message + "（请重新上传该文件。）", result={"status": 409})
        except StaleDataError:
            self._finish(job_id, FAILED, message="保存冲突：他人刚刚修改了这份预算。您的文件没有保存，请重新上传。",
                         result={"status": 409})
        except JobFailed as exc:
            self._finish(job_id, FAILED, message=str(exc), result={"status": 503})
        except Exception as exc:
            log.exception("upload job %s", job_id)
            self._finish(job_id, FAILED, message=f"上传的文件未能处理，预算没有任何改动：{type(exc).__name__}: {exc}",
                         result={"status": 500})

    # --- rows ------------------------------------------------------------------------------------

    def _start(self, kind: str, budget_id: int, digest: str, progress: str) -> int:
        with self.sessions() as db, db.begin():
            job = Job(kind=kind, budget_id=budget_id, source_sha256=digest, state=RUNNING, progress=progress,
                      created_by="system", started_at=utcnow())
            db.add(job)
            db.flush()
            return job.id

    def _finish(self, job_id: int, state: str, message: str = "", result: dict[str, Any] | None = None,
                drop_older: bool = False) -> None:
        with self.sessions() as db, db.begin():
            job = db.get(Job, job_id)
            if job is None:
                return
            job.state, job.message, job.progress, job.finished_at = state, message, "", utcnow()
            if result is not None:
                job.result_json = json.dumps(result, ensure_ascii=False)
            if drop_older:  # a budget keeps the newest check only
                db.execute(delete(Job).where(Job.kind == job.kind, Job.budget_id == job.budget_id, Job.id < job.id,
                                             Job.state.not_in(ACTIVE)))


def _started(db: Session, job_id: int, progress: str) -> tuple[Job, Budget] | None:
    """The job and its budget, the job marked running with ``progress``; None when either is gone."""
    job = db.get(Job, job_id)
    budget = db.get(Budget, job.budget_id) if job is not None else None
    if job is None or budget is None:
        return None
    job.state, job.started_at, job.progress = RUNNING, utcnow(), progress
    return job, budget


def _owned(db: Session, job_id: int, gone: str) -> tuple[Job, Budget, User]:
    """The job, its budget and the person who started it (``JobFailed(gone)`` when that account is gone)."""
    job = db.get(Job, job_id)
    budget = db.get(Budget, job.budget_id) if job is not None else None
    if job is None or budget is None:
        raise JobFailed("预算或任务已不存在。")
    user = db.scalar(select(User).where(User.username == job.created_by))
    if user is None:
        raise JobFailed(gone)
    return job, budget, user


def _refusal_text(exc: services.ServiceError) -> str:
    text = exc.message
    if isinstance(exc, services.Refused):
        shown = [f"{p.place}：{p.message}" for p in exc.problems[:5]]
        shown += [f"[{f.rule}] {f.table} {f.row} {f.column}：{f.message}".replace("  ", " ") for f in exc.findings[:5]]
        if shown:
            text += "\n" + "\n".join(shown)
    return text


# --- what requests ask of the jobs ----------------------------------------------------------------


def queue_publish(db: Session, budget: Budget, user: User, expected_version: int | None, note: str,
                  workflow: wf.Workflow) -> Job:
    """The publish job's row (the caller commits, then ``JobRunner.start_publish``). Refused like a
    publication (403, 409) and while another publication of the budget is under way (a double click)."""
    services.publish_allowed(budget, user, expected_version, workflow)
    if latest(db, budget.id, PUBLISH, active_only=True) is not None:
        raise services.Refused("这份预算正在公开中，请稍候：完成后本页显示结果。")
    job = Job(kind=PUBLISH, budget_id=budget.id, state=QUEUED, progress="等待开始",
              source_sha256=services.source_key(budget.source, budget.source_format)[1],
              params_json=json.dumps({"version": expected_version, "note": note}, ensure_ascii=False),
              created_by=user.username)
    db.add(job)
    db.flush()
    return job


def queue_upload(db: Session, budget: Budget, user: User, filename: str, expected_version: int | None) -> Job:
    """The upload job's row (the caller commits, then ``JobRunner.start_upload``); refused while an
    earlier upload of the budget is still being read."""
    if latest(db, budget.id, UPLOAD, active_only=True) is not None:
        raise services.ConflictError("上一个上传的文件还在读取和检查中，请稍候：完成后本页显示结果。")
    job = Job(kind=UPLOAD, budget_id=budget.id, state=QUEUED, progress="等待开始",
              source_sha256=services.source_key(budget.source, budget.source_format)[1],
              params_json=json.dumps({"version": expected_version, "filename": filename[:200]}, ensure_ascii=False),
              created_by=user.username)
    db.add(job)
    db.flush()
    return job


def problems_data(problems: list[Problem]) -> list[dict[str, Any]]:
    return [dataclasses.asdict(p) for p in problems]


def problems_of(result: dict[str, Any]) -> list[Problem]:
    """The problems an upload job found (file, place, problem), from its result."""
    return [Problem(**p) for p in result.get("problems", []) if isinstance(p, dict)]


def latest(db: Session, budget_id: int, kind: str, active_only: bool = False) -> Job | None:
    query = select(Job).where(Job.budget_id == budget_id, Job.kind == kind)
    if active_only:
        query = query.where(Job.state.in_(ACTIVE))
    return db.scalar(query.order_by(Job.id.desc()).limit(1))


def stored_check(db: Session, budget: Budget) -> services.CheckResult | None:
    """The result of the newest background check of the budget's current source, from its row (after
    a restart, or made by another process), remembered in memory. A check that could not finish (its
    worker process died) is shown as its failure but not remembered: a submission checks again."""
    digest = services.source_key(budget.source, budget.source_format)[1]
    job = db.scalar(select(Job).where(Job.budget_id == budget.id, Job.kind == CHECK, Job.state.in_((DONE, FAILED)),
                                      Job.source_sha256 == digest).order_by(Job.id.desc()).limit(1))
    if job is None or job.message == INTERRUPTED:  # cut short by a restart: checked again
        return None
    if job.state == FAILED:
        return services.CheckResult(failure=job.message or "检查未能完成。")
    return services.remember_check(budget.source, budget.source_format, json.loads(job.result_json))


def result_of(job: Job) -> dict[str, Any]:
    return _json_object(job.result_json)


def params_of(job: Job) -> dict[str, Any]:
    return _json_object(job.params_json)


def _json_object(text: str | None) -> dict[str, Any]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}

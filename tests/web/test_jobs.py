"""Background jobs (issue 15, ``deptbudget.web.jobs``): a save returns before the full check of the
budget, whose result appears on the page afterwards; checks of one budget are coalesced; publishing
is a job that yields the same files as publishing at once; a job that fails — an exception, a worker
process that dies, a server killed in the middle — is left failed with its message and nothing half
written; a submission needs a full check of the current source."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from sqlalchemy import func, select

from deptbudget.store.documents import dump_document
from deptbudget.store.models import Budget, Job, PublishedVersion
from deptbudget.web import jobs, services
from deptbudget.web.app import Settings, create_app
from tests.web.conftest import Client, World, budget_row, clean_document
from tests.web.formdata import form_fields
from tests.web.test_form_size import post_fields
from tests.web.test_workflow import EXPLANATION

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """Results are kept by the source's SHA-256 across apps: each test starts without any."""
    for cache in (services.CHECK_CACHE, services.SUMMARY_CACHE):
        cache.clear()
    yield
    for cache in (services.CHECK_CACHE, services.SUMMARY_CACHE):
        cache.clear()


def in_thread_app(world: World, **settings: Any):  # type: ignore[no-untyped-def]
    """Jobs on the job thread (so the computation can be patched), pages not waiting for them."""
    return create_app(world.url, settings=Settings(upload_limit=256 * 1024, job_processes=0, **settings))


class Gate:
    """Wraps a function so that each call waits until ``open()``; counts the calls."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn, self.calls, self.opened = fn, [], threading.Event()

    def __call__(self, *args: Any) -> Any:
        self.calls.append(args)
        assert self.opened.wait(60), "the gate was never opened"
        return self.fn(*args)

    def open(self) -> None:
        self.opened.set()


def save_text(client: Client, budget_id: int, reason: str) -> Any:
    action = f"/work/budgets/{budget_id}/edit/text"
    fields = [(k, reason if k == "f.narrative.change_reason" else v)
              for k, v in form_fields(client.get(action).text, action)]
    return post_fields(client, action, fields)


def save_basic_amount(client: Client, budget_id: int, amount: str) -> Any:
    action = f"/work/budgets/{budget_id}/edit/basic"
    fields = [(k, amount if k == "r0.amount" else v) for k, v in form_fields(client.get(action).text, action)]
    return post_fields(client, action, fields)


def approve(app: Any, world: World, budget_id: int) -> Client:
    prep, dept, fin = Client(app, "prep_a"), Client(app, "dept_a"), Client(app, "finance")
    assert prep.act(budget_id, "submit", explanation=EXPLANATION).status_code == 303
    assert dept.act(budget_id, "approve").status_code == 303
    assert fin.act(budget_id, "approve").status_code == 303
    return fin


def test_a_save_returns_before_the_full_check_and_the_result_appears_afterwards(world, monkeypatch):  # type: ignore[no-untyped-def]
    app = in_thread_app(world)
    gate = Gate(services.check_summary)
    monkeypatch.setattr(services, "check_summary", gate)
    budget_id = world.budgets["A001"]
    client = Client(app, "prep_a")
    started = time.monotonic()
    response = save_text(client, budget_id, "因新增科普项目，预算增加。")
    assert response.status_code == 303 and time.monotonic() - started < 30
    page = client.get(f"/work/budgets/{budget_id}").text
    assert "正在后台检查整份预算" in page  # the flash of the save
    assert "检查中…" in page and "/status" in page  # and the page asks until it is done
    assert client.get(f"/work/budgets/{budget_id}/status").json()["checking"] is True
    assert gate.calls, "the check was started"
    gate.open()
    assert app.state.jobs.wait(60)
    status = client.get(f"/work/budgets/{budget_id}/status").json()
    assert status["checking"] is False
    summary = client.get(f"/work/budgets/{budget_id}").text.split('id="check-summary"', 1)[1].split("</div>", 1)[0]
    assert "检查中" not in summary and ("规则检查" in summary or "检查通过" in summary)
    with world.factory() as db:  # the result is stored with the source it belongs to
        job = db.scalar(select(Job).where(Job.budget_id == budget_id, Job.kind == jobs.CHECK))
        source = db.get(Budget, budget_id)
        assert job.state == jobs.DONE and job.source_sha256 == services.source_key(source.source, "yaml")[1]


def test_a_newer_save_supersedes_a_queued_check(world, monkeypatch):  # type: ignore[no-untyped-def]
    app = in_thread_app(world)
    gate = Gate(services.check_summary)
    monkeypatch.setattr(services, "check_summary", gate)
    budget_id = world.budgets["A001"]
    client = Client(app, "prep_a")
    for n in range(4):
        assert save_text(client, budget_id, f"第 {n} 次保存。").status_code == 303
    gate.open()
    assert app.state.jobs.wait(60)
    newest = budget_row(world, budget_id).source
    assert len(gate.calls) == 2  # the first save's check, then only the newest of the three waiting
    assert gate.calls[-1][0] == newest
    assert services.known_check(newest, "yaml") is not None


def test_the_check_result_survives_a_restart(world, monkeypatch):  # type: ignore[no-untyped-def]
    app = in_thread_app(world, job_wait=60)
    budget_id = world.budgets["A001"]
    client = Client(app, "prep_a")
    assert save_basic_amount(client, budget_id, "12345.67").status_code == 303
    before = client.get(f"/work/budgets/{budget_id}").text.split('id="check-summary"', 1)[1].split("</div>", 1)[0]
    services.CHECK_CACHE.clear()
    services.SUMMARY_CACHE.clear()

    def no_check(*_args: Any) -> Any:
        raise AssertionError("checked again although the stored result belongs to this source")

    monkeypatch.setattr(services, "check_summary", no_check)
    monkeypatch.setattr(services, "check_source", no_check)
    again = Client(in_thread_app(world), "prep_a").get(f"/work/budgets/{budget_id}").text
    assert again.split('id="check-summary"', 1)[1].split("</div>", 1)[0] == before


def test_a_check_that_could_not_finish_is_shown_and_not_asked_again(world, monkeypatch):  # type: ignore[no-untyped-def]
    def dies(*_args: Any) -> Any:
        raise jobs.JobFailed("后台计算进程意外退出（内存不足或被终止），没有写入任何结果，请重试。")

    monkeypatch.setattr(services, "check_summary", dies)
    app = in_thread_app(world, job_wait=60)
    budget_id = world.budgets["A001"]
    client = Client(app, "prep_a")
    assert save_text(client, budget_id, "说明。").status_code == 303
    page = client.get(f"/work/budgets/{budget_id}").text
    assert "后台计算进程意外退出" in page and 'data-checking' not in page
    assert client.get(f"/work/budgets/{budget_id}/status").json()["checking"] is False
    with world.factory() as db:
        assert db.scalar(select(Job.state).where(Job.kind == jobs.CHECK)) == jobs.FAILED
    monkeypatch.undo()
    response = client.act(budget_id, "submit", explanation=EXPLANATION)  # checked again, now it works
    assert response.status_code == 303 and budget_row(world, budget_id).state == "review"


def test_the_save_names_what_is_wrong_in_its_own_form(world):  # type: ignore[no-untyped-def]
    app = in_thread_app(world)
    budget_id = world.budgets["A001"]
    client = Client(app, "prep_a")
    response = save_basic_amount(client, budget_id, "一万二")
    assert response.status_code == 303
    page = client.get(f"/work/budgets/{budget_id}").text
    assert "第 1 行“金额（元）”：“一万二”不是金额" in page
    assert "一万二" in budget_row(world, budget_id).source  # a draft keeps what was typed


def test_submit_refuses_with_a_stale_check(world, monkeypatch):  # type: ignore[no-untyped-def]
    """The last finished check said "clean", but a save since broke a sum: submitting checks the
    current source (the background check of the new one not done yet) and refuses."""
    app = in_thread_app(world, job_wait=60)
    budget_id = world.budgets["A001"]
    client = Client(app, "prep_a")
    client.get(f"/work/budgets/{budget_id}")  # the clean source's check, finished
    assert services.known_check(budget_row(world, budget_id).source, "yaml").ok
    gate = Gate(services.check_summary)
    monkeypatch.setattr(services, "check_summary", gate)
    app.state.settings.job_wait = 0
    assert save_basic_amount(client, budget_id, "999999999.00").status_code == 303
    assert services.known_check(budget_row(world, budget_id).source, "yaml") is None
    response = client.act(budget_id, "submit", explanation=EXPLANATION)
    assert response.status_code == 422 and "不能提交" in response.text
    assert budget_row(world, budget_id).state == "draft"
    gate.open()
    assert app.state.jobs.wait(60)


def test_submit_refuses_with_a_failed_check(world, monkeypatch):  # type: ignore[no-untyped-def]
    def broken_rules(budget: Any, disclosure: Any) -> Any:
        raise RuntimeError("规则库损坏")

    monkeypatch.setattr(services, "run_rules", broken_rules)
    app = in_thread_app(world, job_wait=60)
    budget_id = world.budgets["A001"]
    client = Client(app, "prep_a")
    assert save_text(client, budget_id, "说明。").status_code == 303
    assert "规则检查失败" in client.get(f"/work/budgets/{budget_id}").text
    response = client.act(budget_id, "submit", explanation=EXPLANATION)
    assert response.status_code == 422 and "规则检查失败" in response.text
    assert budget_row(world, budget_id).state == "draft"


def test_a_publish_job_that_raises_is_left_failed_with_its_message(world, monkeypatch):  # type: ignore[no-untyped-def]
    def broken(*_args: Any) -> Any:
        raise RuntimeError("字体文件缺失")

    app = in_thread_app(world, job_wait=60)
    budget_id = world.budgets["A001"]
    fin = approve(app, world, budget_id)
    monkeypatch.setattr(services, "build_publication", broken)
    response = fin.act(budget_id, "publish", note="首次公开")
    assert response.status_code == 303
    with world.factory() as db:
        job = db.scalar(select(Job).where(Job.budget_id == budget_id, Job.kind == jobs.PUBLISH))
        assert job.state == jobs.FAILED and "字体文件缺失" in job.message and job.finished_at is not None
        assert db.scalar(select(func.count()).select_from(PublishedVersion)) == 0
    assert budget_row(world, budget_id).state == "approved"
    page = fin.get(f"/work/budgets/{budget_id}").text
    assert 'id="publish-job"' in page and "失败" in page and "字体文件缺失" in page
    monkeypatch.undo()
    assert fin.act(budget_id, "publish", note="再次公开").status_code == 303  # and it may be tried again
    assert budget_row(world, budget_id).state == "published"


def test_a_second_publish_while_one_runs_is_refused(world, monkeypatch):  # type: ignore[no-untyped-def]
    app = in_thread_app(world)
    budget_id = world.budgets["A001"]
    fin = approve(app, world, budget_id)
    gate = Gate(services.build_publication)
    monkeypatch.setattr(services, "build_publication", gate)
    form = {"version": fin.version(budget_id), "note": ""}
    assert fin.post(f"/work/budgets/{budget_id}/publish", form).status_code == 303
    page = fin.get(f"/work/budgets/{budget_id}").text
    assert 'id="publish-job"' in page and ("排队中" in page or "进行中" in page)
    assert fin.get(f"/work/budgets/{budget_id}/status").json()["publishing"] is True
    second = fin.post(f"/work/budgets/{budget_id}/publish", form)  # a double click: the same version
    assert second.status_code == 422 and "正在公开" in second.text
    gate.open()
    assert app.state.jobs.wait(120)
    assert budget_row(world, budget_id).state == "published"
    with world.factory() as db:
        assert db.scalar(select(func.count()).select_from(PublishedVersion)) == 1
    assert 'id="published-link"' in fin.get(f"/work/budgets/{budget_id}").text


def test_publish_as_a_job_yields_the_same_files_as_publishing_at_once(world):  # type: ignore[no-untyped-def]
    app = create_app(world.url, settings=Settings(upload_limit=256 * 1024, job_wait=300))  # a worker process
    budget_id = world.budgets["A001"]
    fin = approve(app, world, budget_id)
    assert fin.act(budget_id, "publish", note="首次公开").status_code == 303
    with world.factory() as db:
        version = db.scalar(select(PublishedVersion).where(PublishedVersion.budget_id == budget_id))
        assert version is not None and services.verify_version(db, version)
        stored = {f.format: f.sha256 for f in version.files}
        source = version.source
        filename = services.source_filename(db.get(Budget, budget_id))
    at_once = services.build_publication(source, "yaml", filename, "测试区科技局（主管）")  # the name it records
    assert stored == {fmt: services.sha256(data) for fmt, data in at_once.outputs.items()}
    assert {"html", "xlsx", "pdf", "json"} <= set(stored)


def test_a_worker_process_that_dies_fails_the_job_and_the_next_job_runs(world):  # type: ignore[no-untyped-def]
    runner = jobs.JobRunner(world.factory, workflow=None, processes=1)  # type: ignore[arg-type]
    try:
        with pytest.raises(jobs.JobFailed, match="后台计算进程意外退出"):
            runner.compute(os._exit, 3)
        assert runner.compute(abs, -5) == 5
    finally:
        runner.shutdown()


def test_jobs_left_by_a_server_that_died_are_marked_failed(world):  # type: ignore[no-untyped-def]
    with world.factory() as db, db.begin():
        db.add_all([Job(kind=jobs.PUBLISH, budget_id=world.budgets["A001"], state=jobs.RUNNING),
                    Job(kind=jobs.PUBLISH, budget_id=world.budgets["B001"], state=jobs.QUEUED),
                    Job(kind=jobs.CHECK, budget_id=world.budgets["B001"], state=jobs.DONE)])
    in_thread_app(world)
    with world.factory() as db:
        states = [(j.state, j.message) for j in db.scalars(select(Job).order_by(Job.id))]
    assert states[:2] == [(jobs.FAILED, jobs.INTERRUPTED)] * 2 and states[2][0] == jobs.DONE


SERVER = """
import sys
import uvicorn
from deptbudget.web import auth
from argon2 import PasswordHasher
auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
from deptbudget.web.app import create_app
if __name__ == "__main__":
    uvicorn.run(create_app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def test_a_server_killed_while_publishing_leaves_no_half_version(world, tmp_path):  # type: ignore[no-untyped-def]
    """kill -9 of the server (and its worker process) while the publish job runs: no version, the
    budget still approved; the next server marks the job failed and publishing again works."""
    import httpx

    from tests.web.conftest import free_port

    budget_id = world.budgets["A001"]
    approve(in_thread_app(world, job_wait=60), world, budget_id)
    script = tmp_path / "server.py"
    script.write_text(SERVER, encoding="utf-8")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, str(script), world.url, str(port)], cwd=ROOT, env=env,
                              start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/", timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        http = httpx.Client(base_url=base, follow_redirects=False, timeout=60)
        login = http.get("/login").text
        token = Client.token(login)
        assert http.post("/login", data={"username": "finance", "password": "test-password-1",
                                         "csrf_token": token, "next": "/work"}).status_code == 303
        page = http.get(f"/work/budgets/{budget_id}").text
        version = page.split('name="version" value="', 1)[1].split('"', 1)[0]
        r = http.post(f"/work/budgets/{budget_id}/publish", data={"csrf_token": Client.token(page),
                                                                   "version": version, "note": ""})
        assert r.status_code == 303
        deadline = time.monotonic() + 60
        while http.get(f"/work/budgets/{budget_id}/status").json()["publish_state"] != jobs.RUNNING:
            assert time.monotonic() < deadline, "the job did not start"
            time.sleep(0.05)
        time.sleep(0.5)  # in the middle of checking and rendering
    finally:
        os.killpg(server.pid, signal.SIGKILL)  # the server and its worker process
        server.wait(timeout=30)
    with world.factory() as db:
        assert db.scalar(select(func.count()).select_from(PublishedVersion)) == 0
        assert db.scalar(select(Job.state).where(Job.kind == jobs.PUBLISH)) == jobs.RUNNING
    assert budget_row(world, budget_id).state == "approved"
    app = in_thread_app(world, job_wait=120)  # the next server
    with world.factory() as db:
        job = db.scalar(select(Job).where(Job.kind == jobs.PUBLISH))
        assert job.state == jobs.FAILED and job.message == jobs.INTERRUPTED
    fin = Client(app, "finance")
    assert jobs.INTERRUPTED in fin.get(f"/work/budgets/{budget_id}").text
    assert fin.act(budget_id, "publish").status_code == 303
    assert budget_row(world, budget_id).state == "published"


def _upload(client: Client, budget_id: int, name: str, data: bytes) -> Any:
    return client.post(f"/work/budgets/{budget_id}/upload", {"version": client.version(budget_id)},
                       files={"file": (name, data, "application/octet-stream")})


def test_an_upload_is_read_and_checked_in_a_job_the_page_shows(world: World,  # type: ignore[no-untyped-def]
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The POST only records the upload and answers at once; the file is read and checked on a job
    thread (a worker process in production), the page shows 进行中 meanwhile and then the outcome."""
    from deptbudget.web import budget_files

    budget_id = world.budgets["A001"]
    doc = clean_document()
    doc["projects"][0]["name"] = "上传的说明。"
    data = dump_document(doc).encode("utf-8")
    gate = Gate(budget_files.read_upload_outcome)
    threads: list[str] = []
    monkeypatch.setattr(budget_files, "read_upload_outcome",
                        lambda *args: threads.append(threading.current_thread().name) or gate(*args))
    app = in_thread_app(world)
    prep = Client(app, "prep_a")
    response = _upload(prep, budget_id, "budget.yaml", data)
    assert response.status_code == 303 and "正在后台读取和检查" in unquote(response.headers["set-cookie"])
    deadline = time.monotonic() + 30
    while not gate.calls and time.monotonic() < deadline:
        time.sleep(0.02)
    assert threads and threads[0].startswith("deptbudget-job")  # not the request's thread
    status = prep.get(f"/work/budgets/{budget_id}/status").json()
    assert status["uploading"] and status["upload_state"] == "running"
    page = prep.get(f"/work/budgets/{budget_id}").text
    assert 'id="upload-job"' in page and "上传 budget.yaml" in page and "进行中" in page
    again = _upload(prep, budget_id, "budget.yaml", data)  # a second file while the first is read
    assert again.status_code == 409 and "还在读取和检查中" in again.text
    assert "上传的说明。" not in budget_row(world, budget_id).source  # nothing saved before the job
    gate.open()
    assert app.state.jobs.wait(60)
    assert "上传的说明。" in budget_row(world, budget_id).source
    page = prep.get(f"/work/budgets/{budget_id}").text
    assert "已完成" in page and "1 处修改" in page
    assert not prep.get(f"/work/budgets/{budget_id}/status").json()["uploading"]


def test_a_refused_upload_shows_file_place_and_problem_when_done(world: World) -> None:  # type: ignore[no-untyped-def]
    budget_id = world.budgets["A001"]
    app = in_thread_app(world)
    prep = Client(app, "prep_a")
    before = budget_row(world, budget_id).source
    assert _upload(prep, budget_id, "broken.yaml", b"fiscal_year: 2020\nbasic: [1, 2\n").status_code == 303
    assert app.state.jobs.wait(60)
    page = prep.get(f"/work/budgets/{budget_id}").text
    job = page.split('id="upload-job"', 1)[1].split("</div>", 1)[0]
    assert "失败" in job and "源文件有语法错误，预算没有任何改动" in job
    assert "broken.yaml：" in job  # each problem: the file, the place, what is wrong
    assert budget_row(world, budget_id).source == before


def test_a_publication_records_the_file_name_it_is_given_whatever_was_checked_before() -> None:
    """The check is cached by the source's content; the file name a publication records is its own."""
    import json

    from deptbudget.web.services import build_publication

    text = (ROOT / "examples" / "luohu-2020.yaml").read_text(encoding="utf-8")
    first = build_publication(text, "yaml", "a.yaml", "某局")
    second = build_publication(text, "yaml", "b.yaml", "某局")
    assert json.loads(first.outputs["json"])["meta"]["source"] == "a.yaml"
    assert json.loads(second.outputs["json"])["meta"]["source"] == "b.yaml"


WATCHING_WORKER = ("import os, time; from deptbudget.web.jobs import start_worker; "
          "start_worker(0, os.getppid(), every=0.05); print(os.getpid(), flush=True); time.sleep(60)")
SPAWNING_SERVER = ("import subprocess, sys; worker = subprocess.Popen([sys.executable, '-c', sys.argv[1]], "
          "stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True); "
          "print(worker.stdout.readline().strip(), flush=True)")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_a_worker_process_ends_when_its_server_is_gone() -> None:
    """A server stopped without shutting its pool down (SIGTERM, kill -9) leaves no worker behind."""
    server = subprocess.run([sys.executable, "-c", SPAWNING_SERVER, WATCHING_WORKER], capture_output=True, text=True,
                            timeout=60, env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    worker = int(server.stdout.strip())
    deadline = time.monotonic() + 10
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = _alive(worker)
    if alive:
        os.kill(worker, signal.SIGKILL)
    assert not alive

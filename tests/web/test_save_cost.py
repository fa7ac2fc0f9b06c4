"""A cheaper save and a portal that does not queue behind saves (issue 15, session 24): a save writes
again only the parts of the YAML source it changed — the stored text is exactly the whole document's
dump and the audit log still names each changed field, old → new; an anonymous visitor's cached
portal or search page is answered without a database session and made again after a publication;
the background check's worker process runs at a lower scheduling priority than the server."""

from __future__ import annotations

import os
from decimal import Decimal

from sqlalchemy import select

from deptbudget.store.documents import dump_document, load_document
from deptbudget.store.models import AuditEntry
from deptbudget.web import auth, jobs, services
from deptbudget.web.app import Settings, create_app
from tests.web.conftest import Client, World, budget_row
from tests.web.formdata import form_fields
from tests.web.published import add_published
from tests.web.test_form_size import post_fields


def _save(client: Client, budget_id: int, key: str, changes: dict[str, str]):  # type: ignore[no-untyped-def]
    action = f"/work/budgets/{budget_id}/edit/{key}"
    fields = [(k, changes.get(k, v)) for k, v in form_fields(client.get(action).text, action)]
    return post_fields(client, action, fields)


def _audit(world: World, budget_id: int) -> list[tuple[str, str, str]]:
    with world.factory() as db:
        return [(e.what, e.old, e.new) for e in db.scalars(select(AuditEntry).where(
            AuditEntry.budget_id == budget_id, AuditEntry.action == "edit").order_by(AuditEntry.id))]


def test_saves_written_by_parts_store_the_whole_dump_and_audit_each_field(app, world: World) -> None:  # type: ignore[no-untyped-def]
    services.PARTS_CACHE.clear()
    budget_id = world.budgets["A001"]
    prep = Client(app, "prep_a")
    first = _save(prep, budget_id, "text", {"f.narrative.change_reason": "第一次：新增科普项目。",
                                            "f.narrative.personnel_note": "人员经费按编制核定。"})
    assert first.status_code == 303
    stored = budget_row(world, budget_id).source
    assert services.PARTS_CACHE.get(services.source_key(stored, "yaml")) is not None  # kept for the next save
    basic = _save(prep, budget_id, "basic", {"r0.amount": "123456.78"})
    assert basic.status_code == 303
    second = _save(prep, budget_id, "text", {"f.narrative.change_reason": "第二次：再次调整。",
                                             "f.narrative.personnel_note": "人员经费按实有人数核定。"})
    assert second.status_code == 303
    source = budget_row(world, budget_id).source
    doc = load_document(source)
    assert source == dump_document(doc)  # exactly what writing the whole document gives
    assert doc["narrative"]["change_reason"] == "第二次：再次调整。"
    assert doc["basic"][0]["amount"] == Decimal("123456.78")
    log = _audit(world, budget_id)
    assert ("narrative.change_reason", "第一次：新增科普项目。", "第二次：再次调整。") in log
    assert ("narrative.personnel_note", "人员经费按编制核定。", "人员经费按实有人数核定。") in log
    assert any(what == "basic[0].amount" and new == "123456.78" for what, _old, new in log)
    assert len(log) == 4  # the new 文字说明 (the fixture has none), one amount, two fields: nothing else


def _no_database(*_args, **_kw):  # type: ignore[no-untyped-def]
    raise AssertionError("the database was asked")


def test_a_cached_portal_page_is_answered_without_the_database_and_made_again_after_publishing(
        app, world: World) -> None:  # type: ignore[no-untyped-def]
    with world.factory() as session, session.begin():
        add_published(session, "P001", "测试单位001", 2021, "社区服务。")
    public = Client(app)
    first = public.get("/?year=2021")
    found = public.get("/search?q=社区服务")
    assert first.status_code == 200 and "测试单位001" in first.text and "测试单位001" in found.text
    sessions = app.state.sessions
    app.state.sessions = _no_database
    try:
        stranger = Client(app)  # no cookies at all: gets its CSRF cookie as from any page
        again = stranger.get("/?year=2021")
        assert again.status_code == 200 and again.text == first.text
        assert len(again.cookies.get(auth.CSRF_COOKIE) or "") >= 20
        assert stranger.get("/search?q=社区服务").text == found.text
    finally:
        app.state.sessions = sessions
    finance = Client(app, "finance")  # a signed-in person's page is made for them (their header)
    assert "finance" in finance.get("/?year=2021").text
    with world.factory() as session, session.begin():
        add_published(session, "P002", "测试单位002", 2021, "社区服务。")
    assert "测试单位002" not in public.get("/?year=2021").text  # still the kept page …
    app.state.public_cache.published()  # … until a publication
    assert "测试单位002" in public.get("/?year=2021").text
    assert "测试单位002" in public.get("/search?q=社区服务").text


def test_the_worker_process_runs_at_a_lower_priority(world: World) -> None:
    app = create_app(world.url, settings=Settings(job_processes=1))
    runner: jobs.JobRunner = app.state.jobs
    try:
        mine = os.nice(0)
        assert runner.compute(os.nice, 0) == min(19, mine + jobs.WORKER_NICE)
    finally:
        runner.shutdown()


def test_opening_the_form_prepares_the_parts_so_the_first_save_writes_only_what_it_changed(  # type: ignore[no-untyped-def]
        app, world: World, monkeypatch) -> None:
    from deptbudget.store import documents

    dumped: list[object] = []
    real_yaml = documents._yaml
    monkeypatch.setattr(documents, "_yaml", lambda data: dumped.append(data) or real_yaml(data))
    budget_id = world.budgets["A001"]
    prep = Client(app, "prep_a")

    def first_save(reason: str) -> int:
        services.PARTS_CACHE.clear()
        services.DOC_CACHE.clear()
        action = f"/work/budgets/{budget_id}/edit/text"
        fields = [(k, reason if k == "f.narrative.change_reason" else v)
                  for k, v in form_fields(prep.get(action).text, action)]
        assert app.state.jobs.wait(30)
        source = budget_row(world, budget_id).source
        assert services.PARTS_CACHE.get(services.source_key(source, "yaml")) is not None  # made with the form
        dumped.clear()
        return post_fields(prep, action, fields).status_code

    assert first_save("表单打开后第一次保存。") == 303
    assert len(dumped) <= 2  # the 文字说明 part (and a list header), not the whole document
    stored = budget_row(world, budget_id).source
    assert stored == dump_document(load_document(stored))  # still exactly the whole dump
    assert "表单打开后第一次保存。" in _audit(world, budget_id)[-1][2]  # the fixture had no 文字说明

    monkeypatch.setattr(app.state.jobs, "prepare_parts", lambda budget: None)  # without it: the whole document
    services.PARTS_CACHE.clear()
    services.DOC_CACHE.clear()
    action = f"/work/budgets/{budget_id}/edit/text"
    fields = [(k, "没有预先准备。" if k == "f.narrative.change_reason" else v)
              for k, v in form_fields(prep.get(action).text, action)]
    dumped.clear()
    assert post_fields(prep, action, fields).status_code == 303
    assert len(dumped) > 5


def test_the_opened_form_prepares_the_document_as_the_forms_write_it(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A source written by hand (the example: indicators as lists, projects without lines) is laid
    out anew by its first form save; the parts made when the form was opened are those of that
    layout, so the first save dumps only what it changed and makes no table parts."""
    from pathlib import Path

    from deptbudget.sources.entry_document import kv_values
    from deptbudget.store import documents
    from deptbudget.store.documents import dump_parts, share_unchanged
    from deptbudget.web import forms

    text = (Path(__file__).resolve().parents[2] / "examples" / "luohu-2020.yaml").read_text(encoding="utf-8")
    services.PARTS_CACHE.clear()
    services.DOC_CACHE.clear()
    forms._TABLE_PARTS._entries.clear()
    services.prepare_parts(text, "yaml")
    key = services.source_key(text, "yaml")
    doc = services.document_of(type("B", (), {"source": text, "source_format": "yaml"})())  # type: ignore[arg-type]
    section = forms.SECTIONS["text"]
    values = kv_values(doc)
    form = {f"f.{f.path}": forms.display(f.kind, values.get(f.path), 2020) for f in section.fields}
    dumped: list[object] = []
    made: list[object] = []
    real_yaml, real_parts = documents._yaml, forms.table_parts
    monkeypatch.setattr(documents, "_yaml", lambda data: dumped.append(data) or real_yaml(data))
    monkeypatch.setattr(forms, "table_parts", lambda records: made.append(records) or real_parts(records))
    for step in range(3):
        form["f.narrative.change_reason"] = f"第 {step + 1} 次保存。"
        new = share_unchanged(doc, forms.apply_section(doc, section, form))
        parts = dump_parts(new, services.PARTS_CACHE.get(key))
        assert parts.text == dump_document(new)  # exactly the whole dump
        assert len(dumped) <= 2 * (step + 1) and not made  # the 文字说明 part only; no table parts made
        key = services.source_key(parts.text, "yaml")
        services.PARTS_CACHE.put(key, parts)
        doc = new
    assert new["projects"][0]["indicators"][0]["level1"] == "产出指标"  # laid out as the forms write it


def test_a_save_waits_for_its_slot_before_its_session_is_looked_up(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A burst of saves waits on the event loop first: a save without a slot has taken no thread and
    no database connection for its session yet; given the slot, it is saved."""
    import asyncio
    import threading
    import time

    app = create_app(world.url, settings=Settings(job_wait=120, heavy_slots=1))
    budget_id = world.budgets["A001"]
    prep = Client(app, "prep_a")
    action = f"/work/budgets/{budget_id}/edit/text"
    fields = form_fields(prep.get(action).text, action)
    lookups: list[object] = []
    real = auth.load_session
    monkeypatch.setattr(auth, "load_session", lambda db, token: lookups.append(token) or real(db, token))
    asyncio.run(app.state.heavy_gate.acquire())  # the one slot taken
    answers: list[object] = []
    saving = threading.Thread(target=lambda: answers.append(post_fields(prep, action, fields)))
    saving.start()
    deadline = time.monotonic() + 60
    while app.state.heavy_gate.waiting == 0 and time.monotonic() < deadline:
        time.sleep(0.01)  # until the save waits for the slot
    assert app.state.heavy_gate.waiting == 1
    assert lookups == []  # its session not looked up yet (before: at once, in a thread of its own)
    app.state.heavy_gate.release()
    saving.join(60)
    assert answers[0].status_code == 303  # type: ignore[attr-defined]
    assert len(lookups) == 1

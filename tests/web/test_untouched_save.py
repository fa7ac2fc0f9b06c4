"""Saving a form without touching it changes nothing and logs nothing (issue 15): every section of
the demo budget, posted exactly as a browser sends the page (是/否 drop-downs as shown, textareas with
CRLF line ends, amounts as the form shows them)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from deptbudget.store.documents import load_document
from deptbudget.store.models import AuditEntry
from deptbudget.web import forms
from tests.web.conftest import Client, World, budget_row
from tests.web.formdata import form_fields
from tests.web.test_form_size import post_fields, use_demo_source


def audit_count(world: World, budget_id: int) -> int:
    with world.factory() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.budget_id == budget_id))


@pytest.mark.parametrize("key", forms.SECTION_ORDER)
def test_untouched_demo_form_saves_nothing(app, world: World, key: str) -> None:  # type: ignore[no-untyped-def]
    budget_id = use_demo_source(world)
    client = Client(app, "prep_a")
    before, logged = budget_row(world, budget_id), audit_count(world, budget_id)
    action = f"/work/budgets/{budget_id}/edit/{key}"
    response = post_fields(client, action, form_fields(client.get(action).text, action))
    assert response.status_code == 303, response.text[:300]
    assert "：0 处修改" in client.get(f"/work/budgets/{budget_id}").text
    after = budget_row(world, budget_id)
    assert after.source == before.source
    assert after.version == before.version
    assert audit_count(world, budget_id) == logged


def test_card_drop_downs_show_the_stored_value(app, world: World) -> None:  # type: ignore[no-untyped-def]
    budget_id = use_demo_source(world)
    client = Client(app, "prep_a")
    doc = load_document(budget_row(world, budget_id).source)
    shown = {}
    for key in ("projects", "procurement"):
        action = f"/work/budgets/{budget_id}/edit/{key}"
        shown[key] = dict(form_fields(client.get(action).text, action))
    new = [i for i, p in enumerate(doc["projects"]) if p.get("new") is True]
    assert new and all(shown["projects"][f"r{i}.new"] == "是" for i in new)
    not_sme = [i for i, p in enumerate(doc["procurement"]) if p.get("for_sme") is False]
    assert not_sme and all(shown["procurement"][f"r{i}.for_sme"] == "否" for i in not_sme)


def test_posted_line_ends_are_stored_as_newlines() -> None:
    section = forms.SECTIONS["text"]
    form = {"f.narrative.change_reason": "第一行\r\n第二行\r第三行"}
    assert forms.fields_from_form(section, form)["narrative.change_reason"] == "第一行\n第二行\n第三行"

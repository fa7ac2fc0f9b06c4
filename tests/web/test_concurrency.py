"""Two people editing the same budget: the second gets a clear conflict and loses nothing."""

from __future__ import annotations

import re

from deptbudget.store.models import Unit
from deptbudget.web import auth
from tests.web.conftest import PASSWORD, Client, budget_row


def _form_fields(html: str) -> dict[str, str]:
    fields = {n: v for n, v in re.findall(r'name="(f\.[\w.]+)" value="([^"]*)"', html)}
    fields.update({n: v for n, v in re.findall(r'<textarea[^>]*name="(f\.[\w.]+)"[^>]*>([^<]*)</textarea>', html)})
    fields["version"] = re.search(r'name="version" value="(\d+)"', html).group(1)
    return fields


def test_second_writer_gets_conflict_and_keeps_their_input(app, world):  # type: ignore[no-untyped-def]
    with world.factory() as session, session.begin():
        unit = session.query(Unit).filter_by(code="A001").one()
        auth.add_user(session, "prep_a2", PASSWORD, "preparer", unit_id=unit.id)
    a = world.budgets["A001"]
    first, second = Client(app, "prep_a"), Client(app, "prep_a2")
    form_1 = _form_fields(first.get(f"/work/budgets/{a}/edit/text").text)
    form_2 = _form_fields(second.get(f"/work/budgets/{a}/edit/text").text)
    assert form_1["version"] == form_2["version"]

    form_1["f.narrative.change_reason"] = "甲填写的原因。"
    assert first.post(f"/work/budgets/{a}/edit/text", form_1).status_code == 303

    form_2["f.narrative.change_reason"] = "乙填写的原因。"
    response = second.post(f"/work/budgets/{a}/edit/text", form_2)
    assert response.status_code == 409
    assert "保存冲突" in response.text and "prep_a" in response.text
    assert "乙填写的原因。" in response.text  # their input is shown back, nothing lost
    assert "甲填写的原因。" in budget_row(world, a).source  # the first save stands
    assert "乙填写的原因。" not in budget_row(world, a).source

    # The form shown back carries the new version: saving again is a deliberate overwrite.
    again = _form_fields(response.text)
    assert again["f.narrative.change_reason"] == "乙填写的原因。"
    assert second.post(f"/work/budgets/{a}/edit/text", again).status_code == 303
    assert "乙填写的原因。" in budget_row(world, a).source


def test_table_form_conflict_shows_rows_back(app, world):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    one, two = Client(app, "prep_a"), Client(app, "prep_a")
    version = one.version(a)
    rows = {"r0.func": "2060101", "r0.eco": "30101", "r0.amount": "1000049.00",
            "r1.func": "2060101", "r1.eco": "30201", "r1.amount": "99951.00",
            "r2.func": "2080501", "r2.eco": "30302", "r2.amount": "50.00"}
    assert one.post(f"/work/budgets/{a}/edit/basic", {"version": version, **rows,
                                                      "r2.note": "甲的备注"}).status_code == 303
    response = two.post(f"/work/budgets/{a}/edit/basic", {"version": version, **rows, "r2.note": "乙的备注"})
    assert response.status_code == 409 and "乙的备注" in response.text
    assert "甲的备注" in budget_row(world, a).source


def test_workflow_action_on_a_stale_page_is_a_conflict(app, world):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    prep = Client(app, "prep_a")
    stale = prep.version(a)
    form = _form_fields(prep.get(f"/work/budgets/{a}/edit/text").text)
    form["f.narrative.change_reason"] = "改了。"
    assert prep.post(f"/work/budgets/{a}/edit/text", form).status_code == 303
    response = prep.post(f"/work/budgets/{a}/submit", {"version": stale, "explanation": "说明"})
    assert response.status_code == 409 and "保存冲突" in response.text
    assert budget_row(world, a).state == "draft"


def test_upload_on_a_stale_page_is_a_conflict(app, world):  # type: ignore[no-untyped-def]
    from tests.web.conftest import clean_source

    a = world.budgets["A001"]
    prep = Client(app, "prep_a")
    stale = prep.version(a)
    form = _form_fields(prep.get(f"/work/budgets/{a}/edit/text").text)
    form["f.narrative.change_reason"] = "先改了。"
    assert prep.post(f"/work/budgets/{a}/edit/text", form).status_code == 303
    response = prep.post(f"/work/budgets/{a}/upload", {"version": stale},
                         files={"file": ("a.yaml", clean_source().encode(), "application/yaml")})
    assert response.status_code == 409 and "请重新上传" in response.text
    assert "先改了。" in budget_row(world, a).source

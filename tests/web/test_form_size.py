"""Forms of realistic size save (issue 15): the demo's 绩效指标 form, 300 projects, 1,000 indicators and
2,000 项目支出明细 lines; a form over the cap is refused with 413 and a Chinese message, changing nothing."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from deptbudget.store.documents import load_document
from deptbudget.store.models import Budget
from deptbudget.web import forms
from deptbudget.web.demo import EXAMPLE, normalized_source
from tests.web.conftest import Client, World, budget_row
from tests.web.formdata import form_fields


def use_demo_source(world: World) -> int:
    """Budget A001 holds the demo's (the example department's) source."""
    budget_id = world.budgets["A001"]
    with world.factory() as session, session.begin():
        session.get(Budget, budget_id).source = normalized_source(EXAMPLE.read_text(encoding="utf-8"))
    return budget_id


def post_fields(client: Client, url: str, fields: list[tuple[str, str]]) -> Any:
    """Post fields as a browser does (urlencoded, repeated names kept, in order)."""
    return client.http.post(url, content=urlencode(fields).encode(),
                            headers={"Content-Type": "application/x-www-form-urlencoded"})


def post_section(client: Client, budget_id: int, key: str, rows: list[dict[str, str]]) -> Any:
    data: dict[str, str] = {"version": client.version(budget_id)}
    for i, row in enumerate(rows):
        data.update({f"r{i}.{k}": v for k, v in row.items()})
    return client.post(f"/work/budgets/{budget_id}/edit/{key}", data)


def test_demo_indicator_form_saves_as_shown(app, world: World) -> None:  # type: ignore[no-untyped-def]
    budget_id = use_demo_source(world)
    client = Client(app, "prep_a")
    page = client.get(f"/work/budgets/{budget_id}/edit/indicators")
    fields = form_fields(page.text, f"/work/budgets/{budget_id}/edit/indicators")
    assert len(fields) > 1000  # the demo's form is over Starlette's default cap
    response = post_fields(client, f"/work/budgets/{budget_id}/edit/indicators", fields)
    assert response.status_code == 303, response.text[:500]


def test_large_sections_save(app, world: World) -> None:  # type: ignore[no-untyped-def]
    budget_id = world.budgets["A001"]
    client = Client(app, "prep_a")
    projects = [{"code": f"P{n:03d}", "name": f"项目{n}", "purpose": "用于开展工作。" * 5} for n in range(300)]
    assert post_section(client, budget_id, "projects", projects).status_code == 303
    indicators = [{"owner": f"P{n % 300:03d}", "level1": "产出指标", "level2": "数量指标", "name": f"指标{n}",
                   "target": "≥10 场"} for n in range(1000)]
    assert post_section(client, budget_id, "indicators", indicators).status_code == 303
    lines = [{"project": f"P{n % 300:03d}", "func": "2060702", "eco": "30201", "fund": "一般公共预算拨款",
              "amount": f"{n + 1}.00"} for n in range(2000)]
    assert post_section(client, budget_id, "project_lines", lines).status_code == 303
    doc = load_document(budget_row(world, budget_id).source)
    assert len(doc["projects"]) == 300
    assert sum(len(p.get("indicators", [])) for p in doc["projects"]) == 1000
    assert sum(len(p.get("lines", [])) for p in doc["projects"]) == 2000


def test_form_over_the_cap_is_refused_in_chinese(app, world: World) -> None:  # type: ignore[no-untyped-def]
    budget_id = world.budgets["A001"]
    before = budget_row(world, budget_id)
    client = Client(app, "prep_a")
    cap = forms.max_fields(forms.SECTIONS["groups"])
    rows = [{"name": f"分组{n}", "description": "说明"} for n in range(cap // 2 + 1)]
    response = post_section(client, budget_id, "groups", rows)
    assert response.status_code == 413
    assert "表单的栏目过多" in response.text and "返回上一页" in response.text
    assert "Too many" not in response.text and "detail" not in response.text
    after = budget_row(world, budget_id)
    assert (after.version, after.source) == (before.version, before.source)


def test_every_section_takes_a_realistic_budget() -> None:
    assert forms.max_fields(forms.SECTIONS["project_lines"]) >= 2000 * 8
    assert forms.max_fields(forms.SECTIONS["indicators"]) >= 1000 * 8
    assert forms.max_fields(forms.SECTIONS["projects"]) >= 300 * 15
    assert forms.max_fields(forms.SECTIONS["projects"]) <= 200_000  # still a cap

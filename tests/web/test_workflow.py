"""Workflow transitions and refusals, audit entries, published versions (web level)."""

from __future__ import annotations

from sqlalchemy import select

from deptbudget.store.documents import dump_document, load_document
from deptbudget.store.models import AuditEntry, Budget, PublishedVersion
from tests.web.conftest import Client, budget_row

EXPLANATION = "部分项目的效益、满意度指标将在年中补充。"


def _state(world, budget_id):  # type: ignore[no-untyped-def]
    row = budget_row(world, budget_id)
    return row.state, row.step


def _audit(world, budget_id):  # type: ignore[no-untyped-def]
    with world.factory() as session:
        return [(a.action, a.username, a.what, a.old, a.new, a.comment) for a in
                session.scalars(select(AuditEntry).where(AuditEntry.budget_id == budget_id).order_by(AuditEntry.id))]


def publish_through(app, world, budget_id: int) -> None:  # type: ignore[no-untyped-def]
    prep, dept, fin = Client(app, "prep_a"), Client(app, "dept_a"), Client(app, "finance")
    assert prep.act(budget_id, "submit", explanation=EXPLANATION).status_code == 303
    assert dept.act(budget_id, "approve").status_code == 303
    assert fin.act(budget_id, "approve").status_code == 303
    assert fin.act(budget_id, "publish", note="首次公开").status_code == 303


def test_full_path_to_publication(app, world):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    prep, dept, fin, public = Client(app, "prep_a"), Client(app, "dept_a"), Client(app, "finance"), Client(app)
    assert public.get("/budgets/2020/A001").status_code == 404  # a draft is never public

    r = prep.act(a, "submit", explanation=EXPLANATION)
    assert r.status_code == 303 and _state(world, a) == ("review", 0)
    assert "已提交" in prep.get(f"/work/budgets/{a}").text
    assert prep.act(a, "submit", explanation=EXPLANATION).status_code == 403  # already submitted

    assert fin.act(a, "approve").status_code == 403  # not finance's step yet
    assert dept.act(a, "approve", comment="同意").status_code == 303
    assert _state(world, a) == ("review", 1)
    assert "主管部门审核通过" in dept.get(f"/work/budgets/{a}").text
    assert dept.act(a, "approve").status_code == 403  # not dept's step any more
    assert fin.act(a, "publish").status_code == 403  # not approved yet

    assert fin.act(a, "approve").status_code == 303
    assert _state(world, a) == ("approved", 2)
    assert "财政局审核通过" in fin.get(f"/work/budgets/{a}").text
    assert dept.act(a, "publish").status_code == 403

    assert fin.act(a, "publish", note="首次公开").status_code == 303
    assert _state(world, a)[0] == "published"
    page = public.get("/budgets/2020/A001")
    assert page.status_code == 200 and "测试区科技局" in page.text and "第 1 版" in page.text
    actions = [entry[0] for entry in _audit(world, a) if entry[0] != "checklist"]  # checklists: test_checklist.py
    assert actions[:1] == ["create"] and ["submit", "approve", "approve", "publish", "publish"] == actions[-5:]
    submit = next(e for e in _audit(world, a) if e[0] == "submit")
    assert submit[1:] == ("prep_a", "状态", "草稿", "已提交", EXPLANATION)


def test_warnings_need_explanation(app, world):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    prep = Client(app, "prep_a")
    r = prep.act(a, "submit", explanation="  ")
    assert r.status_code == 422 and "书面说明" in r.text
    assert _state(world, a) == ("draft", 0)


def test_source_errors_refuse_submission(app, world):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    with world.factory() as session, session.begin():
        budget = session.get(Budget, a)
        doc = load_document(budget.source)
        doc["basic"][0]["func"] = "2069998"  # not in the 2020 catalog
        budget.source = dump_document(doc)
    prep = Client(app, "prep_a")
    page = prep.get(f"/work/budgets/{a}")
    assert "2069998" in page.text and "分类科目中没有编码" in page.text  # shown next to the line
    r = prep.act(a, "submit", explanation=EXPLANATION)
    assert r.status_code == 422 and "不能提交" in r.text
    assert _state(world, a) == ("draft", 0)


def test_rule_errors_refuse_submission(app, world):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    with world.factory() as session, session.begin():
        budget = session.get(Budget, a)
        doc = load_document(budget.source)
        doc["projects"][1].pop("indicators")  # PERF-OUTPUT: a project without output indicators
        budget.source = dump_document(doc)
    prep = Client(app, "prep_a")
    r = prep.act(a, "submit", explanation=EXPLANATION)
    assert r.status_code == 422 and "PERF-OUTPUT" in r.text
    assert _state(world, a) == ("draft", 0)


def test_return_needs_comment_and_goes_back_to_draft(app, world):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    prep, dept, fin = Client(app, "prep_a"), Client(app, "dept_a"), Client(app, "finance")
    prep.act(a, "submit", explanation=EXPLANATION)
    r = dept.act(a, "return", comment="")
    assert r.status_code == 422 and "退回意见" in r.text
    assert _state(world, a) == ("review", 0)
    assert dept.act(a, "return", comment="请补充项目绩效目标").status_code == 303
    assert _state(world, a) == ("draft", 0)
    page = prep.get(f"/work/budgets/{a}").text
    assert "请补充项目绩效目标" in page
    # and from the finance step
    prep.act(a, "submit", explanation=EXPLANATION)
    dept.act(a, "approve")
    assert fin.act(a, "return", comment="三公经费说明不足").status_code == 303
    assert _state(world, a) == ("draft", 0)
    returns = [e for e in _audit(world, a) if e[0] == "return"]
    assert [r[5] for r in returns] == ["主管部门审核退回：请补充项目绩效目标", "财政局审核退回：三公经费说明不足"]
    assert all(r[3] != r[4] for r in returns)


def test_edits_only_in_draft(app, world):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    prep = Client(app, "prep_a")
    prep.act(a, "submit", explanation=EXPLANATION)
    assert prep.get(f"/work/budgets/{a}/edit/basic").status_code == 403
    r = prep.post(f"/work/budgets/{a}/edit/basic", {"version": prep.version(a), "r0.func": "2060101"})
    assert r.status_code == 403
    files = {"file": ("x.yaml", b"fiscal_year: 2020\n", "application/yaml")}
    assert prep.post(f"/work/budgets/{a}/upload", {"version": prep.version(a)}, files=files).status_code == 403


def test_form_edit_is_audited_field_by_field(app, world):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    prep = Client(app, "prep_a")
    form = prep.get(f"/work/budgets/{a}/edit/basic").text
    assert "2060101 行政运行" in form
    data = {"version": prep.version(a)}
    import re

    for name, value in re.findall(r'name="(r\d+\.[a-z_]+)" value="([^"]*)"', form):
        if not name.endswith("._delete"):
            data[name] = value
    data["r1.amount"] = "99950.00"
    data["r2.amount"] = "51.00"
    r = prep.post(f"/work/budgets/{a}/edit/basic", data)
    assert r.status_code == 303, r.text[:500]
    edits = [e for e in _audit(world, a) if e[0] == "edit"]
    assert [(e[2], e[3], e[4]) for e in edits] == [("basic[1].amount", "99951.00", "99950.00"),
                                                   ("basic[2].amount", "50.00", "51.00")]
    page = prep.get(f"/work/budgets/{a}").text
    assert "basic[1].amount" in page and "99950.00" in page  # the audit log on the budget page


def test_correction_makes_a_new_version(app, world):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    publish_through(app, world, a)
    public = Client(app)
    first = public.get("/budgets/2020/A001/v1/json")
    assert first.status_code == 200
    fin = Client(app, "finance")
    assert fin.act(a, "reopen", reason="").status_code == 422
    assert fin.act(a, "reopen", reason="更正三公经费说明").status_code == 303
    assert _state(world, a) == ("draft", 0)
    with world.factory() as session, session.begin():  # the preparer corrects the narrative
        budget = session.get(Budget, a)
        doc = load_document(budget.source)
        doc.setdefault("narrative", {})["change_reason"] = "更正后的说明。"
        budget.source = dump_document(doc)
    publish_through(app, world, a)
    versions = public.get("/budgets/2020/A001/versions").text
    assert "第 2 版" in versions and "第 1 版" in versions
    assert public.get("/budgets/2020/A001/v1/json").content == first.content  # the old version is unchanged
    assert "第 2 版" in public.get("/budgets/2020/A001").text
    old = public.get("/budgets/2020/A001/v1").text
    assert "已被更正" in old
    with world.factory() as session:
        numbers = sorted(v.number for v in session.scalars(select(PublishedVersion)))
        assert numbers == [1, 2]


def test_latest_downloads_are_revalidated_and_versions_cached(app, world):  # type: ignore[no-untyped-def]
    publish_through(app, world, world.budgets["A001"])
    public = Client(app)
    latest = public.get("/budgets/2020/A001/download/json")
    numbered = public.get("/budgets/2020/A001/v1/json")
    assert latest.status_code == numbered.status_code == 200
    assert latest.headers["cache-control"] == "public, no-cache"  # a correction may replace it
    assert "max-age=86400" in numbered.headers["cache-control"]  # version 1 never changes

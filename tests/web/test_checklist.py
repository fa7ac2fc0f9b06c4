"""The reviewer's checklist on a submitted budget (issue 8, item 4): the checklist ``deptbudget review``
fills is shown to the reviewers with every finding; a reviewer confirms, overrides (reason required)
or adds findings; the final checklist is stored with each approval or return and exported as XLSX
and HTML by the review package's writers; audit entries; conflicts; the permission matrix."""

from __future__ import annotations

import html
import io
import json
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from deptbudget.review import Reviewer
from deptbudget.review.engine import total_score
from deptbudget.store.models import AuditEntry, Budget, ChecklistMark, ChecklistRecord
from deptbudget.web.services import check_source
from tests.web.conftest import Client, World, main_content
from tests.web.test_workflow import EXPLANATION

B_SECRET = "测试区教育局"
SCORE_RE = re.compile(r'id="checklist-score">([^<]+)<')


def engine_review(world: World, budget_id: int):  # type: ignore[no-untyped-def]
    """The checklist as ``deptbudget review`` fills it, straight from the review package."""
    with world.factory() as session:
        source = session.get(Budget, budget_id).source
    return Reviewer().review(check_source(source).disclosure)


def submit(app, world: World, unit: str = "A001") -> int:  # type: ignore[no-untyped-def]
    budget_id = world.budgets[unit]
    preparer = "prep_a" if unit == "A001" else "prep_b"
    assert Client(app, preparer).act(budget_id, "submit", explanation=EXPLANATION).status_code == 303
    return budget_id


def seen(page: str, item: str) -> str:
    """The item's newest mark as the page knows it ("0" when the page offers no checklist forms)."""
    match = re.search(rf'name="seen" value="(\d+)"><input type="hidden" name="item" value="{item}"', page)
    return match.group(1) if match else "0"


def mark(client: Client, budget_id: int, item: str, action: str, **fields: str):  # type: ignore[no-untyped-def]
    page = client.get(f"/work/budgets/{budget_id}").text
    return client.post(f"/work/budgets/{budget_id}/checklist", {
        "version": client.version(budget_id), "item": item, "action": action, "seen": seen(page, item), **fields})


def item_row(page: str, item: str) -> str:
    match = re.search(rf'<tr id="item-{item}".*?</tr>', page, re.S)
    assert match, item
    return match.group(0)


def test_reviewers_see_the_filled_checklist(app, world):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    dept, prep = Client(app, "dept_a"), Client(app, "prep_a")
    assert "checklist-table" not in dept.get(f"/work/budgets/{a}").text  # a draft has none
    assert dept.get(f"/work/budgets/{a}/checklist.xlsx").status_code == 403
    submit(app, world)
    review = engine_review(world, a)
    for client in (dept, Client(app, "finance"), Client(app, "admin")):
        page = client.get(f"/work/budgets/{a}").text
        assert Decimal(SCORE_RE.search(page).group(1)) == review.score == Decimal("94.4")  # 三公: no reasons
        for result in review.items:
            row = item_row(page, result.item.id)
            assert review.verdict(result.status) in row
            for finding in result.findings:  # every finding, with what the document says
                assert html.escape(finding.message, quote=False) in row and (finding.actual or "") in row
    t15 = item_row(dept.get(f"/work/budgets/{a}").text, "T15")
    assert "否" in t15 and "没有效益指标" in t15 and "PERF-OUTCOME" in t15
    assert 'id="checklist-table"' not in prep.get(f"/work/budgets/{a}").text  # the preparer: not the live one
    assert prep.get(f"/work/budgets/{a}/checklist.html").status_code == 403
    live = dept.get(f"/work/budgets/{a}/checklist.xlsx")
    book = load_workbook(io.BytesIO(live.content))
    assert book.sheetnames == ["检查表", "问题清单", "评分说明"]
    assert "没有效益指标" in "".join(str(c.value) for row in book["问题清单"].iter_rows() for c in row)
    assert "没有效益指标" in dept.get(f"/work/budgets/{a}/checklist.html").text


def test_confirm_override_add_store_and_export(app, world):  # type: ignore[no-untyped-def]
    a = submit(app, world)
    dept, fin, prep = Client(app, "dept_a"), Client(app, "finance"), Client(app, "prep_a")
    review = engine_review(world, a)

    # confirm
    assert mark(dept, a, "T1", "confirm").status_code == 303
    assert "主管部门审核（dept_a）已确认" in item_row(dept.get(f"/work/budgets/{a}").text, "T1")

    # override: a reason is required
    refused = mark(dept, a, "T15", "override", verdict="pass", text=" ")
    assert refused.status_code == 422 and "理由" in refused.text
    assert mark(dept, a, "T15", "override", verdict="pass", text="效益、满意度指标将在年中补充，已书面说明。"
                ).status_code == 303
    page = dept.get(f"/work/budgets/{a}").text
    row = item_row(page, "T15")
    assert "已改判" in row and "效益、满意度指标将在年中补充" in row and "3 / 3 分" in row
    # T15 (3 points) now scores 3 instead of 0: the review package's own total
    scores = {r.item.id: r for r in review.items}
    from dataclasses import replace

    after_override = [replace(r, score=r.item.points) if r.item.id == "T15" else r for r in review.items]
    assert Decimal(SCORE_RE.search(page).group(1)) == total_score(after_override) == Decimal("97.8")  # 三公 still 否

    # a finding added by the reviewer counts like a rule's: an error takes 4 points off its item
    assert mark(dept, a, "narrative", "finding", severity="error", place="第二部分",
                text="收入增长率与表1计算结果不符").status_code == 303
    page = dept.get(f"/work/budgets/{a}").text
    row = item_row(page, "narrative")
    assert "否" in row and "收入增长率与表1计算结果不符" in row and "审核人补充" in row
    narrative = scores["narrative"].item.points - Decimal(4)
    final = [replace(r, score=narrative) if r.item.id == "narrative" else r for r in after_override]
    assert Decimal(SCORE_RE.search(page).group(1)) == total_score(final)

    # a stale page: someone marked the item since → conflict, nothing written, the text kept
    stale = dept.get(f"/work/budgets/{a}").text
    assert mark(dept, a, "cover", "confirm").status_code == 303
    conflict = dept.post(f"/work/budgets/{a}/checklist", {
        "version": dept.version(a), "item": "cover", "action": "finding", "seen": seen(stale, "cover"),
        "severity": "warning", "text": "封面年份字体不一致"})
    assert conflict.status_code == 409 and "检查表冲突" in conflict.text and "封面年份字体不一致" in conflict.text
    with world.factory() as session:
        kinds = [(m.item_id, m.kind, m.step, m.username) for m in session.scalars(select(ChecklistMark))]
    assert kinds == [("T1", "confirm", "dept", "dept_a"), ("T15", "override", "dept", "dept_a"),
                     ("narrative", "finding", "dept", "dept_a"), ("cover", "confirm", "dept", "dept_a")]
    # only the reviewer whose step it is
    assert mark(fin, a, "T2", "confirm").status_code == 403

    # the 主管部门 approves: the final checklist is stored with the decision
    assert dept.act(a, "approve", comment="同意").status_code == 303
    with world.factory() as session:
        record = session.scalars(select(ChecklistRecord)).one()
        items = {i["id"]: i for i in json.loads(record.items_json)}
        xlsx, stored_html = record.xlsx, record.html
        assert (record.decision, record.step, record.username, record.round) == ("approve", "dept", "dept_a", 1)
        assert Decimal(record.score) == total_score(final)
    assert items["T15"]["status"] == "pass" and items["T15"]["engine"] == "fail"
    assert items["T15"]["override"]["reason"] == "效益、满意度指标将在年中补充，已书面说明。"
    assert any(f["message"] == "收入增长率与表1计算结果不符" for f in items["narrative"]["findings"])
    assert [c["by"] for c in items["T1"]["confirmed"]] == ["dept_a"]
    book = load_workbook(io.BytesIO(xlsx))
    rows = {str(r[2].value): r for r in book["检查表"].iter_rows(min_row=5) if r[2].value}
    t15 = next(r for content, r in rows.items() if content.startswith("表15"))
    assert t15[3].value == "是" and "效益、满意度指标将在年中补充" in t15[4].value
    assert "收入增长率与表1计算结果不符" in stored_html and "主管部门审核（dept_a）" in stored_html
    record_url = f"/work/budgets/{a}/checklists/{record.id}"
    assert prep.get(f"{record_url}.xlsx").content == xlsx  # the preparer reads the stored checklists
    assert prep.get(f"{record_url}.html").text == stored_html

    # the finance bureau builds on the department's marks, then sends the budget back
    page = fin.get(f"/work/budgets/{a}").text
    assert "已改判" in item_row(page, "T15") and "收入增长率与表1计算结果不符" in page
    assert mark(dept, a, "T2", "confirm").status_code == 403  # not the department's step any more
    assert mark(fin, a, "T2", "override", verdict="fail", text="表2 收入合计与表1不一致").status_code == 303
    assert fin.act(a, "return", comment="请核对收入").status_code == 303
    with world.factory() as session:
        records = session.scalars(select(ChecklistRecord).order_by(ChecklistRecord.id)).all()
        assert [(r.decision, r.step) for r in records] == [("approve", "dept"), ("return", "finance")]
        audit = [(e.action, e.what, e.new) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "checklist").order_by(AuditEntry.id))]
    assert ("checklist", "检查表 表1 收支预算总表", "确认：是") in audit
    assert any(e[2].startswith("已保存：得分") for e in audit)
    assert "随审核决定保存的检查表" in prep.get(f"/work/budgets/{a}").text

    # submitted again: a fresh checklist (round 2), the old ones kept
    submit(app, world)
    page = Client(app, "dept_a").get(f"/work/budgets/{a}").text
    assert "第 2 轮审核" in page and "已改判" not in page
    assert Decimal(SCORE_RE.search(page).group(1)) == review.score


def test_confirm_all(app, world):  # type: ignore[no-untyped-def]
    a = submit(app, world)
    dept = Client(app, "dept_a")
    response = dept.post(f"/work/budgets/{a}/checklist/confirm-all", {"version": dept.version(a)})
    assert response.status_code == 303
    with world.factory() as session:
        count = len(session.scalars(select(ChecklistMark).where(ChecklistMark.kind == "confirm")).all())
    assert count == len(engine_review(world, a).items)
    dept.post(f"/work/budgets/{a}/checklist/confirm-all", {"version": dept.version(a)})  # nothing new to confirm
    with world.factory() as session:
        assert len(session.scalars(select(ChecklistMark)).all()) == count
        entries = [(e.what, e.new) for e in session.scalars(select(AuditEntry).where(AuditEntry.action == "checklist"))]
    assert entries == [("检查表 全部确认", f"确认 {count} 项")]  # one entry, not one per item
    stale = dept.post(f"/work/budgets/{a}/checklist/confirm-all", {"version": "1"})
    assert stale.status_code == 409


# --- permissions ----------------------------------------------------------------------------------

USERS = [None, "admin", "finance", "dept_a", "dept_b", "prep_a", "prep_b"]
LIVE = {None: "login", "admin": "ok", "finance": "ok", "dept_a": "ok", "dept_b": "404", "prep_a": "403",
        "prep_b": "404"}
STORED = {None: "login", "admin": "ok", "finance": "ok", "dept_a": "ok", "dept_b": "404", "prep_a": "ok",
          "prep_b": "404"}
DEPT_STEP = {None: "403", "admin": "403", "finance": "403", "dept_a": "ok", "dept_b": "404", "prep_a": "403",
             "prep_b": "404"}


def outcome(response) -> str:  # type: ignore[no-untyped-def]
    if response.status_code == 303 and "/login" in response.headers.get("location", ""):
        return "login"
    if response.status_code in (200, 303):
        return "ok"
    return str(response.status_code)


@pytest.mark.parametrize("user", USERS, ids=lambda u: u or "anonymous")
def test_checklist_matrix(app, world, user):  # type: ignore[no-untyped-def]
    a, b = submit(app, world), submit(app, world, "B001")
    assert Client(app, "dept_b").act(b, "approve").status_code == 303  # B gets a stored checklist
    with world.factory() as session:
        b_record = session.scalars(select(ChecklistRecord).where(ChecklistRecord.budget_id == b)).one().id
    client = Client(app, user)
    for path in (f"/work/budgets/{a}/checklist.xlsx", f"/work/budgets/{a}/checklist.html"):
        response = client.get(path)
        assert outcome(response) == LIVE[user], (path, user, response.status_code)
        if user in (None, "dept_a", "prep_a"):
            assert B_SECRET not in main_content(response.text)
    # another unit's stored checklist: not through A's address, and not at all for A's people
    assert client.get(f"/work/budgets/{a}/checklists/{b_record}.xlsx").status_code in (
        (303,) if user is None else (404,))
    expected_b = {None: "login", "admin": "ok", "finance": "ok", "dept_a": "404", "dept_b": "ok", "prep_a": "404",
                  "prep_b": "ok"}[user]
    response = client.get(f"/work/budgets/{b}/checklists/{b_record}.html")
    assert outcome(response) == expected_b
    if expected_b != "ok":
        assert B_SECRET not in main_content(response.text)
    for path, data in ((f"/work/budgets/{a}/checklist", {"item": "cover", "action": "confirm"}),
                       (f"/work/budgets/{a}/checklist/confirm-all", {})):
        fresh = Client(app, user)
        version = fresh.version(a) if user in ("admin", "finance", "dept_a", "prep_a") else "1"
        response = fresh.post(path, {"version": version, **data})
        assert outcome(response) == DEPT_STEP[user], (path, user, response.status_code, response.text[:300])
        if DEPT_STEP[user] != "ok":
            assert B_SECRET not in main_content(response.text)
    if user == "dept_a":  # approved by the department: the stored checklist is readable by those who see A
        assert client.act(a, "approve").status_code == 303
        with world.factory() as session:
            a_record = session.scalars(select(ChecklistRecord).where(ChecklistRecord.budget_id == a)).one().id
        for other, expected in STORED.items():
            response = Client(app, other).get(f"/work/budgets/{a}/checklists/{a_record}.xlsx")
            assert outcome(response) == expected, (other, response.status_code)

"""Performance management in the web system (issue 7): entry by form and XLSX, the workflow
(submit, send back with a comment, accept, refusals), scores shown equal ``self_evaluate``'s, the
finance bureau's dashboard with late units at a fixed date, filters, 重点绩效评价 and exports; the
permission matrix of every performance route. SQLite always, PostgreSQL with TEST_DATABASE_URL."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from deptbudget.performance import actuals_from_dict, load_rules, monitor, self_evaluate
from deptbudget.performance.rules import locality_of_template
from deptbudget.store.documents import parse_document
from deptbudget.store.models import AuditEntry, Budget, Department, KeyEvaluation, PerformanceReport, Unit
from tests.web.conftest import PASSWORD, Client, World, main_content

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
B_SECRET = "测试区教育局"

# P1 科普活动经费 (1,899,950.00 元): 举办活动 ≥10 场, 参与者满意度 ≥90%; P2 停车系统质保款 (250.00 元):
# 质保期内系统正常运行率 ≥95%. The field names are those of the entry form (p0 = P1, p1 = P2; i = indicator).
MID_OK = {"report_date": "2020-06-30", "p0.spent": "1000000", "p0.i0.to_date": "6", "p0.i1.to_date": "95%",
          "p1.spent": "200", "p1.i0.to_date": "99%"}
MID_DATA = {"report_date": "2020-06-30", "projects": {
    "P1": {"spent": "1000000", "indicators": {"举办活动": {"to_date": "6"}, "参与者满意度": {"to_date": "95%"}}},
    "P2": {"spent": "200", "indicators": {"质保期内系统正常运行率": {"to_date": "99%"}}}}}
SELF_DATA = {"projects": {
    "P1": {"spent": "1800000", "indicators": {"举办活动": {"actual": "8", "explanation": "疫情影响，两场活动取消。"},
                                               "参与者满意度": {"actual": "92%"}}},
    "P2": {"spent": "250", "indicators": {"质保期内系统正常运行率": {"actual": "96%"}}}}}


@dataclass
class Clock:
    today: date = date(2020, 7, 15)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def open_budgets(world: World, state: str = "approved") -> None:
    with world.factory() as session, session.begin():
        for budget in session.scalars(select(Budget)):
            budget.state = state


@pytest.fixture
def papp(world: World, clock: Clock):  # type: ignore[no-untyped-def]
    from deptbudget.web.app import Settings, create_app

    open_budgets(world)
    return create_app(world.url, settings=Settings(upload_limit=256 * 1024, today=lambda: clock.today, job_wait=120))


def put_report(world: World, budget_id: int, stage: str, data: dict[str, Any], status: str = "draft",
               submitted_on: date | None = None) -> None:
    with world.factory() as session, session.begin():
        report = session.scalar(select(PerformanceReport).where(PerformanceReport.budget_id == budget_id,
                                                                 PerformanceReport.stage == stage))
        if report is None:
            report = PerformanceReport(budget_id=budget_id, stage=stage)
            session.add(report)
        report.actuals_json = json.dumps({"fiscal_year": 2020, "stage": stage, **data}, ensure_ascii=False)
        report.status, report.submitted_on, report.updated_by = status, submitted_on, "test"


def report_row(world: World, budget_id: int, stage: str) -> PerformanceReport | None:
    with world.factory() as session:
        report = session.scalar(select(PerformanceReport).where(PerformanceReport.budget_id == budget_id,
                                                                 PerformanceReport.stage == stage))
        if report is not None:
            session.expunge(report)
        return report


def audit_of(world: World, budget_id: int, prefix: str = "perf") -> list[tuple[str, str, str, str, str, str]]:
    with world.factory() as session:
        return [(a.action, a.username, a.what, a.old, a.new, a.comment) for a in session.scalars(
            select(AuditEntry).where(AuditEntry.budget_id == budget_id).order_by(AuditEntry.id))
            if a.action.startswith(prefix)]


def url(world: World, stage: str = "", unit: str = "A001") -> str:
    base = f"/work/budgets/{world.budgets[unit]}/performance"
    return f"{base}/{stage}" if stage else base


VERSION_RE = re.compile(r'name="version" value="(\d+)"')


def page_version(client: Client, path: str) -> str:
    match = VERSION_RE.search(client.get(path).text)
    return match.group(1) if match else "0"


def post_entry(client: Client, path: str, fields: dict[str, str], **extra: str):  # type: ignore[no-untyped-def]
    return client.post(path, {"version": page_version(client, path), **fields, **extra})


def act(client: Client, path: str, action: str, **fields: str):  # type: ignore[no-untyped-def]
    return client.post(f"{path}/{action}", {"version": page_version(client, path), **fields})


def shown_scores(html: str) -> dict[str, tuple[Decimal, str]]:
    """code → (总分, 等级) as the self-evaluation summary table shows them."""
    rows = re.findall(r'<tr data-code="([^"]+)">.*?<td class="num score"><strong>([\d.]+)</strong></td>'
                      r'<td class="grade">([^<]+)</td>', html, re.S)
    return {code: (Decimal(score), grade) for code, score, grade in rows}


# --- pages and entry ------------------------------------------------------------------------------


def test_targets_page_shows_the_tree_with_points(papp, world):  # type: ignore[no-untyped-def]
    page = Client(papp, "prep_a").get(url(world))
    assert page.status_code == 200
    text = page.text
    assert "举办活动" in text and "≥10 场" in text and "参与者满意度" in text
    # 产出 and 满意度 only: 效益's 30 points go to the others in proportion (56.25 → 75 with 10 of 满意度 …)
    assert "75.00" in text and "15.00" in text and "90.00" in text and "100.00" in text
    assert 'id="status-midyear">未填报' in text


def test_draft_budget_has_no_performance_entry(app, world):  # type: ignore[no-untyped-def]
    prep = Client(app, "prep_a")
    page = prep.get(url(world))
    assert page.status_code == 200 and "perf-closed" in page.text
    response = post_entry(prep, url(world, "midyear"), MID_OK)
    assert response.status_code == 403 and "审核通过后" in response.text
    assert report_row(world, world.budgets["A001"], "midyear") is None


def test_midyear_flags_need_reason_and_action(papp, world):  # type: ignore[no-untyped-def]
    prep, path = Client(papp, "prep_a"), url(world, "midyear")
    fields = {"report_date": "2020-06-30", "p0.spent": "500000", "p0.i0.to_date": "3", "p0.i1.to_date": "95%",
              "p1.spent": "200", "p1.i0.to_date": "99%"}
    assert post_entry(prep, path, fields).status_code == 303
    page = prep.get(path).text
    # 500,000 / 1,899,950 = 26.32 % against a schedule of 182 / 366 = 49.73 % (tolerance 10 points)
    assert "26.32%" in page and "49.73%" in page and "执行进度滞后" in page
    assert "预计难以完成" in page  # 3 场 by 06-30 projects to 6.03 场 at year end, below ≥10
    refused = act(prep, path, "submit")
    assert refused.status_code == 422 and "不能提交" in refused.text and "偏差原因" in refused.text
    assert report_row(world, world.budgets["A001"], "midyear").status == "draft"
    fields.update({"p0.reason": "上半年活动因疫情暂停。", "p0.action": "下半年集中开展。",
                   "p0.i0.reason": "场地受限。", "p0.i0.action": "增加线上活动。"})
    assert post_entry(prep, path, fields).status_code == 303
    assert act(prep, path, "submit").status_code == 303
    row = report_row(world, world.budgets["A001"], "midyear")
    assert row.status == "submitted" and row.submitted_on == date(2020, 7, 15)
    # the page's figures are monitor()'s
    with world.factory() as session:
        source = session.get(Budget, world.budgets["A001"])
        budget = parse_document(source.source)
    mm = monitor(budget, actuals_from_dict(json.loads(row.actuals_json)), load_rules("shenzhen"))
    assert [p.rate_percent for p in mm.projects] == [Decimal("26.32"), Decimal("80.00")]


def test_workflow_submit_send_back_accept_and_refusals(papp, world):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    prep, fin, dept = Client(papp, "prep_a"), Client(papp, "finance"), Client(papp, "dept_a")
    path = url(world, "midyear")
    assert act(fin, path, "accept").status_code == 422  # nothing submitted yet
    assert post_entry(prep, path, MID_OK).status_code == 303
    assert act(prep, path, "submit").status_code == 303
    assert act(prep, path, "submit").status_code == 403  # already submitted
    assert post_entry(prep, path, MID_OK, **{"p0.spent": "1"}).status_code == 403  # no edits while submitted
    for client in (dept, Client(papp, "admin"), prep):
        assert act(client, path, "accept").status_code == 403
        assert act(client, path, "return", comment="x").status_code == 403
    assert act(fin, path, "return", comment="  ").status_code == 422  # a comment is required
    assert act(fin, path, "return", comment="请补充第二季度活动的开展情况。").status_code == 303
    row = report_row(world, a, "midyear")
    assert row.status == "returned" and row.comment == "请补充第二季度活动的开展情况。"
    page = prep.get(path).text
    assert "请补充第二季度活动的开展情况。" in page and "已退回" in page
    assert post_entry(prep, path, MID_OK, **{"p0.spent": "1000001"}).status_code == 303  # editable again
    assert act(prep, path, "submit").status_code == 303
    assert act(fin, path, "accept", comment="同意。").status_code == 303
    assert report_row(world, a, "midyear").status == "accepted"
    assert act(fin, path, "return", comment="x").status_code == 422  # accepted: nothing to decide
    assert post_entry(prep, path, MID_OK).status_code == 403
    states = [(e[0], e[1], e[3], e[4], e[5]) for e in audit_of(world, a) if e[2] == "绩效运行监控 状态"]
    assert states == [
        ("perf-save", "prep_a", "未填报", "填报中", ""),
        ("perf-submit", "prep_a", "填报中", "已提交", ""),
        ("perf-return", "finance", "已提交", "已退回", "请补充第二季度活动的开展情况。"),
        ("perf-save", "prep_a", "已退回", "填报中", ""),
        ("perf-submit", "prep_a", "填报中", "已提交", ""),
        ("perf-accept", "finance", "已提交", "已审核", "同意。"),
    ]
    edits = [e for e in audit_of(world, a) if e[0] == "perf-save" and "状态" not in e[2]]
    assert ("perf-save", "prep_a", "绩效运行监控 P1 执行数", "1000000", "1000001", "") in edits
    assert ("perf-save", "prep_a", "绩效运行监控 P1「举办活动」截至报告日完成值", "", "6", "") in edits
    budget_page = prep.get(f"/work/budgets/{a}").text  # the budget's audit log shows them too
    assert "绩效运行监控 P1 执行数" in budget_page and "绩效审核通过" in budget_page


def test_selfeval_scores_are_self_evaluate_s(papp, world):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    prep, fin, path = Client(papp, "prep_a"), Client(papp, "finance"), url(world, "selfeval")
    fields = {"p0.spent": "1800000", "p0.i0.actual": "8", "p0.i1.actual": "92%", "p1.spent": "250",
              "p1.i0.actual": "96%"}
    assert post_entry(prep, path, fields).status_code == 303
    page = prep.get(path).text
    # by hand: P1 执行率 1,800,000 / 1,899,950 = 94.74 % → 9.47; 举办活动 8 / 10 × 75 = 60.00;
    # 参与者满意度 92 % ≥ 90 % → 15.00; total 84.47 良. P2: 10 + 90 = 100.00 优.
    assert shown_scores(page) == {"P1": (Decimal("84.47"), "良"), "P2": (Decimal("100.00"), "优")}
    assert "未达成目标，须说明偏差原因及改进措施" in page  # 举办活动 missed
    refused = act(prep, path, "submit")
    assert refused.status_code == 422 and "举办活动" in refused.text
    fields["p0.i0.explanation"] = "疫情影响，两场活动取消。"
    assert post_entry(prep, path, fields).status_code == 303
    assert act(prep, path, "submit").status_code == 303
    stored = json.loads(report_row(world, a, "selfeval").actuals_json)
    with world.factory() as session:
        budget = parse_document(session.get(Budget, a).source)
    se = self_evaluate(budget, actuals_from_dict(stored), load_rules(locality_of_template(budget.template)))
    expected = {ev.code: (ev.total, ev.grade) for ev in se.evaluations}
    reviewer_page = fin.get(path).text  # the finance bureau sees the same scores
    assert shown_scores(reviewer_page) == expected == shown_scores(prep.get(path).text)
    assert 'id="perf-accept-button"' in reviewer_page and 'name="p0.spent"' not in reviewer_page


def test_bad_values_are_shown_next_to_the_field_and_bad_amounts_refused(papp, world):  # type: ignore[no-untyped-def]
    prep, path = Client(papp, "prep_a"), url(world, "selfeval")
    assert post_entry(prep, path, {"p0.spent": "abc"}).status_code == 422
    assert report_row(world, world.budgets["A001"], "selfeval") is None  # nothing saved
    assert post_entry(prep, path, {"p0.spent": "1800000", "p0.i0.actual": "很多", "p0.i1.actual": "92 场"}
                      ).status_code == 303
    page = prep.get(path).text
    assert "定量指标的实际值应为数字" in page and "单位与目标值" in page
    assert act(prep, path, "submit").status_code == 422


def test_preview_computes_without_saving(papp, world):  # type: ignore[no-untyped-def]
    prep, path = Client(papp, "prep_a"), url(world, "selfeval")
    response = post_entry(prep, path, {"p0.spent": "1899950", "p0.i0.actual": "10", "p0.i1.actual": "90%"},
                          preview="1")
    assert response.status_code == 200 and "尚未保存" in response.text
    assert shown_scores(response.text)["P1"] == (Decimal("100.00"), "优")
    assert report_row(world, world.budgets["A001"], "selfeval") is None


def test_concurrent_saves_conflict_and_keep_the_values(papp, world):  # type: ignore[no-untyped-def]
    first, second, path = Client(papp, "prep_a"), Client(papp, "prep_a"), url(world, "midyear")
    stale = page_version(second, path)
    assert post_entry(first, path, MID_OK).status_code == 303
    response = second.post(path, {"version": stale, **MID_OK, "p0.spent": "777777"})
    assert response.status_code == 409 and "保存冲突" in response.text and "777777" in response.text
    assert json.loads(report_row(world, world.budgets["A001"], "midyear").actuals_json)["projects"]["P1"][
        "spent"] == "1000000"
    again = second.post(path, {"version": VERSION_RE.search(response.text).group(1), **MID_OK, "p0.spent": "777777"})
    assert again.status_code == 303


# --- XLSX -----------------------------------------------------------------------------------------


def _fill_template(content: bytes, stage: str) -> bytes:
    book = load_workbook(io.BytesIO(content))
    projects, indicators = book["项目"], book["指标"]
    head = {c.value: c.column for c in projects[1]}
    for row in projects.iter_rows(min_row=2):
        code = row[0].value
        if code == "P1":
            projects.cell(row[0].row, head["执行数（元）"], "1800000.00")
        elif code == "P2":
            projects.cell(row[0].row, head["执行数（元）"], "250.00")
    head = {c.value: c.column for c in indicators[1]}
    values = {"举办活动": ("10", "12"), "参与者满意度": ("93%", "93%"), "质保期内系统正常运行率": ("99%", "99%")}
    for row in indicators.iter_rows(min_row=2):
        name = row[3].value
        if name in values:
            if stage == "selfeval":
                indicators.cell(row[0].row, head["实际完成值"], values[name][0])
            else:
                indicators.cell(row[0].row, head["截至报告日完成值"], values[name][0])
                indicators.cell(row[0].row, head["全年预计完成值"], values[name][1])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_xlsx_template_round_trip(papp, world):  # type: ignore[no-untyped-def]
    prep, path = Client(papp, "prep_a"), url(world, "selfeval")
    template = prep.get(f"{path}/actuals.xlsx")
    assert template.status_code == 200 and template.headers["content-type"].startswith(XLSX)
    filled = _fill_template(template.content, "selfeval")
    response = prep.post(f"{path}/upload", {"version": page_version(prep, path)},
                         files={"file": ("自评.xlsx", filled, XLSX)})
    assert response.status_code == 303, response.text[:500]
    stored = json.loads(report_row(world, world.budgets["A001"], "selfeval").actuals_json)
    assert stored["projects"]["P1"]["spent"] == "1800000.00"
    assert stored["projects"]["P1"]["indicators"]["举办活动"] == {"actual": "10"}
    assert shown_scores(prep.get(path).text)["P2"] == (Decimal("100.00"), "优")
    # downloaded again, the template carries the stored values
    again = load_workbook(io.BytesIO(prep.get(f"{path}/actuals.xlsx").content))
    assert any(row[5].value == "10" for row in again["指标"].iter_rows(min_row=2))
    uploads = [e for e in audit_of(world, world.budgets["A001"]) if e[0] == "perf-upload"]
    assert uploads and all(e[5] == "上传 自评.xlsx" for e in uploads)


@pytest.mark.parametrize("name,content,message", [
    ("values.txt", b"hello", "不支持的文件类型"),
    ("values.xlsx", b"PK\x03\x04 not really a workbook", "无法使用"),
    ("values.yaml", b"fiscal_year: 2019\nstage: selfeval\nprojects: {}\n", "2019"),
    ("values.yaml", b"fiscal_year: 2020\nstage: midyear\nprojects: {}\n", "文件是绩效运行监控"),
    ("values.yaml", b"fiscal_year: 2020\nprojects: {P9: {spent: '1.00'}}\n", "没有项目编码 P9"),
    ("values.yaml", "fiscal_year: 2020\nprojects: {P1: {indicators: {不存在的指标: 1}}}\n".encode(), "不存在的指标"),
    ("values.yaml", b"fiscal_year: 2020\nprojects: {P1: {spent: '1.001'}}\n", "最多两位小数"),
], ids=["type", "corrupt", "year", "stage", "code", "indicator", "cents"])
def test_bad_uploads_change_nothing(papp, world, name, content, message):  # type: ignore[no-untyped-def]
    prep, path = Client(papp, "prep_a"), url(world, "selfeval")
    put_report(world, world.budgets["A001"], "selfeval", SELF_DATA)
    before = report_row(world, world.budgets["A001"], "selfeval")
    response = prep.post(f"{path}/upload", {"version": page_version(prep, path)},
                         files={"file": (name, content, "application/octet-stream")})
    assert response.status_code == 422 and message in response.text, response.text[:2000]
    after = report_row(world, world.budgets["A001"], "selfeval")
    assert (after.actuals_json, after.version) == (before.actuals_json, before.version)


def test_reports_download_in_three_formats(papp, world):  # type: ignore[no-untyped-def]
    put_report(world, world.budgets["A001"], "selfeval", SELF_DATA)
    put_report(world, world.budgets["A001"], "midyear", MID_DATA)
    fin = Client(papp, "finance")
    html = fin.get(f"{url(world, 'selfeval')}/report.html")
    assert html.status_code == 200 and "项目支出绩效自评表" in html.text and "84.47" in html.text
    assert fin.get(f"{url(world, 'selfeval')}/report.pdf").content[:5] == b"%PDF-"
    book = load_workbook(io.BytesIO(fin.get(f"{url(world, 'midyear')}/report.xlsx").content))
    assert book.sheetnames
    assert fin.get(f"{url(world, 'midyear')}/report.doc").status_code == 404


def test_example_budget_with_the_sample_actuals(papp, world):  # type: ignore[no-untyped-def]
    """The seed's 19 projects and 表14: the sample actuals uploaded; every score on the page is
    self_evaluate's; the department scores 90.29 优 (docs/performance.md)."""
    from deptbudget.sources.yaml_source import load_budget
    from deptbudget.web import services
    from deptbudget.web.demo import normalized_source

    with world.factory() as session, session.begin():
        department = Department(code="KCJ", name="罗湖区科技创新局")
        session.add(department)
        session.flush()
        unit = Unit(code="440303-KCJ-001", name="罗湖区科技创新局", department_id=department.id)
        session.add(unit)
        session.flush()
        from deptbudget.web import auth

        preparer = auth.add_user(session, "tianbao", PASSWORD, "preparer", unit_id=unit.id)
        source = normalized_source((EXAMPLES / "luohu-2020.yaml").read_text(encoding="utf-8"))
        budget = services.create_budget(session, unit, 2020, preparer, source)
        budget.state = "published"
        budget_id = budget.id
    prep, path = Client(papp, "tianbao"), f"/work/budgets/{budget_id}/performance/selfeval"
    sample = (EXAMPLES / "luohu-2020-actuals.yaml").read_bytes()
    response = prep.post(f"{path}/upload", {"version": "0"},
                         files={"file": ("luohu-2020-actuals.yaml", sample, "application/yaml")})
    assert response.status_code == 303, response.text[:1000]
    shown = shown_scores(prep.get(path).text)
    seed = load_budget(EXAMPLES / "luohu-2020.yaml")
    from deptbudget.performance import load_actuals

    se = self_evaluate(seed, load_actuals(EXAMPLES / "luohu-2020-actuals.yaml"), load_rules("shenzhen"))
    assert shown == {ev.code: (ev.total, ev.grade) for ev in se.evaluations}
    assert len(shown) == 20 and shown["部门整体"] == (Decimal("90.29"), "优")
    grades = [grade for code, (_score, grade) in shown.items() if code != "部门整体"]
    assert (grades.count("优"), grades.count("良"), grades.count("中")) == (13, 5, 1)  # 工作时效 scored
    assert act(prep, path, "submit").status_code == 303
    midyear = (EXAMPLES / "luohu-2020-midyear.yaml").read_bytes()
    mid_path = f"/work/budgets/{budget_id}/performance/midyear"
    assert prep.post(f"{mid_path}/upload", {"version": "0"},
                     files={"file": ("midyear.yaml", midyear, "application/yaml")}).status_code == 303
    page = prep.get(mid_path).text
    assert "69.18%" in page and "执行进度滞后" in page


# --- the finance bureau's dashboard ---------------------------------------------------------------


def _late_rows(html: str) -> list[list[str]]:
    table = re.search(r'<table class="data" id="late-units">(.*?)</table>', html, re.S)
    if table is None:
        return []
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", table.group(1))[1:]]


def test_late_units_at_a_fixed_date(papp, world, clock):  # type: ignore[no-untyped-def]
    fin = Client(papp, "finance")
    clock.today = date(2020, 8, 31)  # the deadline day itself is on time
    prep_a = Client(papp, "prep_a")
    assert post_entry(prep_a, url(world, "midyear"), MID_OK).status_code == 303
    assert act(prep_a, url(world, "midyear"), "submit").status_code == 303
    assert _late_rows(fin.get("/work/performance?today=2020-08-31").text) == []
    assert _late_rows(fin.get("/work/performance?today=2020-09-10").text) == [
        ["测试区教育局", "绩效运行监控", "2020-08-31", "尚未提交", "10"]]
    clock.today = date(2020, 9, 12)  # B submits twelve days late
    prep_b = Client(papp, "prep_b")
    assert post_entry(prep_b, url(world, "midyear", "B001"), MID_OK).status_code == 303
    assert act(prep_b, url(world, "midyear", "B001"), "submit").status_code == 303
    assert _late_rows(fin.get("/work/performance?today=2020-09-15").text) == [
        ["测试区教育局", "绩效运行监控", "2020-08-31", "2020-09-12", "12"]]
    # a submission dated after the day looked at does not count yet
    assert _late_rows(fin.get("/work/performance?today=2020-09-11").text)[0][3:] == ["尚未提交", "11"]
    # without ?today= the application's clock decides
    clock.today = date(2021, 4, 2)
    rows = _late_rows(fin.get("/work/performance").text)
    assert ["测试区科技局", "绩效自评", "2021-03-31", "尚未提交", "2"] in rows
    assert ["测试区教育局", "绩效运行监控", "2020-08-31", "2020-09-12", "12"] in rows
    late = fin.get("/work/performance?stage=midyear&late=1&today=2020-09-15").text
    assert "测试区教育局" in re.search(r'id="project-rows">(.*?)</table>', late, re.S).group(1)
    assert "测试区科技局" not in re.search(r'id="project-rows">(.*?)</table>', late, re.S).group(1)
    assert fin.get("/work/performance?today=31.08.2020").status_code == 400


def test_dashboard_filters_scores_key_evaluation_and_export(papp, world):  # type: ignore[no-untyped-def]
    a, b = world.budgets["A001"], world.budgets["B001"]
    put_report(world, a, "selfeval", SELF_DATA, status="submitted", submitted_on=date(2021, 3, 1))
    fin = Client(papp, "finance")
    page = fin.get("/work/performance?year=2020").text
    rows = re.search(r'id="project-rows">(.*?)</table>', page, re.S).group(1)
    assert "84.47" in rows and "100.00" in rows and "测试区教育局" in rows
    assert "84.47" in fin.get(f"/work/budgets/{a}/performance/selfeval").text
    good = fin.get("/work/performance?year=2020&grade=良").text
    body = re.search(r'id="project-rows">(.*?)</table>', good, re.S).group(1)
    assert body.count("<tr data-code") == 1 and "科普活动经费" in body
    submitted = fin.get("/work/performance?year=2020&status=submitted").text
    assert re.search(r'id="project-rows">(.*?)</table>', submitted, re.S).group(1).count("<tr data-code") == 2
    # 重点绩效评价: picked among the rows shown; a shown row not ticked is unpicked
    shown = [f"{a}|P1", f"{a}|P2", f"{b}|P1"]
    response = fin.post("/work/performance/key-evaluation", {"year": "2020", "shown": shown, "pick": [f"{a}|P1"],
                                                             "back": "/work/performance?year=2020"})
    assert response.status_code == 303
    with world.factory() as session:
        assert [(k.budget_id, k.project_code, k.picked_by) for k in session.scalars(select(KeyEvaluation))] == [
            (a, "P1", "finance")]
    assert f'value="{a}|P1" checked' in fin.get("/work/performance?year=2020").text
    assert fin.post("/work/performance/key-evaluation", {"year": "2020", "shown": [f"{a}|P1"]}).status_code == 303
    with world.factory() as session:
        assert session.scalars(select(KeyEvaluation)).all() == []
    picks = audit_of(world, a, "key-eval")
    assert [(e[2], e[3], e[4]) for e in picks] == [("重点绩效评价 P1 科普活动经费", "", "已选定"),
                                                  ("重点绩效评价 P1 科普活动经费", "已选定", "已取消")]
    assert fin.post("/work/performance/key-evaluation", {"year": "2020", "shown": [f"{a}|P9"], "pick": [f"{a}|P9"]}
                    ).status_code == 422
    export = fin.get("/work/performance/export.xlsx?year=2020&grade=良")
    assert export.status_code == 200 and export.headers["content-type"].startswith(XLSX)
    cells = [c.value for row in load_workbook(io.BytesIO(export.content)).active.iter_rows() for c in row]
    assert "科普活动经费" in cells and "停车系统质保款" not in cells
    assert fin.get("/work/performance/export.pdf?year=2020").content[:5] == b"%PDF-"


def test_indicator_library_page_and_picker(app, world):  # type: ignore[no-untyped-def]
    prep = Client(app, "prep_a")
    page = prep.get("/work/library?q=满意度")
    assert page.status_code == 200 and "服务对象满意度" in page.text
    form = prep.get(f"/work/budgets/{world.budgets['A001']}/edit/indicators").text
    assert 'id="list-library"' in form and 'list="list-library"' in form
    assert 'value="参与者满意度"' in form  # the unit's own indicators are offered as well
    assert 'data-level2="数量指标"' in form


# --- the permission matrix ------------------------------------------------------------------------

USERS = [None, "admin", "finance", "dept_a", "dept_b", "prep_a", "prep_b"]
VIEW = {None: "login", "admin": "ok", "finance": "ok", "dept_a": "ok", "dept_b": "404", "prep_a": "ok",
        "prep_b": "404"}
DASHBOARD = {None: "login", "admin": "ok", "finance": "ok", "dept_a": "403", "dept_b": "403", "prep_a": "403",
             "prep_b": "403"}
SIGNED_IN = {u: ("login" if u is None else "ok") for u in USERS}
PREPARER_POST = {None: "403", "admin": "403", "finance": "403", "dept_a": "403", "dept_b": "404", "prep_a": "ok",
                 "prep_b": "404"}
FINANCE_POST = {None: "403", "admin": "403", "finance": "ok", "dept_a": "403", "dept_b": "404", "prep_a": "403",
                "prep_b": "404"}
FINANCE_ONLY = {u: ("ok" if u == "finance" else "403") for u in USERS}

GET_ROUTES = [
    ("/work/budgets/{A}/performance", VIEW),
    ("/work/budgets/{A}/performance/midyear", VIEW),
    ("/work/budgets/{A}/performance/selfeval", VIEW),
    ("/work/budgets/{A}/performance/midyear/actuals.xlsx", VIEW),
    ("/work/budgets/{A}/performance/selfeval/actuals.xlsx", VIEW),
    ("/work/budgets/{A}/performance/selfeval/report.html", VIEW),
    ("/work/budgets/{A}/performance/midyear/report.xlsx", VIEW),
    ("/work/performance", DASHBOARD),
    ("/work/performance?year=2020&stage=midyear&late=1&today=2020-09-10", DASHBOARD),
    ("/work/performance/export.xlsx", DASHBOARD),
    ("/work/performance/export.html", DASHBOARD),
    ("/work/library", SIGNED_IN),
]
MID_YAML = ("fiscal_year: 2020\nstage: midyear\nreport_date: 2020-06-30\nprojects:\n"
            "  P1: {spent: '1000000.00', indicators: {举办活动: 6, 参与者满意度: '95%'}}\n"
            "  P2: {spent: '200.00', indicators: {质保期内系统正常运行率: '99%'}}\n")
# (route, expected, form fields or None for an upload, the midyear report's status before the POST)
POST_ROUTES: list[tuple[str, dict[str, str], dict[str, Any] | None, str | None]] = [
    ("/work/budgets/{A}/performance/midyear", PREPARER_POST, MID_OK, None),
    ("/work/budgets/{A}/performance/midyear/upload", PREPARER_POST, None, None),
    ("/work/budgets/{A}/performance/midyear/submit", PREPARER_POST, {}, "draft"),
    ("/work/budgets/{A}/performance/midyear/accept", FINANCE_POST, {"comment": "同意"}, "submitted"),
    ("/work/budgets/{A}/performance/midyear/return", FINANCE_POST, {"comment": "请补充"}, "submitted"),
    ("/work/performance/key-evaluation", FINANCE_ONLY, {"year": "2020", "shown": "{A}|P1", "pick": "{A}|P1"}, None),
]


def outcome(response) -> str:  # type: ignore[no-untyped-def]
    if response.status_code == 303 and "/login" in response.headers.get("location", ""):
        return "login"
    if response.status_code in (200, 303):
        return "ok"
    return str(response.status_code)


@pytest.mark.parametrize("user", USERS, ids=lambda u: u or "anonymous")
def test_performance_get_matrix(papp, world, user):  # type: ignore[no-untyped-def]
    put_report(world, world.budgets["A001"], "midyear", MID_DATA, status="submitted", submitted_on=date(2020, 8, 1))
    put_report(world, world.budgets["A001"], "selfeval", SELF_DATA)
    client = Client(papp, user)
    for route, expected in GET_ROUTES:
        path = route.format(A=world.budgets["A001"])
        response = client.get(path)
        assert outcome(response) == expected[user], (path, user, response.status_code)
        if user in (None, "dept_a", "prep_a"):  # never another unit's data (dept_b/prep_b: their own header)
            assert B_SECRET not in main_content(response.text), (path, user)


@pytest.mark.parametrize("user", USERS, ids=lambda u: u or "anonymous")
def test_performance_post_matrix(papp, world, user):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    for route, expected, fields, status in POST_ROUTES:
        with world.factory() as session, session.begin():  # each POST from a known state
            session.query(PerformanceReport).delete()
            session.query(KeyEvaluation).delete()
        if status is not None:
            put_report(world, a, "midyear", MID_DATA, status=status, submitted_on=None)
        client = Client(papp, user)
        path = route.format(A=a)
        version = page_version(client, url(world, "midyear")) if user in ("admin", "finance", "dept_a", "prep_a") \
            else "0"
        if fields is None:
            response = client.post(path, {"version": version},
                                   files={"file": ("midyear.yaml", MID_YAML.encode(), "application/yaml")})
        else:
            data = {k: v.format(A=a) for k, v in fields.items()}
            response = client.post(path, {"version": version, **data})
        assert outcome(response) == expected[user], (path, user, response.status_code, response.text[:300])
        if expected[user] != "ok":
            assert B_SECRET not in main_content(response.text)


def test_csrf_on_performance_forms(papp, world):  # type: ignore[no-untyped-def]
    prep, fin = Client(papp, "prep_a"), Client(papp, "finance")
    path = url(world, "midyear")
    for suffix in ("", "/submit", "/upload"):
        assert prep.post(path + suffix, {"version": "0", "csrf_token": "forged"}).status_code == 403
    assert fin.post("/work/performance/key-evaluation", {"year": "2020", "csrf_token": "forged"}).status_code == 403
    assert report_row(world, world.budgets["A001"], "midyear") is None

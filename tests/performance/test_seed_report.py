"""The seed's 19 projects and 表14 targets load; the sample actuals give a full self-evaluation
report in HTML, XLSX and PDF."""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from deptbudget.performance.actuals import (
    Stage,
    actuals_from_dict,
    actuals_to_dict,
    check_actuals,
    load_actuals,
    write_actuals_xlsx,
)
from deptbudget.performance.forms import selfeval_forms
from deptbudget.performance.library import load_library
from deptbudget.performance.render import write_report
from deptbudget.performance.scoring import project_trees, self_evaluate
from deptbudget.performance.tree import build_tree

D = Decimal


def test_seed_projects_and_department_targets_load(seed, rules) -> None:  # type: ignore[no-untyped-def]
    assert len(seed.projects) == 19
    trees = project_trees(seed, rules)
    assert all(tree.total_points == D(100) for tree in trees.values())
    # every indicator of 表15 and each project's 工作时效
    assert sum(len(t.indicators) for t in trees.values()) == sum(len(p.indicators) for p in seed.projects) + 19 == 142
    # 服务对象满意度指标 (written under 效益指标) is scored as 满意度
    t1 = trees["LHKCJ2020-01"]
    assert [(d.key, d.points) for d in t1.dimensions] == [("产出", D(50)), ("效益", D(30)), ("满意度", D(10))]
    assert t1.dimension("满意度").indicators[0].name == "退休老干部满意度"
    # 粤港澳大湾区无人机大赛 has no 满意度 indicator: its 10 points are redistributed 50 : 30
    assert [(d.key, d.points) for d in trees["LHKCJ2020-02"].dimensions] == [("产出", D("56.25")),
                                                                              ("效益", D("33.75"))]
    dept = build_tree(seed.department_targets.indicators, rules)
    assert len(dept.indicators) == 18 and dept.total_points == D(100)
    assert len(dept.dimension("产出").indicators) == 14
    # the 表14 indicator printed without a target is judged by grade
    assert dept.find("加大辖区科普宣传力度, 营造良好的科学氛围").is_qualitative


def test_indicator_library_lists_every_seed_indicator(seed) -> None:  # type: ignore[no-untyped-def]
    library = load_library("shenzhen")
    assert library.missing_from(seed) == []
    groups = library.groups()
    assert set(groups) == {"产出指标", "效益指标"}
    assert {"数量指标", "质量指标", "时效指标", "成本指标"} <= set(groups["产出指标"])
    assert "服务对象满意度指标" in groups["效益指标"]
    entry = library.get("科普读本错误率")
    assert entry is not None and (entry.level2, entry.direction, entry.unit) == ("质量指标", "≤", "%")
    made = entry.to_indicator("≤0.5%")
    assert (made.direction, made.value) == ("≤", D("0.5"))
    assert [e.name for e in library.search("满意度", level2="服务对象满意度指标")][:2] == ["退休老干部满意度",
                                                                                        "社会公众满意度"]
    extended = library.extended([entry.to_indicator(), made.__class__("产出指标", "数量指标", "新指标", "≥1 个")])
    assert len(extended.entries) == len(library.entries) + 1


EXPECTED = {  # code: (score, grade), from the sample actuals (工作时效 scored with the other 产出 indicators)
    "LHKCJ2020-01": ("99.74", "优"), "LHKCJ2020-02": ("86.62", "良"), "LHKCJ2020-03": ("100.00", "优"),
    "LHKCJ2020-04": ("98.20", "优"), "LHKCJ2020-05": ("100.00", "优"), "LHKCJ2020-06": ("94.99", "优"),
    "LHKCJ2020-07": ("98.07", "优"), "LHKCJ2020-08": ("94.32", "优"), "LHKCJ2020-09": ("94.40", "优"),
    "LHKCJ2020-10": ("95.00", "优"), "LHKCJ2020-11": ("85.01", "良"), "LHKCJ2020-12": ("85.82", "良"),
    "LHKCJ2020-13": ("84.65", "良"), "LHKCJ2020-14": ("98.20", "优"), "LHKCJ2020-15": ("74.10", "中"),
    "LHKCJ2020-16": ("97.48", "优"), "LHKCJ2020-17": ("81.06", "良"), "LHKCJ2020-18": ("99.41", "优"),
    "LHKCJ2020-19": ("98.82", "优"),
}


def test_sample_actuals_score_every_project(seed, rules, sample_actuals) -> None:  # type: ignore[no-untyped-def]
    trees = project_trees(seed, rules)
    department = build_tree(seed.department_targets.indicators, rules)
    assert check_actuals(seed, sample_actuals, trees, rules, department) == []
    se = self_evaluate(seed, sample_actuals, rules)
    assert se.explanation_problems() == []
    assert {ev.code: (str(ev.total), ev.grade) for ev in se.projects} == EXPECTED
    assert all(not ev.missing and not ev.execution.missing for ev in se.evaluations)
    assert se.department is not None and (se.department.total, se.department.grade) == (D("90.29"), "优")


def test_hand_check_of_two_sample_projects(seed, rules, sample_actuals) -> None:  # type: ignore[no-untyped-def]
    se = self_evaluate(seed, sample_actuals, rules)
    ev = {e.code: e for e in se.projects}
    # 人才建设经费: 260,000 / 1,000,000 = 26 % → 2.60; 产出 50 = 4 × 12.50: 布展 0 of "1 次" → 0,
    # 立项办结率 100 ≥ 95 → 12.50, 结题 96 ≥ 95 → 12.50, 工作时效 达成 → 12.50; 效益 30 × 基本达成 0.8 = 24;
    # 投诉率 ≤5 %, 0 → 10
    talent = ev["LHKCJ2020-15"]
    assert [s.score for s in talent.indicators] == [D("0.00"), D("12.50"), D("12.50"), D("12.50"), D("24.00"),
                                                    D("10.00")]
    assert talent.total == D("2.60") + 3 * D("12.50") + D("24.00") + D("10.00")
    assert talent.missed[0].explanation.startswith("大会因疫情改为线上举办")
    # 无人机大赛: 75 % → 7.50; 产出 56.25 = 3 × 18.75: 1 场 ✓ 18.75, 活动完成率 80 of 100 → 0.8 × 18.75 = 15.00,
    # 工作时效 基本达成 0.8 × 18.75 = 15.00; 效益 33.75 = 16.88 + 16.87: 基本达成 0.8 × 16.88 = 13.50, 达成 16.87
    drone = ev["LHKCJ2020-02"]
    assert [s.score for s in drone.indicators] == [D("18.75"), D("15.00"), D("15.00"), D("13.50"), D("16.87")]
    assert drone.total == D("7.50") + D("18.75") + D("15.00") + D("15.00") + D("13.50") + D("16.87") == D("86.62")
    # 国检大厦租金: spent is the 测算明细's 6,002,018 of 6,003,000 → 99.98 %, 9.9984 → 10.00
    assert ev["LHKCJ2020-05"].execution.score == D("10.00")


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:  # type: ignore[no-untyped-def]
        if tag == "table":
            self.tables += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def report(tmp_path_factory, seed, rules):  # type: ignore[no-untyped-def]
    from tests.performance.conftest import ACTUALS

    se = self_evaluate(seed, load_actuals(ACTUALS), rules)
    folder = tmp_path_factory.mktemp("report")
    forms = selfeval_forms(se, seed)
    paths = write_report(forms, folder, "selfeval", "2020 年度罗湖区科技创新局绩效自评报告")
    return se, forms, {p.suffix: p for p in paths}


def test_report_forms(report) -> None:  # type: ignore[no-untyped-def]
    se, forms, _ = report
    assert [f.title for f in forms[:2]] == ["绩效自评结果汇总表", "部门整体支出绩效自评表"]
    assert [f.key for f in forms[2:]] == [p.code for p in se.projects]
    assert all(f.title == "项目支出绩效自评表" for f in forms[2:])
    for form in forms:
        form.placed()  # every row fills the grid


def test_html_report(report) -> None:  # type: ignore[no-untyped-def]
    se, forms, paths = report
    parser = _Cells()
    parser.feed(paths[".html"].read_text(encoding="utf-8"))
    assert parser.tables == len(forms) == 21
    text = _squash("".join(parser.text))
    for ev in se.evaluations:
        assert _squash(ev.name) in text
        assert f"{ev.total:.2f}" in text
    assert "部门整体支出绩效自评表" in text and "偏差原因分析及改进措施" in text
    assert "<script" not in paths[".html"].read_text(encoding="utf-8")
    assert not list(paths[".html"].parent.glob(".*.tmp"))


def test_xlsx_report(report) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    se, _, paths = report
    wb = load_workbook(paths[".xlsx"])
    assert wb.sheetnames == ["汇总", "部门整体"] + [p.code for p in se.projects]
    summary = wb["汇总"]
    rows = {r[1]: r for r in summary.iter_rows(min_row=5, values_only=True) if r[1]}
    for ev in se.evaluations:
        assert rows[ev.code][2] == ev.name
        assert rows[ev.code][6] == pytest.approx(float(ev.total))
        assert rows[ev.code][7] == ev.grade
    sheet = wb["LHKCJ2020-15"]
    assert sheet["A1"].value == "项目支出绩效自评表"
    assert "A1:I1" in {str(r) for r in sheet.merged_cells.ranges}
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "人才建设经费（LHKCJ2020-15）" in values and "评价等级：中" in values
    assert pytest.approx(74.10) in values


def test_pdf_report(report) -> None:  # type: ignore[no-untyped-def]
    import pdfplumber

    se, _, paths = report
    with pdfplumber.open(paths[".pdf"]) as pdf:
        text = _squash("\n".join(page.extract_text() or "" for page in pdf.pages))
    assert "项目支出绩效自评表" in text and "部门整体支出绩效自评表" in text
    for ev in se.evaluations:
        assert _squash(ev.name) in text, ev.name
        assert f"{ev.total:.2f}" in text
    for code, (score, grade) in EXPECTED.items():
        assert f"{code}" in text and f"{score}{grade}" in text


def test_actuals_round_trip_through_xlsx_and_dict(tmp_path: Path, seed, rules, sample_actuals) -> None:  # type: ignore[no-untyped-def]
    before = self_evaluate(seed, sample_actuals, rules)
    path = tmp_path / "actuals.xlsx"
    write_actuals_xlsx(seed, path, sample_actuals)
    from_xlsx = load_actuals(path)
    assert from_xlsx.stage is Stage.SELFEVAL and from_xlsx.fiscal_year == 2020
    after = self_evaluate(seed, from_xlsx, rules)
    assert [(e.code, e.total) for e in after.evaluations] == [(e.code, e.total) for e in before.evaluations]
    stored = actuals_from_dict(actuals_to_dict(sample_actuals))
    again = self_evaluate(seed, stored, rules)
    assert [e.total for e in again.evaluations] == [e.total for e in before.evaluations]
    blank = tmp_path / "blank.xlsx"
    write_actuals_xlsx(seed, blank)
    empty = self_evaluate(seed, load_actuals(blank), rules)
    assert all(e.total == 0 and len(e.missing) == len(e.indicators) for e in empty.projects)

"""The checklist written as XLSX (the bureau's layout) and HTML, and the batch summary."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from deptbudget.model.serialize import loads
from deptbudget.review.engine import Review, Reviewer
from deptbudget.review.html_report import render_review_html, write_review_html
from deptbudget.review.structure import Dates
from deptbudget.review.xlsx_report import SummaryRow, write_review_xlsx, write_summary_xlsx

AS_PUBLISHED = Path(__file__).resolve().parents[1] / "fixtures" / "luohu-2020-as-published.json"


@pytest.fixture(scope="module")
def review() -> Review:
    return Reviewer().review(loads(AS_PUBLISHED.read_bytes()), Dates(date(2020, 1, 10), date(2020, 2, 5)),
                             "luohu-2020.pdf")


def rows(path: Path, sheet: str) -> list[list[str]]:
    book = openpyxl.load_workbook(path)
    return [["" if v is None else str(v) for v in row] for row in book[sheet].iter_rows(values_only=True)]


def test_checklist_xlsx_in_the_bureau_layout(review: Review, tmp_path: Path) -> None:
    path = write_review_xlsx(review, tmp_path / "r.xlsx")
    sheet = rows(path, "检查表")
    assert sheet[0][0] == "2020年罗湖区科技创新局部门预算公开情况检查表"
    assert sheet[3] == ["序号", "检查项目", "检查内容", "符合要求（是/否）", "问题说明"]
    body = {r[2]: r for r in sheet[4:] if r[2]}
    assert body["部门预算在财政部门批复后 20 日内向社会公开"][3] == "否"
    assert "第 26 日才公开" in body["部门预算在财政部门批复后 20 日内向社会公开"][4]
    assert body["表5 项目支出预算表"][3] == "否"
    assert body["表2 收入预算表"][3] == "是"
    notes = body["其他相关说明（第七部分：机关运行经费、国有资产占有使用情况等）"][4]
    assert "第七部分 一、机关运行经费 第1段" in notes
    assert "原文：“2020年罗湖区科技创新局机关运行经费财政拨款预算55.67万元" in notes
    assert "“单位价值100以上”" in notes
    assert sheet[-4][0] == "得分" and float(sheet[-4][3]) == float(review.score)
    assert sheet[-3][0] == "等级" and review.grade.grade in sheet[-3][3]
    assert sheet[-1][0] == "检查人：＿＿＿＿＿＿＿＿　　复核人：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿＿＿＿＿"  # to sign
    listing = rows(path, "问题清单")
    assert listing[0][:4] == ["序号", "检查内容", "规则", "严重程度"]
    assert len(listing) - 1 == len(review.findings)
    quoted = "“其他技术与开发支出：指用于其他技术与开发的支出。”"
    assert any(r[2] == "TEXT-CATALOG-NAME" and r[6] == quoted for r in listing)
    scoring = rows(path, "评分说明")
    assert scoring[0] == ["检查内容", "分值", "得分", "错误", "警告", "提示"]


def test_checklist_html(review: Review, tmp_path: Path) -> None:
    html = render_review_html(review)
    assert "<title>2020年罗湖区科技创新局部门预算公开情况检查表</title>" in html
    assert "<q>其他技术与开发支出：指用于其他技术与开发的支出。</q>" in html
    assert f"得分 <strong>{review.score}</strong>" in html
    assert html.count('<tr id="item-') == len(review.items)
    path = write_review_html(review, tmp_path / "r.html")
    assert path.read_text(encoding="utf-8") == html


def test_html_escapes_document_text(review: Review) -> None:
    review.disclosure.unit_name = "<script>alert(1)</script>"
    try:
        assert "<script>alert(1)</script>" not in render_review_html(review)
    finally:
        review.disclosure.unit_name = "罗湖区科技创新局"


def test_summary_one_row_per_document(review: Review, tmp_path: Path) -> None:
    path = write_summary_xlsx([SummaryRow("a.pdf", review), SummaryRow("b.pdf", error="文件不存在")],
                              tmp_path / "s.xlsx")
    sheet = rows(path, "汇总")
    header = sheet[0]
    assert header[:6] == ["序号", "文件", "单位", "年度", "文件类型", "检查表"]
    assert header[-3:] == ["得分", "等级", "状态"] and "表5 项目支出预算表" in header
    first = dict(zip(header, sheet[1], strict=True))
    assert first["单位"] == "罗湖区科技创新局" and first["年度"] == "2020" and first["表5 项目支出预算表"] == "否"
    assert float(first["得分"]) == float(review.score) and first["状态"] == "已检查"
    second = dict(zip(header, sheet[2], strict=True))
    assert second["文件"] == "b.pdf" and second["状态"] == "无法读取：文件不存在" and second["得分"] == ""

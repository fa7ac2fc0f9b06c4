"""The standard items added to the checklists (功能分类到项级, 基本支出到款级, 三公增减原因, 空表说明,
公开平台/栏目, 非扫描件), a narrative figure that contradicts a table, the PDF report and the sign-off."""

from __future__ import annotations

import copy
import dataclasses
import re
from datetime import date
from pathlib import Path

import pdfplumber
import pytest

from deptbudget.cli import main
from deptbudget.model.disclosure import Disclosure
from deptbudget.model.serialize import loads
from deptbudget.review.checklist import available_checklists, load_checklist
from deptbudget.review.engine import Review, Reviewer, Signoff, count_contradictions, decide
from deptbudget.review.pdf_report import write_review_pdf
from deptbudget.review.standard_checks import EMPTY_SUBJECTS
from deptbudget.review.structure import Dates
from deptbudget.review.wording import BLANK
from deptbudget.rules.registry import Finding, Severity

ROOT = Path(__file__).resolve().parents[2]
AS_PUBLISHED = ROOT / "tests" / "fixtures" / "luohu-2020-as-published.json"
EXAMPLE = ROOT / "examples" / "luohu-2020.yaml"
WITHOUT_REASONS = re.compile(r"[，。][^，。]*(?:原因|主要)[^。]*")
STANDARD = {"func-detail", "basic-eco-detail", "three-public-reasons", "empty-tables", "platform", "text-layer"}


@pytest.fixture(scope="module")
def reviewer() -> Reviewer:
    return Reviewer()


@pytest.fixture(scope="module")
def published() -> Disclosure:
    return loads(AS_PUBLISHED.read_bytes())


def result(review: Review, item_id: str):  # type: ignore[no-untyped-def]
    return next(r for r in review.items if r.item.id == item_id)


@pytest.mark.parametrize("name", available_checklists())
def test_every_checklist_has_the_standard_items(name: str) -> None:
    checklist = load_checklist(name)
    assert STANDARD <= {item.id for item in checklist.items}
    assert checklist.contradictions is not None and "NAR-TABLE-AMOUNTS" in checklist.contradictions.rules


def test_standard_items_on_the_published_seed(reviewer: Reviewer, published: Disclosure) -> None:
    review = reviewer.review(published, Dates(), "luohu-2020.pdf")
    assert result(review, "func-detail").status == "pass"  # 表7 lists 7-digit 项 codes
    assert result(review, "basic-eco-detail").status == "pass"  # 表4 lists 5-digit 款 codes
    assert result(review, "three-public-reasons").status == "pass"
    platform = result(review, "platform")
    assert platform.status == "unknown" and platform.score is None and "人工" in platform.outcomes[0].message
    assert result(review, "text-layer").status == "pass"


def test_detail_fails_when_codes_stop_at_the_kuan(reviewer: Reviewer, published: Disclosure) -> None:
    d = copy.deepcopy(published)
    t7 = d.tables_by_id("T7")[0]
    t7.rows = [row for row in t7.rows if not (row.key.isdigit() and len(row.key) == 7)]
    for row in t7.rows:
        for cell in row.cells.values():
            if cell.text.strip().isdigit() and len(cell.text.strip()) == 7:
                cell.text = ""
    found = result(reviewer.review(d), "func-detail")
    assert found.status == "fail" and "款级" in found.outcomes[0].message and "项级" in found.outcomes[0].message


def test_empty_table_without_a_note_fails(reviewer: Reviewer, published: Disclosure) -> None:
    d = copy.deepcopy(published)
    empty = [t for t in d.tables if t.empty]
    assert empty
    for t in empty:
        t.empty_note, t.notes = "本表无数据，说明原因。", []
    assert result(reviewer.review(d), "empty-tables").status == "pass"
    first = empty[0]
    first.empty_note = ""
    subject = next(word for word in EMPTY_SUBJECTS if word in first.title)
    for part in d.parts:  # nor does the narrative say why
        for section in part.sections:
            section.paragraphs = [p for p in section.paragraphs if subject not in p]
    found = result(reviewer.review(d), "empty-tables")
    assert found.status == "fail" and f"表{first.number}" in found.outcomes[0].message
    d.parts[-1].sections[-1].paragraphs.append(f"本单位无{subject}预算拨款，故表{first.number}为空表。")
    assert result(reviewer.review(d), "empty-tables").status == "pass"  # explained in the narrative


def test_three_public_without_reasons_fails(reviewer: Reviewer, published: Disclosure) -> None:
    d = copy.deepcopy(published)
    part = next(p for p in d.parts if "三公" in p.title)
    for section in part.sections:
        section.paragraphs = [WITHOUT_REASONS.sub("", p) for p in section.paragraphs]  # changes, no reasons
    assert "减少" in part.text and "原因" not in part.text
    found = result(reviewer.review(d), "three-public-reasons")
    assert found.status == "fail" and "原因" in found.outcomes[0].message


def test_a_scan_fails_the_text_layer(reviewer: Reviewer, published: Disclosure) -> None:
    d = copy.deepcopy(published)
    d.meta = {**d.meta, "imported_from": "pdf", "import": "第 3 页为扫描页"}
    assert result(reviewer.review(d), "text-layer").status == "fail"
    d.meta["import"] = ""
    assert result(reviewer.review(d), "text-layer").outcomes[0].message == "PDF 有文字层"


def test_a_note_contradicting_a_table_counts_against_its_item() -> None:
    checklist = load_checklist("shenzhen-15")
    item = next(i for i in checklist.items if i.id == "narrative")
    note = Finding("正文所述金额与表4 不一致", "第二部分", "第2段", "expenditure.transfers", "43.79", "43.80",
                   Severity.NOTE, "NAR-TABLE-AMOUNTS")
    assert decide(item, [], [note], checklist).status == "pass"  # as a plain note it would cost nothing
    [counted] = count_contradictions([note], checklist)
    decided = decide(item, [], [counted], checklist)
    assert decided.status == "fail" and decided.score == item.points - checklist.scoring.deduct["warning"]


def test_which_notes_count_as_contradictions() -> None:
    checklist = load_checklist("shenzhen-15")
    note = Finding("正文所述金额与表4 不一致", "第二部分", "第2段", "expenditure.transfers", "43.79", "43.80",
                   Severity.NOTE, "NAR-TABLE-AMOUNTS")
    same = dataclasses.replace(note, actual="43.79")
    other = dataclasses.replace(note, rule="NAR-COMPOSITION")  # a sum of rounded parts: a 尾差, not a contradiction
    counted = count_contradictions([note, same, other], checklist)
    assert [f.severity for f in counted] == [Severity.WARNING, Severity.NOTE, Severity.NOTE]
    assert "按警告计" in counted[0].message
    without = dataclasses.replace(checklist, contradictions=None)
    assert count_contradictions([note], without) == [note]


def test_pdf_report_with_signoff(reviewer: Reviewer, published: Disclosure, tmp_path: Path) -> None:
    review = reviewer.review(published, Dates(date(2020, 1, 10), date(2020, 2, 5)),
                             "/home/someone/tests/fixtures/luohu-2020.pdf", Signoff("张三", "", "2020-02-10"))
    path = write_review_pdf(review, tmp_path / "r.pdf")
    with pdfplumber.open(path) as pdf:
        text = "".join((page.extract_text() or "") for page in pdf.pages).replace(" ", "")
    assert review.title in text and "文件：luohu-2020.pdf" in text and "fixtures" not in text
    assert "检查人：张三" in text and f"复核人：{BLANK}" in text and "日期：2020-02-10" in text
    for item in review.checklist.items:
        assert item.content.replace(" ", "")[:12] in text


def test_command_writes_pdf_and_fills_the_signoff(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["review", str(AS_PUBLISHED), "-o", str(out), "--checker", "张三", "--reviewer", "李四",
                 "--check-date", "2020年2月10日"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "luohu-2020-as-published.review.html", "luohu-2020-as-published.review.pdf",
        "luohu-2020-as-published.review.xlsx", "review-summary.xlsx"]
    page = (out / "luohu-2020-as-published.review.html").read_text(encoding="utf-8")
    assert "检查人：张三" in page and "复核人：李四" in page and "日期：2020-02-10" in page
    assert "文件：luohu-2020-as-published.json" in page and "tests/fixtures" not in page
    only = tmp_path / "only"
    assert main(["review", str(AS_PUBLISHED), "-o", str(only), "--formats", "pdf"]) == 0
    assert sorted(p.name for p in only.iterdir()) == ["luohu-2020-as-published.review.pdf", "review-summary.xlsx"]
    assert main(["review", str(AS_PUBLISHED), "-o", str(tmp_path / "bad"), "--formats", "odt"]) == 2


def test_codes_printed_before_their_names_are_codes() -> None:
    """北京's 预算06表 prints ``50101-工资奖金津补贴 | 30101-基本工资``: the codes are read from the code column."""
    from deptbudget.model.disclosure import Cell, Column, Row, Table
    from deptbudget.review.standard_checks import table_codes

    row = Row("50101:30101", {"project": Cell("50101-工资奖金津补贴"), "code": Cell("30101-基本工资"),
                              "name": Cell("2024-2026年规划")})
    table = Table("T6", "6", "一般公共预算基本支出表", [Column("project", "政府"), Column("code", "部门"),
                                                   Column("name", "名称")], rows=[row])
    assert table_codes(table) == {"30101"}  # not the 2024 of a name, nor the 政府 column of no code meaning
    generic = Table("X5", "5", "一般公共预算支出情况表", [Column("name", "科目")],
                    rows=[Row("r1", {"name": Cell("[2010101]行政运行")}), Row("r2", {"name": Cell("[2026]年度")})])
    assert table_codes(generic) == {"2010101"}  # 广州 read without its template: the code in brackets in the name
    unnamed = Table("X8", "8", "基本支出部门预算经济分类预算表", [Column("c0", ""), Column("c1", "")],
                    rows=[Row("r1", {"c0": Cell("301"), "c1": Cell("工资福利支出")}),
                          Row("r2", {"c0": Cell("30101"), "c1": Cell("基本工资")})])
    assert table_codes(unnamed) == {"301", "30101"}  # 上海 without its template: a column of codes alone

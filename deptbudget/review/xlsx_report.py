"""The filled checklist as XLSX in the bureau's layout, and the batch summary.

Checklist workbook: sheet 检查表 (序号 / 检查项目 / 检查内容 / 符合要求（是/否） / 问题说明, the group cell
merged over its items, then 得分 and 等级), sheet 问题清单 (every finding: rule, severity, place, expected,
quoted sentence or printed value), sheet 评分说明 (item points and scores, deductions, grade scale).
Written to a temporary file and renamed into place, never half-written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from deptbudget.render.files import atomic_output
from deptbudget.render.xlsx import excel_number
from deptbudget.review.engine import Review
from deptbudget.review.wording import (
    explanation,
    grade_scale,
    info_line,
    location,
    numbered,
    quotes,
    signoff_line,
    summary_line,
)
from deptbudget.rules.registry import Severity

_BASE = {"font_name": "宋体", "font_size": 10, "valign": "vcenter", "text_wrap": True}


def _formats(book: Workbook) -> dict[str, Any]:
    def fmt(**extra: Any) -> Any:
        return book.add_format({**_BASE, **extra})

    return {
        "title": fmt(bold=True, font_size=14, align="center"),
        "info": fmt(align="left"),
        "head": fmt(bold=True, align="center", border=1, bg_color="#D9D9D9"),
        "cell": fmt(border=1),
        "center": fmt(border=1, align="center"),
        "fail": fmt(border=1, align="center", bold=True, font_color="#C00000"),
        "unknown": fmt(border=1, align="center", font_color="#7F6000"),
        "number": fmt(border=1, align="center", num_format="0.0"),
    }


def _checklist_sheet(book: Workbook, sheet: Worksheet, review: Review, f: dict[str, Any]) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(3)
    for column, width in enumerate((6, 12, 34, 12, 90)):
        sheet.set_column(column, column, width)
    sheet.merge_range(0, 0, 0, 4, review.title, f["title"])
    info = info_line(review)
    sheet.merge_range(1, 0, 1, 4, info, f["info"])
    basis = f"检查依据：{review.checklist.basis}" + "".join(f"    说明：{note}" for note in review.notes)
    sheet.merge_range(2, 0, 2, 4, basis, f["info"])
    for column, text in enumerate(("序号", "检查项目", "检查内容", "符合要求（是/否）", "问题说明")):
        sheet.write(3, column, text, f["head"])
    row = 4
    number = 1
    for group, items in review.checklist.groups():
        start = row
        for item in items:
            result = next(r for r in review.items if r.item is item)
            style = {"fail": f["fail"], "unknown": f["unknown"]}.get(result.status, f["center"])
            lines = explanation(result)
            sheet.write_number(row, 0, number, f["center"])
            sheet.write(row, 2, item.content, f["cell"])
            sheet.write(row, 3, review.verdict(result.status), style)
            sheet.write(row, 4, numbered(lines), f["cell"])
            sheet.set_row(row, max(18, min(409, 15 * _line_count(lines))))
            row += 1
            number += 1
        if row - start > 1:
            sheet.merge_range(start, 1, row - 1, 1, group, f["center"])
        else:
            sheet.write(start, 1, group, f["center"])
    sheet.merge_range(row, 0, row, 2, "得分", f["head"])
    sheet.write_number(row, 3, excel_number(review.score), f["number"])
    sheet.write(row, 4, summary_line(review), f["cell"])
    row += 1
    sheet.merge_range(row, 0, row, 2, "等级", f["head"])
    sheet.write(row, 3, f"{review.grade.grade}（{review.grade.letter}）", f["center"])
    sheet.write(row, 4, grade_scale(review), f["cell"])
    row += 2
    sheet.merge_range(row, 0, row, 4, signoff_line(review), f["info"])


def _line_count(lines: list[str]) -> int:
    return sum(1 + len(line) // 60 for line in lines) or 1


def _findings_sheet(sheet: Worksheet, review: Review, f: dict[str, Any]) -> None:
    headers = ("序号", "检查内容", "规则", "严重程度", "位置", "应为", "原文 / 文件所列", "问题")
    for column, width in enumerate((6, 24, 22, 8, 36, 20, 60, 60)):
        sheet.set_column(column, column, width)
    for column, text in enumerate(headers):
        sheet.write(0, column, text, f["head"])
    sheet.freeze_panes(1, 0)
    row = 1
    for result in review.items:
        for finding in result.findings:
            actual = finding.actual or ""
            values = (str(row), result.item.content, finding.rule,
                      finding.severity.label if finding.severity else "", location(finding), finding.expected or "",
                      f"“{actual}”" if quotes(finding) and actual else actual, finding.message)
            for column, value in enumerate(values):
                sheet.write(row, column, value, f["cell"])
            row += 1


def _scoring_sheet(sheet: Worksheet, review: Review, f: dict[str, Any]) -> None:
    scoring = review.checklist.scoring
    for column, width in enumerate((40, 10, 10, 10, 10, 10)):
        sheet.set_column(column, column, width)
    for column, text in enumerate(("检查内容", "分值", "得分", "错误", "警告", "提示")):
        sheet.write(0, column, text, f["head"])
    row = 1
    for result in review.items:
        counts = [sum(1 for x in result.findings if x.severity is s) for s in Severity]
        sheet.write(row, 0, result.item.content, f["cell"])
        sheet.write_number(row, 1, excel_number(result.item.points), f["number"])
        if result.score is None:
            sheet.write(row, 2, review.verdict("unknown"), f["unknown"])
        else:
            sheet.write_number(row, 2, excel_number(result.score), f["number"])
        for offset, count in enumerate(counts):
            sheet.write_number(row, 3 + offset, count, f["center"])
        row += 1
    row += 1
    deduct = "；".join(f"{Severity(k).label} {v} 分" for k, v in scoring.deduct.items())
    notes = (f"每个问题从所属检查项扣分：{deduct}；结构性检查不通过（如缺表、缺部分）该项不得分；"
             f"“{review.verdict('unknown')}”的检查项不计入总分。总分 = 各项得分之和 ÷ 计分项分值之和 × 100。",
             grade_scale(review))
    for note in notes:
        sheet.merge_range(row, 0, row, 5, note, f["info"])
        sheet.set_row(row, 30)
        row += 1


def write_review_xlsx(review: Review, path: str | os.PathLike[str]) -> Path:
    with atomic_output(path, ".xlsx") as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False})  # text is data
        formats = _formats(book)
        _checklist_sheet(book, book.add_worksheet("检查表"), review, formats)
        _findings_sheet(book.add_worksheet("问题清单"), review, formats)
        _scoring_sheet(book.add_worksheet("评分说明"), review, formats)
        book.close()
    return Path(path)


@dataclass
class SummaryRow:
    """One document of the batch: reviewed, or the reason it could not be read."""

    source: str
    review: Review | None = None
    error: str | None = None
    files: list[str] = field(default_factory=list)


def write_summary_xlsx(rows: list[SummaryRow], path: str | os.PathLike[str]) -> Path:
    """One row per document: unit, year, each item's verdict, counts, score, grade (or why unreadable)."""
    columns: list[str] = []
    for entry in rows:
        if entry.review is not None:
            for item in entry.review.checklist.items:
                if item.content not in columns:
                    columns.append(item.content)
    fixed = ("序号", "文件", "单位", "年度", "文件类型", "检查表")
    tail = ("不符合项", "错误", "警告", "提示", "得分", "等级", "状态")
    with atomic_output(path, ".xlsx") as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False})  # text is data
        f = _formats(book)
        sheet = book.add_worksheet("汇总")
        headers = (*fixed, *columns, *tail)
        for column, text in enumerate(headers):
            sheet.write(0, column, text, f["head"])
            sheet.set_column(column, column, 28 if column in (1, 2) else 12 if column < len(fixed) else 10)
        sheet.set_row(0, 60)
        sheet.freeze_panes(1, 3)
        for index, entry in enumerate(rows, 1):
            _summary_row(sheet, index, entry, columns, len(fixed), f)
        book.close()
    return Path(path)


def _summary_row(sheet: Worksheet, index: int, entry: SummaryRow, columns: list[str], offset: int,
                 f: dict[str, Any]) -> None:
    review = entry.review
    sheet.write_number(index, 0, index, f["center"])
    sheet.write(index, 1, entry.source, f["cell"])
    if review is None:
        for column in range(2, offset + len(columns) + 6):
            sheet.write_blank(index, column, None, f["cell"])
        sheet.write(index, offset + len(columns) + 6, f"无法读取：{entry.error}", f["fail"])
        return
    d = review.disclosure
    for column, value in enumerate((d.unit_name, str(d.fiscal_year), d.kind, review.checklist.name), 2):
        sheet.write(index, column, value, f["cell"])
    verdicts = {r.item.content: r for r in review.items}
    for position, content in enumerate(columns):
        result = verdicts.get(content)
        if result is None:
            sheet.write_blank(index, offset + position, None, f["cell"])
            continue
        style = {"fail": f["fail"], "unknown": f["unknown"]}.get(result.status, f["center"])
        sheet.write(index, offset + position, review.verdict(result.status), style)
    base = offset + len(columns)
    counts = (review.failed, review.count(Severity.ERROR), review.count(Severity.WARNING), review.count(Severity.NOTE))
    for position, count in enumerate(counts):
        sheet.write_number(index, base + position, count, f["center"])
    sheet.write_number(index, base + 4, excel_number(review.score), f["number"])
    sheet.write(index, base + 5, f"{review.grade.grade}（{review.grade.letter}）", f["center"])
    sheet.write(index, base + 6, "已检查", f["center"])

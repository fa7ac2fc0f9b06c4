"""How a finding reads in the checklist's 问题说明: severity, place, message, and the quoted sentence
(text rules) or the expected and printed values (table rules)."""

from __future__ import annotations

from deptbudget.review.engine import ItemResult, Review
from deptbudget.review.structure import PASS
from deptbudget.rules.registry import Finding, Severity

QUOTING_PREFIXES = ("TEXT-",)


def location(finding: Finding) -> str:
    """表7 / 2060499 / 科目名称 — or 第七部分 / 一、机关运行经费 第1段."""
    return " / ".join(x for x in (finding.table, finding.row, finding.column) if x) or "全文"


def quotes(finding: Finding) -> bool:
    """Does ``actual`` hold the quoted sentence (text rules) rather than a printed value?"""
    return finding.rule.startswith(QUOTING_PREFIXES)


def describe(finding: Finding) -> str:
    severity = finding.severity.label if finding.severity is not None else "错误"
    where = " ".join(x for x in (finding.table, finding.row) if x) or "全文"
    text = f"【{severity}】{where}：{finding.message}"
    if quotes(finding):
        if finding.expected:
            text += f"（应为 {finding.expected}）"
        if finding.actual:
            text += f"。原文：“{finding.actual}”"
    elif finding.expected is not None or finding.actual is not None:
        expected = finding.expected if finding.expected is not None else "—"
        actual = finding.actual if finding.actual is not None else "—"
        text += f"（应为 {expected}，文件为 {actual}）"
    return text


def explanation(result: ItemResult) -> list[str]:
    """The lines of 问题说明 for one item: check outcomes, then every finding."""
    described = [describe(f) for f in result.findings]
    # a check's message that a finding already says ("缺少表5") is not repeated
    lines = [o.message for o in result.outcomes if o.message and o.status != PASS
             and not any(o.message in f.message for f in result.findings)]
    lines += described
    if not lines:
        lines = [o.message for o in result.outcomes if o.message]
        if result.item.passed:
            lines.append(result.item.passed)
    return lines


def numbered(lines: list[str]) -> str:
    if len(lines) <= 1:
        return "".join(lines)
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1))


def verdict_text(review: Review, result: ItemResult) -> str:
    return review.verdict(result.status)


def grade_scale(review: Review) -> str:
    """等级：优（A）90 及以上；良（B）80–90；…"""
    grades = review.checklist.scoring.grades
    parts = []
    for index, grade in enumerate(grades):
        upper = f"–{grades[index - 1].minimum}" if index else " 及以上"
        parts.append(f"{grade.grade}（{grade.letter}）{grade.minimum}{upper}")
    return "等级：" + "；".join(parts)


def summary_line(review: Review) -> str:
    return f"得分 {review.score}，等级 {review.grade.grade}（{review.grade.letter}）；{counts_line(review)}"


def counts_line(review: Review) -> str:
    errors, warnings, notes = (review.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.NOTE))
    return f"{review.failed} 项不符合要求；错误 {errors} 个，警告 {warnings} 个，提示 {notes} 个"


BLANK = "＿＿＿＿＿＿＿＿"  # a line to sign on


def signoff_line(review: Review) -> str:
    """检查人：… 复核人：… 日期：… — the names and date given, lines to sign on where none was."""
    return "　　".join(f"{label}：{value or BLANK}" for label, value in review.signoff.fields())


def info_line(review: Review) -> str:
    d = review.disclosure
    return f"被检查单位：{d.unit_name}    预算年度：{d.fiscal_year}    文件：{review.file_label}"

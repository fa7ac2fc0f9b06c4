"""Checks of the standard 公开 requirements beyond the parts and tables being there (财预〔2016〕143号):

- ``detail``: a table discloses its classification down to a level — 支出功能分类 to the 项 (7-digit
  codes) in the 一般公共预算支出表, 基本支出 by 部门预算经济分类 to the 款 (5-digit codes);
- ``empty_notes``: every table published empty says why (空表说明);
- ``change_reasons``: the “三公”经费 part gives the reasons for the change from last year (a marker such
  as 原因 / 主要是 followed by some words), unless it reports no change at all;
- ``text_layer``: the document is not a scan (a PDF with a text layer, or a text format);
- ``manual``: a requirement the document cannot show (公开平台、栏目): always 未提供, with what to check.
"""

from __future__ import annotations

import re
from typing import Any

from deptbudget.model.disclosure import CellKind, Table
from deptbudget.model.narrative_reading import normalize
from deptbudget.review.checklist import Check
from deptbudget.review.structure import CHECKS, FAIL, PASS, UNKNOWN, Outcome, Subject, find_tables

CODE_LENGTHS = {"exp_func": (3, 5, 7), "dep_bgt_eco": (3, 5), "gov_bgt_eco": (3, 5)}  # 类, 款, 项
LEVEL_NAMES = ("类", "款", "项")
KIND_NAMES = {"exp_func": "支出功能分类", "dep_bgt_eco": "部门预算经济分类", "gov_bgt_eco": "政府预算经济分类"}
_CODE = re.compile(r"^\d{3,7}$")
_BRACKETED_CODE = re.compile(r"^[\[【［](\d{3}|\d{5}|\d{7})[\]】］]\s*\S")  # [2010101]行政运行, not [2026]年
_CODE_AND_NAME = re.compile(r"^(\d{3,7})(?:$|\s*[-－—]\s*\S)")  # a code alone, or printed before its name
_CHANGE = re.compile(r"增加|减少|增长|下降|上升|降低|压减|增减")


def _all_codes(table: Table) -> set[str]:
    """Columns no header named whose every filled cell is a code (上海's 类 | 款 read without its template)."""
    values: dict[str, list[str]] = {}
    for row in table.rows:
        for key, cell in row.cells.items():
            if cell.kind is not CellKind.AMOUNT and cell.text.strip():
                values.setdefault(key, []).append(cell.text.strip())
    return {key for key, texts in values.items() if len(texts) >= 2 and all(_CODE.match(t) for t in texts)}


def table_codes(table: Table) -> set[str]:
    """The classification codes a table prints: code cells and code columns (and rows keyed by a code)."""
    code_columns = {c.key for c in table.columns if c.kind is CellKind.CODE or c.key == "code"} | _all_codes(table)
    codes: set[str] = set()
    for row in table.rows:
        if _CODE.match(row.key):
            codes.add(row.key)
        for key, cell in row.cells.items():
            text = cell.text.strip()
            printed = _CODE_AND_NAME.match(text)  # 30101 / 30101-基本工资 (北京)
            if (cell.kind is CellKind.CODE or key in code_columns) and printed:
                codes.add(printed.group(1))
            elif cell.kind is not CellKind.AMOUNT and (bracketed := _BRACKETED_CODE.match(text)):
                codes.add(bracketed.group(1))  # [206]科学技术支出 in a name column read without a template
    return codes


def check_detail(subject: Subject, args: dict[str, Any]) -> Outcome:
    kind = str(args.get("kind", "exp_func"))
    level = int(args.get("level", 3))
    lengths = CODE_LENGTHS[kind]
    wanted = lengths[min(level, len(lengths)) - 1]
    what = f"{KIND_NAMES[kind]}{LEVEL_NAMES[level - 1]}级"
    tables = find_tables(subject.disclosure, args.get("id"), args.get("title"), args.get("role"))
    if not tables:
        return Outcome(UNKNOWN, f"未找到应公开到{what}的表")
    if all(t.empty or not t.rows for t in tables):
        return Outcome(PASS, "空表")
    codes = {code for t in tables for code in table_codes(t)}
    deepest = max((len(code) for code in codes), default=0)
    if deepest >= wanted:
        return Outcome(PASS)
    label = "、".join(dict.fromkeys(f"表{t.number}" for t in tables))
    if not codes:
        return Outcome(FAIL, f"{label}未列科目编码，无法确认公开到{what}")
    shown = LEVEL_NAMES[lengths.index(deepest)] if deepest in lengths else f"{deepest} 位编码"
    return Outcome(FAIL, f"{label}只公开到{KIND_NAMES[kind]}{shown}级，应公开到{what}")


# What an empty table is about, as the narrative names it when it explains the empty table there instead
# (“本单位无政府性基金预算拨款，故表6为空表”).
EMPTY_SUBJECTS = ("政府性基金", "国有资本经营", "三公", "上级专项", "转移支付", "政府采购", "项目支出", "财政专户",
                  "机关运行经费", "国有资产")
_NONE_WORDS = re.compile(r"空表|无|没有|未安排|不涉及|未使用|为0|为零")


def _explained_in_narrative(table: Table, sentences: list[str]) -> bool:
    number = f"表{table.number}" if table.number else None
    subjects = [word for word in EMPTY_SUBJECTS if word in normalize(table.title)]
    for sentence in sentences:
        if not _NONE_WORDS.search(sentence):
            continue
        if (number and number in sentence and "空表" in sentence) or any(w in sentence for w in subjects):
            return True
    return False


def check_empty_notes(subject: Subject, args: dict[str, Any]) -> Outcome:
    """Every table published empty says why: a note under it, or a sentence of the narrative that names
    what it is about (its number, or 政府性基金 …) with 空表 / 无 / 没有 …"""
    d = subject.disclosure
    empty = [t for t in d.tables if t.empty or (not t.rows and t.title)]
    sentences = [s for p in d.parts for s in re.split(r"[。；\n]", normalize(p.text, digits_apart=False)) if s]
    unexplained = [t for t in empty if not (t.empty_note or "").strip() and not any(n.strip() for n in t.notes)
                   and not _explained_in_narrative(t, sentences)]
    if unexplained:
        names = "、".join(dict.fromkeys(f"表{t.number} {t.title}" for t in unexplained))
        if subject.elsewhere is not None and "part" in subject.elsewhere.kinds:  # the 说明 may say why
            return Outcome(UNKNOWN, f"空表未附说明：{names}；{subject.elsewhere.message}")
        return Outcome(FAIL, f"空表未说明原因：{names}")
    return Outcome(PASS, f"空表 {len(empty)} 张，均有说明" if empty else "")


def _gives_reason(text: str, markers: list[str]) -> bool:
    for marker in markers:
        start = text.find(marker)
        while start >= 0:
            if len(text[start + len(marker):].lstrip("：:，,").split("。")[0]) >= 6:
                return True
            start = text.find(marker, start + 1)
    return False


def check_change_reasons(subject: Subject, args: dict[str, Any]) -> Outcome:
    words = str(args.get("part", "三公"))
    parts = [p for p in subject.disclosure.parts if words in normalize(p.title)]
    sections = [s for p in subject.disclosure.parts for s in p.sections if words in normalize(s.heading)]
    texts = [normalize(p.text, digits_apart=False) for p in parts]
    texts += [normalize("".join(s.paragraphs), digits_apart=False) for s in sections]
    if not any(texts):  # no part or section of its own: the paragraphs that speak of it
        texts = [t for p in subject.disclosure.parts for s in p.sections for para in s.paragraphs
                 if words in (t := normalize(para, digits_apart=False))]
    if not any(texts):
        return Outcome(FAIL, f"未找到“{words}”的说明")
    markers = [str(m) for m in args.get("markers", ["原因", "主要是", "由于", "因为"])]
    if any(_gives_reason(text, markers) for text in texts):
        return Outcome(PASS)
    if not any(_CHANGE.search(text) for text in texts):
        return Outcome(PASS, "与上年相比没有增减")
    return Outcome(FAIL, f"“{words}”经费说明未说明比上年增减的原因")


def check_text_layer(subject: Subject, args: dict[str, Any]) -> Outcome:
    meta = subject.disclosure.meta
    source = meta.get("imported_from", "")
    if "扫描" in meta.get("import", ""):
        return Outcome(FAIL, "文件含扫描页（无文字层），无法检索、复制")
    if source == "pdf":
        return Outcome(PASS, "PDF 有文字层")
    if source:
        return Outcome(PASS, f"{source.upper()} 文件")
    return Outcome(PASS, "由预算数据生成")


def check_manual(subject: Subject, args: dict[str, Any]) -> Outcome:
    what = str(args.get("value", args.get("what", "")))
    return Outcome(UNKNOWN, f"须人工检查：{what}" if what else "须人工检查")


STANDARD_CHECKS = {
    "detail": check_detail,
    "empty_notes": check_empty_notes,
    "change_reasons": check_change_reasons,
    "text_layer": check_text_layer,
    "manual": check_manual,
}


def run_check(subject: Subject, check: Check) -> Outcome:
    """Any check of a checklist item: the structural ones (``review.structure``) and these. A check of the part of
    the disclosure another file publishes (``subject.elsewhere``) that fails is 未提供, saying why."""
    outcome = (CHECKS.get(check.kind) or STANDARD_CHECKS[check.kind])(subject, check.args)
    elsewhere = subject.elsewhere
    if outcome.status == FAIL and elsewhere is not None and check.kind in elsewhere.kinds:
        return Outcome(UNKNOWN, elsewhere.message)
    return outcome

"""Completeness: every table and part the template requires, titled as in the contents; empty tables
present and saying so; every performance-managed project with its target table."""

from __future__ import annotations

import re
from collections.abc import Iterator

from deptbudget.model.disclosure import Disclosure, Table
from deptbudget.rules._common import (
    amount,
    data_rows,
    norm_name,
    project_name,
    row_text,
    t15_name,
    table_label,
)
from deptbudget.rules.cross_table import match_t15
from deptbudget.rules.registry import Finding, RuleContext, rule
from deptbudget.template import TableSpec

_CONTENTS_RE = re.compile(r"^\s*(?P<n>\d+)\s*[.、．]?\s*(?P<title>.+?)\s*$")


def _contents(disclosure: Disclosure) -> dict[str, str]:
    """Number → title as printed in the contents (附表 list)."""
    out: dict[str, str] = {}
    for entry in disclosure.contents:
        match = _CONTENTS_RE.match(entry)
        if match:
            out.setdefault(match["n"], match["title"])
    return out


@rule("CMP-TABLE-MISSING", "error", "completeness", "模板要求的每张表都在文件中（空表也须列出）",
      Finding("缺少表5 项目支出预算表", "表5", None, None, "项目支出预算表", "（缺）"))
def missing_tables(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    present = {table.id for table in disclosure.tables}
    listed = _contents(disclosure)
    for table_id, spec in ctx.settings.tables.items():
        if table_id in present:
            continue
        number = spec.number
        title = listed.get(number) or spec.title
        note = "（目录中列出了该表）" if number in listed else ""
        yield Finding(f"缺少{table_label(table_id)} {title}{note}", table_label(table_id), None, None, title, "（缺）")


@rule("CMP-TABLE-TITLE", "warning", "completeness", "表的标题与目录（附表清单）一致",
      Finding("表6 的标题与目录不一致", "表6", None, "标题", "财政拨款收支总体情况表", "财政拨款收支预算总表"))
def titles(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    listed = _contents(disclosure)
    aliases = ctx.settings.option("title_aliases", {}) or {}
    seen: set[str] = set()
    for table in disclosure.tables:
        if table.id in seen:
            continue
        seen.add(table.id)
        expected = listed.get(table.number)
        if expected is None or not table.title:
            continue
        accepted = {norm_name(expected)} | {norm_name(a) for a in aliases.get(table.id, [])}
        if norm_name(table.title) not in accepted:
            yield Finding(f"{table_label(table.id)} 的标题与目录不一致", table_label(table.id), None, "标题", expected,
                          table.title)


@rule("CMP-CONTENTS", "warning", "completeness", "目录（附表清单）列出模板要求的每张表",
      Finding("目录中未列出表15", "目录", "15", None, "项目支出绩效目标表", "（缺）"))
def contents(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    if not disclosure.contents:
        yield Finding("文件没有附表目录", "目录", None, None, "附表清单", "（缺）")
        return
    listed = _contents(disclosure)
    for table_id, spec in ctx.settings.tables.items():
        number = spec.number
        if number not in listed:
            yield Finding(f"目录中未列出{table_label(table_id)}", "目录", number, None, spec.title, "（缺）")


def _amounts_zero(table: Table) -> bool:
    for row in table.rows:
        for cell in row.cells.values():
            if cell.value is not None and cell.value != 0:
                return False
    return True


def _narrative_says_none(disclosure: Disclosure, subject: str) -> bool:
    """A sentence of the narrative says the unit has no … of ``subject`` ("本单位无政府性基金预算支出…")."""
    want = norm_name(subject)
    for part in disclosure.parts:
        for sentence in re.split(r"[。\n]", norm_name(part.text)):
            if "无" in sentence and want in sentence and sentence.index("无") < sentence.index(want) + len(want):
                return True
    return False


@rule("CMP-EMPTY-TABLE", "warning", "completeness", "没有数据的表注明“本表为空表”或在说明中交代原因",
      Finding("表8 没有数据，表中和说明中都未说明", "表8", None, None, "本单位无政府性基金预算支出，本表为空表。",
              "（无说明）"))
def empty_tables(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    subjects = ctx.settings.option("empty_table_subjects", {}) or {}
    for table in disclosure.tables:
        if table.id not in subjects or not _amounts_zero(table):
            continue
        if norm_name(table.empty_note) or _narrative_says_none(disclosure, subjects[table.id]):
            continue
        spec = ctx.settings.tables.get(table.id)
        note = spec.empty_note if spec is not None and spec.empty_note else "本表为空表"
        yield Finding(f"{table_label(table.id)} 没有数据，表中和说明中都未说明", table_label(table.id), None, None,
                      note, "（无说明）")


@rule("CMP-EMPTY-CONTRADICTION", "error", "completeness", "标明为空表的表中没有非零金额",
      Finding("表8 标明为空表，却有金额", "表8", "合计", None, "0", "12.00"))
def empty_contradiction(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for table in disclosure.tables:
        if table.empty and not _amounts_zero(table):
            yield Finding(f"{table_label(table.id)} 标明为空表，却有金额", table_label(table.id), None, None, "0",
                          "非零")


@rule("CMP-PARTS", "error", "completeness", "说明的八个部分齐全，标题与模板一致",
      Finding("缺少第七部分 其他需要说明情况", "第七部分", None, None, "第七部分 其他需要说明情况", "（缺）"))
def parts(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for number, title in sorted(ctx.settings.part_titles.items()):
        part = disclosure.part(number)
        short = title.split()[0] if title.split() else title
        if part is None:
            yield Finding(f"缺少{title}", short, None, None, title, "（缺）")
        elif not part.sections or not any(s.paragraphs or s.heading for s in part.sections):
            yield Finding(f"{title} 没有内容", short, None, None, title, "（空）")
        elif norm_name(part.title) != norm_name(title):
            yield Finding(f"{short} 的标题与模板不一致", short, None, "标题", title, part.title)


@rule("CMP-T15-MISSING", "error", "completeness", "表13 的每个项目都有表15 绩效目标表，每张表15 都对应表13 的项目",
      Finding("表13 项目“自主创新经费”没有表15 绩效目标表", "表15", "自主创新经费", None, "自主创新经费", "（缺）"))
def t15_missing(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    t13 = disclosure.table("T13")
    if t13 is None or ctx.settings.tables.get("T15") is None:
        return
    matched = {id(row) for _, row in match_t15(disclosure) if row is not None}
    for row in data_rows(t13):
        if row.key != "total" and id(row) not in matched and (amount(row, "total") or 0) >= 0:
            name = row_text(row, "name")
            yield Finding(f"表13 项目“{name}”没有表15 绩效目标表", "表15", name, None, name, "（缺）")
    names = {project_name(row_text(row, "name")) for row in data_rows(t13)}
    for table, row in match_t15(disclosure):
        if row is None:
            name = t15_name(table)
            if project_name(name) not in names:
                yield Finding(f"表15 项目“{name}”不在表13 中", "表13", name, None, name, "（缺）")


_REQUIRED_T15 = ("pro_name", "total")


@rule("CMP-ROWS", "error", "completeness", "表的必备行齐全（表1/表6 合计与总计行、表2/表3 单位行、表12 两个年度、表15 "
                                           "项目名称与资金总额）",
      Finding("表12 缺少 2019 年度行", "表12", "2019", None, "2019", "（缺）"))
def required_rows(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for table in disclosure.tables:
        spec = ctx.settings.tables.get(table.id)
        builder = spec.builder if spec is not None else ""
        keys = {row.key for row in table.rows}
        wanted: list[tuple[str, str]] = []
        if spec is not None and builder == "two_sided":
            wanted = [(f.key, f.income.label) for f in spec.footer]
        elif builder == "unit_rows":
            if not table.rows:
                wanted = [("unit", "单位行")]
        elif spec is not None and builder == "three_public" and not any(c.key == "year" for c in spec.columns):
            wanted = []  # a table with no 年度 column prints the budget year alone
        elif builder == "three_public":
            wanted = [(str(disclosure.fiscal_year - 1), f"{disclosure.fiscal_year - 1} 年度行"),
                      (str(disclosure.fiscal_year), f"{disclosure.fiscal_year} 年度行")]
            keys |= {row_text(row, "year") for row in table.rows}
        elif table.id == "T15":
            wanted = [(key, key) for key in _REQUIRED_T15]
        elif builder in ("func_tree", "eco_tree", "project_lines"):
            wanted = [("total", "合计行")]
        for key, name in wanted:
            if key not in keys:
                where = f"{t15_name(table)} / {name}" if table.id == "T15" else name
                yield Finding(f"{table_label(table.id)} 缺少{name}", table_label(table.id), where, None, name, "（缺）")



@rule("SRC-PROBLEM", "error", "completeness", "预算源文件本身有误，无法生成公开文件（由 check 命令在读取源文件时报告）",
      Finding("预算源文件有误：功能分类编码 2069998 不在 2020 年科目表中", None, "basic[3].func", None, None, None))
def source_problems(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    """Reported by ``deptbudget check`` when a budget source cannot be loaded; nothing to check on a Disclosure."""
    return iter(())


def _fixed_labels(spec: TableSpec) -> dict[str, tuple[str, str]]:
    """Row key → (column, label) of the fixed rows of a 收支总表: income items and footer rows."""
    out: dict[str, tuple[str, str]] = {}
    for item in spec.income:
        out[f"income:{item.key}"] = ("income_item", item.label)
    for footer in spec.footer:
        out[f"income:{footer.income.measure.word}"] = ("income_item", footer.income.label)
        if footer.expenditure.label:
            out[f"row:{footer.key}"] = ("exp_item", footer.expenditure.label)
    return out


@rule("CMP-ROW-LABELS", "warning", "completeness",
      "收支总表固定行（收入项目、合计与总计行）的名称与模板一致（表1、表6）",
      Finding("表1 收入项目名称与模板不一致", "表1", "一般性经费拨款", "项目", "一般性经费拨款", "一般性经费拨专款"))
def row_labels(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for table in disclosure.tables:
        spec = ctx.settings.tables.get(table.id)
        if spec is None or spec.builder != "two_sided":
            continue
        labels = _fixed_labels(spec)
        for row in table.rows:
            income = next((p[7:] for p in row.key.split(";") if p.startswith("income=")), "")
            for where in (f"income:{income}", f"row:{row.key}"):
                if where not in labels:
                    continue
                column, expected = labels[where]
                printed = row_text(row, column)
                if printed and norm_name(printed) != norm_name(expected):
                    yield Finding(f"{table_label(table.id)} 固定行的名称与模板不一致", table_label(table.id), expected,
                                  table.column(column).label if table.column(column) else column, expected, printed)

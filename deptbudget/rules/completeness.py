"""Completeness: every table and part the template requires, titled as in the contents; empty tables
present and saying so; every performance-managed project with its target table."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from deptbudget.model.disclosure import PANEL_TOTAL, Disclosure, Table
from deptbudget.model.narrative_parts import strip_numbering
from deptbudget.rules._common import (
    amount,
    by_role,
    data_rows,
    is_t15,
    label,
    norm_name,
    project_name,
    row_text,
    t15_name,
    table_option,
)
from deptbudget.rules.cross_table import match_t15
from deptbudget.rules.registry import Finding, RuleContext, Severity, rule
from deptbudget.template import Role, TableSpec
from deptbudget.template.role_titles import role_by_title, roles_within

# The narrative half of a disclosure published as two files: a line that points to the tables as an
# attachment (附件：北京市审计局2026年度部门预算报表), or a title that says it is 附件1 / the 情况说明.
_ATTACHED_TABLES_RE = re.compile(r"附件\s*[0-9一二三]?\s*[：:][^。\n]{0,60}?(?:报表|预算表|表格)")
_HALF_TITLE_RE = re.compile(r"附件\s*[1一]|情况说明")
_CONTENTS_RE = re.compile(r"^\s*(?P<n>\d+)\s*[.、．]?\s*(?P<title>.+?)\s*$")


def _contents(disclosure: Disclosure) -> dict[str, str]:
    """Number → title as printed in the contents (附表 list)."""
    out: dict[str, str] = {}
    for entry in disclosure.contents:
        match = _CONTENTS_RE.match(entry)
        if match:
            out.setdefault(match["n"], match["title"])
    return out


def _title_spec(title: str, specs: Iterable[TableSpec]) -> TableSpec | None:
    """The spec whose name the title holds (the longest name wins: 财政拨款收支总表 over 收支总表)."""
    text = norm_name(title)
    best: tuple[int, TableSpec | None] = (0, None)
    for spec in specs:
        for name in spec.names:
            size = len(norm_name(name))
            if spec.role is not None and size > best[0] and norm_name(name) in text:
                best = (size, spec)
    return best[1]


def _title_role(title: str, specs: tuple[TableSpec, ...]) -> Role | None:
    """The role of the spec whose name the title holds; for a document of no known locality (``specs``: the
    143号 tables known by title) whose title holds none of their names, the role its words name
    ("预算单位一般公共预算支出功能分类预算表" is the 一般公共预算支出表)."""
    if not specs:
        return None
    spec = _title_spec(title, specs)
    by_words = role_by_title(title)
    # the words decide where they name a role: 政府性基金收支总表 holds 收支总表 but is the 政府性基金 table
    return by_words or (spec.role if spec is not None else None)


def _present_roles(disclosure: Disclosure, ctx: RuleContext) -> set[Role]:
    """The roles of the document's tables: by the template's spec, else (no known locality) by title."""
    out: set[Role] = set()
    for table in disclosure.tables:
        role = ctx.settings.role_of(table.id) or _title_role(table.title, ctx.settings.titled)
        if role is not None:
            out.add(role)
        if not ctx.settings.tables and (table.rows or table.empty_note):
            out |= roles_within(table.title)
    return out


def tables_published_separately(disclosure: Disclosure) -> str | None:
    """What says that the tables of this file are published in another file (附件：…报表, or a title of 附件1 /
    情况说明) when the file holds no table at all; None for a file with tables or without such a line."""
    if any(table.rows or table.empty_note for table in disclosure.tables):
        return None
    for part in disclosure.parts:
        match = _ATTACHED_TABLES_RE.search(part.text)
        if match:
            return re.sub(r"\s+", "", match[0])
    title = disclosure.title or ""
    return title if _HALF_TITLE_RE.search(title) else None


def _required(ctx: RuleContext) -> Iterator[tuple[Role, TableSpec | None]]:
    """The tables the locality must publish (its template's ``required:``), with the spec describing each."""
    for role in ctx.settings.required.tables:
        spec = next((s for s in ctx.settings.tables.values() if s.role is role), None)
        yield role, spec or next((s for s in ctx.settings.titled if s.role is role), None)


def absent_tables(disclosure: Disclosure, ctx: RuleContext) -> list[tuple[Role, TableSpec | None]]:
    """The tables the locality must publish (its template's ``required:``, else the 财预〔2016〕143号 minimum) that
    the document does not print, with the spec describing each."""
    present = _present_roles(disclosure, ctx)
    return [(role, spec) for role, spec in _required(ctx) if role not in present]


def _missing_label(role: Role, spec: TableSpec | None, known: bool) -> tuple[str, str]:
    """(label, title) of a required table: 表N and the template's title where the locality numbers it."""
    if spec is not None and known:
        return f"表{spec.number}", spec.title
    return role.label, spec.title if spec is not None else role.label


_TARGET_ROLES = {Role.PROJECT_TARGETS, Role.DEPARTMENT_TARGETS, Role.PERFORMANCE_PROJECTS}


@rule("CMP-TABLE-MISSING", "error", "completeness",
      "本地区要求公开的每张表都在文件中（空表也须列出；地区不明时按财预〔2016〕143号的 9 张表）",
      Finding("缺少表5 项目支出预算表", "表5", None, None, "项目支出预算表", "（缺）"))
def missing_tables(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    elsewhere = tables_published_separately(disclosure)
    if elsewhere is not None:
        yield Finding(f"本文件是公开文件的说明部分，表格另行公开（{elsewhere}）；用 check --together 将两个文件"
                      "作为一份公开文件检查", "附件", severity=Severity.NOTE)
        return
    present = _present_roles(disclosure, ctx)
    listed = _contents(disclosure)
    known = bool(ctx.settings.tables)
    if not known and present and present <= _TARGET_ROLES:
        yield Finding("本文件只有绩效目标表，是单独公开的绩效目标，不是部门预算的全部表格；"
                      "部门预算的各表在另一文件中公开", "附件", severity=Severity.NOTE)
        return
    for role, spec in absent_tables(disclosure, ctx):
        where, title = _missing_label(role, spec, known)
        number = spec.number if spec is not None and known else None
        title = listed.get(number or "") or title
        note = "（目录中列出了该表）" if number in listed else ""
        yield Finding(f"缺少{where} {title}{note}" if where != title else f"缺少{title}{note}", where, None, None,
                      title, "（缺）")


@rule("CMP-TABLE-TITLE", "warning", "completeness", "表的标题与目录（附表清单）一致",
      Finding("表6 的标题与目录不一致", "表6", None, "标题", "财政拨款收支总体情况表", "财政拨款收支预算总表"))
def titles(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    listed = _contents(disclosure)
    printed = {_title_key(t.title) for t in disclosure.tables if t.title}
    seen: set[str] = set()
    for table in disclosure.tables:
        if table.id in seen:
            continue
        seen.add(table.id)
        expected = listed.get(table.number)
        if expected is None or not table.title:
            continue
        listed_spec = _title_spec(expected, ctx.settings.tables.values())
        if listed_spec is not None and listed_spec.id != table.id:
            continue  # the contents' 表N is another table of the template: this one is numbered in another series
        if _title_key(expected) in printed and _title_key(table.title) != _title_key(expected):
            continue  # another table of the file bears the listed title: this one is numbered in another series
        accepted = {_title_key(expected)} | {_title_key(a) for a in table_option(ctx, "title_aliases", table, [])}
        if _title_key(table.title) not in accepted:
            yield Finding(f"{label(table)} 的标题与目录不一致", label(table), None, "标题", expected, table.title)


_SCOPE_NOTE_RE = re.compile(r"[（(]不含上年结转[)）]|[-－—]不含上年结转")


def _title_key(title: str) -> str:
    """A title as compared with the contents: without the scope note a table may add to its printed title
    (``…（不含上年结转）``, ``（按支出功能分类科目-不含上年结转）``), which says what it holds, not what it is."""
    return norm_name(_SCOPE_NOTE_RE.sub("", title))


@rule("CMP-CONTENTS", "warning", "completeness", "目录（附表清单）列出本地区要求公开的每张表",
      Finding("目录中未列出表15", "目录", "15", None, "项目支出绩效目标表", "（缺）"))
def contents(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    if tables_published_separately(disclosure) is not None:
        return  # the tables and their list are in the other file (see CMP-TABLE-MISSING's note)
    if not ctx.settings.tables and (present := _present_roles(disclosure, ctx)) and present <= _TARGET_ROLES:
        return  # a stand-alone 绩效目标 file: no contents of the budget's tables (see CMP-TABLE-MISSING's note)
    if not disclosure.contents:
        if ctx.settings.option("contents_with_tables", True):
            # a locality we know prints its list of tables; of one we do not know we cannot say it should
            severity = None if ctx.settings.tables else Severity.NOTE
            yield Finding("文件没有附表目录", "目录", None, None, "附表清单", "（缺）", severity=severity)
        return
    listed = _contents(disclosure)
    known = bool(ctx.settings.tables)
    titled: set[Role | None] = set()  # the roles the listed titles name (a template's names, else their words)
    specs = tuple(ctx.settings.tables.values()) if known else ctx.settings.titled
    for title in listed.values():
        titled |= {_title_role(title, specs)} | roles_within(title)
    for role, spec in _required(ctx):
        # a template read for a document of another locality numbers its tables otherwise: listed under another
        # number by its title, the table is listed
        if known and spec is not None and spec.number not in listed and role not in titled:
            yield Finding(f"目录中未列出表{spec.number}", "目录", spec.number, None, spec.title, "（缺）")
        elif not known and role not in titled:
            title = spec.title if spec is not None else role.label
            yield Finding(f"目录中未列出{title}", "目录", None, None, title, "（缺）")


def _amounts_zero(table: Table) -> bool:
    for row in table.rows:
        for cell in row.cells.values():
            if cell.value is not None and cell.value != 0:
                return False
    return True


# "“三公”经费预算数为0.00万元", "政府性基金拨款支出预算为0": the subject's amount stated as zero, in the clause
# that names it
_ZERO_AFTER = re.compile(r"^[^，,；;]*?(?<![\d.])0(?:\.0+)?(?:万元|元)?(?![\d.])")


def _narrative_says_none(disclosure: Disclosure, subject: str) -> bool:
    """A sentence of the narrative says the unit has no … of ``subject`` ("本单位无政府性基金预算支出…", or
    "2026年“三公”经费预算数为0.00万元")."""
    want = norm_name(subject)
    for part in disclosure.parts:
        for sentence in re.split(r"[。\n]", norm_name(part.text)):
            if want not in sentence:
                continue
            if "无" in sentence and sentence.index("无") < sentence.index(want) + len(want):
                return True
            if _ZERO_AFTER.search(sentence[sentence.index(want) + len(want):]):
                return True
    return False


@rule("CMP-EMPTY-TABLE", "warning", "completeness", "没有数据的表注明“本表为空表”或在说明中交代原因",
      Finding("表8 没有数据，表中和说明中都未说明", "表8", None, None, "本单位无政府性基金预算支出，本表为空表。",
              "（无说明）"))
def empty_tables(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for table in disclosure.tables:
        subject = table_option(ctx, "empty_table_subjects", table)
        if subject is None or not _amounts_zero(table):
            continue
        if norm_name(table.empty_note) or _narrative_says_none(disclosure, subject):
            continue
        spec = ctx.settings.tables.get(table.id)
        note = spec.empty_note if spec is not None and spec.empty_note else "本表为空表"
        yield Finding(f"{label(table)} 没有数据，表中和说明中都未说明", label(table), None, None,
                      note, "（无说明）")


@rule("CMP-EMPTY-CONTRADICTION", "error", "completeness", "标明为空表的表中没有非零金额",
      Finding("表8 标明为空表，却有金额", "表8", "合计", None, "0", "12.00"))
def empty_contradiction(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for table in disclosure.tables:
        if table.empty and not _amounts_zero(table):
            yield Finding(f"{label(table)} 标明为空表，却有金额", label(table), None, None, "0",
                          "非零")


@rule("CMP-PARTS", "error", "completeness", "说明中本地区要求的各部分齐全（深圳：八个部分），标题与模板一致",
      Finding("缺少第七部分 其他需要说明情况", "第七部分", None, None, "第七部分 其他需要说明情况", "（缺）"))
def parts(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    required = set(ctx.settings.required.parts)
    for number, title in sorted(ctx.settings.part_titles.items()):
        if number not in required:
            continue
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
    t13 = by_role(disclosure, ctx, Role.PERFORMANCE_PROJECTS)
    if t13 is None or Role.PROJECT_TARGETS not in {s.role for s in ctx.settings.tables.values()}:
        return
    matched = {id(row) for _, row in match_t15(disclosure, ctx) if row is not None}
    for row in data_rows(t13):
        if row.key != "total" and id(row) not in matched and (amount(row, "total") or 0) >= 0:
            name = row_text(row, "name")
            yield Finding(f"表13 项目“{name}”没有表15 绩效目标表", "表15", name, None, name, "（缺）")
    names = {project_name(row_text(row, "name")) for row in data_rows(t13)}
    for table, row in match_t15(disclosure, ctx):
        if row is None:
            name = t15_name(table)
            if project_name(name) not in names:
                yield Finding(f"表15 项目“{name}”不在表13 中", "表13", name, None, name, "（缺）")


_REQUIRED_T15 = ("pro_name", "total")


def _title_only(table: Table, disclosure: Disclosure) -> bool:
    """A title read without its body (a contents line) while the document has the table itself."""
    return not table.rows and not table.empty and any(
        other.rows for other in disclosure.tables if other.id == table.id and other is not table)


@rule("CMP-ROWS", "error", "completeness", "表的必备行齐全（表1/表6 合计与总计行、表2/表3 单位行、表12 两个年度、表15 "
                                           "项目名称与资金总额）",
      Finding("表12 缺少 2019 年度行", "表12", "2019", None, "2019", "（缺）"))
def required_rows(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for table in disclosure.tables:
        if _title_only(table, disclosure):
            continue
        spec = ctx.settings.tables.get(table.id)
        builder = spec.builder if spec is not None else ""
        keys = {row.key for row in table.rows}
        wanted: list[tuple[str, str]] = []
        if spec is not None and builder == "two_sided" and not (table.empty and table.empty_note and not table.rows):
            wanted = [(f.key, f.income.label) for f in spec.footer]  # none in a 收支表 said to be empty, blank
        elif builder == "unit_rows":
            if not table.rows:
                wanted = [("unit", "单位行")]
        elif builder == "three_public" and not (table.empty and not table.rows):  # a blank table: CMP-EMPTY-TABLE
            # a table without a 年度 column prints the budget year alone, in rows not keyed by year
            years = (disclosure.fiscal_year - 1, disclosure.fiscal_year) if spec.column("year") else ()
            wanted = [(str(year), f"{year} 年度行") for year in years]
            keys |= {row_text(row, "year") for row in table.rows}
        elif is_t15(table, ctx):
            wanted = [(key, key) for key in _REQUIRED_T15]
        elif builder in ("func_tree", "eco_tree", "project_lines") and not (table.empty and table.empty_note):
            wanted = [("total", "合计行")]  # a table said to be empty (本表无数据 / 注：…没有…) needs no 合计行
            if spec.options.get("panels") and any(key.startswith(PANEL_TOTAL) for key in keys):
                wanted = []  # printed in panels, each closed by a total of its own (人员经费合计, 公用经费合计)
        for key, name in wanted:
            if key not in keys:
                where = f"{t15_name(table)} / {name}" if is_t15(table, ctx) else name
                yield Finding(f"{label(table)} 缺少{name}", label(table), where, None, name, "（缺）")



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


def _fixed_label(text: str) -> str:
    """A fixed row's label as compared: without its numbering (``1、`` ``一、`` ``(1)`` are styles, not another
    row) and without a closing ``收入``, which an income item may or may not say (``一般公共预算拨款收入``)."""
    name = norm_name(strip_numbering(text))
    return name[:-2] if name.endswith("收入") and len(name) > 4 else name


@rule("CMP-ROW-LABELS", "warning", "completeness",
      "收支总表固定行（收入项目、合计与总计行）的名称与模板一致（表1、表6）",
      Finding("表1 收入项目名称与模板不一致", "表1", "一般性经费拨款", "项目", "一般性经费拨款", "一般性经费拨专款"))
def row_labels(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for table in disclosure.tables:
        spec = ctx.settings.tables.get(table.id)
        if spec is None or spec.builder != "two_sided":
            continue
        labels = _fixed_labels(spec)
        seen: set[str] = set()
        for row in table.rows:
            income = next((p[7:] for p in row.key.split(";") if p.startswith("income=")), "")
            for where in (f"income:{income}", f"row:{row.key}"):
                if where not in labels or where in seen:
                    continue  # a second row of the same income is a breakdown (of 上年结转结余), not the income line
                seen.add(where)
                column, expected = labels[where]
                printed = row_text(row, column)
                if printed and _fixed_label(printed) != _fixed_label(expected):
                    yield Finding(f"{label(table)} 固定行的名称与模板不一致", label(table), expected,
                                  table.column(column).label if table.column(column) else column, expected, printed)

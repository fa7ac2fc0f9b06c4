"""Classification codes against the catalog of the document's own fiscal year: the code exists (an old,
recoded code is reported with its new one), its name is the official name (a name the code carried in an
earlier year is reported as an old name, with the year it changed), and a 项 stands under its 款 and 类.
Which catalog a code belongs to (功能分类, 部门 or 政府预算经济分类, 收入分类) comes from the template's column
meaning or from the code itself (5xx 政府, 3xx 部门预算经济分类), never from the file (docs/catalogs.md)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from deptbudget.catalog import KINDS, Catalog, CatalogEntry, Change, FormerName
from deptbudget.model.disclosure import Disclosure, Row, Table
from deptbudget.model.narrative_parts import strip_numbering
from deptbudget.rules._common import (
    FUNC_LEVELS,
    Node,
    data_rows,
    is_two_sided,
    label,
    norm_name,
    role_of,
    row_text,
    tree_nodes,
)
from deptbudget.rules.catalog_headings import class_names, heading_kind, is_class_list, is_local_code, local_parent
from deptbudget.rules.registry import Finding, RuleContext, Severity, rule
from deptbudget.template import Role

_ECO_TREES = (Role.BASIC_EXPENDITURE, Role.GENERAL_BUDGET_BASIC)
_FUNC_TREES = (Role.GENERAL_BUDGET_EXPENDITURE, Role.GOV_FUND, Role.STATE_CAPITAL)
_PROJECT_LINES = (Role.PROJECTS, Role.TRANSFERS)

# Columns whose meaning names the catalog, whatever the table: (code column, name column, kind). A template
# says a column holds 政府预算支出经济分类 (``gov_code``/``gov_name``) or 收入分类 (``income_code``/``income_name``)
# codes; ``gov_eco`` is one text column printing both, ``50101-工资奖金津补贴`` (北京).
_MEANT_COLUMNS = (("gov_code", "gov_name", "gov_bgt_eco"), ("income_code", "income_name", "income"))
_JOINED_COLUMNS = (("gov_eco", "gov_bgt_eco"),)
_JOINED = re.compile(r"^\s*[\[【［]?\s*(?P<code>\d{3,9})\s*[\]】］]?\s*[-－—]?\s*(?P<name>.*)$")
LABEL_OF = {kind: label for kind, (label, _) in KINDS.items()}


def _is_tree(table: Table, ctx: RuleContext) -> bool:
    """A table printed as a classification tree: a 收支总表's spending side, an 经济分类 or 功能分类 tree."""
    role = role_of(table, ctx)
    if role in (Role.SUMMARY, Role.FISCAL_SUMMARY):
        return is_two_sided(table)
    return role in _ECO_TREES + _FUNC_TREES


def _kind(table: Table, ctx: RuleContext, code: str) -> str:
    """The catalog of a tree's code: an 经济分类 tree prints 部门预算 (3xx) or 政府预算 (5xx) 经济分类 codes,
    told apart by the code itself; any other tree 支出功能分类 codes."""
    if role_of(table, ctx) not in _ECO_TREES:
        return "exp_func"
    return "gov_bgt_eco" if code.startswith("5") else "dep_bgt_eco"


def _is_project_lines(table: Table, ctx: RuleContext) -> bool:
    return role_of(table, ctx) in _PROJECT_LINES


class Coded(NamedTuple):
    """A classified row of a table: the code and name it prints, the catalog they belong to, and the column
    the name stands in (``name``, ``func_name``, ``exp_item``, ``gov_name`` …)."""

    table: Table
    kind: str
    row: Row
    code: str
    name: str
    column: str
    joined: bool = False  # printed as ``code-name`` in one cell, which a PDF may wrap


def coded_rows(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Coded]:
    """Every classified row: trees, project lines, and columns whose meaning names their catalog (one pair
    per table for such a column: it repeats its code on every row it classifies)."""
    yield from (coded for coded in _all_coded(disclosure, ctx) if not is_local_code(coded.kind, coded.code))


def local_codes(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Coded]:
    """The codes a locality prints below a national 经济分类 款 (北京 ``3021101-差旅费``), one per table."""
    yield from (coded for coded in _all_coded(disclosure, ctx) if is_local_code(coded.kind, coded.code))


def _all_coded(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Coded]:
    for table in disclosure.tables:
        found = 0
        if _is_tree(table, ctx):
            column = _name_column(table)
            for node in tree_nodes(table, ctx):
                found += 1
                yield Coded(table, _kind(table, ctx, node.code), node.row, node.code, node.name, column)
        elif _is_project_lines(table, ctx):
            for row in data_rows(table):
                code = row_text(row, "code")
                if code:
                    found += 1
                    yield Coded(table, "exp_func", row, code, row_text(row, "func_name"), _name_column(table))
        yield from _meant_columns(table, headings=not found, generic=table.id not in ctx.settings.tables)


def _meant_columns(table: Table, headings: bool, generic: bool = False) -> Iterator[Coded]:
    """Pairs of the columns whose key names their catalog, and (``headings``: a table that is not read as a
    tree or as project lines) of the text columns whose heading names it and print ``code-name``."""
    joined = list(_JOINED_COLUMNS)
    if headings:
        taken = {key for pair in _MEANT_COLUMNS for key in pair[:2]} | {key for key, _ in _JOINED_COLUMNS}
        joined += [(c.key, kind) for c in table.columns
                   if c.key not in taken and not is_class_list(c) and (kind := heading_kind(c)) is not None]
    seen: set[tuple[str, str, str]] = set()
    for row in data_rows(table):
        for code_key, name_key, kind in _MEANT_COLUMNS:
            if table.column(code_key) is not None:
                pair = (kind, row_text(row, code_key), row_text(row, name_key))
                if _is_code(kind, pair[1]) and pair not in seen:
                    seen.add(pair)
                    yield Coded(table, kind, row, pair[1], pair[2], name_key)
        for key, kind in joined:
            text = row_text(row, key)
            if generic and key == "name" and (code := row_text(row, "code")) and table.column("code") is not None:
                text = f"{code}-{text}"  # a table no template describes: the generic reader's code and name columns
            match = _JOINED.match(text) if table.column(key) is not None else None
            if match is None or not (_is_code(kind, match["code"]) or is_local_code(kind, match["code"])):
                continue
            pair = (kind, match["code"], match["name"].strip())
            if pair not in seen and (pair[2] or key in dict(_JOINED_COLUMNS)):
                seen.add(pair)
                yield Coded(table, kind, row, pair[1], pair[2], key, joined=True)


def _is_code(kind: str, text: str) -> bool:
    return text.isdigit() and len(text) in KINDS[kind][1]


def _name_column(table: Table) -> str:
    if is_two_sided(table):
        return "exp_item"
    return "name" if table.column("func_name") is None else "func_name"


def finding_row(coded: Coded) -> str:
    """The row a finding names: the code, after the row's own name or code where the row is another's
    (a project line, a 部门经济分类 row printing its 政府经济分类 code beside it)."""
    table, row, code = coded.table, coded.row, coded.code
    if coded.column in {key for _, key, _ in _MEANT_COLUMNS} | {key for key, _ in _JOINED_COLUMNS}:
        own = row_text(row, "name") if table.column("func_name") is not None else \
            row_text(row, "code") or row_text(row, "project") or row_text(row, "name")
        return f"{own} / {code}" if own and own != code else code
    if table.column("func_name") is not None and not is_two_sided(table):
        return f"{row_text(row, 'name') or row_text(row, 'project')} / {code}"
    return code


def _column(coded: Coded) -> str:
    column = coded.table.column(coded.column)
    return column.label if column is not None else "科目名称"


@dataclass(frozen=True)
class Verdict:
    """A printed code–name pair judged against the catalog of its year: ``exact`` (the official name, as
    printed with numbering or brackets of either width), ``old_name`` (a name the code carried before, see
    ``former``), ``old_code`` (a code recoded since, see ``successor``), ``unknown`` (no such code), ``wrong``
    (another name)."""

    status: str
    official: CatalogEntry | None = None
    former: FormerName | None = None
    successor: CatalogEntry | None = None
    fate: Change | None = None


def judge(catalog: Catalog, kind: str, code: str, name: str, class_list: bool = False,
          joined: bool = False) -> Verdict:
    """The verdict on ``code`` printed with ``name`` (``class_list``: a 收支总表's list of 类; ``joined``: a
    ``code-name`` cell, whose name may be cut where the cell wrapped)."""
    official = catalog.find(kind, code)
    ahead = catalog.anticipated(kind, code)  # what a later change of unknown year may have made by this year

    def printed_as(entry: CatalogEntry) -> bool:
        return (not name or _same_name(catalog, kind, code, name, entry.name, class_list)
                or (joined and _cut_where_wrapped(name, entry.name)))

    if official is None and not ahead:
        successor = catalog.successor(kind, code)
        return Verdict("old_code" if successor else "unknown", None, None, successor, catalog.fate(kind, code))
    if (match := next((e for e in ([official] if official else []) + ahead if printed_as(e)), None)) is not None:
        return Verdict("exact", match)
    if official is None:
        return Verdict("wrong", ahead[0])
    for former in reversed(catalog.former_names(kind, code)):
        if _same_name(catalog, kind, code, name, former.name, class_list):
            if former.latest is not None and catalog.fiscal_year <= former.latest:
                return Verdict("exact", official)  # the rename may not have been made by this year
            return Verdict("old_name", official, former)
    return Verdict("wrong", official)


WRAPPED_PART = 4  # characters at least of a name cut where its cell wrapped


def _cut_where_wrapped(printed: str, official: str) -> bool:
    """A ``code-name`` cell keeps the start of the official name only: its cell wrapped and the rest stands on
    the next line (北京 ``2080506-机关事业单位职业年金`` / ``缴费支出``), which a reader may not join."""
    bare, wanted = _name_key(printed), _name_key(official)
    return len(bare) >= WRAPPED_PART and len(bare) < len(wanted) and wanted.startswith(bare)


def changed_severity(catalog: Catalog, year: int) -> Severity | None:
    """An old name or code printed in the first year of its change is a warning (budgets are compiled in
    the autumn before, often before the year's catalog is out); later it is an error like any other."""
    if catalog.fiscal_year != catalog.requested_year:
        return Severity.NOTE
    return Severity.WARNING if catalog.fiscal_year <= year else None


@rule("CAT-CODE", "error", "accuracy", "科目编码在该年度的分类科目中存在（功能、经济、收入分类）",
      Finding("2020 年支出功能分类科目中没有编码 2060498", "表7", "2060498", "科目编码", "有效的科目编码", "2060498"))
def unknown_codes(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    catalog = ctx.catalog
    if catalog is None:
        return
    for coded in coded_rows(disclosure, ctx):
        table, kind, code = coded.table, coded.kind, coded.code
        if catalog.find(kind, code) is not None or catalog.anticipated(kind, code):
            continue
        successor, fate = catalog.successor(kind, code), catalog.fate(kind, code)
        if successor is not None and fate is not None:
            yield Finding(f"编码 {code} 是旧编码（{fate.year} 年改为 {successor.code} {successor.name}）"
                          f"{_fallback(catalog)}", label(table), finding_row(coded), "科目编码",
                          successor.code, code, severity=changed_severity(catalog, fate.year))
            continue
        if fate is None and (unverified := _unverified(catalog, coded)) is not None:
            yield unverified
            continue
        removed = f"（{fate.year} 年已取消）" if fate is not None else ""
        yield Finding(f"{catalog.fiscal_year} 年{LABEL_OF[kind]}中没有编码 {code}{removed}{_fallback(catalog)}",
                      label(table), finding_row(coded), "科目编码", "有效的科目编码", code,
                      severity=_severity(catalog))
    for coded in local_codes(disclosure, ctx):  # a local detail stands under a national 款 of the year
        parent = local_parent(coded.code)
        if catalog.find(coded.kind, parent) is None:
            yield Finding(f"编码 {coded.code} 所属的款 {parent} 不在 {catalog.fiscal_year} 年{LABEL_OF[coded.kind]}中"
                          f"{_fallback(catalog)}", label(coded.table), finding_row(coded), "科目编码",
                          "有效的科目编码", coded.code, severity=_severity(catalog))


def _unverified(catalog: Catalog, coded: Coded) -> Finding | None:
    """An unknown code that our data cannot prove wrong, as a note: a kind whose data lacks official 款/项
    (catalog.yaml ``partial``), a parent the data knows, and a printed name that is no other code's of that parent.
    A name that is a sibling's is a wrong code: ``None`` (the caller's error) — with that sibling's code expected."""
    kind, code = coded.kind, coded.code
    parent = catalog.parent_code(kind, code)
    if kind not in catalog.partial or parent is None or catalog.find(kind, parent) is None:
        return None
    printed = _name_key(_without_code(coded.name, code)) if coded.name else ""
    if printed and any(_name_key(s.name) == printed for s in catalog.children(kind, parent)):
        return None
    level = "类" if len(parent) == 3 else "款"
    named = f"（{coded.name}）" if coded.name else ""
    message = (f"本系统 {catalog.fiscal_year} 年{LABEL_OF[kind]}数据中没有编码 {code}{named}；"
               f"它所属的{level} {parent} {catalog.name(kind, parent)} 存在，而本系统该年的科目数据尚不完整，"
               f"无法核对此编码（请以财政部当年政府收支分类科目为准）{_fallback(catalog)}")
    return Finding(message, label(coded.table), finding_row(coded), "科目编码",
                   "有效的科目编码", code, severity=Severity.NOTE)


def _fallback(catalog: Catalog) -> str:
    """Said of a finding judged by another year's catalog (the document's year has none yet)."""
    if catalog.fiscal_year == catalog.requested_year:
        return ""
    return f"（没有 {catalog.requested_year} 年的分类科目，按 {catalog.fiscal_year} 年判断，仅供参考）"


def _severity(catalog: Catalog) -> Severity | None:
    """Another year's catalog cannot prove a code or name wrong: such a finding is a note, not an error."""
    return None if catalog.fiscal_year == catalog.requested_year else Severity.NOTE


def _name_key(name: str) -> str:
    """A printed name as compared with the catalog: without its numbering (``一、`` ``（一）`` ``1.``),
    which tables print before 类 names but which is no part of the name; brackets full-width."""
    return norm_name(strip_numbering(norm_name(name)))


_CODE_IN_NAME = re.compile(r"^[\[【［]?(?P<code>\d{3,9})[\]】］]?")


def _without_code(name: str, code: str) -> str:
    """The name without its own code printed in front of it (``[2010301]行政运行``, ``2010301 行政运行``)."""
    bare = norm_name(name)
    match = _CODE_IN_NAME.match(bare)
    return bare[match.end():] if match and match["code"] == code and match.end() < len(bare) else bare


def _same_name(catalog: Catalog, kind: str, code: str, name: str, official: str, class_list: bool) -> bool:
    """The official name, also as printed with its 款 or 类 in brackets to tell it from its namesakes
    (``一般行政管理事务（人力资源和社会保障管理事务）``), after its own code (``[2010301]行政运行``), or — in a
    收支总表's list of 类 — without the words its column heading says for it (``一般公共服务`` / ``灾害防治及应急``
    under 支出功能分类)."""
    printed, wanted = _name_key(_without_code(name, code)), _name_key(official)
    if printed == wanted:
        return True
    ancestors = catalog.ancestors(kind, code) if catalog.find(kind, code) is not None else []
    bracketed = {f"{wanted}（{_name_key(a.name)}）" for a in ancestors}
    if printed in bracketed:
        return True
    return class_list and len(code) == 3 and len(printed) >= 2 and wanted.startswith(printed) \
        and wanted.endswith("支出")


@rule("CAT-NAME", "error", "accuracy", "科目名称是该年度分类科目的规范名称（同一编码各表名称一致）",
      Finding("科目 20604 的名称不是 2020 年规范名称", "表7", "20604", "科目名称", "技术研究与开发", "技术与研究开发"))
def official_names(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    catalog = ctx.catalog
    if catalog is None:
        return
    for coded in coded_rows(disclosure, ctx):
        table, kind, code, name = coded.table, coded.kind, coded.code, coded.name
        verdict = judge(catalog, kind, code, name, is_two_sided(table), coded.joined)
        if verdict.official is None or verdict.status == "exact":
            continue
        official, former = verdict.official.name, verdict.former
        if former is not None:
            yield Finding(f"科目 {code} 的名称“{name}”是旧名称（{former.renamed_in} 年更名为“{former.new_name}”）"
                          f"{_fallback(catalog)}", label(table), finding_row(coded), _column(coded),
                          official, name, severity=changed_severity(catalog, former.renamed_in))
            continue
        yield Finding(f"科目 {code} 的名称不是 {catalog.fiscal_year} 年规范名称{_fallback(catalog)}",
                      label(table), finding_row(coded), _column(coded), official, name,
                      severity=_severity(catalog))
    yield from _class_list_names(disclosure, catalog)


def _class_list_names(disclosure: Disclosure, catalog: Catalog) -> Iterator[Finding]:
    """Names of 类 printed without codes (西安 “支出功能分类科目（按大类）”): an old name as with codes; a name
    like a 类 name that is none is a warning (without a code the name alone cannot prove it wrong)."""
    for found in class_names(disclosure.tables, catalog):
        where = (label(found.table), found.name, found.column.label)
        former = found.former
        if found.status == "old_name" and former is not None and found.official is not None:
            yield Finding(f"科目名称“{found.name}”是旧名称（{former.renamed_in} 年更名为“{former.new_name}”）"
                          f"{_fallback(catalog)}", *where, found.official.name, found.name,
                          severity=changed_severity(catalog, former.renamed_in))
        elif found.status == "resembling" and found.official is not None:
            yield Finding(f"“{found.name}”不是 {catalog.fiscal_year} 年{LABEL_OF[found.kind]}的科目名称"
                          f"（近似：{found.official.name}）{_fallback(catalog)}", *where, found.official.name,
                          found.name, severity=Severity.NOTE if _severity(catalog) else Severity.WARNING)


@rule("CAT-HIERARCHY", "error", "accuracy", "科目层级正确：项列在其所属的款下、款列在其所属的类下",
      Finding("31002 办公设备购置 列在 302 下，但它属于类 310", "表4", "31002", "科目编码", "310", "302"))
def hierarchy(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for table in disclosure.tables:
        if not _is_tree(table, ctx):
            continue
        nodes = tree_nodes(table, ctx)
        if len({node.level for node in nodes}) < 2:
            continue  # one level only (a list of 项, as some localities print it): no tree to be out of order
        parents: dict[int, Node] = {}
        lengths = {1: 3, 2: 5}
        for node in nodes:
            parents[node.level] = node
            for deeper in [level for level in parents if level > node.level]:
                del parents[deeper]
            if node.level == 1:
                continue
            above = parents.get(node.level - 1)
            prefix = node.code[: lengths[node.level - 1]]
            if above is None or above.code != prefix:
                placed = above.code if above is not None else "（无上级行）"
                kind = "类" if node.level == 2 else "款"
                lacking = "" if any(n.code == prefix for n in nodes) else "，表中缺少该上级科目行"
                yield Finding(f"{node.code} {node.name} 列在 {placed} 下，但它属于{kind} {prefix}{lacking}",
                              label(table), node.code, "科目编码", prefix, placed)


_EXPLAINED_RE = re.compile(r"^(?P<name>[^：:，,。]{2,40})[：:]指")


@rule("CAT-NAME-TEXT", "warning", "accuracy", "名词解释中的功能分类科目名称是该年度规范名称",
      Finding("名词解释中的科目名称不是 2020 年规范名称", "第八部分", "其他技术与开发支出", "支出功能分类",
              "其他技术研究与开发支出", "其他技术与开发支出"))
def explained_names(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    catalog = ctx.catalog
    part = disclosure.part(8)
    if catalog is None or part is None:
        return
    in_functions = False
    for section in part.sections:
        for paragraph in [section.heading, *section.paragraphs]:
            text = norm_name(paragraph)
            if "支出功能分类" in text and len(text) < 20:
                in_functions = True
                continue
            match = _EXPLAINED_RE.match(text)
            if not in_functions or match is None:
                continue
            name = match["name"]
            if catalog.code_for_name("exp_func", name):
                continue
            guess = _closest(catalog, name)
            yield Finding("名词解释中的科目名称不是该年度规范名称", "第八部分", name, "支出功能分类",
                          guess, name)


def _closest(catalog: Catalog, name: str) -> str | None:
    """The official 项 name sharing most characters with ``name`` (a hint, not a verdict)."""
    best, score = None, 0.0
    wanted = set(name)
    for entry in catalog.entries("exp_func"):
        if len(entry.code) != max(FUNC_LEVELS):
            continue
        common = len(wanted & set(entry.name)) / max(len(wanted | set(entry.name)), 1)
        if common > score:
            best, score = entry.name, common
    return best if score >= 0.6 else None

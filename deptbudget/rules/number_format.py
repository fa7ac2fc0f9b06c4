"""How amounts are printed: separators, stray characters, decimals, signs."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from deptbudget.model.disclosure import CellKind, Disclosure, Row, Table
from deptbudget.model.money import meant_as_number
from deptbudget.rules._common import (
    PART_NAMES,
    column_label,
    is_t15,
    label,
    mentions,
    role_of,
    row_name,
    t15_where,
)
from deptbudget.rules.registry import Finding, RuleContext, rule
from deptbudget.template import Role
from deptbudget.template.role_titles import role_by_title

_WELL_FORMED = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_SEPARATED = re.compile(r"[,，]")
_DECIMALS = re.compile(r"\.(\d+)$")
_PLAIN = re.compile(r"\d{1,3}(?:,\d{3})*\.\d\d|0")  # as our tables print amounts
_CHANGE = re.compile(r"增减|变化|变动|增长|比上年")
_DIGITS = re.compile(r"^-?[\d,，]+(?:\.\d+)?$")  # digits and separators only: FMT-SEPARATOR's case
# Two or more amounts of two decimals with nothing between them (9,846.82180.032,228.57): the figures of
# neighbouring columns run together by the reader, not a misprint of the document — no FMT finding.
_GLUED = re.compile(r"^(?:-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d\d){2,}$")


def _glued(text: str) -> bool:
    return text.count(".") >= 2 and _GLUED.match(text.replace("，", ",")) is not None


def _amount_cells(disclosure: Disclosure, ctx: RuleContext) -> list[tuple[Table, Row, str, str]]:
    """(table, row, column key, printed text) of every amount cell whose printed text is not plainly
    well formed — the only cells the format rules need to look at (one scan for all of them)."""
    return ctx.remember("odd_amount_cells", lambda: list(_scan_amount_cells(disclosure)))


def _scan_amount_cells(disclosure: Disclosure) -> Iterator[tuple[Table, Row, str, str]]:
    amount, text_kind = CellKind.AMOUNT, CellKind.TEXT
    for table in disclosure.tables:
        amount_columns = {c.key for c in table.columns if c.kind is amount}
        for row in table.rows:
            for key, cell in row.cells.items():
                text = cell.text
                if cell.parse_error is None and (not text or _PLAIN.fullmatch(text)) and (
                        cell.value is None or cell.value >= 0):
                    continue  # the common case, decided in C
                if cell.kind is not amount and key not in amount_columns:
                    continue
                if cell.kind is text_kind and cell.value is None and cell.parse_error is None:
                    continue
                text = text.strip()
                if text or cell.parse_error:
                    yield table, row, key, text


def _where(table: Table, row: Row, key: str, ctx: RuleContext) -> tuple[str, str]:
    if table.layout == "form":
        name = row_name(table, row, ctx)
        return (t15_where(table, name) if is_t15(table, ctx) else name), name
    return row_name(table, row, ctx), column_label(table, key)


@rule("FMT-SEPARATOR", "error", "format", "千位分隔符位置正确（如 17,144.13，而非 1,7144.13）",
      Finding("金额的千位分隔符位置错误：1,7144.13", "表14", "资金总额", "资金总额", "17,144.13", "1,7144.13"))
def separators(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for table, row, key, text in _amount_cells(disclosure, ctx):
        if (_SEPARATED.search(text) and not _WELL_FORMED.match(text.replace("，", ",")) and meant_as_number(text)
                and not _glued(text)):
            digits = _SEPARATED.sub("", text)
            fixed = _fix(digits)
            where, column = _where(table, row, key, ctx)
            yield Finding(f"金额的千位分隔符位置错误：{text}", label(table), where, column, fixed, text)
    for m in mentions(disclosure, ctx):
        if _SEPARATED.search(m.text) and not _WELL_FORMED.match(m.text.replace("，", ",")):
            yield Finding(f"正文金额的千位分隔符位置错误：“{m.sentence}”", PART_NAMES.get(m.part), m.where, m.key,
                          _fix(_SEPARATED.sub("", m.text)), m.text)


def _fix(digits: str) -> str:
    try:
        whole, _, fraction = digits.partition(".")
        return f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    except ValueError:
        return digits


@rule("FMT-PARSE", "error", "format", "金额能读成数字（无多余字符、空格或错字）",
      Finding("金额无法识别：17,144.l3（含非数字字符）", "表1", "201", "2020 年预算数", "数字", "17,144.l3"))
def unparseable(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    """A figure that cannot be read. Words in an amount column (a header, a label, a note) are no
    misprinted figure but a layout the reader did not follow: the import report lists them."""
    for table, row, key, text in _amount_cells(disclosure, ctx):
        cell = row.cells[key]
        if cell.parse_error and not _DIGITS.match(text) and meant_as_number(text) and not _glued(text):
            where, column = _where(table, row, key, ctx)
            yield Finding(f"金额无法识别：{cell.text}（{cell.parse_error}）", label(table), where, column, "数字",
                          cell.text)


@rule("FMT-DECIMALS", "warning", "format", "金额以万元保留两位小数（0 可写作 0）",
      Finding("金额应保留两位小数：410.0", "表7", "20607", "支出总计", "410.00", "410.0"))
def decimals(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    by_table: dict[int, list[Finding]] = {}
    conventions: dict[int, int] = {}
    tables: dict[int, Table] = {}
    for table, row, key, text in _amount_cells(disclosure, ctx):
        plain = text.replace(",", "").replace("，", "").lstrip("-")
        if plain in ("0", "") or not _WELL_FORMED.match(text.replace("，", ",")) or table.unit != "万元":
            continue
        if table.in_text:
            continue  # a table typeset in the narrative (重点项目 … 预算数 52,500) prints its figures as the text does
        if id(table) not in conventions:
            conventions[id(table)] = _table_decimals(table)
        wanted = conventions[id(table)]
        if _is_form(table, ctx) and wanted <= 2:
            continue  # a form as filled in (绩效目标表 资金总额 15000), unless it prints more places throughout
        match = _DECIMALS.search(plain)
        if match is None or len(match[1]) != wanted:
            where, column = _where(table, row, key, ctx)
            cell = row.cells[key]
            expected = f"{cell.value:,.{wanted}f}" if cell.value is not None else None
            message = "金额应保留两位小数" if wanted == 2 else f"金额应与本表其他金额一样保留 {wanted} 位小数"
            tables[id(table)] = table
            by_table.setdefault(id(table), []).append(
                Finding(f"{message}：{text}", label(table), where, column, expected, text))
    for key, found in by_table.items():
        if len(found) <= _EACH_UP_TO:
            yield from found
        else:  # a table printed so throughout is one problem, not one per cell
            first = found[0]
            summary = f"{label(tables[key])} 有 {len(found)} 个金额未保留{_places(first.message)}"
            yield Finding(f"{summary}，如 {first.actual}", first.table, first.row, first.column, first.expected,
                          first.actual)


_EACH_UP_TO = 5  # more misprinted cells than this in one table are reported as one finding for the table


def _places(message: str) -> str:
    return "两位小数" if "两位小数" in message else "与本表其他金额相同的小数位数"


def _table_decimals(table: Table) -> int:
    """The decimals a table's amounts are printed with: two, or more when most of its amounts
    carry more (a document printing 万元 to the yuan, ``32,365.090089``, does so in every cell — a form's
    amount fields too)."""
    counts: Counter[int] = Counter()
    amount_columns = {c.key for c in table.columns if c.kind is CellKind.AMOUNT}
    for row in table.rows:
        for key, cell in row.cells.items():
            amount = key in amount_columns or cell.kind is CellKind.AMOUNT
            match = _DECIMALS.search(cell.text) if amount else None
            if match is not None:
                counts[len(match[1])] += 1
    if not counts:
        return 2
    most, n = counts.most_common(1)[0]
    return most if most > 2 and n * 2 > sum(counts.values()) else 2


_FORM_ROLES = (Role.PROJECT_TARGETS, Role.DEPARTMENT_TARGETS, Role.PERFORMANCE_PROJECTS)


def _is_form(table: Table, ctx: RuleContext) -> bool:
    """A form as filled in: laid out as one, or — a table no template describes — titled as a 绩效目标表."""
    if table.layout == "form":
        return True
    return role_of(table, ctx) is None and role_by_title(table.title) in _FORM_ROLES


def _names_a_change(row: Row) -> bool:
    """A row whose words, in any of its text cells, say it is a change (a 年度 column reading 增减变化金额)."""
    return any(cell.value is None and _CHANGE.search(cell.text or "") for cell in row.cells.values())


@rule("FMT-NEGATIVE", "error", "format", "预算金额不为负数",
      Finding("预算金额为负数：-10.32", "表7", "2069999", "项目支出", "≥ 0", "-10.32"))
def negatives(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for table, row, key, _ in _amount_cells(disclosure, ctx):
        cell = row.cells[key]
        if cell.value is not None and cell.value < 0:
            where, column = _where(table, row, key, ctx)
            if _CHANGE.search(where) or _CHANGE.search(column) or _names_a_change(row):
                continue  # a change on last year (增减变化) may well be negative
            yield Finding(f"预算金额为负数：{cell.text}", label(table), where, column, "≥ 0", cell.text)

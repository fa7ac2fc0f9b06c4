"""Row keys of grid tables, per template builder (``template.Builder``, as ``compute.tables.BUILDERS``):
the printed rows of a table become ``Row``s keyed as ``docs/disclosure-conventions.md`` says."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from deptbudget.importers.cells import (
    RowContext,
    RowSink,
    is_total_label,
    is_unit_label,
    merge_wrapped,
    project_key,
    row,
    text_cell,
)
from deptbudget.importers.codes import Resolved, TreeResolver, code_level, complete_code, leading_code, name_form
from deptbudget.importers.report import TableReport
from deptbudget.importers.source import SourceLine, label_key, squash
from deptbudget.importers.vocabulary import vocabulary
from deptbudget.model.disclosure import Cell, CellKind, Row, RowKind
from deptbudget.template import Builder, FooterRow, TableSpec, states_spending_total

RowBuilder = Callable[[list[SourceLine], RowContext], list[Row]]


def _note_resolution(report: TableReport, printed: str, found: Resolved, line: SourceLine) -> None:
    if found.how == "approximate":
        report.note(f"名称“{printed}”按位置识别为 {found.code} {found.official} "
                    f"(name resolved by its place in the tree)", line.where, approximate=True)
    elif found.how == "former":
        report.note(f"“{printed}”是 {found.code} 的旧名称，现为“{found.official}” (former name)", line.where)
    elif found.how == "elsewhere":
        report.note(f"“{printed}”({found.code}) 不在所列上级科目之下 (printed outside its parent)", line.where)


def _is_first_total(cells: dict[str, Cell], ctx: RowContext, first: bool, label_columns: tuple[str, ...]) -> bool:
    labels = [cells[c].text for c in label_columns if c in cells and cells[c].text]
    if any(is_unit_label(t, ctx.unit_name) or is_total_label(t) for t in labels):
        return True
    return first and not labels


# --- 收支总表 (two-sided) ------------------------------------------------------------------------


class _TwoSided:
    def __init__(self, ctx: RowContext) -> None:
        spec = ctx.spec
        income = spec.income if spec else ()
        footers = spec.footer if spec else ()
        self.items: dict[str, str] = {label_key(i.label): i.key for i in income}
        self.item_keys = set(self.items.values())
        self.labels = dict(self.items)
        for label, key in vocabulary().income_labels.items():
            self.labels.setdefault(label, key)
        self.footers: dict[str, FooterRow] = {}  # income measure word → footer row
        self.exp_footers: dict[str, str] = {}  # exp label key → income measure word
        for footer in footers:
            word = footer.income.measure.word
            self.labels.setdefault(label_key(footer.income.label), word)
            self.footers[word] = footer
            if footer.expenditure.label and footer.expenditure.measure.has_amount:
                self.exp_footers.setdefault(label_key(footer.expenditure.label), word)
        self.resolver = TreeResolver(ctx.catalog, "exp_func")

    def footer(self, in_label: str, exp_label: str) -> FooterRow | None:
        key = self.labels.get(label_key(in_label)) if in_label else None
        if key is not None and key not in self.item_keys and key in self.footers:
            return self.footers[key]
        if not in_label and exp_label and label_key(exp_label) in self.exp_footers:
            return self.footers[self.exp_footers[label_key(exp_label)]]
        return None

    def is_label(self, text: str) -> bool:
        return label_key(text) in self.labels or bool(self.resolver.catalog.code_for_name("exp_func", name_form(text)))


def _blank_side(cells: dict[str, Cell], item: str, amount: str) -> None:
    if not cells[item].text and cells[amount].is_blank:
        cells[amount] = Cell(text="", kind=CellKind.TEXT)


def two_sided_rows(lines: list[SourceLine], ctx: RowContext) -> list[Row]:
    table = _TwoSided(ctx)
    sink = RowSink(ctx.report)
    for line in merge_wrapped(lines, table.is_label, ctx.report):
        cells = ctx.cells(line)
        in_label, exp_label = cells["income_item"].text, cells["exp_item"].text
        footer = table.footer(in_label, exp_label)
        if footer is not None:
            _blank_side(cells, "income_item", "income_amount")
            if not states_spending_total(footer.expenditure.measure) and cells["exp_amount"].is_blank:
                cells["exp_amount"] = Cell(text="", kind=CellKind.TEXT)
            sink.add(row(footer.key, cells, RowKind.TOTAL if footer.total else RowKind.DATA), line)
            continue
        keyed = True
        income = ""
        if in_label:
            income = table.labels.get(label_key(in_label), "")
            if not income:
                income, keyed = f"?{label_key(in_label)}", False
                ctx.report.note(f"未识别的收入项目 (unknown income label): {in_label}", line.where, approximate=True)
        code, level = "", 0
        if exp_label:
            found = table.resolver.resolve(exp_label)
            if found is None:
                code, keyed = f"?{name_form(exp_label)}", False
                ctx.report.note(f"未识别的支出科目 (unknown functional class): {exp_label}", line.where,
                                approximate=True)
            else:
                _note_resolution(ctx.report, exp_label, found, line)
                code, level = found.code, code_level("exp_func", found.code) or 0
        for item, amount in (("income_item", "income_amount"), ("exp_item", "exp_amount")):
            _blank_side(cells, item, amount)
        sink.add(row(f"income={income};exp={code}", cells, level=level), line, keyed)
    return sink.rows


# --- rows per unit --------------------------------------------------------------------------------


def _own_unit(cells: dict[str, Cell], rows: list[Row]) -> bool:
    """A row named as the department under a 合计 that it does not equal: the department's own unit (本级)
    among its units, not the department's total."""
    total = next((r for r in rows if r.key == "total"), None)
    if total is None:
        return False
    amounts = [(k, c.value) for k, c in cells.items() if c.kind is CellKind.AMOUNT and c.value is not None]
    return any(total.cells[k].value not in (None, value) for k, value in amounts if k in total.cells)


def unit_rows(lines: list[SourceLine], ctx: RowContext) -> list[Row]:
    sink = RowSink(ctx.report)
    label = ctx.columns[0].key
    for line in merge_wrapped(lines, None, ctx.report):
        cells = ctx.cells(line)
        text = cells[label].text
        if is_total_label(text):
            key = "total"
        elif is_unit_label(text, ctx.unit_name) and _own_unit(cells, sink.rows):
            key = f"unit:{squash(text)}"
        elif is_unit_label(text, ctx.unit_name) or (not sink.rows and "unit" not in sink.keys):
            key = "unit" if "unit" not in sink.keys else f"unit:{squash(text)}"
        else:
            key = f"unit:{squash(text)}"
        sink.add(row(key, cells, RowKind.TOTAL if key in ("unit", "total") else RowKind.DATA), line)
    return sink.rows


# --- classification trees --------------------------------------------------------------------------


def _tree_row(lines: list[SourceLine], ctx: RowContext, kind: str) -> list[Row]:
    """支出功能分类 (``exp_func``) or 经济分类 (``dep_bgt_eco``) rows under a total row."""
    resolver = TreeResolver(ctx.catalog, kind, vocabulary().preferred_classes.get(kind, ()))
    sink = RowSink(ctx.report)
    keys = {c.key for c in ctx.columns}
    name_col = "name"
    label_cols = tuple(k for k in ("unit", "name", "code") if k in keys)
    printed_parent: dict[int, str] = {}

    def is_label(text: str) -> bool:
        return bool(ctx.catalog.code_for_name(kind, name_form(text)))

    for line in merge_wrapped(lines, is_label, ctx.report):
        cells = ctx.cells(line)
        code = cells["code"].text.replace(" ", "") if "code" in cells else ""
        if not code and name_col in cells:
            inside = leading_code(cells[name_col].text)
            code = inside[0] if inside and code_level(kind, inside[0]) is not None else ""
        parents = [printed_parent[level] for level in sorted(printed_parent)]
        full = complete_code(ctx.catalog, kind, code, parents, cells.get(name_col, Cell()).text)
        if full is not None:
            ctx.report.note(f"科目编码 {code} 按上级补全为 {full} (code printed as its last part)", line.where)
            cells["code"] = Cell(text=full, kind=cells["code"].kind)
            code = full
        if code_level(kind, code) is None and (is_total_label(code) or _is_first_total(cells, ctx, not sink.rows,
                                                                                         label_cols)):
            sink.add(row("total", cells, RowKind.TOTAL), line)
            continue
        keyed = True
        if code_level(kind, code) is not None:
            resolver.enter(code)
        else:
            printed = cells.get(name_col, Cell()).text
            found = resolver.resolve(printed) if printed else None
            if found is None:
                code, keyed = f"?{name_form(printed)}", False
                ctx.report.note(f"未识别的科目 (unknown {kind} name): {printed}", line.where, approximate=True)
            else:
                _note_resolution(ctx.report, printed, found, line)
                code = found.code
        level = code_level(kind, code) or 1
        leaf = level == (3 if kind == "exp_func" else 2)
        parent = printed_parent.get(level - 1) if level > 1 else None
        if parent is not None and not code.startswith(parent):
            ctx.report.note(f"{code} 印在 {parent} 之下 (printed under another parent)", line.where)
        printed_parent[level] = code
        kind_ = RowKind.DATA if leaf else RowKind.SUBTOTAL
        sink.add(row(code, cells, kind_, level, parent), line, keyed)
    return sink.rows


def func_tree_rows(lines: list[SourceLine], ctx: RowContext) -> list[Row]:
    return _tree_row(lines, ctx, "exp_func")


def eco_tree_rows(lines: list[SourceLine], ctx: RowContext) -> list[Row]:
    return _tree_row(lines, ctx, "dep_bgt_eco")


# --- project and item lists --------------------------------------------------------------------------


def project_line_rows(lines: list[SourceLine], ctx: RowContext) -> list[Row]:
    """项目支出 by project and functional 项: ``<project>:<code>``; a blank name repeats the last."""
    sink = RowSink(ctx.report)
    keys = {c.key for c in ctx.columns}
    name_col = "project" if "project" in keys else "name"
    current = ""
    for line in merge_wrapped(lines, None, ctx.report):
        cells = ctx.cells(line)
        code = cells["code"].text.replace(" ", "") if "code" in cells else ""
        if is_total_label(code) or not code and _is_first_total(cells, ctx, not sink.rows, (name_col, "code")):
            sink.add(row("total", cells, RowKind.TOTAL), line)
            continue
        name = cells[name_col].text or current
        current = name
        sink.add(row(f"{project_key(name)}:{code}", cells, level=1), line, bool(name))
    return sink.rows


def _keyed_by(column: str, transform: Callable[[str], str]) -> RowBuilder:
    def build(lines: list[SourceLine], ctx: RowContext) -> list[Row]:
        sink = RowSink(ctx.report)
        for line in merge_wrapped(lines, None, ctx.report):
            cells = ctx.cells(line)
            text = cells[column].text if column in cells else ""
            key = transform(text) if text else f"row{len(sink.rows) + 1}"
            kind = RowKind.TOTAL if is_total_label(text) else RowKind.DATA
            sink.add(row(key, cells, kind), line, bool(text))
        return sink.rows

    return build


LAST_YEAR = "last_"  # three_public columns of the year before, printed beside the budget year's


def _one_year_printed(line: SourceLine, this_year: dict[str, Cell]) -> bool:
    """A row of a 三公 table printed without last year's figures beside it (a layout the same family
    also prints with them): nothing in this year's columns and no wider than they are."""
    width = max((index + 1 for index, _ in line.filled), default=0)
    return not any(cell.text for key, cell in this_year.items() if key != "year") and width <= len(this_year)


def three_public_rows(lines: list[SourceLine], ctx: RowContext) -> list[Row]:
    """One row per year, keyed by the printed year; a table with one row and no year column is
    the budget year's. Where the template prints last year's figures beside this year's (columns
    ``last_<key>``), a printed row gives a row for each year — unless the document printed this
    year's alone (``_one_year_printed``)."""
    sink = RowSink(ctx.report)
    for line in merge_wrapped(lines, None, ctx.report):
        cells = ctx.cells(line)
        printed = cells["year"].text if "year" in cells else ""
        match = re.search(r"\d{4}", printed)
        key = match.group(0) if match else (squash(printed) or str(ctx.fiscal_year))
        last = {k[len(LAST_YEAR):]: cell for k, cell in cells.items() if k.startswith(LAST_YEAR)}
        if last and key == str(ctx.fiscal_year):
            cells = {k: cell for k, cell in cells.items() if not k.startswith(LAST_YEAR)}
            if _one_year_printed(line, cells):
                cells = {**cells, **last}  # the one block printed, read into last year's columns, is this year's
            elif any(cell.text for cell in last.values()):  # (no row for a year the document does not print)
                sink.add(row(str(ctx.fiscal_year - 1), last), line)
        sink.add(row(key, cells, RowKind.TOTAL if is_total_label(printed) else RowKind.DATA), line)
    return sink.rows


_NOT_A_FIGURE = re.compile(r"[^\d,.\s()+\-]")  # after NFKC: a character no printed figure has (a unit, ≤, words)


def _words_kept(cell: Cell, exact: bool) -> Cell:
    """A generic table's cell of words in a column taken for amounts by its other cells (a form's indicator row,
    ``≤1638.67 万元`` and ``1032.99万元``, under the 全年预算数 and 全年执行数 of its 资金 rows): the words as
    printed, a text cell with its amount in it — the column's meaning is the reader's guess, not the document's,
    so they are no misprinted figure. A figure misprinted as a figure (``1,7144.13``) stays an amount."""
    if cell.kind is CellKind.AMOUNT and cell.parse_error and _NOT_A_FIGURE.search(unicodedata.normalize("NFKC",
                                                                                                          cell.text)):
        return text_cell(cell.text, exact)
    return cell


_GENERIC_LABELS = ("name", "project_name", "unit")  # label columns of a generic table, in the order they key a row


def generic_rows(lines: list[SourceLine], ctx: RowContext) -> list[Row]:
    """Rows of a table no template describes: keyed by the printed code where the table has a code
    column, else by the printed name (a 合计 row is ``total``), else by position (``r<n>``)."""
    sink = RowSink(ctx.report)
    keys = {c.key for c in ctx.columns}
    for index, line in enumerate(lines, 1):
        cells = {key: _words_kept(cell, line.exact) for key, cell in ctx.cells(line).items()}
        code = cells["code"].text.replace(" ", "") if "code" in keys else ""
        label = next((cells[k].text for k in _GENERIC_LABELS if k in keys and cells[k].text), "")
        kind = RowKind.DATA
        if code and code.isascii() and code.isalnum():
            key = code
        elif is_total_label(code):
            key, kind = "total", RowKind.TOTAL
        elif label and is_total_label(label):
            key, kind = "total", RowKind.TOTAL
        elif label:
            key = project_key(label)
        else:
            key = f"r{index}"
        sink.add(row(key, cells, kind), line)
    return sink.rows


ROW_BUILDERS: dict[Builder, RowBuilder] = {
    Builder.TWO_SIDED: two_sided_rows,
    Builder.UNIT_ROWS: unit_rows,
    Builder.FUNC_TREE: func_tree_rows,
    Builder.ECO_TREE: eco_tree_rows,
    Builder.PROJECT_LINES: project_line_rows,
    Builder.PROCUREMENT: _keyed_by("name", project_key),
    Builder.THREE_PUBLIC: three_public_rows,
    Builder.PERFORMANCE_PROJECTS: _keyed_by("name", project_key),
}
"""Row readers of grid tables by builder; form tables (``layout: form``) are read by ``importers.forms``."""


def row_builder(spec: TableSpec | None) -> RowBuilder:
    if spec is None:
        return generic_rows
    return ROW_BUILDERS.get(spec.builder, generic_rows)

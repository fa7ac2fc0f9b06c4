"""One table block → ``Table``: the template's description says which columns and how rows are
keyed; a table no template knows is kept as a generic table (columns from its header)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from deptbudget.catalog import Catalog
from deptbudget.importers.amounts import looks_like_amount
from deptbudget.importers.cells import RowContext, project_key
from deptbudget.importers.code_names import split_code_names
from deptbudget.importers.columns import column_positions, printed_labels
from deptbudget.importers.forms import read_form
from deptbudget.importers.grid import Grid, header_cells, split_grid, unit_line
from deptbudget.importers.panels import panel_count, panel_totals, unfold
from deptbudget.importers.phases import meetings_total, phased_read
from deptbudget.importers.report import TableReport
from deptbudget.importers.rows import row_builder
from deptbudget.importers.segment import Block
from deptbudget.importers.source import SourceLine, label_key, squash
from deptbudget.importers.splitcodes import join_code_columns
from deptbudget.model.disclosure import CellKind, Column, HeaderCell, Row, Table
from deptbudget.template import Builder, TableSpec


@dataclass
class TableContext:
    catalog: Catalog
    year: int
    unit_name: str
    default_unit: str


def spec_columns(spec: TableSpec, year: int) -> list[Column]:
    """The template table's columns, as its builder makes them (``{year}`` filled in)."""
    return [Column(c.key, c.label.replace("{year}", str(year)), c.kind) for c in spec.columns]


_NOT_AMOUNT_LABEL = re.compile(r"^(?:类|款|项|栏次|行次)$|(?:编码|代码|编号|序号|数量|年度|年份|科目)$"
                               r"|[%％]）?$|权重|分值|比例|人数|指标值|目标值|计量单位")


def is_code_or_count_label(label: str) -> bool:
    """A column header that names codes, numbering, a count, a share or a score (``科目编码``, ``类``
    ``款`` ``项``, ``数量``, ``人数``, ``指标权重(%)``, ``分值``): its figures are no amounts of money,
    however they look."""
    return bool(_NOT_AMOUNT_LABEL.search(squash(label)))


# What a generic table's column means where its printed label says it outright (labels compared
# without spaces, numbering and colons); the first column with a meaning takes its key, any other
# column is kept as a named extra column ``c<n>``.
GENERIC_MEANINGS: dict[str, tuple[str, CellKind]] = {
    **dict.fromkeys(("科目编码", "功能科目编码", "功能分类科目编码", "科目代码", "编码"), ("code", CellKind.CODE)),
    **dict.fromkeys(("科目名称", "功能科目名称", "功能分类科目名称", "名称"), ("name", CellKind.TEXT)),
    **dict.fromkeys(("单位编码", "单位代码", "预算单位编码", "预算单位代码"), ("unit_code", CellKind.CODE)),
    **dict.fromkeys(("单位名称", "预算单位名称", "预算单位"), ("unit", CellKind.TEXT)),
    **dict.fromkeys(("项目名称", "预算项目名称"), ("project_name", CellKind.TEXT)),
    **dict.fromkeys(("合计", "总计", "支出合计", "金额合计"), ("total", CellKind.AMOUNT)),
    "基本支出": ("basic", CellKind.AMOUNT),
    "项目支出": ("project", CellKind.AMOUNT),
    **dict.fromkeys(("人员经费", "人员经费支出", "人员支出"), ("personnel", CellKind.AMOUNT)),
    **dict.fromkeys(("公用经费", "公用经费支出", "日常公用经费", "日常公用支出"), ("operating", CellKind.AMOUNT)),
}


def _meaning(label: str, filled: list[str], amounts: int) -> tuple[str, CellKind] | None:
    """The meaning a column's label gives it, when its cells agree (amounts under an amount label)."""
    meaning = GENERIC_MEANINGS.get(label_key(label))
    if meaning is None:
        return None
    if meaning[1] is CellKind.AMOUNT and filled and amounts * 2 <= len(filled):
        return None
    return meaning


def grid_width(header: list[list[HeaderCell]], body: list[SourceLine]) -> int:
    """How many printed columns a table has: its widest row or header cell."""
    return max([len(line.cells) for line in body] + [c.col + c.colspan for r in header for c in r] + [0])


def qualified_labels(header: list[list[HeaderCell]], width: int, labels: list[str]) -> list[str]:
    """``labels`` with a label that several columns share prefixed by the header cells above it (``上年`` /
    ``当年`` / ``增减`` over the same ``公务接待费``), so that every column says what it holds."""
    above: list[list[str]] = [[] for _ in range(width)]
    for header_row in header:
        for cell in header_row:
            for col in range(cell.col, min(cell.col + cell.colspan, width)):
                above[col].append(label_key(cell.text))
    out = list(labels)
    for col, label in enumerate(labels):
        if not label or labels.count(label) < 2:
            continue
        groups = [text for text in above[col][:-1] if text and text not in label]
        out[col] = "".join(dict.fromkeys(groups)) + label
    return out


def generic_columns(header: list[list[HeaderCell]], body: list[SourceLine]) -> list[Column]:
    """Columns of a table no template describes, labelled by the printed header (a 小计 with its
    group's name): a column whose label says what it holds (``GENERIC_MEANINGS``) gets that key and
    kind; any other is an amount column where most filled body cells look like amounts, unless its
    header names codes or a count, and is kept as ``c<n>``."""
    width = grid_width(header, body)
    raw = [""] * width
    for header_row in header:
        for cell in header_row:
            for col in range(cell.col, min(cell.col + cell.colspan, width)):
                raw[col] = cell.text
    named = qualified_labels(header, width, printed_labels(header, width))
    columns = []
    taken: set[str] = set()
    for col in range(width):
        filled = [line.cell(col) for line in body if line.cell(col).strip()]
        amounts = sum(1 for text in filled if looks_like_amount(text))
        label = raw[col] if label_key(raw[col]) == named[col] else named[col] or raw[col]
        meaning = _meaning(raw[col], filled, amounts)
        if meaning is not None and meaning[0] not in taken:
            taken.add(meaning[0])
            columns.append(Column(meaning[0], label, meaning[1]))
            continue
        kind = CellKind.AMOUNT if filled and amounts * 2 > len(filled) else CellKind.TEXT
        if is_code_or_count_label(raw[col]) or _is_row_numbers(filled) or (label and not names_money(label)):
            kind = CellKind.TEXT
        columns.append(Column(f"c{col}", label or f"第{col + 1}列", kind))
    return columns


_MONEY_LABEL = re.compile(r"合计|小计|总计|金额|预算|决算|支出|收入|经费|资金|拨款|结转|结余|费|额|元|数$")


def names_money(label: str) -> bool:
    """A header that says its column holds money (``合计``, ``事业收入``, ``公用经费``, ``预算数`` …), not
    codes, counts or shares. Figures under any other header (an indicator's 指标值, a garbled header)
    are kept as printed text, never taken for amounts."""
    return bool(_MONEY_LABEL.search(squash(label))) and not is_code_or_count_label(label)


def _is_row_numbers(filled: list[str]) -> bool:
    """A 序号 column: its cells are 1, 2, 3 … in order (row numbers, not amounts)."""
    return len(filled) >= 2 and [text.strip() for text in filled] == [str(n) for n in range(1, len(filled) + 1)]


def unplaced_columns(header: list[list[HeaderCell]], body: list[SourceLine],
                     positions: list[int | None]) -> tuple[list[Column], list[int]]:
    """Printed columns that no template column took, with what is printed in them: kept as named extra
    columns ``c<n>`` (labelled by their printed header, an amount column where most of their cells are
    amounts), never dropped. A 序号 column (1, 2, 3 …) holds no data and is left out. Returns the columns
    and the printed index of each."""
    used = {p for p in positions if p is not None}
    width = grid_width(header, body)
    labels = printed_labels(header, width)
    columns: list[Column] = []
    where: list[int] = []
    for col in range(width):
        if col in used:
            continue
        filled = [line.cell(col) for line in body if line.cell(col).strip()]
        if not filled or _is_row_numbers(filled):
            continue
        amounts = sum(1 for text in filled if looks_like_amount(text))
        kind = CellKind.AMOUNT if amounts * 2 > len(filled) and names_money(labels[col]) else CellKind.TEXT
        columns.append(Column(f"c{col}", labels[col] or f"第{col + 1}列", kind))
        where.append(col)
    return columns, where


def _optional_columns(spec: TableSpec, extra: list[Column]) -> list[Column]:
    """Extra printed columns that the template names as optional (``optional_columns``: columns some localities
    print beside the template's, such as a 基本支出决算表's 人员经费 and 公用经费 beside its 合计) take the key the
    template gives them, when their printed label is exactly the optional column's; the others stay ``c<n>``."""
    optional = {label_key(m["label"]): m for m in spec.options.get("optional_columns", [])}
    out = []
    for column in extra:
        named = optional.get(label_key(column.label))
        out.append(Column(named["key"], named["label"], CellKind.AMOUNT)
                   if named is not None and column.kind is CellKind.AMOUNT else column)
    return out


def _is_empty(rows: list[Row], grid: Grid) -> bool:
    if grid.empty_note:
        return True
    data = [r for r in rows if r.key != "total"]
    totals = [c.value for r in rows if r.key == "total" for c in r.cells.values() if c.kind is CellKind.AMOUNT]
    return not data and all(v is not None and v == 0 for v in totals)


def _table(spec: TableSpec | None, block: Block, ctx: TableContext, **fields: object) -> Table:
    title = block.title
    number = title.number or (spec.number if spec else "")
    return Table(id=spec.id if spec else f"X{number or '?'}", number=number, title=title.title,
                 subtitle=title.subtitle, layout=spec.layout if spec else "grid",
                 landscape=spec.landscape if spec else False, page=title.where.where.page, in_text=title.in_part,
                 **fields)  # type: ignore[arg-type]


def grid_table(block: Block, spec: TableSpec | None, ctx: TableContext, report: TableReport) -> Table:
    grid = split_grid(block.lines, ctx.unit_name, report)
    grid.header, grid.body = join_code_columns(grid.header, grid.body)
    header = header_cells(grid.header)
    count = panel_count(header, grid.body, len(spec.columns)) if spec is not None and spec.options.get("panels") else 1
    if count > 1:
        header, grid.body = unfold(header, grid.body, len(spec.columns), count)  # type: ignore[union-attr]
        report.note(f"分 {count} 栏并排印制，逐栏读取 (printed in {count} panels side by side, read in turn)")
    by_header = spec is not None and bool(spec.options.get("by_header"))
    columns = spec_columns(spec, ctx.year) if spec and not by_header else generic_columns(header, grid.body)
    phased = None
    if spec is not None and spec.options.get("phases"):
        extra = [Column(m["key"], m["label"], CellKind.AMOUNT) for m in spec.options.get("extra_measures", [])]
        phased = phased_read(columns, header, grid.body, extra, transpose=spec.builder is Builder.THREE_PUBLIC)
    if phased is not None:
        columns, positions, grid.body = phased.columns, list(phased.positions), phased.body
        report.note("按表头的预算/决算阶段对应列 (columns matched by the phase and measure their header names)"
                    + ("；各项按行印制，读为一行 (items as rows, read as one row)" if phased.transposed else ""))
    else:
        positions = column_positions(columns, header, grid.body) if spec and not by_header else None
    if phased is None and positions is not None and positions != list(range(len(columns))):
        report.note("按表头文字对应列 (columns matched by their header labels)")
    if positions is not None:
        extra, where = unplaced_columns(header, grid.body, positions)
        extra = _optional_columns(spec, extra) if spec is not None else extra
        if extra:
            columns, positions = columns + extra, positions + list(where)
            report.note("模板未描述的列作为附加列保留 (columns the template does not describe kept as extra "
                        f"columns): {'、'.join(c.label for c in extra)}")
    row_ctx = RowContext(columns, ctx.catalog, grid.unit_name or ctx.unit_name, report, spec, positions,
                         ctx.year)
    rows = row_builder(None if by_header else spec)(grid.body, row_ctx)
    if count > 1:
        rows = panel_totals(rows)
    if phased is not None and spec is not None and spec.builder is Builder.THREE_PUBLIC:
        columns = meetings_total(columns, rows)
    if spec is None or by_header:
        columns = split_code_names(columns, rows)
    if spec is not None and not by_header:
        optional = {m["key"] for m in spec.options.get("optional_columns", [])}
        report.extra_amount_columns = sum(
            1 for c in columns[len(spec.columns):] if c.key not in optional
            if c.kind is CellKind.AMOUNT and any(r.cells.get(c.key) and r.cells[c.key].value is not None for r in rows))
    empty = _is_empty(rows, grid)
    return _table(spec, block, ctx, columns=columns, header=header, rows=rows, unit=grid.unit or ctx.default_unit,
                  unit_name=grid.unit_name or ctx.unit_name, empty=empty, empty_note=grid.empty_note)


def form_table(block: Block, spec: TableSpec, ctx: TableContext, report: TableReport) -> Table:
    unit_name, unit = "", ""
    lines = []
    for line in block.lines:
        meta = unit_line(line)
        if meta is None:
            lines.append(line)
        else:
            unit_name, unit = unit_name or meta[0] or "", unit or meta[1] or ""
    rows, extra = read_form(spec, lines, report)
    instance = None
    if spec.builder is Builder.PROJECT_TARGETS:
        name = next((r.cells["value"].text for r in rows if r.key == "pro_name"), "")
        instance = block.title.where.hints.get("instance") or (project_key(name) if name else f"#{len(rows)}")
        report.instance = instance
    columns = spec_columns(spec, ctx.year) + extra  # columns the template does not describe: kept, named
    return _table(spec, block, ctx, columns=columns, rows=rows, instance=instance,
                  unit=unit or ctx.default_unit, unit_name=unit_name or ctx.unit_name)


def build_table(block: Block, spec: TableSpec | None, ctx: TableContext) -> tuple[Table, TableReport]:
    report = TableReport(table_id=spec.id if spec else "?", number=block.title.number, title=block.title.title,
                         where=block.title.where.where)
    if spec is not None and spec.layout == "form":
        table = form_table(block, spec, ctx, report)
    else:
        table = grid_table(block, spec, ctx, report)
    report.table_id = table.id
    if spec is None:
        report.note("模板中没有此表，按通用表读入 (table not in the template: read as a generic table)")
    return table, report


# A template whose tables leave this many amount columns undescribed does not fit the document: its
# titles matched, but its columns are another family's (a wrong template guessed from similar titles).
MISFIT_TABLES = 2
MISFIT_SHARE = 0.2


def misfit_tables(reports: list[TableReport]) -> list[str]:
    """The tables (by number or title) printed with amount columns their template does not describe."""
    return [r.number or r.title for r in reports if r.extra_amount_columns]


def columns_misfit(reports: list[TableReport]) -> bool:
    """The template's columns do not fit the document: at least ``MISFIT_TABLES`` of its grid tables, and
    ``MISFIT_SHARE`` of them, print amount columns it does not describe. One such table is a local
    extra column; several are another layout family."""
    described = [r for r in reports if r.table_id and not r.table_id.startswith("X")]
    misfits = len(misfit_tables(described))
    return misfits >= MISFIT_TABLES and misfits >= MISFIT_SHARE * max(len(described), 1)

"""The Disclosure: the published document as data — narrative parts and tables.

Generation (``deptbudget.compute``) and import (``deptbudget.importers``) both produce it;
rules and renderers read it. Amounts in cells are ``Decimal`` in the table's unit (万元 for
generated tables); ``text`` is the figure as displayed or printed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class CellKind(StrEnum):
    AMOUNT = "amount"
    TEXT = "text"
    CODE = "code"


@dataclass
class Cell:
    """One cell. ``value`` is the exact parsed amount (for amount cells), ``text`` what is shown.

    ``sources`` is the provenance: references into the budget source (line items, projects,
    narrative fields) that this figure was computed from. ``rounding`` is the difference
    between the displayed value and naive rounding of the exact value (largest-remainder
    adjustment), zero when none was needed. ``parse_error`` is set by importers when the
    printed text is not a well-formed amount.
    """

    text: str = ""
    value: Decimal | None = None
    kind: CellKind = CellKind.TEXT
    exact: Decimal | None = None  # unrounded value in the table's unit, when generated
    rounding: Decimal = Decimal(0)
    sources: tuple[str, ...] = ()
    parse_error: str | None = None

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()


@dataclass
class Column:
    key: str
    label: str
    kind: CellKind = CellKind.AMOUNT


@dataclass
class HeaderCell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


class RowKind(StrEnum):
    DATA = "data"
    SUBTOTAL = "subtotal"
    TOTAL = "total"
    HEADING = "heading"
    FIELD = "field"


# The key prefix of a total that closes one panel of a table printed in panels side by side (``subtotal:人员经费合计``
# of a 基本支出决算表): a total of part of the table, not the table's ``total``.
PANEL_TOTAL = "subtotal:"
# Text where a document prints something our reader could not read as text: a glyph drawn as a small picture
# inside a line (a “%” pasted as an image after a figure). What it shows is unknown; that something is there is not.
INLINE_IMAGE = "\ufffc"  # U+FFFC OBJECT REPLACEMENT CHARACTER
# The ``meta`` key of an imported document that prints no title of its own (no cover, no heading over its first
# page: a file that starts with its first table): its ``title`` is made up from its year and unit.
UNTITLED = "untitled"
# The ``meta`` key of an imported document whose contents (目录) list tables and nothing else: no part or heading of a
# 说明 (a 报表 file's own contents, 一、收支总表 …; not a whole disclosure's 第一部分 部门概况 …).
TABLES_CONTENTS = "contents_tables_only"


@dataclass
class Row:
    key: str  # stable key: a code, a fund source, a project code or a label
    cells: dict[str, Cell]
    kind: RowKind = RowKind.DATA
    level: int = 0  # 1 类 / 2 款 / 3 项 …
    parent: str | None = None
    page: int | None = field(default=None, compare=False)  # imported: the page it was read on (not saved)

    def cell(self, column: str) -> Cell:
        return self.cells.get(column) or Cell()

    def amount(self, column: str) -> Decimal | None:
        return self.cells[column].value if column in self.cells else None


@dataclass
class Table:
    """A table of the disclosure. ``id`` is the template's table id (T1 … T15); a table that
    repeats per project (表15) appears once per project with ``instance`` set."""

    id: str
    number: str  # as numbered in the document: "1", "15"
    title: str
    columns: list[Column]
    header: list[list[HeaderCell]] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    unit: str = "万元"
    unit_name: str = ""
    subtitle: str = ""
    instance: str | None = None
    empty: bool = False
    empty_note: str = ""
    layout: str = "grid"  # grid | form
    landscape: bool = False
    notes: list[str] = field(default_factory=list)  # printed under the table (a 尾差 note)
    page: int | None = field(default=None, compare=False)  # imported: the page its title is on (not saved)
    # imported: printed inside a narrative part under no title of its own, typeset as the text is (not saved)
    in_text: bool = field(default=False, compare=False)

    def row(self, key: str) -> Row | None:
        for row in self.rows:
            if row.key == key:
                return row
        return None

    def column(self, key: str) -> Column | None:
        for column in self.columns:
            if column.key == key:
                return column
        return None


@dataclass
class Figure:
    """A figure the narrative states, with what it refers to and where it came from."""

    key: str  # e.g. "income.total", "expenditure.change_pct", "group.产业转型升级资金"
    value: Decimal
    text: str  # as shown: "17,144.13", "1.77%"
    unit: str  # 万元 / % / 人 / 辆 / 台（套）
    sources: tuple[str, ...] = ()


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    # The page each paragraph starts on, where the document has pages (imported PDF); not part of what the
    # section says, so not compared and not written.
    pages: list[int | None] = field(default_factory=list, compare=False, repr=False)


@dataclass
class Part:
    number: int  # 1 … 8
    title: str  # 第一部分 部门概况
    sections: list[Section] = field(default_factory=list)

    @property
    def text(self) -> str:
        out: list[str] = []
        for section in self.sections:
            if section.heading:
                out.append(section.heading)
            out.extend(section.paragraphs)
        return "\n".join(out)


@dataclass(frozen=True)
class Acknowledgement:
    """A warning the department has explained (已说明): it is reported as a note, with the reason.

    Matches findings of ``rule``; ``table`` (e.g. "表15") and ``row`` (a prefix of the finding's
    row, e.g. a project name) narrow it. Errors are never acknowledged away.
    """

    rule: str
    reason: str
    table: str | None = None
    row: str | None = None


@dataclass(frozen=True)
class Correction:
    """A change the source makes to what the department published, with its reason (更正说明).

    ``where`` names the place (e.g. "第一部分 三、2020年主要工作目标"), ``printed`` what the published
    document says there, ``corrected`` what this document says instead."""

    where: str
    printed: str
    corrected: str
    reason: str

    @property
    def sentence(self) -> str:
        return f"{self.where}：原公开文件为“{self.printed}”，现更正为“{self.corrected}”。理由：{self.reason}"


@dataclass
class Disclosure:
    template: str
    fiscal_year: int
    unit_name: str
    title: str
    kind: str = "部门预算"
    parts: list[Part] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: dict[str, Figure] = field(default_factory=dict)
    contents: list[str] = field(default_factory=list)  # 附表 list as printed in the contents
    meta: dict[str, str] = field(default_factory=dict)
    acknowledged: list[Acknowledgement] = field(default_factory=list)  # warnings explained by the department
    corrections: list[Correction] = field(default_factory=list)  # 更正说明: changes to the published text

    def table(self, table_id: str) -> Table | None:
        for table in self.tables:
            if table.id == table_id:
                return table
        return None

    def tables_by_id(self, table_id: str) -> list[Table]:
        return [table for table in self.tables if table.id == table_id]

    def part(self, number: int) -> Part | None:
        for part in self.parts:
            if part.number == number:
                return part
        return None

    def iter_cells(self) -> Iterator[tuple[Table, Row, str, Cell]]:
        for table in self.tables:
            for row in table.rows:
                for key, cell in row.cells.items():
                    yield table, row, key, cell

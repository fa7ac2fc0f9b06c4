"""Disclosure → one self-contained Chinese HTML page (inline CSS, no external resources).

The page has the title, a 目录 linking the 8 parts and every table, the parts with their charts
and the 附表. Every amount cell carries its provenance: for machines ``data-sources`` (a JSON array
of source references such as ``"basic[3]"``) and ``data-value`` (the exact amount); for readers a
link around the amount, reachable by keyboard, whose ``aria-describedby`` names the source in
words (``预算源文件第 118 行：2060101 行政运行 / 30239 其他交通费用``, see
:mod:`deptbudget.render.provenance_words`) — listed under the table in a 数据来源 ``<details>``.
Row headers are ``<th scope="row">``. The Jinja template is compiled once per process.

Charts: pass ``charts=[(title, svg_markup), …]`` (or ``(title, svg_markup, part)``); each is placed
at the end of the part it illustrates and numbered 图1… in document order (:func:`chart_numbers`);
the ids inside each SVG get a per-chart prefix, so the page's ids stay unique. The SVG markup is
inserted as is (it must come from our own chart renderer, never from user input).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path

import jinja2
from markupsafe import Markup

from deptbudget.model.budget import Budget
from deptbudget.model.disclosure import Cell, CellKind, Column, Disclosure, HeaderCell, RowKind, Table
from deptbudget.render.corrections import corrections_part
from deptbudget.render.files import write_text_atomic
from deptbudget.render.form_grid import layout_for
from deptbudget.render.grid import header_rows, indent_column, is_amount_cell, table_grid
from deptbudget.render.provenance_words import ProvenanceWords

TEMPLATE_NAME = "disclosure.html.j2"
TEMPLATE_DIR = Path(__file__).with_name("templates")

Chart = tuple[str, str] | tuple[str, str, int]  # (title, svg markup[, part number])


@dataclass(frozen=True, slots=True)
class HtmlChart:
    number: int  # 图 number, in document order
    title: str
    svg: Markup  # ids prefixed per chart
    part: int
    anchor: str
    after: tuple[int, int] | None = None  # (section, paragraph) of its part it follows; None: the end of the part


@dataclass(slots=True)
class HtmlTable:
    anchor: str
    table_id: str
    number: str
    title: str
    subtitle: str
    unit_name: str
    unit: str
    ncols: int
    header: list[list[HeaderCell]]
    body: Markup  # the <tr> rows, built in Python (the bulk of the page; see rows_html)
    empty: bool
    notes: tuple[str, ...]  # printed under the table (尾差)
    landscape: bool
    layout: str
    instance: str
    instance_label: str
    provenance: list[tuple[str, str]]  # (element id, words) of the amounts' sources


@dataclass(slots=True)
class ContentsEntry:
    label: str
    href: str | None
    children: list[tuple[str, str]] = field(default_factory=list)


# --- template -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja environment (cached); templates are loaded from the package's ``templates``."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )


@lru_cache(maxsize=4)
def _template(name: str = TEMPLATE_NAME) -> jinja2.Template:
    return environment().get_template(name)


# --- cells ---------------------------------------------------------------------------------------
# The body rows are the bulk of a page (thousands of cells), so they are built here with
# f-strings and the stdlib's html.escape rather than cell by cell in Jinja: ≈3× faster.

_BLANK = Cell()


def _is_code(cell: Cell, column: Column | None) -> bool:
    return cell.kind is CellKind.CODE or (column is not None and column.kind is CellKind.CODE)


def sources_json(sources: tuple[str, ...]) -> str:
    """The provenance as a JSON array (the ``data-sources`` attribute)."""
    if not sources:
        return "[]"
    raw = "".join(sources)
    if '"' in raw or "\\" in raw or not raw.isprintable():
        return json.dumps(list(sources), ensure_ascii=False)
    return '["' + '","'.join(sources) + '"]'


class Provenance:
    """The provenance notes of one table: each distinct description once, with an element id."""

    def __init__(self, words: ProvenanceWords, prefix: str) -> None:
        self.words = words
        self.prefix = prefix
        self.ids: dict[str, str] = {}

    def note_id(self, cell: Cell) -> str | None:
        text = self.words.cell(cell)
        if not text:
            return None
        note = self.ids.get(text)
        if note is None:
            note = self.ids[text] = f"{self.prefix}-src-{len(self.ids) + 1}"
        return note

    def notes(self) -> list[tuple[str, str]]:
        return [(note, text) for text, note in self.ids.items()]


def _span(colspan: int) -> str:
    return f' colspan="{colspan}"' if colspan > 1 else ""


def _amount_td(cell: Cell, key: str, notes: Provenance, colspan: int = 1) -> str:
    extra = ""
    if cell.value is not None:
        extra = f' data-value="{cell.value:f}"'
    text = escape(cell.text)
    note = notes.note_id(cell) if cell.text else None
    if note is not None:
        text = f'<a class="src" href="#{note}" aria-describedby="{note}">{text}</a>'
    return (
        f'<td class="amt"{_span(colspan)} data-col="{escape(key)}" '
        f'data-sources="{escape(sources_json(cell.sources))}"{extra}>{text}</td>'
    )


def _td(cell: Cell, key: str, column: Column | None, notes: Provenance, indent: int = 0, colspan: int = 1,
        cls: str = "", header: bool = False) -> str:
    if is_amount_cell(cell, column):
        return _amount_td(cell, key, notes, colspan)
    cls = ("code" if _is_code(cell, column) else "txt") + cls
    if indent > 1:
        cls += f" lv{min(indent, 6)}"
    sources = f' data-sources="{escape(sources_json(cell.sources))}"' if cell.sources else ""
    tag = 'th scope="row"' if header else "td"
    return f'<{tag} class="{cls}"{_span(colspan)}{sources}>{escape(cell.text)}</{tag[:2]}>'


def row_header_keys(columns: list[Column]) -> frozenset[str]:
    """The columns that name a row (``th scope="row"``): the last text column before each block of
    amount columns (both sides of a 收支总表), else the first text column."""
    keys: set[str] = set()
    label: str | None = None
    for column in columns:
        if column.kind is CellKind.AMOUNT:
            if label is not None:
                keys.add(label)
            label = None
        elif column.kind is CellKind.TEXT and column.key != "unit":
            label = column.key
    if not keys:
        first = next((c.key for c in columns if c.kind is not CellKind.AMOUNT), columns[0].key if columns else None)
        keys = {first} if first is not None else set()
    return frozenset(keys)


def _grid_tds(row_cells: dict[str, Cell], level: int, columns: list[Column], notes: Provenance,
              headers: frozenset[str]) -> str:
    indented = indent_column(row_cells, columns) if level > 1 else None
    return "".join(
        _td(row_cells.get(c.key, _BLANK), c.key, c, notes, level if c.key == indented else 0, header=c.key in headers)
        for c in columns
    )


def _form_tds(kind: RowKind, row_cells: dict[str, Cell], ncols: int, notes: Provenance) -> str:
    label = row_cells.get("label", _BLANK)
    if kind is RowKind.HEADING:
        return _td(label, "label", None, notes, colspan=ncols, header=True)
    value = row_cells.get("value", _BLANK)
    return (_td(label, "label", None, notes, cls=" label", header=True)
            + _td(value, "value", None, notes, colspan=max(ncols - 1, 1)))


def _official_form_rows(table: Table) -> Markup:
    """A form table (表14/表15) in its official layout: the grid every format prints; labels are row
    headers (``th scope="row"``), the 一级指标 … 指标值 line column headers."""
    grid = table_grid(table)
    rows: list[list[str]] = [[] for _ in range(grid.nrows)]
    for c in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        span = _span(c.colspan) + (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "")
        text = escape(c.text)
        if c.bold and grid.row_kinds[c.row] is RowKind.HEADING and c.col > 0:
            rows[c.row].append(f'<th scope="col"{span}>{text}</th>')
        elif c.bold:
            rows[c.row].append(f'<th scope="row" class="label"{span}>{text}</th>')
        else:
            cls = "amt" if c.kind is CellKind.AMOUNT else "txt"
            rows[c.row].append(f'<td class="{cls}"{span}>{text}</td>')
    kinds = grid.row_kinds
    return Markup("\n".join(f'<tr class="{kinds[r] or "field"}">{"".join(cells)}</tr>' for r, cells in enumerate(rows)))


def rows_html(table: Table, notes: Provenance | None = None) -> Markup:
    """The ``<tr>`` rows of a table's body, including the empty-table note."""
    if layout_for(table) is not None:
        return _official_form_rows(table)
    notes = notes if notes is not None else Provenance(ProvenanceWords(), "table")
    ncols = max(len(table.columns), 1)
    form = table.layout == "form"
    headers = row_header_keys(table.columns)
    out: list[str] = []
    for row in table.rows:
        if form and row.kind in (RowKind.FIELD, RowKind.HEADING):
            tds = _form_tds(row.kind, row.cells, ncols, notes)
        else:
            tds = _grid_tds(row.cells, row.level, table.columns, notes, headers)
        out.append(f'<tr class="{row.kind}" data-key="{escape(row.key)}">{tds}</tr>')
    if table.empty:
        note = escape(table.empty_note or "本表无数据。")
        out.append(f'<tr class="empty-note"><td colspan="{ncols}">{note}</td></tr>')
    return Markup("\n".join(out))


# --- tables -------------------------------------------------------------------------------------


def instance_label(table: Table) -> str:
    """A readable name for one instance of a repeating table: its 项目名称 when shown, else the
    instance code."""
    for row in table.rows[:6]:
        texts = [cell.text.strip() for cell in row.cells.values()]
        for i, text in enumerate(texts[:-1]):
            if text == "项目名称" and texts[i + 1]:
                return texts[i + 1]
    return table.instance or ""


def _anchors(tables: list[Table]) -> list[str]:
    seen: dict[str, int] = {}
    out: list[str] = []
    for table in tables:
        base = "table-" + re.sub(r"[^0-9A-Za-z_-]+", "-", table.id).strip("-")
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 and table.instance is None else f"{base}-{seen[base]}")
    return out


def _html_table(table: Table, anchor: str, unit_name: str, words: ProvenanceWords) -> HtmlTable:
    notes = Provenance(words, anchor)
    body = rows_html(table, notes)
    return HtmlTable(
        anchor=anchor,
        table_id=table.id,
        number=table.number,
        title=table.title,
        subtitle=table.subtitle,
        unit_name=table.unit_name or unit_name,
        unit=table.unit,
        ncols=layout.columns if (layout := layout_for(table)) else max(len(table.columns), 1),
        header=header_rows(table),
        body=body,
        empty=table.empty,
        notes=tuple(table.notes),
        landscape=table.landscape,
        layout=table.layout,
        instance=table.instance or "",
        instance_label=instance_label(table) if table.instance is not None else "",
        provenance=notes.notes(),
    )


# --- contents -----------------------------------------------------------------------------------

_NUMBERED = re.compile(r"^\s*(?:表\s*\.?\s*)?(\d+)\s*[.、．]?\s*(.*?)\s*$")


def _groups(tables: list[HtmlTable]) -> dict[str, list[HtmlTable]]:
    groups: dict[str, list[HtmlTable]] = {}
    for table in tables:
        groups.setdefault(table.number, []).append(table)
    return groups


def _entry(label: str, group: list[HtmlTable]) -> ContentsEntry:
    children = []
    if len(group) > 1 or group[0].instance:
        children = [(t.instance_label or t.instance or str(i + 1), "#" + t.anchor) for i, t in enumerate(group)]
    return ContentsEntry(label=label, href="#" + group[0].anchor, children=children)


def _match(entry: str, groups: dict[str, list[HtmlTable]]) -> str | None:
    numbered = _NUMBERED.match(entry)
    if numbered and numbered.group(1) in groups:
        return numbered.group(1)
    title = numbered.group(2) if numbered else entry.strip()
    for number, group in groups.items():
        if group[0].title == title:
            return number
    return None


def contents_entries(contents: list[str], tables: list[HtmlTable]) -> list[ContentsEntry]:
    """附表 entries of the 目录: the printed contents list when there is one (an entry with no
    table is kept, unlinked), then any table it does not list."""
    groups = _groups(tables)
    used: set[str] = set()
    out: list[ContentsEntry] = []
    for entry in contents:
        number = _match(entry, groups)
        if number is None or number in used:
            out.append(ContentsEntry(label=entry, href=None))
            continue
        used.add(number)
        out.append(_entry(entry, groups[number]))
    for number, group in groups.items():
        if number not in used:
            out.append(_entry(f"{number}. {group[0].title}", group))
    return out


# --- page ---------------------------------------------------------------------------------------


def _figures_json(d: Disclosure) -> dict[str, dict[str, object]]:
    return {
        key: {"text": f.text, "unit": f.unit, "value": format(f.value, "f"), "sources": list(f.sources)}
        for key, f in d.figures.items()
    }


# --- charts -------------------------------------------------------------------------------------


def chart_numbers(chart_parts: Sequence[int], part_numbers: Sequence[int]) -> list[tuple[int, int]]:
    """(图 number, part) for each chart, given the part each illustrates and the parts in page order:
    a chart sits at the end of its part (a part the page lacks → the last part), and the charts are
    numbered 图1… in the order they appear on the page."""
    order = list(part_numbers)
    placed = [p if p in order else (order[-1] if order else p) for p in chart_parts]
    by_position = sorted(range(len(placed)), key=lambda i: (order.index(placed[i]) if placed[i] in order else 0, i))
    numbers = {i: n for n, i in enumerate(by_position, start=1)}
    return [(numbers[i], placed[i]) for i in range(len(placed))]


_SVG_ID = re.compile(r'\bid="([^"]+)"')


def prefix_svg_ids(svg: str, prefix: str) -> str:
    """The SVG with every id it defines (and every reference to one: ``url(#…)``, ``href="#…"``)
    prefixed, so that several inline SVGs on one page never share an id."""
    ids = set(_SVG_ID.findall(svg))
    if not ids:
        return svg

    def swap(match: re.Match[str]) -> str:
        name = match.group(2)
        return f"{match.group(1)}{prefix}-{name}" if name in ids else match.group(0)

    svg = re.sub(r'(\bid=")([^"]+)(?=")', swap, svg)
    return re.sub(r'((?:href="|url\()#)([^")]+)(?=[")])', swap, svg)


def _chart_parts(d: Disclosure, charts: Sequence[Chart]) -> list[int]:
    """The part each chart illustrates: given with it, else that of the chart of the same title."""
    known: dict[str, int] = {}
    if any(len(chart) < 3 for chart in charts):
        from deptbudget.render.charts import chart_data  # data only; matplotlib is not imported

        known = {chart.title: chart.part for chart in chart_data(d)}
    last = max((p.number for p in d.parts), default=0)
    return [chart[2] if len(chart) > 2 else known.get(chart[0], last) for chart in charts]  # type: ignore[misc]


def _placed_numbers(d: Disclosure, charts: Sequence[Chart],
                    part_numbers: Sequence[int]) -> list[tuple[int, int, tuple[int, int] | None]] | None:
    """(图 number, part, paragraph it follows) of each chart as the PDF numbers and places them
    (``render.chart_placement``), when the charts given are the disclosure's own; None for any other list."""
    from deptbudget.render.chart_placement import placed_charts

    placed = {p.chart.title: p for p in placed_charts(d)}
    if not charts or sorted(chart[0] for chart in charts) != sorted(placed):
        return None
    last = part_numbers[-1] if part_numbers else 0
    out = []
    for chart in charts:
        where = placed[chart[0]]
        if where.part in part_numbers:
            out.append((where.number, where.part, where.after))
        else:
            out.append((where.number, last, None))
    return out


def html_charts(d: Disclosure, charts: Sequence[Chart], part_numbers: Sequence[int]) -> list[HtmlChart]:
    out = []
    numbers = _placed_numbers(d, charts, part_numbers) or [
        (number, part, None) for number, part in chart_numbers(_chart_parts(d, charts), part_numbers)]
    for chart, (number, part, after) in zip(charts, numbers, strict=True):
        anchor = f"figure-{number}"
        out.append(HtmlChart(number, chart[0], Markup(prefix_svg_ids(chart[1], anchor)), part, anchor, after))
    return sorted(out, key=lambda c: c.number)


def render_html(d: Disclosure, charts: Sequence[Chart] = (), budget: Budget | None = None) -> str:
    """The disclosure as one self-contained HTML page (str). With ``budget`` (the source the
    disclosure was computed from) the provenance names lines of the source file and catalog names."""
    words = ProvenanceWords(budget)
    anchors = _anchors(d.tables)
    tables = [_html_table(t, a, d.unit_name, words) for t, a in zip(d.tables, anchors, strict=True)]
    parts = sorted(d.parts, key=lambda p: p.number)
    figures = html_charts(d, charts, [p.number for p in parts])
    return _template().render(
        d=d,
        parts=parts,
        corrections=corrections_part(d),
        tables=tables,
        appendix=contents_entries(d.contents, tables),
        charts=figures,
        figures=_figures_json(d),
    )


def write_html(d: Disclosure, path: str | os.PathLike[str], charts: Sequence[Chart] = (),
               budget: Budget | None = None) -> Path:
    """Render the page and write it (atomically) to ``path``."""
    return write_text_atomic(path, render_html(d, charts, budget))

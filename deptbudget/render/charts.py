"""Charts computed from the Disclosure: data from its tables and figures, drawn with matplotlib.

- 支出功能分类（类）: rows of level 1 of 表7 (else 表1);
- 基本支出与项目支出: 表3;
- 预算金额最大的项目: 表13;
- 收入、支出与上年对比: figures ``income.*`` / ``expenditure.*`` (skipped when absent);
- “三公”经费与上年对比: 表12, one series per year row.

:func:`chart_data` returns the charts as data (exact ``Decimal`` amounts in 万元, converted to
float only when plotted). :func:`chart_svgs` (for HTML) and :func:`chart_pngs` (for PDF and
DOCX) draw them. matplotlib is imported lazily, inside the drawing functions, so importing
this module costs nothing. Colours: the Okabe–Ito palette, distinguishable with colour-vision
deficiencies; bars also carry their value as a label, so no reading depends on colour.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from deptbudget.model.disclosure import CellKind, Column, Disclosure, Row, RowKind, Table
from deptbudget.model.figures_vocabulary import figures_vocabulary
from deptbudget.model.money import format_amount, format_percent

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
TOP_PROJECTS = 10


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[Decimal, ...]


@dataclass(frozen=True)
class Chart:
    """One chart as data. ``part`` is the narrative part it illustrates (where PDF/DOCX put it)."""

    key: str
    title: str
    kind: str  # "barh" (categories down the side) | "bar" (grouped columns) | "pie"
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    part: int
    source: str  # where the figures come from, e.g. "表7"
    unit: str = "万元"

    @property
    def width(self) -> float:
        """Figure width in inches."""
        return 6.4

    @property
    def height(self) -> float:
        """Figure height in inches."""
        if self.kind == "barh":
            return 1.2 + 0.36 * len(self.categories) * max(len(self.series), 1)
        if self.kind == "pie":
            return 2.8
        return 3.6

    def values(self, series: int = 0) -> dict[str, Decimal]:
        return dict(zip(self.categories, self.series[series].values, strict=True))


# --------------------------------------------------------------------------- table lookups


def column_paths(t: Table) -> list[str]:
    """Each column's full printed label: the merged header cells above it and its own label."""
    paths: list[list[str]] = [[] for _ in t.columns]
    for line in t.header:
        for h in line:
            for col in range(h.col, min(h.col + h.colspan, len(t.columns))):
                paths[col].append(h.text)
    out = []
    for path, column in zip(paths, t.columns, strict=True):
        if not path or path[-1] != column.label:
            path.append(column.label)
        out.append("/".join(path))
    return out


def _plain(text: str) -> str:
    return re.sub(r"[\s“”\"'（）()]", "", text)


def find_column(t: Table, *words: str, kind: CellKind | None = None) -> Column | None:
    """The first column whose printed label path contains every word (spaces and quotes ignored)."""
    for column, path in zip(t.columns, column_paths(t), strict=True):
        if kind is not None and column.kind != kind:
            continue
        if all(_plain(w) in _plain(path) for w in words):
            return column
    return None


def _amount(row: Row, column: Column | None) -> Decimal | None:
    if column is None:
        return None
    return row.cell(column.key).value


def _name_and_amount(t: Table, row: Row) -> tuple[str, Decimal] | None:
    """The row's name (last non-blank text cell, not a unit column) and the amount right of it."""
    name_index = None
    for i, column in enumerate(t.columns):
        unit = column.key == "unit" or column.label in ("预算单位", "实施单位")
        if column.kind == CellKind.TEXT and not unit and row.cell(column.key).text.strip():
            name_index = i
    if name_index is None:
        return None
    for column in t.columns[name_index + 1 :]:
        if column.kind == CellKind.AMOUNT:
            value = row.cell(column.key).value
            if value is not None:
                return row.cell(t.columns[name_index].key).text.strip(), value
            return None
    return None


def _summary_row(t: Table) -> Row | None:
    for row in t.rows:
        if row.kind == RowKind.TOTAL:
            return row
    return t.rows[0] if t.rows else None


# --------------------------------------------------------------------------- chart data


def _class_rows(t: Table) -> list[Row]:
    """The rows of 类 (3-digit functional codes): level 1 in 表7; in the two-sided 表1/表6 the
    rows whose key names a 3-digit expenditure code (``income=…;exp=201``)."""
    if t.id in ("T1", "T6"):
        return [row for row in t.rows if re.search(r"(?:^|;)exp=\d{3}(?:;|$)", row.key)]
    return [row for row in t.rows if row.level == 1]


def function_chart(d: Disclosure) -> Chart | None:
    """Spending by functional 类: the 类 rows of 表7 (or 表1)."""
    for table_id in ("T7", "T1"):
        t = d.table(table_id)
        if t is None or t.empty:
            continue
        pairs = [p for row in _class_rows(t) if (p := _name_and_amount(t, row))]
        if pairs:
            pairs.sort(key=lambda p: p[1], reverse=True)
            names, values = zip(*pairs, strict=True)
            return Chart(
                "by_function",
                "支出功能分类（类）预算",
                "barh",
                tuple(names),
                (Series("预算数", tuple(values)),),
                part=3,
                source=f"表{t.number}",
            )
    return None


def basic_project_chart(d: Disclosure) -> Chart | None:
    """基本支出 against 项目支出, from 表3."""
    t = d.table("T3")
    row = _summary_row(t) if t is not None else None
    if t is None or row is None:
        return None
    basic = _amount(row, find_column(t, "基本支出", kind=CellKind.AMOUNT))
    project = _amount(row, find_column(t, "项目支出", kind=CellKind.AMOUNT))
    if basic is None or project is None or basic + project <= 0:
        return None
    return Chart(
        "basic_vs_project",
        "基本支出与项目支出",
        "pie",
        ("基本支出", "项目支出"),
        (Series("预算数", (basic, project)),),
        part=3,
        source=f"表{t.number}",
    )


def top_projects_chart(d: Disclosure, top: int = TOP_PROJECTS) -> Chart | None:
    """The largest projects by budget, from 表13."""
    t = d.table("T13")
    if t is None:
        return None
    name_col = find_column(t, "项目名称") or find_column(t, "项目")
    amount_col = find_column(t, "合计", kind=CellKind.AMOUNT) or next(
        (c for c in t.columns if c.kind == CellKind.AMOUNT), None
    )
    pairs = [
        (row.cell(name_col.key).text.strip(), value)
        for row in t.rows
        if name_col is not None
        and row.kind == RowKind.DATA
        and (value := _amount(row, amount_col)) is not None
        and row.cell(name_col.key).text.strip()
    ]
    if not pairs:
        return None
    pairs.sort(key=lambda p: p[1], reverse=True)
    names, values = zip(*pairs[:top], strict=True)
    title = f"预算金额最大的 {len(names)} 个项目" if len(pairs) > len(names) else "项目预算金额"
    return Chart("top_projects", title, "barh", tuple(names), (Series("预算金额", tuple(values)),), 3, f"表{t.number}")


def last_year_chart(d: Disclosure) -> Chart | None:
    """Income and expenditure against last year, from the figures; None when they are absent."""
    keys = ("income.last_year", "income.total", "expenditure.last_year", "expenditure.total")
    if not all(k in d.figures for k in keys):
        return None
    f = {k: d.figures[k].value for k in keys}
    return Chart(
        "vs_last_year",
        f"收入、支出预算与 {d.fiscal_year - 1} 年对比",
        "bar",
        ("收入预算", "支出预算"),
        (
            Series(f"{d.fiscal_year - 1} 年", (f["income.last_year"], f["expenditure.last_year"])),
            Series(f"{d.fiscal_year} 年", (f["income.total"], f["expenditure.total"])),
        ),
        part=2,
        source="部门预算收支",
    )


# the items of “三公”经费, each with the words that find its column in 表12
THREE_PUBLIC = tuple((f.label, f.column_words) for f in figures_vocabulary().children("three_public.total"))


def three_public_chart(d: Disclosure) -> Chart | None:
    """“三公”经费 by item, one series per year row of 表12."""
    t = d.table("T12")
    if t is None:
        return None
    year_col = find_column(t, "年度")
    columns: list[tuple[str, Column]] = []
    for name, words in THREE_PUBLIC:
        column = find_column(t, *words, kind=CellKind.AMOUNT) or find_column(t, words[0], kind=CellKind.AMOUNT)
        if column is not None:
            columns.append((name, column))
    series = []
    for row in t.rows:
        if row.kind not in (RowKind.DATA, RowKind.TOTAL) or not columns:
            continue
        year = row.cell(year_col.key).text.strip() if year_col else ""
        values = tuple(_amount(row, c) or Decimal(0) for _, c in columns)
        series.append(Series(f"{year} 年" if year.isdigit() else year or "预算数", values))
    if not series:
        return None
    series.sort(key=lambda s: s.name)
    title = f"{figures_vocabulary().label('three_public.total')}财政拨款预算"
    return Chart(
        "three_public",
        f"{title}与上年对比" if len(series) > 1 else title,
        "bar",
        tuple(name for name, _ in columns),
        tuple(series),
        part=5,
        source=f"表{t.number}",
    )


BUILDERS: tuple[Callable[[Disclosure], Chart | None], ...] = (
    last_year_chart,
    function_chart,
    basic_project_chart,
    top_projects_chart,
    three_public_chart,
)


def chart_data(d: Disclosure) -> list[Chart]:
    """Every chart the Disclosure has the data for, in document order."""
    return [chart for build in BUILDERS if (chart := build(d)) is not None]


# --------------------------------------------------------------------------- drawing


def _rc() -> dict[str, Any]:
    from deptbudget.render.fonts import chart_cjk_font

    return {
        "font.family": "sans-serif",
        "font.sans-serif": [chart_cjk_font().family, "WenQuanYi Micro Hei", "DejaVu Sans"],
        "font.size": 9.5,
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.fonttype": "none",
        "svg.hashsalt": "deptbudget",
    }


def _label(value: Decimal) -> str:
    return format_amount(value)


def _draw_barh(ax: Any, chart: Chart) -> None:
    names = list(reversed(chart.categories))
    values = [float(v) for v in reversed(chart.series[0].values)]
    bars = ax.barh(names, values, color=OKABE_ITO[0], height=0.6)
    ax.bar_label(bars, labels=[_label(v) for v in reversed(chart.series[0].values)], padding=3)
    ax.set_xlabel(f"单位：{chart.unit}")
    ax.set_xlim(0, max(values, default=1) * 1.22 or 1)
    ax.xaxis.set_major_formatter(_thousands())
    ax.tick_params(axis="y", length=0)


def _draw_bar(ax: Any, chart: Chart) -> None:
    count = len(chart.series)
    width = 0.8 / max(count, 1)
    hatches = ("//", "", "..", "xx")
    top = max((float(v) for s in chart.series for v in s.values), default=1.0) or 1.0
    for i, series in enumerate(chart.series):
        xs = [j + (i - (count - 1) / 2) * width for j in range(len(chart.categories))]
        colour = OKABE_ITO[(i + 1) % len(OKABE_ITO)] if i < count - 1 else OKABE_ITO[0]
        bars = ax.bar(
            xs,
            [float(v) for v in series.values],
            width * 0.92,
            label=series.name,
            color=colour,
            hatch=hatches[i % len(hatches)] if i < count - 1 else "",
            edgecolor="white",
        )
        ax.bar_label(bars, labels=[_label(v) for v in series.values], padding=2, fontsize=8.5)
    ax.set_xticks(range(len(chart.categories)), list(chart.categories))
    ax.set_ylabel(f"单位：{chart.unit}")
    ax.set_ylim(0, top * 1.15)
    ax.yaxis.set_major_formatter(_thousands())
    if count > 1:
        ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=count)


def _thousands() -> Any:
    from matplotlib.ticker import StrMethodFormatter

    return StrMethodFormatter("{x:,.0f}")


def _draw_pie(ax: Any, chart: Chart) -> None:
    """A ring with the amounts and shares in the legend beside it (labels never overlap it)."""
    values = chart.series[0].values
    total = sum(values, Decimal(0))
    labels = [
        f"{name}  {_label(v)} {chart.unit}（{format_percent(v * 100 / total)}）"
        for name, v in zip(chart.categories, values, strict=True)
    ]
    wedges, _ = ax.pie(
        [float(v) for v in values],
        colors=OKABE_ITO[: len(values)],
        startangle=90,
        counterclock=False,
        wedgeprops={"width": 0.42, "edgecolor": "white"},
    )
    ax.legend(wedges, labels, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=10.5)
    ax.set_aspect("equal")


DRAWERS: dict[str, Callable[[Any, Chart], None]] = {"barh": _draw_barh, "bar": _draw_bar, "pie": _draw_pie}


def figure(chart: Chart, title: bool = True) -> MplFigure:
    """The matplotlib figure of a chart (no pyplot: no global state, no GUI backend)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(chart.width, chart.height), layout="constrained")
    ax = fig.add_subplot()
    DRAWERS[chart.kind](ax, chart)
    if title:
        ax.set_title(chart.title, fontsize=11.5, loc="left")
    return fig


@lru_cache(maxsize=64)
def _save(chart: Chart, fmt: str, dpi: float | None = None, title: bool = True) -> bytes:
    """Draw and encode a chart; cached, so PDF and DOCX built in one run draw each chart once."""
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context(_rc()):
        fig = figure(chart, title)
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=_metadata(fmt, chart))
    return buffer.getvalue()


def _metadata(fmt: str, chart: Chart) -> dict[str, Any]:
    if fmt == "svg":
        return {"Title": chart.title, "Date": None, "Creator": "deptbudget"}
    return {"Title": chart.title, "Software": "deptbudget"}


def render_png(chart: Chart, dpi: float = 150, title: bool = True) -> bytes:
    """PNG of a chart; ``title=False`` leaves the title to the document's caption."""
    return _save(chart, "png", dpi, title)


def render_svg(chart: Chart) -> str:
    """SVG markup for inline HTML: text stays text (searchable, read by screen readers), the
    root element is labelled with the title, and the XML prolog is dropped."""
    svg = _save(chart, "svg").decode("utf-8")
    svg = svg[svg.index("<svg") :]
    label = f' role="img" aria-label="{_xml(chart.title)}"'
    return svg.replace("<svg ", f"<svg{label} ", 1)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def chart_svgs(d: Disclosure) -> list[tuple[str, str]]:
    """(title, SVG markup) for every chart, for the HTML renderer."""
    return [(chart.title, render_svg(chart)) for chart in chart_data(d)]


def chart_pngs(d: Disclosure, dpi: float = 150) -> list[tuple[str, bytes]]:
    """(title, PNG bytes) for every chart, for the PDF and DOCX renderers."""
    return [(chart.title, render_png(chart, dpi)) for chart in chart_data(d)]


def charts_by_part(charts: Sequence[Chart]) -> dict[int, list[Chart]]:
    out: dict[int, list[Chart]] = {}
    for chart in charts:
        out.setdefault(chart.part, []).append(chart)
    return out

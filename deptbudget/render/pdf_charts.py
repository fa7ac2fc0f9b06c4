"""Charts as vector drawings in the PDF (ReportLab graphics): shapes and real text in the document's fonts.

The chart data comes from :mod:`deptbudget.render.charts`; this module draws it with
``reportlab.graphics`` so that a chart in the PDF is paths and text (found by ``pdftotext`` and
searches, sharp at any zoom, a few KB instead of a 150 dpi image), in the embedded 黑体-style face
(:data:`~deptbudget.render.pdf_styles.FONT`), with no matplotlib import. Layout is measured, not
guessed: category labels wrap to their column by the Chinese rules, value axes get as many ticks
as their labels fit side by side (no tick labels run together), and value labels sit at the ends of
the bars. Colours: the Okabe–Ito palette of ``charts``; every bar and wedge carries its amount as
text, so no reading depends on colour.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from reportlab.graphics.shapes import Drawing, Line, Rect, String, Wedge
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from deptbudget.model.money import format_amount, format_percent
from deptbudget.render.charts import OKABE_ITO, Chart
from deptbudget.render.pdf_linebreak import break_position
from deptbudget.render.pdf_styles import FONT
from deptbudget.render.pdf_words import WORD_BREAKS

WIDTH = 150 * mm
LABEL = 9.0  # category labels, legend
TICK = 8.0  # axis tick labels
VALUE = 8.5  # value labels at the bars
AXIS = colors.HexColor("#333333")
GRID = colors.HexColor("#DDDDDD")
NICE = (1, 2, 2.5, 5)


def _w(text: str, size: float) -> float:
    return stringWidth(text, FONT, size)


def wrap(text: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines of at most ``width`` points by the Chinese rules (避头尾), between words."""
    token = WORD_BREAKS.set(True)
    try:
        return _wrap(text, size, width)
    finally:
        WORD_BREAKS.reset(token)


def _wrap(text: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    start, n = 0, len(text)
    while start < n:
        used, i, end = 0.0, start, n
        while i < n:
            used += _w(text[i], size)
            if used > width and i > start:
                end = break_position(text, start, i)
                break
            i += 1
        lines.append(text[start:end])
        start = end
    return lines


def nice_ticks(top: float, length: float, label_width: Callable[[float], float], gap: float = 10.0) -> list[float]:
    """Tick values 0, s, 2s … ≤ ``top`` with a round step s (1, 2, 2.5, 5 × 10ⁿ) chosen so that their
    labels, ``label_width(value)`` wide, fit side by side on an axis ``length`` points long."""
    if top <= 0:
        return [0.0]
    magnitude = 10 ** max(len(str(int(top))) - 2, 0) / 10
    steps = [m * magnitude * 10**k for k in range(0, 14) for m in NICE]
    for step in steps:
        ticks = [i * step for i in range(int(top / step) + 1)]
        widest = max(label_width(t) for t in ticks)
        if len(ticks) <= 1 or (length * step / top) >= widest + gap:
            return ticks
    return [0.0, top]


def _tick_label(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _string(x: float, y: float, text: str, size: float, anchor: str = "start", colour: colors.Color = AXIS) -> String:
    return String(x, y, text, fontName=FONT, fontSize=size, fillColor=colour, textAnchor=anchor)


def _colour(i: int) -> colors.Color:
    return colors.HexColor(OKABE_ITO[i % len(OKABE_ITO)])


def _barh(chart: Chart, width: float) -> Drawing:
    """Categories down the side, largest first; bars with their amounts; value axis at the bottom."""
    values = chart.series[0].values
    top = float(max(values, default=Decimal(0))) or 1.0
    label_col = min(max((_w(c, LABEL) for c in chart.categories), default=0.0), width * 0.38)
    wrapped = [wrap(c, LABEL, label_col) for c in chart.categories]
    rows = [max(18.0, 11.0 * len(lines) + 7.0) for lines in wrapped]
    value_room = max((_w(format_amount(v), VALUE) for v in values), default=0.0) + 6
    x0 = label_col + 6
    plot = width - x0 - value_room
    scale = plot / top
    bottom = 2 * TICK + 20  # tick labels and the unit line
    height = bottom + sum(rows) + 4
    d = Drawing(width, height)
    y = height - 4
    for name_lines, row, value in zip(wrapped, rows, values, strict=True):
        y -= row
        bar = row * 0.6 if len(name_lines) == 1 else 11.0
        mid = y + row / 2
        d.add(Rect(x0, mid - bar / 2, max(float(value) * scale, 0.5), bar, fillColor=_colour(0), strokeColor=None))
        d.add(_string(x0 + float(value) * scale + 3, mid - VALUE * 0.35, format_amount(value), VALUE))
        first = mid + (len(name_lines) - 1) * 5.5 - LABEL * 0.35
        for k, line in enumerate(name_lines):
            d.add(_string(x0 - 5, first - k * 11.0, line, LABEL, "end"))
    axis_y = bottom
    d.add(Line(x0, axis_y, x0, height - 4, strokeColor=AXIS, strokeWidth=0.6))
    d.add(Line(x0, axis_y, x0 + plot, axis_y, strokeColor=AXIS, strokeWidth=0.6))
    for tick in nice_ticks(top, plot, lambda v: _w(_tick_label(v), TICK)):
        x = x0 + tick * scale
        d.add(Line(x, axis_y, x, axis_y - 3, strokeColor=AXIS, strokeWidth=0.6))
        d.add(_string(x, axis_y - 3 - TICK - 1, _tick_label(tick), TICK, "middle"))
    d.add(_string(x0 + plot / 2, 3, f"单位：{chart.unit}", TICK, "middle"))
    return d


def _bar(chart: Chart, width: float) -> Drawing:
    """Grouped columns: one group per category, one column per series, a legend below."""
    count = max(len(chart.series), 1)
    top = max((float(v) for s in chart.series for v in s.values), default=0.0) or 1.0
    legend = 18.0 if count > 1 else 0.0
    plot_h = 170.0
    label_h = 2 * (LABEL + 2)
    bottom = legend + label_h + 6
    height = bottom + plot_h + VALUE + 8
    d = Drawing(width, height)
    ticks_top = top * 1.08
    ticks = nice_ticks(ticks_top, plot_h, lambda v: TICK + 2, gap=12.0)
    y_label_w = max(_w(_tick_label(t), TICK) for t in ticks)
    unit = f"单位：{chart.unit}"
    x0 = max(y_label_w + 8, _w(unit, TICK) / 2 + 2)
    plot_w = width - x0 - 4
    scale = plot_h / ticks_top
    d.add(_string(2, height - TICK, unit, TICK))
    for tick in ticks:
        y = bottom + tick * scale
        if tick:
            d.add(Line(x0, y, x0 + plot_w, y, strokeColor=GRID, strokeWidth=0.4))
        d.add(_string(x0 - 4, y - TICK * 0.35, _tick_label(tick), TICK, "end"))
    group = plot_w / max(len(chart.categories), 1)
    bar_w = group * 0.8 / count
    for j, name in enumerate(chart.categories):
        left = x0 + j * group + group * 0.1
        for i, series in enumerate(chart.series):
            value = series.values[j]
            colour = _colour(0) if i == count - 1 else _colour(i + 1)
            x = left + i * bar_w
            h = float(value) * scale
            d.add(Rect(x + bar_w * 0.04, bottom, bar_w * 0.92, max(h, 0.5), fillColor=colour, strokeColor=None))
            text = format_amount(value)
            size = min(VALUE, VALUE * bar_w * 0.98 / max(_w(text, VALUE), 1))
            d.add(_string(x + bar_w / 2, bottom + h + 2, text, size, "middle"))
        for k, line in enumerate(wrap(name, LABEL, group * 0.95)[:2]):
            d.add(_string(x0 + (j + 0.5) * group, bottom - LABEL - 3 - k * (LABEL + 2), line, LABEL, "middle"))
    d.add(Line(x0, bottom, x0 + plot_w, bottom, strokeColor=AXIS, strokeWidth=0.6))
    d.add(Line(x0, bottom, x0, bottom + plot_h, strokeColor=AXIS, strokeWidth=0.6))
    if count > 1:
        _legend(d, [s.name for s in chart.series], [_colour(0) if i == count - 1 else _colour(i + 1)
                                                     for i in range(count)], x0 + plot_w / 2, 4)
    return d


def _legend(d: Drawing, names: list[str], fills: list[colors.Color], centre: float, y: float) -> None:
    widths = [10 + 4 + _w(n, LABEL) for n in names]
    x = centre - (sum(widths) + 16 * (len(names) - 1)) / 2
    for name, fill, w in zip(names, fills, widths, strict=True):
        d.add(Rect(x, y, 10, 8, fillColor=fill, strokeColor=None))
        d.add(_string(x + 14, y, name, LABEL))
        x += w + 16


def _pie(chart: Chart, width: float) -> Drawing:
    """A ring with the amounts and shares in a legend beside it (labels never overlap the ring)."""
    values = chart.series[0].values
    total = sum(values, Decimal(0)) or Decimal(1)
    radius = 72.0
    height = 2 * radius + 16
    d = Drawing(width, height)
    cx, cy = radius + 8, height / 2
    start = 90.0
    for i, value in enumerate(values):
        sweep = float(value / total) * 360
        if sweep > 0:
            wedge = Wedge(cx, cy, radius, start - sweep, start, radius1=radius * 0.58,
                          fillColor=_colour(i), strokeColor=colors.white, strokeWidth=1)
            d.add(wedge)
        start -= sweep
    size = 10.5
    lines = [
        f"{name}  {format_amount(v)} {chart.unit}（{format_percent(v * 100 / total)}）"
        for name, v in zip(chart.categories, values, strict=True)
    ]
    x = cx + radius + 24
    y = cy + (len(lines) - 1) * 10 - size * 0.35
    for i, line in enumerate(lines):
        d.add(Rect(x, y - 1, 12, 9, fillColor=_colour(i), strokeColor=None))
        d.add(_string(x + 17, y, line, min(size, size * (width - x - 17) / max(_w(line, size), 1))))
        y -= 20
    return d


DRAWERS: dict[str, Callable[[Chart, float], Drawing]] = {"barh": _barh, "bar": _bar, "pie": _pie}


def chart_drawing(chart: Chart, width: float = WIDTH) -> Drawing:
    """The chart as a ReportLab :class:`Drawing` ``width`` points wide (its title is left to the caption)."""
    drawing = DRAWERS[chart.kind](chart, width)
    drawing.initialFontName = FONT  # else the renderer starts with Helvetica: a font the PDF would not embed
    drawing.initialFontSize = LABEL
    return drawing

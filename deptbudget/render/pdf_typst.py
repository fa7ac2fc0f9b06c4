"""Disclosure → tagged PDF with Typst (``build --pdf-engine typst``): a second PDF engine, not yet the default.

Typst writes a **tagged PDF** (headings, paragraphs, tables with header cells, the contents) that
ReportLab cannot, embeds the OpenType/CFF Noto CJK faces, and breaks Chinese lines by its own
避头尾 rules. This renderer prints the same Disclosure as :mod:`deptbudget.render.pdf`: cover,
contents (Typst's outline, with page numbers), the eight parts with the charts numbered and placed by
``chart_placement`` (our ReportLab drawings as SVG: vectors, real text), the 附表 from the shared grid
(merged header rows repeated on every page, amounts right-aligned, column widths from
``pdf_widths``, header and name cells breaking only between words — each word of ``pdf_words`` in an
unbreakable box), the 尾差 notes and the 更正说明; "第 N 页" from part 1 on; metadata; the same bytes
for the same source (the document date, ``reproducible.document_date``).

Not yet as in the ReportLab PDF (so the default stays ReportLab): the synthetic bold of totals, the
font stepping down for wide tables, form tables split between the lines of a field.
``typst`` is an optional dependency (``pip install deptbudget[typst]``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from deptbudget.model.disclosure import CellKind, Disclosure, Part, Table
from deptbudget.render.chart_placement import PlacedChart, charts_after, charts_at_end, placed_charts, unplaced
from deptbudget.render.corrections import corrections_part
from deptbudget.render.files import atomic_output
from deptbudget.render.grid import GridCell, table_grid
from deptbudget.render.reproducible import document_date

SERIF = ("Noto Serif CJK SC", "AR PL UMing CN")
SANS = ("Noto Sans CJK SC", "WenQuanYi Micro Hei")


class TypstMissingError(RuntimeError):
    """The optional ``typst`` package is not installed."""


def _fonts(names: Sequence[str]) -> str:
    return "(" + ", ".join(f'"{n}"' for n in names) + ")"


def esc(text: str) -> str:
    """Plain text as Typst markup: every markup character escaped, line breaks kept."""
    out = []
    for ch in text:
        if ch in "\\#*_`$@<>[]~\"=/-+":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append(" \\\n")
        else:
            out.append(ch)
    # "1. …" or "2) …" at the start of a line would be a numbered list in Typst markup
    return re.sub(r"(?m)^(\d+)([.)])", r"\1\\\2", "".join(out))


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def preamble(d: Disclosure) -> str:
    when = document_date(d)
    keywords = ", ".join(_string(k) for k in (d.kind, f"{d.fiscal_year}年", d.unit_name, f"{d.kind}公开"))
    return f"""#set document(title: {_string(d.title)}, author: {_string(d.unit_name)}, keywords: ({keywords},),
  date: datetime(year: {when.year}, month: {when.month}, day: {when.day}, hour: 0, minute: 0, second: 0))
#set text(font: {_fonts(SERIF)}, lang: "zh", region: "cn", size: 12pt)
#set page(paper: "a4", margin: (x: 25mm, y: 22mm))
#set par(justify: true, first-line-indent: (amount: 2em, all: true), leading: 0.85em, spacing: 0.85em)
#show heading: set text(font: {_fonts(SANS)})
#show heading.where(level: 1): it => align(center, block(above: 1.2em, below: 1em, text(size: 17pt, it.body)))
#show heading.where(level: 2): it => align(center, block(above: 0.4em, below: 0.4em, text(size: 16pt, it.body)))
#show heading.where(level: 3): it => block(above: 0.9em, below: 0.5em, text(size: 13.5pt, weight: "regular", it.body))
#set table(stroke: 0.5pt, inset: (x: 3pt, y: 2.5pt))
#show table.cell.where(y: 0): set text(weight: "regular")
#show figure.caption: set text(size: 10.5pt)
"""


def cover(d: Disclosure) -> str:
    from deptbudget.render.pdf import cover_lines

    lines = " \\\n".join(esc(line) for line in cover_lines(d))
    sub = esc(d.unit_name) + (f" \\\n{esc(d.meta['published'])}" if d.meta.get("published") else "")
    return f"""#page(numbering: none)[
#v(25%)
#align(center, text(font: {_fonts(SANS)}, size: 30pt)[{lines}])
#v(1fr)
#align(center, text(font: {_fonts(SANS)}, size: 16pt)[{sub}])
#v(15%)
]
#page(numbering: none)[
#outline(title: align(center, text(font: {_fonts(SANS)}, size: 20pt)[目　录]), depth: 2)
]
#set page(numbering: "第 1 页", footer: context align(center, text(size: 10pt, counter(page).display("第 1 页"))))
#counter(page).update(1)
"""


def chart_figure(placed: PlacedChart) -> str:
    """A chart as an SVG image (our vector drawing) with its 图N caption; its title is the alt text."""
    from reportlab.graphics import renderSVG

    from deptbudget.render.pdf_charts import chart_drawing
    from deptbudget.render.pdf_styles import FONT, register_font

    register_font()
    svg = renderSVG.drawToString(chart_drawing(placed.chart))
    svg = svg.replace(f"font-family: {FONT}", f"font-family: {SANS[0]}")
    return (
        f'#align(center, block(breakable: false)[#image(bytes("{_svg_literal(svg)}"), format: "svg", '
        f"width: 150mm, alt: {_string(placed.chart.title)})\n#text(size: 10.5pt)[{esc(placed.caption)}]])\n"
    )


def _svg_literal(svg: str) -> str:
    return svg.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def part_markup(part: Part, placed: Sequence[PlacedChart]) -> str:
    out = [f"= {esc(part.title)}\n"]
    for s_index, section in enumerate(part.sections):
        if section.heading:
            out.append(f"=== {esc(section.heading)}\n")  # a section: not in the contents (parts and tables are)
        for p_index, text in enumerate(section.paragraphs):
            out.append(f"{esc(text)}\n\n")
            out.extend(chart_figure(p) for p in charts_after(placed, part.number, s_index, p_index))
    out.extend(chart_figure(p) for p in charts_at_end(placed, part.number))
    return "".join(out)


def _glued(parts: Sequence[str]) -> list[str]:
    """Words kept together where a break would put closing punctuation at a line's start, opening punctuation at
    its end, or one character alone on the last line (避头尾, as ``pdf_linebreak`` does for ReportLab)."""
    from deptbudget.render.pdf_linebreak import CANNOT_END, CANNOT_START

    out: list[str] = []
    for word in parts:
        if out and (word[0] in CANNOT_START or out[-1][-1] in CANNOT_END):
            out[-1] += word
        else:
            out.append(word)
    if len(out) > 1 and len(out[-1]) == 1 and out[-1] >= "\u3000":
        out[-2:] = [out[-2] + out[-1]]
    return out


def _cell_text(c: GridCell) -> str:
    """A cell's text; header and name cells as unbreakable words so that lines break only between them."""
    from deptbudget.render.pdf_words import words

    if c.kind in (CellKind.AMOUNT, CellKind.CODE) or not c.text:
        return esc(c.text)
    lines = []
    for line in c.text.split("\n"):
        parts = _glued(words(line))
        lines.append("".join(f"#box[{esc(w)}];" if len(w) > 1 else esc(w) for w in parts))
    return " \\\n".join(lines)


def table_markup(t: Table, d: Disclosure, outlined: bool = True) -> str:
    from deptbudget.render.pdf_styles import frame_width, register_font
    from deptbudget.render.pdf_widths import column_widths

    register_font()
    orientation = "landscape" if t.landscape else "portrait"
    grid = table_grid(t)
    widths, size = column_widths(grid, frame_width(orientation))
    cols = ", ".join(f"{w:.2f}pt" for w in widths)
    header, body = [], []
    for c in grid.cells:
        align = "right + horizon" if c.kind == CellKind.AMOUNT and not c.header else (
            "center + horizon" if c.header else "left + horizon")
        fill = ', fill: rgb("#EDEDED")' if c.header else ""
        cell = f"table.cell(rowspan: {c.rowspan}, colspan: {c.colspan}, align: {align}{fill})[{_cell_text(c)}]"
        (header if c.header else body).append(cell)
    rows = ([f"table.header({', '.join(header)})"] if header else []) + body
    unit_name = esc(t.unit_name or d.unit_name)
    margin = "(x: 15mm, top: 15mm, bottom: 18mm)" if t.landscape else "(x: 25mm, y: 22mm)"
    notes = "".join(f"#text(size: 10pt)[{esc(n)}]\n\n" for n in t.notes)
    if t.empty and t.rows and t.empty_note:
        notes = f"#text(size: 10pt)[注：{esc(t.empty_note)}]\n\n" + notes
    subtitle = f"#align(center, text(size: 11pt)[{esc(t.subtitle)}])\n" if t.subtitle else ""
    return f"""#page(flipped: {'true' if t.landscape else 'false'}, margin: {margin})[
#set par(first-line-indent: 0em, justify: false, leading: 0.4em)
#text(size: 10.5pt)[表{t.number}]
#heading(level: 2, outlined: {'true' if outlined else 'false'})[{esc(t.title)}]
{subtitle}#grid(columns: (7fr, 3fr), text(size: 10pt)[单位名称：{unit_name}],
  align(right, text(size: 10pt)[单位：{esc(t.unit)}]))
#v(3pt)
#set text(size: {size}pt)
#table(columns: ({cols},), {', '.join(rows)})
{notes}]
"""


def typst_source(d: Disclosure, charts: bool = True) -> str:
    """The whole Disclosure as a Typst document."""
    placed = placed_charts(d) if charts else []
    out = [preamble(d), cover(d)]
    for part in d.parts:
        out.append(part_markup(part, placed))
    out.extend(chart_figure(p) for p in unplaced(placed))
    corrections = corrections_part(d)
    if corrections is not None:
        out.append(part_markup(corrections, []))
    out.append("#pagebreak(weak: true)\n= 附表\n")
    seen: set[str] = set()
    for t in d.tables:
        out.append(table_markup(t, d, outlined=t.id not in seen))
        seen.add(t.id)
    return "".join(out)


def pdf_bytes_typst(d: Disclosure, charts: bool = True) -> bytes:
    try:
        import typst
    except ImportError as exc:  # an optional dependency
        raise TypstMissingError(
            "未安装 typst，无法用 Typst 生成 PDF；请安装 deptbudget[typst] (the typst package is not installed)"
        ) from exc
    when = document_date(d)
    return typst.compile(typst_source(d, charts).encode("utf-8"), timestamp=int(when.timestamp()))


def write_pdf_typst(d: Disclosure, path: str | os.PathLike[str], charts: bool = True) -> Path:
    """Write the Disclosure as a tagged PDF made by Typst to ``path`` atomically."""
    data = pdf_bytes_typst(d, charts)
    with atomic_output(path) as tmp:
        Path(tmp).write_bytes(data)
    return Path(path)

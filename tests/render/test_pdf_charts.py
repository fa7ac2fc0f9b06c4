"""Charts in the PDF: vectors (no images), their text extractable, numbered 图1… in their parts; the
placement shared by the renderers (``chart_placement``); ticks whose labels do not run together."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal

import pytest
from reportlab.graphics.shapes import String

from deptbudget.model.disclosure import Part, Section
from deptbudget.model.money import format_amount
from deptbudget.render import chart_placement
from deptbudget.render.charts import Chart, Series, chart_data
from deptbudget.render.pdf_charts import TICK, _tick_label, _w, chart_drawing, nice_ticks, wrap
from deptbudget.render.pdf_linebreak import CANNOT_END, CANNOT_START
from deptbudget.render.pdf_styles import register_font
from tests.render.test_pdf import Rendered, example_pdf, squash  # noqa: F401  (example_pdf is a fixture)

CAPTION = re.compile(r"图(\d+)\s+(\S[^\n]*)")


def _captions(pages: list[str]) -> list[tuple[int, int, str]]:
    """(page index, number, title) of every 图N caption, in page order."""
    return [(i, int(m[1]), m[2].strip()) for i, page in enumerate(pages) for m in CAPTION.finditer(page)]


def test_charts_are_vectors_not_images(example_pdf: Rendered) -> None:  # noqa: F811
    out = subprocess.run(["pdfimages", "-list", str(example_pdf.path)], capture_output=True, text=True, check=True)
    images = [line for line in out.stdout.splitlines()[2:] if line.strip()]
    assert images == []
    assert len(chart_data(example_pdf.d)) >= 5


def test_chart_text_is_real_text_on_the_caption_page(example_pdf: Rendered) -> None:  # noqa: F811
    placed = chart_placement.placed_charts(example_pdf.d)
    captions = _captions(example_pdf.pages)
    for p in placed:
        page = next(i for i, number, _ in captions if number == p.number)
        # a chart taller than what is left of a page moves with its caption to the next one
        text = squash(example_pdf.pages[page])
        for name in p.chart.categories:
            assert squash(name) in text, (p.caption, name)
        for series in p.chart.series:
            for value in series.values:
                assert format_amount(value) in text, (p.caption, value)


def test_charts_numbered_in_page_order_within_their_parts(example_pdf: Rendered) -> None:  # noqa: F811
    d = example_pdf.d
    captions = _captions(example_pdf.pages)
    placed = chart_placement.placed_charts(d)
    assert [n for _, n, _ in captions] == list(range(1, len(placed) + 1))
    assert [squash(t) for _, _, t in captions] == [squash(p.chart.title) for p in placed]
    body = [squash(page) for page in example_pdf.pages]
    for (page, _, _), p in zip(captions, placed, strict=True):
        part = next(part for part in d.parts if part.number == p.part)
        later = [q for q in d.parts if q.number > part.number]
        starts = max(i for i, text in enumerate(body[: page + 1]) if squash(part.title) in text)
        assert starts <= page, p.caption
        if later:  # the caption comes before the next part's heading
            upto = squash(example_pdf.pages[page]).split(squash(p.chart.title))[0]
            assert squash(later[0].title) not in upto or starts == page
    keys = [p.chart.key for p in placed]
    assert keys.index("vs_last_year") < keys.index("by_function") < keys.index("three_public")


def _part(number: int, title: str, *paragraphs: str) -> Part:
    return Part(number, title, [Section("", list(paragraphs))])


def _chart(key: str, part: int) -> Chart:
    return Chart(key, key, "bar", ("a",), (Series("s", (Decimal(1),)),), part, "表1")


def test_placement_by_part_title_then_paragraph_then_number() -> None:
    parts = [
        _part(1, "第一部分 概况", "本部门……"),
        _part(2, "第二部分 收支总体情况", "收入……", "支出……"),
        _part(5, "第五部分 一般公共预算当年拨款情况", "基本支出100万元、项目支出50万元。", "其他……"),
    ]
    charts = [
        _chart("top_projects", 3),  # no part titled 支出具体/项目支出, no part 3: after the parts
        _chart("basic_vs_project", 3),  # part 5 by its title, after its first paragraph
        _chart("vs_last_year", 9),  # part 2 by its title, at its end
        _chart("three_public", 2),  # no 三公 part: its number (2), at the end, after vs_last_year
    ]
    placed = chart_placement.place(parts, charts)
    where = {p.chart.key: (p.number, p.part, p.after) for p in placed}
    assert where == {
        "vs_last_year": (1, 2, None),
        "three_public": (2, 2, None),
        "basic_vs_project": (3, 5, (0, 0)),
        "top_projects": (4, None, None),
    }
    assert [p.chart.key for p in chart_placement.charts_at_end(placed, 2)] == ["vs_last_year", "three_public"]
    assert [p.chart.key for p in chart_placement.charts_after(placed, 5, 0, 0)] == ["basic_vs_project"]
    assert [p.chart.key for p in chart_placement.unplaced(placed)] == ["top_projects"]
    assert placed[0].caption == "图1  vs_last_year"


def _overlaps(strings: list[String]) -> list[tuple[str, str]]:
    boxes = sorted((s.getBounds(), s.text) for s in strings)
    return [(a[1], b[1]) for a, b in zip(boxes, boxes[1:], strict=False) if a[0][2] > b[0][0]]


def test_axis_labels_never_run_together() -> None:
    """图4 (the largest projects) once printed 10,00012,00014,000: every chart's labels on one line are apart."""
    register_font()
    from tests.render.test_pdf import example_disclosure

    for chart in chart_data(example_disclosure()):
        drawing = chart_drawing(chart)
        rows: dict[float, list[String]] = {}
        for item in drawing.contents:
            if isinstance(item, String):
                rows.setdefault(round(item.y, 1), []).append(item)
        for row in rows.values():
            assert not _overlaps(row), (chart.title, _overlaps(row))


@pytest.mark.parametrize("top", [0.4, 12.68, 300.0, 13_800.0, 16_633.82, 123_456_789.0])
@pytest.mark.parametrize("length", [60.0, 200.0, 330.0])
def test_ticks_fit_their_labels(top: float, length: float) -> None:
    register_font()
    ticks = nice_ticks(top, length, lambda v: _w(_tick_label(v), TICK))
    assert ticks[0] == 0 and all(t <= top for t in ticks)
    if len(ticks) > 2:
        step = ticks[1] - ticks[0]
        widest = max(_w(_tick_label(t), TICK) for t in ticks)
        assert length * step / top >= widest + 10


def test_wrapped_chart_labels_fit_and_keep_the_rules() -> None:
    register_font()
    text = "大梧桐新兴产业带工作经费（国检大厦租金）、人工智能特色小镇规划经费。"
    for width in (40.0, 70.0, 120.0):
        lines = wrap(text, 9, width)
        assert "".join(lines) == text
        assert all(_w(line, 9) <= width or len(line) == 1 for line in lines)
        assert not any(line[0] in CANNOT_START for line in lines[1:])
        assert not any(line[-1] in CANNOT_END for line in lines[:-1])


def test_a_chart_that_does_not_fit_lets_the_following_paragraphs_fill_the_page() -> None:
    import io

    from reportlab.pdfgen.canvas import Canvas

    from deptbudget.render.pdf import FloatingCharts, chart_flowable
    from deptbudget.render.pdf_styles import para, styles
    from tests.render.test_pdf import example_disclosure

    register_font()
    placed = chart_placement.placed_charts(example_disclosure())[0]
    chart = chart_flowable(placed)
    texts = [para("预算支出情况说明。" * 6, styles().body) for _ in range(3)]
    floating = FloatingCharts([chart], texts)
    floating.canv = Canvas(io.BytesIO())
    height = chart.wrapOn(floating.canv, 420, 800)[1]
    assert floating.split(420, height + 5)[0] is chart  # it fits: the chart comes first
    one = texts[0].wrapOn(floating.canv, 420, 800)[1] + texts[0].getSpaceAfter() + texts[0].getSpaceBefore()
    order = floating.split(420, one + 1)  # room for one paragraph only
    assert order == [texts[0], chart, texts[1], texts[2]]


def test_html_and_docx_number_the_charts_as_the_pdf_does(example_pdf: Rendered) -> None:  # noqa: F811
    """One figure list for every format: 图2 is the same chart in the PDF, the HTML page and the DOCX."""
    from deptbudget.render.charts import chart_svgs
    from deptbudget.render.docx_render import build_docx
    from deptbudget.render.html import render_html

    d = example_pdf.d
    in_pdf = [(n, squash(t)) for _, n, t in _captions(example_pdf.pages)]
    page = render_html(d, charts=chart_svgs(d))
    in_html = sorted({(int(m[1]), squash(m[2])) for m in re.finditer(r"图(\d+)\s+([^<]+)<", page)})
    docx = build_docx(d)
    in_docx = [(int(m[1]), squash(m[2])) for p in docx.paragraphs if (m := CAPTION.match(p.text))]
    assert in_pdf and in_html == in_pdf and in_docx == in_pdf

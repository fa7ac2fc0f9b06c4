"""Each chart follows the same paragraph in the PDF, the HTML page and the DOCX: the one ``chart_placement``
gives it (the paragraph that speaks of it), else the last paragraph of its part."""

from __future__ import annotations

import re
from html import unescape

from reportlab.platypus import KeepTogether, Paragraph

from deptbudget.model.disclosure import Disclosure
from deptbudget.render.chart_placement import PlacedChart, placed_charts

Placement = dict[int, str]  # 图 number → the text of the paragraph the chart follows


def expected(d: Disclosure, placed: list[PlacedChart]) -> Placement:
    parts = {p.number: p for p in d.parts}
    out = {}
    for chart in placed:
        part = parts[chart.part] if chart.part is not None else d.parts[-1]
        if chart.after is not None:
            section, paragraph = chart.after
            out[chart.number] = part.sections[section].paragraphs[paragraph]
        else:
            out[chart.number] = [text for s in part.sections for text in s.paragraphs][-1]
    return out


def in_pdf(d: Disclosure) -> Placement:
    """The paragraph before each chart in the PDF's story (a chart that floats past the paragraphs after it when
    the page is full still belongs after its paragraph: ``FloatingCharts`` holds both)."""
    from deptbudget.render.pdf import FloatingCharts, part_story

    out: Placement = {}
    placed = placed_charts(d)
    bodies = {text for p in d.parts for s in p.sections for text in s.paragraphs}

    def walk(flowables: list, last: str) -> str:  # type: ignore[type-arg]
        for f in flowables:
            if isinstance(f, FloatingCharts):
                walk(f.charts, last)
                last = walk(f.following, last)
            elif isinstance(f, KeepTogether):  # a chart with its caption
                caption = f._content[-1].getPlainText()
                out[int(re.match(r"图(\d+)", caption)[1])] = last
            elif isinstance(f, Paragraph) and f.getPlainText() in bodies:
                last = f.getPlainText()
        return last

    for part in d.parts:
        walk(part_story(part, placed), "")
    return out


def in_html(page: str) -> Placement:
    out: Placement = {}
    main = page[page.index("<main>"):page.index('id="appendix"')]
    last = ""
    for m in re.finditer(r"<p>(.*?)</p>|<figcaption[^>]*>图(\d+)", main, re.S):
        if m[1] is not None:
            last = unescape(m[1])
        else:
            out[int(m[2])] = last
    return out


def in_docx(document) -> Placement:  # type: ignore[no-untyped-def]
    out: Placement = {}
    last = ""
    for p in document.paragraphs:
        m = re.match(r"图(\d+)\s", p.text)
        if p.style.name == "Caption" and m:
            out[int(m[1])] = last
        elif p.style.name == "部门预算正文":
            last = p.text
    return out


def test_every_format_puts_each_chart_after_its_paragraph(example_disclosure: Disclosure) -> None:
    from deptbudget.render.charts import chart_svgs
    from deptbudget.render.docx_render import build_docx
    from deptbudget.render.html import render_html

    d = example_disclosure
    placed = placed_charts(d)
    want = expected(d, placed)
    assert any(p.after is not None for p in placed)  # the example has a chart placed after a paragraph (图2)
    assert in_pdf(d) == want
    assert in_html(render_html(d, charts=chart_svgs(d))) == want
    assert in_docx(build_docx(d)) == want

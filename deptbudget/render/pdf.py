"""Disclosure → PDF, laid out like the published 部门预算 document (ReportLab).

A4, Chinese: cover, contents with page numbers, the eight narrative parts (with the charts, drawn
as vectors and numbered 图N, after the paragraph they illustrate: ``chart_placement``,
``pdf_charts``), then the 附表 — each table on its own page(s) with its number and title, the
单位名称 / 单位：万元 line and its printed multi-row header, repeated on every page the table
spans; wide tables on landscape pages; "第 N 页" in the footer. The CJK faces (TrueType outlines:
a 宋体-style body, a 黑体-style heading face) are embedded as subsets; the metadata (title, author,
subject, keywords, language) and the outline of parts and tables are
written. The PDF is tagged (``pdf_tagging``: every piece of content in the structure tree, page furniture
as artifacts). See ``docs/pdf-renderer.md`` for why ReportLab.

This module holds the page templates, the story (cover, parts, charts, 附表) and the entry
points; the pieces live beside it: ``grid`` (the table placed on a grid, shared with the DOCX),
``pdf_styles`` (page geometry, font, styles), ``pdf_widths`` (column widths), ``pdf_tables``
(grid → ReportLab table), ``pdf_contents`` (the one-pass contents) and ``pdf_words`` (cells break between
words).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
)

from deptbudget.model.disclosure import Disclosure, Part, Table
from deptbudget.render.chart_placement import PlacedChart, charts_after, charts_at_end, placed_charts, unplaced
from deptbudget.render.corrections import corrections_part
from deptbudget.render.files import atomic_output
from deptbudget.render.pdf_contents import Heading, HeadingMarker, contents_headings, contents_pages
from deptbudget.render.pdf_styles import (
    FONT,
    LANDSCAPE,
    LANDSCAPE_MARGIN,
    MARGIN,
    PORTRAIT,
    frame_height,
    frame_width,
    para,
    register_font,
    styles,
)
from deptbudget.render.pdf_tables import table_caption, table_flowable
from deptbudget.render.pdf_tagging import TaggedCanvas, artifact, marked
from deptbudget.render.reproducible import document_date

__all__ = ["chart_flowable", "cover_lines", "pdf_bytes", "register_font", "render_pdf", "table_flowable", "write_pdf"]


# --------------------------------------------------------------------------- document template


class _DocTemplate(BaseDocTemplate):
    """Page templates: cover / front (no footer), portrait / landscape (numbered body pages)."""

    def __init__(self, target: str | io.BufferedIOBase, d: Disclosure) -> None:
        super().__init__(
            target,
            pagesize=PORTRAIT,
            title=d.title,
            author=d.unit_name,
            subject=f"{d.fiscal_year}年{d.kind}",
            keywords=pdf_keywords(d),
            creator="deptbudget",
            lang="zh-CN",
            initialFontName=FONT,
            invariant=1,  # no clock time and a content-derived ID: two builds give the same bytes
            leftMargin=MARGIN["left"],
            rightMargin=MARGIN["right"],
            topMargin=MARGIN["top"],
            bottomMargin=MARGIN["bottom"],
        )
        self.body_start: int | None = None
        self.page_of: dict[str, int] = {}
        self.document_date = document_date(d)
        self.addPageTemplates(
            [
                _page_template("cover", PORTRAIT, MARGIN, None),
                _page_template("front", PORTRAIT, MARGIN, None),
                _page_template("portrait", PORTRAIT, MARGIN, self._footer),
                _page_template("landscape", LANDSCAPE, LANDSCAPE_MARGIN, self._footer),
            ]
        )

    def beforeDocument(self) -> None:  # noqa: N802
        """Date the PDF (CreationDate, ModDate) with the document date instead of the clock."""
        stamp = self.canv._doc._timeStamp
        when = self.document_date
        stamp.t = when.timestamp()
        stamp.lt = when.timetuple()
        stamp.YMDhms = tuple(stamp.lt)[:6]
        stamp.dhh = stamp.dmm = 0
        stamp.tzname = "UTC"

    def body_page(self) -> int:
        return self.page - (self.body_start or self.page) + 1

    def _footer(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        if self.body_start is None:
            self.body_start = self.page
        with artifact(canv):  # page furniture, not content, in the tagged PDF
            canv.saveState()
            canv.setFont(FONT, 10)
            canv.drawCentredString(canv._pagesize[0] / 2, 10 * mm, f"第 {self.body_page()} 页")
            canv.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802
        if isinstance(flowable, HeadingMarker):
            heading = flowable.heading
            self.canv.bookmarkPage(heading.key)
            self.canv.addOutlineEntry(heading.text, heading.key, level=heading.level, closed=True)
            self.page_of[heading.key] = self.body_page()


def pdf_keywords(d: Disclosure) -> list[str]:
    """The PDF's keywords: the kind of document, its year, the department, and 部门预算公开 (or 决算)."""
    return [d.kind, f"{d.fiscal_year}年", d.unit_name, f"{d.kind}公开"]


def _page_template(
    name: str, size: tuple[float, float], margin: dict[str, float], on_page: Callable[..., None] | None
) -> PageTemplate:
    frame = Frame(
        margin["left"],
        margin["bottom"],
        size[0] - margin["left"] - margin["right"],
        size[1] - margin["top"] - margin["bottom"],
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id=f"{name}-frame",
    )
    if on_page is None:
        return PageTemplate(id=name, frames=[frame], pagesize=size)
    return PageTemplate(id=name, frames=[frame], pagesize=size, onPage=on_page)


# --------------------------------------------------------------------------- story


def cover_lines(d: Disclosure) -> list[str]:
    """The cover title, broken after the year: "2020 年" / "罗湖区科技创新局部门预算" (a 决算's "2020 年度" / …)."""
    year = str(d.fiscal_year)
    title = d.title.strip()
    if title.startswith(year) and "年" in title[: len(year) + 3]:
        cut = title.index("年") + 1
        cut += title[cut:cut + 1] == "度"
        return [title[:cut], title[cut:].strip()]
    return [title]


def cover_story(d: Disclosure) -> list[Flowable]:
    st = styles()
    height, width = frame_height("portrait"), frame_width("portrait")
    story: list[Flowable] = [Spacer(1, height * 0.25)]
    for line in cover_lines(d):
        size = min(st.cover_title.fontSize, width / max(len(line), 1))
        style = ParagraphStyle(f"cover-{size:.1f}", parent=st.cover_title, fontSize=size, leading=size * 1.6)
        story.append(para(line, style, bold=True))
    story.append(Spacer(1, height * 0.38))
    story.append(para(d.unit_name, st.cover_sub))
    if d.meta.get("published"):
        story.append(para(d.meta["published"], st.cover_sub))
    return story


def part_story(part: Part, placed: Sequence[PlacedChart] = ()) -> list[Flowable]:
    """A narrative part: its heading, sections and paragraphs, each chart after the paragraph that
    speaks of it (floating past the paragraphs that follow when it does not fit on the page) or at the
    end of the part (``chart_placement``)."""
    st = styles()
    key = f"part{part.number}"
    story: list[Flowable] = [HeadingMarker(Heading(0, part.title, key)), para(part.title, st.part, bold=True)]
    pending: list[Flowable] = []  # charts waiting for the text after their paragraph
    following: list[Flowable] = []

    def settle() -> None:
        if pending:
            story.append(FloatingCharts(list(pending), list(following)))
        else:
            story.extend(following)
        pending.clear()
        following.clear()

    for s_index, section in enumerate(part.sections):
        if section.heading:
            following.append(para(section.heading, st.section, bold=True))
        for p_index, text in enumerate(section.paragraphs):
            following.append(para(text, st.body))
            charts = [chart_flowable(p) for p in charts_after(placed, part.number, s_index, p_index)]
            if charts:
                settle()
                pending.extend(charts)
    settle()
    story.extend(chart_flowable(p) for p in charts_at_end(placed, part.number))
    return story


def chart_flowable(placed: PlacedChart) -> Flowable:
    """A chart drawn as vectors (``pdf_charts``) with its caption 图N below, kept on one page."""
    from deptbudget.render.pdf_charts import chart_drawing

    drawing = MarkedFigure(chart_drawing(placed.chart, min(frame_width("portrait"), 150 * mm)), placed.chart.title)
    return KeepTogether([Spacer(1, 8), drawing, para(placed.caption, styles().caption)])


class MarkedFigure(Flowable):
    """A drawing inside ``/Figure`` marked content: its labels stay real text, and a reader of the page
    (our importer, a text extractor that honours marked content) knows they are a figure's, not the
    narrative's. In the tagged PDF it is a Figure element with the chart's title as its alt text."""

    def __init__(self, drawing: Flowable, alt: str = "") -> None:
        super().__init__()
        self.drawing = drawing
        self.alt = alt
        self.hAlign = "CENTER"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = self.drawing.wrap(availWidth, availHeight)
        return self.width, self.height

    def draw(self) -> None:
        with marked(self.canv, "Figure", self.alt or None) as element:
            if element is None:
                self.canv._code.append("/Figure BMC")
            self.drawing.drawOn(self.canv, 0, 0)
            if element is None:
                self.canv._code.append("EMC")


class FloatingCharts(Flowable):
    """Charts placed after a paragraph, and the text that follows them in their part. Where the charts
    fit in what is left of the page they come first; where they do not, the whole paragraphs that fit
    fill the page first and the charts go to the top of the next one (as figures float in print), so a
    chart never leaves the lower part of a page empty."""

    def __init__(self, charts: list[Flowable], following: list[Flowable]) -> None:
        super().__init__()
        self.charts = charts
        self.following = following

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return availWidth, availHeight + 1  # never placed whole: split decides the order

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        first = self.charts[0].wrapOn(self.canv, availWidth, availHeight)[1]
        if first <= availHeight or not self.following:
            return [*self.charts, *self.following]
        used, fits = 0.0, 0
        for flowable in self.following:
            height = flowable.wrapOn(self.canv, availWidth, availHeight)[1] + flowable.getSpaceBefore()
            height += flowable.getSpaceAfter()
            if used + height > availHeight:
                break
            used += height
            fits += 1
        return [*self.following[:fits], *self.charts, *self.following[fits:]]


def _instance_name(t: Table) -> str:
    for row in t.rows:
        label = row.cell("label").text
        if "项目名称" in label and row.cell("value").text:
            return row.cell("value").text
    return t.subtitle if t.instance is None else t.instance


def tables_story(d: Disclosure) -> list[Flowable]:
    """The 附表: each table from a new page; 表15 (one per project) listed once in the contents,
    each project in the PDF outline."""
    story: list[Flowable] = []
    seen: set[str] = set()
    for i, t in enumerate(d.tables):
        markers = [Heading(0, "附表", "tables")] if i == 0 else []
        if t.id not in seen:
            seen.add(t.id)
            markers.append(Heading(1, f"{t.number}. {t.title}", f"table-{t.id}"))
        if t.instance:
            markers.append(Heading(2, _instance_name(t), f"table-{t.id}-{i}", in_contents=False))
        story.extend(table_story(t, d, markers))
    return story


def body_story(d: Disclosure, charts: bool) -> list[Flowable]:
    placed = placed_charts(d) if charts else []
    story: list[Flowable] = [NextPageTemplate("portrait"), PageBreak()]
    for part in d.parts:
        story.extend(part_story(part, placed))
    story.extend(chart_flowable(p) for p in unplaced(placed))
    corrections = corrections_part(d)
    if corrections is not None:
        story.extend(part_story(corrections))
    story.extend(tables_story(d))
    return story


def table_story(t: Table, d: Disclosure, markers: Sequence[Heading] = ()) -> list[Flowable]:
    orientation = "landscape" if t.landscape else "portrait"
    available = frame_width(orientation)
    story: list[Flowable] = [NextPageTemplate(orientation), PageBreak()]
    story.extend(HeadingMarker(h) for h in markers)
    story.extend(table_caption(t, d, available))
    story.append(table_flowable(t, available))
    if t.empty and t.rows and t.empty_note:
        story.append(para(f"注：{t.empty_note}", styles().note))
    story.extend(para(note, styles().note) for note in t.notes)
    return story


# --------------------------------------------------------------------------- entry points


def render_pdf(d: Disclosure, target: str | io.BufferedIOBase, charts: bool = True) -> int:
    """Lay out and write the PDF to ``target`` (a path or binary file); returns the page count."""
    register_font()
    body = body_story(d, charts)
    contents = contents_pages(contents_headings(body))
    story: list[Flowable] = [NextPageTemplate("front"), *cover_story(d)]
    for page in contents:
        story.extend([PageBreak(), page])
    story.extend(body)
    doc = _DocTemplate(target, d)
    doc._doSave = 0  # save ourselves, once the contents' page numbers are known
    doc.build(story, canvasmaker=TaggedCanvas)  # a tagged PDF: marked content and the structure tree
    for page in contents:
        page.fill(doc.canv, doc.page_of)
    doc.canv.showOutline()  # open with the bookmarks (parts, 附表, each table) shown
    doc.canv.setViewerPreference("DisplayDocTitle", "true")  # the window shows the title, not the file name
    doc.canv.save()
    return doc.canv.getPageNumber() - 1


def write_pdf(d: Disclosure, path: str | os.PathLike[str], charts: bool = True) -> Path:
    """Write the Disclosure as PDF to ``path`` atomically."""
    with atomic_output(path) as tmp:
        render_pdf(d, str(tmp), charts)
    return Path(path)


def pdf_bytes(d: Disclosure, charts: bool = True) -> bytes:
    buffer = io.BytesIO()
    render_pdf(d, buffer, charts)
    return buffer.getvalue()

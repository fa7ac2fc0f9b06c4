"""The PDF's contents (目录) in one layout pass, and the markers that tell it where headings land.

A :class:`HeadingMarker` placed before a heading records its page (and a bookmark) as the
document is laid out; a :class:`ContentsPage` draws the entry titles and dot leaders at once and
leaves the page numbers to a form XObject filled in after the layout (:meth:`ContentsPage.fill`),
instead of ReportLab's usual second layout pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from deptbudget.render.pdf_styles import FONT, frame_height
from deptbudget.render.pdf_tagging import Element, artifact, link, marked, marked_in, structure_of

CONTENTS_TITLE_HEIGHT = 64.0
CONTENTS_LINE = {0: (13.0, 27.0, 0.0), 1: (11.0, 20.0, 24.0)}  # level → (size, line height, indent)
PAGE_NO_WIDTH = 28.0


@dataclass(frozen=True)
class Heading:
    """A heading for the contents (when ``in_contents``) and the PDF outline."""

    level: int
    text: str
    key: str
    in_contents: bool = True


class HeadingMarker(Flowable):
    """Zero-size flowable: records where a heading landed (page number, bookmark)."""

    def __init__(self, heading: Heading) -> None:
        super().__init__()
        self.heading = heading
        self.keepWithNext = True  # lands on the page of the heading that follows it

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0.0, 0.0

    def draw(self) -> None:
        pass


def contents_headings(story: Sequence[Flowable]) -> list[Heading]:
    """The headings of ``story`` that the contents lists, in order."""
    return [f.heading for f in story if isinstance(f, HeadingMarker) and f.heading.in_contents]


class ContentsPage(Flowable):
    """One page of the contents. Entry titles and dot leaders are drawn now; the page numbers,
    known only when the whole document is laid out, go into a form XObject filled at the end
    (one layout pass instead of ReportLab's usual two)."""

    def __init__(self, form: str, entries: Sequence[Heading], title: str | None) -> None:
        super().__init__()
        self.form = form
        self.entries = list(entries)
        self.title = title

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = availWidth, availHeight
        return availWidth, availHeight

    def positions(self) -> list[tuple[Heading, float]]:
        y = self.height - (CONTENTS_TITLE_HEIGHT if self.title else 0.0)
        out: list[tuple[Heading, float]] = []
        for heading in self.entries:
            _, line, _ = CONTENTS_LINE[min(heading.level, 1)]
            y -= line
            out.append((heading, y + line * 0.3))
        return out

    def draw(self) -> None:
        """Tagged: the title an H1, each entry a TOCI of one TOC (over all the contents pages) holding a Link (the
        entry's text and its link annotation); the dot leaders and the page numbers are artifacts."""
        canv = self.canv
        if self.title:
            with marked(canv, "H1"):
                canv.setFont(FONT, 20)
                canv.drawCentredString(self.width / 2, self.height - 30, self.title)
        toc = _toc(canv)
        for heading, y in self.positions():
            size, line, indent = CONTENTS_LINE[min(heading.level, 1)]
            canv.setFont(FONT, size)
            item = toc.add("TOCI") if toc is not None else None
            with marked_in(canv, item, "Link") as target:
                canv.drawString(indent, y, heading.text)
            start = indent + pdfmetrics.stringWidth(heading.text, FONT, size) + 6
            dot = pdfmetrics.stringWidth(" .", FONT, size)
            count = int((self.width - PAGE_NO_WIDTH - start) / dot)
            if count > 0:
                with artifact(canv):
                    canv.drawRightString(self.width - PAGE_NO_WIDTH, y, " ." * count)
            link(canv, target, heading.text, heading.key, (indent, y - 4, self.width, y + size))
        with artifact(canv):
            canv.doForm(self.form)

    def fill(self, canv: Canvas, page_of: dict[str, int]) -> None:
        """Draw the page numbers into this page's form (after the document is laid out)."""
        canv.beginForm(self.form)
        for heading, y in self.positions():
            size, _, _ = CONTENTS_LINE[min(heading.level, 1)]
            canv.setFont(FONT, size)
            canv.drawRightString(self.width, y, str(page_of.get(heading.key, "")))
        canv.endForm()


def _toc(canv: Canvas) -> Element | None:
    """The TOC element of the tagged PDF: the one the previous contents page began, else a new one."""
    structure = structure_of(canv)
    if structure is None:
        return None
    kids = structure.root.kids
    if kids and isinstance(kids[-1], Element) and kids[-1].role == "TOC":
        return kids[-1]
    return structure.add("TOC")


def contents_pages(entries: Sequence[Heading]) -> list[ContentsPage]:
    """Split the contents entries over as many pages as they need."""
    pages: list[ContentsPage] = []
    room = frame_height("portrait") - CONTENTS_TITLE_HEIGHT
    chunk: list[Heading] = []
    for heading in entries:
        line = CONTENTS_LINE[min(heading.level, 1)][1]
        if room < line and chunk:
            pages.append(ContentsPage(f"contents{len(pages)}", chunk, None if pages else "目  录"))
            chunk, room = [], frame_height("portrait")
        chunk.append(heading)
        room -= line
    pages.append(ContentsPage(f"contents{len(pages)}", chunk, None if pages else "目  录"))
    return pages

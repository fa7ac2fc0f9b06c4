"""The DOCX contents with the PDF's page numbers.

The DOCX contents are written as entries with their page numbers (no TOC field): Word then never
prompts to update fields, and the numbers are those of the published PDF — Word would paginate
the same text a little differently, and a TOC field it updated would no longer agree with the PDF
that is signed and published next to it.

The page numbers are read back from the PDF's outline (bookmarks): every contents entry of the PDF
is also an outline entry, with the page it lands on. Body pages are numbered from the first part
(“第 1 页”, as the PDF's footer prints them), so a heading's number is its page counted from the
page of the first outline entry.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class OutlinePage:
    level: int  # 0 = part / 附表, 1 = table, 2 = one instance of a repeating table
    title: str
    page: int  # body page number, as printed in the PDF's footer and contents


def pdf_outline_pages(pdf: bytes | Path) -> list[OutlinePage]:
    """The PDF's outline entries with their body page numbers, in order."""
    from pdfminer.pdfdocument import PDFDocument, PDFNoOutlines
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    document = PDFDocument(PDFParser(io.BytesIO(data)))
    pages = {page.pageid: number for number, page in enumerate(PDFPage.create_pages(document), start=1)}
    found: list[tuple[int, str, int]] = []
    try:
        outlines = list(document.get_outlines())
    except PDFNoOutlines:
        return []
    for level, title, dest, action, _ in outlines:
        target = resolve1(dest) if dest is not None else None
        if target is None and action is not None:
            target = resolve1(resolve1(action).get("D"))
        if isinstance(target, (bytes, str)):
            target = resolve1(document.get_dest(target))
        if isinstance(target, dict):
            target = resolve1(target.get("D"))
        if not isinstance(target, list) or not target:
            continue
        objid = getattr(target[0], "objid", None)
        if objid in pages:
            found.append((level, title, pages[objid]))
    if not found:
        return []
    first = found[0][2]
    return [OutlinePage(level - 1, title, page - first + 1) for level, title, page in found]


def contents_page_numbers(entries: Sequence[tuple[int, str]], outline: Sequence[OutlinePage]) -> list[int | None]:
    """The page number of each contents entry (level, text): that of the first outline entry of the
    same level and title not yet used, in order; ``None`` where the PDF has no such heading."""
    remaining = list(outline)
    out: list[int | None] = []
    for level, text in entries:
        match = next((o for o in remaining if o.level == level and o.title == text), None)
        if match is None:
            out.append(None)
            continue
        remaining = remaining[remaining.index(match) + 1:]
        out.append(match.page)
    return out

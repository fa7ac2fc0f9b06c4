"""PDF with a text layer (pdfplumber): ruled tables as rows of cells, the rest as lines.

Per page: tables found by their ruling lines give one line per row — a merged cell's text in its
first column, spans from the cell boxes, text wrapped inside a cell joined back. Words outside
the tables are grouped into printed lines (cells split at wide gaps), then printed lines into
paragraphs: a line continues the one above when it has the same size, is not indented as a
first line is, and follows closely. Larger type marks headings (a 第…部分 line a part). The
cover's large lines make the title; dot leaders and page numbers of the 目录 are dropped.

Why pdfplumber: it reads ruled tables correctly and costs about as much as its own text
extraction (see ``benchmarks/import_speed.py``); PyMuPDF is faster but AGPL.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deptbudget.importers.amounts import looks_like_amount
from deptbudget.importers.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    NoTextLayerError,
)
from deptbudget.importers.pdf_cells import cell_texts, placed
from deptbudget.importers.pdf_inline import mark_inline_images
from deptbudget.importers.pdf_objects import prime, release
from deptbudget.importers.recover import recover
from deptbudget.importers.report import ImportReport
from deptbudget.importers.source import Location, SourceLine, is_cover_line, join_lines, join_wrapped
from deptbudget.importers.unruled import Box, align, columns_of
from deptbudget.model.disclosure import Disclosure

_LEADER = re.compile(r"\s*(?:[.．·…]\s*){3,}")
_ITEM_START = re.compile(r"^(?:\d{1,2}\s*[.、．](?:(?!\d)|(?=20\d\d\s*年))"  # 1. / 4．2026年…, not 4.20
                         r"|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）])")
_PART = re.compile(r"^第\s*[一二三四五六七八九十]+\s*部分")
CELL_GAP = 1.0  # × font size: a wider gap between words starts a new cell
SPACE_GAP = 0.2  # × font size: a wider gap is a space
CLOSE_GAP = 0.9  # × font size: lines closer than this continue a paragraph
WIDE_GAP = 1.25  # × font size: in double-spaced text (≈ 1.1) lines this close continue one that is not short
SHORT_LINE = 4.0  # × font size: a line this much shorter than the next one ends its paragraph


@dataclass
class PrintedLine:
    """Words on one printed line, outside tables."""

    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    cells: list[str]
    boxes: list[Box]  # x-range of each cell
    leader: bool = False  # a 目录 line: title, dot leader, page number
    boxed: bool = False  # placed boxes (positioned HTML), not a PDF's words: figures right-aligned in cells

    @property
    def text(self) -> str:
        return " ".join(c for c in self.cells if c)


@dataclass
class _Page:
    number: int
    items: list[tuple[float, SourceLine | PrintedLine]] = field(default_factory=list)


# --- tables --------------------------------------------------------------------------------------


def _cell_text(text: str | None) -> str:
    if not text:
        return ""
    out = ""
    for part in text.split("\n"):
        out = join_lines(out, part.strip())
    return out


def _edges(values: list[float]) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > 1.0:
            out.append(value)
    return out


def _index(edges: list[float], value: float) -> int:
    """The index of the edge nearest to the value, the first of two as near (``edges`` ascending, as ``_edges``
    gives them): the one just below it or the one at or above it, found by bisection."""
    if math.isnan(value) or any(map(math.isnan, edges)):
        return min(range(len(edges)), key=lambda i: abs(edges[i] - value))
    above = bisect_left(edges, value)
    if above == 0:
        return 0
    if above == len(edges) or abs(edges[above - 1] - value) <= abs(edges[above] - value):
        return above - 1
    return above


def table_lines(table: Any, page: int) -> list[tuple[float, SourceLine]]:
    """One line per table row; spans from the cell boxes against the table's column edges."""
    boxes = [cell for row in table.rows for cell in row.cells if cell is not None]
    xs = _edges([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _edges([b[1] for b in boxes] + [b[3] for b in boxes])
    out: list[tuple[float, SourceLine]] = []
    extracted = cell_texts(table)
    lead = _empty_leading_columns(extracted, _column_widths(table))
    for r, (row, texts) in enumerate(zip(table.rows, extracted, strict=True)):
        spans: dict[int, tuple[int, int]] = {}
        for c, box in enumerate(row.cells):
            if box is None or c < lead:
                continue
            colspan = _index(xs, box[2]) - _index(xs, box[0])
            rowspan = _index(ys, box[3]) - _index(ys, box[1])
            if colspan > 1 or rowspan > 1:
                spans[c - lead] = (max(rowspan, 1), max(colspan, 1))
        cells = overflow_to_label([_cell_text(t) for t in texts[lead:]])
        out.append((row.bbox[1], SourceLine(cells, Location(page=page, row=r + 1), exact=True, spans=spans)))
    return out


_OVERFLOW = re.compile(r"^(?P<words>[\u4e00-\u9fff）)]+)\s*(?P<amount>-?[\d,]+\.\d\d)$")


def overflow_to_label(cells: list[str]) -> list[str]:
    """A name too long for its cell runs on into the amount's cell (``机关事业单位职业年金`` |
    ``缴费支出43608.96``): the words go back to the name, the cell keeps its amount."""
    out = list(cells)
    for i in range(1, len(out)):
        match = _OVERFLOW.match(out[i])
        if match and out[i - 1] and not looks_like_amount(out[i - 1]):
            out[i - 1] += match["words"]
            out[i] = match["amount"]
    return out


# A column narrower than this (in points) holds no text: a ruling drawn just before the table's first column.
_NARROW_COLUMN = 12.0


def _column_widths(table: Any) -> list[float | None]:
    """The width of each column of a ruled table: its narrowest cell box (None where no box)."""
    widths: list[float | None] = []
    for row in table.rows:
        for c, box in enumerate(row.cells):
            while len(widths) <= c:
                widths.append(None)
            if box is not None:
                width = box[2] - box[0]
                widths[c] = width if widths[c] is None else min(widths[c] or width, width)
    return widths


def _empty_leading_columns(rows: list[list[str | None]], widths: list[float | None] | None = None) -> int:
    """How many columns at the left are empty in every row and narrow (a ruling drawn before the table's
    first column): they hold nothing, and a page of the same table drawn without them must line up. A
    column wide enough for text stays, empty or not: a page of a table continued from the one before may
    have nothing in its first column (采购品目大类 printed once, on the first page), and its cells must
    stay under their headings."""
    width = min((len(r) for r in rows), default=0)
    lead = 0
    while lead < width - 1 and all(not (r[lead] or "").strip() for r in rows):
        known = widths[lead] if widths is not None and lead < len(widths) else None
        if known is not None and known >= _NARROW_COLUMN:
            break
        lead += 1
    return lead


# --- text outside tables ---------------------------------------------------------------------------


def _point(word: dict[str, Any]) -> tuple[float, float]:
    """Where a word is printed: the middle of its box, or of its first glyph's placed box when boxed below its
    baseline (where its cell reads it)."""
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    first = word["chars"][0] if word.get("chars") else None
    if first is not None and placed(first) is not first:
        y = (placed(first)["top"] + placed(first)["bottom"]) / 2
    return x, y


def _inside(word: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    x, y = _point(word)
    return any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)


class CellBoxes:
    """The cell boxes of a page's ruled tables, by horizontal band: which words a table's cells read.

    A word inside a table's outline but in no cell is not read by the table — a merged cell whose lower
    ruling is missing where the table breaks over the page (北京's 项目支出绩效目标表: the last project's name,
    amounts and target printed under the last ruled row of its indicators) — so it stays a printed line."""

    def __init__(self, boxes: list[tuple[float, float, float, float]]) -> None:
        self.edges = sorted({b[1] for b in boxes} | {b[3] for b in boxes})
        self.bands: list[list[tuple[float, float, float, float]]] = [[] for _ in self.edges]
        for box in boxes:
            for band in range(bisect_left(self.edges, box[1]), bisect_left(self.edges, box[3])):
                self.bands[band].append(box)

    def read(self, word: dict[str, Any]) -> bool:
        """Whether a cell holds the word (its edges included)."""
        x, y = _point(word)
        band = bisect_right(self.edges, y) - 1
        return any(b[0] <= x <= b[2] and b[1] <= y <= b[3]
                   for near in (band - 1, band) if 0 <= near < len(self.bands) for b in self.bands[near])


def _line_y(word: dict[str, Any]) -> float:
    """Where a word sits on the page, top down: its baseline when its characters are given (fonts of
    one printed line differ in ascent and descent — a Latin font's year in a Chinese title sits a
    line lower by its box — their baselines do not), else its top."""
    chars = word.get("chars")
    return -chars[0]["matrix"][5] if chars else word["top"]


def printed_lines(words: list[dict[str, Any]]) -> list[PrintedLine]:
    rows: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (round(_line_y(w)), w["x0"])):
        if rows and abs(_line_y(word) - _line_y(rows[-1][0])) <= 0.3 * word["size"]:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [_printed_line(sorted(row, key=lambda w: w["x0"])) for row in rows]


def _printed_line(words: list[dict[str, Any]]) -> PrintedLine:
    size = max(w["size"] for w in words)
    cells = [words[0]["text"]]
    boxes = [(words[0]["x0"], words[0]["x1"])]
    for previous, word in zip(words, words[1:], strict=False):
        gap = word["x0"] - previous["x1"]
        if gap > min(previous.get("cell_gap", CELL_GAP), word.get("cell_gap", CELL_GAP)) * size:
            cells.append(word["text"])
            boxes.append((word["x0"], word["x1"]))
        else:
            cells[-1] += (" " if gap > SPACE_GAP * size else "") + word["text"]
            boxes[-1] = (boxes[-1][0], word["x1"])
    leader = next((i for i, c in enumerate(cells) if _LEADER.search(c)), None)
    if leader is not None:  # keep what precedes the dots: the entry without its page number
        cells = [*cells[:leader], cells[leader][: _LEADER.search(cells[leader]).start()]]  # type: ignore[union-attr]
        boxes = boxes[: leader + 1]
    kept = [(c, b) for c, b in zip(cells, boxes, strict=True) if c.strip()]
    return PrintedLine(words[0]["top"], max(w["bottom"] for w in words), words[0]["x0"], words[-1]["x1"], size,
                       [c for c, _ in kept], [b for _, b in kept], leader is not None,
                       any("cell_gap" in w for w in words))


# --- reading order, paragraphs ---------------------------------------------------------------------


def _continues(paragraph: list[PrintedLine], line: PrintedLine) -> bool:
    last = paragraph[-1]
    if len(line.cells) != 1 or len(last.cells) != 1 or abs(line.size - last.size) > 0.5:
        return False
    if line.leader or last.leader or _ITEM_START.match(line.text) or _PART.match(line.text):
        return False
    if len(paragraph) == 1 and _ITEM_START.match(last.text) and last.x1 + SHORT_LINE * line.size < line.x1:
        return False  # "二、收入预算情况说明" over its first paragraph: a numbered line that stops short is a heading
    indented = line.x0 > min(p.x0 for p in paragraph) + 0.8 * line.size if len(paragraph) > 1 else (
        line.x0 > last.x0 + 0.8 * line.size)
    if indented or line.x0 > last.x0 + 0.8 * line.size:
        return False
    gap = line.top - last.bottom
    if gap <= CLOSE_GAP * line.size:
        return True
    # double-spaced text: the next line continues unless this one stops well short of it (a heading, an end)
    return gap <= WIDE_GAP * line.size and last.x1 + SHORT_LINE * line.size >= line.x1


def _role(text: str, size: float, body: float) -> str:
    if _PART.match(text):
        return "part"
    return "heading" if size > body + 0.75 else "paragraph"


def _paragraph_line(paragraph: list[PrintedLine], page: int, body: float) -> SourceLine:
    first = paragraph[0]
    if len(first.cells) > 1:
        return SourceLine(first.cells, Location(page=page), exact=False)
    text = first.text
    for line in paragraph[1:]:
        text = join_wrapped(text, line.text)
    return SourceLine([text], Location(page=page), exact=True, hints={"role": _role(text, first.size, body)})


def _row_fragment(items: list[SourceLine | PrintedLine], i: int, multi: list[bool], inside: set[int]) -> bool:
    """A short line right below a table row (a row with one filled cell, such as 合计), or below
    such a line: the rows of a two-sided table whose one side is empty, in its other column."""
    line, above = items[i], items[i - 1] if i else None
    if not (isinstance(line, PrintedLine) and isinstance(above, PrintedLine) and (multi[i - 1] or i - 1 in inside)):
        return False
    return len(line.text) <= 20 and not line.text.endswith("。") and line.top - above.bottom <= 1.5 * line.size


def _table_runs(items: list[SourceLine | PrintedLine]) -> set[int]:
    """Indexes of printed lines that form unruled tables: two or more lines in a row, multi-cell
    lines and the single-cell lines squeezed between or right below them."""
    multi = [isinstance(it, PrintedLine) and len(it.cells) > 1 and not it.leader for it in items]
    inside: set[int] = set()
    for i, item in enumerate(items):
        if not isinstance(item, PrintedLine):
            continue
        squeezed = 0 < i < len(items) - 1 and multi[i - 1] and multi[i + 1] and len(item.cells) == 1
        if multi[i] or squeezed or _row_fragment(items, i, multi, inside):
            inside.add(i)
    runs: set[int] = set()
    start = None
    for i in range(len(items) + 1):
        if i in inside:
            start = i if start is None else start
            continue
        if start is not None and i - start >= 2 and sum(multi[start:i]) >= 1:
            runs.update(range(start, i))
        start = None
    return runs


def _aligned(items: list[SourceLine | PrintedLine], run: list[int], page: int) -> dict[int, SourceLine]:
    rows = [(items[i].cells, items[i].boxes) for i in run]  # type: ignore[union-attr]
    columns = columns_of(rows, any(items[i].boxed for i in run))  # type: ignore[union-attr]
    if not columns:
        return {}
    out = {}
    for i in run:
        line = items[i]
        assert isinstance(line, PrintedLine)
        aligned = align(line.cells, line.boxes, columns)
        out[i] = SourceLine(aligned.cells, Location(page=page), exact=False, spans=aligned.spans)
    return out


def _page_lines(page: _Page, body: float) -> list[SourceLine]:
    items = [item for _, item in sorted(page.items, key=lambda i: i[0])]
    runs = sorted(_table_runs(items))
    tables: dict[int, SourceLine] = {}
    group: list[int] = []
    for i in [*runs, -1]:
        if group and (i == -1 or i != group[-1] + 1):
            tables.update(_aligned(items, group, page.number))
            group = []
        if i != -1:
            group.append(i)
    out: list[SourceLine] = []
    paragraph: list[PrintedLine] = []
    for index, item in enumerate(items):
        if index in tables:
            item = tables[index]
        if isinstance(item, PrintedLine):
            if paragraph and _continues(paragraph, item):
                paragraph.append(item)
                continue
            if paragraph:
                out.append(_paragraph_line(paragraph, page.number, body))
            paragraph = [item]
            continue
        if paragraph:
            out.append(_paragraph_line(paragraph, page.number, body))
            paragraph = []
        out.append(item)
    if paragraph:
        out.append(_paragraph_line(paragraph, page.number, body))
    return out


def _cover(lines: list[SourceLine], first_page: list[PrintedLine]) -> list[SourceLine]:
    """Page 1 without tables and with large type: its first large lines are the title."""
    if not first_page:
        return lines
    largest = max(line.size for line in first_page)
    title_lines = [line for line in first_page if line.size >= largest - 0.5]
    title = ""
    for line in title_lines:
        title = join_lines(title, line.text)
    if "预算" not in title and "决算" not in title or _is_list(title_lines):
        return lines
    out = [SourceLine([title.replace("\n", "")], Location(page=1), exact=True, hints={"role": "title"})]
    titles = {t.text for t in title_lines}
    on_cover = True
    for line in lines:
        if line.where.page == 1 and line.text in titles:
            continue
        on_cover = on_cover and line.where.page == 1 and is_cover_line(line)
        out.append(SourceLine(line.cells, line.where, line.exact, hints={"role": "cover"}) if on_cover else line)
    return out


def _is_list(lines: list[PrintedLine]) -> bool:
    """Large lines of which several are numbered (第一部分 …, 一、…): a contents page, not a cover's title."""
    return sum(1 for line in lines if _ITEM_START.match(line.text) or _PART.match(line.text)) >= 3


# --- the document ------------------------------------------------------------------------------------


def _check_complete(path: str | Path) -> None:
    """A PDF ends with ``%%EOF``: without it the file was cut off (pdfminer would read what it can)."""
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - 2048))
        tail = handle.read()
    if b"%%EOF" not in tail:
        raise CorruptDocumentError(path, "文件不完整，缺少结尾标记 %%EOF (truncated: no %%EOF at the end)")


def _is_encrypted(path: str | Path, exc: BaseException) -> bool:
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    chain: BaseException | None = exc
    while chain is not None:
        if isinstance(chain, PDFPasswordIncorrect) or any(isinstance(a, PDFPasswordIncorrect) for a in chain.args):
            return True
        chain = chain.__cause__ or chain.__context__
    return b"/Encrypt" in Path(path).read_bytes()


def _open(path: str | Path) -> Any:
    import pdfplumber

    _check_complete(path)
    try:
        return pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many kinds of error for broken files
        if _is_encrypted(path, exc):
            raise EncryptedDocumentError(path, "需要密码 (a password is required)") from None
        raise CorruptDocumentError(path, f"{type(exc).__name__}: {exc}") from None


def pdf_lines(path: str | Path) -> tuple[list[SourceLine], int]:
    pdf = _open(path)
    try:
        pages, first_page, images = _read_pages(pdf, path)
    finally:
        pdf.close()
    if not pages:
        raise EmptyDocumentError(path, "PDF 没有页面 (no pages)")
    if not any(page.items for page in pages):
        if images:
            raise NoTextLayerError(path, f"{len(pages)} 页，{images} 张图片 ({len(pages)} pages, {images} images)")
        raise EmptyDocumentError(path, f"{len(pages)} 页都没有文字 ({len(pages)} pages without any text)")
    return layout_lines([page.items for page in pages], first_page), len(pages)


def layout_lines(pages: list[list[tuple[float, SourceLine | PrintedLine]]],
                 first_page: list[PrintedLine]) -> list[SourceLine]:
    """The lines of pages laid out like printed pages (items by their top): tables from lines that
    share columns, paragraphs, the cover's title; also for other page-like formats."""
    printed = [item for items in pages for _, item in items if isinstance(item, PrintedLine)]
    text = [item for item in printed if len(item.cells) == 1] or printed  # the body text's size, not a table's
    sizes = Counter(round(item.size, 1) for item in text)
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    lines = [line for number, items in enumerate(pages, 1) for line in _page_lines(_Page(number, items), body)]
    return _cover(lines, first_page)


def _read_pages(pdf: Any, path: str | Path) -> tuple[list[_Page], list[PrintedLine], int]:
    pages: list[_Page] = []
    first_page: list[PrintedLine] = []
    images = 0
    try:
        for number, read in enumerate(pdf.pages, 1):
            page = read
            prime(page)
            if any(c.get("tag") == "Figure" for c in page.chars):  # a chart's labels: not the narrative's
                page = page.filter(lambda obj: obj.get("tag") != "Figure")
            tables = page.find_tables()
            cells = CellBoxes([cell for t in tables for cell in t.cells])
            current = _Page(number)
            for table in tables:
                current.items.extend(table_lines(table, number))
            upright = page.rotation == 0  # the characters' baselines are in the page's own coordinates
            words = [w for w in page.extract_words(extra_attrs=["size"], return_chars=upright) if not cells.read(w)]
            words = mark_inline_images(words, page.images)
            lines = printed_lines(words)
            current.items.extend((line.top, line) for line in lines)
            if not tables and not lines:  # a page without text: a scan when it holds images
                images += len(page.images)
            if number == 1 and not tables:
                first_page = lines
            pages.append(current)
            release(read)
    except Exception as exc:  # a page that pdfminer cannot parse: the file is damaged
        raise CorruptDocumentError(path, f"{type(exc).__name__}: {exc}") from None
    return pages, first_page, images


def read_pdf(path: str | Path) -> tuple[Disclosure, ImportReport]:
    lines, pages = pdf_lines(path)
    return recover(lines, str(path), "pdf", pages)

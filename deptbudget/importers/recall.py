"""What a published document prints, read without our importers, and how much of it an import found.

The measure of ``benchmarks/corpus.py`` and of ``deptbudget audit``: the amounts a document's own text prints
(``document_text``: ``pdftotext -layout`` for PDF, openpyxl for XLSX, python-docx for DOCX, the text nodes of
HTML), counted as a multiset against the amounts the import put in table cells, narrative figures and text
cells (``disclosure_amounts``, ``matched``); the documents of a folder named by its ``MANIFEST.tsv`` or by
their folder and file names (``documents``). See benchmarks/corpus.py for what counts and why.
"""

from __future__ import annotations

import csv
import re
import subprocess
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from deptbudget.importers.formats import detect_format
from deptbudget.model.disclosure import INLINE_IMAGE, Disclosure

SUFFIXES = (".pdf", ".xlsx", ".docx", ".html", ".htm", ".txt")
MANIFEST = "MANIFEST.tsv"

# A figure followed by ``%`` is no amount, nor one followed by a picture (``INLINE_IMAGE``: a “%” or a unit drawn as
# a glyph-sized image, which ``pdftotext`` does not print; ``pictured_figures``).
_AMOUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d{2,6})?|\d+\.\d{2,6})(?![\d.]|\s*[%％\ufffc])")
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


# --- amounts: pure functions ---------------------------------------------------------------------


def amounts_in_text(text: str) -> list[Decimal]:
    """Every amount printed in ``text`` (see the module docstring), zero excluded, in order."""
    out = []
    for match in _AMOUNT.finditer(text):
        value = Decimal(match.group(1).replace(",", ""))
        if value:
            out.append(value)
    return out


def cell_amount(value: Decimal | None) -> Decimal | None:
    """A cell's value as an amount to match, without its sign: None for blanks and zero."""
    return abs(value) if value else None


def disclosure_amounts(disclosure: Disclosure) -> Counter[Decimal]:
    """The amounts the import found: table cells and narrative figures, with their multiplicities."""
    found: Counter[Decimal] = Counter()
    for *_, cell in disclosure.iter_cells():
        amount = cell_amount(cell.value)
        if amount is not None:
            found[amount] += 1
        elif cell.value is None and cell.text and not cell.parse_error:
            found.update(amounts_in_text(cell.text))  # a text cell: an indicator's target "≤116.00万元"
    for figure in disclosure.figures.values():
        found.update(amounts_in_text(figure.text))
    return found


def matched(printed: Iterable[Decimal], found: Counter[Decimal]) -> tuple[int, int]:
    """(matched, printed) as multisets: each printing needs its own cell or figure."""
    wanted = Counter(printed)
    return sum(min(count, found[amount]) for amount, count in wanted.items()), sum(wanted.values())


def matched_distinct(printed: Iterable[Decimal], found: Counter[Decimal]) -> tuple[int, int]:
    """(matched, printed) as sets, for comparison: distinct amounts found anywhere at all."""
    wanted = set(printed)
    return sum(1 for amount in wanted if found[amount]), len(wanted)


# --- the document's own text ---------------------------------------------------------------------

_PIECE = re.compile(r"(?<![\d.,])(?:\d[\d,]*(?:\.\d+)?|\.\d{1,6})(?![\d.,])")
_UNDER = range(-2, 2)  # a piece's start minus the end of the piece above it, in columns


def _continues(upper: str, lower: str, in_table: bool = True) -> bool:
    """``lower``, printed under ``upper``, is the rest of the same number: its fraction (``14,770`` over
    ``.62``; two places or more in a table, where a one-place figure is no amount) or its next digit
    groups (``109,`` over ``703``; ``1`` over ``54,``)."""
    if "." in upper:
        return False
    if lower.startswith("."):
        return len(lower) > 2 or not in_table
    return upper.endswith(",") or lower.endswith(",")


def _wrapped_chains(lines: list[str]) -> list[list[tuple[int, re.Match[str]]]]:
    """The pieces, (line, match) top down, of every number wrapped over lines (see rejoin_wrapped)."""
    pieces = [list(_PIECE.finditer(line)) for line in lines]
    claimed: set[tuple[int, int]] = set()
    chains: list[list[tuple[int, re.Match[str]]]] = []
    for i in range(len(lines)):
        for piece in pieces[i]:
            if (i, piece.start()) in claimed:
                continue
            chain = [(i, piece)]
            text = piece.group()
            while chain[-1][0] + 1 < len(lines):
                line, last = chain[-1]
                lower = next((p for p in pieces[line + 1] if p.start() - last.end() in _UNDER
                              and (line + 1, p.start()) not in claimed and _continues(text, p.group())), None)
                if lower is None:
                    break
                chain.append((line + 1, lower))
                text += lower.group()
            if len(chain) > 1:
                claimed.update((line, p.start()) for line, p in chain)
                chains.append(chain)
    for i, line_text in enumerate(lines):  # a fraction that begins its line of running text (``.62万元``)
        for piece in pieces[i]:
            starts_text = (piece.group().startswith(".") and not line_text[:piece.start()].strip()
                           and bool(line_text[piece.end():piece.end() + 1].strip()))
            if not starts_text or (i, piece.start()) in claimed or i == 0 or not pieces[i - 1]:
                continue
            last = pieces[i - 1][-1]
            if (i - 1, last.start()) not in claimed and not lines[i - 1][last.end():].strip() \
                    and _continues(last.group(), piece.group(), in_table=False):
                claimed.update({(i - 1, last.start()), (i, piece.start())})
                chains.append([(i - 1, last), (i, piece)])
    for i in range(len(lines) - 1):  # a fraction printed over its whole number
        for piece in pieces[i]:
            if not piece.group().startswith(".") or (i, piece.start()) in claimed:
                continue
            whole = next((p for p in pieces[i + 1] if piece.start() - p.end() in _UNDER
                          and (i + 1, p.start()) not in claimed and _continues(p.group(), piece.group())), None)
            if whole is not None:
                claimed.update({(i, piece.start()), (i + 1, whole.start())})
                chains.append([(i + 1, whole), (i, piece)])
    return chains


def rejoin_wrapped(text: str) -> str:
    """``text`` with every amount wrapped over lines (``14,770`` over ``.62``) printed whole where its
    first piece is, its other pieces blanked out (see the module docstring)."""
    lines = text.split("\n")
    edits: dict[int, list[tuple[int, int, str]]] = {}
    for chain in _wrapped_chains(lines):
        (head_line, head), *rest = chain
        edits.setdefault(head_line, []).append((head.start(), head.end(), "".join(p.group() for _, p in chain)))
        for line, piece in rest:
            edits.setdefault(line, []).append((piece.start(), piece.end(), " " * len(piece.group())))
    for index, changes in edits.items():
        line = lines[index]
        for start, end, replacement in sorted(changes, reverse=True):
            line = line[:start] + replacement + line[end:]
        lines[index] = line
    return "\n".join(lines)



class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.chunks.append(data)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def html_text(markup: str) -> str:
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    return "\n".join(parser.chunks)


def _xlsx_cell_text(value: object, number_format: str) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        if number_format in ("", "General"):
            return str(value)
        decimals = re.search(r"\.([0#]+)", number_format)
        separator = "," if "," in number_format else ""
        return f"{value:{separator}.{len(decimals.group(1)) if decimals else 0}f}"
    return str(value)


# --- glyphs drawn as pictures ---------------------------------------------------------------------

_GLYPH = 1.6  # a picture at most this many times as tall and as wide as the digit before it is a glyph
_GAP = 0.5  # how far after the digit the picture may start, in the digit's heights
_TOUCH = 0.2  # how far it may reach back over the digit, in the digit's heights
_LARGEST = 40  # pt: a larger picture (a chart, a seal, a logo) is never read as a glyph
_FIGURE_CHARS = frozenset("0123456789,.")
_IMAGE_XOBJECT = re.compile(rb"/Subtype\s*/Image\b")
_PDFIUM = threading.Lock()  # PDFium is not thread-safe; audit workers may run threads


def pictured_figures(path: Path) -> dict[int, list[str]]:
    """Page (from 1) → the figures printed right before a glyph-sized picture on their line (西安 人社局 draws the
    “%” after its rates as a small image), as their characters read.

    ``pdftotext`` prints nothing for the picture, so the figure would read as an amount printed without its unit.
    Read with PDFium (pypdfium2): a PDF engine other than poppler's, which gives the text, and other than
    pdfminer's, which the importer reads with (``importers/pdf_inline.py`` marks the same pictures its own way);
    it gives the images' and the characters' boxes in one coordinate space, in process, without writing the images
    out (``pdftohtml -xml`` lists images with their places only by extracting them to files; ``pdfimages -list``
    gives no places). A file without any image object is not opened (an image's dictionary is never compressed
    into an object stream, so its ``/Subtype /Image`` is in the file's bytes); an image written inline in a page's
    content (BI … EI) is not looked for. Only pages with a picture no larger than a character are read character by
    character."""
    if not _IMAGE_XOBJECT.search(path.read_bytes()):
        return {}
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    out: dict[int, list[str]] = {}
    with _PDFIUM:
        document = pypdfium2.PdfDocument(str(path))
        try:
            for index in range(len(document)):
                page = document[index]
                boxes = [obj.get_bounds() for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])]
                small = [b for b in boxes if 0 < b[2] - b[0] < _LARGEST and 0 < b[3] - b[1] < _LARGEST]
                if small:
                    figures = _figures_before(page.get_textpage(), small)
                    if figures:
                        out[index + 1] = figures
        finally:
            document.close()
    return out


def _figures_before(text_page: Any, pictures: list[tuple[float, float, float, float]]) -> list[str]:
    chars = [(text_page.get_text_range(i, 1), text_page.get_charbox(i)) for i in range(text_page.count_chars())]
    out = []
    for left, bottom, right, top in pictures:
        at = _digit_before(chars, left, bottom, right, top)
        if at is None:
            continue
        start = at
        while start > 0 and chars[start - 1][0] in _FIGURE_CHARS:
            start -= 1
        out.append("".join(c for c, _ in chars[start:at + 1]).strip(",."))
    return out


def _digit_before(chars: list[tuple[str, tuple[float, float, float, float]]], left: float, bottom: float,
                  right: float, top: float) -> int | None:
    """The index of the digit that the picture (left, bottom, right, top) directly follows on its line, if the
    picture is no larger than a glyph of that digit's line."""
    for i, (char, (_, c_bottom, c_right, c_top)) in enumerate(chars):
        height = c_top - c_bottom
        if not char.isdigit() or height <= 0:
            continue
        if top - bottom > _GLYPH * height or right - left > _GLYPH * height:
            continue
        if min(top, c_top) - max(bottom, c_bottom) < 0.5 * height:  # not on the digit's line
            continue
        if -_TOUCH * height <= left - c_right <= _GAP * height and right > c_right:
            return i
    return None


def mark_pictured(text: str, pictured: dict[int, list[str]]) -> str:
    """``text`` (pages parted by form feeds) with ``INLINE_IMAGE`` after each figure that ``pictured`` lists for its
    page — its first printing there not yet marked, not followed by a “%”."""
    if not pictured:
        return text
    pages = text.split("\f")
    for number, figures in pictured.items():
        if not 0 < number <= len(pages):
            continue
        for figure in figures:
            pattern = re.compile(rf"(?<![\d.,]){re.escape(figure)}(?![\d.,]|\s*[%％{INLINE_IMAGE}])")
            pages[number - 1] = pattern.sub(lambda m: m.group() + INLINE_IMAGE, pages[number - 1], count=1)
    return "\f".join(pages)


def document_text(path: Path) -> str:
    """The document's printed text, read without our importers; in a PDF, a figure followed by a glyph-sized
    picture carries ``INLINE_IMAGE`` after it (``pictured_figures``)."""
    fmt = detect_format(path)
    if fmt == "pdf":
        done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
        return mark_pictured(rejoin_wrapped(_decode(done.stdout)), pictured_figures(path))
    if fmt == "xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        lines = ["\t".join(_xlsx_cell_text(c.value, c.number_format or "") for c in row)
                 for sheet in book.worksheets for row in sheet.iter_rows()]
        book.close()
        return "\n".join(lines)
    if fmt == "docx":
        import docx

        document = docx.Document(str(path))
        lines = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                seen: set[int] = set()  # a merged cell repeats in every grid position it spans
                for cell in row.cells:
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        lines.append(cell.text)
        return "\n".join(lines)
    raw = _decode(path.read_bytes())
    return html_text(raw) if fmt == "html" else raw


# --- documents -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    path: Path
    name: str  # as listed: the path relative to DIR
    locality: str
    entity: str
    year: str
    kind: str


def from_name(path: Path, folder: Path) -> Document:
    parent = path.parent.name
    locality = parent.split("_", 1)[1] if "_" in parent else (parent if path.parent != folder else "")
    year = _YEAR.search(path.name)
    return Document(path, str(path.relative_to(folder)), locality, path.name.split(".")[0],
                    year.group(1) if year else "", "决算" if "决算" in path.name else "预算")


def documents(folder: Path) -> list[Document]:
    """The documents under ``folder``, named by its MANIFEST.tsv where it lists them."""
    listed: dict[str, dict[str, str]] = {}
    manifest = folder / MANIFEST
    if manifest.exists():
        with manifest.open(encoding="utf-8", newline="") as handle:
            listed = {row["file"]: row for row in csv.DictReader(handle, delimiter="\t") if row.get("file")}
    out = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES):
        name = path.relative_to(folder).as_posix()
        row = listed.get(name)
        if row is None:
            out.append(from_name(path, folder))
        else:
            out.append(Document(path, name, row.get("locality", ""), row.get("entity", ""), row.get("year", ""),
                                row.get("kind", "")))
    return out


def without_path(message: str, path: Path) -> str:
    """The first line of an error message, without the ``path: `` our DocumentErrors start with."""
    first = message.strip().splitlines()[0] if message.strip() else ""
    return first.removeprefix(f"{path}: ")


def one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"


def expected_tables(template: str) -> set[str]:
    from deptbudget.template import TemplateError, load_template

    try:
        return {spec.id for spec in load_template(template).tables}
    except (TemplateError, OSError):
        return set()


def tables_read(disclosure: Disclosure, expected: set[str]) -> int:
    """How many of the template's tables the import read: with rows, or empty with the note that says
    so (本表无数据). A title alone — a contents line, a heading with nothing read under it — is not."""
    return len({t.id for t in disclosure.tables if t.rows or (t.empty and t.empty_note)} & expected)

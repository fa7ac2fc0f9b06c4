"""Plain text extracted from a PDF (like the seed): one line per printed line, table cells
separated by tabs, a form feed between pages when the extractor keeps page breaks."""

from __future__ import annotations

from pathlib import Path

from deptbudget.importers.errors import CorruptDocumentError, EmptyDocumentError
from deptbudget.importers.recover import recover
from deptbudget.importers.report import ImportReport
from deptbudget.importers.source import Location, SourceLine
from deptbudget.model.disclosure import Disclosure

ENCODINGS = ("utf-8-sig", "gb18030", "utf-16")


def decode(data: bytes, path: str | Path) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CorruptDocumentError(path, "不是 UTF-8 或 GB18030 编码的文本 (not UTF-8 or GB18030 text)")


def text_lines(text: str) -> tuple[list[SourceLine], int]:
    """The lines of the text and the number of pages (form feeds + 1)."""
    lines: list[SourceLine] = []
    page = 1
    paged = "\f" in text
    for number, raw in enumerate(text.splitlines(), 1):
        while raw.startswith("\f"):
            page, raw = page + 1, raw[1:]
        cells = raw.rstrip("\r").split("\t")
        lines.append(SourceLine(cells, Location(line=number, page=page if paged else None)))
        page += raw.count("\f")
    return lines, page


def read_text(path: str | Path) -> tuple[Disclosure, ImportReport]:
    data = Path(path).read_bytes()
    text = decode(data, path)
    if not text.strip():
        raise EmptyDocumentError(path)
    lines, pages = text_lines(text)
    return recover(lines, str(path), "text", pages if "\f" in text else None)

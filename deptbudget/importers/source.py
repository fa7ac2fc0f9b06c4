"""What every reader hands to structure recovery: lines of cells, each with where it was read.

A reader (text, XLSX, HTML, PDF, DOCX) turns a document into a flat sequence of ``SourceLine``s
in reading order: a paragraph is a line with one cell, a table row a line with one cell per
column (a merged cell's text sits in its first column, the columns it covers are ``""``), as in
the tab-separated text extracted from a PDF. ``exact`` says the cells are the document's own
cells (XLSX, HTML, DOCX); text laid out on a page (PDF, extracted text) is not exact: a cell may
have been wrapped, and line-wrap spaces are removed from labels.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Location:
    """Where a line was read: a text line, a PDF page and line, a sheet and row."""

    line: int | None = None
    page: int | None = None
    sheet: str | None = None
    row: int | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.sheet is not None:
            parts.append(f"工作表 {self.sheet}")
        if self.page is not None:
            parts.append(f"第 {self.page} 页")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        elif self.line is not None:
            parts.append(f"第 {self.line} 行")
        return "，".join(parts) or "?"

    def to_dict(self) -> dict[str, int | str]:
        return {k: v for k, v in (("line", self.line), ("page", self.page), ("sheet", self.sheet),
                                   ("row", self.row)) if v is not None}


@dataclass
class SourceLine:
    """One line of a document: its cells (``""`` for an empty cell) and where it came from.

    ``spans`` maps a cell's index to its (rowspan, colspan) when the document says so (merged
    cells of XLSX/HTML/DOCX). ``hints`` carries what a structured document states outright:
    ``role`` (title / part / heading / paragraph), ``key`` (a row key), ``table`` and
    ``instance`` (our own HTML's data attributes).
    """

    cells: list[str]
    where: Location
    exact: bool = False
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)

    @property
    def filled(self) -> list[tuple[int, str]]:
        return [(i, c) for i, c in enumerate(self.cells) if c.strip()]

    @property
    def text(self) -> str:
        return " ".join(c.strip() for c in self.cells if c.strip())

    @property
    def is_blank(self) -> bool:
        return not any(c.strip() for c in self.cells)

    def cell(self, index: int) -> str:
        return self.cells[index] if index < len(self.cells) else ""


# --- text helpers ------------------------------------------------------------------------------

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”‘’、，。：；（）《》"
_WRAP_SPACE = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])|(?<=\d[.\-])\s+(?=\d)")
_SPACES = re.compile(r"\s+")


def unwrap(text: str) -> str:
    """Undo line wrapping inside a cell: ``机关事业单位基本养老保险 缴费支出`` →
    ``机关事业单位基本养老保险缴费支出``, ``2020. 12.31`` → ``2020.12.31``; other runs of
    whitespace become one space."""
    text = _WRAP_SPACE.sub("", text.strip())
    return _SPACES.sub(" ", text)


def squash(text: str) -> str:
    """A comparison form of a label: NFKC width folding, no whitespace, full-width （）, no
    quotes — so ``“三公” 经费`` and ``"三公"经费`` compare equal."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("(", "（").replace(")", "）")
    text = re.sub(r"[\s\"'“”‘’「」『』]", "", text)
    return text


_LEADING_NUMBER = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十]+[)）、.．]|[（(]\d+[)）]|\d+[.．、](?!\d)|[①-⑳])\s*"
)


def strip_numbering(text: str) -> str:
    """``一、财政预算拨款`` → ``财政预算拨款``; ``（一）`` / ``1.`` / ``(1)`` likewise."""
    return _LEADING_NUMBER.sub("", text.strip())


def label_key(text: str) -> str:
    """The form a row or field label is matched in: numbering, colons, spaces and a trailing
    unit such as ``（万元）`` removed."""
    text = squash(strip_numbering(unwrap(text)))
    text = text.replace(":", "").replace("：", "")
    return re.sub(r"（(?:万元|元|千元)）$", "", text)


_SENTENCE_END = tuple("。；;！？!?：:")
_NUMBERED_START = re.compile(r"^(?:\d+\s*[.、．]|[（(]\d+[)）]|目标\s*\d|[一二三四五六七八九十]+、|<p>)")


def join_wrapped(left: str, right: str) -> str:
    """Two pieces of one sentence broken at a line end: a space only where a Latin letter or a
    digit meets the break (``75`` + ``万元`` → ``75 万元``; ``项目配`` + ``套`` → ``项目配套``), none
    inside a number (``1,270,000.`` + ``00``)."""
    left, right = left.rstrip(), right.lstrip()
    if not left or not right or (left[-1] in "0123456789.,-" and right[0].isdigit()):
        return left + right  # a number wrapped inside its cell
    if left[-1].isascii() and left[-1].isalnum() or right[0].isascii() and right[0].isalnum():
        return f"{left} {right}"
    return left + right


def join_lines(previous: str, text: str) -> str:
    """The next printed line of a text broken over lines: a new line after a finished sentence
    or before a numbered item, else the same sentence continued (wrap spaces removed)."""
    if not previous:
        return text
    if not text:
        return previous
    if previous.endswith(_SENTENCE_END) or _NUMBERED_START.match(text):
        return f"{previous}\n{text}"
    return join_wrapped(previous, text)


def is_cover_line(line: SourceLine) -> bool:
    """A short plain line between a document's title and its contents (the unit's name, a date):
    not numbered, not a sentence, not the 目录."""
    text = line.text
    return (len(line.filled) == 1 and len(text) <= 30 and squash(text) != "目录"
            and strip_numbering(text) == text and not text.endswith(("。", "：", ":")))

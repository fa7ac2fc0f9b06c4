"""HTML pages (the standard library's parser): block elements become lines, tables rows of cells.

Headings and paragraphs say what they are (``h1`` the document title, an ``h2`` that reads
第…部分 a part, ``h3`` a section heading or — inside a table block — a table title). Table cells
carry their row and column spans; a cell covered by a span is empty. Our own pages also state
row keys and table instances (``data-key``, ``data-instance``), which are used as they are.
Scripts, styles, SVG and the 目录's per-project sub-lists are not text of the document.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from deptbudget.importers.errors import EmptyDocumentError, NotABudgetError
from deptbudget.importers.recover import recover
from deptbudget.importers.report import ImportReport
from deptbudget.importers.source import Location, SourceLine
from deptbudget.importers.text import decode
from deptbudget.model.disclosure import Disclosure

_BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "div", "caption", "figcaption", "dt", "dd", "title",
           "pre", "blockquote"}
_SKIP = {"script", "style", "svg", "head", "noscript", "template"}
# A page's own apparatus, not its text: the 目录's instance lists, the amounts' source notes, charts.
_APPARATUS = {"instances", "provenance", "chart"}
_VOID = {"br", "img", "meta", "link", "input", "hr", "source", "wbr", "area", "col", "embed", "param", "track"}
_PART = re.compile(r"^第\s*[一二三四五六七八九十]+\s*部分")


class _TableBuilder:
    """Rows of one <table>, with spans laid out on a grid (rowspans carried down)."""

    def __init__(self, line: int) -> None:
        self.line = line
        self.rows: list[tuple[list[str], dict[int, tuple[int, int]], dict[str, str]]] = []
        self.carry: dict[int, int] = {}  # column → rows still covered by a rowspan above
        self.cells: list[str] = []
        self.spans: dict[int, tuple[int, int]] = {}
        self.hints: dict[str, str] = {}
        self.text: list[str] | None = None
        self.col = 0

    def start_row(self, hints: dict[str, str]) -> None:
        self.cells, self.spans, self.hints, self.col = [], {}, hints, 0

    def _skip_covered(self) -> None:
        while self.carry.get(self.col, 0) > 0:
            self.cells.append("")
            self.col += 1

    def start_cell(self, rowspan: int, colspan: int) -> None:
        self._skip_covered()
        self.text = []
        if rowspan > 1 or colspan > 1:
            self.spans[self.col] = (rowspan, colspan)
        self.pending = (rowspan, colspan)

    def end_cell(self) -> None:
        if self.text is None:
            return
        rowspan, colspan = self.pending
        self.cells.append("".join(self.text).strip())
        for offset in range(colspan):
            if offset:
                self.cells.append("")
            if rowspan > 1:
                self.carry[self.col + offset] = rowspan
        self.col += colspan
        self.text = None

    def end_row(self) -> None:
        self.end_cell()
        self._skip_covered()
        width = max([len(self.cells), *[c + 1 for c, n in self.carry.items() if n > 0]], default=0)
        self.cells += [""] * (width - len(self.cells))
        for col in list(self.carry):
            self.carry[col] -= 1
        self.rows.append((self.cells, self.spans, self.hints))


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[SourceLine] = []
        self.skip = 0
        self.block: list[str] | None = None
        self.block_tag = ""
        self.block_hints: dict[str, str] = {}
        self.section_hints: list[dict[str, str]] = []
        self.table: _TableBuilder | None = None
        self.table_section = "body"
        self.in_table_block = 0

    # --- elements ---

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if self.skip:
            self.skip += tag not in _VOID
            return
        if tag in _SKIP or _APPARATUS & set(attr.get("class", "").split()):
            self.skip = 1
            return
        if tag == "section":
            self.section_hints.append({k[5:]: v for k, v in attr.items() if k in ("data-table", "data-instance")})
            return
        if tag == "table":
            self._flush_block()
            self.table = _TableBuilder(self.getpos()[0])
        elif self.table is not None:
            self._table_tag(tag, attr)
        elif tag in _BLOCKS:
            self._flush_block()
            self.block, self.block_tag = [], tag
            self.block_hints = self._hints_for(tag, attr)
        elif tag == "br" and self.block is not None:
            self.block.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            self.skip -= tag not in _VOID
            return
        if tag == "section" and self.section_hints:
            self.section_hints.pop()
        elif tag == "table" and self.table is not None:
            self._flush_table()
        elif self.table is not None:
            if tag in ("td", "th"):
                self.table.end_cell()
            elif tag == "tr":
                self.table.end_row()
        elif tag == self.block_tag:
            self._flush_block()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.table is not None and self.table.text is not None:
            self.table.text.append(data)
        elif self.block is not None:
            self.block.append(data)
        elif data.strip():
            self.lines.append(SourceLine([data.strip()], Location(line=self.getpos()[0]), exact=True))

    # --- helpers ---

    def _table_tag(self, tag: str, attr: dict[str, str]) -> None:
        table = self.table
        assert table is not None
        if tag in ("thead", "tbody", "tfoot"):
            self.table_section = "head" if tag == "thead" else "body"
        elif tag == "tr":
            hints = {"section": self.table_section}
            if attr.get("data-key"):
                hints["key"] = attr["data-key"]
            table.start_row(hints)
        elif tag in ("td", "th"):
            table.start_cell(_int(attr.get("rowspan")), _int(attr.get("colspan")))
        elif tag == "br" and table.text is not None:
            table.text.append("\n")

    def _hints_for(self, tag: str, attr: dict[str, str]) -> dict[str, str]:
        section = self.section_hints[-1] if self.section_hints else {}
        if tag == "h1":
            return {"role": "title"}
        if tag in ("h3", "h4") and "table" in section:
            hints = {"role": "table_title", "table": section["table"]}
            if section.get("instance"):
                hints["instance"] = section["instance"]
            return hints
        if tag == "h2":
            return {"role": "break"}  # a top-level heading: a part (第…部分) or the end of the parts
        if tag in ("h3", "h4", "h5", "h6"):
            return {"role": "heading"}
        if tag in ("p", "li", "dd", "blockquote", "pre"):
            return {"role": "paragraph"}
        return {}

    def _flush_block(self) -> None:
        if self.block is None:
            return
        text = "".join(self.block).strip()
        hints = dict(self.block_hints)
        if hints.get("role") == "break" and _PART.match(text):
            hints["role"] = "part"
        if text:
            self.lines.append(SourceLine([text], Location(line=self.getpos()[0]), exact=True, hints=hints))
        self.block = None
        self.block_tag = ""

    def _flush_table(self) -> None:
        table = self.table
        assert table is not None
        table.end_cell()
        for index, (cells, spans, hints) in enumerate(table.rows):
            where = Location(line=table.line, row=index + 1)
            self.lines.append(SourceLine(cells, where, exact=True, spans=spans, hints=hints))
        self.table = None
        self.table_section = "body"


def _int(text: str | None) -> int:
    try:
        return max(1, int(text or 1))
    except ValueError:
        return 1


def html_lines(text: str) -> list[SourceLine]:
    parser = _PageParser()
    parser.feed(text)
    parser.close()
    parser._flush_block()
    return parser.lines


_ATTACHMENT = re.compile(r"\.(?:pdf|docx?|xlsx?|wps|et|ofd|zip|rar|7z)(?:[?#].*)?$", re.IGNORECASE)


class _Attachments(HTMLParser):
    """The files a page links to (its 附件: a department's page that only announces its budget)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []  # (the link's words, its address)
        self.href: str | None = None
        self.words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            self.href, self.words = (href if _ATTACHMENT.search(href) else None), []

    def handle_data(self, data: str) -> None:
        if self.href is not None:
            self.words.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.href is not None:
            words = " ".join("".join(self.words).split())
            if (words, self.href) not in self.found:
                self.found.append((words, self.href))
            self.href = None


def linked_attachments(text: str) -> list[tuple[str, str]]:
    """(words, address) of each document file the page links to, in page order."""
    parser = _Attachments()
    parser.feed(text)
    parser.close()
    return parser.found


def _attachments_note(text: str) -> str:
    found = linked_attachments(text)
    if not found:
        return ""
    named = "；".join(f"{words}（{href}）" if words and words != href else href for words, href in found[:5])
    more = f" 等 {len(found)} 个" if len(found) > 5 else ""
    return (f"此页面链接了附件 {named}{more}，请下载附件后导入 "
            f"(the page links to {len(found)} attached file(s): download and import them)")


def read_html(path: str | Path) -> tuple[Disclosure, ImportReport]:
    text = decode(Path(path).read_bytes(), path)
    from deptbudget.importers.positioned import is_positioned, positioned_lines  # reads like a PDF page

    if is_positioned(text):  # a page converted from print: positioned text boxes, no table markup
        lines, pages = positioned_lines(text)
        if lines:
            return recover(lines, str(path), "html", pages)
    lines = html_lines(text)
    if not lines:
        raise EmptyDocumentError(path, _attachments_note(text))
    try:
        return recover(lines, str(path), "html")
    except NotABudgetError as error:
        note = _attachments_note(text)
        if not note or error.detail:
            raise
        raise NotABudgetError(path, note) from None

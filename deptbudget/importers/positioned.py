"""HTML pages laid out like a printed page: a document converted for the web as one ``<div
class="page">`` per page holding absolutely positioned text boxes (``<div class="p" style="top:…pt;
left:…pt;font-size:…pt">``), one per printed cell or line. There is no table markup: the boxes are
read like the words of a PDF page — lines by their top, cells by the gaps between them, tables by
the columns the lines share (``importers.pdf``)."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from deptbudget.importers.amounts import looks_like_amount
from deptbudget.importers.pdf import PrintedLine, layout_lines, printed_lines
from deptbudget.importers.source import SourceLine

_PAGE = re.compile(r'<div class="page"[^>]*>')
_BOX = re.compile(r'<div class="p" style="([^"]*)">(.*?)</div>', re.S)
_TAG = re.compile(r"<[^>]+>")
_PT = re.compile(r"(-?[\d.]+)pt")
WIDE = 1.0  # a CJK character is one em wide
NARROW = 0.5  # a digit or Latin letter about half an em
THIN = 0.25  # , . : and spaces
AMOUNT = 0.3  # an amount's width is underestimated: right-aligned in its cell, it must not touch the next one


def is_positioned(text: str) -> bool:
    """A page of positioned text boxes rather than flowing HTML."""
    return len(_PAGE.findall(text)) >= 2 and len(_BOX.findall(text, 0, 200_000)) >= 10


def _style(style: str) -> dict[str, float]:
    out = {}
    for item in style.split(";"):
        name, _, value = item.partition(":")
        match = _PT.fullmatch(value.strip())
        if match is not None:
            out[name.strip()] = float(match.group(1))
    return out


def _width(text: str, size: float) -> float:
    """The box's width, estimated from its characters (the page gives none)."""
    if looks_like_amount(text):
        return AMOUNT * size * len(text)
    return sum((WIDE if ord(ch) > 0x2000 else THIN if ch in ",.: " else NARROW) * size for ch in text)


def _words(page_html: str) -> list[dict[str, Any]]:
    words = []
    for style, inner in _BOX.findall(page_html):
        place = _style(style)
        text = unescape(_TAG.sub("", inner)).replace("\u3000", " ").strip()
        if not text or "top" not in place or "left" not in place:
            continue
        size = place.get("font-size", 10.0)
        x0, top = place["left"], place["top"]
        words.append({"text": text, "x0": x0, "x1": x0 + _width(text, size), "top": top, "bottom": top + size,
                      "size": size})
    return words


def positioned_lines(text: str) -> tuple[list[SourceLine], int]:
    """The document's lines, page by page, and its number of pages."""
    starts = [m.start() for m in _PAGE.finditer(text)]
    pages: list[list[tuple[float, SourceLine | PrintedLine]]] = []
    first_page: list[PrintedLine] = []
    for number, (start, end) in enumerate(zip(starts, [*starts[1:], len(text)], strict=True), 1):
        lines = printed_lines(words) if (words := _words(text[start:end])) else []
        if number == 1:
            first_page = lines
        pages.append([(line.top, line) for line in lines])
    return layout_lines(pages, first_page), len(pages)

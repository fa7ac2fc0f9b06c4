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
from deptbudget.importers.source import SourceLine, join_wrapped

_PAGE = re.compile(r'<div class="page"[^>]*>')
_BOX = re.compile(r'<div class="p" style="([^"]*)">(.*?)</div>', re.S)
_TAG = re.compile(r"<[^>]+>")
_PT = re.compile(r"(-?[\d.]+)pt")
WIDE = 1.0  # a CJK character is one em wide
NARROW = 0.5  # a digit or Latin letter about half an em
THIN = 0.25  # , . : and spaces
AMOUNT = 0.5  # an amount's digits, commas and point are each half an em (tabular figures)
BOX_GAP = 0.6  # × font size: a box is a cell of its own unless it nearly touches the previous one
TIGHT_GAP = 0.3  # × font size: the same for an amount (right-aligned, it may end close to the next cell) and
# for a cell wrapped over lines (its lines are the whole cell)
LETTER_GAP = 1.1  # × font size: for a box of one character (a label printed letter-spaced, 合　计, one em apart)
WRAPPED = 1.3  # × font size: lines of one cell wrapped in its row are at most this far apart


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


def _cell_gap(text: str) -> float:
    if looks_like_amount(text):
        return TIGHT_GAP
    return LETTER_GAP if len(text) == 1 and ord(text) > 0x2000 else BOX_GAP


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
                      "size": size, "cell_gap": _cell_gap(text)})
    return words


def _centre(word: dict[str, Any]) -> float:
    return (word["x0"] + word["x1"]) / 2


def _same_column(upper: dict[str, Any], lower: dict[str, Any]) -> bool:
    """The next line of one wrapped cell: same size, a line below, aligned left or centred alike."""
    step = lower["top"] - upper["top"]
    return (lower["size"] == upper["size"] and 0.5 * upper["size"] <= step <= WRAPPED * upper["size"]
            and (abs(lower["x0"] - upper["x0"]) <= 1.0 or abs(_centre(lower) - _centre(upper)) <= 1.0))


def unwrapped(words: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A cell wrapped over lines is printed centred on its row: its lines stand in one
    column, a line apart, and their middle is the top of the row's other boxes. Each such stack
    becomes one box at the row's top, so that the row is one printed line."""
    ordered = sorted(words, key=lambda w: (w["top"], w["x0"]))
    used: set[int] = set()
    out = []
    for i, word in enumerate(ordered):
        if i in used:
            continue
        stack = [i]
        for j in range(i + 1, len(ordered)):
            last = ordered[stack[-1]]
            if ordered[j]["top"] - last["top"] > WRAPPED * last["size"]:
                break
            if j not in used and _same_column(last, ordered[j]):
                stack.append(j)
        parts = [ordered[k] for k in stack]
        middle = (parts[0]["top"] + parts[-1]["top"]) / 2
        x0, x1 = min(p["x0"] for p in parts), max(p["x1"] for p in parts)
        row = [w for k, w in enumerate(ordered) if k not in stack and abs(w["top"] - middle) <= 0.3 * word["size"]
               and (w["x1"] <= x0 or w["x0"] >= x1)]
        if len(stack) == 1 or not row:
            out.append(word)
            continue
        used.update(stack)
        text = parts[0]["text"]
        for part in parts[1:]:
            text = join_wrapped(text, part["text"])
        out.append({**word, "text": text, "x0": x0, "x1": x1, "top": middle, "bottom": middle + word["size"],
                    "cell_gap": TIGHT_GAP})
    return out


def positioned_lines(text: str) -> tuple[list[SourceLine], int]:
    """The document's lines, page by page, and its number of pages."""
    starts = [m.start() for m in _PAGE.finditer(text)]
    pages: list[list[tuple[float, SourceLine | PrintedLine]]] = []
    first_page: list[PrintedLine] = []
    for number, (start, end) in enumerate(zip(starts, [*starts[1:], len(text)], strict=True), 1):
        lines = printed_lines(unwrapped(words)) if (words := _words(text[start:end])) else []
        if number == 1:
            first_page = lines
        pages.append([(line.top, line) for line in lines])
    return layout_lines(pages, first_page), len(pages)

"""The narrative parts (第一部分 … 第八部分): sections of a heading and its paragraphs.

A structured document says which line is a heading (``hints['role']``). In text laid out from
a page, a heading is a short line without closing punctuation (``一、主要职能``,
``“三公”经费财政拨款预算情况说明``), and a line that does not end a sentence continues on the
next line (a paragraph broken by a page end).
"""

from __future__ import annotations

import re

from deptbudget.importers.segment import PartLines, heading_part
from deptbudget.importers.source import SourceLine
from deptbudget.model.disclosure import Figure, Part, Section
from deptbudget.model.narrative_parts import standard_part
from deptbudget.model.narrative_reading import ENUM_LEAD, is_cjk
from deptbudget.model.narrative_text import extract_figures

MAX_HEADING = 40
_SENTENCE_END = tuple("。；！？：:;!?…）)”\"")
_FIGURE_IN_TEXT = re.compile(r"\d[\d,.]*\s*(?:万元|元|%)")


def is_heading(line: SourceLine) -> bool:
    """A section heading. A reader that sets the role from the type size calls a heading in body type a
    paragraph: a line that names a standard part ("二、收入预算情况说明") is a heading all the same."""
    role = line.hints.get("role")
    text = line.text
    if role == "paragraph":
        return heading_part(line) is not None
    if role is not None:
        return role == "heading"
    return (len(text) <= MAX_HEADING and not text.endswith(_SENTENCE_END) and not any(p in text for p in "，。；,;")
            and _FIGURE_IN_TEXT.search(text) is None)


# A heading that a reader joined to the paragraph after it: "三、支出预算情况说明2026年支出预算…", "六、名词解释基本
# 支出：指…".
_GLUED_HEADING = re.compile(r"^\s*((?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)"
                            r"(?:[^，。；,;：:\d]{2,30}?(?:情况说明|说明|情况|职责|职能|设置)|名词解释))(?=\S)")


def split_glued_heading(text: str) -> tuple[str, str] | None:
    """(heading, rest) when ``text`` starts with a numbered heading that names a standard part."""
    match = _GLUED_HEADING.match(text)
    if match is None or standard_part(match.group(1)) is None or not text[match.end():].strip("说明情况 "):
        return None
    return match.group(1).strip(), text[match.end():].strip()


_ITEM = re.compile(r"^\s*(?:(?P<paren>[（(])(?P<p>[一二三四五六七八九十]+|\d+)[)）]|(?P<c>[一二三四五六七八九十]+)、"
                   r"|(?P<d>\d+)[.．、])")
_CN_NUMBERS = {c: i for i, c in enumerate("一二三四五六七八九十", 1)}


def _item_number(text: str) -> tuple[str, int] | None:
    """(style, number) of a numbered item: "（三）…" → ("（）", 3), "2.…" → (".", 2)."""
    match = _ITEM.match(text)
    if match is None:
        return None
    if match["paren"]:
        style, number = "（）", match["p"]
    else:
        style, number = ("、", match["c"]) if match["c"] else (".", match["d"])
    if number.isdigit():
        return style, int(number)
    value = 0
    for char in number:  # 一 … 九十九
        digit = _CN_NUMBERS[char]
        value = value * digit if digit == 10 and value else value + digit
    return style, value


def _next_item(section: Section, text: str) -> bool:
    """``text`` is the next item of the numbered list the section's last paragraph belongs to: a duty
    "（三）向市委审计委员会提出年度市级预算执行情况" whose line a page break ended, not a heading."""
    if not section.paragraphs or len(text.strip()) < 20:
        return False
    previous, this = _item_number(section.paragraphs[-1]), _item_number(text)
    return previous is not None and this is not None and previous[0] == this[0] and this[1] == previous[1] + 1


_OPEN_MARKS = "（(“‘《、，,"
_CLOSE_MARKS = "）)”’》"


def _cut_off(paragraphs: list[str], text: str) -> bool:
    """A printed paragraph that a page break cut mid-word ("…资源勘探工业信息等" | "支出27.4万元，…"): the
    one before stops on a character, long, and this one starts with a character, not an item of a list."""
    if not paragraphs or not text:
        return False
    last = paragraphs[-1].rstrip()
    first = text.lstrip()[0]
    return (len(last) >= 20 and (is_cjk(last[-1]) or last[-1] in _OPEN_MARKS + _CLOSE_MARKS)
            and (is_cjk(first) or first.isdigit() or first in _CLOSE_MARKS)
            and ENUM_LEAD.match(text.lstrip()) is None)


def _join(left: str, right: str) -> str:
    if left and right and (left[-1].isascii() and left[-1].isalnum() or right[0].isascii() and right[0].isalnum()):
        return f"{left} {right}"
    return left + right


def paragraphs_of(lines: list[SourceLine]) -> list[Section]:
    sections: list[Section] = [Section("")]
    pending = ""
    pending_page: int | None = None

    def add(text: str, page: int | None) -> None:
        sections[-1].paragraphs.append(text)
        sections[-1].pages.append(page)

    def flush() -> None:
        nonlocal pending
        if pending:
            add(pending, pending_page)
            pending = ""

    for line in lines:
        text = line.text
        page = line.where.page
        if is_heading(line) and not (line.hints.get("role") == "paragraph" and _next_item(sections[-1], text)):
            flush()
            sections.append(Section(text))
            continue
        glued = split_glued_heading(text) if line.hints.get("role") == "paragraph" else None
        if glued is not None:
            flush()
            sections.append(Section(glued[0]))
            text = glued[1]
        if line.exact or line.hints.get("role") == "paragraph":
            flush()
            if line.hints.get("role") == "paragraph" and _cut_off(sections[-1].paragraphs, text):
                sections[-1].paragraphs[-1] = _join(sections[-1].paragraphs[-1], text)
            else:
                add(text, page)
            continue
        if not pending:
            pending_page = page
        pending = _join(pending, text)
        if text.endswith(_SENTENCE_END):
            flush()
    flush()
    return [s for s in sections if s.heading or s.paragraphs]


def build_parts(parts: list[PartLines]) -> list[Part]:
    return [Part(p.number, p.title, paragraphs_of(p.lines)) for p in parts]


def read_narrative(parts: list[PartLines], final: bool = False) -> tuple[list[Part], dict[str, Figure]]:
    """The parts of a document and the figures their text states (``final``: final accounts, whose figures are
    keyed by phase)."""
    built = build_parts(parts)
    return built, extract_figures(built, phases=final)

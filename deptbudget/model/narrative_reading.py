"""Reading a narrative: the primitives shared by the figure extraction and the text rules.

Whitespace normalisation, paragraphs (a paragraph cut mid-sentence by a page break joined to the next),
sentences, printed numbers with their unit, the words of a direction (增加 / 减少). ``read_paragraphs``
and ``read_headings`` give each paragraph and heading of a Disclosure with its place; a rule passes its
context (anything with ``remember(key, compute)``) to read them once per check.

Pure: reads the model, imports nothing outside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from deptbudget.model.disclosure import Disclosure

_WS = re.compile(r"\s+")
# A paragraph that stops on these (page break mid-sentence) continues in the next one.
OPEN_END = frozenset("0123456789，,、")
SENTENCE_END = "。！？"
_CLOSERS = "”’）)」』"
_PART_LABEL = re.compile(r"^(第[一二三四五六七八九十]+部分)")
_CN_DIGITS = "一二三四五六七八九十"

UP_WORDS = ("增加", "增长", "上升", "提高")
DOWN_WORDS = ("减少", "下降", "降低", "下滑")
UP = (*UP_WORDS, "增")
DOWN = (*DOWN_WORDS, "减")
DIRECTION = "|".join((*UP_WORDS, *DOWN_WORDS))
# A printed number; separators may be misplaced ("1,7144.13"): the digits count.
NUMBER = r"[-－]?\d+(?:[,，]\d+)*(?:\.\d+)?"
# An enumeration mark that opens an item: "（一）", "一、", "1." (not "1.5").
ENUM_LEAD = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[.．、](?!\d))")
_ENUM_NUMBER = re.compile(r"^(?:(?P<digits>\d+)[.．、](?!\d)|[（(](?P<paren>\d+)[)）]"
                          r"|[（(](?P<cn_paren>[一二三四五六七八九十]+)[)）]|(?P<cn>[一二三四五六七八九十]+)、)")


def enumeration(text: str) -> int | None:
    """The number of the enumeration mark an item opens with: "3.编外人员…" → 3, "（8）…" → 8, "二、…" → 2;
    None without one."""
    match = _ENUM_NUMBER.match(text)
    if match is None or match.lastgroup is None:
        return None
    shown = match[match.lastgroup]
    return int(shown) if shown.isdigit() else _cn_number(shown)


def _cn_number(text: str) -> int:
    """一 … 九十九 → 1 … 99."""
    if "十" not in text:
        return _CN_DIGITS.index(text) + 1 if text in _CN_DIGITS else 0
    tens, _, units = text.partition("十")
    return (_CN_DIGITS.index(tens) + 1 if tens else 1) * 10 + (_CN_DIGITS.index(units) + 1 if units else 0)


# An item's title before its first full stop: "2. 公务接待费。2020 年预算数…" (belongs to the sentence after it).
SUBJECT_RE = re.compile(r"^(?:\d+[.．、]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)\s*"
                        r"(?P<subject>[^。，,：:；;\d]{2,30}?)[。：:]")
# Words between a figure's name and an amount that name something else, so that the amount is not the
# figure's: an item of a list (①, 2.), a classification code ((301),
# (2013201)), another item the figure pays for ("一般公共预算拨款安排的培训费预算支出43万元").
OTHER_ITEM = re.compile(r"[①-⑳]|[（(]\d{3,}[)）]|(?<![\d.])\d{1,2}[.．、](?!\d)"
                        r"|的[\u4e00-\u9fff]{0,12}?(?:费|支出|资金)")
# The end of a clause (not a thousands separator): a fund named in a clause narrows the figures named
# after it up to here.
_CLAUSE_END = re.compile(r"[，；;。]|,(?!\d)")


def clause_start(text: str, position: int) -> int:
    """Where the clause around ``position`` begins (after the last clause end before it)."""
    ends = [m.end() for m in _CLAUSE_END.finditer(text, 0, position)]
    return ends[-1] if ends else 0


class Memo(Protocol):
    def remember(self, key: str, compute: Callable[[], Any]) -> Any: ...


def normalize(text: str, *, digits_apart: bool = True) -> str:
    """Whitespace removed, except one space between two ASCII letters ("梧桐 AI 小镇" stays readable).

    ``digits_apart``: digits are words too ("GDP 3"); False joins them ("1 234.50" → "1234.50", a number
    that a line break cut).
    """
    if _WS.search(text) is None:
        return text

    def word(char: str) -> bool:
        return char.isascii() and (char.isalnum() if digits_apart else char.isalpha())

    out = ""
    for piece in _WS.split(text.strip()):
        if not piece:
            continue
        if out and word(out[-1]) and word(piece[0]):
            out += " "
        out += piece
    return out


def joined_paragraphs(paragraphs: Sequence[str], *, digits_apart: bool = True) -> Iterator[tuple[int, str]]:
    """(index of the first paragraph, normalised text) for each line of a section; a line that stops
    mid-sentence (page break) joined to the next one."""
    pending: tuple[int, str] | None = None
    for index, raw in enumerate(paragraphs):
        for line in raw.split("\n"):
            text = normalize(line, digits_apart=digits_apart)
            if not text:
                continue
            pending = (pending[0], pending[1] + text) if pending else (index, text)
            if text[-1] not in OPEN_END:
                yield pending
                pending = None
    if pending is not None:
        yield pending


def sentence_span(text: str, position: int, marks: str = SENTENCE_END, *, whole: bool = True) -> tuple[int, int]:
    """The sentence around ``position``: from after the previous full stop (one of ``marks``) to its own
    (inclusive). ``whole``: an item's title before the first full stop ("2. 公务接待费。") and a closing
    quote or bracket after the last belong to the sentence."""
    start = max(text.rfind(mark, 0, position) for mark in marks) + 1
    if start and whole:
        subject = SUBJECT_RE.match(text)
        if subject is not None and subject.end() == start:
            start = 0
    ends = [i for i in (text.find(mark, position) for mark in marks) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    while whole and end < len(text) and text[end] in _CLOSERS:
        end += 1
    return start, end


def sentence_at(text: str, position: int, marks: str = SENTENCE_END, *, whole: bool = True) -> str:
    start, end = sentence_span(text, position, marks, whole=whole)
    return text[start:end]


def parse_number(text: str) -> Decimal | None:
    """The digits of a printed number: "17,144.13" → 17144.13, "1,7144.13" → 17144.13; None if none."""
    try:
        return Decimal(text.replace(",", "").replace("，", "").replace("－", "-"))
    except InvalidOperation:
        return None


def decimals(text: str) -> int:
    return len(text.rsplit(".", 1)[1]) if "." in text else 0


def half_unit(text: str) -> Decimal:
    """Half a unit of the last printed digit: "2.67" → 0.005, "5" → 0.5."""
    return Decimal(5) / (Decimal(10) ** (decimals(text) + 1))


def is_cjk(char: str) -> bool:
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2FFFF


def part_label(number: int, title: str) -> str:
    """第七部分: from the title when it says so, else from the number."""
    match = _PART_LABEL.match(normalize(title))
    if match:
        return match.group(1)
    if 1 <= number <= 10:
        return f"第{_CN_DIGITS[number - 1]}部分"
    return f"第{number}部分"


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the narrative, normalised, with where it stands."""

    part: int
    part_label: str  # 第七部分
    part_title: str
    section: int
    heading: str
    index: int  # paragraph index in its section (the first one, when joined)
    text: str
    page: int | None = None  # the page it starts on, where the document has pages

    @property
    def row(self) -> str:
        where = f"第{self.index + 1}段"
        return f"{self.heading} {where}" if self.heading else where


@dataclass(frozen=True)
class Heading:
    """A part title or a section heading (rules on wording, years and punctuation read these too)."""

    part: int
    part_label: str
    row: str
    text: str


def read_paragraphs(disclosure: Disclosure) -> list[Paragraph]:
    """Every paragraph of the parts, a paragraph cut mid-sentence (page break) joined to the next."""
    out: list[Paragraph] = []
    for part in disclosure.parts:
        label = part_label(part.number, part.title)
        title = normalize(part.title)
        for s_index, section in enumerate(part.sections):
            heading = normalize(section.heading)
            for index, text in joined_paragraphs(section.paragraphs):
                page = section.pages[index] if index < len(section.pages) else None
                out.append(Paragraph(part.number, label, title, s_index, heading, index, text, page))
    return out


def read_headings(disclosure: Disclosure) -> list[Heading]:
    out: list[Heading] = []
    for part in disclosure.parts:
        label = part_label(part.number, part.title)
        if part.title.strip():
            out.append(Heading(part.number, label, "部分标题", normalize(part.title)))
        for section in part.sections:
            if section.heading.strip():
                heading = normalize(section.heading)
                out.append(Heading(part.number, label, f"{heading}（标题）", heading))
    return out


def paragraphs(disclosure: Disclosure, memo: Memo | None = None) -> list[Paragraph]:
    if memo is None:
        return read_paragraphs(disclosure)
    return memo.remember("text.paragraphs", lambda: read_paragraphs(disclosure))


def headings(disclosure: Disclosure, memo: Memo | None = None) -> list[Heading]:
    if memo is None:
        return read_headings(disclosure)
    return memo.remember("text.headings", lambda: read_headings(disclosure))

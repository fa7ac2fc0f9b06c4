"""The figures a narrative states, read back from its text.

``extract_figures(parts)`` reads the sentences of 第二 … 第七部分 and returns the amounts and
percentages they state, keyed as in ``docs/disclosure-conventions.md`` (``income.total``,
``income.change`` signed by 增加/减少, ``expenditure.personnel``, ``group.<name>``,
``three_public.reception.change``, ``admin_operating.change_pct`` …). ``find_mentions(parts)``
gives every occurrence with its place (part, section, paragraph, sentence), so that a rule can
check each sentence, not only the first one that states a figure.

Robust to the variants of published text: spaces anywhere (``410.00 万元``), half- and
full-width punctuation, thousands separators (``17,144.13``; a misprint such as ``1,7144.13``
keeps its text and parses to its digits), a sentence broken over two paragraphs by a page break.
Pure: reads ``Part``s, imports nothing outside the model.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from decimal import Decimal

from deptbudget.model.budget import FUND_SOURCE_LABELS
from deptbudget.model.disclosure import Figure, Part

# A stated figure: a number followed by 万元 or %. The number may carry (even misplaced) separators.
_FIGURE_RE = re.compile(r"(?P<num>[-－]?\d+(?:[,，]\d+)*(?:\.\d+)?)(?P<unit>万元|%|％)")
_WS_RE = re.compile(r"\s+")
# A paragraph that stops mid-sentence (page break): joined to the next one.
_OPEN_END = set("0123456789，,、")
_UP = ("增加", "增长", "上升", "提高")
_DOWN = ("减少", "下降", "降低", "下滑")
_CHANGE_RE = re.compile(
    r"(?:比|较)(?:上年|去年|上一年度|\d{4}年)?.*?(?P<dir>增加|增长|上升|提高|减少|下降|降低|下滑)了?$")
_PCT_RE = re.compile(r"(?P<dir>增加|增长|上升|提高|减少|下降|降低|下滑)(?:了|幅度为|幅度|率为)?$")
_FLAT_RE = re.compile(r"持平")
_GROUPS_LEAD_RE = re.compile(r"(?:具体)?包括[:：]?$")
_ENUM_RE = re.compile(r"^(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[.、．])")


@dataclass(frozen=True)
class Cue:
    pattern: str
    key: str  # figure key stated right after the cue
    base: str  # what a following change / growth rate refers to


def _cues(*items: tuple[str, str, str]) -> tuple[re.Pattern[str], dict[int, Cue]]:
    """One alternation (longest phrases first), group i ↔ cue i."""
    cues = [Cue(*item) for item in items]
    regex = "|".join(f"(?P<c{i}>{cue.pattern})" for i, cue in enumerate(cues))
    return re.compile(regex), dict(enumerate(cues))


_FUND_CUES = tuple(
    (re.escape(label), f"income.{source.value}", f"income.{source.value}")
    for source, label in sorted(FUND_SOURCE_LABELS.items(), key=lambda item: -len(item[1]))
)

_BUDGET_CUES = _cues(
    ("部门预算收入|预算收入|收入预算|收入总计|收入合计", "income.total", "income"),
    ("部门预算支出|预算支出|支出预算|支出总计|支出合计", "expenditure.total", "expenditure"),
    ("人员支出|人员经费", "expenditure.personnel", "expenditure.personnel"),
    ("公用支出|公用经费", "expenditure.operating", "expenditure.operating"),
    ("对个人和家庭的?补助(?:支出)?", "expenditure.transfers", "expenditure.transfers"),
    ("项目支出", "expenditure.project", "expenditure.project"),
    ("基本支出", "expenditure.basic", "expenditure.basic"),
    ("财政预算拨款|财政拨款收入|财政拨款", "income.fiscal", "income.fiscal"),
    ("一般公共预算拨款", "income.general_budget", "income.general_budget"),
    *_FUND_CUES,
)
_THREE_PUBLIC_CUES = _cues(
    ("[“\"]?三公[”\"]?经费(?:财政拨款)?(?:预算)?", "three_public.total", "three_public.total"),
    ("因公出国[(（]境[)）](?:经)?费(?:用)?", "three_public.overseas", "three_public.overseas"),
    ("公务接待费(?:用)?", "three_public.reception", "three_public.reception"),
    ("公务用车购置(?:和|及)运行(?:维护)?费(?:用)?", "three_public.vehicles", "three_public.vehicles"),
    ("公务用车购置费(?:用)?", "three_public.vehicle_purchase", "three_public.vehicle_purchase"),
    ("公务用车运行(?:维护)?费(?:用)?", "three_public.vehicle_operation", "three_public.vehicle_operation"),
)
_PROCUREMENT_CUES = _cues(
    ("一年采购指标", "procurement.annual", "procurement.annual"),
    ("实际指标", "procurement.amount", "procurement.amount"),
)
_ADMIN_CUES = _cues(("机关运行经费", "admin_operating.total", "admin_operating"))

# part number → cues read in that part
_PART_CUES = {2: _BUDGET_CUES, 3: _BUDGET_CUES, 4: _PROCUREMENT_CUES, 5: _THREE_PUBLIC_CUES, 7: _ADMIN_CUES}
_NO_PROCUREMENT_RE = re.compile(r"无政府采购")


@dataclass(frozen=True)
class Mention:
    """One figure stated in the text: what it refers to, its value and where it stands."""

    key: str
    value: Decimal  # signed for changes (增加 +, 减少 −)
    text: str  # the number as printed ("17,144.13", "1.77"), "" for 持平 / 无
    unit: str  # 万元 / %
    part: int  # part number 1 … 8
    section: int  # index of the section in the part
    paragraph: int  # index of the (first) paragraph in the section
    sentence: str  # the sentence, whitespace removed

    @property
    def source(self) -> str:
        return f"parts[{self.part}].sections[{self.section}].paragraphs[{self.paragraph}]"

    @property
    def where(self) -> str:
        return f"第{self.paragraph + 1}段"


def normalize(text: str) -> str:
    """Whitespace removed except between two ASCII letters/digits ("梧桐 AI 小镇" → "梧桐AI小镇")."""
    out: list[str] = []
    pieces = _WS_RE.split(text.strip())
    for index, piece in enumerate(pieces):
        if index and out and piece and out[-1][-1:].isascii() and out[-1][-1:].isalpha() and piece[0].isascii() \
                and piece[0].isalpha():
            out.append(" ")
        out.append(piece)
    return "".join(out)


def parse_number(text: str) -> Decimal:
    """Digits of a printed number: "17,144.13" → 17144.13, "1,7144.13" → 17144.13."""
    return Decimal(text.replace(",", "").replace("，", "").replace("－", "-"))


def _paragraphs(part: Part) -> Iterator[tuple[int, int, str]]:
    """(section index, paragraph index, normalized text), a paragraph cut by a page break joined."""
    for s_index, section in enumerate(part.sections):
        pending: tuple[int, str] | None = None
        for p_index, paragraph in enumerate(section.paragraphs):
            text = normalize(paragraph)
            if not text:
                continue
            if pending is not None:
                pending = (pending[0], pending[1] + text)
            else:
                pending = (p_index, text)
            if text[-1] not in _OPEN_END:
                yield s_index, pending[0], pending[1]
                pending = None
        if pending is not None:
            yield s_index, pending[0], pending[1]


def _sentence_at(text: str, position: int) -> str:
    start = max(text.rfind("。", 0, position), text.rfind("\n", 0, position)) + 1
    end = text.find("。", position)
    return text[start:] if end < 0 else text[start:end + 1]


def _signed(value: Decimal, word: str) -> Decimal:
    return -value if word in _DOWN else value


def _read_paragraph(
    text: str, cues: tuple[re.Pattern[str], dict[int, Cue]], place: tuple[int, int, int]
) -> Iterator[Mention]:
    """Walk the paragraph figure by figure; the text before each figure says what it is."""
    regex, table = cues
    part, section, paragraph = place
    topic: Cue | None = None
    position = 0

    def mention(key: str, value: Decimal, shown: str, unit: str, at: int) -> Mention:
        return Mention(key, value, shown, unit, part, section, paragraph, _sentence_at(text, at))

    def scan(segment: str, offset: int) -> tuple[Cue | None, list[Mention]]:
        """Cues and 持平 in a stretch of text, in order; returns the last cue of the stretch."""
        nonlocal topic
        last: Cue | None = None
        flat: list[Mention] = []
        events = [(m.start(), "cue", m) for m in regex.finditer(segment)]
        events += [(m.start(), "flat", m) for m in _FLAT_RE.finditer(segment)]
        for _, kind, match in sorted(events, key=lambda e: e[0]):
            if kind == "cue":
                index = int(match.lastgroup[1:]) if match.lastgroup else -1
                last = topic = table[index]
            elif topic is not None:
                flat.append(mention(f"{_change_base(topic)}.change", Decimal(0), "", "万元", offset + match.start()))
        return last, flat

    for match in _FIGURE_RE.finditer(text):
        segment = text[position:match.start()]
        cue, flat = scan(segment, position)
        yield from flat
        position = match.end()
        shown, unit = match["num"], "%" if match["unit"] in "%％" else "万元"
        try:
            value = parse_number(shown)
        except ArithmeticError:
            continue
        tail = segment[-12:]
        if unit == "%":
            pct = _PCT_RE.search(tail)
            if pct and topic is not None:
                key = f"{_change_base(topic)}.change_pct"
                yield mention(key, _signed(value, pct["dir"]), shown, "%", match.start())
            continue
        change = _CHANGE_RE.search(segment[-30:])
        if change and topic is not None:
            yield mention(f"{_change_base(topic)}.change", _signed(value, change["dir"]), shown, unit, match.start())
        elif cue is not None:
            yield mention(cue.key, value, shown, unit, match.start())
        elif topic is not None and "预算数" in segment:
            yield mention(topic.key, value, shown, unit, match.start())
        elif part == 3 and segment.endswith("预算") and topic is None:
            topic = table[1]
            yield mention("expenditure.total", value, shown, unit, match.start())
    _, flat = scan(text[position:], position)
    yield from flat


def _change_base(cue: Cue) -> str:
    return cue.base


def _group_mentions(text: str, place: tuple[int, int, int], names: Collection[str]) -> Iterator[Mention]:
    """A project group of 第三部分 (四): "<name>X万元，主要用于…".

    A name that ends in digits glued to the amount ("业务类项目2" + "15,679.86") is ambiguous; a known name
    (``names``) settles it, else digits beyond a well-formed first group of three go to the name.
    """
    known = next((n for n in sorted(names, key=len, reverse=True) if text.startswith(n)), None)
    start = 0
    if known is not None:
        start = len(known)
    match = _FIGURE_RE.search(text, start)
    if match is None or match["unit"] != "万元":
        return
    number, begin = match["num"], match.start()
    if known is None:
        head = re.match(r"\d+", number)
        if head and len(head.group()) > 3 and re.fullmatch(r"\d+(?:[,，]\d{3})+(?:\.\d+)?", number):
            cut = len(head.group()) - 3
            number, begin = number[cut:], begin + cut
    name = known or _ENUM_RE.sub("", text[:begin]).strip("，,:：、 ")
    if not name or any(ch in name for ch in "，,。；;："):
        return
    part, section, paragraph = place
    yield Mention(f"group.{name}", parse_number(number), number, "万元", part, section, paragraph,
                  _sentence_at(text, begin))


def find_mentions(parts: list[Part], group_names: Collection[str] = ()) -> list[Mention]:
    """Every figure the narrative states, in reading order. ``group_names``: the project groups, when known
    (they settle a name that ends in digits glued to its amount)."""
    names = [normalize(n) for n in group_names]
    out: list[Mention] = []
    for part in parts:
        cues = _PART_CUES.get(part.number)
        if cues is None:
            continue
        in_groups = False
        for section, paragraph, text in _paragraphs(part):
            place = (part.number, section, paragraph)
            if in_groups:
                out.extend(_group_mentions(text, place, names))
                continue
            mentions = list(_read_paragraph(text, cues, place))
            out.extend(mentions)
            if part.number == 4 and not mentions and _NO_PROCUREMENT_RE.search(text):
                sentence = _sentence_at(text, _NO_PROCUREMENT_RE.search(text).start())  # type: ignore[union-attr]
                for key in ("procurement.amount", "procurement.annual"):
                    out.append(Mention(key, Decimal(0), "", "万元", part.number, section, paragraph, sentence))
            if part.number == 3 and _GROUPS_LEAD_RE.search(text) and any(
                    m.key == "expenditure.project" for m in mentions):
                in_groups = True
    return out


def extract_figures(parts: list[Part], group_names: Collection[str] = ()) -> dict[str, Figure]:
    """The figures the narrative states, keyed as in the disclosure conventions (first statement wins)."""
    figures: dict[str, Figure] = {}
    for mention in find_mentions(parts, group_names):
        if mention.key not in figures:
            figures[mention.key] = Figure(mention.key, mention.value, mention.text, mention.unit, (mention.source,))
    return figures

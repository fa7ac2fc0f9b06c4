"""The quantities a narrative paragraph states: amounts (万元) and rates, each with its role, direction
and referent.

``quantities(paragraph, ...)`` gives each amount and percentage a paragraph states, with its role (the
figure itself, a last-year figure, a change, a growth rate), its direction (增加 +1 / 减少 −1 / 持平 0)
and what it refers to: the words before it, and the key of a standard figure (``three_public.reception``)
when those words name one in the figures vocabulary. Read by the text rules and the review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from deptbudget.model.disclosure import Disclosure
from deptbudget.model.figures_vocabulary import figures_vocabulary
from deptbudget.model.narrative_reading import (
    DIRECTION,
    DOWN,
    ENUM_LEAD,
    NUMBER,
    SUBJECT_RE,
    UP,
    Memo,
    Paragraph,
    paragraphs,
    parse_number,
    sentence_span,
)

# A number with its unit.
QTY_RE = re.compile(rf"(?<![\d.])(?P<num>{NUMBER})\s*(?P<unit>万元|亿元|元|%|％|个百分点)")
_THRESHOLD_AFTER = re.compile(r"^(?:（含）|\(含\))?(?:及?以上|及?以下|以内|起)")
_THRESHOLD_BEFORE = re.compile(r"(?:单价|单位价值|价值|标准)$")
_FLAT_RE = re.compile(r"(?:与|和|同|较|比)(?:上年|去年|上一年度?|\d{4}年度?)(?:相比)?(?:基本)?持平")
_DELIMS = "，,；;。：:、！？!?"
_SOFT_DELIMS = re.compile(r"(?:具体包括|包括|其中|分别为|分别是)")
_YEAR = re.compile(r"\d{4}年度?")
_SELF = re.compile(r"^(?:本部门|本单位|我局|我单位|我部门|我委|我办|全局|部门|单位)")
_LEAD_FILLER = re.compile(r"^(?:其中|包括|具体包括|主要|另|此外|因此|据此|各单位|全年|本年|当年|年度|共|合计)+")
_TAIL_FILLER = re.compile(r"(?:预算数为|预算数是|预算数|执行数|决算数|实际数|预算安排|安排|预计|共计|合计|总计为|"
                          r"为|是|约|达到|达|共|了|的)+$")
_TO_RE = re.compile(rf"(?:{DIRECTION})(?:到|至)$|(?:增至|减至|降至|升至)$")
_CHANGE_TAIL = re.compile(rf"(?P<dir>{DIRECTION}|增|减)(?:了|幅度为|幅度|率为|为|约|达)?$")
_FROM_RE = re.compile(r"(?:由|从)$")
_COMPARE_RE = re.compile(r"(?:比|较|同比|相比)")
# Standard figures: the first whose patterns match a referent names it (the vocabulary lists specific first).
_CANON = tuple((f.key, re.compile(f.referent_pattern)) for f in figures_vocabulary().figures)
# Words that do not change what a figure is ("各单位因公出国（境）经费" is 因公出国（境）经费).
_GENERIC = re.compile(r"因此|据此|各单位|本部门|本单位|部门|单位|财政拨款|一般公共预算|预算数|预算|年度|全年|本年|当年|"
                      r"[“”\"]|的|安排|其中")


def sentence_index(text: str, position: int) -> int:
    return sentence_span(text, position)[0]


@dataclass(frozen=True)
class Quantity:
    """A figure the text states, what it is and what it refers to.

    ``role``: ``current`` (the figure itself), ``previous`` (last year's, "比上年的 X 万元", "由 X 万元"),
    ``change`` (比上年增加 X 万元; 持平 → 0), ``pct`` (增长 X%), ``share`` (占 … X%), ``point`` (个百分点).
    ``topic`` is the index of the current (or previous) figure a change or rate refers to.
    """

    index: int
    start: int
    end: int
    text: str  # the number as printed, "" for 持平
    value: Decimal  # 万元 for amounts, percent for rates (unsigned; ``direction`` gives the sign)
    unit: str  # 万元 / % / pp
    role: str
    direction: int  # +1 增加, −1 减少, 0 持平 or none
    referent: str
    key: str | None
    qualifier: str
    topic: int | None
    sentence_start: int
    threshold: bool = False  # "单价 50 万元以上": a limit, not a figure
    to: bool = False  # "增加到 Y 万元"
    share_of: str = ""  # 占 <what>

    @property
    def signed(self) -> Decimal:
        return self.value * (-1 if self.direction < 0 else 1)


def canonical(referent: str) -> tuple[str | None, str]:
    """(canonical key, qualifier): the words of the referent that are not the canonical phrase or generic."""
    for key, regex in _CANON:
        match = regex.search(referent)
        if match:
            rest = referent[:match.start()] + referent[match.end():]
            return key, _GENERIC.sub("", rest)
    return None, ""


def subject_of(text: str) -> str:
    """The item a numbered paragraph is about: "2. 公务接待费。2020 年预算数 …" → 公务接待费."""
    match = SUBJECT_RE.match(text)
    return match.group("subject") if match else ""


def _clause_prefix(text: str, start: int, floor: int) -> str:
    cut = max(text.rfind(mark, floor, start) for mark in _DELIMS)
    begin = max(cut + 1, floor)
    prefix = text[begin:start]
    soft = list(_SOFT_DELIMS.finditer(prefix))
    if soft:
        prefix = prefix[soft[-1].end():]
    return prefix.strip()


def clean_referent(prefix: str, unit_name: str) -> str:
    text = ENUM_LEAD.sub("", prefix)
    text = _YEAR.sub("", text)
    if unit_name:
        text = text.replace(unit_name, "")
    text = _SELF.sub("", text)
    text = _LEAD_FILLER.sub("", text)
    text = _TAIL_FILLER.sub("", text)
    text = _LEAD_FILLER.sub("", text)
    return re.sub(r"[“”\"]", "", text).strip("，,、 ")


def quantities(paragraph: Paragraph, unit_name: str, fiscal_year: int) -> list[Quantity]:
    """Every amount and rate the paragraph states, in order, with its role and referent."""
    text = paragraph.text
    subject = subject_of(text)
    last_year = re.compile(rf"上年|去年|上一年|{fiscal_year - 1}年")
    events: list[tuple[int, int, re.Match[str] | None]] = [(m.start(), m.end(), m) for m in QTY_RE.finditer(text)]
    events += [(m.start(), m.end(), None) for m in _FLAT_RE.finditer(text)]
    events.sort(key=lambda e: e[0])
    out: list[Quantity] = []
    topic: Quantity | None = None
    floor = 0
    for start, end, match in events:
        s_start = sentence_index(text, start)
        if topic is not None and topic.sentence_start != s_start and topic.role == "previous":
            topic = None
        prefix = _clause_prefix(text, start, floor)
        floor = end
        index = len(out)
        if match is None:  # 与上年持平
            if topic is not None:
                out.append(Quantity(index, start, end, "", Decimal(0), "万元", "change", 0, topic.referent, topic.key,
                                    topic.qualifier, topic.index, s_start))
            continue
        shown, unit = match["num"], match["unit"]
        value = parse_number(shown)
        if value is None:
            continue
        after = text[end:end + 6]
        threshold = bool(_THRESHOLD_AFTER.match(after) or _THRESHOLD_BEFORE.search(prefix))
        if unit in ("%", "％", "个百分点"):
            out.append(_rate(index, start, end, shown, value, unit, prefix, topic, s_start, threshold))
            continue
        if unit == "元":
            value = value / 10000
        elif unit == "亿元":
            value = value * 10000
        tail = _CHANGE_TAIL.search(prefix)
        if _TO_RE.search(prefix):
            direction = 1 if any(word in prefix[-4:] for word in UP) else -1
            referent = topic.referent if topic is not None else clean_referent(prefix, unit_name)
            key, qualifier = (topic.key, topic.qualifier) if topic is not None else canonical(referent)
            quantity = Quantity(index, start, end, shown, value, "万元", "current", direction, referent, key,
                                qualifier, topic.index if topic is not None else None, s_start, threshold, to=True)
            out.append(quantity)
            topic = quantity
            continue
        if tail and not threshold:
            named = _named_subject(prefix, unit_name)
            if named:  # "“三公”经费预算比 2019 年减少 …": the change of a figure named in the clause
                topic = _find_figure(out, named)
            if topic is None:
                out.append(Quantity(index, start, end, shown, value, "万元", "change",
                                    -1 if tail["dir"] in DOWN else 1, named, None, "", None, s_start))
                continue
            direction = -1 if tail["dir"] in DOWN else 1
            out.append(Quantity(index, start, end, shown, value, "万元", "change", direction, topic.referent,
                                topic.key, topic.qualifier, topic.index, s_start))
            continue
        role = "current"
        stripped = _TAIL_FILLER.sub("", prefix)
        if _FROM_RE.search(stripped):
            role = "previous"
            stripped = stripped[:-1]
        elif (_COMPARE_RE.search(prefix) or last_year.search(prefix)) and "截至" not in prefix:
            role = "previous"
        referent = clean_referent(_COMPARE_RE.sub("", last_year.sub("", stripped)), unit_name)
        if not referent:
            if role == "previous" and topic is not None:
                referent = topic.referent
            elif subject and (topic is None or topic.sentence_start != s_start):
                referent = subject
            elif topic is not None:
                referent = topic.referent
        key, qualifier = canonical(referent) if referent else (None, "")
        base = topic.index if role == "previous" and topic is not None and referent == topic.referent else None
        quantity = Quantity(index, start, end, shown, value, "万元", role, 0, referent, key, qualifier, base,
                            s_start, threshold)
        out.append(quantity)
        if not threshold and base is None:
            topic = quantity
    return out


def _named_subject(prefix: str, unit_name: str) -> str:
    """The figure a change names before its comparison: "“三公”经费预算比2019年减少" → 三公经费预算."""
    match = _COMPARE_RE.search(prefix)
    if match is None or match.start() == 0:
        return ""
    return clean_referent(prefix[:match.start()], unit_name)


def _find_figure(found: list[Quantity], named: str) -> Quantity | None:
    """The latest figure of the paragraph that ``named`` refers to."""
    key, qualifier = canonical(named)
    for q in reversed(found):
        if q.role != "current" or q.threshold:
            continue
        if (key is not None and q.key == key and q.qualifier == qualifier) or q.referent == named:
            return q
    return None


def _rate(index: int, start: int, end: int, shown: str, value: Decimal, unit: str, prefix: str,
          topic: Quantity | None, s_start: int, threshold: bool) -> Quantity:
    tail = _CHANGE_TAIL.search(prefix)
    share = prefix.rfind("占")
    referent = topic.referent if topic is not None else ""
    key = topic.key if topic is not None else None
    qualifier = topic.qualifier if topic is not None else ""
    base = topic.index if topic is not None else None
    if unit == "个百分点":
        direction = (-1 if tail["dir"] in DOWN else 1) if tail else 0
        return Quantity(index, start, end, shown, value, "pp", "point", direction, referent, key, qualifier, base,
                        s_start, threshold)
    if share >= 0 and not tail:
        what = re.sub(r"(?:的|比重|比例|为|约|达)+$", "", prefix[share + 1:])
        return Quantity(index, start, end, shown, value, "%", "share", 0, referent, key, qualifier, base, s_start,
                        threshold, share_of=what)
    direction = (-1 if tail["dir"] in DOWN else 1) if tail else 0
    return Quantity(index, start, end, shown, value, "%", "pct", direction, referent, key, qualifier, base,
                    s_start, threshold)


def paragraph_quantities(disclosure: Disclosure, memo: Memo | None = None) -> list[tuple[Paragraph, list[Quantity]]]:
    """Every paragraph with the quantities it states (read once per ``memo``, a rule context)."""

    def compute() -> list[tuple[Paragraph, list[Quantity]]]:
        return [(p, quantities(p, disclosure.unit_name, disclosure.fiscal_year))
                for p in paragraphs(disclosure, memo)]

    if memo is None:
        return compute()
    return memo.remember("text.quantities", compute)

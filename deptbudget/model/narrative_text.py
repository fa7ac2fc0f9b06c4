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
Which words name which figure comes from the figures vocabulary (``figures_vocabulary``); the reading
primitives (paragraphs, sentences, numbers, direction words) from ``narrative_reading``. Pure: reads
``Part``s, imports nothing outside the model.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from deptbudget.model.disclosure import Figure, Part
from deptbudget.model.figures_vocabulary import NarrativeFigure, figures_vocabulary
from deptbudget.model.narrative_parts import standard_part
from deptbudget.model.narrative_phases import against_budget, names_actual, phased, stated_phase
from deptbudget.model.narrative_reading import (
    DIRECTION,
    DOWN,
    ENUM_LEAD,
    NUMBER,
    OTHER_ITEM,
    clause_start,
    enumeration,
    joined_paragraphs,
    normalize,
    parse_number,
    sentence_at,
)

# A stated figure: a number followed by 万元 or %. The number may carry (even misplaced) separators.
_FIGURE_RE = re.compile(rf"(?P<num>{NUMBER})(?P<unit>万元|%|％)")
_CHANGE_RE = re.compile(rf"(?:比|较)(?:上年|去年|上一年度|\d{{4}}年)?.*?(?P<dir>{DIRECTION})了?$")
_PCT_RE = re.compile(rf"(?P<dir>{DIRECTION})(?:了|幅度为|幅度|率为)?$")
_FLAT_RE = re.compile(r"(?<!基本)持平")  # 基本持平: about the same, not no change
# Last year's figure the change is measured on: "比2025年年初预算数30385.62万元", then "增加2466.43万元".
_LAST_YEAR_RE = re.compile(r"(?:比|较)(?:上年|去年|上一年度|\d{4}年)[^，。；,;]{0,12}?"
                           r"(?:预算数?|执行数|决算数)(?:为)?$")
# A clause about the whole income or expenditure, after the items: "收入比2025年增加…".
_WHOLE_CHANGE_RE = re.compile(r"^[，,]?(?:[^，,]{0,8}?(?:总|全部))?(?P<what>收入|支出)(?:预算)?(?:总计|合计|总额)?"
                              r"(?:比|较)")
_WHOLE = {"收入": "income", "支出": "expenditure"}
# A figure named and then moved: "主要是一般公共预算拨款增加3,013.74万元" (the change of 一般公共预算拨款).
_CUE_MOVED_RE = re.compile(rf"(?:资金|收入|支出|预算)?(?P<dir>{DIRECTION})了?")
_AFTER_LAST_YEAR_RE = re.compile(rf"^(?:万元|元)?[，,]?(?P<dir>{DIRECTION})了?$")
# After an amount: what follows are its parts ("…2945.22万元,其中：人员经费1903.54万元…").
_PARTS_OF_RE = re.compile(r"[，,；;：:]?(?:其中|全部为|均为|全部是)")
# "…主要用于…行政事业性项目支出。与上年相比减少…": what an amount is used for names no figure
_USE_RE = re.compile(r"用于")
_ASIDE_RE = re.compile(r"(?P<open>[（(])|[)）]")
_PREVIOUS_RE = re.compile(r"上年|去年|上一年")  # "（去年预算数为0万元…）": last year's, not the figure
# "2020年会议费预算37.55万元": an item's budget, not the department's ("深圳市气象局（本级）预算…")
_ITEM_BUDGET_RE = re.compile(r"(?:费|支出|资金)预算$")
_GROUPS_LEAD_RE = re.compile(r"(?:具体)?包括[:：]?$")
_NO_PROCUREMENT_RE = re.compile(r"无政府采购")
# Numbers cut by a line break are joined ("1 234.50"); the sentence a figure stands in ends at "。".
_SENTENCE_MARKS = "。"

_Cues = tuple[re.Pattern[str], dict[int, NarrativeFigure]]


@lru_cache(maxsize=64)
def _cues_of(numbers: tuple[int, ...], final: bool = False) -> _Cues | None:
    """The figures the parts ``numbers`` of the vocabulary state, as one alternation (group i ↔ figure i);
    None if they state none. ``final``: a 决算's text, its own figures (年初/年末结转和结余) among them."""
    figures: list[NarrativeFigure] = []
    for number in numbers:
        figures += [f for f in figures_vocabulary().in_part(number, final) if f not in figures]
    if not figures:
        return None
    regex = "|".join(f"(?P<c{i}>{figure.statement_pattern})" for i, figure in enumerate(figures))
    return re.compile(regex), dict(enumerate(figures))


def _part_cues(number: int, final: bool = False) -> _Cues | None:
    """The figures part ``number`` (第N部分 of the Shenzhen narrative) states."""
    return _cues_of((number,), final)


_ALL_PARTS = (2, 3, 4, 5, 6, 7)


def _section_cues(part: Part, final: bool = False) -> Iterator[tuple[int, _Cues | None, str]]:
    """(section index, cues, scope) for each section: the figures of the standard part its heading names,
    else of the last heading above it in the part that names one, else of the part's title, else of the
    part's number (the Shenzhen parts); all figures when nothing says which part it is. The scope prefixes
    the keys of a part whose figures are a subset of the document's (财政拨款 → ``fiscal.``)."""
    current = standard_part(part.title)
    for index, section in enumerate(part.sections):
        named = standard_part(section.heading) if section.heading.strip() else None
        current = named or current
        if current is not None:
            yield index, _cues_of(current.figures, final), current.scope
        elif _part_cues(part.number, final) is not None:
            yield index, _part_cues(part.number, final), ""
        else:
            yield index, _cues_of(_ALL_PARTS, final), ""


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


def _paragraphs(part: Part) -> Iterator[tuple[int, int, str]]:
    """(section index, paragraph index, normalized text), a paragraph cut by a page break joined."""
    for s_index, section in enumerate(part.sections):
        for p_index, text in joined_paragraphs(section.paragraphs, digits_apart=False):
            yield s_index, p_index, text


def _sentence_at(text: str, position: int) -> str:
    return sentence_at(text, position, _SENTENCE_MARKS, whole=False)


def _signed(value: Decimal, word: str) -> Decimal:
    return -value if word in DOWN else value


def _read_paragraph(text: str, cues: _Cues, place: tuple[int, int, int], phases: bool = False) -> Iterator[Mention]:
    """Walk the paragraph figure by figure; the text before each figure says what it is. ``phases``: a 决算's
    text, whose amounts are keyed by the phase the words before them name (``narrative_phases``)."""
    regex, table = cues
    part, section, paragraph = place
    topic: NarrativeFigure | None = None
    scope = ""  # the fund the topic is narrowed to ("政府性基金预算财政拨款收入": gov_fund)
    position = 0
    last_year = False  # the figure before was last year's ("比2025年年初预算数30385.62万元增加…")
    cue_end = 0  # where the last cue of the current stretch ends
    aside: tuple[NarrativeFigure | None, str] | None = None  # the figure an amount's bracketed details follow
    parts_until = -1  # the parts of an item the vocabulary does not name, up to here ("其中：人员经费…")
    stated: tuple[NarrativeFigure, str] | None = None  # the figure (and scope) whose amount was stated last
    change_kind = "change"  # a 决算's change on its budget ("比年初预算减少…") is keyed budget_change, not change

    def mention(key: str, value: Decimal, shown: str, unit: str, at: int) -> Mention:
        nonlocal stated
        if topic is not None and key == topic.key:
            stated = (topic, scope)
        key = f"{scope}.{key}" if scope else key
        if phases and not key.endswith(("change", "change_pct", ".last_year")):
            key = phased(key, stated_phase(text[clause_start(text, at):at]))
        return Mention(key, value, shown, unit, part, section, paragraph, _sentence_at(text, at))

    def scan(segment: str, offset: int) -> tuple[NarrativeFigure | None, list[Mention]]:
        """Cues, funds and 持平 in a stretch of text, in order; returns the last cue of the stretch."""
        nonlocal topic, cue_end, scope, aside
        last: NarrativeFigure | None = None
        flat: list[Mention] = []
        cue_matches = [m for m in regex.finditer(segment)
                       if not _USE_RE.search(text, clause_start(text, offset + m.start()), offset + m.start())]
        events = [(m.start(), "cue", m) for m in cue_matches]
        events += [(m.start(), "(" if m["open"] else ")", m) for m in _ASIDE_RE.finditer(segment)
                   if not m["open"] or m.start() == 0]
        events += [(m.start(), "flat", m) for m in _FLAT_RE.finditer(segment)]
        events += [(m.start(), "fund", m) for m in figures_vocabulary().funds_named(segment)
                   if not any(c.start() <= m.start() < c.end() for c in cue_matches)]
        for _, kind, match in sorted(events, key=lambda e: e[0]):
            if kind == "cue":
                index = int(match.lastgroup[1:]) if match.lastgroup else -1
                last = topic = table[index]
                at = offset + match.start()
                scope = figures_vocabulary().narrowing(text[clause_start(text, at):at], topic.key)
                cue_end = match.end()
            elif kind == "(":  # "…24.8万元（其中购置费0万元…）比上年减少25.05万元": the change of 24.8
                aside = (topic, scope)
            elif kind == ")":
                if aside is not None:
                    (topic, scope), aside = aside, None
            elif kind == "fund":
                topic = last = None  # the text moved on to one fund ("…；政府性基金拨款支出预算0万元，持平")
            elif topic is not None:
                flat.append(mention(f"{topic.change_stem}.change", Decimal(0), "", "万元", offset + match.start()))
        return last, flat

    for match in _FIGURE_RE.finditer(text):
        start, segment = position, text[position:match.start()]
        cue, flat = scan(segment, position)
        yield from flat
        position = match.end()
        shown, unit = match["num"], "%" if match["unit"] in "%％" else "万元"
        value = parse_number(shown)
        if value is None:
            continue
        if match.start() < parts_until:  # "对个人和家庭的补助（303）100151.38万元,其中：人员经费138.06万元": its part
            topic = None
            continue
        tail = segment[-12:]
        if unit == "%":
            pct = _PCT_RE.search(tail)
            if pct and topic is not None:
                key = f"{topic.change_stem}.{change_kind}_pct"
                yield mention(key, _signed(value, pct["dir"]), shown, "%", match.start())
            continue
        change = _CHANGE_RE.search(segment[-30:])
        whole = _WHOLE_CHANGE_RE.match(re.split(r"[；;。]", segment)[-1]) if change else None
        if whole is not None:  # "…其他收入10,885万元；收入比2025年增加6,276.54万元": the whole, not the last item
            topic, scope = figures_vocabulary().figure(f"{_WHOLE[whole['what']]}.total"), ""
        if phases and change and whole is None and cue is not None and stated is not None \
                and clause_start(text, match.start()) > start + cue_end:
            # a 决算's "3.年初结转和结余1615.24万元，为…也包括其他收入的结转和结余，比2023年度决算数减少754.91万元":
            # figures named in another clause (a definition) are not what changed; the figure stated last is
            topic, scope = stated
        if change and topic is not None:
            change_kind = "budget_change" if phases and against_budget(segment[-30:]) else "change"
            yield mention(f"{topic.change_stem}.{change_kind}", _signed(value, change["dir"]), shown, unit,
                          match.start())
            last_year = False
        elif cue is not None and (moved := _CUE_MOVED_RE.fullmatch(segment[cue_end:])):
            yield mention(f"{cue.change_stem}.change", _signed(value, moved["dir"]), shown, unit, match.start())
        elif topic is not None and last_year and (after := _AFTER_LAST_YEAR_RE.match(segment)):
            yield mention(f"{topic.change_stem}.change", _signed(value, after["dir"]), shown, unit, match.start())
            last_year = False
        elif topic is not None and _LAST_YEAR_RE.search(segment[-30:]):
            yield mention(f"{topic.change_stem}.last_year", value, shown, unit, match.start())
            last_year = True
        elif cue is not None and not OTHER_ITEM.search(segment[cue_end:]):
            yield mention(cue.key, value, shown, unit, match.start())
        elif phases and topic is not None and cue is None and not _PREVIOUS_RE.search(segment) and (
                names_actual(segment) or stated_phase(segment)):  # "…预算为76.43万元，支出决算为46.21万元"
            yield mention(topic.key, value, shown, unit, match.start())
        elif topic is not None and cue is None and "预算数" in segment and not _PREVIOUS_RE.search(segment):
            yield mention(topic.key, value, shown, unit, match.start())
        elif part == 3 and segment.endswith("预算") and topic is None and not _ITEM_BUDGET_RE.search(segment):
            topic, scope = figures_vocabulary().figure("expenditure.total"), ""
            yield mention("expenditure.total", value, shown, unit, match.start())
        else:  # an amount of something the vocabulary does not name ("①行政运行（2013201）1641.18万元"):
            topic = None  # the changes after it are its own, not the last figure's
            if _PARTS_OF_RE.match(text, match.end()):
                end = text.find("。", match.end())
                parts_until = end if end >= 0 else len(text)
    _, flat = scan(text[position:], position)
    yield from flat


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
    name = known or ENUM_LEAD.sub("", text[:begin]).strip("，,:：、 ")
    if not name or any(ch in name for ch in "，,。；;："):
        return
    value = parse_number(number)
    if value is None:
        return
    part, section, paragraph = place
    yield Mention(f"group.{name}", value, number, "万元", part, section, paragraph,
                  _sentence_at(text, begin))


def find_mentions(parts: list[Part], group_names: Collection[str] = (), phases: bool = False) -> list[Mention]:
    """Every figure the narrative states, in reading order. ``group_names``: the project groups, when known
    (they settle a name that ends in digits glued to its amount). ``phases``: the text of final accounts (部门决算),
    its figures keyed by phase (年初预算数 ``initial_``, 全年预算数 ``adjusted_`` … ``narrative_phases``)."""
    names = [normalize(n, digits_apart=False) for n in group_names]
    out: list[Mention] = []
    for part in parts:
        cues_by_section = {index: (cues, scope) for index, cues, scope in _section_cues(part, phases)}
        in_groups = False
        last_group: int | None = None  # the enumeration number of the last group read
        for section, paragraph, text in _paragraphs(part):
            cues, scope = cues_by_section.get(section, (None, ""))
            if cues is None:
                continue
            place = (part.number, section, paragraph)
            if in_groups:
                mark = enumeration(text)
                if last_group is None or mark == last_group + 1:
                    found = list(_group_mentions(text, place, names))
                    last_group = mark if found else last_group
                    out.extend(found)
                continue  # else an item of the last group, its list cut by a page break ("（8）…", "3.…" after 4.)
            mentions = list(_read_paragraph(text, cues, place, phases))
            if scope:
                mentions = [m if m.key.startswith(f"{scope}.") else replace(m, key=f"{scope}.{m.key}")
                            for m in mentions]
            out.extend(mentions)
            if part.number == 4 and not mentions and _NO_PROCUREMENT_RE.search(text):
                sentence = _sentence_at(text, _NO_PROCUREMENT_RE.search(text).start())  # type: ignore[union-attr]
                for key in ("procurement.amount", "procurement.annual"):
                    out.append(Mention(key, Decimal(0), "", "万元", part.number, section, paragraph, sentence))
            if part.number == 3 and _GROUPS_LEAD_RE.search(text) and any(
                    m.key == "expenditure.project" for m in mentions):
                in_groups = True
    return out


# Any amount the text states: a number with its unit of money (not a threshold: "单价50万元（含）以上").
_AMOUNT_RE = re.compile(rf"(?P<num>{NUMBER})(?P<unit>亿元|万元|千元|元)(?![/每]|(?:[（(]含[)）])?以[上下])")
STATED = "stated"
# What an amount is of: the words of its clause before it.
_CLAUSE_RE = re.compile(r"[^，,。；;：:、]*$")
_FILLER_RE = re.compile(r"^(?:[.．]?(?:年度?)?(?:其中|包括|含)?)|(?:为|是|共|约|达|合计为)$")


def _subject(text: str, start: int) -> str:
    """The words before an amount that say what it is ("其中：政府采购货物预算50.55万元" → 政府采购货物预算,
    "（1）一般公共服务支出（类）支出 2,906.63万元" → 一般公共服务支出（类）支出)."""
    match = _CLAUSE_RE.search(text[max(0, start - 40):start])
    words = ENUM_LEAD.sub("", (match.group() if match else "").strip())
    words = re.sub(r"^[^\u4e00-\u9fff“]+", "", words)  # a year or a number left in front
    words = _FILLER_RE.sub("", _FILLER_RE.sub("", words))
    return words or "金额"


def stated_amounts(parts: list[Part], kept: Collection[Mention]) -> dict[str, Figure]:
    """Every amount of money the text states that ``kept`` does not hold (a statement the vocabulary does
    not know, a figure stated a second time; zero aside), keyed ``stated.<part>.<what it is of>`` (``#2`` … when the
    same words state several) with its place as source: nothing printed is dropped."""
    left: dict[tuple[int, int, int, str], int] = {}
    for m in kept:
        place = (m.part, m.section, m.paragraph, m.text)
        left[place] = left.get(place, 0) + 1
    out: dict[str, Figure] = {}
    for part in parts:
        for section, paragraph, text in _paragraphs(part):
            for match in _AMOUNT_RE.finditer(text):
                place = (part.number, section, paragraph, match["num"])
                if left.get(place):
                    left[place] -= 1
                    continue
                value = parse_number(match["num"])
                if not value:
                    continue  # "0万元" states that there is none: no amount to keep
                key = base = f"{STATED}.{part.number}.{_subject(text, match.start())}"
                n = 1
                while key in out:
                    n += 1
                    key = f"{base}#{n}"
                source = f"parts[{part.number}].sections[{section}].paragraphs[{paragraph}]"
                out[key] = Figure(key, value, match["num"], match["unit"], (source,))
    return out


def extract_figures(parts: list[Part], group_names: Collection[str] = (), phases: bool = False) -> dict[str, Figure]:
    """The figures the narrative states, keyed as in the disclosure conventions (first statement wins), and
    every other amount it states (``stated_amounts``); ``phases``: of final accounts (``find_mentions``)."""
    figures: dict[str, Figure] = {}
    kept: list[Mention] = []
    for mention in find_mentions(parts, group_names, phases):
        if mention.key not in figures:
            figures[mention.key] = Figure(mention.key, mention.value, mention.text, mention.unit, (mention.source,))
            kept.append(mention)
    figures.update(stated_amounts(parts, kept))
    return figures

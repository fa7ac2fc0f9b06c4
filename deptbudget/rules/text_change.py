"""Text rules on year-on-year changes: a growth rate recomputed from the two amounts it compares,
a stated change against the two amounts, and the direction words (增加/减少, 增长/下降 …).

Everything is read from the sentence itself (“…55.67 万元，比 2019 年增加 2.67 万元，增长 5.06%”),
so these rules need no table; the figures against the tables are the narrative rules' business.
Rounding-aware: each printed amount may be half a unit of its last digit off, and the stated rate
only has to be reachable from some pair of amounts within those bounds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

from deptbudget.model.disclosure import Disclosure
from deptbudget.model.narrative_quantities import Quantity, canonical, clean_referent, paragraph_quantities
from deptbudget.model.narrative_reading import DOWN, UP, Paragraph, decimals, half_unit, sentence_at
from deptbudget.rules.registry import Finding, RuleContext, Severity, rule
from deptbudget.rules.text_parse import fmt_amount, fmt_pct, text_finding

HUNDRED = Decimal(100)
_LIST = re.compile(r"其中|包括|分别为")
_REASON = re.compile(r"(?P<dir>增加|增长|上升|提高|减少|下降|降低)(?:的)?(?:主要)?原因")


def _change_for(qs: list[Quantity], rate: Quantity) -> Quantity | None:
    """The change stated for the same figure before ``rate`` (the nearest)."""
    for q in reversed(qs[:rate.index]):
        if q.role == "change" and q.topic == rate.topic:
            return q
    return None


def _previous_for(qs: list[Quantity], base: Quantity) -> Quantity | None:
    """Last year's amount stated for ``base``: "由 X 万元增加到 Y", "上年 X 万元", "比上年的 X 万元"."""
    if base.to and base.topic is not None and qs[base.topic].role == "previous":
        return qs[base.topic]
    for q in qs[base.index + 1:]:
        if q.role == "previous" and q.topic == base.index:
            return q
        if q.role == "current" and not q.threshold:
            break
    return None


def _corners(a: Decimal, ha: Decimal, b: Decimal, hb: Decimal) -> list[tuple[Decimal, Decimal]]:
    return [(a + da, b + db) for da in (-ha, ha) for db in (-hb, hb)]


def _rate_from_change(base: Quantity, change: Quantity) -> tuple[Decimal, Decimal, Decimal] | None:
    """(rate, low, high) in % from this year's amount and the signed change; None when last year ≤ 0."""
    signed = change.signed
    last = base.value - signed
    if last <= 0 or signed == 0:
        return None
    rate = signed / last * HUNDRED
    values = []
    for a, c in _corners(base.value, half_unit(base.text), change.value, half_unit(change.text)):
        c_signed = c if change.direction >= 0 else -c
        if a - c_signed > 0:
            values.append(abs(c_signed / (a - c_signed) * HUNDRED))
    return (rate, min(values), max(values)) if values else None


def _rate_from_previous(base: Quantity, previous: Quantity) -> tuple[Decimal, Decimal, Decimal] | None:
    if previous.value <= 0:
        return None
    rate = (base.value - previous.value) / previous.value * HUNDRED
    values = [abs((a - x) / x * HUNDRED)
              for a, x in _corners(base.value, half_unit(base.text), previous.value, half_unit(previous.text))
              if x > 0]
    return rate, min(values), max(values)


def _recomputed(qs: list[Quantity], rate: Quantity) -> tuple[tuple[Decimal, Decimal, Decimal], str] | None:
    if rate.topic is None:
        return None
    base = qs[rate.topic]
    if base.role != "current":
        return None
    previous = _previous_for(qs, base)
    if previous is not None:
        found = _rate_from_previous(base, previous)
        how = f"({base.text} − {previous.text}) ÷ {previous.text}"
        return (found, how) if found else None
    change = _change_for(qs, rate)
    if change is None or change.direction == 0:
        return None
    found = _rate_from_change(base, change)
    sign = "−" if change.direction > 0 else "+"
    how = f"{change.text} ÷ ({base.text} {sign} {change.text})"
    return (found, how) if found else None


def _share_base(qs: list[Quantity], share: Quantity, text: str) -> Quantity | None:
    """What a share "占 X%" is a share of: the figure it names ("占项目支出的"), else the whole its list hangs on
    ("收入 100 万元，其中：A 60 万元，占 60%")."""
    if share.topic is None:
        return None
    part = qs[share.topic]
    figures = [q for q in qs[:part.index] if q.role == "current" and not q.threshold and q.unit == "万元"]
    if share.share_of:
        named = clean_referent(share.share_of, "")
        key, qualifier = canonical(named)
        return next((q for q in reversed(figures) if (key is not None and q.key == key and q.qualifier == qualifier)
                     or q.referent == named), None)
    lists = [m.start() for m in _LIST.finditer(text, 0, part.start)]
    if lists:
        before = [q for q in figures if q.end <= lists[-1]]
        whole = before[-1] if before else None
    else:
        whole = figures[0] if figures else None
    if whole is not None and any(q.role == "share" and q.topic == whole.index for q in qs):
        # "基本支出2,281.84万元，占1.23%；项目支出…，占98.77%": a sibling; the whole is not in the paragraph
        return None
    return whole


def _share(qs: list[Quantity], share: Quantity, text: str) -> tuple[tuple[Decimal, Decimal, Decimal], str] | None:
    base = _share_base(qs, share, text)
    if base is None or base.value <= 0 or share.topic is None:
        return None
    part = qs[share.topic]
    rate = part.value / base.value * HUNDRED
    values = [p / b * HUNDRED for p, b in _corners(part.value, half_unit(part.text), base.value, half_unit(base.text))
              if b > 0]
    return (rate, min(values), max(values)), f"{part.text} ÷ {base.text}"


_NO_SUBJECT = re.compile(r"^(?:较|比|与)")


def _other_readings(qs: list[Quantity], rate: Quantity, text: str) -> Iterator[tuple[Decimal, Decimal]]:
    """(low, high) of the rate read otherwise, where the sentence allows it: a change without a subject after an
    item's list ("5.综合管理367.65万元，主要包括：…专项96.81万元，…。较2025年年初预算减少52.44万元，减幅12.5%")
    is the item's; "比上年1.43万元，增加0.68%" gives the change, not last year's amount. When one fits, the rule
    cannot tell."""
    if rate.role != "pct" or rate.topic is None:
        return
    change = _change_for(qs, rate)
    sentence_start = max(text.rfind(mark, 0, rate.start) for mark in "。") + 1
    base = qs[rate.topic]
    if change is not None and change.direction != 0 and _NO_SUBJECT.match(text[sentence_start:]):
        wholes = [q for q in qs[:base.index] if q.role == "current" and not q.threshold and q.unit == "万元"]
        if wholes:
            found = _rate_from_change(wholes[0], change)
            if found is not None:
                yield found[1], found[2]
    previous = _previous_for(qs, base) if base.role == "current" else None
    if previous is not None and rate.direction != 0:
        as_change = replace(previous, role="change", direction=rate.direction)
        found = _rate_from_change(base, as_change)
        if found is not None:
            yield found[1], found[2]


@rule("TEXT-PCT-RECOMPUTE", "error", "accuracy",
      "说明中的增减百分比和占比由所比较的两个金额重新计算（本年数与增减额或上年数；部分与总数），容许四舍五入误差",
      Finding("增长率与所比较的两个金额不符：2.67 ÷ (55.67 − 2.67) = 5.04%，文中为 5.06%", "第七部分",
              "一、机关运行经费 第1段", "增长率", "5.04%",
              "2020年罗湖区科技创新局机关运行经费财政拨款预算55.67万元，比2019年增加2.67万元，增长5.06%。"))
def pct_recompute(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for paragraph, qs in paragraph_quantities(disclosure, ctx):
        for rate in qs:
            if rate.role not in ("pct", "share") or rate.threshold:
                continue
            found = _recomputed(qs, rate) if rate.role == "pct" else _share(qs, rate, paragraph.text)
            if found is None:
                continue
            (value, low, high), how = found
            h = half_unit(rate.text)
            if (rate.value + h < low or rate.value - h > high) \
                    and not any(lo - h <= rate.value <= hi + h for lo, hi in _other_readings(qs, rate, paragraph.text)):
                expected = fmt_pct(abs(value), max(decimals(rate.text), 1))
                what = "增减百分比" if rate.role == "pct" else "占比"
                message = f"{what}与所比较的两个金额不符：{how} = {expected}，文中为 {rate.text}%"
                yield text_finding(paragraph, message, what, expected, sentence_at(paragraph.text, rate.start))


@rule("TEXT-CHANGE-AMOUNT", "error", "accuracy", "说明同时给出本年数、上年数和增减额时，增减额 = 本年数 − 上年数",
      Finding("增减额与所比较的两个金额不符：55.67 − 53.00 = 2.67，文中为 3.67", "第七部分", "一、机关运行经费 第1段",
              "增减额", "2.67", "机关运行经费55.67万元，比上年的53.00万元增加3.67万元。"))
def change_amount(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for paragraph, qs in paragraph_quantities(disclosure, ctx):
        for change in qs:
            if change.role != "change" or change.topic is None or not change.text:
                continue
            base = qs[change.topic]
            previous = _previous_for(qs, base) if base.role == "current" else None
            if previous is None:
                continue
            difference = abs(base.value - previous.value)
            gap = abs(difference - change.value)
            if gap == 0:
                continue
            tolerance = half_unit(base.text) + half_unit(previous.text) + half_unit(change.text)
            severity = Severity.NOTE if gap <= tolerance else None
            yield text_finding(paragraph, f"增减额与所比较的两个金额不符：{base.text} − {previous.text} = "
                               f"{fmt_amount(base.value - previous.value)}，文中为 {change.text}",
                               "增减额", fmt_amount(difference), sentence_at(paragraph.text, change.start), severity)


def _word(direction: int) -> str:
    return "增加" if direction > 0 else "减少" if direction < 0 else "持平"


def _direction_problems(paragraph: Paragraph, qs: list[Quantity]) -> Iterator[Finding]:
    for q in qs:
        if q.role == "pct" and q.direction and not q.threshold and q.topic is not None:
            base = qs[q.topic]
            previous = _previous_for(qs, base) if base.role == "current" else None
            if previous is not None and previous.value != base.value:
                actual = 1 if base.value > previous.value else -1
                if actual != q.direction:
                    yield text_finding(paragraph, f"增减方向矛盾：本年 {base.text} 万元、上年 {previous.text} 万元，"
                                       f"百分比却写“{'增长' if q.direction > 0 else '下降'}{q.text}%”", "增减方向",
                                       _word(actual), sentence_at(paragraph.text, q.start))
                continue
            change = _change_for(qs, q)
            if change is not None and change.direction != q.direction and (change.direction or q.value):
                yield text_finding(paragraph, f"增减方向矛盾：金额{_word(change.direction)}，百分比却写"
                                   f"“{'增长' if q.direction > 0 else '下降'}{q.text}%”", "增减方向",
                                   _word(change.direction), sentence_at(paragraph.text, q.start))
        if q.role == "current" and q.to and q.topic is not None and qs[q.topic].role == "previous":
            previous = qs[q.topic]
            actual = 1 if q.value > previous.value else -1 if q.value < previous.value else 0
            if actual != q.direction:
                message = f"增减方向矛盾：由 {previous.text} 万元“{_word(q.direction)}”到 {q.text} 万元"
                yield text_finding(paragraph, message, "增减方向", _word(actual), sentence_at(paragraph.text, q.start))
        if q.role == "change" and q.direction and q.topic is not None and qs[q.topic].role == "current":
            base = qs[q.topic]
            previous = _previous_for(qs, base)
            if previous is not None and previous.value != base.value:
                actual = 1 if base.value > previous.value else -1
                if actual != q.direction:
                    yield text_finding(paragraph, f"增减方向矛盾：本年 {base.text} 万元、上年 {previous.text} 万元，"
                                       f"文中却写“{_word(q.direction)}{q.text}万元”", "增减方向", _word(actual),
                                       sentence_at(paragraph.text, q.start))


def _reason_problems(paragraph: Paragraph, qs: list[Quantity]) -> Iterator[Finding]:
    directions = {q.direction for q in qs if q.role == "change" and q.direction}
    if len(directions) != 1:
        return
    stated = directions.pop()
    for match in _REASON.finditer(paragraph.text):
        word = match["dir"]
        said = -1 if word in DOWN else 1 if word in UP else 0
        window = paragraph.text[max(0, match.start() - 4):match.end()]
        if said and said != stated and "（" not in window and "(" not in window:
            yield text_finding(paragraph, f"增减方向矛盾：前文为{_word(stated)}，后文却说明“{match.group(0)}”",
                               "增减方向", _word(stated), sentence_at(paragraph.text, match.start()))


@rule("TEXT-DIRECTION", "error", "consistency",
      "增减方向词一致：金额增加而百分比下降、由 X 增加到更小的 Y、增加却说明减少原因等",
      Finding("增减方向矛盾：金额减少，百分比却写“增长1.77%”", "第二部分", "第1段", "增减方向", "减少",
              "2020年部门预算收入17,144.13万元，比2019年减少298.27万元，增长1.77%。"))
def direction(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for paragraph, qs in paragraph_quantities(disclosure, ctx):
        yield from _direction_problems(paragraph, qs)
        yield from _reason_problems(paragraph, qs)

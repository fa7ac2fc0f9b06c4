"""Text rules on the amounts the narrative states: the same figure given two amounts, parts that do
not add up to the whole they are listed under, and amounts printed without their unit.

Read from the text alone. "The same figure" is the same words before the amount in one paragraph,
or, across the document, the same standard figure (人员支出, 公务接待费, 机关运行经费 …) with the same
qualifier. Sums are rounding-aware as in DESIGN.md: n rounded parts may differ from their rounded
total by n × 0.005 万元 — a note within that, an error beyond.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from deptbudget.model.disclosure import Disclosure
from deptbudget.model.figures_vocabulary import figures_vocabulary
from deptbudget.model.narrative_parts import standard_part
from deptbudget.model.narrative_quantities import Quantity, paragraph_quantities
from deptbudget.model.narrative_reading import (
    ENUM_LEAD,
    Paragraph,
    half_unit,
    is_cjk,
    paragraphs,
    parse_number,
    sentence_at,
    sentence_span,
)
from deptbudget.rules.registry import Finding, RuleContext, Severity, rule
from deptbudget.rules.text_parse import chart_residue, fmt_amount, text_finding

HALF_STEP = Decimal("0.005")
_LIST_KEYWORD = re.compile(r"(?P<word>具体包括|包括|其中|分别为|分别是)[:：]?")
_GROUPS_LEAD = re.compile(r"(?:具体包括|包括|具体如下|如下|主要有)[:：]$")
# The standard figures that are the sum of others, as the narrative states them, and their names.
STRUCTURE: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (f.key, f.children) for f in figures_vocabulary().aggregates())
# A money word right before a bare number that ends the clause: the unit is missing.
_NO_UNIT = re.compile(r"(?P<lead>单价|单位价值|价值|金额|资金|经费|预算数|预算|拨款|支出|收入|"
                      r"增加|减少|增长|下降|上升|降低)"
                      r"(?:为|是|约|共|合计|在|了)?(?P<num>\d+(?:[,，]\d{3})*(?:\.\d+)?)"
                      r"(?=以上|以下|以内|左右|[，。；、,;](?!\d))")


def _figures(qs: list[Quantity]) -> list[Quantity]:
    return [q for q in qs if q.role == "current" and not q.threshold and q.unit == "万元"]


@rule("TEXT-AMOUNT-CONFLICT", "error", "consistency",
      "同一事项前后金额一致：同一段内同一事项、或全文中同一标准口径（人员支出、公务接待费、机关运行经费等）不得给出不同金额",
      Finding("“人员支出”前后金额不一致：第二部分 第2段为 619.37 万元，此处为 620.37 万元", "第三部分", "第2段",
              "人员支出", "619.37", "（一）人员支出620.37万元，主要是在职人员工资福利支出。"))
def amount_conflict(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    first: dict[tuple[str, str, str], tuple[Paragraph, Quantity]] = {}
    for paragraph, qs in paragraph_quantities(disclosure, ctx):
        local: dict[tuple[str, str], Quantity] = {}
        scope = _scope(paragraph)
        for q in _figures(qs):
            if not q.referent:
                continue
            ident = (q.key, q.qualifier) if q.key else ("raw", q.referent)
            seen = local.get(ident)
            if seen is not None and seen.value != q.value and _same_statement(paragraph.text, seen, q):
                yield text_finding(paragraph, f"同一段中“{q.referent}”前后金额不一致：{seen.text} 万元与 {q.text} 万元",
                                   q.referent, seen.text, sentence_at(paragraph.text, q.start))
                continue
            local.setdefault(ident, q)
            if q.key is None or seen is not None or _listed_under_another(paragraph.text, qs, q):
                continue
            earlier = first.get((scope, *ident))
            if earlier is None:
                first[(scope, *ident)] = (paragraph, q)
            elif earlier[1].value != q.value:
                where = f"{earlier[0].part_label} {earlier[0].row}"
                yield text_finding(paragraph, f"“{q.referent}”前后金额不一致：{where}为 {earlier[1].text} 万元，"
                                   f"此处为 {q.text} 万元", q.referent, earlier[1].text,
                                   sentence_at(paragraph.text, q.start))


_CLAUSE_BREAK = re.compile(r"[；;。]")


def _ancestors() -> dict[str, set[str]]:
    """The standard figures each standard figure is part of, at any depth (人员支出 → 基本支出, 支出合计)."""
    parents: dict[str, set[str]] = {}
    for whole, parts in STRUCTURE:
        for part in parts:
            parents.setdefault(part, set()).add(whole)
    out: dict[str, set[str]] = {}
    for key in parents:
        found: set[str] = set()
        todo = list(parents[key])
        while todo:
            whole = todo.pop()
            if whole not in found:
                found.add(whole)
                todo += parents.get(whole, set())
        out[key] = found
    return out


_PARENTS = _ancestors()


def _scope(paragraph: Paragraph) -> str:
    """The subset of the document a paragraph's figures are of (财政拨款 …), from its heading or part."""
    named = (standard_part(paragraph.heading) if paragraph.heading else None) or standard_part(paragraph.part_title)
    return named.scope if named is not None else ""


def _same_statement(text: str, seen: Quantity, q: Quantity) -> bool:
    """Two amounts of one paragraph said of the same thing. A standard figure is one figure throughout the
    paragraph unless a list comes between ("政府采购预算总额…货物47万元…；其中一般公共预算拨款…货物0万元");
    other words are the same thing only within one clause and when written again before the amount
    ("人员经费138.06万元，124.13万元": the second has no words of its own — last year's, not a second figure)."""
    between = text[seen.end:q.start]
    if _LIST_KEYWORD.search(between):
        return False
    own = re.split(r"[，,；;。：:、]", text[:q.start])[-1]
    if not any(is_cjk(char) for char in own):
        return False
    if q.key is not None:
        return True
    return not _CLAUSE_BREAK.search(between) and q.referent in own


def _listed_under_another(text: str, qs: list[Quantity], q: Quantity) -> bool:
    """``q`` is an item listed under a whole that it is no standard part of ("机关商品和服务支出（502）3423.08万元，
    其中：公用经费545.71万元"; "机关运行经费82万元，其中：…公务接待费2万元"): that whole's share, not the figure."""
    start = max(text.rfind(mark, 0, q.start) for mark in "。；;") + 1
    keyword = None
    for match in _LIST_KEYWORD.finditer(text, start, q.start):
        keyword = match
    if keyword is None:
        return False
    wholes = [w for w in _figures(qs) if w.end <= keyword.start() and w.start >= start]
    if not wholes:
        return False
    whole = wholes[-1]
    return whole.key is None or whole.key not in _PARENTS.get(q.key or "", set())


@dataclass(frozen=True)
class _Sum:
    paragraph: Paragraph
    total: Quantity
    parts: list[Quantity]
    exact: bool  # 包括 / 分别为: the parts are the whole; 其中: some of it
    at: int  # where to quote


def _amount_lists(text: str, figures: list[Quantity]) -> list[re.Match[str]]:
    """The list keywords that list amounts: the first clause after the keyword states one ("包括信访干部业务培训；" in
    an item's description lists no amount)."""
    out = []
    for match in _LIST_KEYWORD.finditer(text):
        clause = re.search(r"[，,；;。]", text[match.end():])
        clause_end = match.end() + (clause.start() if clause else len(text))
        if any(match.end() <= q.start < clause_end for q in figures):
            out.append(match)
    return out


def _nested(text: str, start: int, position: int) -> bool:
    """``position`` stands in brackets opened after ``start``: an item's own breakdown
    ("公务用车购置及运行维护费24.8万元（公务用车购置费0万元…）")."""
    between = text[start:position]
    return between.count("（") + between.count("(") > between.count("）") + between.count(")")


def _list_sums(paragraph: Paragraph, qs: list[Quantity]) -> Iterator[_Sum]:
    text = paragraph.text
    figures = _figures(qs)
    lists = _amount_lists(text, figures)
    for number, match in enumerate(lists):
        before = [q for q in figures if q.end <= match.start()]
        if not before:
            continue
        total = before[-1]
        if text[max(0, match.start() - 1):match.start()] in ("；", ";"):
            # "…政府采购服务预算901万元；其中一般公共预算拨款…": the whole may be the clause's or the sentence's
            clause_start = max(text.rfind(mark, 0, match.start() - 1) for mark in "；;。") + 1
            if sum(1 for q in before if q.start >= clause_start) != 1:
                continue
        _, end = sentence_span(text, match.end())
        following = lists[number + 1] if number + 1 < len(lists) else None
        if following is not None and following.start() < end:
            # "收入X，其中：…；支出Y，其中：…": the list ends before the next list's whole (Y)
            wholes = [q for q in figures if match.end() <= q.start and q.end <= following.start()]
            end = wholes[-1].start if wholes else end
        if any(q.role == "previous" and match.end() <= q.start < end for q in qs):
            continue  # "…项目上年结转66.73万元": this year's money carried over, or last year's — cannot tell
        parts = [q for q in figures if match.end() <= q.start < end and not _nested(text, match.end(), q.start)]
        if not parts or len({q.referent for q in parts}) != len(parts):
            continue
        # 包括 / 分别为: the parts are the whole; 其中, 主要包括: some of it
        exact = match["word"] != "其中" and text[max(0, match.start() - 2):match.start()] != "主要"
        if exact and len(parts) < 2:
            continue
        yield _Sum(paragraph, total, parts, exact, match.start())


def _group_sums(items: list[tuple[Paragraph, list[Quantity]]]) -> Iterator[_Sum]:
    """"（四）项目支出 X 万元，具体包括：" followed by one paragraph per group "<名称> Y 万元，主要用于…"."""
    for index, (paragraph, qs) in enumerate(items):
        figures = _figures(qs)
        if not figures or not _GROUPS_LEAD.search(paragraph.text):
            continue
        parts: list[Quantity] = []
        for following, fqs in items[index + 1:]:
            if following.part != paragraph.part or following.section != paragraph.section:
                break
            lead = _figures(fqs)
            if not lead or lead[0].start > 40 or ENUM_LEAD.match(following.text):
                break
            parts.append(lead[0])
        if len(parts) >= 2:
            yield _Sum(paragraph, figures[-1], parts, True, figures[-1].start)


def _sum_finding(found: _Sum) -> Finding | None:
    total = sum((q.value for q in found.parts), Decimal(0))
    difference = total - found.total.value
    if difference == 0 or (not found.exact and difference < 0):
        return None
    tolerance = HALF_STEP * len(found.parts)
    severity = Severity.NOTE if abs(difference) <= tolerance else None
    names = "、".join(q.referent or "?" for q in found.parts)
    whole = f"“{found.total.referent}”{found.total.text} 万元"
    if found.exact:
        message = f"所列各项（{names}）之和 {fmt_amount(total)} 万元不等于{whole}"
    else:
        message = f"“其中”所列各项（{names}）之和 {fmt_amount(total)} 万元大于{whole}"
    if severity is Severity.NOTE:
        message += f"（相差 {fmt_amount(abs(difference))}，在 {len(found.parts)} 个四舍五入数的误差范围内）"
    return text_finding(found.paragraph, message, found.total.referent or "合计", found.total.text,
                        sentence_at(found.paragraph.text, found.at), severity)


@dataclass(frozen=True)
class _Stated:
    paragraph: Paragraph
    amount: Quantity | None
    change: Quantity | None


def _stated(items: list[tuple[Paragraph, list[Quantity]]]) -> dict[str, _Stated]:
    """The first statement of each standard figure (qualifier-free) and of its change."""
    out: dict[str, _Stated] = {}
    for paragraph, qs in items:
        for q in qs:
            if q.key is None or q.qualifier or q.threshold or q.unit != "万元":
                continue
            known = out.get(q.key)
            if q.role == "current" and (known is None or known.amount is None):
                out[q.key] = _Stated(paragraph, q, known.change if known else None)
            elif q.role == "change" and (known is None or known.change is None):
                out[q.key] = _Stated(known.paragraph if known else paragraph, known.amount if known else None, q)
    return out


def _change_bounds(key: str, stated: dict[str, _Stated], depth: int = 0) -> tuple[Decimal | None, Decimal | None, int]:
    """(low, high, rounded addends) of a figure's change: stated, or from its parts; None = unbounded.

    A figure that is 0 this year cannot have grown: its change is at most 0.
    """
    known = stated.get(key)
    if known is not None and known.change is not None:
        value = known.change.signed
        return value, value, 1
    parts = dict(STRUCTURE).get(key)
    if parts and depth < 3:
        low: Decimal | None = Decimal(0)
        high: Decimal | None = Decimal(0)
        count = 0
        for part in parts:
            p_low, p_high, p_count = _change_bounds(part, stated, depth + 1)
            low = None if low is None or p_low is None else low + p_low
            high = None if high is None or p_high is None else high + p_high
            count += p_count
        return low, high, count
    if known is not None and known.amount is not None and known.amount.value == 0:
        return None, Decimal(0), 0
    return None, None, 0


def _structure_findings(items: list[tuple[Paragraph, list[Quantity]]]) -> Iterator[Finding]:
    stated = _stated(items)
    label = figures_vocabulary().label
    for whole, parts in STRUCTURE:
        known = stated.get(whole)
        if known is None:
            continue
        amounts = [stated[p].amount for p in parts if p in stated]
        if known.amount is not None and len(amounts) == len(parts) and all(a is not None for a in amounts):
            total = sum((a.value for a in amounts if a is not None), Decimal(0))
            difference = total - known.amount.value
            if difference:
                tolerance = HALF_STEP * len(parts)
                severity = Severity.NOTE if abs(difference) <= tolerance else None
                names = " + ".join(label(p) for p in parts)
                yield text_finding(known.paragraph, f"{label(whole)} {known.amount.text} 万元不等于 {names} = "
                                   f"{fmt_amount(total)} 万元", label(whole), fmt_amount(total),
                                   sentence_at(known.paragraph.text, known.amount.start), severity)
        if known.change is None:
            continue
        low, high, count = _change_bounds(whole, {k: v for k, v in stated.items() if k != whole} | {
            whole: _Stated(known.paragraph, known.amount, None)})
        tolerance = HALF_STEP * max(count, 1) + half_unit(known.change.text)
        value = known.change.signed
        if (low is not None and value < low - tolerance) or (high is not None and value > high + tolerance):
            if high is not None and value > high:
                bound = f"不大于 {fmt_amount(high)}"
            else:
                bound = f"不小于 {fmt_amount(low or 0)}"
            said = f"{'增加' if value > 0 else '减少'} {known.change.text} 万元"
            message = f"{label(whole)}的增减额与各组成部分的增减不符：按各项说明应{bound} 万元，文中为{said}"
            yield text_finding(known.paragraph, message, f"{label(whole)}增减额", bound,
                               sentence_at(known.paragraph.text, known.change.start))


@rule("TEXT-SUM-PARTS", "error", "accuracy",
      "说明中列举的组成部分之和等于其总数（“包括”“分别为”各项之和 = 总数，“其中”各项之和 ≤ 总数，"
      "项目分类、“三公”经费各项、基本支出各项，含增减额），四舍五入误差内为提示",
      Finding("所列各项（人员支出、公用支出、对个人和家庭的补助支出、项目支出）之和 17,144.14 万元"
              "不等于“预算”17,144.13 万元（相差 0.01，在 4 个四舍五入数的误差范围内）", "第三部分", "第1段", "预算",
              "17,144.13", "罗湖区科技创新局预算17,144.13万元，包括人员支出619.37万元、公用支出55.67万元、"
              "对个人和家庭的补助支出43.80万元、项目支出16,425.30万元。", Severity.NOTE))
def sum_parts(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    items = paragraph_quantities(disclosure, ctx)
    for paragraph, qs in items:
        for found in _list_sums(paragraph, qs):
            finding = _sum_finding(found)
            if finding is not None:
                yield finding
    for found in _group_sums(items):
        finding = _sum_finding(found)
        if finding is not None:
            yield finding
    yield from _structure_findings(items)


@rule("TEXT-AMOUNT-UNIT", "error", "format", "金额、增减额后缺少单位（万元、元、%）",
      Finding("金额缺少单位：“单位价值100以上”", "第七部分", "二、国有资产占有使用情况 第2段", "单位", "100万元",
              "安排购置单位价值50万元以上通用设备0台（套），单位价值100以上专用设备0台（套）。"))
def amount_unit(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for paragraph in paragraphs(disclosure, ctx):
        if chart_residue(paragraph.text):
            continue
        for match in _NO_UNIT.finditer(paragraph.text):
            if parse_number(match["num"]) == 0:
                continue  # "支出预算为0": nothing, in any unit
            following = paragraph.text[match.end():match.end() + 3]
            unit = "%" if match["lead"] in ("增长", "下降", "上升", "降低") else "万元"
            yield text_finding(paragraph, f"金额缺少单位：“{match.group(0)}{following[:2]}”", "单位",
                               f"{match['num']}{unit}", sentence_at(paragraph.text, match.start()))

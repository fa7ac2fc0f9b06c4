"""Text rule on years: every year the narrative names must fit the document's fiscal year.

A budget for year N compares with N−1 (“比 2019 年增加”), states its own figures for N (“2020 年部门预算
收入”), counts assets as at the end of N−1 (“截至 2019 年 12 月 31 日”) and sets goals for N or later.
A final account (决算) of year N compares with N−1 and counts assets as at the end of N. Other years
in 第二 … 第七部分 are unusual (warning); 部门概况 and 名词解释 may recall any year.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from deptbudget.model.disclosure import Disclosure
from deptbudget.model.narrative_parts import standard_part
from deptbudget.model.narrative_reading import Heading, Paragraph, headings, normalize, paragraphs, sentence_at
from deptbudget.rules.registry import Finding, RuleContext, Severity, rule
from deptbudget.rules.text_parse import text_finding

_YEAR = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})(?=年|\s*年度)")
_COMPARE = re.compile(r"(?:比|较|对比|比上年[（(]|较上年[（(])$")
_COMPARE_WEAK = re.compile(r"(?:与|同|和)$")
_COMPARE_AFTER = re.compile(r"相比|比较|持平|对比")
_AS_OF = re.compile(r"(?:截至|截止|截止到|截至到)$")
_AS_OF_DATE = re.compile(r"^年(?:度)?(?P<month>\d{1,2})月")
# "2026年…预算": the budget's own year; not across another year ("2025年结转并编制到2026年预算的资金").
_BUDGET_WORD = re.compile(r"^年度?[^，,。；;：:\d]{0,24}?(?:预算|部门预算|年初预算)")
# A year in the reason given for a change ("主要是2025年因公出国（境）费用在年中预算内调剂安排") is history.
_REASON = re.compile(r"(?:主要是|主要原因是|原因是|由于|因为|是因)$")
_GOAL_HEADING = re.compile(r"目标|计划|任务|安排")
_HORIZON_BEFORE = re.compile(r"(?:到|至|截至|截止)$")  # "到 2025 年": a target beyond the budget year
_HORIZON_AFTER = re.compile(r"^年(?:底|末|前|以前|之前)")
# "2022-2025年", "2014—2017年": a span (a plan's, a programme's), no year of the budget's own.
_SPAN_BEFORE = re.compile(r"(?:19|20)\d{2}\s*年?\s*[-－—–~～至到]\s*$")
_SPAN_AFTER = re.compile(r"^年?\s*[-－—–~～至到]\s*(?:19|20)\d{2}")
# A goal's own time starts its clause ("2026年，力争…", "2026年工作重点"); "做好全市2025年全国1%人口抽样调查" names
# a survey by its year.
_GOAL_START = re.compile(r"(?:^|[，,。；;：:、\s]|[（(][一二三四五六七八九十\d]+[)）]|\d[.．、]"
                         r"|[一二三四五六七八九十]、)$")
# "2025年底的结转结余收入较2024年底有所下降": balances at two year ends before the budget year.
_YEAR_END = re.compile(r"^年(?:底|末|年底|年末)")
# "新人（1998年12月1日后参加工作人员）": a date a rule is tied to.
_FULL_DATE = re.compile(r"^年\d{1,2}月\d{1,2}日")
# "计划于2027年申请新购置公务车": a later year of a plan.
_PLAN_BEFORE = re.compile(r"(?:计划|预计|拟|将|力争|争取)(?:于|在|到)?$")
_FREE_PARTS = (1, 8)  # 部门概况, 名词解释: history and definitions may name any year
KIND_WORDS = ("决算", "预算")


@dataclass(frozen=True)
class YearUse:
    year: int
    # compare / year_end / as_of / budget / goal (this year's goals) / horizon ("到 2025 年") / dated / other
    context: str
    start: int
    month: int | None = None


def is_final_accounts(disclosure: Disclosure) -> bool:
    return "决算" in disclosure.kind or ("决算" in disclosure.title and "预算" not in disclosure.title)


def classify(text: str, in_goals: bool) -> Iterator[YearUse]:
    for match in _YEAR.finditer(text):
        year = int(match["year"])
        before = text[max(0, match.start() - 6):match.start()]
        after = text[match.end():match.end() + 30]
        if _SPAN_BEFORE.search(text[max(0, match.start() - 8):match.start()]) or _SPAN_AFTER.match(after):
            continue
        if _COMPARE.search(before) or (_COMPARE_WEAK.search(before) and _COMPARE_AFTER.search(after[:16])):
            yield YearUse(year, "year_end" if _YEAR_END.match(after) else "compare", match.start())
        elif _AS_OF.search(before):
            month = _AS_OF_DATE.match(after)
            yield YearUse(year, "as_of", match.start(), int(month["month"]) if month else None)
        elif in_goals and (_GOAL_START.search(before) or _HORIZON_BEFORE.search(before)):
            horizon = bool(_HORIZON_BEFORE.search(before) or _HORIZON_AFTER.match(after))
            yield YearUse(year, "horizon" if horizon else "goal", match.start())
        elif _BUDGET_WORD.match(after) and not re.search("比|结转|结余", after[:after.find("预算") + 1]) \
                and not _REASON.search(before):
            yield YearUse(year, "budget", match.start())
        elif _FULL_DATE.match(after) or _PLAN_BEFORE.search(before):
            yield YearUse(year, "dated", match.start())
        else:
            yield YearUse(year, "other", match.start())


def expected(use: YearUse, year: int, final: bool) -> tuple[str, Severity | None] | None:
    """What the year should be, and how bad a mismatch is (None: the rule's error); None when it fits."""
    if use.context == "compare":
        return (None if use.year == year - 1 else (f"{year - 1}年", None))
    if use.context == "year_end":  # a balance at a year's end compared with the end of the year before
        return None if year - 2 <= use.year <= year else (f"{year - 1}年", None)
    if use.context == "dated":  # a rule's date, a plan's later year: the rule cannot tell
        return None
    if use.context == "as_of":
        if final:
            return None if use.year == year else (f"{year}年", None)
        if use.year == year - 1 or (use.year == year and (use.month or 12) <= 3):
            return None
        return f"{year - 1}年", None
    if use.context == "budget":
        return None if use.year == year else (f"{year}年", None)
    if use.context == "horizon":
        return None if year <= use.year <= year + 5 else (f"{year}年或以后", None)
    if use.context == "goal":
        if use.year == year:
            return None
        return f"{year}年", (None if use.year < year else Severity.WARNING)
    return None if use.year in (year, year - 1) else (f"{year - 1}年或{year}年", Severity.WARNING)


_CONTEXT_WORDS = {"compare": "对比年份", "year_end": "对比年份", "dated": "年份", "as_of": "截止日期",
                  "budget": "预算年度", "goal": "目标年度", "horizon": "目标年度", "other": "年份"}


def _message(use: YearUse, want: str, final: bool) -> str:
    kind = "决算" if final else "预算"
    return {
        "compare": f"对比年份应为上一年度（{want}），文中为 {use.year} 年",
        "year_end": f"对比年份应为上一年度（{want}），文中为 {use.year} 年",
        "dated": f"年份 {use.year} 年既非本年度也非上年度，请核实",
        "as_of": f"{kind}中资产情况的截止日期应在 {want}，文中为 {use.year} 年",
        "budget": f"本{kind}年度为 {want}，文中写作 {use.year} 年",
        "goal": f"本年度工作目标的年度应为 {want}，文中为 {use.year} 年",
        "horizon": f"工作目标的年度应为 {want}，文中为 {use.year} 年",
        "other": f"年份 {use.year} 年既非本年度也非上年度，请核实",
    }[use.context]


_FREE_STANDARD = frozenset({"functions", "organisation", "overview", "glossary"})


def _free_part(place: Paragraph | Heading) -> bool:
    """A part about the department or its terms, under any number (a document without 第N部分)."""
    title = place.part_title if isinstance(place, Paragraph) else ""
    named = standard_part(title) if title else None
    return named is not None and named.key in _FREE_STANDARD


def _check(place: Paragraph | Heading, text: str, uses: Iterator[YearUse], year: int,
           final: bool) -> Iterator[Finding]:
    for use in uses:
        if use.context == "other" and (place.part in _FREE_PARTS or _free_part(place)):
            continue
        found = expected(use, year, final)
        if found is None:
            continue
        want, severity = found
        yield text_finding(place, _message(use, want, final), _CONTEXT_WORDS[use.context], want,
                           sentence_at(text, use.start), severity)


@rule("TEXT-YEAR", "error", "consistency",
      "说明中的年份与预算年度相符：对比年份为上一年度，本年数据为预算年度，资产截止日期为上年末，本年工作目标为预算年度"
      "（“到 2025 年”等远期目标为本年度或以后）；其他年份为警告",
      Finding("对比年份应为上一年度（2019年），文中为 2018 年", "第七部分", "一、机关运行经费 第1段", "对比年份",
              "2019年", "2020年罗湖区科技创新局机关运行经费财政拨款预算55.67万元，比2018年增加2.67万元，增长5.04%。"))
def years(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    year = disclosure.fiscal_year
    final = is_final_accounts(disclosure)
    title = normalize(disclosure.title)
    for match in _YEAR.finditer(title):
        if int(match["year"]) != year:
            yield Finding(f"文件标题中的年度应为 {year} 年，标题为 {match['year']} 年", "标题", "文件标题", "标题年份",
                          f"{year}年", title)
    for heading in headings(disclosure, ctx):
        in_goals = heading.part == 1 and bool(_GOAL_HEADING.search(heading.text))
        yield from _check(heading, heading.text, classify(heading.text, in_goals), year, final)
    for paragraph in paragraphs(disclosure, ctx):
        in_goals = paragraph.part == 1 and bool(_GOAL_HEADING.search(paragraph.heading))
        yield from _check(paragraph, paragraph.text, classify(paragraph.text, in_goals), year, final)

"""The phase of a figure a final account's text states: a 决算's sentences state an item's budget beside its
actual figure ("支出年初预算为15068.55万元，支出决算为13733.8万元，完成年初预算的91.14%"), and the figure reader
keys each by its phase as the tables key their columns (``model.final_accounts``): the 年初预算数
``<group>.initial_<item>``, the 全年预算数 (调整预算数) ``<group>.adjusted_<item>``, a budget the text does not say
which of the two ("预算为76.43万元") ``<group>.budget_<item>``, and the 决算数 the plain key. A budget's text is
read without phases (exactly as before).

Also the 执行率 a sentence prints ("完成年初预算的91.14%", "预算执行率为60.46%") and the phase it names.

Pure: reads strings, imports nothing outside the model.
"""

from __future__ import annotations

import re

from deptbudget.model.final_accounts import Phase

BUDGET = "budget_"  # a budget the text states without saying 年初 or 全年: either budget column of the table

# The words right before a stated amount that name its phase (the last ones before the number count).
_INITIAL = re.compile(r"年初预算(?:数|金额)?(?:为|是|共|合计)?$")
_ADJUSTED = re.compile(r"(?:全年|调整后?的?)预算(?:数|金额)?(?:为|是|共|合计)?$")
_BUDGET = re.compile(r"(?<!公共)(?<!基金)(?<!经营)预算(?:数|金额|安排)?(?:为|是|共|合计)?$")
_ACTUAL = re.compile(r"(?:决算|实际支出)(?:数|金额)?(?:为|是|共|合计)?$")
# "比2023年度决算数增加…": the year before's figure, no phase of this year's
_PREVIOUS = re.compile(r"(?:比|较|与)(?:上年|去年|上一年度?|\d{4}年度?)")


def stated_phase(before: str) -> str:
    """The key prefix of the amount that follows ``before`` (the text of its clause up to the number):
    ``initial_``, ``adjusted_``, ``budget_`` or "" (决算数, and any amount whose phase is not stated)."""
    if _PREVIOUS.search(before):
        return ""
    if _INITIAL.search(before):
        return Phase.INITIAL.prefix
    if _ADJUSTED.search(before):
        return Phase.ADJUSTED.prefix
    if _BUDGET.search(before):
        return BUDGET
    return ""


_AGAINST_BUDGET = re.compile(r"(?:比|较|与)(?:本年|当年)?(?:年初|全年|调整后?的?)?预算(?:数)?(?:相比)?")


def against_budget(before: str) -> bool:
    """A change stated against the year's budget ("决算数比年初预算减少…"), not against the year before: keyed
    ``<figure>.budget_change`` (and ``.budget_change_pct``), so that it is neither the change on last year
    (NAR-REPEAT) nor a growth rate (NAR-GROWTH-RATE)."""
    return bool(_AGAINST_BUDGET.search(before))


def names_actual(before: str) -> bool:
    """The amount after ``before`` is stated as the 决算数 ("支出决算为46.21" — an item named before it)."""
    return bool(_ACTUAL.search(before)) and not _PREVIOUS.search(before)


def phased(key: str, prefix: str) -> str:
    """``three_public.total`` in phase ``initial_`` → ``three_public.initial_total`` (the item carries the phase,
    as a table column's key does)."""
    if not prefix:
        return key
    group, _, item = key.rpartition(".")
    return f"{group}.{prefix}{item}" if group else f"{prefix}{item}"


def unphased(key: str) -> tuple[str, str]:
    """``fiscal.expenditure.initial_fiscal`` → (``fiscal.expenditure.fiscal``, ``initial_``)."""
    group, _, item = key.rpartition(".")
    for prefix in (Phase.INITIAL.prefix, Phase.ADJUSTED.prefix, BUDGET):
        if item.startswith(prefix):
            return (f"{group}.{item[len(prefix):]}" if group else item[len(prefix):]), prefix
    return key, ""


def budget_columns(prefix: str) -> tuple[str, ...]:
    """The column prefixes a stated budget is compared with: its own phase; a budget of unstated phase the
    全年预算数, else the 年初预算数."""
    if prefix == BUDGET:
        return Phase.ADJUSTED.prefix, Phase.INITIAL.prefix
    return (prefix,)


# A printed 执行率: "完成年初预算的91.14%", "完成预算的60.46%", "预算执行率为60.46%", "为全年预算的99.95%".
EXECUTION_RATE = re.compile(r"(?:完成|为|占|达到?)(?P<phase>年初|全年|调整后?)?预算(?:数)?的(?P<num>\d+(?:\.\d+)?)[%％]"
                            r"|(?:预算)?执行率(?:为|是|达到?)?(?P<num2>\d+(?:\.\d+)?)[%％]")


def rate_phase(match: re.Match[str]) -> str:
    """The key prefix of the budget a printed 执行率 is measured on."""
    word = match["phase"] or ""
    if word == "年初":
        return Phase.INITIAL.prefix
    if word:
        return Phase.ADJUSTED.prefix
    return BUDGET

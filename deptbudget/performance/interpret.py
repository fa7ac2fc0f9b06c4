"""What an entered value means for its indicator, and the check of a whole actuals file against
its budget.

``interpret`` turns a raw value (as written in YAML, XLSX or a web form) into a ``Reading``: a number
for a quantitative indicator (an optional unit must be the target's; ``约`` / ``≈`` / ``左右`` are
allowed), a grade for a 定性 one. ``resolve`` finds the indicator an entry names. ``check_actuals``
lists every problem of an ``Actuals`` against its budget, each with file, place and line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from deptbudget.model.budget import Budget
from deptbudget.performance.actuals_model import Actuals, EntityEntry, IndicatorEntry, Stage
from deptbudget.performance.rules import Rules
from deptbudget.performance.tree import EvalIndicator, IndicatorTree, normalize_name
from deptbudget.sources.errors import Problem


@dataclass(frozen=True)
class Reading:
    """A value interpreted for its indicator: a number (quantitative) or a grade (定性), or missing."""

    value: Decimal | None = None
    grade: str | None = None
    text: str = ""

    @property
    def missing(self) -> bool:
        return self.value is None and self.grade is None


MISSING = Reading()
_NUMBER_RE = re.compile(r"^(?:约|≈)?\s*(?P<num>[-+]?\d+(?:\.\d+)?)\s*(?P<unit>.*?)\s*(?:左右)?$")


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def interpret(indicator: EvalIndicator, raw: Any, rules: Rules) -> Reading:
    """The meaning of a value entered for ``indicator``. Raises ``ValueError`` (message in Chinese)
    for a value that cannot be an actual of it: a non-number for a quantitative indicator, a
    number in another unit, an unknown grade."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return MISSING
    if isinstance(raw, bool):
        raise ValueError(f"不是有效的实际值 (not a valid actual): {raw!r}")
    if indicator.is_qualitative:
        text = str(raw).strip()
        if rules.grade_ratio(text) is None:
            raise ValueError(f"定性指标的实际完成情况应为 {'/'.join(rules.grade_names)} 之一，"
                             f"不是「{text}」(qualitative indicator: pick a grade)")
        return Reading(grade=text, text=text)
    if isinstance(raw, int | Decimal):
        return Reading(value=Decimal(raw), text=str(raw))
    if isinstance(raw, float):  # XLSX cells: shortest repr is what was typed
        return Reading(value=Decimal(repr(raw)), text=repr(raw))
    text = str(raw).strip()
    match = _NUMBER_RE.match(_fold(text).replace(",", ""))
    if not match:
        raise ValueError(f"定量指标的实际值应为数字，不是「{text}」(quantitative indicator: a number is needed)")
    unit = match["unit"]
    if unit and _fold(unit) != _fold(indicator.unit or ""):
        expected = f"「{indicator.unit}」" if indicator.unit else "无单位"
        raise ValueError(f"实际值「{text}」的单位与目标值（{expected}）不一致 (unit differs from the target's)")
    try:
        return Reading(value=Decimal(match["num"]), text=text)
    except InvalidOperation:  # pragma: no cover - the regex admits only numbers
        raise ValueError(f"不是数字 (not a number): {text}") from None


def resolve(tree: IndicatorTree, entry: IndicatorEntry) -> EvalIndicator:
    """The tree's indicator an entry is for; ``LookupError`` when unknown or ambiguous."""
    if entry.level2:
        return tree.find(f"{entry.level2}/{entry.name}") if _ambiguous(tree, entry.name) else tree.find(entry.name)
    return tree.find(entry.name)


def _ambiguous(tree: IndicatorTree, name: str) -> bool:
    wanted = normalize_name(name)
    return sum(1 for i in tree.indicators if normalize_name(i.name) == wanted) > 1


# --- checking against the budget -------------------------------------------------------------


def check_actuals(budget: Budget, actuals: Actuals, trees: dict[str, IndicatorTree], rules: Rules,
                  department_tree: IndicatorTree | None = None) -> list[Problem]:
    """Problems of an actuals file against its budget: wrong year, unknown project code, unknown
    indicator, values that are not actuals of their indicator, entries given twice."""
    file = actuals.source
    problems: list[Problem] = []
    if actuals.fiscal_year is not None and actuals.fiscal_year != budget.fiscal_year:
        problems.append(Problem(file, "fiscal_year", f"年度 {actuals.fiscal_year} 与预算年度 {budget.fiscal_year} "
                                                     "不一致 (fiscal year differs from the budget's)"))
    seen: set[str] = set()
    for entry in actuals.projects:
        if entry.code in seen:
            problems.append(Problem(file, entry.place, f"项目编码 {entry.code} 重复 (project given twice)", entry.line))
            continue
        seen.add(entry.code)
        tree = trees.get(entry.code)
        if tree is None:
            problems.append(Problem(file, entry.place, f"预算中没有项目编码 {entry.code} (unknown project code)",
                                    entry.line))
            continue
        problems += _check_entity(file, entry, tree, actuals.stage, rules)
    if actuals.department is not None:
        if department_tree is None:
            problems.append(Problem(file, actuals.department.place, "预算没有部门整体绩效目标 (no 表14 targets)",
                                    actuals.department.line))
        else:
            problems += _check_entity(file, actuals.department, department_tree, actuals.stage, rules)
    return problems


def _check_entity(file: str, entry: EntityEntry, tree: IndicatorTree, stage: Stage, rules: Rules) -> list[Problem]:
    problems = []
    used: dict[int, str] = {}
    for item in entry.indicators:
        try:
            indicator = resolve(tree, item)
        except LookupError as exc:
            problems.append(Problem(file, item.place, str(exc), item.line))
            continue
        if indicator.index in used:
            problems.append(Problem(file, item.place, f"指标「{indicator.name}」重复填报 (indicator given twice; "
                                                      f"first at {used[indicator.index]})", item.line))
            continue
        used[indicator.index] = item.place
        fields = ("actual",) if stage is Stage.SELFEVAL else ("to_date", "expected")
        for name in fields:
            try:
                interpret(indicator, getattr(item, name), rules)
            except ValueError as exc:
                where = item.place if name == "actual" else f"{item.place}.{name}"
                problems.append(Problem(file, where, f"指标「{indicator.name}」：{exc}", item.line))
    return problems


def indicator_entries(tree: IndicatorTree, entry: EntityEntry | None) -> dict[int, IndicatorEntry]:
    """Entries by indicator index (entries that do not resolve are left out)."""
    out: dict[int, IndicatorEntry] = {}
    for item in entry.indicators if entry else []:
        try:
            out.setdefault(resolve(tree, item).index, item)
        except LookupError:
            continue
    return out

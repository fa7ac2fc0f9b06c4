"""Provenance in words: where a printed amount came from, said as a reader would say it.

A cell's provenance is a list of source paths (``basic[3]``, ``projects[2]``, ``income.general_funds``);
those are internal keys. :class:`ProvenanceWords` turns them into text such as
``预算源文件第 118 行：2060101 行政运行 / 30239 其他交通费用`` — with the budget at hand (file lines,
catalog names, project names), or in general words without it (``基本支出第 4 条``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from deptbudget.model.budget import Budget, FundSource, LineItem, Project, under_path
from deptbudget.model.disclosure import Cell

# Fields of the source that are not line items, named as the source form names them.
FIELD_LABELS: dict[str, str] = {
    "income": "收入",
    "three_public.total": "“三公”经费合计",
    "three_public.overseas": "因公出国（境）费",
    "three_public.reception": "公务接待费",
    "three_public.vehicles": "公务用车购置及运行维护费",
    "three_public.vehicle_purchase": "公务用车购置费",
    "three_public.vehicle_operation": "公务用车运行维护费",
    "three_public": "“三公”经费",
    "admin_operating": "机关运行经费",
    "last_year.income_total": "上年收入总计",
    "last_year.expenditure_total": "上年支出总计",
    "last_year.admin_operating": "上年机关运行经费",
    "last_year": "上年数",
    "procurement": "政府采购",
    "unit.name": "单位名称",
    "unit.head": "单位负责人",
    "unit.preparer": "填报人",
    "unit.phone": "联系电话",
    "unit.functions_detail": "职能概述",
    "unit": "单位信息",
    "department_targets.goals": "部门整体绩效目标",
    "department_targets.indicators": "部门整体绩效指标",
    "department_targets": "部门整体绩效目标",
}
PROJECT_FIELDS: dict[str, str] = {
    "period": "项目期限", "contact": "项目联系人", "phone": "联系电话", "goals": "绩效目标",
    "calculation": "测算依据", "timeliness": "工作时效", "indicators": "绩效指标", "lines": "支出",
}
LISTED = 3  # sources named one by one before "等 N 项"
_INDEX = re.compile(r"\[(\d+)\]")


def _field_label(path: str) -> str:
    if path.startswith("income."):
        key = path.split(".", 1)[1]
        try:
            return "收入：" + FundSource(key).label
        except ValueError:
            return "收入"
    if path.startswith("last_year.three_public."):
        return "上年" + FIELD_LABELS.get(path.removeprefix("last_year."), "“三公”经费")
    plain = _INDEX.sub("", path)
    label = under_path(FIELD_LABELS, plain)
    if label is None:
        return "预算源文件中的数据"
    indexed = _INDEX.search(path)
    return f"{label}第 {int(indexed.group(1)) + 1} 项" if indexed else label


def _ordinal_label(path: str) -> str:
    """Words for a path without the budget: 基本支出第 4 条, 第 3 个项目的绩效指标 …"""
    match = re.match(r"^(basic|projects)\[(\d+)\](?:\.(\w+))?", path)
    if match is None:
        return _field_label(path)
    kind, index, rest = match.group(1), int(match.group(2)) + 1, match.group(3)
    if kind == "basic":
        return f"基本支出第 {index} 条"
    return f"第 {index} 个项目" + (f"的{PROJECT_FIELDS.get(rest, '数据')}" if rest else "")


@dataclass(eq=False)
class ProvenanceWords:
    """Source paths → words. ``budget`` gives file lines, catalog names and project names."""

    budget: Budget | None = None
    _names: dict[tuple[str, str], str] = field(default_factory=dict)
    _cache: dict[str, str] = field(default_factory=dict)

    def _catalog_name(self, kind: str, code: str) -> str:
        key = (kind, code)
        if key not in self._names:
            name = ""
            if self.budget is not None:
                from deptbudget.catalog import load_catalog

                try:
                    entry = load_catalog(self.budget.fiscal_year).find(kind, code)
                except Exception:  # no catalog for the year: the code alone still says where
                    entry = None
                name = entry.name if entry is not None else ""
            self._names[key] = name
        return self._names[key]

    def _code(self, kind: str, code: str | None) -> str:
        if not code:
            return ""
        name = self._catalog_name(kind, code)
        return f"{code} {name}".strip()

    def _line_words(self, item: LineItem) -> str:
        parts = [self._code("exp_func", item.exp_func_code), self._code("dep_bgt_eco", item.dep_bgt_eco_code)]
        return " / ".join(p for p in parts if p)

    @cached_property
    def _items(self) -> tuple[dict[str, LineItem], dict[str, Project]]:
        budget = self.budget
        if budget is None:
            return {}, {}
        return {line.ref.path: line for line in budget.lines}, {p.ref.path: p for p in budget.projects}

    def _what(self, path: str) -> str:
        if self.budget is None:
            return _ordinal_label(path)
        items, projects = self._items
        project = under_path(projects, path)
        if project is not None and project.ref.path != path:
            rest = path[len(project.ref.path):].lstrip(".")
            field_name = _INDEX.sub("", rest).split(".")[0]
            return f"项目“{project.pro_name}”的{PROJECT_FIELDS.get(field_name, '数据')}"
        item = under_path(items, path)
        if item is not None:
            words = self._line_words(item)
            if project is not None:
                return f"项目“{project.pro_name}”" + (f"：{words}" if words else "")
            return ("基本支出：" + words) if words else "基本支出"
        if project is not None:
            return f"项目“{project.pro_name}”"
        return _field_label(path)

    def source(self, path: str) -> str:
        """One source path in words, with its line in the source file when known."""
        if path in self._cache:
            return self._cache[path]
        what = self._what(path)
        ref = self.budget.source_ref(path) if self.budget is not None else None
        if ref is not None and ref.line is not None:
            words = f"预算源文件第 {ref.line} 行：{what}"
        else:
            words = f"预算源文件：{what}"
        self._cache[path] = words
        return words

    def sources(self, paths: tuple[str, ...]) -> str:
        """A list of sources in words: the first few named, the rest counted."""
        if not paths:
            return ""
        named = [self.source(p) for p in paths[:LISTED]]
        more = len(paths) - LISTED
        text = "；".join(named)
        if more > 0:
            text += f"；等共 {len(paths)} 项"
        return text

    def cell(self, cell: Cell) -> str:
        """Everything a reader should know about an amount: sources, exact value, rounding."""
        lines: list[str] = []
        if cell.sources:
            prefix = "来源" if len(cell.sources) == 1 else f"由 {len(cell.sources)} 项合计，来源"
            lines.append(f"{prefix}：{self.sources(cell.sources)}。")
        if cell.exact is not None and cell.value is not None and cell.exact != cell.value:
            lines.append(f"精确值：{_plain(cell.exact)}。")
        if cell.rounding:
            lines.append(f"为使合计相符，舍入时调整了 {cell.rounding:+}。")
        if cell.parse_error:
            lines.append(f"无法识别：{cell.parse_error}。")
        return "".join(lines)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")

"""A budget's 绩效 targets as the performance module scores them (issue 7): its source, the
locality's rules and the indicator tree of each project and of 部门整体 — parsed once per source
content and cached; and the stages of the cycle (绩效运行监控, 绩效自评) by their URL key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from deptbudget.model.budget import Budget as SourceBudget
from deptbudget.performance import DEPARTMENT, IndicatorTree, Rules, Stage, build_tree, load_rules
from deptbudget.performance.rules import locality_of_template
from deptbudget.performance.tree import EvalIndicator, TreeError, normalize_name, project_tree
from deptbudget.sources.errors import SourceError
from deptbudget.store.documents import parse_document
from deptbudget.store.models import Budget
from deptbudget.web import services
from deptbudget.web.cache import LRUCache

STAGES = {"midyear": Stage.MIDYEAR, "selfeval": Stage.SELFEVAL}


def stage_of(key: str) -> Stage:
    try:
        return STAGES[key]
    except KeyError:
        raise services.ServiceError("没有这个绩效阶段（midyear 或 selfeval）。") from None


@dataclass
class Targets:
    """A budget's source, its rules and the scoring tree of each project and of 部门整体."""

    budget: SourceBudget
    rules: Rules
    trees: dict[str, IndicatorTree]
    department: IndicatorTree | None
    problems: list[str] = field(default_factory=list)  # targets that cannot be made into a tree

    @property
    def ok(self) -> bool:
        return not self.problems

    def prefixes(self) -> dict[str, str]:
        """Form field prefix of each entity: ``p0``, ``p1`` … for projects, ``d`` for 部门整体."""
        out = {p.pro_code: f"p{k}" for k, p in enumerate(self.budget.projects)}
        out[DEPARTMENT] = "d"
        return out

    def tree(self, code: str) -> IndicatorTree | None:
        return self.department if code == DEPARTMENT else self.trees.get(code)


TARGETS_CACHE: LRUCache[tuple[str, str], Targets] = LRUCache(64)


def targets(budget: Budget) -> Targets:
    """Parsed and cached by the source's content. ``ServiceError`` when the source does not load."""
    key = (budget.source_format, hashlib.sha256(budget.source.encode("utf-8")).hexdigest())
    return TARGETS_CACHE.get_or_make(key, lambda: _targets(budget))


def _targets(budget: Budget) -> Targets:
    try:
        source = parse_document(budget.source, budget.source_format, f"{budget.unit.name}-{budget.fiscal_year}")
    except SourceError:
        raise services.Refused("预算源数据有错误，无法读取绩效目标。") from None
    rules = load_rules(locality_of_template(source.template))
    trees: dict[str, IndicatorTree] = {}
    problems: list[str] = []
    for project in source.projects:
        try:
            trees[project.pro_code] = project_tree(project, rules)
        except TreeError as exc:
            problems += [f"{project.pro_name}：{p}" for p in exc.problems]
    department = None
    if source.department_targets.indicators:
        try:
            department = build_tree(source.department_targets.indicators, rules)
        except TreeError as exc:
            problems += [f"部门整体：{p}" for p in exc.problems]
    return Targets(source, rules, trees, department, problems)


def indicator_key(tree: IndicatorTree, indicator: EvalIndicator) -> str:
    """The name an indicator's values are stored under: its name, or ``二级/名称`` when repeated."""
    wanted = normalize_name(indicator.name)
    repeated = sum(1 for i in tree.indicators if normalize_name(i.name) == wanted) > 1
    return f"{indicator.level2}/{indicator.name}" if repeated else indicator.name


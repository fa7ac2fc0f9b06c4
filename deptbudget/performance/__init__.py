"""Performance management (预算绩效管理): indicator trees, mid-year monitoring, self-evaluation.

Pure functions over plain data classes; nothing here keeps state or touches a database, so the
CLI (``deptbudget evaluate``) and the web system call the same code. See ``docs/performance.md``.

- ``rules``: a locality's rules as data (points, tolerances, grades, deadlines).
- ``tree``: ``build_tree(indicators, rules)`` → ``IndicatorTree`` (一级 → 二级 → 三级 with points).
- ``library``: ``load_library(locality)`` → the indicator library preparers pick from.
- ``actuals_model``: entered values (``Actuals``); ``actuals``: ``load_actuals`` (YAML or XLSX) and the
  names callers use; ``actuals_yaml`` / ``actuals_xlsx`` / ``actuals_store``: the file formats and the
  stored dict; ``interpret``: what a value means for its indicator, ``check_actuals`` against a budget.
- ``scoring``: ``self_evaluate(budget, actuals, rules)`` → ``SelfEvaluation``.
- ``monitoring``: ``monitor(budget, actuals, rules)`` → ``MidyearMonitoring``; ``late_units``.
- ``workflow``: submission status transitions; the finance bureau's overview and filters.
- ``forms`` / ``render``: the printed forms and their HTML / XLSX / PDF writers.
"""

from deptbudget.performance.actuals import load_actuals
from deptbudget.performance.actuals_model import DEPARTMENT, Actuals, EntityEntry, IndicatorEntry, Stage
from deptbudget.performance.actuals_store import actuals_from_dict, actuals_to_dict
from deptbudget.performance.actuals_xlsx import write_actuals_xlsx
from deptbudget.performance.interpret import check_actuals
from deptbudget.performance.library import IndicatorLibrary, LibraryEntry, load_library
from deptbudget.performance.monitoring import (
    LateUnit,
    MidyearMonitoring,
    ProjectMonitoring,
    UnitProgress,
    deadline,
    late_units,
    monitor,
    monitor_project,
    time_progress,
)
from deptbudget.performance.rules import Rules, load_rules, load_rules_file
from deptbudget.performance.scoring import (
    Evaluation,
    IndicatorScore,
    Outcome,
    SelfEvaluation,
    evaluate_department,
    evaluate_project,
    score_execution,
    score_indicator,
    self_evaluate,
)
from deptbudget.performance.tree import EvalIndicator, IndicatorTree, build_tree

__all__ = [
    "DEPARTMENT",
    "Actuals",
    "EntityEntry",
    "EvalIndicator",
    "Evaluation",
    "IndicatorEntry",
    "IndicatorLibrary",
    "IndicatorScore",
    "IndicatorTree",
    "LateUnit",
    "LibraryEntry",
    "MidyearMonitoring",
    "Outcome",
    "ProjectMonitoring",
    "Rules",
    "SelfEvaluation",
    "Stage",
    "UnitProgress",
    "actuals_from_dict",
    "actuals_to_dict",
    "build_tree",
    "check_actuals",
    "deadline",
    "evaluate_department",
    "evaluate_project",
    "late_units",
    "load_actuals",
    "load_library",
    "load_rules",
    "load_rules_file",
    "monitor",
    "monitor_project",
    "score_execution",
    "score_indicator",
    "self_evaluate",
    "time_progress",
    "write_actuals_xlsx",
]

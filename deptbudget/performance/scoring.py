"""Self-evaluation scoring (绩效自评) by the Ministry of Finance rules.

Points: 预算执行率 10, 产出 50, 效益 30, 满意度 10 by default (per locality in the rules file),
split among a tree's indicators (``deptbudget.performance.tree``). Each indicator earns its points
× its completion ratio (0 … 1), rounded half-up to 0.01:

- ``≥`` (and ``>``): actual / target, capped at 1; a target of 0 is met by any actual ≥ 0.
- ``≤`` (and ``<``): target / actual, capped at 1; an actual of 0 earns full marks; a target of 0
  is met only by an actual of 0.
- ``=`` and ``约``: full marks while |actual − target| / target is within the rules' band (5 % and
  10 % by default); outside it min(actual, target) / max(actual, target). A target of 0 is met
  only by 0.
- 定性: the share of the grade picked (达成 100 %, 基本达成 80 %, 部分达成 60 %, 未达成 0 %).
- no actual: 0, flagged as missing.

预算执行率 earns min(spent / budget, 1) × 10. The total is the sum of the rounded parts, graded
优 ≥ 90, 良 80–90, 中 60–80, 差 < 60. A target that was missed needs an explanation.

Everything is Decimal; nothing here reads files or keeps state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from deptbudget.model.budget import Budget, Project
from deptbudget.model.money import round_half_up
from deptbudget.performance.actuals_model import DEPARTMENT, Actuals, EntityEntry, IndicatorEntry
from deptbudget.performance.interpret import MISSING, Reading, indicator_entries, interpret
from deptbudget.performance.labels import LabelledEnum
from deptbudget.performance.rules import Rules
from deptbudget.performance.tree import EvalIndicator, IndicatorTree, build_tree, project_tree
from deptbudget.sources.errors import Problem

ONE = Decimal(1)
ZERO = Decimal(0)
HUNDRED = Decimal(100)


class Outcome(LabelledEnum):
    MET = "met", "达成"
    MISSED = "missed", "未完全达成"  # in whole or part: needs an explanation
    MISSING = "missing", "未填报"


def completion(indicator: EvalIndicator, reading: Reading, rules: Rules) -> tuple[Decimal, bool]:
    """(completion ratio 0 … 1, target met) of a reading against its indicator."""
    if reading.missing:
        return ZERO, False
    if indicator.is_qualitative:
        ratio = rules.grade_ratio(reading.grade or "")
        if ratio is None:
            raise ValueError(f"未知的等级 (unknown grade): {reading.grade}")
        return ratio, ratio >= ONE
    if reading.value is None:
        raise ValueError(f"定量指标「{indicator.name}」需要数值 (a number is needed)")
    return quantitative_completion(indicator.direction, indicator.value or ZERO, reading.value, rules)


def quantitative_completion(direction: str, target: Decimal, actual: Decimal, rules: Rules) -> tuple[Decimal, bool]:
    if direction in ("≥", ">"):
        if target <= 0:
            met = actual >= target
            return (ONE if met else ZERO), met
        if actual <= 0:
            return ZERO, False
        return min(actual / target, ONE), actual >= target
    if direction in ("≤", "<"):
        if actual <= 0:
            return ONE, True
        if target <= 0:
            return ZERO, False
        return min(target / actual, ONE), actual <= target
    # "=" and "约"
    band = rules.tolerance.get(direction, ZERO)
    if target == 0:
        met = actual == 0
        return (ONE if met else ZERO), met
    deviation = abs(actual - target) / abs(target)
    if deviation <= band:
        return ONE, True
    if actual <= 0 or target < 0:
        return ZERO, False
    return min(actual, target) / max(actual, target), False


@dataclass
class IndicatorScore:
    indicator: EvalIndicator
    reading: Reading
    ratio: Decimal  # completion, exact
    score: Decimal  # 0.01
    outcome: Outcome
    explanation: str = ""
    entry: IndicatorEntry | None = None

    @property
    def points(self) -> Decimal:
        return self.indicator.points

    @property
    def needs_explanation(self) -> bool:
        return self.outcome is Outcome.MISSED and not self.explanation.strip()

    @property
    def actual_text(self) -> str:
        if self.reading.missing:
            return ""
        if self.reading.grade is not None:
            return self.reading.grade
        value = self.reading.value
        assert value is not None
        text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
        unit = self.indicator.unit or ""
        return f"{text}{unit}" if unit == "%" else (f"{text} {unit}" if unit else text)


def score_indicator(indicator: EvalIndicator, reading: Reading, rules: Rules, explanation: str = "",
                    entry: IndicatorEntry | None = None) -> IndicatorScore:
    ratio, met = completion(indicator, reading, rules)
    outcome = Outcome.MISSING if reading.missing else (Outcome.MET if met else Outcome.MISSED)
    return IndicatorScore(indicator, reading, ratio, round_half_up(indicator.points * ratio), outcome,
                          explanation, entry)


@dataclass
class ExecutionScore:
    """预算执行率: spent / budget (元), scored as min(rate, 1) × points."""

    budget: Decimal
    spent: Decimal | None
    points: Decimal
    rate: Decimal | None  # exact fraction; None when not computable
    score: Decimal

    @property
    def missing(self) -> bool:
        return self.spent is None

    @property
    def over_budget(self) -> bool:
        return self.rate is not None and self.rate > ONE

    @property
    def percent(self) -> Decimal | None:
        return None if self.rate is None else round_half_up(self.rate * HUNDRED)


def score_execution(budget: Decimal, spent: Decimal | None, points: Decimal) -> ExecutionScore:
    if spent is None:
        return ExecutionScore(budget, None, points, None, ZERO)
    if budget <= 0:
        rate = ONE if spent <= 0 else None
    else:
        rate = spent / budget
    score = ZERO if rate is None else round_half_up(min(rate, ONE) * points)
    return ExecutionScore(budget, spent, points, rate, score)


@dataclass
class Evaluation:
    """The self-evaluation of one project, or of the department as a whole."""

    code: str  # pro_code, or DEPARTMENT
    name: str
    tree: IndicatorTree
    execution: ExecutionScore
    indicators: list[IndicatorScore]
    grade: str
    approved: Decimal  # 年初预算数 (元)
    summary: str = ""  # 实际完成情况
    explanation: str = ""  # 预算执行偏差说明
    goals: list[str] = field(default_factory=list)
    entry: EntityEntry | None = None

    @property
    def is_department(self) -> bool:
        return self.code == DEPARTMENT

    @property
    def total(self) -> Decimal:
        return self.execution.score + sum((s.score for s in self.indicators), ZERO)

    @property
    def total_points(self) -> Decimal:
        return self.tree.total_points

    def dimension_score(self, key: str) -> Decimal:
        return sum((s.score for s in self.indicators if s.indicator.dimension == key), ZERO)

    def dimension_points(self, key: str) -> Decimal:
        return sum((s.points for s in self.indicators if s.indicator.dimension == key), ZERO)

    @property
    def missed(self) -> list[IndicatorScore]:
        return [s for s in self.indicators if s.outcome is Outcome.MISSED]

    @property
    def missing(self) -> list[IndicatorScore]:
        return [s for s in self.indicators if s.outcome is Outcome.MISSING]

    @property
    def unexplained(self) -> list[IndicatorScore]:
        return [s for s in self.indicators if s.needs_explanation]


def evaluate(code: str, name: str, tree: IndicatorTree, approved: Decimal, entry: EntityEntry | None,
             rules: Rules, spent: Decimal | None = None, goals: list[str] | None = None) -> Evaluation:
    """Score one tree against one entity's entries (values that do not interpret raise ValueError;
    ``check_actuals`` reports them first)."""
    by_index = indicator_entries(tree, entry)
    scores = []
    for indicator in tree.indicators:
        item = by_index.get(indicator.index)
        reading = interpret(indicator, item.actual, rules) if item else MISSING
        scores.append(score_indicator(indicator, reading, rules, item.explanation if item else "", item))
    budget = entry.budget if entry and entry.budget is not None else approved
    if spent is None and entry is not None:
        spent = entry.spent
    execution = score_execution(budget, spent, tree.execution_points)
    partial = Evaluation(code, name, tree, execution, scores, "", approved,
                         entry.summary if entry else "", entry.explanation if entry else "", goals or [], entry)
    partial.grade = rules.grade_of(partial.total)
    return partial


def evaluate_project(project: Project, entry: EntityEntry | None, rules: Rules,
                     tree: IndicatorTree | None = None) -> Evaluation:
    tree = tree or project_tree(project, rules)
    return evaluate(project.pro_code, project.pro_name, tree, project.amount, entry, rules, goals=project.goals)


def budget_total(budget: Budget) -> Decimal:
    return sum((line.amount for line in budget.lines), ZERO)


def evaluate_department(budget: Budget, entry: EntityEntry | None, project_entries: list[EntityEntry],
                        rules: Rules, tree: IndicatorTree | None = None) -> Evaluation:
    """部门整体: 表14 targets; spent is the entry's ``spent``, else its ``basic_spent`` plus every
    project's spent."""
    tree = tree or build_tree(budget.department_targets.indicators, rules)
    spent = None
    if entry is not None and entry.spent is None and entry.basic_spent is not None:
        spent = entry.basic_spent + sum((e.spent for e in project_entries if e.spent is not None), ZERO)
    return evaluate(DEPARTMENT, budget.unit.name, tree, budget_total(budget), entry, rules, spent=spent,
                    goals=budget.department_targets.goals)


@dataclass
class SelfEvaluation:
    """A unit's self-evaluation for a year: every project, and the department as a whole."""

    fiscal_year: int
    unit_name: str
    projects: list[Evaluation]
    department: Evaluation | None
    rules: Rules
    source: str = ""

    @property
    def evaluations(self) -> list[Evaluation]:
        return self.projects + ([self.department] if self.department else [])

    def explanation_problems(self) -> list[Problem]:
        """Each missed target without an explanation (偏差原因分析及改进措施)."""
        problems = []
        for ev in self.evaluations:
            for s in ev.unexplained:
                where = s.entry.place if s.entry else (
                    f"department.indicators.{s.indicator.name}" if ev.is_department
                    else f"projects.{ev.code}.indicators.{s.indicator.name}")
                message = (f"{ev.name}：指标「{s.indicator.name}」未达成目标（目标 {s.indicator.target_text}，"
                           f"实际 {s.actual_text}），须说明偏差原因及改进措施 (explanation required)")
                problems.append(Problem(self.source, where, message, s.entry.line if s.entry else None))
        return problems


def project_trees(budget: Budget, rules: Rules) -> dict[str, IndicatorTree]:
    return {p.pro_code: project_tree(p, rules) for p in budget.projects}


def self_evaluate(budget: Budget, actuals: Actuals, rules: Rules, include_department: bool = True) -> SelfEvaluation:
    """Score every project of ``budget`` (a project without entries scores 0 and is flagged as
    missing) and, when 表14 has targets, the department as a whole."""
    trees = project_trees(budget, rules)
    entries = {e.code: e for e in actuals.projects}
    projects = [evaluate_project(p, entries.get(p.pro_code), rules, trees[p.pro_code]) for p in budget.projects]
    department = None
    if include_department and budget.department_targets.indicators:
        department = evaluate_department(budget, actuals.department, actuals.projects, rules)
    return SelfEvaluation(budget.fiscal_year, budget.unit.name, projects, department, rules, actuals.source)

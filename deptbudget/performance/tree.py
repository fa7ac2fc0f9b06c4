"""The indicator tree as used for evaluation: 一级 (dimension) → 二级 → 三级 with points.

Built from a budget's ``Indicator`` list (表15 of a project, 表14 of the department). Each 三级
indicator gets its dimension for scoring (the Shenzhen form writes 服务对象满意度指标 under 一级
效益指标: it is scored as 满意度), its parsed target (direction ≥ ≤ = 约 > < or 定性) and its points
(分值). Points come from the indicators' ``weight`` where given, else the dimension's points
(产出 50, 效益 30, 满意度 10 by default) are split equally among its indicators, to the cent, so
that they add up exactly.

A project's 工作时效 (its ``timeliness`` text, printed in 表15 as 产出指标 / 工作时效) is an
indicator too: :func:`project_indicators` adds it, judged by grade (达成 …), and an actuals file
may name it by its 二级 name ``工作时效``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from deptbudget.model.budget import Indicator, Project
from deptbudget.model.targets import QUALITATIVE, parse_target
from deptbudget.performance.rules import Rules

CENT = Decimal("0.01")
TIMELINESS = ("产出指标", "工作时效")  # where 表15 prints a project's 工作时效: 一级, 二级
HUNDRED = Decimal(100)


class TreeError(ValueError):
    """Indicators that cannot be made into a scoring tree (unknown 一级, bad weights)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class EvalIndicator:
    """A 三级 indicator ready for scoring."""

    index: int  # position in the source list (表15 order)
    dimension: str  # 产出 / 效益 / 满意度 / 成本 — the 一级 it is shown and scored under
    pool: str  # the dimension whose points it shares (成本 → 产出 when 成本 has no points)
    level1: str  # 一级 as written
    level2: str  # 二级 as written
    name: str  # 三级 指标内容
    target_text: str  # 年度指标值 as written
    direction: str  # ≥ ≤ = 约 > < or 定性
    value: Decimal | None
    unit: str | None
    points: Decimal = Decimal(0)  # 分值
    weight_given: bool = False

    @property
    def key(self) -> str:
        return f"i{self.index}"

    @property
    def is_qualitative(self) -> bool:
        return self.direction == QUALITATIVE or self.value is None

    @property
    def label(self) -> str:
        return f"{self.level2}/{self.name}"


@dataclass
class Level2Node:
    name: str
    indicators: list[EvalIndicator] = field(default_factory=list)

    @property
    def points(self) -> Decimal:
        return sum((i.points for i in self.indicators), Decimal(0))


@dataclass
class DimensionNode:
    key: str
    label: str
    level2: list[Level2Node] = field(default_factory=list)

    @property
    def indicators(self) -> list[EvalIndicator]:
        return [i for node in self.level2 for i in node.indicators]

    @property
    def points(self) -> Decimal:
        return sum((i.points for i in self.indicators), Decimal(0))


@dataclass
class IndicatorTree:
    dimensions: list[DimensionNode]
    execution_points: Decimal

    @property
    def indicators(self) -> list[EvalIndicator]:
        """Every 三级 indicator in tree order (dimension, 二级, then source order)."""
        return [i for dim in self.dimensions for i in dim.indicators]

    @property
    def total_points(self) -> Decimal:
        return self.execution_points + sum((d.points for d in self.dimensions), Decimal(0))

    def dimension(self, key: str) -> DimensionNode | None:
        return next((d for d in self.dimensions if d.key == key), None)

    def find(self, name: str) -> EvalIndicator:
        """The indicator named ``name`` (or ``二级/名称`` when a name is used twice).

        Raises ``LookupError`` with a message in Chinese: unknown, or ambiguous.
        """
        wanted = normalize_name(name)
        level2 = None
        if "/" in name and not any(normalize_name(i.name) == wanted for i in self.indicators):
            level2, _, rest = name.partition("/")
            wanted, level2 = normalize_name(rest), normalize_name(level2)
        hits = [i for i in self.indicators
                if normalize_name(i.name) == wanted and (level2 is None or normalize_name(i.level2) == level2)]
        if not hits:  # a 二级 with one indicator, named by its 二级 (工作时效)
            hits = [i for i in self.indicators if normalize_name(i.level2) == wanted and level2 is None
                    and sum(1 for j in self.indicators if j.level2 == i.level2) == 1]
        if not hits:
            raise LookupError(f"没有名为「{name}」的指标 (unknown indicator)")
        if len(hits) > 1:
            raise LookupError(f"指标「{name}」出现 {len(hits)} 次，请写作「二级指标/指标名称」(ambiguous indicator)")
        return hits[0]


def normalize_name(text: str) -> str:
    """Names compare after NFKC (full/half width), without spaces and trailing 。."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(folded.split()).rstrip("。.")


# --- point allocation ------------------------------------------------------------------------


def split_equal(total: Decimal, n: int) -> list[Decimal]:
    """``total`` split into ``n`` amounts to the cent that add up exactly; earlier parts get the
    extra cents (50 / 3 → 16.67, 16.67, 16.66)."""
    if n <= 0:
        return []
    cents = int((total / CENT).to_integral_value(rounding=ROUND_FLOOR))
    base, extra = divmod(cents, n)
    return [Decimal(base + (1 if k < extra else 0)) * CENT for k in range(n)]


def split_proportional(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """``total`` split in proportion to ``weights``, to the cent, by largest remainder."""
    whole = sum(weights, Decimal(0))
    if not weights or whole == 0:
        return [Decimal(0)] * len(weights)
    cents = int((total / CENT).to_integral_value(rounding=ROUND_FLOOR))
    exact = [Decimal(cents) * w / whole for w in weights]
    floors = [int(x.to_integral_value(rounding=ROUND_FLOOR)) for x in exact]
    order = sorted(range(len(weights)), key=lambda k: (exact[k] - floors[k], -k), reverse=True)
    for k in order[: cents - sum(floors)]:
        floors[k] += 1
    return [Decimal(f) * CENT for f in floors]


def project_indicators(project: Project) -> tuple[Indicator, ...]:
    """Every indicator of a project's targets as 表15 prints them: its indicators, then its 工作时效
    (when written) as a 产出 indicator judged by grade."""
    timeliness = project.timeliness.strip()
    if not timeliness:
        return tuple(project.indicators)
    return (*project.indicators, Indicator(TIMELINESS[0], TIMELINESS[1], timeliness))


def project_tree(project: Project, rules: Rules) -> IndicatorTree:
    """The scoring tree of a project: :func:`project_indicators`, 工作时效 included."""
    return build_tree(project_indicators(project), rules)


def build_tree(indicators: Iterable[Indicator], rules: Rules) -> IndicatorTree:
    """The scoring tree of a list of indicators (a project's 表15, or 表14)."""
    problems: list[str] = []
    items: list[EvalIndicator] = []
    for index, ind in enumerate(indicators):
        try:
            dim = rules.dimension_of(ind.level1, ind.level2)
        except KeyError:
            problems.append(f"指标「{ind.name}」的一级指标「{ind.level1}」无法识别 (unknown 一级 indicator)")
            continue
        direction, value, unit = ind.direction, ind.value, ind.unit
        if direction is None and ind.target:
            parsed = parse_target(ind.target)
            direction, value, unit = parsed.direction, parsed.value, parsed.unit
        if direction is None or value is None:
            direction, value = QUALITATIVE, None  # no target written: judged by grade
        items.append(EvalIndicator(
            index=index, dimension=dim, pool=rules.pool_of(dim), level1=ind.level1, level2=ind.level2,
            name=ind.name, target_text=ind.target, direction=direction, value=value, unit=unit,
            points=ind.weight if ind.weight is not None else Decimal(0), weight_given=ind.weight is not None,
        ))
    if problems:
        raise TreeError(problems)
    _allocate_points(items, rules)
    return _arrange(items, rules)


def _allocate_points(items: list[EvalIndicator], rules: Rules) -> None:
    if items and all(i.weight_given for i in items):
        total = sum((i.points for i in items), Decimal(0))
        expected = HUNDRED - rules.execution_points
        if total != expected:
            raise TreeError([f"指标分值合计 {total}，应为 {expected} (weights must add up to {expected})"])
        return
    pools = [d for d in rules.scored_dimensions]
    points = {d.key: d.points or Decimal(0) for d in pools}
    members = {d.key: [i for i in items if i.pool == d.key] for d in pools}
    empty = [k for k in points if not members[k]]
    full = [k for k in points if members[k]]
    if empty and full and rules.empty_dimension == "redistribute":
        spare = sum((points[k] for k in empty), Decimal(0))
        extra = split_proportional(spare, [points[k] for k in full])
        for k, add in zip(full, extra, strict=True):
            points[k] += add
    problems = []
    for key, pool_items in members.items():
        if not pool_items:
            continue
        weighted = sum((i.points for i in pool_items if i.weight_given), Decimal(0))
        rest = points[key] - weighted
        free = [i for i in pool_items if not i.weight_given]
        if rest < 0 or (not free and rest != 0):
            problems.append(f"{rules.dimension(key).label}的指标分值合计 {weighted}，应为 {points[key]} "
                            f"(weights of {key} add up to {weighted}, not {points[key]})")
            continue
        for item, share in zip(free, split_equal(rest, len(free)), strict=True):
            item.points = share
    if problems:
        raise TreeError(problems)


def _arrange(items: list[EvalIndicator], rules: Rules) -> IndicatorTree:
    dims: list[DimensionNode] = []
    for rule in rules.dimensions:
        chosen = [i for i in items if i.dimension == rule.key]
        if not chosen:
            continue
        node = DimensionNode(rule.key, rule.label)
        for item in chosen:
            level2 = next((n for n in node.level2 if n.name == item.level2), None)
            if level2 is None:
                level2 = Level2Node(item.level2)
                node.level2.append(level2)
            level2.indicators.append(item)
        dims.append(node)
    return IndicatorTree(dims, rules.execution_points)

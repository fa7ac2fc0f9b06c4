"""A locality's performance-management rules, read from a data file.

``deptbudget/performance/data/rules-<locality>.yaml`` holds the dimension points (产出 50, 效益 30,
满意度 10, 预算执行率 10 by default), the tolerance bands of ``=`` and ``约`` targets, the grade
bands of qualitative indicators, the score → grade table, the monitoring tolerance and the
deadlines. A new locality is a new data file, not code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from deptbudget.performance.data_files import DATA_DIR, DEFAULT_LOCALITY, read_yaml_file

# Dimension keys (一级指标 for scoring).
OUTPUT = "产出"
BENEFIT = "效益"
SATISFACTION = "满意度"
COST = "成本"


class RulesError(ValueError):
    """A rules file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class DimensionRule:
    key: str  # 产出 / 效益 / 满意度 / 成本
    label: str  # 产出指标 …, as printed in the forms
    points: Decimal | None  # None: scored inside ``pool``
    pool: str | None = None


@dataclass(frozen=True)
class Band:
    """A named band: a qualitative grade (name, share of the points) or a total-score grade
    (name, minimum score)."""

    name: str
    value: Decimal


@dataclass(frozen=True)
class Rules:
    locality: str
    name: str
    dimensions: tuple[DimensionRule, ...]
    execution_points: Decimal
    level1_dimensions: dict[str, str]
    level2_dimensions: dict[str, str]
    empty_dimension: str  # "redistribute" or "drop"
    tolerance: dict[str, Decimal]  # direction → relative band
    qualitative_grades: tuple[Band, ...]  # name → ratio, best first
    grades: tuple[Band, ...]  # name → minimum score, highest first
    execution_tolerance: Decimal  # percentage points below the time schedule
    midyear_deadline: tuple[int, int]  # (month, day)
    selfeval_deadline: tuple[int, int]
    selfeval_year_offset: int = 1
    key_min_amount: Decimal | None = None
    key_grades: tuple[str, ...] = ()
    source: str = field(default="", compare=False)

    # --- lookups ---------------------------------------------------------------------------

    def dimension(self, key: str) -> DimensionRule:
        for dim in self.dimensions:
            if dim.key == key:
                return dim
        raise KeyError(key)

    def dimension_of(self, level1: str, level2: str) -> str:
        """The scoring dimension of an indicator written with this 一级 / 二级."""
        l1, l2 = level1.strip(), level2.strip()
        if l2 in self.level2_dimensions:
            return self.level2_dimensions[l2]
        if l1 in self.level1_dimensions:
            return self.level1_dimensions[l1]
        for dim in self.dimensions:  # "产出指标一", "效益指标（社会）" …
            if l1.startswith(dim.key) or l1.startswith(dim.label):
                return dim.key
        raise KeyError(level1)

    def pool_of(self, key: str) -> str:
        dim = self.dimension(key)
        return dim.key if dim.points is not None else (dim.pool or OUTPUT)

    @property
    def scored_dimensions(self) -> list[DimensionRule]:
        return [d for d in self.dimensions if d.points is not None]

    @property
    def met_grade(self) -> str:
        return self.qualitative_grades[0].name

    @property
    def grade_names(self) -> list[str]:
        return [band.name for band in self.qualitative_grades]

    def grade_ratio(self, name: str) -> Decimal | None:
        for band in self.qualitative_grades:
            if band.name == name.strip():
                return band.value
        return None

    def grade_of(self, score: Decimal) -> str:
        """优 / 良 / 中 / 差 for a total score."""
        for band in self.grades:
            if score >= band.value:
                return band.name
        return self.grades[-1].name

    def midyear_deadline_for(self, fiscal_year: int) -> date:
        month, day = self.midyear_deadline
        return date(fiscal_year, month, day)

    def selfeval_deadline_for(self, fiscal_year: int) -> date:
        month, day = self.selfeval_deadline
        return date(fiscal_year + self.selfeval_year_offset, month, day)


# --- loading ---------------------------------------------------------------------------------


def _decimal(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or isinstance(value, float):
        raise RulesError(f"{where}: 应写为带引号的数字 (write numbers as quoted strings): {value!r}")
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise RulesError(f"{where}: 不是数字 (not a number): {value!r}") from None


def _month_day(value: Any, where: str) -> tuple[int, int]:
    try:
        month, day = (int(part) for part in str(value).split("-"))
        date(2000, month, day)  # a leap year: 02-29 is allowed
    except ValueError:
        raise RulesError(f"{where}: 日期应为 MM-DD (month-day): {value!r}") from None
    return month, day


def parse_rules(data: dict[str, Any], source: str = "<rules>") -> Rules:
    def need(key: str) -> Any:
        if key not in data:
            raise RulesError(f"{source}: 缺少 {key} (missing key)")
        return data[key]

    dims = []
    for i, item in enumerate(need("dimensions")):
        where = f"{source}: dimensions[{i}]"
        points = item.get("points")
        dims.append(DimensionRule(key=str(item["key"]), label=str(item.get("label") or item["key"]),
                                  points=None if points is None else _decimal(points, where),
                                  pool=item.get("pool")))
    keys = {d.key for d in dims}
    for d in dims:
        if d.points is None and d.pool not in {k.key for k in dims if k.points is not None}:
            raise RulesError(f"{source}: dimensions.{d.key}: 无分值时须指定 pool (needs a pool with points)")
    l1 = {str(k): str(v) for k, v in (data.get("level1_dimensions") or {}).items()}
    l2 = {str(k): str(v) for k, v in (data.get("level2_dimensions") or {}).items()}
    for name, key in {**l1, **l2}.items():
        if key not in keys:
            raise RulesError(f"{source}: {name} → {key}: 未定义的维度 (unknown dimension)")
    empty = str(data.get("empty_dimension", "redistribute"))
    if empty not in ("redistribute", "drop"):
        raise RulesError(f"{source}: empty_dimension 应为 redistribute 或 drop: {empty!r}")
    tolerance = {str(k): _decimal(v, f"{source}: tolerance.{k}") for k, v in (data.get("tolerance") or {}).items()}
    qual = tuple(Band(str(b["name"]), _decimal(b["ratio"], f"{source}: qualitative_grades"))
                 for b in need("qualitative_grades"))
    if not qual or qual[0].value != 1:
        raise RulesError(f"{source}: qualitative_grades: 第一档须为满分 1 (the first grade must be worth 1)")
    grades = tuple(sorted((Band(str(b["name"]), _decimal(b["min"], f"{source}: grades")) for b in need("grades")),
                          key=lambda b: b.value, reverse=True))
    monitoring = data.get("monitoring") or {}
    deadlines = data.get("deadlines") or {}
    key_eval = data.get("key_evaluation") or {}
    return Rules(
        locality=str(data.get("locality", "")),
        name=str(data.get("name", data.get("locality", ""))),
        dimensions=tuple(dims),
        execution_points=_decimal(data.get("execution_points", "10"), f"{source}: execution_points"),
        level1_dimensions=l1,
        level2_dimensions=l2,
        empty_dimension=empty,
        tolerance=tolerance,
        qualitative_grades=qual,
        grades=grades,
        execution_tolerance=_decimal(monitoring.get("execution_tolerance", "10"),
                                     f"{source}: monitoring.execution_tolerance"),
        midyear_deadline=_month_day(deadlines.get("midyear", "08-31"), f"{source}: deadlines.midyear"),
        selfeval_deadline=_month_day(deadlines.get("selfeval", "03-31"), f"{source}: deadlines.selfeval"),
        selfeval_year_offset=int(deadlines.get("selfeval_year_offset", 1)),
        key_min_amount=(_decimal(key_eval["min_amount"], f"{source}: key_evaluation.min_amount")
                        if key_eval.get("min_amount") is not None else None),
        key_grades=tuple(str(g) for g in key_eval.get("grades") or ()),
        source=source,
    )


def load_rules_file(path: str | Path) -> Rules:
    path = Path(path)
    data = read_yaml_file(path, RulesError)
    if not isinstance(data, dict):
        raise RulesError(f"{path}: 应为映射 (must be a mapping)")
    return parse_rules(data, str(path))


@lru_cache(maxsize=8)
def load_rules(locality: str = DEFAULT_LOCALITY) -> Rules:
    """The packaged rules of a locality (``data/rules-<locality>.yaml``)."""
    path = DATA_DIR / f"rules-{locality}.yaml"
    if not path.is_file():
        known = sorted(p.stem.removeprefix("rules-") for p in DATA_DIR.glob("rules-*.yaml"))
        raise RulesError(f"没有地区 {locality!r} 的绩效规则 (no rules for this locality); 可选: {', '.join(known)}")
    return load_rules_file(path)


def locality_of_template(template: str) -> str:
    """``shenzhen-15`` → ``shenzhen``: the locality whose rules a budget's template implies."""
    candidate = template.split("-")[0] if template else DEFAULT_LOCALITY
    return candidate if (DATA_DIR / f"rules-{candidate}.yaml").is_file() else DEFAULT_LOCALITY

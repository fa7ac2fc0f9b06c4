"""Shared fixtures: the seed budget, the packaged Shenzhen rules, the sample actuals."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from deptbudget.model.budget import Budget, Indicator
from deptbudget.model.targets import parse_target
from deptbudget.performance.actuals import Actuals, load_actuals
from deptbudget.performance.rules import Rules, load_rules
from deptbudget.performance.tree import EvalIndicator
from deptbudget.sources.yaml_source import load_budget

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "luohu-2020.yaml"
ACTUALS = ROOT / "examples" / "luohu-2020-actuals.yaml"
MIDYEAR = ROOT / "examples" / "luohu-2020-midyear.yaml"


@pytest.fixture(scope="session")
def rules() -> Rules:
    return load_rules("shenzhen")


@pytest.fixture(scope="session")
def seed() -> Budget:
    return load_budget(SEED)


@pytest.fixture
def sample_actuals() -> Actuals:
    return load_actuals(ACTUALS)


def indicator(target: str, points: str = "10", name: str = "指标", level1: str = "产出指标",
              level2: str = "数量指标") -> EvalIndicator:
    """A scoring-ready indicator with a target as written and its points."""
    parsed = parse_target(target)
    return EvalIndicator(index=0, dimension="产出", pool="产出", level1=level1, level2=level2, name=name,
                         target_text=target, direction=parsed.direction, value=parsed.value, unit=parsed.unit,
                         points=Decimal(points))


def source_indicator(level1: str, level2: str, name: str, target: str, weight: str | None = None) -> Indicator:
    parsed = parse_target(target)
    return Indicator(level1=level1, level2=level2, name=name, target=target, direction=parsed.direction,
                     value=parsed.value, unit=parsed.unit, weight=Decimal(weight) if weight else None)

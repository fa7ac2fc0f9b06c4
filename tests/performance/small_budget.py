"""A budget of a few lines for the actuals tests: ``tests/fixtures/small.yaml`` with 表14 targets
added, so that every kind of entry (project, department, quantitative, 定性) has a place."""

from __future__ import annotations

from pathlib import Path

from deptbudget.model.budget import Budget
from deptbudget.sources.yaml_source import parse_budget

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small.yaml"
DEPARTMENT_TARGETS = """\
department_targets:
  goals: [提升科普水平]
  indicators:
    - {level1: 产出指标, level2: 数量指标, name: 科普活动场次, target: 约 30 场}
    - {level1: 效益指标, level2: 社会效益指标, name: 公众科学素质, target: 有所提升}
"""


def small_budget() -> Budget:
    return parse_budget(SMALL.read_text(encoding="utf-8") + DEPARTMENT_TARGETS, "small.yaml")

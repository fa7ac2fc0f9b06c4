"""PERF-TARGET-MEASURABLE's test of a target: a value with a unit, where the unit may be printed in the
indicator's name and a target may list several values."""

from __future__ import annotations

import pytest

from deptbudget.rules.performance import measurable


@pytest.mark.parametrize(("target", "name"), [
    ("≥95%", "满意率"),
    ("≥20", "提出规划任务举措数量（条）"),  # the unit in the name
    ("全年≥10000家次", "服务企业次数"),
    ("项目立项数量≥400个；项目终验数量≥400个。", "立项\\终验审核数量值"),
])
def test_measurable(target: str, name: str) -> None:
    assert measurable(target, name) == (True, "")


@pytest.mark.parametrize(("target", "name", "why"), [
    ("≥20", "提出规划任务举措数量", "目标值缺少计量单位"),
    ("有所提升", "服务质量", "目标值不是可衡量的数值"),
    ("立项数量≥400个；终验按期完成", "立项\\终验", "目标值不是可衡量的数值"),
])
def test_not_measurable(target: str, name: str, why: str) -> None:
    assert measurable(target, name) == (False, why)

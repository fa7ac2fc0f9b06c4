"""The actuals model: entries are frozen, their lists are tuples, stages carry their labels."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from decimal import Decimal

import pytest

from deptbudget.performance.actuals_model import Actuals, EntityEntry, IndicatorEntry, Stage


def test_entries_are_frozen() -> None:
    item = IndicatorEntry("举办活动", actual=12)
    entry = EntityEntry("P1", spent=Decimal("100.00"), indicators=[item])
    with pytest.raises(FrozenInstanceError):
        item.actual = 13  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        entry.spent = Decimal(0)  # type: ignore[misc]


def test_lists_given_become_tuples() -> None:
    item = IndicatorEntry("举办活动", actual=12)
    entry = EntityEntry("P1", indicators=[item])
    actuals = Actuals(projects=[entry])
    assert entry.indicators == (item,) and actuals.projects == (entry,)
    assert actuals.project("P1") is entry and actuals.project("P9") is None


def test_stage_values_and_labels() -> None:
    assert Stage("midyear") is Stage.MIDYEAR and Stage.MIDYEAR.label == "绩效运行监控"
    assert Stage("selfeval") is Stage.SELFEVAL and Stage.SELFEVAL.label == "绩效自评"
    assert f"{Stage.SELFEVAL}" == "selfeval"
    with pytest.raises(ValueError):
        Stage("绩效自评")  # a label is not a value


def test_actuals_are_frozen_and_keep_projects_as_a_tuple() -> None:
    actuals = Actuals(projects=[EntityEntry("P1")], source="a.yaml")  # type: ignore[arg-type]
    assert isinstance(actuals.projects, tuple)
    with pytest.raises(FrozenInstanceError):
        actuals.source = "b.yaml"  # type: ignore[misc]

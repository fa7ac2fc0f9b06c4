"""``LabelledEnum``: a member is its value (files, URLs, JSON) and carries its label (pages, forms)."""

from __future__ import annotations

import json

import pytest

from deptbudget.performance.labels import LabelledEnum
from deptbudget.performance.scoring import Outcome
from deptbudget.performance.workflow import Status


class Colour(LabelledEnum):
    RED = "red", "红"
    BLUE = "blue", "蓝"


def test_value_lookup_label_and_text() -> None:
    assert Colour("blue") is Colour.BLUE and Colour.BLUE.label == "蓝" and Colour.BLUE.value == "blue"
    assert str(Colour.RED) == "red" and Colour.RED == "red" and json.dumps([Colour.RED]) == '["red"]'
    with pytest.raises(ValueError):
        Colour("红")


def test_performance_enums_keep_their_labels() -> None:
    assert [s.label for s in Status] == ["未填报", "填报中", "已提交", "已退回", "已审核"]
    assert Status("submitted") is Status.SUBMITTED
    assert (Outcome.MET.label, Outcome.MISSED.label, Outcome.MISSING.label) == ("达成", "未完全达成", "未填报")

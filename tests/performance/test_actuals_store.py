"""The stored (JSON-ready) form of actuals: written as the YAML format's shape, read back the same."""

from __future__ import annotations

import json

import pytest

from deptbudget.performance.actuals_store import actuals_from_dict, actuals_to_dict
from deptbudget.performance.actuals_yaml import parse_actuals_yaml
from deptbudget.sources.errors import SourceError

from .actuals_data import MIDYEAR_YAML, SELFEVAL_YAML, held


@pytest.mark.parametrize("text", [SELFEVAL_YAML, MIDYEAR_YAML], ids=["selfeval", "midyear"])
def test_dict_round_trip_through_json(text: str) -> None:
    actuals = parse_actuals_yaml(text, "a.yaml")
    stored = json.loads(json.dumps(actuals_to_dict(actuals), ensure_ascii=False))
    back = actuals_from_dict(stored, "填报内容")
    assert back.source == "填报内容"
    assert held(back) == held(actuals)


def test_dict_shape() -> None:
    data = actuals_to_dict(parse_actuals_yaml(SELFEVAL_YAML, "a.yaml"))
    assert data["stage"] == "selfeval" and data["report_date"] == "2021-03-20"
    assert data["projects"]["P1"]["spent"] == "1800000.50"
    assert data["projects"]["P1"]["indicators"]["举办活动"] == {"actual": "12", "to_date": "12"}  # a plain value
    assert data["projects"]["P2"] == {"spent": "250.00", "indicators": {}}


def test_bad_stored_amount_is_located() -> None:
    with pytest.raises(SourceError) as caught:
        actuals_from_dict({"projects": {"P1": {"spent": "abc"}}}, "填报内容")
    assert [(p.file, p.place) for p in caught.value.problems] == [("填报内容", "projects.P1.spent")]

"""The checklists as data: they load, weigh 100 points, and name only rules and checks that exist."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from deptbudget.review.checklist import (
    STRUCTURE_CHECKS,
    ChecklistError,
    available_checklists,
    checklist_for,
    load_checklist,
    parse_checklist,
)
from deptbudget.review.engine import load_rules

NAMES = ("shenzhen-15", "mof-9", "mof-final-9")


def raw(name: str) -> dict:
    return yaml.safe_load(resources.files("deptbudget.templates").joinpath(f"checklist-{name}.yaml").read_text("utf-8"))


def test_both_checklists_are_shipped() -> None:
    assert set(NAMES) <= set(available_checklists())
    assert checklist_for("shenzhen-15").name == "shenzhen-15"
    assert checklist_for("mof-9").name == "mof-9"
    assert checklist_for("unknown").name == "mof-9"  # the 财预〔2016〕143号 minimum
    assert checklist_for("mof-final-9").name == "mof-final-9"  # a 部门决算 by its own list


def test_the_final_accounts_checklist_asks_for_every_table_its_template_requires() -> None:
    from deptbudget.template import load_template

    checklist = load_checklist("mof-final-9")
    roles = {check.args["role"] for item in checklist.items for check in item.checks
             if check.kind == "table" and "role" in check.args}
    assert {role.value for role in load_template("mof-final-9").required.tables} <= roles
    contents = " ".join(item.content for item in checklist.items)
    assert "决算" in contents and "部门预算" not in contents


@pytest.mark.parametrize("name", NAMES)
def test_points_and_scale(name: str) -> None:
    checklist = load_checklist(name)
    assert sum(item.points for item in checklist.items) == 100
    assert [g.grade for g in checklist.scoring.grades] == ["优", "良", "中", "差"]
    assert [g.letter for g in checklist.scoring.grades] == ["A", "B", "C", "D"]
    assert checklist.verdicts == {"pass": "是", "fail": "否", "unknown": "未提供"}
    assert checklist.deadline_days == 20 and "143" in checklist.deadline_basis
    assert [group for group, _ in checklist.groups()][:2] == ["及时性", "内容规范性"]
    assert checklist.items[0].checks[0].kind == "timeliness"


@pytest.mark.parametrize("name", NAMES)
def test_every_rule_id_exists(name: str) -> None:
    known = {rule.id for rule in load_rules()}
    missing = sorted(load_checklist(name).rule_ids() - known)
    assert missing == [], f"checklist-{name}.yaml names rules that do not exist: {missing}"


@pytest.mark.parametrize("name", NAMES)
def test_every_item_is_decided_by_something(name: str) -> None:
    for item in load_checklist(name).items:
        assert item.checks or item.matchers or item.catch_all, item.id
        assert all(check.kind in STRUCTURE_CHECKS for check in item.checks)


def test_shenzhen_has_one_row_per_required_table() -> None:
    template = yaml.safe_load(resources.files("deptbudget.templates").joinpath("shenzhen-15.yaml").read_text("utf-8"))
    ids = [spec["id"] for spec in template["tables"]]
    checklist = load_checklist("shenzhen-15")
    assert [item.id for item in checklist.items if item.id.startswith("T")] == ids
    contents = [item.content for item in checklist.items]
    required_items = ("封面", "目录", "主要职能", "机构设置", "名词解释", "预算编制说明", "其他相关说明",
                      "项目经费情况说明")
    for required in required_items:
        assert any(required in content for content in contents), required


def test_mof_has_its_nine_tables() -> None:
    template = yaml.safe_load(resources.files("deptbudget.templates").joinpath("mof-9.yaml").read_text("utf-8"))
    contents = "".join(item.content for item in load_checklist("mof-9").items).replace("“", "").replace("”", "")
    for spec in template["tables"]:
        assert spec["title"].replace("“", "").replace("”", "") in contents


@pytest.mark.parametrize(("change", "words"), [
    (lambda d: d["groups"][1]["items"][0].update(checks=["no_such_check"]), "未知的结构检查"),
    (lambda d: d["groups"][-1]["items"][0].update(catch_all=False), "catch_all"),
    (lambda d: d["scoring"].update(grades=[{"min": 60, "grade": "及格"}]), "覆盖到 0 分"),
    (lambda d: d["scoring"]["deduct"].pop("note"), "三级的扣分"),
    (lambda d: d["groups"][1]["items"][1].update(findings=[{"tabel": "目录"}]), "未知字段"),
    (lambda d: d["scoring"]["deduct"].update(error=1.5), "浮点"),
    (lambda d: d["verdicts"].pop("unknown"), "三种结论"),
    (lambda d: d["groups"][1]["items"][1].update(id="cover"), "重复"),
])
def test_bad_checklists_are_refused_with_the_place(change, words: str) -> None:  # type: ignore[no-untyped-def]
    data = raw("shenzhen-15")
    change(data)
    with pytest.raises(ChecklistError, match="checklist-shenzhen-15.yaml") as error:
        parse_checklist("shenzhen-15", data)
    assert words in str(error.value) or words == "浮点" and "整数或字符串" in str(error.value)


def test_unknown_checklist_name() -> None:
    with pytest.raises(ChecklistError, match="没有名为 nowhere 的检查表"):
        load_checklist("nowhere")

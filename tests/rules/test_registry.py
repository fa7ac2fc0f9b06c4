"""The rule registry, settings from the template, and how run_rules stamps findings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

import pytest

from deptbudget.model.disclosure import Disclosure
from deptbudget.rules import Category, Checker, Finding, RuleContext, Severity, all_rules, load_settings, run_rules
from deptbudget.rules.registry import RULE_MODULES, Rule, SettingsError, settings_from_data

MINE = set(RULE_MODULES)


def test_every_rule_is_described() -> None:
    rules = all_rules()
    ids = [r.id for r in rules]
    assert len(ids) == len(set(ids))
    assert len([r for r in rules if r.module in MINE]) >= 55
    for item in rules:
        assert re.fullmatch(r"[A-Z]+(?:-[A-Z0-9]+)+", item.id), item.id
        assert re.search(r"[\u4e00-\u9fff]", item.description), item.id
        assert "\n" not in item.description
        if item.module in MINE:
            assert item.example is not None and re.search(r"[\u4e00-\u9fff]", item.example.message), item.id


def test_every_category_and_module_is_used() -> None:
    rules = [r for r in all_rules() if r.module in MINE]
    assert {r.category.value for r in rules} == {"completeness", "accuracy", "consistency", "format",
                                                 "plausibility"}
    assert {r.module for r in rules} == MINE
    assert {r.severity for r in rules} >= {Severity.ERROR, Severity.WARNING}


def test_template_settings() -> None:
    settings = load_settings("shenzhen-15")
    assert settings.half_step == Decimal("0.005")
    assert settings.threshold("yoy_change_pct", "0") == Decimal(20)
    assert settings.tables["T1"].builder == "two_sided"
    assert settings.part_titles[5] == "第五部分 “三公”经费财政拨款预算情况"
    assert settings.option("row_sums")["T7"] == [["total", ["basic", "project"]]]


def test_settings_are_checked() -> None:
    with pytest.raises(SettingsError, match="NO-SUCH-RULE"):
        settings_from_data("t", {"disabled": ["NO-SUCH-RULE"]})
    with pytest.raises(SettingsError, match="浮点数"):
        settings_from_data("t", {"thresholds": {"yoy_change_pct": 20.5}})
    with pytest.raises(SettingsError):
        load_settings("no-such-template")


def _probe(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    yield Finding("一个错误", "表1")
    yield Finding("一个提示", "表1", severity=Severity.NOTE)
    yield Finding("一个警告", "表1", severity=Severity.WARNING)


def test_run_rules_stamps_id_and_severity(example: Disclosure) -> None:
    probe = Rule("ZZ-TEST-PROBE", Severity.ERROR, Category.ACCURACY, "测试用规则", _probe)  # not registered
    context = Checker().context(example)
    found = run_rules(example, context, [probe])
    assert [(f.rule, f.severity) for f in found] == [
        ("ZZ-TEST-PROBE", Severity.ERROR), ("ZZ-TEST-PROBE", Severity.NOTE), ("ZZ-TEST-PROBE", Severity.WARNING)]
    settings = replace(context.settings, severity={"ZZ-TEST-PROBE": Severity.WARNING})
    demoted = RuleContext(context.catalog, settings)
    assert [f.severity for f in run_rules(example, demoted, [probe])] == [
        Severity.WARNING, Severity.NOTE, Severity.WARNING]
    disabled = RuleContext(context.catalog, replace(settings, disabled=frozenset({"ZZ-TEST-PROBE"})))
    assert run_rules(example, disabled, [probe]) == []


def test_checker_loads_catalog_once(example: Disclosure) -> None:
    checker = Checker()
    assert checker.context(example).catalog is checker.context(example).catalog
    assert checker.context(example).catalog is not None


def test_finding_to_dict_has_every_field() -> None:
    data = Finding("消息", severity=Severity.NOTE, rule="X-Y").to_dict()
    assert data == {"rule": "X-Y", "severity": "note", "table": None, "row": None, "column": None,
                    "expected": None, "actual": None, "message": "消息"}

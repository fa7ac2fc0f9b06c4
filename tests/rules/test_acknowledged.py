"""Explained warnings (``acknowledged`` in the budget source) are reported as notes; errors never are."""

from __future__ import annotations

from pathlib import Path

from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.model.disclosure import Acknowledgement
from deptbudget.model.serialize import dumps, loads
from deptbudget.rules import Finding, Severity
from deptbudget.rules.registry import acknowledge
from deptbudget.sources.yaml_source import parse_budget
from deptbudget.sources.yaml_writer import dump_budget

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small.yaml"
WARN = Finding("没有满意度指标", "表15", "预算准备金 / 年度绩效指标", "满意度指标", severity=Severity.WARNING,
               rule="PERF-SATISFACTION")


def test_matching_warning_becomes_a_note_with_the_reason() -> None:
    ack = Acknowledgement("PERF-SATISFACTION", "无直接服务对象。", row="预算准备金")
    note = acknowledge(WARN, [ack])
    assert note.severity is Severity.NOTE and note.message.endswith("（已说明：无直接服务对象。）")
    assert (note.rule, note.table, note.row) == (WARN.rule, WARN.table, WARN.row)


def test_rule_table_and_row_must_all_match() -> None:
    for ack in (Acknowledgement("PERF-OUTCOME", "x"), Acknowledgement("PERF-SATISFACTION", "x", table="表14"),
                Acknowledgement("PERF-SATISFACTION", "x", row="产业转型升级资金")):
        assert acknowledge(WARN, [ack]) is WARN


def test_errors_are_never_explained_away() -> None:
    error = Finding("测算明细与资金总额不一致", "表15", "预算准备金 / 测算明细", severity=Severity.ERROR,
                    rule="PERF-CALC-TOTAL")
    assert acknowledge(error, [Acknowledgement("PERF-CALC-TOTAL", "x")]) is error


def test_source_to_disclosure_and_json_carry_them() -> None:
    text = SMALL.read_text(encoding="utf-8") + (
        "acknowledged:\n  - {rule: PERF-SATISFACTION, table: 表15, row: 科普活动经费, reason: 说明。}\n")
    budget = parse_budget(text, "small.yaml")
    assert budget.acknowledged == (Acknowledgement("PERF-SATISFACTION", "说明。", "表15", "科普活动经费"),)
    assert parse_budget(dump_budget(budget), "again.yaml").acknowledged == budget.acknowledged
    disclosure = compute_disclosure(budget)
    assert loads(dumps(disclosure)).acknowledged == list(budget.acknowledged)

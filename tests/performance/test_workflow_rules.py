"""Submission status, the finance bureau's overview, rules and library files."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from deptbudget.performance.actuals import Stage, load_actuals
from deptbudget.performance.forms import overview_form
from deptbudget.performance.monitoring import monitor
from deptbudget.performance.render import write_xlsx
from deptbudget.performance.rules import RulesError, load_rules, load_rules_file
from deptbudget.performance.scoring import self_evaluate
from deptbudget.performance.tree import build_tree
from deptbudget.performance.workflow import (
    Status,
    Submission,
    WorkflowError,
    accept,
    filter_rows,
    overview_rows,
    save,
    send_back,
    submit,
    suggest_key_evaluation,
)

from .conftest import MIDYEAR, source_indicator

D = Decimal
AT = datetime(2020, 8, 20, 10, 0)


def test_submission_lifecycle() -> None:
    sub = Submission("罗湖区科技创新局", 2020, Stage.MIDYEAR)
    sub = save(sub, "preparer", AT)
    assert sub.status is Status.DRAFT and sub.submitted_on is None
    sub = submit(sub, "preparer", AT)
    assert (sub.status, sub.submitted_on) == (Status.SUBMITTED, date(2020, 8, 20))
    with pytest.raises(WorkflowError, match="退回须注明原因"):
        send_back(sub, "reviewer", AT, "")
    sub = send_back(sub, "reviewer", datetime(2020, 8, 22), "满意度指标缺少偏差原因")
    assert sub.status is Status.RETURNED
    with pytest.raises(WorkflowError):
        accept(sub, "reviewer", AT)  # a returned report must be submitted again
    sub = accept(submit(sub, "preparer", datetime(2020, 8, 25)), "reviewer", datetime(2020, 8, 26))
    assert sub.status is Status.ACCEPTED and sub.submitted_on == date(2020, 8, 25)
    assert [e.action for e in sub.history] == ["save", "submit", "return", "submit", "accept"]
    with pytest.raises(WorkflowError):
        save(sub, "preparer", AT)  # accepted is final


def test_overview_filters_and_key_evaluation(seed, rules, sample_actuals) -> None:  # type: ignore[no-untyped-def]
    evaluation = self_evaluate(seed, sample_actuals, rules)
    monitoring = monitor(seed, load_actuals(MIDYEAR), rules)
    subs = [Submission(seed.unit.name, 2020, Stage.MIDYEAR, Status.ACCEPTED, date(2020, 9, 2)),
            Submission(seed.unit.name, 2020, Stage.SELFEVAL, Status.SUBMITTED, date(2021, 3, 19))]
    rows = overview_rows(seed, rules, date(2021, 4, 1), subs, monitoring, evaluation, picked=["LHKCJ2020-12"])
    assert len(rows) == 20  # 19 projects and the department as a whole
    assert all(r.late == [Stage.MIDYEAR] for r in rows)  # monitoring submitted 2 days after 08-31
    by = {r.code: r for r in rows}
    assert (by["LHKCJ2020-15"].score, by["LHKCJ2020-15"].grade) == (D("74.10"), "中")
    assert by["LHKCJ2020-02"].midyear_flags and by["LHKCJ2020-02"].midyear_rate == D("0.00")
    assert [r.code for r in filter_rows(rows, grade="中")] == ["LHKCJ2020-15"]
    assert len(filter_rows(rows, grade={"良", "中"})) == 6
    assert [r.code for r in filter_rows(rows, max_score=D(80))] == ["LHKCJ2020-15"]
    assert filter_rows(rows, status=Status.SUBMITTED) == rows
    assert filter_rows(rows, stage=Stage.MIDYEAR, status=Status.SUBMITTED) == []
    assert [r.code for r in filter_rows(rows, key_evaluation=True)] == ["LHKCJ2020-12"]
    assert [r.code for r in filter_rows(rows, text="人才")] == ["LHKCJ2020-04", "LHKCJ2020-15"]
    # suggestions: ≥ 5,000,000 元 (产业转型升级资金, 国检大厦租金) or graded 中/差
    assert [r.code for r in suggest_key_evaluation(rows, rules)] == [
        "LHKCJ2020-05", "LHKCJ2020-12", "LHKCJ2020-15"]  # 人工智能特色小镇 is 良 once its 工作时效 counts


def test_overview_export(tmp_path: Path, seed, rules, sample_actuals) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    rows = overview_rows(seed, rules, date(2021, 3, 1), evaluation=self_evaluate(seed, sample_actuals, rules))
    path = write_xlsx([overview_form(rows)], tmp_path / "overview.xlsx")
    sheet = load_workbook(path)["一览"]
    values = [r for r in sheet.iter_rows(min_row=5, values_only=True)]
    assert len(values) == 20 and values[0][1] == "LHKCJ2020-01" and values[0][8] == pytest.approx(99.74)
    assert values[0][4] == "未填报"  # no submission: not started


def test_rules_are_data(tmp_path: Path, rules) -> None:  # type: ignore[no-untyped-def]
    assert [(d.key, d.points) for d in rules.scored_dimensions] == [("产出", D(50)), ("效益", D(30)), ("满意度", D(10))]
    assert rules.execution_points == D(10)
    assert rules.grade_names == ["达成", "基本达成", "部分达成", "未达成"]
    assert (rules.midyear_deadline, rules.selfeval_deadline) == ((8, 31), (3, 31))
    text = (Path(rules.source).read_text(encoding="utf-8")
            .replace('label: 产出指标, points: "50"', 'label: 产出指标, points: "40"')
            .replace('label: 效益指标, points: "30"', 'label: 效益指标, points: "40"')
            .replace('midyear: "08-31"', 'midyear: "07-31"'))
    other = load_rules_file(_write(tmp_path / "rules-other.yaml", text))
    tree = build_tree([source_indicator("产出指标", "数量指标", "A", "1 场"),
                       source_indicator("效益指标", "社会效益指标", "B", "有所提升"),
                       source_indicator("效益指标", "服务对象满意度指标", "C", "≥90%")], other)
    assert [i.points for i in tree.indicators] == [D(40), D(40), D(10)]
    assert other.midyear_deadline_for(2020) == date(2020, 7, 31)
    with pytest.raises(RulesError, match="MM-DD"):
        load_rules_file(_write(tmp_path / "bad.yaml", text.replace('midyear: "07-31"', 'midyear: "31-07"')))
    with pytest.raises(RulesError, match="quoted"):
        load_rules_file(_write(tmp_path / "bad2.yaml",
                               text.replace('execution_points: "10"', "execution_points: 10.5")))
    with pytest.raises(RulesError, match="no rules for this locality"):
        load_rules("atlantis")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path

"""The review engine: findings placed on items, overlaps, verdicts, timeliness, score and grade."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.model.disclosure import Disclosure, Part, Section
from deptbudget.model.serialize import dumps, loads
from deptbudget.review.checklist import load_checklist
from deptbudget.review.engine import Placement, Reviewer, decide, drop_overlaps, total_score
from deptbudget.review.structure import (
    FAIL,
    PASS,
    UNKNOWN,
    Dates,
    Outcome,
    Subject,
    check_project_groups,
    check_timeliness,
)
from deptbudget.rules.registry import Finding, Severity
from deptbudget.sources.yaml_source import load_budget

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luohu-2020.yaml"
SZ = load_checklist("shenzhen-15")


@pytest.fixture(scope="module")
def example_json() -> str:
    return dumps(compute_disclosure(load_budget(EXAMPLE)))


@pytest.fixture
def example(example_json: str) -> Disclosure:
    return loads(example_json)


def finding(table: str | None, row: str | None = None, rule: str = "X", column: str | None = None,
            severity: Severity = Severity.ERROR) -> Finding:
    return Finding("问题", table, row, column, None, None, severity, rule)


@pytest.mark.parametrize(("where", "item"), [
    (finding("表7", "2060499", "CAT-NAME"), "T7"),
    (finding("表15", "项目 / 测算明细", "PERF-CALC-TOTAL"), "T15"),
    (finding("第一部分", "二、机构编制及交通工具情况 第1段", "TEXT-YEAR"), "organization"),
    (finding("第一部分", "三、2020年主要工作目标 第3段", "TEXT-TERM-TYPO"), "functions"),
    (finding("第三部分", "第6段", "NAR-GROUPS", "group.*"), "projects"),
    (finding("第三部分", "第5段", "TEXT-SUM-PARTS", "项目支出"), "projects"),
    (finding("第三部分", "第1段", "TEXT-SUM-PARTS", "预算"), "narrative"),
    (finding("第七部分", "一、机关运行经费 第1段", "TEXT-PCT-RECOMPUTE"), "other_notes"),
    (finding("表6", None, "CMP-TABLE-TITLE"), "contents"),  # a tie: the first item wins
    (finding("标题", "文件标题", "TEXT-YEAR"), "cover"),
    (finding(None, "basic[3]", "SRC-PROBLEM"), "other"),  # claimed by no item
])
def test_placement(example: Disclosure, where: Finding, item: str) -> None:
    assert Placement(SZ, example).item_for(where).id == item


def test_overlaps_keep_one_finding_per_place() -> None:
    kept = finding("第七部分", "一、机关运行经费 第1段", "TEXT-PCT-RECOMPUTE")
    same = finding("第七部分", "第1段", "NAR-GROWTH-RATE")
    elsewhere = finding("第二部分", "第1段", "NAR-GROWTH-RATE")
    other_column = finding("第二部分", "第2段", "NAR-COMPOSITION", "expenditure.personnel")
    composition = finding("第二部分", "第2段", "NAR-COMPOSITION", "expenditure.total")
    sums = finding("第二部分", "第2段", "TEXT-SUM-PARTS")
    result = drop_overlaps([kept, same, elsewhere, other_column, composition, sums], SZ)
    assert result == [kept, elsewhere, other_column, sums]


def test_verdicts_and_item_scores() -> None:
    item = next(i for i in SZ.items if i.id == "narrative")
    note = finding("第二部分", severity=Severity.NOTE)
    warning = finding("第二部分", severity=Severity.WARNING)
    assert decide(item, [], [note], SZ).status == PASS  # a note does not fail the item
    assert decide(item, [], [note], SZ).score == item.points == 11
    failed = decide(item, [], [warning, finding("第三部分"), finding("第三部分")], SZ)
    assert failed.status == FAIL and failed.score == 11 - 1 - 4 - 4
    assert decide(item, [], [finding("第三部分")] * 5, SZ).score == 0  # never below zero
    missing = decide(item, [Outcome(FAIL, "缺少第三部分")], [], SZ)
    assert missing.status == FAIL and missing.score == 0
    unknown = decide(SZ.items[0], [Outcome(UNKNOWN, "未提供")], [], SZ)
    assert unknown.status == UNKNOWN and unknown.score is None
    # an undecided item leaves the total; a failed check takes the item's points
    assert total_score([unknown, decide(item, [], [], SZ)]) == 100
    assert total_score([missing, decide(item, [], [], SZ)]) == 50


@pytest.mark.parametrize(("score", "grade"), [(Decimal(100), "优"), (Decimal(90), "优"), (Decimal("89.9"), "良"),
                                              (Decimal(80), "良"), (Decimal(60), "中"), (Decimal("59.9"), "差"),
                                              (Decimal(0), "差")])
def test_grade_scale(score: Decimal, grade: str) -> None:
    assert SZ.scoring.grade(score).grade == grade


def subject(d: Disclosure, approved: date | None, published: date | None) -> Subject:
    return Subject(d, Dates(approved, published), SZ)


@pytest.mark.parametrize(("approved", "published", "status", "words"), [
    (date(2020, 1, 10), date(2020, 1, 30), PASS, "批复后第 20 日公开"),
    (date(2020, 1, 10), date(2020, 1, 31), FAIL, "第 21 日才公开，超过 20 日"),
    (date(2020, 1, 10), date(2020, 1, 5), FAIL, "早于批复日期"),
    (None, date(2020, 1, 5), UNKNOWN, "未提供批复日期，无法判断"),
    (None, None, UNKNOWN, "未提供批复日期、公开日期"),
])
def test_timeliness(example: Disclosure, approved: date | None, published: date | None, status: str,
                    words: str) -> None:
    outcome = check_timeliness(subject(example, approved, published), {})
    assert outcome.status == status and words in outcome.message


def narrative(*paragraphs: str) -> Disclosure:
    return Disclosure("shenzhen-15", 2020, "某局", "2020 年某局部门预算", parts=[Part(3, "第三部分", [Section("", list(
        paragraphs))])])


@pytest.mark.parametrize(("paragraphs", "status"), [
    (["（四）项目支出100.00万元，具体包括：", "产业资金60.00万元，主要用于扶持企业。",
      "人才建设40.00万元，主要用于人才补贴。"], PASS),
    (["（四）项目支出100.00万元，主要用于扶持企业。"], PASS),
    (["（四）项目支出0.00万元。"], PASS),
    (["（四）项目支出100.00万元。"], FAIL),
    (["（四）项目支出100.00万元，具体包括：", "产业资金60.00万元。", "人才建设40.00万元。"], FAIL),
    (["（一）人员支出100.00万元。"], FAIL),
])
def test_project_groups(paragraphs: list[str], status: str) -> None:
    assert check_project_groups(Subject(narrative(*paragraphs), Dates(), SZ), {}).status == status


def test_review_of_the_example(example: Disclosure) -> None:
    review = Reviewer().review(example, Dates(date(2020, 1, 10), date(2020, 1, 20)), "example.yaml")
    assert review.title == "2020年罗湖区科技创新局部门预算公开情况检查表"
    timeliness = review.items[0]
    assert timeliness.status == PASS and timeliness.score == 10
    assert {r.item.id for r in review.items if r.status == FAIL} <= {"T14", "T15"}  # performance targets only
    assert review.grade.grade == "优"
    # every finding is on exactly one item
    assert sum(len(r.findings) for r in review.items) == len(review.findings)


def test_a_missing_table_fails_its_row(example: Disclosure) -> None:
    example.tables = [t for t in example.tables if t.id != "T5"]
    review = Reviewer().review(example)
    t5 = next(r for r in review.items if r.item.id == "T5")
    assert t5.status == FAIL and t5.score == 0
    assert any(o.status == FAIL and "缺少表5" in o.message for o in t5.outcomes)


def test_every_template_gets_every_rule() -> None:
    """Rules find their tables by role, so the table rules run on the MoF template's document too."""
    from deptbudget.template import load_template

    mof = compute_disclosure(load_budget(EXAMPLE), load_template("mof-9"))
    reviewer = Reviewer()
    ctx, rules, notes = reviewer.context(mof)
    assert not notes and rules == reviewer.rules and ctx.settings.template == "mof-9"
    review = reviewer.review(mof)
    assert review.checklist.name == "mof-9" and not any("TEXT-*" in note for note in review.notes)
    tables = [r for r in review.items if r.item.id.startswith("table-")]
    assert len(tables) == 9 and all(r.status == PASS for r in tables)
    narrative = next(r for r in review.items if r.item.id == "narrative")
    assert narrative.status == FAIL  # the MoF template has no 说明 yet


def test_a_template_whose_rule_settings_cannot_be_used_gets_the_text_rules_only(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from deptbudget.rules.registry import SettingsError

    disclosure = compute_disclosure(load_budget(EXAMPLE))
    reviewer = Reviewer()

    def broken(_: Disclosure) -> None:
        raise SettingsError("模板 x 的 rules 中有未知规则编号 (unknown rule ids): NOPE")

    monkeypatch.setattr(reviewer.checker, "context", broken)
    review = reviewer.review(disclosure)
    assert review.notes and "NOPE" in review.notes[0] and "TEXT-*" in review.notes[0]
    assert all(f.rule.startswith("TEXT-") for f in review.findings)

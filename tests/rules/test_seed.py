"""The seed — the 2020 budget of 罗湖区科技创新局 as published — reported with each of its real problems,
at its table, row and column, and nothing else (no false errors).

The fixture ``tests/fixtures/luohu-2020-as-published.json`` is the seed text read by the importer with
its misprints kept (``Cell.parse_error``). Only the rules of this package's rule modules are held to the
exact list here; the text rules (``text_*`` modules, issue 8) have their own tests.
"""

from __future__ import annotations

import pytest

from deptbudget.model.disclosure import Disclosure
from deptbudget.rules import Finding, Severity
from deptbudget.rules.registry import TABLE_RULE_MODULES, get_rule
from tests.rules.conftest import check, of

Key = tuple[str, str, str | None, str | None, str | None, str | None, str | None]

# The real problems of the seed. Errors: the document is wrong.
ERRORS: set[Key] = {
    ('NAR-GROWTH-RATE', 'error', '第七部分', '第1段', 'admin_operating.change_pct', '5.04%', '5.06%'),
    ('PERF-CALC-TOTAL', 'error', '表15', '大梧桐新兴产业带工作经费（国检大厦租金） / 测算明细', '资金总额（万元）',
     '600.30', '600.2018'),
    ('PERF-CALC-TOTAL', 'error', '表15', '基层党组织党建工作经费 / 测算明细', '资金总额（万元）', '8.00', '7.70'),
    ('CAT-NAME', 'error', '表1', '20604', '项目', '技术研究与开发', '技术与开发'),
    ('CAT-NAME', 'error', '表1', '2060499', '项目', '其他技术研究与开发支出', '其他技术与开发支出'),
    ('CAT-NAME', 'error', '表6', '20604', '项目', '技术研究与开发', '技术与开发'),
    ('CAT-NAME', 'error', '表6', '2060499', '项目', '其他技术研究与开发支出', '其他技术与开发支出'),
    ('CAT-NAME', 'error', '表7', '20604', '科目名称', '技术研究与开发', '技术与研究开发'),
    ('CAT-NAME', 'error', '表7', '2060499', '科目名称', '其他技术研究与开发支出', '其他技术与研究开发支出'),
    ('CAT-HIERARCHY', 'error', '表4', '31002', '科目编码', '310', '302'),
    ('FMT-SEPARATOR', 'error', '表14', '资金总额', '资金总额', '17,144.13', '1,7144.13'),
    ('FMT-SEPARATOR', 'error', '表14', '项目支出', '项目支出', '16,425.30', '1,6425.30'),
    ('CMP-TABLE-MISSING', 'error', '表5', None, None, '项目支出预算表', '（缺）'),
}
# Incomplete performance targets, titles that differ from the contents, a non-official name in 名词解释.
WARNINGS: set[Key] = {
    ('PERF-OUTCOME', 'warning', '表15', '菁英人才各项综合服务补贴 / 年度绩效指标', '效益指标', '至少 1 个效益指标',
     '无'),
    ('PERF-SATISFACTION', 'warning', '表15', '大梧桐新兴产业带工作经费（国检大厦租金） / 年度绩效指标', '满意度指标',
     '至少 1 个满意度指标', '无'),
    ('PERF-SATISFACTION', 'warning', '表15', '人工智能特色小镇规划经费 / 年度绩效指标', '满意度指标',
     '至少 1 个满意度指标', '无'),
    ('PERF-SATISFACTION', 'warning', '表15', '大梧桐新兴产业带工作经费 / 年度绩效指标', '满意度指标',
     '至少 1 个满意度指标', '无'),
    ('PERF-SATISFACTION', 'warning', '表15', '粤港澳大湾区无人机大赛经费（新增） / 年度绩效指标', '满意度指标',
     '至少 1 个满意度指标', '无'),
    ('PERF-SATISFACTION', 'warning', '表15', '预算准备金 / 年度绩效指标', '满意度指标', '至少 1 个满意度指标', '无'),
    ('PERF-SATISFACTION', 'warning', '表15', '科技项目调研、咨询经费 / 年度绩效指标', '满意度指标',
     '至少 1 个满意度指标', '无'),
    ('PERF-TARGET-MEASURABLE', 'warning', '表14', '辖区新型研发机构数量', '目标值', '数值 + 单位', '有较大提升'),
    ('PERF-TARGET-MEASURABLE', 'warning', '表15', '产业转型升级资金 / 辖区新型研发机构数量', '目标值', '数值 + 单位',
     '有较大提升'),
    ('PERF-TARGET-MEASURABLE', 'warning', '表15', '大梧桐新兴产业带建设工作购买服务项目 / 协助在职在编人员落实业务工作',
     '目标值', '数值 + 单位', '有效协助'),
    ('PERF-TARGET-MEASURABLE', 'warning', '表15',
     '科技项目调研、咨询经费 / 出差、公务接待、召开会议、科技项目对工作产生促进作用的力度', '目标值', '数值 + 单位',
     '有所提升'),
    ('PERF-TARGET-MEASURABLE', 'warning', '表15', '基层党组织党建工作经费 / 党建活动质量', '目标值', '数值 + 单位',
     '有所提升'),
    ('PERF-TARGET-MEASURABLE', 'warning', '表15', '基层党组织党建工作经费 / 党建活动模式创新', '目标值', '数值 + 单位',
     '有所提升'),
    ('CAT-NAME-TEXT', 'warning', '第八部分', '其他技术与开发支出', '支出功能分类', '其他技术研究与开发支出',
     '其他技术与开发支出'),
    ('CMP-TABLE-TITLE', 'warning', '表6', None, '标题', '财政拨款收支总体情况表', '财政拨款收支预算总表'),
    ('CMP-TABLE-TITLE', 'warning', '表10', None, '标题', '上级专项转移支付支出预算表', '上级专项转移支付资金情况表'),
}
# Parts rounded one by one from 元 to 万元 (DESIGN.md): within n × 0.005 万元 of their printed total.
NOTES: set[Key] = {
    ('SUM-FUNC-LEVEL', 'note', '表1', '206', '2020 年预算数', '16,633.83', '16,633.82'),
    ('SUM-FUNC-LEVEL', 'note', '表1', '20805', '2020 年预算数', '100.71', '100.70'),
    ('SUM-FUNC-LEVEL', 'note', '表6', '206', '2020 年预算数', '16,633.83', '16,633.82'),
    ('SUM-FUNC-LEVEL', 'note', '表6', '20805', '2020 年预算数', '100.71', '100.70'),
    ('SUM-FUNC-LEVEL', 'note', '表7', '206', '支出总计', '16,633.83', '16,633.82'),
    ('SUM-FUNC-LEVEL', 'note', '表7', '20805', '支出总计', '100.71', '100.70'),
    ('SUM-ECO-LEVEL', 'note', '表4', '301', '总计', '619.36', '619.37'),
    ('SUM-ECO-LEVEL', 'note', '表4', '302', '总计', '55.68', '55.67'),
    ('SUM-FUNC-TOTAL', 'note', '表1', '本年支出合计', '2020 年预算数', '17,144.12', '17,144.13'),
    ('SUM-FUNC-TOTAL', 'note', '表6', '本年支出合计', '2020 年预算数', '17,144.12', '17,144.13'),
    ('SUM-FUNC-TOTAL', 'note', '表7', '合计', '支出总计', '17,144.12', '17,144.13'),
    ('SUM-ECO-TOTAL', 'note', '表4', '合计', '总计', '718.84', '718.83'),
    ('SUM-ROW-COLUMNS', 'note', '表7', '206', '支出总计', '16,633.83', '16,633.82'),
    ('NAR-COMPOSITION', 'note', '第二部分', '第2段', 'expenditure.total', '17,144.14', '17,144.13'),
    ('NAR-COMPOSITION', 'note', '第二部分', '第2段', 'expenditure.personnel', '718.84', '718.83'),
    ('NAR-COMPOSITION', 'note', '第三部分', '第1段', 'expenditure.total', '17,144.14', '17,144.13'),
}


def _key(f: Finding) -> Key:
    assert f.severity is not None
    return (f.rule, f.severity.value, f.table, f.row, f.column, f.expected, f.actual)


def _mine(findings: list[Finding]) -> set[Key]:
    return {_key(f) for f in findings if get_rule(f.rule).module in TABLE_RULE_MODULES}


@pytest.mark.parametrize("expected", sorted(ERRORS | WARNINGS | NOTES, key=str), ids=lambda k: f"{k[0]}:{k[2]}:{k[3]}")
def test_each_real_problem_is_reported_where_it_is(seed_findings: list[Finding], expected: Key) -> None:
    assert expected in _mine(seed_findings)


def test_nothing_else_is_reported(seed_findings: list[Finding]) -> None:
    """No false errors: every error, warning and note of the package's rules is one of the real problems."""
    assert _mine(seed_findings) - (ERRORS | WARNINGS | NOTES) == set()


def test_the_problems_named_in_design(seed_findings: list[Finding]) -> None:
    errors = [f for f in seed_findings if f.severity is Severity.ERROR]
    assert any(f.rule == "CMP-TABLE-MISSING" and f.table == "表5" for f in errors)
    assert any(f.rule == "FMT-SEPARATOR" and f.actual == "1,7144.13" and f.expected == "17,144.13" for f in errors)
    names = {(f.table, f.row, f.actual) for f in of(seed_findings, "CAT-NAME")}
    assert {("表1", "20604", "技术与开发"), ("表6", "20604", "技术与开发"), ("表7", "20604", "技术与研究开发")} <= names
    wages = [f for f in of(seed_findings, "SUM-ECO-LEVEL") if f.row == "301"]
    assert [(f.expected, f.actual, f.severity) for f in wages] == [("619.36", "619.37", Severity.NOTE)]


def test_messages_quote_and_explain(seed_findings: list[Finding]) -> None:
    growth = of(seed_findings, "NAR-GROWTH-RATE")[0]
    assert "2.67 ÷ 53.00 = 5.04%" in growth.message and "增长5.06%" in growth.message
    rent = next(f for f in of(seed_findings, "PERF-CALC-TOTAL") if "国检" in (f.row or ""))
    assert "487969*2+502608*10=6002018元" in rent.message
    party = next(f for f in of(seed_findings, "PERF-CALC-TOTAL") if "党建" in (f.row or ""))
    assert "7.40 + 0.30" in party.message


def test_the_seed_misprint_keeps_its_value(seed: Disclosure) -> None:
    cell = seed.table("T14").row("total").cells["value"]  # type: ignore[union-attr]
    assert cell.text == "1,7144.13" and str(cell.value) == "17144.13"


def test_a_corrected_seed_loses_the_finding(seed: Disclosure) -> None:
    """The findings come from the document: fix a cell and its finding goes (the test can fail)."""
    import copy

    fixed = copy.deepcopy(seed)
    fixed.table("T14").row("total").cells["value"].text = "17,144.13"  # type: ignore[union-attr]
    t7 = fixed.table("T7")
    assert t7 is not None
    for row in t7.rows:
        if row.key in ("20604", "2060499"):
            row.cells["name"].text = "技术研究与开发" if row.key == "20604" else "其他技术研究与开发支出"
    found = check(fixed)
    assert not [f for f in of(found, "FMT-SEPARATOR") if f.row == "资金总额"]
    assert not [f for f in of(found, "CAT-NAME") if f.table == "表7"]
    assert [f for f in of(found, "CAT-NAME") if f.table == "表1"]

"""Completeness rules on the narrative half of a disclosure published as two files (北京's 附件1 情况说明 with
its tables in 附件2): one note that the tables are published separately, not one error per table."""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path

import pytest

from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.importers.source import strip_numbering
from deptbudget.model.disclosure import Disclosure, Part, Section
from deptbudget.rules import Checker, Finding, Severity, run_rules
from deptbudget.rules.registry import get_rule
from deptbudget.sources.yaml_source import load_budget

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luohu-2020.yaml"


@pytest.fixture(scope="module")
def computed() -> Disclosure:
    return compute_disclosure(replace(load_budget(EXAMPLE), template="mof-9"))


def _text_half(disclosure: Disclosure, last_line: str) -> Disclosure:
    """The document as its 说明 file reads: the narrative, no table read, no contents list of tables."""
    half = copy.deepcopy(disclosure)
    half.tables = [t for t in half.tables if t.id == "T9"]
    half.tables[0].rows, half.tables[0].empty_note = [], ""  # a heading without rows: no table read
    half.contents = []
    half.parts.append(Part(number=len(half.parts) + 1, title="第二部分 部门预算报表",
                           sections=[Section(heading="", paragraphs=[last_line])]))
    return half


def _run(disclosure: Disclosure, rule_id: str) -> list[Finding]:
    return run_rules(disclosure, Checker().context(disclosure), [get_rule(rule_id)])


def test_tables_printed_in_an_attachment_are_one_note(computed: Disclosure) -> None:
    half = _text_half(computed, "附件：某某局 2026 年度部门预算报表")
    (found,) = _run(half, "CMP-TABLE-MISSING")
    assert found.severity is Severity.NOTE
    assert "附件：某某局2026年度部门预算报表" in found.message and "--together" in found.message
    assert _run(half, "CMP-CONTENTS") == []


def test_a_file_without_tables_or_attachment_still_misses_them(computed: Disclosure) -> None:
    half = _text_half(computed, "附件：某某局 2026 年度政府采购实施计划")  # an attachment that is not the tables
    found = _run(half, "CMP-TABLE-MISSING")
    assert len(found) == 8 and {f.severity for f in found} == {Severity.ERROR}


def test_a_file_with_tables_is_judged_as_usual(computed: Disclosure) -> None:
    whole = copy.deepcopy(computed)
    whole.tables = [t for t in whole.tables if t.id != "T9"]
    whole.parts.append(Part(number=9, title="附件", sections=[Section(heading="", paragraphs=["附件：部门预算报表"])]))
    (found,) = _run(whole, "CMP-TABLE-MISSING")
    assert found.severity is Severity.ERROR and found.table == "表9"


def test_a_breakdown_row_of_an_income_is_not_its_fixed_line(computed: Disclosure) -> None:
    """北京's 财政拨款收支总表 lists 上年结转结余 by fund under it (三、国有资本经营预算拨款): not the income line."""
    doc = copy.deepcopy(computed)
    table = next(t for t in doc.tables if any(r.key.startswith("income=") for r in t.rows))
    line = next(r for r in table.rows if r.key.startswith("income=") and ";exp=" in r.key
                and r.cells["income_item"].text)
    income = line.key.split(";")[0]
    breakdown = copy.deepcopy(line)
    breakdown.key = f"{income};exp="
    breakdown.cells["income_item"].text = "三、某某预算拨款"
    table.rows.append(breakdown)
    assert _run(doc, "CMP-ROW-LABELS") == []
    line.cells["income_item"].text = "三、某某预算拨款"  # the income line itself misnamed still is a finding
    assert len(_run(doc, "CMP-ROW-LABELS")) == 1


def test_numbering_style_and_a_closing_income_word_are_no_other_label(computed: Disclosure) -> None:
    """西安 2020 prints ``(1)一般公共预算拨款收入`` and ``1、财政拨款`` where the template says
    ``(1)一般公共预算拨款`` / ``一、财政拨款``: the same fixed rows."""
    doc = copy.deepcopy(computed)
    table = next(t for t in doc.tables if any(r.key.startswith("income=") for r in t.rows))
    line = next(r for r in table.rows if r.key.startswith("income=") and r.cells["income_item"].text)
    name = strip_numbering(line.cells["income_item"].text).removesuffix("收入")
    for printed in (f"(9){name}", f"9、{name}收入"):
        line.cells["income_item"].text = printed
        assert _run(doc, "CMP-ROW-LABELS") == [], printed
    line.cells["income_item"].text = f"(9){name}结余"  # another word still is another row
    assert len(_run(doc, "CMP-ROW-LABELS")) == 1


def test_a_locality_printing_its_contents_apart_from_the_tables(computed: Disclosure) -> None:
    doc = copy.deepcopy(computed)
    doc.contents = []
    assert [f.message for f in _run(doc, "CMP-CONTENTS")] == ["文件没有附表目录"]
    context = Checker().context(doc)
    context = replace(context, settings=replace(context.settings, options={
        **context.settings.options, "contents_with_tables": False}))
    assert run_rules(doc, context, [get_rule("CMP-CONTENTS")]) == []


def _empty_table_findings(doc: Disclosure, sentence: str) -> list[Finding]:
    """CMP-EMPTY-TABLE on the example's table 表9 emptied, the narrative saying ``sentence``."""
    table = next(t for t in doc.tables if t.id == "T9")
    table.rows, table.empty, table.empty_note = [], True, ""
    doc.parts = [Part(number=1, title="第一部分", sections=[Section(heading="", paragraphs=[sentence])])]
    context = Checker().context(doc)
    context = replace(context, settings=replace(context.settings, options={
        **context.settings.options, "empty_table_subjects": {"T9": "“三公”经费"}}))
    return run_rules(doc, context, [get_rule("CMP-EMPTY-TABLE")])


@pytest.mark.parametrize(("sentence", "explained"), [
    ("2026年“三公”经费预算数为0.00万元，与2025年预算持平。", True),
    ("本单位无“三公”经费。", True),
    ("“三公”经费预算数为100万元，比上年减少0万元。", False),
    ("2026年“三公”经费预算数为10.50万元。", False),
    ("本单位机关运行经费为0。", False),
])
def test_an_empty_table_explained_by_a_zero_in_the_narrative(computed: Disclosure, sentence: str,
                                                              explained: bool) -> None:
    assert (_empty_table_findings(copy.deepcopy(computed), sentence) == []) is explained


_LOCAL_TITLES = {  # 上海's titles for the 143号 nine tables
    "T1": "2026年预算单位财务收支预算总表", "T2": "2026年预算单位收入预算总表", "T3": "2026年预算单位支出预算总表",
    "T4": "2026年预算单位财政拨款收支预算总表", "T5": "2026年预算单位一般公共预算支出功能分类预算表",
    "T6": "2026年预算单位一般公共预算基本支出部门预算经济分类预算表",
    "T7": "2026年单位“三公”经费和机关运行经费预算表", "T8": "2026年预算单位政府性基金预算支出功能分类预算表",
    "T9": "2026年预算单位国有资本经营预算支出功能分类预算表"}


def test_a_document_of_no_known_locality_has_its_tables_by_the_words_of_their_titles(computed: Disclosure) -> None:
    unknown = copy.deepcopy(computed)
    unknown.template = "unknown"
    for table in unknown.tables:
        table.id, table.title = f"X{table.id}", _LOCAL_TITLES.get(table.id, table.title)
    unknown.contents = [f"{n}. {title}" for n, title in enumerate(_LOCAL_TITLES.values(), 1)]
    assert _run(unknown, "CMP-TABLE-MISSING") == []
    assert _run(unknown, "CMP-CONTENTS") == []
    unknown.tables = [t for t in unknown.tables if "国有资本经营" not in t.title]
    unknown.contents = [c for c in unknown.contents if "国有资本经营" not in c]
    assert _run(unknown, "CMP-TABLE-MISSING") == []  # not one of 财预〔2016〕143号's eight (重庆, 西安 print none)
    unknown.tables = [t for t in unknown.tables if "三公" not in t.title]
    [missing] = _run(unknown, "CMP-TABLE-MISSING")
    assert "三公" in missing.message and missing.severity is Severity.ERROR


def _unknown(computed: Disclosure, titles: dict[str, str]) -> Disclosure:
    unknown = copy.deepcopy(computed)
    unknown.template = "unknown"
    for table in unknown.tables:
        table.id, table.title = f"X{table.id}", titles.get(table.id, table.title)
    unknown.contents = [f"{n}. {title}" for n, title in enumerate(titles.values(), 1)]
    return unknown


def test_a_title_holding_another_tables_name_is_the_table_its_words_name(computed: Disclosure) -> None:
    # 西安 prints 部门综合预算政府性基金收支总表: it holds 收支总表 (部门收支总表) but is the 政府性基金 table
    titles = dict(_LOCAL_TITLES, T8="2020年部门综合预算政府性基金收支总表")
    assert _run(_unknown(computed, titles), "CMP-TABLE-MISSING") == []
    titles.pop("T8")
    unknown = _unknown(computed, titles)
    unknown.tables = [t for t in unknown.tables if t.id != "XT8"]
    [missing] = _run(unknown, "CMP-TABLE-MISSING")
    assert "政府性基金" in missing.message


def test_a_basic_spending_table_published_within_an_economic_classification_table(computed: Disclosure) -> None:
    # 深圳 prints no 一般公共预算基本支出表: its 一般公共预算支出表（按经济分类） has the 基本支出 column by 经济分类
    titles = {k: v for k, v in _LOCAL_TITLES.items() if k != "T6"}
    unknown = _unknown(computed, titles)
    unknown.tables = [t for t in unknown.tables if t.id != "XT6"]
    [missing] = _run(unknown, "CMP-TABLE-MISSING")
    assert "基本支出" in missing.message
    [unlisted] = _run(unknown, "CMP-CONTENTS")
    assert "基本支出" in unlisted.message
    within = _unknown(computed, dict(titles, T6="一般公共预算支出表（按经济分类）"))
    assert _run(within, "CMP-TABLE-MISSING") == []
    assert _run(within, "CMP-CONTENTS") == []


def test_no_contents_list_is_only_a_note_where_the_locality_is_unknown(computed: Disclosure) -> None:
    known = copy.deepcopy(computed)
    known.contents = []
    [finding] = _run(known, "CMP-CONTENTS")
    assert finding.severity is Severity.WARNING
    unknown = _unknown(computed, _LOCAL_TITLES)
    unknown.contents = []
    [note] = _run(unknown, "CMP-CONTENTS")
    assert note.severity is Severity.NOTE and "目录" in note.message


def test_a_stand_alone_targets_file_of_no_known_locality_misses_no_budget_table() -> None:
    targets = compute_disclosure(load_budget(EXAMPLE))  # the Shenzhen template: 表14 and 表15 are 绩效目标表
    targets.template = "unknown"
    targets.tables = [t for t in targets.tables if t.id in ("T14", "T15")]
    for table in targets.tables:
        table.id = f"X{table.id}"
    assert targets.tables and all("绩效目标" in t.title for t in targets.tables)
    (note,) = _run(targets, "CMP-TABLE-MISSING")
    assert note.severity is Severity.NOTE and "绩效目标" in note.message
    assert _run(targets, "CMP-CONTENTS") == []


def test_a_table_numbered_in_another_series_is_not_compared_with_the_contents(computed: Disclosure) -> None:
    # 烟台 numbers its 绩效目标表 表1, 表2 … after the budget's 表1–表12: its 表2 is not the contents' 2. 收入总体情况表
    unknown = _unknown(computed, _LOCAL_TITLES)
    extra = copy.deepcopy(unknown.tables[0])
    extra.id, extra.title = "XP2", "部门主管专项资金的绩效目标表"
    extra.number = unknown.tables[1].number
    unknown.tables.append(extra)
    assert _run(unknown, "CMP-TABLE-TITLE") == []
    unknown.tables[1].title = "部门收入预算表"  # the listed table itself printed under another title: a finding
    assert "部门收入预算表" in {f.actual for f in _run(unknown, "CMP-TABLE-TITLE")}


def test_a_table_listed_under_another_number_by_its_title_is_listed() -> None:
    """国家信访局's nine 决算 tables read with the Ministry of Finance's template withheld (as a locality no template
    describes): 天津's 11-table template reads them, and numbers its 国有资本经营 table 10 where the document's
    contents list it as 九、 — listed by its title, it is no table missing from the contents."""
    from benchmarks.unknown_locality import withheld
    from deptbudget.importers import import_document
    from deptbudget.importers.titles import title_index
    from deptbudget.rules.registry import Checker
    from tests.real_docs import REAL_DOCS

    path = REAL_DOCS / "009_武汉" / "信访局_国家信访局2024年度部门决算公开.pdf"
    with withheld({"mof-final-9"} & set(title_index().by_template)):
        disclosure, _ = import_document(path)
    assert disclosure.template not in ("mof-final-9", "unknown") and disclosure.contents
    assert not [f for f in Checker().check(disclosure) if f.rule == "CMP-CONTENTS"]

"""The template loader: shipped templates, ``extends``, aliases, typed footers and clear errors."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.model.disclosure import CellKind
from deptbudget.review.checklist import available_checklists
from deptbudget.sources.yaml_source import load_budget
from deptbudget.template import (
    HeaderSpec,
    MeasureKind,
    TemplateError,
    available_templates,
    load_template,
    load_template_file,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "templates"


def test_shipped_templates_load_and_are_cached() -> None:
    assert {"mof-9", "shenzhen-11", "shenzhen-15", "beijing-13", "guangzhou-12", "fuzhou-10", "xian-16",
            "yantai-12"} <= set(available_templates())
    for name in available_templates():
        template = load_template(name)
        assert template.name == name and template.tables
        assert load_template(name) is template
        assert template.checklist in (*available_checklists(), "")
    assert load_template("shenzhen-15").checklist == "shenzhen-15" and load_template("mof-9").checklist == "mof-9"


def test_title_aliases_sit_on_the_tables() -> None:
    t1 = load_template("shenzhen-15").table("T1")
    assert "部门收支总体情况表" in t1.aliases
    assert t1.names[0] == "收支预算总表"
    assert load_template("shenzhen-15").table("T6").names[:2] == ("财政拨款收支总体情况表", "财政拨款收支预算总表")


def test_footer_measures_are_typed_and_totals_are_marked() -> None:
    t1 = load_template("shenzhen-15").table("T1")
    kinds = [(f.income.measure.kind, f.expenditure.measure.kind) for f in t1.footer]
    assert kinds[0] == (MeasureKind.THIS_YEAR, MeasureKind.TOTAL)
    assert kinds[1] == (MeasureKind.FUNDS, MeasureKind.NONE)
    assert kinds[4] == (MeasureKind.FUNDS, MeasureKind.BLANK)
    assert kinds[-1] == (MeasureKind.ALL, MeasureKind.TOTAL)
    assert [f.total for f in t1.footer] == [True, False, False, False, False, True]
    assert t1.footer[0].key == "income=this_year;exp=total"
    assert not t1.footer[4].expenditure.measure.has_amount


def test_shared_columns_of_two_sided_and_form_tables() -> None:
    for name in available_templates():
        for spec in load_template(name).tables:
            if spec.builder == "two_sided":  # the shared four first; a table may print more after them
                assert [c.key for c in spec.columns][:4] == ["income_item", "income_amount", "exp_item", "exp_amount"]
    t14 = load_template("shenzhen-15").table("T14")
    t15 = load_template("shenzhen-15").table("T15")
    assert [c.label for c in t14.columns][-1] == "指标值" and [c.label for c in t15.columns][-1] == "目标值"
    assert all(c.kind is CellKind.TEXT for c in t14.columns)
    assert t14.form is not None and t14.form.fields["unit"][0] == "部门（单位）名称"
    assert t15.indicators is not None and t15.indicators.level2["数量指标"] == "产出指标"


def test_rules_and_parts_are_typed() -> None:
    template = load_template("shenzhen-15")
    assert template.rules.half_step == Decimal("0.005")
    assert template.rules.thresholds["yoy_change_pct"] == Decimal(20)
    assert template.part_titles[8] == "第八部分 名词解释"
    assert load_template("mof-9").parts == ()


def test_extends_changes_only_what_the_variant_says() -> None:
    base = load_template("shenzhen-15")
    variant = load_template_file(FIXTURES / "example-locality.yaml")
    assert variant.name == "example-locality" and variant.extends == "shenzhen-15"
    ids = [t.id for t in variant.tables]
    assert ids == ["T1", "T2", "T3", "T4", "T16", "T5", "T6", "T7", "T8", "T9", "T12", "T13", "T14", "T15"]
    t3 = variant.table("T3")
    assert t3.title == "部门支出总表" and t3.aliases == ("支出总体情况表",)
    assert t3.columns == base.table("T3").columns and t3.header == base.table("T3").header
    assert variant.table("T16").column("personnel") is not None
    assert variant.rules.thresholds == {"yoy_change_pct": Decimal(10)}
    assert variant.rules.options["row_sums"] == base.rules.options["row_sums"]
    assert variant.parts == base.parts and variant.fund_groups == base.fund_groups
    assert "example-locality" not in available_templates()


def test_malformed_template_names_its_file() -> None:
    with pytest.raises(TemplateError, match=r"broken-footer\.yaml.*malformed template.*\[标签, 口径\]"):
        load_template_file(FIXTURES / "broken-footer.yaml")


def test_extends_cycle_and_unknown_names() -> None:
    with pytest.raises(TemplateError, match="循环继承"):
        load_template_file(FIXTURES / "loop-a.yaml")
    with pytest.raises(TemplateError, match="unknown template"):
        load_template("no-such-template")
    with pytest.raises(TemplateError, match="template file not found"):
        load_template_file(FIXTURES / "nowhere.yaml")


def test_a_template_that_is_not_a_mapping(tmp_path: Path) -> None:
    (tmp_path / "odd.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"odd\.yaml.*expected a mapping"):
        load_template_file(tmp_path / "odd.yaml")
    (tmp_path / "float.yaml").write_text("extends: mof-9\nname: float\nrules: {thresholds: {x: 1.5}}\n",
                                         encoding="utf-8")
    with pytest.raises(TemplateError, match=r"float\.yaml.*浮点数"):
        load_template_file(tmp_path / "float.yaml")


def test_a_variant_builds_its_own_table_set() -> None:
    budget = load_budget(Path(__file__).resolve().parents[1] / "fixtures" / "small.yaml")
    disclosure = compute_disclosure(budget, load_template_file(FIXTURES / "example-locality.yaml"))
    assert disclosure.template == "example-locality"
    assert [t.id for t in disclosure.tables if t.id != "T15"][:6] == ["T1", "T2", "T3", "T4", "T16", "T5"]
    assert disclosure.table("T10") is None and "16. 一般公共预算基本支出经济分类表" in disclosure.contents
    t16 = disclosure.table("T16")
    assert t16 is not None
    total = t16.row("total")
    assert total is not None and total.cells["total"].value == total.cells["personnel"].value + (
        total.cells["operating"].value or 0)


def test_unknown_builder_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "odd-builder.yaml").write_text(
        "extends: mof-9\nname: odd-builder\ntables:\n  - {id: T2, builder: pie_chart}\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"odd-builder\.yaml.*表 T2.*pie_chart.*unknown builder"):
        load_template_file(tmp_path / "odd-builder.yaml")


def test_header_cells_are_typed_and_checked(tmp_path: Path) -> None:
    header = load_template("shenzhen-15").table("T2").header
    assert header[0][2] == HeaderSpec("本年收入", 9, 1) and header[3][0] == HeaderSpec("小计")
    (tmp_path / "odd-header.yaml").write_text(
        "extends: mof-9\nname: odd-header\ntables:\n  - {id: T2, header: [[[合计, 2]]]}\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"odd-header\.yaml.*colspan, rowspan"):
        load_template_file(tmp_path / "odd-header.yaml")

"""The local final accounts (部门决算) layouts — 北京 12, 天津 11, 四川 13 tables, a 三公 table with 会议费 and 培训费,
年初预算数 / 全年预算数 / 决算数 side by side — in small hand-written documents (tests/importers/final_layouts.py):
each picks its template and its columns are keyed by phase and measure."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from deptbudget.importers import import_document
from deptbudget.importers.phases import split_phase_label
from deptbudget.importers.titles import choose_template
from deptbudget.model.disclosure import Disclosure
from deptbudget.model.final_accounts import DocumentKind, Phase, phase_amounts
from tests.importers import final_layouts as layouts
from tests.real_docs import cell_value

LAYOUTS = {"mof-final-9": layouts.CENTRAL, "beijing-final-12": layouts.BEIJING,
           "tianjin-final-11": layouts.TIANJIN, "sichuan-final-13": layouts.SICHUAN}


def _imported(tmp_path: Path, tables: tuple[layouts.Printed, ...]) -> Disclosure:
    path = tmp_path / "final.txt"
    path.write_text(layouts.document(tables), encoding="utf-8")
    return import_document(path)[0]


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_each_layout_picks_its_own_template(name: str) -> None:
    titles = [table.title for table in LAYOUTS[name]]
    numbers = [str(n) for n in range(1, len(titles) + 1)]
    assert choose_template(titles, layouts.UNIT, numbers, kind=DocumentKind.FINAL_ACCOUNTS).name == name


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_each_layout_reads_every_table(name: str, tmp_path: Path) -> None:
    disclosure = _imported(tmp_path, LAYOUTS[name])
    assert (disclosure.template, disclosure.kind) == (name, "部门决算")
    assert [t.title for t in disclosure.tables] == [t.title for t in LAYOUTS[name]]
    assert not any(t.id.startswith("X") for t in disclosure.tables)  # every table is one of the template's
    # the central tables keep their columns whatever the locality adds
    assert cell_value(disclosure, "T2", "201", "fiscal") == Decimal("1000.00")
    assert cell_value(disclosure, "T3", "total", "project") == Decimal("350.00")
    assert cell_value(disclosure, "T1", "income=carryover;exp=year_end_balance", "exp_amount") == Decimal("50.00")


def test_budget_and_actual_side_by_side_are_keyed_by_phase(tmp_path: Path) -> None:
    """年初预算数 | 全年预算数 | 决算数, each 合计 · 基本支出 · 项目支出 (the 一般公共预算财政拨款支出决算表 of
    北京, 天津, 四川)."""
    disclosure = _imported(tmp_path, layouts.BEIJING)
    row = disclosure.table("T5").row("2010102")
    project = phase_amounts(row, "project")
    assert (project.initial, project.adjusted, project.actual) == (Decimal("200.00"), Decimal("400.00"),
                                                                  Decimal("350.00"))
    assert project.execution_rate == Decimal("87.50")
    assert phase_amounts(disclosure.table("T5").row("total"), "total").initial == Decimal("900.00")


def test_one_figure_per_phase_under_a_group(tmp_path: Path) -> None:
    """本年支出 over 年初预算数 | 全年预算数 | 决算数, then 决算数为年初预算数的% (a share: no phase, kept as text)."""
    tables = tuple(layouts.GENERAL_ONE_MEASURE if t is layouts.GENERAL else t for t in layouts.CENTRAL)
    table = _imported(tmp_path, tables).table("T5")
    total = phase_amounts(table.row("201"), "total")
    assert (total.initial, total.adjusted, total.actual) == (Decimal("900.00"), Decimal("1100.00"),
                                                            Decimal("1050.00"))
    share = next(c for c in table.columns if c.label == "决算数为年初预算数的%")
    assert share.kind == "text" and table.row("201").cells[share.key].text == "116.67"


def test_three_public_with_conference_and_training_in_three_phases(tmp_path: Path) -> None:
    disclosure = _imported(tmp_path, layouts.SICHUAN)
    [row] = disclosure.table("T7").rows
    assert [row.amount(k) for k in ("initial_total", "adjusted_vehicle_purchase", "vehicle_operation")] == [
        Decimal("20.00"), Decimal("2.00"), Decimal("12.00")]
    conference, training = phase_amounts(row, "conference"), phase_amounts(row, "training")
    assert (conference.initial, conference.adjusted, conference.actual) == (Decimal("8.00"), Decimal("8.00"),
                                                                           Decimal("7.00"))
    assert training.actual == Decimal("5.00")


def test_three_public_with_its_items_as_rows(tmp_path: Path) -> None:
    """项目 | 年初预算数 | 全年预算数 | 决算数 with a row per item: read as the one row of the budget year."""
    tables = tuple(layouts.THREE_PUBLIC_ROWS if t is layouts.THREE_PUBLIC else t for t in layouts.CENTRAL)
    [row] = _imported(tmp_path, tables).table("T7").rows
    assert row.key == "2024"
    vehicles = phase_amounts(row, "vehicles")
    assert (vehicles.initial, vehicles.adjusted, vehicles.actual) == (Decimal("10.00"), Decimal("12.00"),
                                                                     Decimal("15.00"))
    assert [row.amount(k) for k in ("initial_vehicle_purchase", "vehicle_purchase", "reception")] == [
        Decimal(0), Decimal("3.00"), Decimal("6.00")]  # blank is 0, as in any table


def test_a_total_of_all_five_items_is_no_three_public_total(tmp_path: Path) -> None:
    """合计 = 三公 + 会议费 + 培训费 (34 = 5 + 10 + 5 + 8 + 6): keyed all_total, so that neither the text's “三公”经费
    nor the sum of the three items is compared with it; a 合计 of the three (the 四川 fixture) keeps ``total``."""
    tables = tuple(layouts.THREE_PUBLIC_ALL if t is layouts.THREE_PUBLIC_PHASED else t for t in layouts.SICHUAN)
    [row] = _imported(tmp_path, tables).table("T7").rows
    assert [row.amount(k) for k in ("initial_all_total", "adjusted_all_total", "all_total")] == [
        Decimal("34.00"), Decimal("36.00"), Decimal("37.00")]
    assert "total" not in row.cells and "initial_total" not in row.cells


def test_the_central_three_public_table_keeps_its_keys(tmp_path: Path) -> None:
    """预算数 (the 全年预算数) beside 决算数: as mof-final-9 lists them."""
    [row] = _imported(tmp_path, layouts.CENTRAL).table("T7").rows
    reception = phase_amounts(row, "reception")
    assert (reception.initial, reception.adjusted, reception.actual) == (None, Decimal("5.00"), Decimal("6.00"))


def test_local_tables_read_by_their_headers(tmp_path: Path) -> None:
    """The tables whose columns vary by year (政府采购情况表, 收入决算表 by unit, 项目支出决算表, the 明细表) keep
    their template id and every printed amount; the 项目支出决算表 of 四川 is read panel by panel."""
    beijing = _imported(tmp_path, layouts.BEIJING)
    procurement = beijing.table("T11")
    assert [c.label for c in procurement.columns] == ["项目", "采购计划金额", "实际采购金额"]
    assert procurement.rows[0].cells["c2"].value == Decimal("110.00")  # 合计 | 120.00 | 110.00
    sichuan = _imported(tmp_path, layouts.SICHUAN)
    assert cell_value(sichuan, "T12", "31002", "total") == Decimal("50.00")  # second panel
    assert cell_value(sichuan, "T11", "201", "operating") == Decimal("100.00")


def test_optional_columns_and_a_self_evaluation_table(tmp_path: Path) -> None:
    """天津: the 基本支出决算表 as one list, 合计 · 人员经费 · 公用经费 (optional columns, no misfit). A
    项目支出绩效自评表 after the tables (one per project, titled by the project) is read generically: it names no
    template's table, so it neither changes the template (the 国家信访局 决算 prints four) nor loses its amounts."""
    tianjin = _imported(tmp_path, (*layouts.TIANJIN, layouts.SELF_EVALUATION))
    assert tianjin.template == "tianjin-final-11"
    assert [cell_value(tianjin, "T6", "302", key) for key in ("total", "operating")] == [Decimal("100.00")] * 2
    assert cell_value(tianjin, "T6", "301", "personnel") == Decimal("600.00")
    [evaluation] = [t for t in tianjin.tables if "自评" in t.title]
    assert evaluation.id.startswith("X")
    assert evaluation.rows[0].cells["c3"].value == Decimal("350.00")  # 全年执行数


def test_the_basic_expenditure_of_all_funds(tmp_path: Path) -> None:
    """基本支出决算明细表 (all funds, not the 一般公共预算 one, which no template lists: a template table would be built
    into every 决算 of its template) beside the nine: the template stays mof-final-9, the table is read generically
    with every amount, and is not taken for the 一般公共预算财政拨款基本支出决算表."""
    disclosure = _imported(tmp_path, layouts.CENTRAL_WITH_BASIC)
    assert disclosure.template == "mof-final-9"
    assert disclosure.table("T6").title == "一般公共预算财政拨款基本支出决算表"
    [basic] = [t for t in disclosure.tables if t.title == "基本支出决算明细表"]
    assert basic.id.startswith("X") and basic.row("302").cells["operating"].value == Decimal("100.00")


def test_older_footer_labels_of_the_summary(tmp_path: Path) -> None:
    """收入支出决算总表 footers as older and local layouts print them: 使用专用结余, 年初结转结余."""
    summary = layouts.Printed(layouts.SUMMARY.title, (
        *layouts.SUMMARY.lines[:3],
        "\t".join(("使用专用结余", "", "", "结余分配", "", "")),
        "\t".join(("年初结转结余", "10", "100.00", "年末结转和结余", "41", "50.00")),
        layouts.SUMMARY.lines[4]))
    disclosure = _imported(tmp_path, (summary, *layouts.CENTRAL[1:]))
    keys = [row.key for row in disclosure.table("T1").rows]
    assert "income=career_fund;exp=surplus_distribution" in keys
    assert cell_value(disclosure, "T1", "income=carryover;exp=year_end_balance", "income_amount") == Decimal("100.00")


def test_phase_words_of_a_header() -> None:
    assert split_phase_label("决算数合计") == (Phase.ACTUAL, "合计")
    assert split_phase_label("2024年年初预算数") == (Phase.INITIAL, "")
    assert split_phase_label("调整后预算数") == (Phase.ADJUSTED, "")
    assert split_phase_label("预算数") == (Phase.ADJUSTED, "")
    # a fund, a carryover and a rate name no phase
    assert split_phase_label("一般公共预算财政拨款")[0] is None
    assert split_phase_label("年初结转和结余")[0] is None
    assert split_phase_label("预算执行率（%）")[0] is None

"""Real documents of the Chongqing family (chongqing-12, 表一 … 表十二) import by their template: every
table read, amounts wrapped inside their cells and printed in a font boxed below its baseline read
whole and in their own row, and cells checked by eye against the PDF (pdftotext -layout)."""

from __future__ import annotations

from decimal import Decimal

from tests.real_docs import REAL_DOCS, cell_value, imported

FOLDER = REAL_DOCS / "004_重庆"
OFFICE = FOLDER / "2026年重庆市人民政府办公厅部门预算.pdf"
WEATHER = FOLDER / "2026年重庆市气象局部门预算.pdf"
SCIENCE = FOLDER / "2026年重庆市科学技术局部门预算.pdf"
TABLES = ["T1", "T2", "T3", "T4", "T5", "T6", "T8", "T7", "C9", "C10", "C11", "C12"]


def test_the_general_office() -> None:
    disclosure = imported(OFFICE)
    assert disclosure.template == "chongqing-12"
    assert [t.id for t in disclosure.tables] == TABLES
    # 表五 (p. 14): 2025年预算数 printed before the 2026 columns
    assert cell_value(disclosure, "T5", "2010301", "last_year") == Decimal("6077.49")
    assert cell_value(disclosure, "T5", "2010301", "total") == Decimal("6342.71")
    assert cell_value(disclosure, "T5", "2010301", "operating") == Decimal("1799.74")
    # 表八 (p. 20): 2025 and 2026 side by side on one printed row
    assert cell_value(disclosure, "T7", "2025", "total") == Decimal("396.97")
    assert cell_value(disclosure, "T7", "2026", "total") == Decimal("394.49")
    assert cell_value(disclosure, "T7", "2026", "vehicle_operation") == Decimal("200.00")
    # 表四 (p. 14): 二、上年结转 and its part by fund
    assert cell_value(disclosure, "T4", "income=carryover;exp=none", "income_amount") == Decimal("865.06")


def test_the_weather_bureau_wraps_its_amounts() -> None:
    disclosure = imported(WEATHER)
    assert disclosure.template == "chongqing-12"
    assert [t.id for t in disclosure.tables] == TABLES
    # 表一 (p. 6): 合计 printed first, 14,770 over .62
    total = "income=this_year_and_carryover;exp=total"
    assert cell_value(disclosure, "T1", total, "income_amount") == Decimal("14770.62")
    assert cell_value(disclosure, "T1", "income=general_budget;exp=208", "income_amount") == Decimal("12672.73")
    # 表六 (p. 14): names and amounts on one baseline, the amounts' boxes a line lower
    assert cell_value(disclosure, "T6", "301", "total") == Decimal("5293.75")
    assert cell_value(disclosure, "T6", "30101", "personnel") == Decimal("110.24")
    # 表八 (p. 17): the 2026 figures alone
    assert cell_value(disclosure, "T7", "2026", "total") == Decimal("13.85")
    assert cell_value(disclosure, "T7", "2026", "reception") == Decimal("0.30")


def test_the_science_bureau_prints_no_2025_column() -> None:
    disclosure = imported(SCIENCE)
    assert disclosure.template == "chongqing-12"
    assert [t.id for t in disclosure.tables] == TABLES
    # 表二 (p. 11): 2080501 and 2080505 in two rows, not one cell "31.01 / 424.00"
    assert cell_value(disclosure, "T2", "2080501", "total") == Decimal("31.01")
    assert cell_value(disclosure, "T2", "2080505", "general_budget") == Decimal("405.68")
    # 表五 (p. 16): no 2025年预算数 column here
    assert cell_value(disclosure, "T5", "201", "total") == Decimal("5183.00")
    assert cell_value(disclosure, "T5", "201", "project") == Decimal("5183.00")
    t5 = disclosure.table("T5")
    row = t5.row("201") if t5 is not None else None
    assert row is not None and not row.cells["last_year"].text

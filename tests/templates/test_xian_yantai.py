"""Real documents of the Xi'an (xian-16) and Yantai (yantai-12) families import by their template:
the tables read, codes joined from 类 / 款 / 项 columns, and cells checked by eye against the PDF."""

from __future__ import annotations

from decimal import Decimal

from tests.real_docs import REAL_DOCS, cell_value, imported

YANTAI = REAL_DOCS / "025_烟台" / "2026年烟台市审计局部门预算.pdf"
XIAN = REAL_DOCS / "020_西安" / "2026年西安市审计局部门预算.pdf"


def test_yantai_audit_bureau() -> None:
    disclosure = imported(YANTAI)
    assert disclosure.template == "yantai-12"
    ids = [t.id for t in disclosure.tables]
    for table_id in ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "S10", "S11", "S12"):
        assert ids.count(table_id) == 1, table_id  # 表2, 表3 … continued over two pages: one table each
    # 公开表3 支出总体情况表 (PDF p. 11-12): 201 / 08 / 01 printed in 类 款 项 columns
    assert cell_value(disclosure, "T3", "201", "total") == Decimal("2731.79")
    assert cell_value(disclosure, "T3", "201", "project") == Decimal("781.50")
    assert cell_value(disclosure, "T3", "2010801", "basic") == Decimal("1535.85")
    assert cell_value(disclosure, "T3", "2210201", "total") == Decimal("204.86")  # on the second page
    # 公开表6 (p. 17): 301 | 01 基本工资 | 501 | 01 工资奖金津补贴 | 442.38
    t6 = disclosure.table("T6")
    assert t6 is not None and t6.row("30101") is not None
    assert t6.row("30101").cells["gov_code"].text == "50101"  # type: ignore[union-attr]
    assert cell_value(disclosure, "T6", "30101", "personnel") == Decimal("442.38")
    # 公开表7 (p. 19): 2025 and 2026 side by side on one printed row
    assert cell_value(disclosure, "T7", "2025", "total") == Decimal("11.90")
    assert cell_value(disclosure, "T7", "2025", "overseas") == Decimal("8.50")
    assert cell_value(disclosure, "T7", "2026", "reception") == Decimal("3.40")


def test_xian_audit_bureau() -> None:
    disclosure = imported(XIAN)
    assert disclosure.template == "xian-16"
    ids = {t.id for t in disclosure.tables}
    assert {"A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A10", "A13"} <= ids
    a5 = disclosure.table("A5")
    assert a5 is not None and a5.unit == "元"
    # 表5 (PDF p. 26): 2010801 行政运行 23,382,409.50 = 21,523,949.82 人员 + 1,858,459.68 公用
    assert cell_value(disclosure, "A5", "2010801", "total") == Decimal("23382409.50")
    assert cell_value(disclosure, "A5", "2010801", "personnel") == Decimal("21523949.82")
    assert cell_value(disclosure, "A5", "2010804", "project") == Decimal("6358680.00")
    # 表7 (p. 29, 基本支出 by 功能分类), a title ending in a bracketed qualifier
    assert cell_value(disclosure, "A7", "2050803", "operating") == Decimal("60000.00")
    # 报表目录 (p. 21) lists 表8 between 表7 and 表9 | … | 是 | 不涉及
    assert any(entry.startswith("8. ") for entry in disclosure.contents)
    # 表15 (p. 42): 部门（单位）名称 西安市审计局, then the 年度主要任务 table, which is no part of it
    a15 = disclosure.table("A15")
    assert a15 is not None and a15.row("unit").cells["value"].text == "西安市审计局"  # type: ignore[union-attr]
    assert disclosure.unit_name == "西安市审计局"  # the cover's 西安市审计局（汇总）


XIAN_2022 = REAL_DOCS / "020_西安" / "气象局_2026年部门预算.pdf"


def test_xian_2022_meteorological_bureau() -> None:
    """The 2022 Xi'an layout: a 序号 column first, names printed over their cell's edge, the unit named by the
    title (``西安市气象局 2022 年部门综合预算``), 空表 marked in the contents."""
    disclosure = imported(XIAN_2022)
    assert disclosure.template == "xian-16" and disclosure.unit_name == "西安市气象局"
    # 表5 (PDF p. 22): 4 | 2080506 | 机关事业单位职业年金缴费支出43608.96 (the name runs into the 合计 cell)
    a5 = disclosure.table("A5")
    assert a5 is not None and a5.row("2080506").cells["name"].text == "机关事业单位职业年金缴费支出"  # type: ignore[union-attr]
    assert cell_value(disclosure, "A5", "2080506", "total") == Decimal("43608.96")
    # 表13 (p. 30): 4 | 234002 | 西安市人工影响天气服务保障中心 | 12240 | 2720 | 0 | 2720 | … | 2380 | 7140
    assert cell_value(disclosure, "A13", "unit:234002", "last_total") == Decimal("12240")
    assert cell_value(disclosure, "A13", "unit:234002", "last_reception") == Decimal("2720")
    assert cell_value(disclosure, "A13", "unit:234002", "last_training") == Decimal("7140")
    # 表9 (p. 26) is printed blank; the contents (p. 15) say 是 | 不涉及
    a9 = disclosure.table("A9")
    assert a9 is not None and a9.empty and a9.empty_note == "目录：不涉及"


YANTAI_HTML = REAL_DOCS / "025_烟台" / "退役军人事务局_2026年部门预算.html"


def test_yantai_veterans_bureau_converted_to_positioned_html() -> None:
    """The same layout published as an HTML page of positioned boxes (one per printed cell)."""
    disclosure = imported(YANTAI_HTML)
    assert disclosure.template == "yantai-12"
    # 公开表2 (HTML page 8): 机关事业单位基本养老保险缴费支出 wrapped over two lines around its row
    assert cell_value(disclosure, "T2", "2080505", "total") == Decimal("904.32")
    assert cell_value(disclosure, "T2", "2080505", "general_budget") == Decimal("904.32")
    # its 合计 row: 事业收入 1,429.17 and 上级补助收入 3,403.00 in their own columns, right-aligned
    assert cell_value(disclosure, "T2", "total", "operating") == Decimal("1429.17")
    assert cell_value(disclosure, "T2", "total", "superior_subsidy") == Decimal("3403.00")
    # 公开表6 (page 18): 20.96 stands right of its 小计 label
    assert cell_value(disclosure, "T6", "30201", "total") == Decimal("20.96")
    assert cell_value(disclosure, "T6", "30201", "operating") == Decimal("20.96")
    # 公开表7 (page 20): two-line labels 公务用车购置/经费 and 公务用车运行/维护费 side by side
    assert cell_value(disclosure, "T7", "2026", "vehicle_operation") == Decimal("17.40")
    assert cell_value(disclosure, "T7", "2026", "overseas") is None or cell_value(
        disclosure, "T7", "2026", "overseas") == 0
    assert cell_value(disclosure, "T7", "2026", "reception") == Decimal("7.62")
    # 公开表1 (page 7): 支出总计 on the right-hand side of the last row
    assert cell_value(disclosure, "T1", "income=all;exp=total", "exp_amount") == Decimal("35874.49")

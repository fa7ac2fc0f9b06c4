"""One real document of each family: 北京 报表 (beijing-13), 广州 (guangzhou-12), 福州 (fuzhou-10) and the
stand-alone 广州 绩效目标 files (guangzhou-targets-2): the template detected, the tables read and a
few cells checked by eye against the PDF (page noted at each)."""

from __future__ import annotations

from decimal import Decimal

from deptbudget.model.disclosure import Disclosure, Row
from tests.real_docs import REAL_DOCS, cell_value, imported

BEIJING = REAL_DOCS / "002_北京" / "审计局_附件2：北京市审计局2026年度部门预算报表.pdf"
GUANGZHOU = REAL_DOCS / "005_广州" / "信访局_2026年部门预算.pdf"
FUZHOU = REAL_DOCS / "017_福州" / "生态环境局_2026年度福州市鼓楼生态环境局单位预算.pdf.pdf"
FZ_HEALTHCARE = REAL_DOCS / "017_福州" / "2026年福州市医疗保障局部门预算.pdf"
GZ_DEPARTMENT = REAL_DOCS / "005_广州" / ("政务服务和数据管理局_广州市政务服务和数据局2026年部门整体预算绩效目标申报表"
                                        ".pdf.pdf")
GZ_PROJECTS = REAL_DOCS / "005_广州" / ("政务服务和数据管理局_广州市政务服务和数据管理局2026年项目支出绩效目标表"
                                      "（含转移支付项目）.pdf.pdf")


def _row(disclosure: Disclosure, table_id: str, key: str) -> Row:
    table = disclosure.table(table_id)
    assert table is not None, table_id
    return next(row for row in table.rows if row.key == key)


def test_beijing_tables() -> None:
    disclosure = imported(BEIJING)
    assert disclosure.template == "beijing-13" and disclosure.fiscal_year == 2026
    assert [(t.id, t.number) for t in disclosure.tables] == [
        ("T1", "1"), ("T2", "2"), ("T3", "3"), ("T4", "4"), ("T5", "5"), ("T6", "6"), ("T8", "7"), ("T9", "8"),
        ("T7", "9"), ("T16", "10"), ("T17", "11"), ("T18", "12"), ("T19", "13")]
    # p1 预算01表: 一、一般公共预算拨款收入 32,365.090089 | 一、一般公共服务支出 26,661.064552
    row = _row(disclosure, "T1", "income=general_budget;exp=201")
    assert row.cells["income_amount"].value == Decimal("32365.090089")
    assert row.cells["exp_amount"].value == Decimal("26661.064552")
    # p5 预算05表: 2010805 审计管理 486.506000, all of it 项目支出
    assert cell_value(disclosure, "T5", "2010805", "project") == Decimal("486.506000")
    # p7 预算09表 三公: 总额 244.848000, 因公出国（境）费用 173.520000, 公务用车购置费 37.380000
    assert cell_value(disclosure, "T7", "2026", "total") == Decimal("244.848000")
    assert cell_value(disclosure, "T7", "2026", "overseas") == Decimal("173.520000")
    assert cell_value(disclosure, "T7", "2026", "vehicle_purchase") == Decimal("37.380000")
    # p7 预算10表 政府采购: A-货物 238.779600
    assert cell_value(disclosure, "T16", "A-货物", "amount") == Decimal("238.779600")
    # p3 预算03表 total printed last: 合 计 32,852.053832
    assert cell_value(disclosure, "T3", "total", "total") == Decimal("32852.053832")
    # p20 预算13表: 总体资金情况 printed as a row under two header lines; 财政拨款 spans its three columns
    assert cell_value(disclosure, "T19", "total", "value") == Decimal("32852.053832")
    assert cell_value(disclosure, "T19", "fiscal_basic", "value") == Decimal("25218.537585")
    assert cell_value(disclosure, "T19", "other_project", "value") == Decimal("50.117193")


def test_guangzhou_tables() -> None:
    disclosure = imported(GUANGZHOU)
    assert disclosure.template == "guangzhou-12"
    assert [t.id for t in disclosure.tables if not t.in_text] == ["T1", "T2", "T3", "T4", "T5", "T6", "T16", "T7",
                                                                  "T8", "T9", "T17", "T18"]
    # p23 七、重点项目预算绩效目标情况: 项目 | 预算数（单位：万元） | 绩效目标, printed in the text without a title
    [projects] = [t for t in disclosure.tables if t.in_text]
    assert projects.title == "七、重点项目预算绩效目标情况"
    assert [r.cells["c1"].value for r in projects.rows] == [Decimal("252.28")]  # 云客服服务外包项目
    assert cell_value(disclosure, "T2", "unit", "total") == Decimal("3944.08")  # p5 表2: 广州市信访局 3,944.08
    assert cell_value(disclosure, "T3", "2014004", "project") == Decimal("397.28")  # p6 表3: 2014004 信访业务
    assert cell_value(disclosure, "T5", "2014001", "basic") == Decimal("1831.41")  # p9 表5: [2014001]行政运行
    assert cell_value(disclosure, "T16", "30227", "total") == Decimal("442.20")  # p12 表7: [30227]委托业务费
    assert cell_value(disclosure, "T7", "行政经费", "amount") == Decimal("444.39")  # p13 表8: 行政经费
    assert disclosure.contents[0] == "1. 收支总体情况表"  # the 目录 lists the tables


def test_fuzhou_tables() -> None:
    disclosure = imported(FUZHOU)
    assert disclosure.template == "fuzhou-10"
    assert [(t.id, t.number) for t in disclosure.tables][:10] == [
        ("T1", "1"), ("T2", "2"), ("T3", "3"), ("T4", "4"), ("T5", "5"), ("T8", "6"), ("T9", "7"), ("T16", "8"),
        ("T6", "9"), ("T7", "10")]
    assert disclosure.table("T1").title == "收支预算总表"  # 一、收支预算总表 over 2026 年度收支预算总表 (p5)
    assert cell_value(disclosure, "T5", "2110102", "project") == Decimal("343.00")  # p9: 一般行政管理事务
    assert cell_value(disclosure, "T16", "310", "total") == Decimal("51.90")  # p12 八: 310 资本性支出
    assert cell_value(disclosure, "T6", "30217", "total") == Decimal("1.30")  # p13 九: 30217 公务接待费
    assert cell_value(disclosure, "T7", "2、公务接待费", "amount") == Decimal("1.30")  # p16 十
    assert disclosure.table("T8").empty  # p10 六: 合计 0.00 and its 备注


def test_fuzhou_project_forms_and_own_unit() -> None:
    disclosure = imported(FZ_HEALTHCARE)
    forms = [t for t in disclosure.tables if t.id == "T15"]
    assert len(forms) == 13  # p26–39: one 项目绩效目标表 per project; the heading 1.项目支出绩效目标表 is none
    first = forms[0]
    assert first.row("total").cells["value"].value == Decimal("745.00")  # p27: 资金总额 745.00
    assert first.row("fiscal").cells["value"].value == Decimal("745.00")  # p27: 财政拨款 745.00
    indicators = [r for r in first.rows if r.key.startswith("indicator[")]
    assert (indicators[0].cells["level1"].text, indicators[0].cells["target"].text) == ("成本指标", "≥90%")
    # p11: 合计 351904.90 over the units, 福州市医疗保障局 3714.26 among them (its own unit, not the total)
    assert cell_value(disclosure, "T2", "total", "total") == Decimal("351904.90")
    assert cell_value(disclosure, "T2", "unit:福州市医疗保障局", "total") == Decimal("3714.26")


def test_guangzhou_performance_files() -> None:
    department = imported(GZ_DEPARTMENT)
    assert department.template == "guangzhou-targets-2" and [t.id for t in department.tables] == ["T20"]
    first_indicator = _row(department, "T20", "indicator[0]")  # p2: 实施周期指标值 ≥20 | 年度指标值 ≥20, read once each
    assert (first_indicator.cells["target"].text, first_indicator.cells["period_target"].text) == ("≥20", "≥20")
    # p1 预算整体情况 fields and 年度重点工作任务 (p1–2): 164.85, 12,000.00, 1,108.00, 1,756.90, 51,365.96
    assert cell_value(department, "T20", "fiscal", "value") == Decimal("98880.78")
    tasks = [r.cells["amount"].value for r in department.table("T20").rows if r.key.startswith("年度重点工作任务[")]
    assert tasks == [Decimal(v) for v in ("164.85", "12000.00", "1108.00", "1756.90", "51365.96")]
    projects = imported(GZ_PROJECTS)
    assert projects.template == "guangzhou-targets-2" and {t.id for t in projects.tables} == {"T21"}
    first = projects.tables[0]
    assert first.rows[0].key == "total" or first.rows[0].cells["name"].text == "合计"
    assert first.rows[0].cells["total"].value == Decimal("86246.64")  # p1: 合计 86,246.64

"""PDF renderer: text, fonts, headers on every table page, page count, a PNG to look at.

``sample_disclosure()`` builds, by hand, a Disclosure shaped like the seed document (罗湖区
科技创新局 2020): multi-row merged headers, a two-page two-sided table, a wide landscape table,
levels, totals, an empty table, form tables (表14, 表15 per project) and narrative parts.
Once ``examples/luohu-2020.yaml`` and ``compute_disclosure`` exist, the same checks also run
on the real example.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from deptbudget.model.disclosure import (
    Cell,
    CellKind,
    Column,
    Disclosure,
    Figure,
    HeaderCell,
    Part,
    Row,
    RowKind,
    Section,
    Table,
)
from deptbudget.render.grid import table_grid
from deptbudget.render.pdf import write_pdf

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
EXAMPLE = ROOT / "examples" / "luohu-2020.yaml"
UNIT = "罗湖区科技创新局"
A, T, C = CellKind.AMOUNT, CellKind.TEXT, CellKind.CODE

# --------------------------------------------------------------------------- sample disclosure


def _cell(text: str, kind: CellKind) -> Cell:
    if kind == A and text:
        return Cell(text=text, value=Decimal(text.replace(",", "")), kind=A)
    return Cell(text=text, kind=kind)


def _table(
    tid: str,
    title: str,
    columns: list[tuple[str, str, CellKind]],
    header: list[list[tuple[str, int, int, int, int]]],
    rows: list[tuple[str, int, list[str]]],
    **kw: object,
) -> Table:
    cols = [Column(k, label, kind) for k, label, kind in columns]
    out_rows = []
    for i, (kind, level, values) in enumerate(rows):
        cells = {c.key: _cell(v, c.kind) for c, v in zip(cols, values, strict=True)}
        out_rows.append(Row(key=f"{tid}-{i}", cells=cells, kind=RowKind(kind), level=level))
    head = [[HeaderCell(text, r, c, rs, cs) for text, r, c, rs, cs in line] for line in header]
    number = tid[1:]
    return Table(id=tid, number=number, title=title, columns=cols, header=head, rows=out_rows, unit_name=UNIT, **kw)  # type: ignore[arg-type]


def _t1() -> Table:
    cols = [
        ("income_item", "项目", T),
        ("income_amount", "2020 年预算数", A),
        ("exp_item", "项目", T),
        ("exp_amount", "2020 年预算数", A),
    ]
    header = [
        [("收 入", 0, 0, 1, 2), ("支 出", 0, 2, 1, 2)],
        [("项 目", 1, 0, 1, 1), ("2020 年预算数", 1, 1, 1, 1), ("项 目", 1, 2, 1, 1), ("2020 年预算数", 1, 3, 1, 1)],
    ]
    income = [
        ("一、财政预算拨款", "17,144.13"),
        ("一般公共预算拨款", "17,144.13"),
        ("一般性经费拨款", "17,133.81"),
        ("财政专项资金拨款", ""),
        ("政府投资项目拨款", "10.32"),
        ("政府性基金预算拨款", ""),
        ("财政专户拨款", ""),
        ("二、事业收入", ""),
        ("三、事业单位经营收入", ""),
        ("四、其他收入", ""),
    ]
    spend = [
        (1, "一般公共服务支出", "303.18"),
        (2, "组织事务", "303.18"),
        (3, "其他组织事务支出", "303.18"),
        (1, "科学技术支出", "16,633.82"),
        (2, "科学技术管理事务", "600.71"),
        (3, "行政运行", "511.71"),
        (3, "一般行政管理事务", "89.00"),
        (2, "技术研究与开发", "15,567.80"),
        (3, "其他技术研究与开发支出", "15,567.80"),
        (2, "科学技术普及", "410.00"),
        (3, "科普活动", "410.00"),
        (2, "科技交流与合作", "45.00"),
        (3, "其他科技交流与合作支出", "45.00"),
        (2, "其他科学技术支出", "10.32"),
        (3, "其他科学技术支出", "10.32"),
        (1, "社会保障和就业支出", "100.70"),
        (2, "行政事业单位养老支出", "100.70"),
        (3, "行政单位离退休", "43.80"),
        (3, "机关事业单位基本养老保险缴费支出", "37.94"),
        (3, "机关事业单位职业年金缴费支出", "18.97"),
        (1, "卫生健康支出", "16.04"),
        (2, "行政事业单位医疗", "16.04"),
        (3, "行政单位医疗", "16.04"),
        (1, "住房保障支出", "90.38"),
        (2, "住房改革支出", "90.38"),
        (3, "住房公积金", "60.22"),
        (3, "购房补贴", "30.16"),
    ]
    rows: list[tuple[str, int, list[str]]] = []
    for i, (level, name, amt) in enumerate(spend):
        inc = income[i] if i < len(income) else ("", "")
        rows.append(("data", level, [inc[0], inc[1], name, amt]))
    rows += [
        ("total", 0, ["本年收入合计", "17,144.13", "本年支出合计", "17,144.13"]),
        ("data", 0, ["上年结余、结转", "", "结转下年", ""]),
        ("total", 0, ["收入总计", "17,144.13", "支出总计", "17,144.13"]),
    ]
    t = _table("T1", "收支预算总表", cols, header, rows)
    footers = ["income=this_year;exp=total", "income=carryover;exp=blank", "income=all;exp=total"]
    for i, row in enumerate(t.rows):  # keys as in docs/disclosure-conventions.md, with made-up codes
        code = f"{200 + i}{'0' * 2 * (row.level - 1)}"
        row.key = f"income=i{i};exp={code}" if i < len(spend) else footers[i - len(spend)]
    return t


def _t2() -> Table:
    labels = [
        "预算单位",
        "收入总计",
        "财政预算拨款小计",
        "一般公共预算拨款小计",
        "一般性经费拨款",
        "财政专项资金拨款",
        "政府投资项目拨款",
        "政府性基金预算拨款",
        "财政专户拨款",
        "事业收入",
        "其他收入",
        "上级补助收入",
        "上年结余、结转",
    ]
    cols = [(f"c{i}", label, T if i == 0 else A) for i, label in enumerate(labels)]
    header = [
        [
            ("预算单位", 0, 0, 4, 1),
            ("收入总计", 0, 1, 4, 1),
            ("本年收入", 0, 2, 1, 9),
            ("上级补助收入", 0, 11, 4, 1),
            ("上年结余、结转", 0, 12, 4, 1),
        ],
        [("财政预算拨款", 1, 2, 1, 7), ("事业收入", 1, 9, 3, 1), ("其他收入", 1, 10, 3, 1)],
        [
            ("小计", 2, 2, 2, 1),
            ("一般公共预算拨款", 2, 3, 1, 4),
            ("政府性基金预算拨款", 2, 7, 2, 1),
            ("财政专户拨款", 2, 8, 2, 1),
        ],
        [
            ("小计", 3, 3, 1, 1),
            ("一般性经费拨款", 3, 4, 1, 1),
            ("财政专项资金拨款", 3, 5, 1, 1),
            ("政府投资项目拨款", 3, 6, 1, 1),
        ],
    ]
    row = [UNIT, "17,144.13", "17,144.13", "17,144.13", "17,133.81", "", "10.32", "", "", "", "", "", ""]
    return _table("T2", "收入预算表", cols, header, [("total", 0, row)], landscape=True)


def _t3() -> Table:
    cols = [
        ("unit", "预算单位", T),
        ("total", "支出总计", A),
        ("basic", "基本支出", A),
        ("project", "项目支出", A),
        ("procurement", "2020 政府采购项目", A),
        ("procurement_sme", "2020 面向中小企业政府采购项目", A),
        ("procurement_micro", "2020 面向小型、微型企业政府采购项目", A),
    ]
    header = [
        [
            ("预算单位", 0, 0, 2, 1),
            ("支出总计", 0, 1, 2, 1),
            ("基本支出", 0, 2, 2, 1),
            ("项目支出", 0, 3, 2, 1),
            ("其中", 0, 4, 1, 3),
        ],
        [
            ("2020 政府采购项目", 1, 4, 1, 1),
            ("2020 面向中小企业政府采购项目", 1, 5, 1, 1),
            ("2020 面向小型、微型企业政府采购项目", 1, 6, 1, 1),
        ],
    ]
    rows = [("total", 0, [UNIT, "17,144.13", "718.83", "16,425.30", "180.00", "", ""])]
    return _table("T3", "支出预算表", cols, header, rows, landscape=True)


def _t4() -> Table:
    cols = [
        ("name", "预算单位", T),
        ("total", "总计", A),
        ("fin", "财政预算拨款小计", A),
        ("gpb", "一般公共预算拨款", A),
        ("general", "一般性经费拨款", A),
        ("special", "财政专项资金拨款", A),
        ("other", "其他收入", A),
    ]
    header = [
        [("预算单位", 0, 0, 2, 1), ("总计", 0, 1, 2, 1), ("财政预算拨款", 0, 2, 1, 4), ("其他收入", 0, 6, 2, 1)],
        [
            ("小计", 1, 2, 1, 1),
            ("一般公共预算拨款", 1, 3, 1, 1),
            ("一般性经费拨款", 1, 4, 1, 1),
            ("财政专项资金拨款", 1, 5, 1, 1),
        ],
    ]
    items = [
        (1, "工资福利支出", "619.37"),
        (2, "基本工资", "66.87"),
        (2, "津贴补贴", "394.36"),
        (2, "奖金", "5.57"),
        (2, "机关事业单位基本养老保险缴费", "37.94"),
        (2, "职业年金缴费", "18.97"),
        (2, "职工基本医疗保险缴费", "14.80"),
        (2, "其他社会保障缴费", "1.24"),
        (2, "住房公积金", "60.22"),
        (2, "其他工资福利支出", "19.39"),
        (1, "商品和服务支出", "55.67"),
        (2, "办公费", "10.15"),
        (2, "印刷费", "0.68"),
        (2, "咨询费", "0.68"),
        (2, "手续费", "0.34"),
        (2, "邮电费", "2.03"),
        (2, "差旅费", "3.38"),
        (2, "维修(护)费", "2.37"),
        (2, "培训费", "1.35"),
        (2, "劳务费", "3.38"),
        (2, "委托业务费", "6.77"),
        (2, "工会经费", "4.90"),
        (2, "福利费", "0.96"),
        (2, "公务用车运行维护费", "3.15"),
        (2, "其他交通费用", "12.83"),
        (2, "其他商品和服务支出", "2.37"),
        (2, "办公设备购置", "0.34"),
        (1, "对个人和家庭的补助", "43.80"),
        (2, "退休费", "43.80"),
    ]
    rows = [("total", 0, [UNIT, "718.83", "718.83", "718.83", "718.83", "", ""])]
    rows += [("subtotal" if lv == 1 else "data", lv, [name, a, a, a, a, "", ""]) for lv, name, a in items]
    return _table("T4", "基本支出预算表", cols, header, rows)


FUNC_ROWS = [
    (1, "201", "一般公共服务支出", "303.18", "", "303.18"),
    (2, "20132", "组织事务", "303.18", "", "303.18"),
    (3, "2013299", "其他组织事务支出", "303.18", "", "303.18"),
    (1, "206", "科学技术支出", "16,633.82", "511.71", "16,122.11"),
    (2, "20601", "科学技术管理事务", "600.71", "511.71", "89.00"),
    (3, "2060101", "行政运行", "511.71", "511.71", ""),
    (3, "2060102", "一般行政管理事务", "89.00", "", "89.00"),
    (2, "20604", "技术研究与开发", "15,567.80", "", "15,567.80"),
    (3, "2060499", "其他技术研究与开发支出", "15,567.80", "", "15,567.80"),
    (1, "208", "社会保障和就业支出", "100.70", "100.70", ""),
    (2, "20805", "行政事业单位养老支出", "100.70", "100.70", ""),
    (1, "210", "卫生健康支出", "16.04", "16.04", ""),
    (1, "221", "住房保障支出", "90.38", "90.38", ""),
]


def _func_table(tid: str, title: str, rows: list[tuple[int, str, str, str, str, str]], **kw: object) -> Table:
    cols = [
        ("unit", "预算单位", T),
        ("code", "科目编码", C),
        ("name", "科目名称", T),
        ("total", "支出总计", A),
        ("basic", "基本支出", A),
        ("project", "项目支出", A),
    ]
    body: list[tuple[str, int, list[str]]] = []
    if rows:
        body.append(("total", 0, [UNIT, "", "", "17,144.13", "718.83", "16,425.29"]))
    body += [("data", lv, ["", code, name, a, b, p]) for lv, code, name, a, b, p in rows]
    return _table(tid, title, cols, [], body, **kw)


def _t12() -> Table:
    cols = [
        ("unit", "预算单位", T),
        ("year", "年度", T),
        ("total", "“三公”经费财政拨款预算总额", A),
        ("overseas", "因公出国(境)费", A),
        ("reception", "公务接待费", A),
        ("vehicles", "公务用车购置及运行维护费小计", A),
        ("vehicle_purchase", "公务用车购置费", A),
        ("vehicle_operation", "公务用车运行维护费", A),
    ]
    header = [
        [
            ("预算单位", 0, 0, 2, 1),
            ("年度", 0, 1, 2, 1),
            ("“三公”经费财政拨款预算总额", 0, 2, 2, 1),
            ("因公出国(境)费", 0, 3, 2, 1),
            ("公务接待费", 0, 4, 2, 1),
            ("公务用车购置及运行维护费", 0, 5, 1, 3),
        ],
        [("小计", 1, 5, 1, 1), ("公务用车购置费", 1, 6, 1, 1), ("公务用车运行维护费", 1, 7, 1, 1)],
    ]
    rows = [
        ("data", 0, [UNIT, "2019", "13.65", "", "10.50", "3.15", "", "3.15"]),
        ("data", 0, [UNIT, "2020", "12.65", "", "9.50", "3.15", "", "3.15"]),
    ]
    return _table("T12", "“三公”经费财政拨款预算情况表", cols, header, rows)


PROJECTS = [
    ("离退休老干部活动经费", "3.18"),
    ("粤港澳大湾区无人机大赛经费(新增)", "150.00"),
    ("罗湖区智能停车引导系统建设项目", "10.32"),
    ("菁英人才各项综合服务补贴", "300.00"),
    ("大梧桐新兴产业带工作经费(国检大厦租金)", "600.30"),
    ("自主创新经费", "150.00"),
    ("科协科普经费", "230.00"),
    ("三模基地维护经费", "30.00"),
    ("科技项目调研、咨询经费", "45.00"),
    ("预算准备金", "81.00"),
    ("大梧桐新兴产业带工作经费", "198.00"),
    ("产业转型升级资金", "13,800.00"),
    ("高交会、创客周组展项目", "60.00"),
    ("基层党组织党建工作经费", "8.00"),
    ("人才建设经费", "100.00"),
    ("创新驱动经费", "147.50"),
    ("人工智能特色小镇规划经费", "370.00"),
    ("大梧桐新兴产业带建设工作购买服务项目", "122.00"),
    ("安全生产监督管理经费（专项资金）", "20.00"),
]


def _t13(projects: list[tuple[str, str]] = PROJECTS) -> Table:
    cols = [
        ("unit", "实施单位", T),
        ("name", "项目名称", T),
        ("total", "合计", A),
        ("general_budget", "一般公共预算拨款", A),
        ("others", "其他资金", A),
        ("period", "预算执行时间", T),
    ]
    header = [
        [("实施单位", 0, 0, 2, 1), ("项目名称", 0, 1, 2, 1), ("预算金额", 0, 2, 1, 3), ("预算执行时间", 0, 5, 2, 1)],
        [("合计", 1, 2, 1, 1), ("一般公共预算拨款", 1, 3, 1, 1), ("其他资金", 1, 4, 1, 1)],
    ]
    rows = [("data", 0, [UNIT, name, amt, amt, "", "2020.01.01-2020.12.31"]) for name, amt in projects]
    return _table("T13", "部门预算绩效管理项目情况表", cols, header, rows)


def _form(
    tid: str, title: str, fields: list[tuple[str, str]], indicators: list[tuple[str, str, str, str]], **kw: object
) -> Table:
    cols = [
        Column("level1", "一级指标", T),
        Column("level2", "二级指标", T),
        Column("indicator", "指标内容", T),
        Column("target", "目标值", T),
    ]
    rows = [
        Row(f"{tid}-f{i}", {"label": Cell(label), "value": _cell(value, A if _num(value) else T)}, kind=RowKind.FIELD)
        for i, (label, value) in enumerate(fields)
    ]
    rows.append(Row(f"{tid}-h", {"label": Cell("年度绩效指标")}, kind=RowKind.HEADING))
    rows.append(Row(f"{tid}-hh", {c.key: Cell(c.label) for c in cols}, kind=RowKind.DATA))
    for i, values in enumerate(indicators):
        rows.append(Row(f"{tid}-i{i}", {c.key: Cell(v) for c, v in zip(cols, values, strict=True)}))
    return Table(id=tid, number=tid[1:], title=title, columns=cols, rows=rows, layout="form", unit_name=UNIT, **kw)  # type: ignore[arg-type]


def _num(text: str) -> bool:
    return bool(re.fullmatch(r"[\d,]+\.\d\d", text))


FUNCTIONS_TEXT = "\n".join(
    f"{i}. 负责辖区科技创新、战略性新兴产业等领域的统计与分析工作，会同有关部门拟订和实施科技创新领域人才政策和措施，"
    "负责科技人才队伍建设，推进高层次人才载体建设，凝聚与服务科技创新人才。"
    for i in range(1, 19)
)


def _t14() -> Table:
    fields = [
        ("部门（单位）名称", UNIT),
        ("负责人", "石兴中"),
        ("填报人", "罗远"),
        ("联系方式", "22185579"),
        ("资金总额（万元）", "17,144.13"),
        ("基本支出（万元）", "718.83"),
        ("项目支出（万元）", "16,425.30"),
        ("其他（万元）", "0.00"),
        ("部门（单位）职能概述", FUNCTIONS_TEXT),
        (
            "部门（单位）总体绩效目标",
            "1. 促进辖区战新产业、科技产业发展\n2. 服务辖区战新产业、科技产业企业\n3. 全面提升辖区民众科学素质",
        ),
    ]
    indicators = [
        ("产出指标", "数量指标", "高企培育企业数", "约 350 家"),
        ("产出指标", "质量指标", "全社会研发支出同比增长率", "约 50%"),
        ("效益指标", "经济效益指标", "战略性新兴产业增加值同比提升", "5% 左右"),
        ("满意度指标", "服务对象满意度指标", "扶持企业满意度", "≥95%"),
    ]
    return _form("T14", "部门（单位）整体支出绩效目标申报表", fields, indicators, subtitle="（2020 年度）")


def _t15(code: str, name: str, amount: str) -> Table:
    fields = [
        ("项目名称", name),
        ("项目单位", UNIT),
        ("资金总额（万元）", amount),
        ("其中：财政拨款", amount),
        ("其他资金", "0.00"),
        ("项目联系人", "李玲玲"),
        ("联系电话", "22185591, 15989485663"),
        (
            "项目绩效目标",
            "目标 1：培育辖区国高企业，至 2020 年底辖区国高企业数达到 350 家以上。\n"
            "目标 2：鼓励辖区全社会研发增长，提升企业自主创新能力。",
        ),
    ]
    indicators = [
        ("投入指标", "测算明细", "国高企业认定 2500 万元、国家省市计划项目配套 620 万元、创新载体 700 万元。", ""),
        ("产出指标", "数量指标", "高企培育企业数", "约 350 家"),
        ("产出指标", "质量指标", "全社会研发支出同比增长率", "约 50%"),
        ("效益指标", "经济效益指标", "战略性新兴产业增加值", "同比提升 5%左右"),
        ("效益指标", "服务对象满意度指标", "扶持企业满意度", "≥95%"),
    ]
    return _form("T15", "项目支出绩效目标表", fields, indicators, subtitle="2020 年度", instance=code)


PARTS = [
    (
        "第一部分 部门概况",
        [
            (
                "一、主要职能",
                [
                    "罗湖区科技创新局主要职责是贯彻执行国家、省、市创新驱动、科技创新、科学普及等相关法律、"
                    "法规、规章和方针政策，编制本区创新驱动、科技创新、科学普及发展规划、年度计划与政策措施并组织实施。"
                ],
            ),
            ("二、机构编制及交通工具情况", ["罗湖区科技创新局行政编制数 15 人，实有在编人数 14 人；退休 7 人。"]),
        ],
    ),
    (
        "第二部分 部门预算收支总体情况",
        [
            (
                "",
                [
                    "2020年罗湖区科技创新局部门预算收入17,144.13万元，比2019年增加298.27万元，"
                    "增长1.77%，其中：财政预算拨款17,144.13万元。"
                ],
            )
        ],
    ),
    (
        "第三部分 部门预算支出具体情况",
        [
            (
                "",
                [
                    "罗湖区科技创新局预算17,144.13万元，包括人员支出619.37万元、公用支出55.67万元、"
                    "对个人和家庭的补助支出43.80万元、项目支出16,425.30万元。"
                ],
            )
        ],
    ),
    (
        "第四部分 政府采购预算情况",
        [("", ["2020 年罗湖区科技创新局采购项目纳入 2020 年部门预算实际指标 180.00 万元。"])],
    ),
    (
        "第五部分 “三公”经费财政拨款预算情况",
        [("“三公”经费财政拨款预算情况说明", ["2020 年“三公”经费财政拨款预算 12.65 万元，比 2019 年减少 1.00 万元。"])],
    ),
    (
        "第六部分 部门预算绩效管理情况",
        [
            (
                "实施部门预算绩效管理的项目情况及工作要求",
                ["2020 年罗湖区科技创新局所有项目支出预算纳入部门预算绩效管理。"],
            )
        ],
    ),
    (
        "第七部分 其他需要说明情况",
        [("一、机关运行经费", ["2020 年罗湖区科技创新局机关运行经费财政拨款预算 55.67 万元。"])],
    ),
    (
        "第八部分 名词解释",
        [
            (
                "",
                [
                    "一、一般公共预算拨款收入：指本级财政当年拨付的资金。",
                    "二、项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。",
                ],
            )
        ],
    ),
]


def sample_disclosure(extra_projects: int = 0) -> Disclosure:
    """The seed document as a hand-built Disclosure. ``extra_projects`` lengthens 表13 (and adds 表15s)."""
    projects = PROJECTS + [(f"测试项目{i:03d}", f"{i + 1:,}.{i % 100:02d}") for i in range(extra_projects)]
    tables = [
        _t1(),
        _t2(),
        _t3(),
        _t4(),
        _func_table("T7", "一般公共预算支出情况表", FUNC_ROWS),
        _func_table("T8", "政府性基金预算支出情况表", [], empty=True, empty_note="本单位无政府性基金预算支出。"),
        _t12(),
        _t13(projects),
        _t14(),
    ]
    tables += [
        _t15(f"P{i:02d}", name, amt)
        for i, (name, amt) in enumerate(sorted(PROJECTS[:3], key=lambda p: -Decimal(p[1].replace(",", ""))))
    ]
    parts = [Part(i + 1, title, [Section(h, ps) for h, ps in sections]) for i, (title, sections) in enumerate(PARTS)]
    figures = {
        k: Figure(k, Decimal(v), v, "万元")
        for k, v in [
            ("income.total", "17144.13"),
            ("income.last_year", "16845.86"),
            ("expenditure.total", "17144.13"),
            ("expenditure.last_year", "16845.86"),
            ("three_public.total", "12.65"),
            ("three_public.last_year", "13.65"),
        ]
    }
    return Disclosure(
        template="shenzhen-15",
        fiscal_year=2020,
        unit_name=UNIT,
        title=f"2020 年{UNIT}部门预算",
        parts=parts,
        tables=tables,
        figures=figures,
        contents=[f"{t.number}. {t.title}" for t in tables if t.id != "T15"] + ["15. 项目支出绩效目标表"],
    )


# --------------------------------------------------------------------------- helpers



def example_disclosure() -> Disclosure:
    """The real example through the real loader and compute."""
    from deptbudget.compute.disclosure import compute_disclosure
    from deptbudget.sources.yaml_source import load_budget

    return compute_disclosure(load_budget(EXAMPLE))


def pdf_pages(path: Path) -> list[str]:
    """Text of each page, in drawing order (pdftotext -raw: a wrapped cell stays together)."""
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True)
    pages = out.stdout.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


FOOTER = re.compile(r"^\s*第\s*\d+\s*页\s*\n|\n\s*第\s*\d+\s*页\s*$")


def page_body(page: str) -> str:
    """A page's text without its footer (drawn first, so at the start in drawing order)."""
    return FOOTER.sub("\n", page)


AMOUNT = re.compile(r"-?\d{1,3}(?:,\d{3})*\.\d{2}")


def table_amounts(t: Table) -> Counter[str]:
    return Counter(
        cell.text.strip()
        for row in t.rows
        for cell in row.cells.values()
        if cell.text.strip() and AMOUNT.fullmatch(cell.text.strip())
    )


def table_pages(d: Disclosure, pages: list[str]) -> list[list[int]]:
    """For each table, the indexes of the pages it occupies: from the page with its "表N" label
    and title to the page before the next table starts."""
    starts: list[int] = []
    page = 0
    for t in d.tables:
        label = f"表{t.number}"
        while page < len(pages) and not (
            squash(page_body(pages[page])).startswith(label) and squash(t.title) in squash(pages[page])
        ):
            page += 1
        assert page < len(pages), f"表{t.number} {t.title} not found after page {starts[-1:]} "
        starts.append(page)
        page += 1
    ends = starts[1:] + [len(pages)]
    return [list(range(a, b)) for a, b in zip(starts, ends, strict=True)]


@dataclass
class Rendered:
    d: Disclosure
    path: Path
    pages: list[str]


def _render(d: Disclosure, path: Path, charts: bool) -> Rendered:
    write_pdf(d, path, charts=charts)
    return Rendered(d, path, pdf_pages(path))


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return _render(sample_disclosure(), tmp_path_factory.mktemp("pdf") / "sample.pdf", charts=False)


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """表13 with 80 projects: it must span several pages."""
    return _render(sample_disclosure(extra_projects=80), tmp_path_factory.mktemp("pdf") / "long.pdf", charts=False)


@pytest.fixture(scope="module")
def example_pdf(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return _render(example_disclosure(), tmp_path_factory.mktemp("pdf") / "example.pdf", charts=True)


@pytest.fixture(params=["sample_pdf", "long_pdf", "example_pdf"])
def rendered(request: pytest.FixtureRequest) -> Rendered:
    return request.getfixturevalue(request.param)


# --------------------------------------------------------------------------- tests



def test_every_table_title_and_amount_is_on_the_table_pages(rendered: Rendered) -> None:
    spans = table_pages(rendered.d, rendered.pages)
    for t, span in zip(rendered.d.tables, spans, strict=True):
        text = "\n".join(rendered.pages[i] for i in span)
        assert squash(t.title) in squash(text)
        printed = Counter(AMOUNT.findall(text))
        missing = table_amounts(t) - printed
        assert not missing, f"表{t.number} {t.instance or ''}: amounts not printed {dict(missing)}"


def test_narrative_is_printed(rendered: Rendered) -> None:
    text = squash("".join(page_body(page) for page in rendered.pages))
    for part in rendered.d.parts:
        assert squash(part.title) in text
        for section in part.sections:
            for paragraph in section.paragraphs:
                assert squash(paragraph) in text, paragraph[:40]


def test_cjk_font_is_embedded(rendered: Rendered) -> None:
    out = subprocess.run(["pdffonts", str(rendered.path)], capture_output=True, text=True, check=True).stdout
    fonts = out.splitlines()[2:]
    assert fonts, out
    assert any("WenQuanYi" in line for line in fonts), out
    for line in fonts:
        emb = line.split()[-5]  # name type encoding emb sub uni object ID
        assert emb == "yes", f"font not embedded: {line}"


def test_page_count_is_plausible(rendered: Rendered) -> None:
    d, pages = rendered.d, rendered.pages
    tables = len(d.tables)
    assert tables + 3 <= len(pages) <= 4 * tables + 12  # cover, contents, parts; at most a few pages a table
    info = subprocess.run(["pdfinfo", str(rendered.path)], capture_output=True, text=True, check=True).stdout
    assert f"Pages:{len(pages)}" in squash(info)


def test_every_table_page_has_the_header(rendered: Rendered) -> None:
    for t, span in zip(rendered.d.tables, table_pages(rendered.d, rendered.pages), strict=True):
        if not t.header:
            if t.layout == "form":
                continue
            first_row = [c.label for c in t.columns]
        else:
            first_row = [h.text for h in t.header[0]]
        for i in span:
            page = squash(rendered.pages[i])
            for text in first_row:
                assert squash(text) in page, f"表{t.number}: header {text!r} missing on page {i + 1}"


def test_long_table_spans_pages_with_its_header(long_pdf: Rendered) -> None:
    spans = table_pages(long_pdf.d, long_pdf.pages)
    t13 = next(i for i, t in enumerate(long_pdf.d.tables) if t.id == "T13")
    assert len(spans[t13]) >= 3
    for i in spans[t13]:
        assert "预算执行时间" in long_pdf.pages[i] and "项目名称" in squash(long_pdf.pages[i])


def test_landscape_tables_are_on_landscape_pages(rendered: Rendered) -> None:
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", str(len(rendered.pages)), str(rendered.path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    sizes = [tuple(map(float, m)) for m in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    assert len(sizes) == len(rendered.pages)
    for t, span in zip(rendered.d.tables, table_pages(rendered.d, rendered.pages), strict=True):
        for i in span:
            width, height = sizes[i]
            assert (width > height) == t.landscape, f"表{t.number} page {i + 1}: {width} x {height}"


def test_contents_page_numbers_point_to_the_parts(rendered: Rendered) -> None:
    layout = ["pdftotext", "-layout", "-f", "2", "-l", "2", str(rendered.path), "-"]
    contents = subprocess.run(layout, capture_output=True, text=True, check=True).stdout
    assert "目" in contents and "录" in contents
    for part in rendered.d.parts:
        line = next(line for line in contents.splitlines() if squash(part.title) in squash(line))
        number = int(line.split()[-1])
        target = next(i for i, p in enumerate(rendered.pages) if re.search(rf"第\s*{number}\s*页", p) and i > 1)
        assert squash(part.title) in squash(rendered.pages[target]), (part.title, number)


def test_footer_numbers_body_pages(sample_pdf: Rendered) -> None:
    assert "页" not in sample_pdf.pages[0]  # cover: no page number
    numbers = [int(m.group(1)) for p in sample_pdf.pages[2:] if (m := re.search(r"第\s*(\d+)\s*页", p))]
    assert numbers == list(range(1, len(sample_pdf.pages) - 1))


def test_every_character_has_a_glyph(rendered: Rendered) -> None:
    """No text may render as a box: every character printed is in the embedded font's cmap."""
    from fontTools.ttLib import TTCollection, TTFont

    from deptbudget.render.fonts import truetype_cjk_font

    font_file = truetype_cjk_font()
    if font_file.path.suffix.lower() == ".ttc":
        font = TTCollection(str(font_file.path)).fonts[font_file.index]
    else:
        font = TTFont(str(font_file.path))
    cmap = font.getBestCmap()
    d = rendered.d
    texts = [d.title, d.unit_name, *(p.text for p in d.parts), *(p.title for p in d.parts)]
    texts += [t.title + t.subtitle + t.empty_note for t in d.tables]
    texts += [h.text for t in d.tables for line in t.header for h in line]
    texts += [cell.text for _, _, _, cell in d.iter_cells()]
    missing = {ch for text in texts for ch in text if not ch.isspace() and ord(ch) not in cmap}
    assert not missing, f"characters without a glyph in {font_file.family}: {sorted(missing)}"


def test_first_table_page_png_for_a_person_to_look_at(example_pdf: Rendered) -> None:
    first = table_pages(example_pdf.d, example_pdf.pages)[0][0] + 1
    ARTIFACTS.mkdir(exist_ok=True)
    stem = ARTIFACTS / "pdf-first-table-page"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            str(first),
            "-l",
            str(first),
            "-singlefile",
            str(example_pdf.path),
            str(stem),
        ],
        check=True,
    )
    png = stem.with_suffix(".png")
    from PIL import Image

    with Image.open(png) as image:
        assert image.width < image.height  # 表1 is portrait
        lo, hi = image.convert("L").getextrema()
        assert lo < 80 and hi > 200  # ink on paper, not a blank page
    shutil.copy(example_pdf.path, ARTIFACTS / "example.pdf")


def test_failed_render_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import deptbudget.render.pdf as pdf

    target = tmp_path / "budget.pdf"
    target.write_bytes(b"old")

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("render failed")

    monkeypatch.setattr(pdf, "table_flowable", boom)
    with pytest.raises(RuntimeError):
        pdf.write_pdf(sample_disclosure(), target, charts=False)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["budget.pdf"]


def test_written_file_is_readable_by_others(tmp_path: Path) -> None:
    path = write_pdf(sample_disclosure(), tmp_path / "b.pdf", charts=False)
    assert path.stat().st_mode & 0o044 == 0o044


# --------------------------------------------------------------------------- the grid


def test_grid_keeps_header_merges_and_form_spans() -> None:
    d = sample_disclosure()
    grid = table_grid(d.table("T2"))
    assert grid.header_rows == 4
    spans = {(c.row, c.col): (c.rowspan, c.colspan) for c in grid.header_cells()}
    assert spans[(0, 2)] == (1, 9) and spans[(0, 0)] == (4, 1) and spans[(2, 3)] == (1, 4)
    form = table_grid(d.table("T14"))
    assert form.header_rows == 0
    field = next(c for c in form.cells if c.text == "石兴中")
    assert (field.col, field.colspan) == (1, 3)
    heading = next(c for c in form.cells if c.text == "年度绩效指标")
    assert heading.colspan == 4
    merged = next(c for c in form.cells if c.text == "产出指标")
    assert merged.rowspan == 2  # 产出指标 heads two indicator rows


def test_grid_splits_long_fields_for_the_pdf_only() -> None:
    t = sample_disclosure().table("T14")
    lines = FUNCTIONS_TEXT.count("\n") + 1
    split = table_grid(t, split_lines=True)
    label = next(c for c in split.cells if c.text == "部门（单位）职能概述")
    assert label.rowspan == lines
    rows = range(label.row, label.row + label.rowspan)
    assert sum(c.continued for c in split.cells if c.row in rows) == lines - 1
    assert table_grid(t).nrows == split.nrows - sum(c.continued for c in split.cells)


def test_levels_indent_the_name_column() -> None:
    t1 = table_grid(sample_disclosure().table("T1"))
    indents = {c.text: c.indent for c in t1.cells}
    assert indents["科学技术支出"] == 0 and indents["科学技术管理事务"] == 1 and indents["行政运行"] == 2
    assert indents["一般公共预算拨款"] == 0  # the left (income) side is not indented

"""Hand-built Disclosures for the renderer and serializer tests."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest

from deptbudget.model.budget import Budget
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
from deptbudget.model.money import format_amount

UNIT = "罗湖区科技创新局"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luohu-2020.yaml"


def text(value: str, *sources: str) -> Cell:
    return Cell(text=value, kind=CellKind.TEXT, sources=sources)


def code(value: str) -> Cell:
    return Cell(text=value, kind=CellKind.CODE)


def amount(value: str | None, *sources: str, rounding: str = "0", exact: str | None = None) -> Cell:
    if value is None:
        return Cell(text="", kind=CellKind.AMOUNT)
    number = Decimal(value)
    return Cell(
        text=format_amount(number),
        value=number,
        kind=CellKind.AMOUNT,
        exact=Decimal(exact) if exact is not None else None,
        rounding=Decimal(rounding),
        sources=sources,
    )


SPENDING_COLUMNS = [
    Column("unit", "预算单位", CellKind.TEXT),
    Column("code", "科目编码", CellKind.CODE),
    Column("name", "科目名称", CellKind.TEXT),
    Column("total", "支出总计"),
    Column("basic", "基本支出"),
    Column("project", "项目支出"),
]

SPENDING_HEADER = [
    [
        HeaderCell("预算单位", 0, 0, rowspan=2),
        HeaderCell("科目编码", 0, 1, rowspan=2),
        HeaderCell("科目名称", 0, 2, rowspan=2),
        HeaderCell("支出总计", 0, 3, rowspan=2),
        HeaderCell("其中", 0, 4, colspan=2),
    ],
    [HeaderCell("基本支出", 1, 4), HeaderCell("项目支出", 1, 5)],
]


def spending_row(key: str, level: int, name: str, total: str, basic: str | None, project: str | None,
                 kind: RowKind = RowKind.DATA) -> Row:
    return Row(
        key=key,
        kind=kind,
        level=level,
        parent=key[:-2] if level > 1 else None,
        cells={
            "unit": text(""),
            "code": code(key),
            "name": text(name),
            "total": amount(total, f"basic[{level}]", f"projects[{level}]"),
            "basic": amount(basic, f"basic[{level}]") if basic else amount(None),
            "project": amount(project, f"projects[{level}]") if project else amount(None),
        },
    )


def spending_table() -> Table:
    rows = [
        Row(
            key="total",
            kind=RowKind.TOTAL,
            cells={
                "unit": text(UNIT),
                "code": code(""),
                "name": text(""),
                "total": amount("17144.13", "basic[0]", "basic[1]", "projects[0]", rounding="0.01",
                                exact="17144.125"),
                "basic": amount("718.83", "basic[0]", "basic[1]"),
                "project": amount("16425.30", "projects[0]"),
            },
        ),
        spending_row("201", 1, "一般公共服务支出", "303.18", None, "303.18", RowKind.SUBTOTAL),
        spending_row("20132", 2, "组织事务", "303.18", None, "303.18", RowKind.SUBTOTAL),
        spending_row("2013299", 3, "其他组织事务支出", "303.18", None, "303.18"),
        spending_row("206", 1, "科学技术支出", "16633.82", "511.71", "16122.11", RowKind.SUBTOTAL),
        spending_row("20601", 2, "科学技术管理事务", "600.71", "511.71", "89.00", RowKind.SUBTOTAL),
        spending_row("2060101", 3, "行政运行", "511.71", "511.71", None),
        spending_row("2060102", 3, "一般行政管理事务", "89.00", None, "89.00"),
    ]
    return Table(
        id="T7",
        number="7",
        title="一般公共预算支出情况表",
        columns=SPENDING_COLUMNS,
        header=SPENDING_HEADER,
        rows=rows,
        unit_name=UNIT,
    )


def empty_table() -> Table:
    return Table(
        id="T8",
        number="8",
        title="政府性基金预算支出情况表",
        columns=SPENDING_COLUMNS,
        header=SPENDING_HEADER,
        rows=[],
        unit_name=UNIT,
        empty=True,
        empty_note="本单位无政府性基金预算支出，本表为空表。",
    )


FORM_COLUMNS = [Column(f"c{i}", "", CellKind.TEXT) for i in range(5)]


def form_table(instance: str, name: str, total: str) -> Table:
    def field(key: str, label: str, value: Cell) -> Row:
        return Row(key=key, kind=RowKind.FIELD, cells={"label": text(label), "value": value})

    rows = [
        field("name", "项目名称", text(name, f"projects[{instance}].pro_name")),
        field("total", "资金总额（万元）", amount(total, f"projects[{instance}]")),
        field("goals", "项目绩效目标", text("目标 1：培育辖区国高企业。\n目标 2：鼓励辖区全社会研发增长。")),
        Row(key="indicators", kind=RowKind.HEADING, cells={"label": text("年度绩效指标")}),
        Row(
            key="ind-0",
            cells={"c0": text("一级指标"), "c1": text("二级指标"), "c2": text("指标内容"), "c3": text("目标值"),
                   "c4": text("")},
        ),
        Row(
            key="ind-1",
            cells={"c0": text("产出指标"), "c1": text("数量指标"), "c2": text("高企培育企业数"),
                   "c3": text("约 350 家"), "c4": text("")},
        ),
    ]
    return Table(
        id="T15",
        number="15",
        title="项目支出绩效目标表",
        columns=FORM_COLUMNS,
        rows=rows,
        unit_name=UNIT,
        subtitle="2020 年度",
        instance=instance,
        layout="form",
    )


def parts() -> list[Part]:
    return [
        Part(
            1,
            "第一部分 部门概况",
            [
                Section("一、主要职能", ["罗湖区科技创新局主要职责是贯彻执行……"]),
                Section("二、机构编制及交通工具情况", ["行政编制数 15 人 <script>alert(1)</script> & 实有 14 人。"]),
            ],
        ),
        Part(
            2,
            "第二部分 部门预算收支总体情况",
            [Section("", ["2020年罗湖区科技创新局部门预算收入17,144.13万元。", "预算收支增加(减少)主要原因说明："])],
        ),
    ]


def build_small() -> Disclosure:
    tables = [spending_table(), empty_table(), form_table("P001", "产业转型升级资金", "13800.00"),
              form_table("P002", "人才建设经费", "100.00")]
    tables[-1].landscape = True
    return Disclosure(
        template="shenzhen-15",
        fiscal_year=2020,
        unit_name=UNIT,
        title="2020 年罗湖区科技创新局部门预算",
        parts=parts(),
        tables=tables,
        figures={
            "income.total": Figure("income.total", Decimal("17144.13"), "17,144.13", "万元", ("basic[0]",)),
            "income.change_pct": Figure("income.change_pct", Decimal("1.77"), "1.77%", "%"),
        },
        contents=["5. 项目支出预算表", "7. 一般公共预算支出情况表", "8. 政府性基金预算支出情况表",
                  "15. 项目支出绩效目标表"],
        meta={"source": "examples/luohu-2020.yaml"},
    )


def build_large(n_tables: int = 20, n_rows: int = 40) -> Disclosure:
    """~20 tables × 40 rows × 8 columns: the size of a big department's disclosure."""
    columns = [Column("code", "科目编码", CellKind.CODE), Column("name", "科目名称", CellKind.TEXT)]
    columns += [Column(f"a{i}", f"金额{i}") for i in range(6)]
    header = [
        [HeaderCell("科目编码", 0, 0, rowspan=2), HeaderCell("科目名称", 0, 1, rowspan=2),
         HeaderCell("本年收入", 0, 2, colspan=6)],
        [HeaderCell(f"金额{i}", 1, 2 + i) for i in range(6)],
    ]
    tables = []
    for t in range(n_tables):
        rows = []
        for r in range(n_rows):
            level = 1 + r % 3
            cells = {"code": code(f"20{r:05d}"), "name": text(f"第{r}项支出科目名称")}
            for i in range(6):
                value = None if (r + i) % 7 == 0 else str(Decimal((t + 1) * (r + 1) * (i + 3) * 137) / 100)
                cells[f"a{i}"] = amount(value, f"basic[{r}]", f"projects[{i}].lines[{r}]")
            rows.append(Row(key=f"r{r}", cells=cells, level=level,
                            kind=RowKind.TOTAL if r == 0 else RowKind.DATA))
        tables.append(Table(id=f"T{t + 1}", number=str(t + 1), title=f"测试表格第{t + 1}号预算表",
                            columns=columns, header=header, rows=rows, unit_name=UNIT))
    big_parts = [
        Part(p, f"第{p}部分 测试", [Section(f"{s}、小节", ["这是一段说明文字，金额 17,144.13 万元。" * 4] * 3)
                                    for s in range(4)])
        for p in range(1, 9)
    ]
    return Disclosure(template="shenzhen-15", fiscal_year=2020, unit_name=UNIT, title="测试部门预算",
                      parts=big_parts, tables=tables)


@pytest.fixture
def small_disclosure() -> Disclosure:
    return build_small()


@pytest.fixture(scope="session")
def large_disclosure() -> Disclosure:
    return build_large()


def build_example() -> Disclosure:
    """The real example: 罗湖区科技创新局 2020, computed from its budget source."""
    from deptbudget.compute.disclosure import compute_disclosure
    from deptbudget.sources.yaml_source import load_budget

    return compute_disclosure(load_budget(EXAMPLE))


@pytest.fixture(scope="session")
def _example() -> Disclosure:
    return build_example()


@pytest.fixture(scope="session")
def example_budget() -> Budget:
    """The example's budget source (file lines known), for renderers that name sources."""
    from deptbudget.sources.yaml_source import load_budget

    return load_budget(EXAMPLE)


@pytest.fixture
def example_disclosure(_example: Disclosure) -> Disclosure:
    """A fresh copy per test (tests may mutate it)."""
    return copy.deepcopy(_example)

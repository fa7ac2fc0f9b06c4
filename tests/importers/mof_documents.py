"""A budget published in the Ministry of Finance layout (9 tables, amounts in 元, titles with the
year), written as XLSX, DOCX and PDF the way other systems publish it — not by our renderers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

UNIT = "某某区教育局"
YEAR = 2025
TITLE = f"{YEAR}年{UNIT}部门预算"


@dataclass
class PrintedTable:
    number: int
    title: str  # without number: "2025年部门收支总表"
    header: list[list[str]]
    merges: list[tuple[int, int, int, int]]  # header (row, col, rowspan, colspan)
    rows: list[list[str]]
    note: str = ""
    unit: str = "元"
    amount_from: int = 2  # first column holding amounts (two-sided tables: amounts at 1, 3…)
    two_sided: bool = False
    extra: dict[str, str] = field(default_factory=dict)


TWO_SIDED_HEADER = [["收 入", "", "支 出", ""], ["项 目", "预算数", "项 目", "预算数"]]
TWO_SIDED_MERGES = [(0, 0, 1, 2), (0, 2, 1, 2)]
FUNC_HEADER = [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]]

T1 = PrintedTable(1, f"{YEAR}年部门收支总体情况表", TWO_SIDED_HEADER, TWO_SIDED_MERGES, [
    ["一、一般公共预算拨款收入", "1,250,000.00", "一、教育支出", "1,150,000.00"],
    ["二、政府性基金预算拨款收入", "", "二、社会保障和就业支出", "60,000.00"],
    ["三、国有资本经营预算拨款收入", "", "三、卫生健康支出", "20,000.00"],
    ["四、财政专户管理资金收入", "", "四、住房保障支出", "40,000.00"],
    ["五、事业收入", "20,000.00", "", ""],
    ["六、事业单位经营收入", "", "", ""],
    ["七、上级补助收入", "", "", ""],
    ["八、附属单位上缴收入", "", "", ""],
    ["九、其他收入", "", "", ""],
    ["本年收入合计", "1,270,000.00", "本年支出合计", "1,270,000.00"],
    ["上年结转结余", "", "结转下年", ""],
    ["收入总计", "1,270,000.00", "支出总计", "1,270,000.00"],
], two_sided=True)

_INCOME_COLUMNS = ["科目编码", "科目名称", "合计", "上年结转结余", "一般公共预算拨款收入", "政府性基金预算拨款收入",
                   "国有资本经营预算拨款收入", "财政专户管理资金收入", "事业收入", "事业单位经营收入", "上级补助收入",
                   "附属单位上缴收入", "其他收入"]


def _income_row(code: str, name: str, total: str, general: str, operating: str = "") -> list[str]:
    return [code, name, total, "", general, "", "", "", operating, "", "", "", ""]


T2 = PrintedTable(2, f"{YEAR}年部门收入总表", [_INCOME_COLUMNS], [], [
    _income_row("", "合计", "1,270,000.00", "1,250,000.00", "20,000.00"),
    _income_row("205", "教育支出", "1,150,000.00", "1,130,000.00", "20,000.00"),
    _income_row("20502", "普通教育", "1,150,000.00", "1,130,000.00", "20,000.00"),
    _income_row("2050201", "学前教育", "1,150,000.00", "1,130,000.00", "20,000.00"),
    _income_row("208", "社会保障和就业支出", "60,000.00", "60,000.00"),
    _income_row("20805", "行政事业单位养老支出", "60,000.00", "60,000.00"),
    _income_row("2080505", "机关事业单位基本养老保险缴费支出", "60,000.00", "60,000.00"),
    _income_row("210", "卫生健康支出", "20,000.00", "20,000.00"),
    _income_row("21011", "行政事业单位医疗", "20,000.00", "20,000.00"),
    _income_row("2101102", "事业单位医疗", "20,000.00", "20,000.00"),
    _income_row("221", "住房保障支出", "40,000.00", "40,000.00"),
    _income_row("22102", "住房改革支出", "40,000.00", "40,000.00"),
    _income_row("2210201", "住房公积金", "40,000.00", "40,000.00"),
])

_SPENDING = [
    ["", "合计", "1,270,000.00", "900,000.00", "370,000.00"],
    ["205", "教育支出", "1,150,000.00", "780,000.00", "370,000.00"],
    ["20502", "普通教育", "1,150,000.00", "780,000.00", "370,000.00"],
    ["2050201", "学前教育", "1,150,000.00", "780,000.00", "370,000.00"],
    ["208", "社会保障和就业支出", "60,000.00", "60,000.00", ""],
    ["20805", "行政事业单位养老支出", "60,000.00", "60,000.00", ""],
    ["2080505", "机关事业单位基本养老保险缴费支出", "60,000.00", "60,000.00", ""],
    ["210", "卫生健康支出", "20,000.00", "20,000.00", ""],
    ["21011", "行政事业单位医疗", "20,000.00", "20,000.00", ""],
    ["2101102", "事业单位医疗", "20,000.00", "20,000.00", ""],
    ["221", "住房保障支出", "40,000.00", "40,000.00", ""],
    ["22102", "住房改革支出", "40,000.00", "40,000.00", ""],
    ["2210201", "住房公积金", "40,000.00", "40,000.00", ""],
]
T3 = PrintedTable(3, f"{YEAR}年部门支出总表", FUNC_HEADER, [], _SPENDING)

# 财政拨款收支总表 with the spending side in four amount columns, as the MoF sample prints it
T4 = PrintedTable(4, f"{YEAR}年财政拨款收支总表", [
    ["收 入", "", "支 出", "", "", "", ""],
    ["项 目", "预算数", "项 目", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"],
], [(0, 0, 1, 2), (0, 2, 1, 5)], [
    ["一、一般公共预算拨款", "1,250,000.00", "一、教育支出", "1,130,000.00", "1,130,000.00", "", ""],
    ["二、政府性基金预算拨款", "", "二、社会保障和就业支出", "60,000.00", "60,000.00", "", ""],
    ["三、国有资本经营预算拨款", "", "三、卫生健康支出", "20,000.00", "20,000.00", "", ""],
    ["", "", "四、住房保障支出", "40,000.00", "40,000.00", "", ""],
    ["本年收入合计", "1,250,000.00", "本年支出合计", "1,250,000.00", "1,250,000.00", "", ""],
    ["上年结转", "", "结转下年", "", "", "", ""],
    ["收入总计", "1,250,000.00", "支出总计", "1,250,000.00", "1,250,000.00", "", ""],
], two_sided=True)

T5 = PrintedTable(5, f"{YEAR}年一般公共预算支出情况表", FUNC_HEADER, [], [
    ["", "合计", "1,250,000.00", "880,000.00", "370,000.00"],
    ["205", "教育支出", "1,130,000.00", "760,000.00", "370,000.00"],
    ["20502", "普通教育", "1,130,000.00", "760,000.00", "370,000.00"],
    ["2050201", "学前教育", "1,130,000.00", "760,000.00", "370,000.00"],
    ["208", "社会保障和就业支出", "60,000.00", "60,000.00", ""],
    ["20805", "行政事业单位养老支出", "60,000.00", "60,000.00", ""],
    ["2080505", "机关事业单位基本养老保险缴费支出", "60,000.00", "60,000.00", ""],
    ["210", "卫生健康支出", "20,000.00", "20,000.00", ""],
    ["21011", "行政事业单位医疗", "20,000.00", "20,000.00", ""],
    ["2101102", "事业单位医疗", "20,000.00", "20,000.00", ""],
    ["221", "住房保障支出", "40,000.00", "40,000.00", ""],
    ["22102", "住房改革支出", "40,000.00", "40,000.00", ""],
    ["2210201", "住房公积金", "40,000.00", "40,000.00", ""],
])

ECO_HEADER = [["科目编码", "科目名称", "合计", "人员经费", "公用经费"]]
T6 = PrintedTable(6, f"{YEAR}年一般公共预算基本支出表", ECO_HEADER, [], [
    ["", "合计", "880,000.00", "800,000.00", "80,000.00"],
    ["301", "工资福利支出", "760,000.00", "760,000.00", ""],
    ["30101", "基本工资", "400,000.00", "400,000.00", ""],
    ["30102", "津贴补贴", "360,000.00", "360,000.00", ""],
    ["302", "商品和服务支出", "80,000.00", "", "80,000.00"],
    ["30201", "办公费", "80,000.00", "", "80,000.00"],
    ["303", "对个人和家庭的补助", "40,000.00", "40,000.00", ""],
    ["30302", "退休费", "40,000.00", "40,000.00", ""],
])

T7 = PrintedTable(7, f'{YEAR}年一般公共预算"三公"经费支出表', [
    ["合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"],
    ["", "", "小计", "公务用车购置费", "公务用车运行费", ""],
], [(0, 0, 2, 1), (0, 1, 2, 1), (0, 2, 1, 3), (0, 5, 2, 1)], [
    ["30,000.00", "", "20,000.00", "", "20,000.00", "10,000.00"],
], amount_from=0)

T8 = PrintedTable(8, f"{YEAR}年政府性基金预算支出表", FUNC_HEADER, [], [],
                  note="本部门无政府性基金预算支出，本表为空表。")
T9 = PrintedTable(9, f"{YEAR}年国有资本经营预算支出表", FUNC_HEADER, [], [["", "合计", "", "", ""]],
                  note="注：本部门无国有资本经营预算支出，故本表为空表。")
# a table no template describes: kept as a generic table
T10 = PrintedTable(10, f"{YEAR}年机关运行经费预算表", [["项目", "预算数"]], [], [["机关运行经费", "80,000.00"]],
                   amount_from=1)

TABLES = [T1, T2, T3, T4, T5, T6, T7, T8, T9, T10]

_CHINESE = "一二三四五六七八九十"
NUMBERING: dict[str, Callable[[int], str]] = {
    "一、": lambda n: f"{_CHINESE[n - 1]}、",
    "表一": lambda n: f"表{_CHINESE[n - 1]}",
    "公开01表": lambda n: f"公开{n:02d}表",
    "公开表一": lambda n: f"公开表{_CHINESE[n - 1]}",
    "表1": lambda n: f"表{n}",
    "部门公开表01": lambda n: f"部门公开表{n:02d}",
    "部门预算公开表1": lambda n: f"部门预算公开表{n}",
}


def heading(table: PrintedTable, numbering: str) -> str:
    return f"{NUMBERING[numbering](table.number)} {table.title}"


def unit_line(table: PrintedTable) -> str:
    return f"单位名称：{UNIT}\t单位：{table.unit}"


def _is_amount(table: PrintedTable, col: int) -> bool:
    if table.two_sided:
        return col % 2 == 1 or col >= 3
    return col >= table.amount_from


# --- XLSX ----------------------------------------------------------------------------------------


def write_xlsx(path: Path, numbering: str = "表1", one_sheet: bool = False, title: str = TITLE) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "说明"
    sheet.append([title])
    row = 1
    for table in TABLES:
        if not one_sheet:
            sheet, row = workbook.create_sheet(f"表{table.number}"), 0
        else:
            sheet.append([])
            row += 1
        sheet.append([heading(table, numbering)])
        sheet.append([f"单位名称：{UNIT}", *[""] * 3, f"单位：{table.unit}"])
        top = row + 3
        for header_row in table.header:
            sheet.append(header_row)
        for r, c, rowspan, colspan in table.merges:
            sheet.merge_cells(start_row=top + r, start_column=c + 1, end_row=top + r + rowspan - 1,
                              end_column=c + colspan)
        for cells in table.rows:
            sheet.append([_xlsx_value(table, i, text) for i, text in enumerate(cells)])
            for i, _ in enumerate(cells):
                if _is_amount(table, i):
                    sheet.cell(sheet.max_row, i + 1).number_format = "#,##0.00"
        if table.note:
            sheet.append([table.note])
        row = sheet.max_row
    workbook.save(path)
    return path


def _xlsx_value(table: PrintedTable, col: int, text: str) -> object:
    if text and _is_amount(table, col):
        return float(text.replace(",", ""))
    return text or None


# --- DOCX ----------------------------------------------------------------------------------------


def write_docx(path: Path, numbering: str = "一、", title: str = TITLE) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph(title, style="Title")
    document.add_paragraph("一、部门主要职责")
    document.add_paragraph(f"{UNIT}主要负责全区教育工作。")
    for table in TABLES:
        document.add_paragraph(heading(table, numbering), style="Heading 2")
        document.add_paragraph(unit_line(table))
        width = len(table.header[0])
        grid = document.add_table(rows=len(table.header) + len(table.rows), cols=width)
        for r, cells in enumerate(table.header + table.rows):
            for c, text in enumerate(cells):
                if text:
                    grid.cell(r, c).text = text
        for r, c, rowspan, colspan in table.merges:
            text = table.header[r][c]
            merged = grid.cell(r, c).merge(grid.cell(r + rowspan - 1, c + colspan - 1))
            merged.text = text
        if table.note:
            document.add_paragraph(table.note)
    document.save(str(path))
    return path


# --- PDF -----------------------------------------------------------------------------------------


def write_pdf(path: Path, numbering: str = "公开表一", title: str = TITLE, ruled: bool = True) -> Path:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from deptbudget.render.pdf import register_font

    font = register_font()
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14, wordWrap="CJK")
    big = ParagraphStyle("big", fontName=font, fontSize=20, leading=26, alignment=1)
    head = ParagraphStyle("head", fontName=font, fontSize=14, leading=20, alignment=1)
    small = ParagraphStyle("small", fontName=font, fontSize=6, leading=8, wordWrap="CJK")
    story: list[object] = [Paragraph(title, big), Spacer(1, 20), Paragraph("一、部门主要职责", head),
                           Paragraph(f"{UNIT}主要负责全区教育工作。", body), PageBreak()]
    for table in TABLES:
        story += [Paragraph(heading(table, numbering), head),
                  Paragraph(unit_line(table).replace("\t", "　　　　"), body), Spacer(1, 6)]
        wrap = 14 if ruled else 40  # without rules, cells stay on one line (a wrapped cell needs its rules)
        data = [[Paragraph(text, small) if len(text) > wrap or (ruled and len(cells) > 8 and len(text) > 6) else text
                 for text in cells] for cells in table.header + table.rows]
        size = 6 if len(table.header[0]) > 8 else 8
        style = [("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), size),
                 ("ALIGN", (0, 0), (-1, -1), "CENTER"), ("ALIGN", (table.amount_from, len(table.header)), (-1, -1),
                                                          "RIGHT")]
        if ruled:
            style.append(("GRID", (0, 0), (-1, -1), 0.5, "black"))
        style += [("SPAN", (c, r), (c + colspan - 1, r + rowspan - 1)) for r, c, rowspan, colspan in table.merges]
        story.append(Table(data, style=TableStyle(style), repeatRows=len(table.header)))
        if table.note:
            story.append(Paragraph(table.note, body))
        story.append(PageBreak())
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build(story)  # type: ignore[arg-type]
    return path

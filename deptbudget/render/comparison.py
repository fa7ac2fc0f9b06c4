"""Budget vs final accounts (``compute/comparison.py``) → HTML page and XLSX workbook.

Two tables: spending per 功能分类 项 and the 三公 items, each with 年初预算数, 全年预算数, 决算数, 执行率, the
difference (决算数 − 全年预算数, else − 年初预算数) and the stated reason; the 功能分类 table ends with its total.
Amounts are 万元 with two decimals; a figure the documents do not give is left blank. Files are written atomically.
"""

from __future__ import annotations

import html
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from deptbudget.compute.comparison import Comparison, ComparisonRow, Figure
from deptbudget.model.money import format_amount, format_percent, round_half_up
from deptbudget.render.files import atomic_output, write_text_atomic
from deptbudget.render.xlsx import excel_number

FUNCTION_HEADER = ("科目编码", "科目名称", "年初预算数", "全年预算数", "决算数", "执行率", "差额", "差异原因")
THREE_PUBLIC_HEADER = ("项目", "年初预算数", "全年预算数", "决算数", "执行率", "差额", "差异原因")
FUNCTION_TITLE = "一、支出预算与决算对比（按支出功能分类科目）"
THREE_PUBLIC_TITLE = "二、“三公”经费预算与决算对比"
NOTE = "执行率 = 决算数 ÷ 全年预算数（无全年预算数时 ÷ 年初预算数）；差额 = 决算数 − 同一预算数。单位：万元。"


def title(comparison: Comparison) -> str:
    return f"{comparison.fiscal_year}年度{comparison.unit_name}预算与决算对比"


def _amount(figure: Figure | None) -> str:
    return "" if figure is None else format_amount(figure.value)


def _rate(value: Decimal | None) -> str:
    return "" if value is None else format_percent(value)


def _difference(row: ComparisonRow) -> str:
    return "" if row.difference is None else format_amount(row.difference)


def row_cells(row: ComparisonRow, with_code: bool) -> list[str]:
    lead = [("" if row.is_total else row.key), row.label] if with_code else [row.label]
    return [*lead, _amount(row.initial), _amount(row.adjusted), _amount(row.actual), _rate(row.execution_rate),
            _difference(row), row.reason]


# --- HTML ------------------------------------------------------------------------------------------

_STYLE = """
body { font-family: "Noto Serif CJK SC", "SimSun", serif; margin: 2em; color: #222; }
h1 { font-size: 1.4em; text-align: center; } h2 { font-size: 1.1em; margin-top: 1.6em; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border: 1px solid #888; padding: 0.25em 0.5em; vertical-align: top; }
th { background: #eef; } td.num { text-align: right; white-space: nowrap; } tr.total td { font-weight: bold; }
p.note { font-size: 0.85em; color: #555; }
"""


def _html_table(header: tuple[str, ...], rows: list[ComparisonRow], with_code: bool, table_class: str = "") -> str:
    amount_columns = range(2 if with_code else 1, len(header) - 1)
    out = [f'<table class="{table_class}">' if table_class else "<table>",
           "<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header) + "</tr>"]
    for row in rows:
        cells = row_cells(row, with_code)
        tds = "".join(f'<td class="num">{html.escape(c)}</td>' if i in amount_columns
                      else f"<td>{html.escape(c)}</td>" for i, c in enumerate(cells))
        out.append(f'<tr class="total">{tds}</tr>' if row.is_total else f"<tr>{tds}</tr>")
    out.append("</table>")
    return "\n".join(out)


def comparison_body(comparison: Comparison, table_class: str = "") -> str:
    """The page's content after its heading: the documents compared, the two tables and the notes (the web
    portal's comparison page shows it in its own frame, its tables of ``table_class``)."""
    notes = "".join(f'<p class="note">{html.escape(n)}</p>' for n in (*comparison.notes, NOTE))
    functions = _html_table(FUNCTION_HEADER, list(comparison.functions), True, table_class)
    three_public = _html_table(THREE_PUBLIC_HEADER, list(comparison.three_public), False, table_class)
    return (f'<p class="note">预算：{html.escape(comparison.budget_title)}；'
            f'决算：{html.escape(comparison.final_title)}</p>\n'
            f"<h2>{FUNCTION_TITLE}</h2>\n{functions}\n"
            f"<h2>{THREE_PUBLIC_TITLE}</h2>\n{three_public}\n"
            f"{notes}\n")


def comparison_html(comparison: Comparison) -> str:
    heading = html.escape(title(comparison))
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{heading}</title>'
            f"<style>{_STYLE}</style></head><body>\n<h1>{heading}</h1>\n"
            f"{comparison_body(comparison)}</body></html>\n")


def write_comparison_html(comparison: Comparison, path: str | Path) -> Path:
    return write_text_atomic(path, comparison_html(comparison))


# --- XLSX ------------------------------------------------------------------------------------------


def _number(ws: Worksheet, r: int, c: int, value: Decimal | None, fmt: Format, places: int = 2) -> None:
    if value is None:
        ws.write_blank(r, c, None, fmt)
    else:
        ws.write_number(r, c, excel_number(value) if places == 2 else float(round_half_up(value, places)), fmt)


def _sheet(book: xlsxwriter.Workbook, name: str, heading: str, header: tuple[str, ...], rows: list[ComparisonRow],
           with_code: bool, notes: tuple[str, ...]) -> None:
    ws = book.add_worksheet(name)
    base = {"font_name": "宋体", "font_size": 10, "border": 1, "valign": "vcenter", "text_wrap": True}
    fmt_title = book.add_format({"font_name": "宋体", "bold": True, "font_size": 14, "align": "center"})
    fmt_head = book.add_format({**base, "bold": True, "align": "center", "bg_color": "#EEEEFF"})
    fmt_text = book.add_format(base)
    fmt_num = book.add_format({**base, "num_format": "#,##0.00"})
    fmt_pct = book.add_format({**base, "num_format": "0.00%"})
    bold = {key: book.add_format({**spec, "bold": True}) for key, spec in
            (("text", base), ("num", {**base, "num_format": "#,##0.00"}), ("pct", {**base, "num_format": "0.00%"}))}
    ws.merge_range(0, 0, 0, len(header) - 1, heading, fmt_title)
    ws.write(1, len(header) - 1, "单位：万元", book.add_format({"font_name": "宋体", "align": "right"}))
    for c, label in enumerate(header):
        ws.write(2, c, label, fmt_head)
    first = 2 if with_code else 1
    for r, row in enumerate(rows, start=3):
        text, num, pct = (bold["text"], bold["num"], bold["pct"]) if row.is_total else (fmt_text, fmt_num, fmt_pct)
        lead = [("" if row.is_total else row.key), row.label] if with_code else [row.label]
        for c, value in enumerate(lead):
            ws.write_string(r, c, value, text)
        values = [None if f is None else f.value for f in (row.initial, row.adjusted, row.actual)]
        for c, value in enumerate(values, start=first):
            _number(ws, r, c, value, num)
        rate = row.execution_rate
        _number(ws, r, first + 3, None if rate is None else rate / 100, pct, places=4)
        _number(ws, r, first + 4, row.difference, num)
        ws.write_string(r, first + 5, row.reason, text)
    for offset, note in enumerate(notes):
        ws.write(3 + len(rows) + 1 + offset, 0, note)
    widths = ([10, 28] if with_code else [28]) + [13, 13, 13, 10, 12, 60]
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    ws.freeze_panes(3, 0)


def write_comparison_xlsx(comparison: Comparison, path: str | Path) -> Path:
    target = Path(path)
    with atomic_output(target) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False, "strings_to_formulas": False})
        heading = title(comparison)
        _sheet(book, "功能分类", f"{heading}（按支出功能分类科目）", FUNCTION_HEADER, list(comparison.functions), True,
               (*comparison.notes, NOTE))
        _sheet(book, "三公经费", f"{heading}（“三公”经费）", THREE_PUBLIC_HEADER, list(comparison.three_public), False,
               (NOTE,))
        book.close()
    return target

"""``deptbudget rollup``: the roll-ups as one HTML page and one XLSX workbook, amounts in 万元.

Each section is an ``audit.warehouse.Section`` (title, header, rows): sums are taken exactly in 元 by DuckDB and
shown in 万元 to two places. Both files are written into a staging folder in DIR and moved into place at the
end: a failure leaves nothing half-written.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import xlsxwriter

from deptbudget.audit.warehouse import Section
from deptbudget.render.xlsx import excel_number
from deptbudget.rollup.lines import ECON, FUNC
from deptbudget.rollup.warehouse import (
    ALL,
    FUNC_ALL,
    LEVELS,
    MEASURE_TITLES,
    THREE_PUBLIC_ITEMS,
    TOP,
    Filter,
    Rollups,
    wan,
)

HTML_NAME = "rollup.html"
XLSX_NAME = "rollup.xlsx"
_MEASURE_NAMES = {**MEASURE_TITLES, "three_public": "“三公”经费", "admin_operating": "机关运行经费"}


def _wan_row(row: tuple[Any, ...], amounts: range | list[int]) -> tuple[Any, ...]:
    return tuple(wan(v) if i in amounts else v for i, v in enumerate(row))


def sections(rollups: Rollups, scope: Filter = ALL) -> list[Section]:
    out = [Section("overview", "概况 (overview, 万元)",
                   ("地区", "年度", "文件数", "一般公共预算支出", "基本支出", "项目支出", "“三公”经费", "机关运行经费"),
                   [_wan_row(r, range(3, 8)) for r in rollups.overview(scope)], bar=3)]
    for kind, levels in LEVELS.items():
        for level, word in levels.items():
            header: tuple[str, ...] = ("地区", "年度", "科目编码", "科目名称", "文件数", "合计")
            rows = rollups.by_level(kind, level, scope)
            if kind in (FUNC, FUNC_ALL):
                header += ("基本支出", "项目支出")
                body = [_wan_row(r, range(5, 8)) for r in rows]
            else:
                body = [_wan_row(r[:6], [5]) for r in rows]
            out.append(Section(f"{kind}-{level}", f"{MEASURE_TITLES[kind]} 按{word} (by level {level}, 万元)", header,
                               body, bar=5))
    for kind, level in ((FUNC, 1), (FUNC, 2), (ECON, 1), (FUNC_ALL, 1)):
        word = LEVELS[kind][level]
        rows = rollups.year_on_year(kind, level, scope)
        out.append(Section(f"yoy-{kind}-{level}", f"{MEASURE_TITLES[kind]} 按{word} 比上年 (year on year, 万元)",
                           ("地区", "年度", "科目编码", "科目名称", "本年", "上年", "增减", "增减率 %"),
                           [_wan_row(r, range(4, 7)) for r in rows]))
    out.append(Section("top", f"金额最大的 {TOP} 个功能分类项 (largest items, 万元)",
                       ("地区", "年度", "科目编码", "科目名称", "合计", "文件数"),
                       [_wan_row(r, [4]) for r in rollups.top_items(TOP, scope)], bar=4))
    out.append(Section("three-public", "“三公”经费和机关运行经费 (万元)",
                       ("地区", "年度", "文件数", *THREE_PUBLIC_ITEMS.values(), "机关运行经费"),
                       [_wan_row(r, range(3, 4 + len(THREE_PUBLIC_ITEMS))) for r in rollups.three_public(scope)],
                       bar=3))
    doubled = [(path, _MEASURE_NAMES.get(measure, measure), role, f"表{taken}（{amounts}）", others)
               for path, measure, role, taken, amounts, others in rollups.doubled()]
    title = "一个文件印有两张同类表的，只计其一：取金额较全的一张 (one table of a role per document)"
    out.append(Section("doubled", title,
                       ("文件", "汇总口径", "表的类别", "采用的表（金额数）", "未采用的表（金额数）"), doubled))
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return "" if value is None else value


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.PackageLoader("deptbudget.rollup", "templates"), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["plain"] = _plain
    return env.get_template("rollup.html.j2")


def render_html(parts: list[Section], title: str) -> str:
    peaks = {s.key: max((abs(r[s.bar] or 0) for r in s.rows), default=Decimal(0)) for s in parts if s.bar is not None}
    return _template().render(sections=parts, peaks=peaks, title=title, made=datetime.now().strftime("%Y-%m-%d %H:%M"))


def write_xlsx(parts: list[Section], path: Path) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_urls": False,
                                            "strings_to_formulas": False})  # text is data
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    money = book.add_format({"num_format": "#,##0.00"})
    for section in parts:
        sheet = book.add_worksheet(section.title.split(" (")[0][:31].replace("/", "-"))
        sheet.write_row(0, 0, section.header, head)
        sheet.freeze_panes(1, 0)
        for r, row in enumerate(section.rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, Decimal):  # 万元 to two places: a spreadsheet holds it exactly enough to show
                    sheet.write_number(r, c, excel_number(value), money)
                elif value is None:
                    sheet.write_blank(r, c, None)
                else:
                    sheet.write(r, c, value)
        sheet.set_column(0, len(section.header) - 1, 14)
    book.close()


def write_rollup(source: str, output: Path, scope: Filter = ALL) -> tuple[Path, Path]:
    """HTML and XLSX of the roll-ups of the lines in ``source``, written into ``output`` (created)."""
    parts = sections(Rollups(source), scope)
    where = "、".join(x for x in (scope.locality, scope.year and f"{scope.year}年") if x) or "全部地区和年度"
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".deptbudget-rollup-", dir=output) as staging:
        stage = Path(staging)
        (stage / HTML_NAME).write_text(render_html(parts, f"部门预算汇总：{where}"), encoding="utf-8")
        write_xlsx(parts, stage / XLSX_NAME)
        for name in (HTML_NAME, XLSX_NAME):
            shutil.move(str(stage / name), output / name)
    return output / HTML_NAME, output / XLSX_NAME

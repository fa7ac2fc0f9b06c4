"""``deptbudget report``: the warehouse's roll-ups as one HTML page and one XLSX workbook.

Each finding links back to its document (a ``file:`` address) and page (``#page=N``, which PDF viewers open
at). The HTML lists the first ``HTML_FINDINGS`` findings (worst first; the workbook has them all, up to a
sheet's rows). Both are written into a staging folder in DIR and moved into place at the end: a failure
leaves nothing half-written.
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

from deptbudget.audit.warehouse import Section, Warehouse

HTML_NAME = "audit-report.html"
XLSX_NAME = "audit-report.xlsx"
HTML_FINDINGS = 2000
XLSX_ROWS = 1_048_575  # a sheet's rows below its header
_LINKED = {"文件"}  # the columns holding a document's path


def document_link(path: str, page: int | None = None) -> str:
    """The address of a document (and page) for a browser or spreadsheet: ``file:///…#page=N``."""
    try:
        address = Path(path).as_uri()
    except ValueError:  # a relative path: as it is
        address = path
    return f"{address}#page={page}" if page else address


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return "" if value is None else value


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.PackageLoader("deptbudget.audit", "templates"), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["plain"] = _plain
    env.globals["link"] = document_link
    env.globals["name_of"] = lambda path: Path(path).name
    return env.get_template("audit.html.j2")


def render_html(sections: list[Section], findings: Section, total_findings: int, results: Path) -> str:
    peaks = {s.key: max((float(r[s.bar] or 0) for r in s.rows), default=0.0) for s in sections if s.bar is not None}
    return _template().render(sections=sections, findings=findings, total_findings=total_findings, results=results,
                              peaks=peaks, linked=_LINKED, made=datetime.now().strftime("%Y-%m-%d %H:%M"))


def _write_sheet(book: xlsxwriter.Workbook, section: Section, formats: dict[str, Any]) -> None:
    """One section as a sheet; a document's path links to the document (its page is in the 页 column: a
    spreadsheet's link cannot open a PDF at a page)."""
    sheet = book.add_worksheet(section.title.split(" ")[0][:31])
    sheet.write_row(0, 0, section.header, formats["head"])
    sheet.freeze_panes(1, 0)
    linked = [i for i, name in enumerate(section.header) if name in _LINKED]
    for r, row in enumerate(section.rows[:XLSX_ROWS], start=1):
        for c, value in enumerate(row):
            if c in linked and value:
                sheet.write_url(r, c, document_link(str(value)), formats["link"], string=str(value))
            elif isinstance(value, Decimal):
                sheet.write_number(r, c, float(value), formats["score"])  # a score, not money
            elif value is None:
                sheet.write_blank(r, c, None)
            else:
                sheet.write(r, c, value)
    sheet.set_column(0, 0, 48 if linked == [0] else 24)
    sheet.set_column(1, len(section.header) - 1, 14)


def write_xlsx(sections: list[Section], findings: Section, path: Path) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_urls": False,
                                            "strings_to_formulas": False})  # text is data
    formats = {"head": book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}),
               "link": book.add_format({"font_color": "blue", "underline": 1}),
               "score": book.add_format({"num_format": "0.0"})}
    for section in [*sections, findings]:
        _write_sheet(book, section, formats)
    book.close()


def write_report(results: Path, output: Path) -> tuple[Path, Path]:
    """HTML and XLSX of the audit in ``results``, written into ``output`` (created), nothing half-written."""
    warehouse = Warehouse(results)
    sections = warehouse.sections()
    total = warehouse.count_findings()
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".deptbudget-report-", dir=output) as staging:
        stage = Path(staging)
        (stage / HTML_NAME).write_text(render_html(sections, warehouse.findings(HTML_FINDINGS), total, results),
                                       encoding="utf-8")
        write_xlsx(sections, warehouse.findings(XLSX_ROWS), stage / XLSX_NAME)
        for name in (HTML_NAME, XLSX_NAME):
            shutil.move(str(stage / name), output / name)
    return output / HTML_NAME, output / XLSX_NAME

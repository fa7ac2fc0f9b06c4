"""The comparison written as XLSX and HTML holds the computed figures, rows and reasons."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl

from deptbudget.compute.comparison import compare
from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.compute.final_disclosure import compute_final_disclosure
from deptbudget.model.money import format_amount
from deptbudget.render.comparison import write_comparison_html, write_comparison_xlsx
from deptbudget.sources.final_source import load_final
from deptbudget.sources.yaml_source import load_budget

ROOT = Path(__file__).resolve().parents[2]


def _comparison():  # type: ignore[no-untyped-def]
    accounts = load_final(ROOT / "examples" / "luohu-2020-final.yaml")
    budget = compute_disclosure(load_budget(ROOT / "examples" / "luohu-2020.yaml"))
    return compare(budget, compute_final_disclosure(accounts), accounts)


def test_xlsx_and_html_hold_the_figures(tmp_path: Path) -> None:
    comparison = _comparison()
    write_comparison_xlsx(comparison, tmp_path / "c.xlsx")
    write_comparison_html(comparison, tmp_path / "c.html")
    sheet = openpyxl.load_workbook(tmp_path / "c.xlsx")["功能分类"]
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[1]]
    assert len(rows) == len(comparison.functions)
    for values, row in zip(rows, comparison.functions, strict=True):
        assert values[1] == row.label and (values[7] or "") == row.reason
        for value, figure in zip(values[2:5], (row.initial, row.adjusted, row.actual), strict=True):
            assert (value is None) == (figure is None)
            if figure is not None:
                assert Decimal(str(value)).quantize(Decimal("0.01")) == figure.value
    page = (tmp_path / "c.html").read_text(encoding="utf-8")
    for row in comparison.functions:
        assert row.label in page and (row.actual is None or format_amount(row.actual.value) in page)
        assert row.reason in page


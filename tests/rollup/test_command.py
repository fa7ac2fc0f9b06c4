"""``deptbudget rollup RESULTS -o DIR``: HTML, XLSX and the Fiscal Data Package; clear errors."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from deptbudget.cli import main
from tests.rollup.conftest import LOCALITIES, Made


def test_rollup_writes_html_xlsx_and_the_package(made: Made, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rollup", str(made.results), "-o", str(tmp_path), "--locality", LOCALITIES[0]]) == 0
    assert "已写出预算汇总" in capsys.readouterr().out
    html = (tmp_path / "rollup.html").read_text(encoding="utf-8")
    assert LOCALITIES[0] in html and LOCALITIES[1] not in html and "比上年" in html and "一般公共服务支出" in html
    book = openpyxl.load_workbook(tmp_path / "rollup.xlsx", read_only=True)
    assert len(book.sheetnames) >= 8
    assert (tmp_path / "fiscal-data-package" / "datapackage.json").is_file()
    assert (tmp_path / "fiscal-data-package" / "budget.csv").is_file()


def test_results_without_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rollup", str(tmp_path), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "没有预算明细" in err and "Traceback" not in err and not (tmp_path / "out").exists()

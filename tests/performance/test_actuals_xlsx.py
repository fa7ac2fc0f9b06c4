"""Actuals workbooks: what the writer writes, the reader reads back as the YAML reader reads the same
data; a malformed workbook gives problems naming the file, sheet and row."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from deptbudget.performance.actuals import load_actuals
from deptbudget.performance.actuals_model import Stage
from deptbudget.performance.actuals_xlsx import parse_actuals_xlsx, write_actuals_xlsx
from deptbudget.performance.actuals_yaml import parse_actuals_yaml
from deptbudget.sources.errors import SourceError

from .actuals_data import MIDYEAR_YAML, SELFEVAL_YAML, held
from .small_budget import small_budget


@pytest.mark.parametrize("text", [SELFEVAL_YAML, MIDYEAR_YAML], ids=["selfeval", "midyear"])
def test_workbook_reads_back_what_yaml_gives(tmp_path: Path, text: str) -> None:
    from_yaml = parse_actuals_yaml(text, "a.yaml")
    book = tmp_path / "a.xlsx"
    write_actuals_xlsx(small_budget(), book, from_yaml)
    from_xlsx = parse_actuals_xlsx(book)
    assert from_xlsx.source == str(book)
    assert held(from_xlsx) == held(from_yaml)
    assert [e.place for e in from_xlsx.projects] == ["工作表「项目」第 2 行", "工作表「项目」第 3 行"]


def test_blank_template_lists_every_project_and_indicator(tmp_path: Path) -> None:
    book = tmp_path / "blank.xlsx"
    write_actuals_xlsx(small_budget(), book, stage=Stage.MIDYEAR)
    blank = parse_actuals_xlsx(book)
    assert blank.stage is Stage.MIDYEAR and blank.fiscal_year == 2020
    assert [(e.code, [i.name for i in e.indicators]) for e in blank.projects] == [
        ("P1", ["举办活动", "参与者满意度"]), ("P2", [])]
    assert blank.department is not None
    assert [i.name for i in blank.department.indicators] == ["科普活动场次", "公众科学素质"]
    assert all(i.to_date is None and i.expected is None for i in blank.projects[0].indicators)


def test_malformed_workbook_names_file_sheet_and_row(tmp_path: Path) -> None:
    book = tmp_path / "bad.xlsx"
    write_actuals_xlsx(small_budget(), book, parse_actuals_yaml(SELFEVAL_YAML, "a.yaml"))
    workbook = load_workbook(book)
    workbook["项目"].cell(3, 4).value = "二百五十"  # P2's 执行数（元）
    workbook["指标"].cell(2, 4).value = None  # the first indicator's name
    workbook.save(book)
    with pytest.raises(SourceError) as caught:
        load_actuals(book, source="上传.xlsx")
    problems = [(p.file, p.place) for p in caught.value.problems]
    assert problems == [("上传.xlsx", "工作表「项目」第 3 行 执行数（元）"), ("上传.xlsx", "工作表「指标」第 2 行")]
    assert "缺少指标名称" in caught.value.problems[1].message
    # a 说明 sheet that does not read stops the reading there
    workbook["说明"].cell(1, 2).value = "二〇二〇"
    workbook.save(book)
    with pytest.raises(SourceError) as caught:
        parse_actuals_xlsx(book)
    assert [(p.file, p.place) for p in caught.value.problems] == [(str(book), "工作表「说明」fiscal_year")]


def test_missing_sheet_and_not_a_workbook(tmp_path: Path) -> None:
    book = tmp_path / "a.xlsx"
    write_actuals_xlsx(small_budget(), book)
    workbook = load_workbook(book)
    del workbook["指标"]
    workbook.save(book)
    with pytest.raises(SourceError, match="缺少工作表「指标」"):
        parse_actuals_xlsx(book)
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(b"not a zip")
    with pytest.raises(SourceError) as caught:
        load_actuals(garbage)
    assert caught.value.problems[0].file == str(garbage) and "不是有效的 XLSX 文件" in caught.value.problems[0].message

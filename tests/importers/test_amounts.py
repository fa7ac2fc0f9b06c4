"""Which printed text in an amount column is meant as a figure (``model.money.meant_as_number``)."""

from __future__ import annotations

import pytest

from deptbudget.importers.amounts import amount_cell
from deptbudget.model.money import meant_as_number


@pytest.mark.parametrize("text", ["1,7144.13", "12.3.4", "17,144.l3", "4OO.00", "12.3O", "１２3.00", "12.30万元",
                                  "(1,000.00)", "1 000.00"])
def test_misprinted_figures_are_meant_as_numbers(text: str) -> None:
    assert meant_as_number(text)


@pytest.mark.parametrize("text", ["工资福利支出", "30101-基本工资", "2080505-机关事业单位基本养老保险缴费支出",
                                  "合 计", "单位：万元", "注：本表无数据", "第 3 页", "款", "是", "≥", "≤3", "≥95%",
                                  "执行率分值（10分）"])
def test_words_and_targets_are_not(text: str) -> None:
    assert not meant_as_number(text)


def test_words_keep_their_text_and_parse_error() -> None:
    """The reader does not hide words in an amount column: the cell keeps them, unread, for the import report."""
    cell = amount_cell("工资福利支出")
    assert cell.text == "工资福利支出" and cell.value is None and cell.parse_error

"""Table titles (``importers.titles``): a title ending in 表 and a bracketed qualifier is a title."""

from __future__ import annotations

import pytest

from deptbudget.importers.titles import choose_template, ends_like_table_title


@pytest.mark.parametrize("text", ["部门综合预算一般公共预算支出明细表（按支出功能分类科目）", "收支总体情况表",
                                  "一般公共预算基本支出表(按经济分类)"])
def test_titles(text: str) -> None:
    assert ends_like_table_title(text)


@pytest.mark.parametrize("text", ["（一）主要职能", "机构设置（2026年）", "预算数（万元）"])
def test_not_titles(text: str) -> None:
    assert not ends_like_table_title(text)


def test_the_printed_numbering_settles_a_tie_between_families() -> None:
    titles = ["收支总表", "一般公共预算支出表", "政府性基金预算支出表"]  # generic: several families print them
    beijing = choose_template(titles, "", ["1", "5", "7"], ["预算01表", "预算05表", "预算07表"])
    chongqing = choose_template(titles, "", ["1", "5", "7"], ["表一", "表五", "表七"])
    assert beijing.name == "beijing-13"  # chongqing-12 numbers 表一 …: 预算01表 contradicts it
    assert chongqing.name == "chongqing-12"

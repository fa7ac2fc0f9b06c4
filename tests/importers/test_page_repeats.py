"""Layout facts of the Shenzhen municipal documents (2026), in a small hand-written text document: the
table list under ``二、表格部分`` is a contents list, not tables; a title with a bracketed qualifier
(``一般公共预算支出表（按功能分类）``); the number and title printed again on every page of a table."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from deptbudget.importers import import_document
from deptbudget.importers.report import ImportReport
from deptbudget.importers.titles import ends_like_table_title
from deptbudget.model.disclosure import Disclosure

DOCUMENT = """\
2026年测试局部门预算
目录
一、文字部分
第一部分 部门概况
二、表格部分
（一）收支总表
（三）支出总表
（七）一般公共预算支出表（按功能分类）
一、文字部分
第一部分 部门概况
一、部门职责
测试局负责测试工作。
二、表格部分
表7
一般公共预算支出表（按功能分类）
部门名称：测试局\t\t\t\t\t单位：万元
预算单位\t科目编码\t科目名称\t支出总计\t基本支出\t项目支出
测试局\t\t\t1,000.00\t600.00\t400.00
\t208\t社会保障和就业支出\t1,000.00\t600.00\t400.00
\t20805\t行政事业单位养老支出\t1,000.00\t600.00\t400.00
- 12 -
表7
一般公共预算支出表（按功能分类）
部门名称：测试局\t\t\t\t\t单位：万元
预算单位\t科目编码\t科目名称\t支出总计\t基本支出\t项目支出
\t2080505\t机关事业单位基本养老保险缴费支出\t600.00\t600.00\t0.00
\t2080599\t其他行政事业单位养老支出\t400.00\t0.00\t400.00
"""


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Disclosure, ImportReport]:
    path: Path = tmp_path_factory.mktemp("repeats") / "test-2026.txt"
    path.write_text(DOCUMENT, encoding="utf-8")
    return import_document(path)


def test_table_list_under_the_tables_heading_is_the_contents(imported: tuple[Disclosure, ImportReport]) -> None:
    disclosure, _ = imported
    assert disclosure.contents == ["1. 收支总表", "3. 支出总表", "7. 一般公共预算支出表（按功能分类）"]


def test_title_repeated_on_the_next_page_continues_the_table(imported: tuple[Disclosure, ImportReport]) -> None:
    disclosure, _ = imported
    assert disclosure.template == "shenzhen-11"
    assert [t.id for t in disclosure.tables] == ["T7"]
    table = disclosure.tables[0]
    assert (table.number, table.title) == ("7", "一般公共预算支出表（按功能分类）")
    assert [r.key for r in table.rows] == ["total", "208", "20805", "2080505", "2080599"]
    assert table.row("2080599").cells["project"].value == Decimal("400.00")  # type: ignore[union-attr]


@pytest.mark.parametrize(("text", "title"), [
    ("一般公共预算支出表（按功能分类）", True),
    ("一般公共预算支出表(按经济分类)", True),
    ("收支总表（2026 年度）", True),
    ("主要用于信访宣传（含档案管理）", False),
    ("一、部门职责（按规定）", False),
])
def test_title_with_a_bracketed_qualifier(text: str, title: bool) -> None:
    assert ends_like_table_title(text) is title

"""Shared reading of classification rows (``rules._common``)."""

from __future__ import annotations

import pytest

from deptbudget.rules._common import printed_name


@pytest.mark.parametrize(("name", "code", "expected"), [
    ("[2010301]行政运行", "2010301", "行政运行"),  # 广州 prints the code in brackets in the name cell
    ("【201】一般公共服务支出", "201", "一般公共服务支出"),
    ("30101-基本工资", "30101", "基本工资"),  # 北京
    ("[2010302]一般行政管理事务", "2010301", "[2010302]一般行政管理事务"),  # another code: left as printed
    ("行政运行", "2010301", "行政运行"),
    ("2020年预算数", "2020", "2020年预算数"),
])
def test_the_rows_own_code_printed_before_its_name_is_no_part_of_the_name(name: str, code: str,
                                                                           expected: str) -> None:
    assert printed_name(name, code) == expected

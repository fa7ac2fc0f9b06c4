"""The quick check of a save (issue 15): only the values of the form that was saved, in a few
milliseconds — an amount or a number that does not read as one, a 是/否 that is neither, a date that
is none, a code not in the year's catalog — so the preparer hears at once what is wrong with what
they typed. The draft is stored all the same (a draft may hold errors, shown next to the rows); the
full check of the whole budget (the source loader, the computation, the rules) runs afterwards as a
background job (``web.jobs``) and its result appears on the budget page."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from deptbudget.web import forms

KIND_WORDS = {"amount": "金额", "int": "整数", "bool": "“是”或“否”", "date": "日期（年-月-日）"}
SHOWN = 3  # problems named in the message; the rest counted


@lru_cache(maxsize=16)
def _codes(year: int, kind: str) -> frozenset[str]:
    return frozenset(item.split(" ", 1)[0] for item in forms.code_lists(year).get(kind, []))


def value_problem(kind: str, value: Any, year: int) -> str:
    """Why a value read from the form is not one of its kind ("" when it is, or when it is empty)."""
    if value is None or value == "" or value == []:
        return ""
    if kind in KIND_WORDS and isinstance(value, str):
        return f"“{value[:40]}”不是{KIND_WORDS[kind]}"
    if kind in forms.CODE_KINDS:
        codes = _codes(year, kind)
        if codes and str(value) not in codes:
            return f"{year} 年的科目中没有编码 {value}"
    return ""


def section_problems(section: forms.Section, form: dict[str, str], year: int) -> list[str]:
    """The problems of the posted values of one section, each naming the row and the column."""
    out = []
    if section.table is not None:
        for number, record in enumerate(forms.table_from_form(section, form), start=1):
            for column in section.table.columns:
                problem = value_problem(column.kind, record.get(column.key), year)
                if problem:
                    out.append(f"第 {number} 行“{column.label}”：{problem}")
    else:
        values = forms.fields_from_form(section, form)
        for f in section.fields:
            problem = value_problem(f.kind, values.get(f.path), year)
            if problem:
                out.append(f"“{f.label}”：{problem}")
    return out


def message(problems: list[str]) -> str:
    if not problems:
        return ""
    more = f"等 {len(problems)} 处" if len(problems) > SHOWN else ""
    return f"本栏有填写问题（{'；'.join(problems[:SHOWN])}{more}），已保存为草稿，请改正。"

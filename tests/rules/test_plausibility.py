"""Plausibility rules on the generated example with one change made by hand."""

from __future__ import annotations

from decimal import Decimal

from deptbudget.model.disclosure import Disclosure
from tests.rules.conftest import check, of


def _grow_reception(disclosure: Disclosure) -> None:
    """公务接待费 2020 above 2019 (10.50), the total with it, as a real document may budget it."""
    t12 = disclosure.table("T12")
    assert t12 is not None
    row = t12.row("2020")
    assert row is not None
    row.cells["reception"].value = Decimal("12.60")
    row.cells["total"].value = Decimal("15.75")


def _say_of_reception(disclosure: Disclosure, sentence: str) -> None:
    part = disclosure.part(5)
    assert part is not None
    for section in part.sections:
        section.paragraphs = [sentence if p.startswith("2. 公务接待费") else p for p in section.paragraphs]
    assert sentence in part.text


def test_three_public_growth_without_a_reason_is_a_warning(example: Disclosure) -> None:
    _grow_reception(example)
    _say_of_reception(example, "2. 公务接待费。2020年预算数12.60万元，比2019年增加2.10万元。")
    found = {(f.column, f.expected, f.actual) for f in of(check(example), "PLAUS-THREE-PUBLIC-GROWTH")}
    assert ("公务接待费", "≤ 10.50", "12.60") in found
    assert any(actual == "15.75" for _, _, actual in found)  # the total grows with it


def test_three_public_growth_the_text_explains_is_no_warning(example: Disclosure) -> None:
    _grow_reception(example)
    _say_of_reception(example, "2. 公务接待费。2020年预算数12.60万元，比2019年增加2.10万元，主要是承办全省行业"
                               "交流会议的接待任务增加。")
    # the item's growth is explained, and with it the total's (it grows only by that item)
    assert not of(check(example), "PLAUS-THREE-PUBLIC-GROWTH")

"""The shared narrative reader: whitespace, paragraphs cut by a page break, sentences, numbers; and the two
readings built on it (the figures a part states, the quantities a paragraph states) agree."""

from __future__ import annotations

from decimal import Decimal

import pytest

from deptbudget.model.disclosure import Disclosure, Part, Section
from deptbudget.model.narrative_quantities import paragraph_quantities
from deptbudget.model.narrative_reading import (
    half_unit,
    joined_paragraphs,
    normalize,
    parse_number,
    part_label,
    read_paragraphs,
    sentence_at,
)
from deptbudget.model.narrative_text import find_mentions

D = Decimal


def test_normalize_keeps_words_apart() -> None:
    assert normalize("梧桐 AI 小镇") == "梧桐AI小镇"
    assert normalize("Open AI") == "Open AI"
    assert normalize("GDP 3%") == "GDP 3%"
    assert normalize("1 234.50 万元", digits_apart=False) == "1234.50万元"
    assert normalize("无空白") == "无空白"


def test_a_paragraph_cut_by_a_page_break_is_joined() -> None:
    found = list(joined_paragraphs(["收入17,", "144.13万元。", "", "第二段。\n第三行"]))
    assert found == [(0, "收入17,144.13万元。"), (3, "第二段。"), (3, "第三行")]


def test_sentences() -> None:
    text = "2.公务接待费。2020年预算数9.50万元。比上年减少1.00万元！其余“持平。”"
    assert sentence_at(text, text.index("9.50")) == "2.公务接待费。2020年预算数9.50万元。"
    assert sentence_at(text, text.index("9.50"), "。", whole=False) == "2020年预算数9.50万元。"
    assert sentence_at(text, text.index("1.00")) == "比上年减少1.00万元！"
    assert sentence_at(text, text.index("持平")) == "其余“持平。”"


def test_numbers() -> None:
    assert parse_number("1,7144.13") == D("17144.13")
    assert parse_number("－5") == D("-5")
    assert parse_number("") is None
    assert half_unit("2.67") == D("0.005")
    assert part_label(7, "第七部分 其他重要事项") == "第七部分"
    assert part_label(3, "") == "第三部分"


# Sentences as published narratives state them: each figure once, so both readers can be held to one answer.
SENTENCES = [
    (2, "2020年罗湖区科技创新局部门预算收入17,144.13万元，其中财政预算拨款17,144.13万元。"),
    (2, "部门预算支出 17，144.13 万元，其中人员支出619.37万元。"),
    (3, "基本支出718.83万元，项目支出16,425.30万元。"),
    (5, "2020年“三公”经费财政拨款预算12.65万元。"),
    (5, "2.公务接待费。2020年预算数9.50万元。"),
    (5, "因公出国（境）费0.50万元。"),
    (5, "公务用车购置费0.00万元。"),
    (5, "公务用车运行维护费2.65万元。"),
    (5, "公务用车购置及运行维护费2.65万元。"),
    (7, "2020年罗湖区科技创新局机关运行经费财政拨款预算55.67万元。"),
]


def _disclosure(number: int, text: str) -> Disclosure:
    part = Part(number, "", [Section("", [text])])
    return Disclosure(template="shenzhen-15", fiscal_year=2020, unit_name="罗湖区科技创新局", title="", parts=[part])


@pytest.mark.parametrize("number, text", SENTENCES)
def test_figures_and_quantities_agree(number: int, text: str) -> None:
    disclosure = _disclosure(number, text)
    stated = {(m.key, m.value) for m in find_mentions(disclosure.parts)}
    read = {(q.key, q.value) for _, qs in paragraph_quantities(disclosure) for q in qs
            if q.role == "current" and q.key is not None}
    assert stated
    assert stated == read


def test_both_read_the_same_paragraphs() -> None:
    disclosure = _disclosure(5, "“三公”经费12.65万元，\n比上年减少1.00万元。")
    [paragraph] = read_paragraphs(disclosure)
    assert paragraph.text == "“三公”经费12.65万元，比上年减少1.00万元。"
    assert {m.key for m in find_mentions(disclosure.parts)} == {"three_public.total", "three_public.total.change"}

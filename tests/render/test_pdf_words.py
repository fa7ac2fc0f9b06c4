"""Table headers and name cells break only between words (jieba), never leaving one character alone."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from reportlab.lib.enums import TA_LEFT
from reportlab.platypus import Paragraph

from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.model.disclosure import Disclosure
from deptbudget.render.pdf_styles import WordParagraph, cell_style, frame_width, para, register_font
from deptbudget.render.pdf_tables import table_flowable
from deptbudget.render.pdf_words import longest_word, word_boundaries
from deptbudget.sources.yaml_source import load_budget

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luohu-2020.yaml"
# words the issue saw split (上级补助收/入, 平方/米, 罗湖区科技创新/局) and the headers' own words
VOCABULARY = ("收入", "平方米", "创新局", "预算", "拨款", "基金", "资金", "经费", "结转", "结余", "支出", "项目",
              "单位", "合计", "名称", "科目", "编码", "绩效", "指标", "目标", "大厦", "新增")


def _lines(p: Paragraph) -> list[str]:
    out = []
    for line in p.blPara.lines:
        out.append("".join(w.text for w in line.words) if hasattr(line, "words") else "".join(line[1]))
    return out


def _bad_breaks(text: str, lines: list[str]) -> list[str]:
    """Each break inside a word of the vocabulary, inside a jieba word where the line held a whole word,
    or leaving one CJK character alone on the last line."""
    bad = []
    at = 0
    bounds = word_boundaries(text)
    for i, line in enumerate(lines[:-1]):
        start = text.index(line.strip(), at)  # a space at a break may be dropped from the line
        at = start + len(line.strip())
        for word in VOCABULARY:
            found = text.find(word)
            while found >= 0:
                if found < at < found + len(word):
                    bad.append(f"{line}/{lines[i + 1]} splits {word}")
                found = text.find(word, found + 1)
        if at not in bounds and any(start < b < at for b in bounds):
            bad.append(f"{line}/{lines[i + 1]} splits a word")
    last = lines[-1].strip()
    if len(lines) > 1 and len(last) == 1 and ord(last) >= 0x3000:
        bad.append(f"{lines[-2]}/{last}: one character alone")
    return bad


@pytest.fixture(autouse=True, scope="module")
def _fonts() -> None:
    register_font()


@pytest.fixture(scope="module")
def example() -> Disclosure:
    return compute_disclosure(load_budget(EXAMPLE))


def test_no_header_or_name_cell_breaks_inside_a_word(example: Disclosure) -> None:
    checked = 0
    bad: list[str] = []
    for t in example.tables:
        available = frame_width("landscape" if t.landscape else "portrait")
        table = table_flowable(t, available)
        table.wrap(available, 100_000)
        for row in table._cellvalues:
            for value in row:
                cell = value[0] if isinstance(value, tuple) and value else value  # spans hold a tuple
                if isinstance(cell, WordParagraph) and hasattr(cell, "blPara"):
                    lines = _lines(cell)
                    if len(lines) > 1 and "<br/>" not in cell.text:  # a field's own line breaks are not ours
                        checked += 1
                        bad += [f"表{t.number}: {b}" for b in _bad_breaks(html.unescape(cell.text), lines)]
    assert checked > 50  # headers and names do wrap in the example: the test looks at them
    assert not bad, bad[:20]


@pytest.mark.parametrize(
    ("text", "chars", "expected"),
    [
        ("上级补助收入", 5.5, ["上级补助", "收入"]),
        ("罗湖区科技创新局", 7.5, ["罗湖区科技", "创新局"]),
        ("一般公共预算拨款", 5.5, ["一般公共", "预算拨款"]),
        ("政府性基金预算拨款", 6.5, ["政府性基金", "预算拨款"]),
        ("高企认定 2500 万元、创新载体 700 万元", 6.5, ["高企认定 ", "2500 万元、", "创新载体 ", "700 万元"]),
        ("大梧桐新兴产业带工作经费（国检大厦租金）", 10.5, ["大梧桐新兴产业带工作", "经费（国检大厦租金）"]),
    ],
)
def test_cells_break_between_words(text: str, chars: float, expected: list[str]) -> None:
    p = para(text, cell_style(9, TA_LEFT), words=True)
    p.wrap(9 * chars + 0.5, 1000)
    assert _lines(p) == expected


def test_body_text_still_breaks_anywhere() -> None:
    p = para("一般公共预算拨款", cell_style(9, TA_LEFT))
    p.wrap(9 * 5.5, 1000)
    assert _lines(p) == ["一般公共预", "算拨款"]


def test_longest_word() -> None:
    assert longest_word("9759.37 平方米") == "9759.37"
    assert longest_word("上年结余、结转") == "上年"
    assert len(longest_word("罗湖区科技创新局")) == 3

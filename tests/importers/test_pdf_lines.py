"""Printed lines and paragraphs of a PDF page, from hand-made words (pdfplumber's word dicts)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from deptbudget.importers.pdf import (
    PrintedLine,
    _continues,
    _edges,
    _index,
    _inside,
    _is_list,
    overflow_to_label,
    printed_lines,
)


def _word(text: str, x0: float, top: float, size: float, baseline: float | None = None,
          width: float | None = None) -> dict[str, Any]:
    x1 = x0 + (width if width is not None else size * len(text))
    word: dict[str, Any] = {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": top + size, "size": size}
    if baseline is not None:  # pdfplumber's chars carry the text matrix; [5] is the baseline, bottom up
        word["chars"] = [{"matrix": (1, 0, 0, 1, x0, baseline)}]
    return word


def test_words_on_one_baseline_are_one_line_whatever_their_boxes() -> None:
    # a Latin font's year whose box sits a line lower than the Chinese title beside it (重庆 2026)
    year = _word("2026", 296.1, 125.2, 18.5, baseline=470.7, width=47.9)
    title = _word("年部门支出总体情况表", 345.1, 109.0, 18.5, baseline=473.2)
    lines = printed_lines([year, title])
    assert [line.text for line in lines] == ["2026年部门支出总体情况表"]


def test_without_characters_words_are_grouped_by_their_top() -> None:
    lines = printed_lines([_word("第二行", 90, 130, 15), _word("第一行", 90, 100, 15)])
    assert [line.text for line in lines] == ["第一行", "第二行"]


def _line(text: str, x0: float, top: float, size: float = 15.0, width: float | None = None) -> PrintedLine:
    x1 = x0 + (width if width is not None else size * len(text))
    return PrintedLine(top, top + size, x0, x1, size, [text], [(x0, x1)])


def test_double_spaced_lines_continue_a_paragraph() -> None:
    first = _line("2026 年深圳市信访局部门预算收入 4,684.30 万元，较", 118.4, 205.0, width=392)
    second = _line("2025 年年初预算减少 247.70 万元，下降 5.0%。", 88.4, 236.2, width=422)  # gap 16.2 = 1.08 × 15
    assert _continues([first], second)


def test_double_spaced_heading_ends_before_the_next_line() -> None:
    heading = _line("一、部门职责", 118.4, 205.0)
    body = _line("深圳市信访局的主要职责是贯彻落实党中央及省委关于信", 118.4, 236.2, width=392)
    assert not _continues([heading], body)


def test_lines_further_apart_than_double_spacing_do_not_continue() -> None:
    first = _line("一段文字的最后一行，并未结束", 88.4, 205.0, width=422)
    second = _line("另一段文字", 88.4, 250.0, width=422)  # gap 30 = 2 × 15
    assert not _continues([first], second)


def test_a_name_run_on_into_the_amounts_cell_goes_back_to_the_name() -> None:
    """Xi'an 2022: ``机关事业单位职业年金缴费支出`` is printed over its cell's edge into the 合计 cell."""
    assert overflow_to_label(["2080506", "机关事业单位职业年金", "缴费支出43608.96", "43608.96"]) == [
        "2080506", "机关事业单位职业年金缴费支出", "43608.96", "43608.96"]
    assert overflow_to_label(["(3)对个人和家庭的补", "助0.00"]) == ["(3)对个人和家庭的补助", "0.00"]
    assert overflow_to_label(["数量指标", "约100"]) == ["数量指标", "约100"]  # no amount to the fen: a target
    assert overflow_to_label(["", "助0.00"]) == ["", "助0.00"]


def test_a_word_boxed_below_its_baseline_is_inside_the_table_row_it_is_printed_in() -> None:
    # a table ending at 510.8; an amount printed on its last row (baseline 506 top down, page 600 high)
    # whose font declares no ascent: its box 506–516 has its middle below the table, its glyph is inside
    char = {"text": "1", "x0": 295.0, "x1": 300.0, "top": 506.0, "bottom": 516.0, "y0": 84.0, "y1": 94.0,
            "size": 10.0, "matrix": (1, 0, 0, 1, 295.0, 94.0)}
    word = {"text": "19,511.26", "x0": 295.0, "x1": 340.0, "top": 506.0, "bottom": 516.0, "size": 10.0,
            "chars": [char]}
    table = [(73.8, 72.4, 768.3, 510.8)]
    assert _inside(word, table)
    assert not _inside({**word, "chars": [{**char, "y1": 96.0, "matrix": (1, 0, 0, 1, 295.0, 86.0)}]}, table)


def test_a_numbered_line_that_stops_short_is_a_heading_over_its_paragraph() -> None:
    # 北京: "二、收入预算情况说明" set close over "2026 年度收入预算 30775.65 万元，…" at the same indent
    heading = _line("二、收入预算情况说明", 92.0, 300.0, width=150)
    body = _line("2026 年度收入预算 30775.65 万元，比 2025 年年初预算", 92.0, 318.0, width=420)
    assert not _continues([heading], body)
    wrapped = _line("二、收入预算情况说明：2026 年度收入预算 30775.65 万元，比 2025", 92.0, 300.0, width=418)
    assert _continues([wrapped], body)  # a numbered paragraph as wide as the page goes on


def test_a_cover_of_numbered_lines_is_a_contents_page_not_a_title() -> None:
    lines = [_line("第一部分 2026 年度部门预算情况说明", 90, 100), _line("一、部门情况说明", 110, 130),
             _line("二、收入预算情况说明", 110, 160), _line("第二部分 2026 年度部门预算报表", 90, 190)]
    assert _is_list(lines)
    assert not _is_list([_line("北京市气象局", 200, 100), _line("2026 年部门预算", 200, 140)])


_EDGE_VALUES = st.one_of(st.floats(0, 900, allow_nan=False), st.integers(0, 45).map(lambda i: i * 20.0),
                         st.sampled_from([float("nan"), 10.5, 11.0, 12.0]))


@given(values=st.lists(_EDGE_VALUES, min_size=1, max_size=25), probe=_EDGE_VALUES)
def test_index_is_the_nearest_edge_first_of_ties(values: list[float], probe: float) -> None:
    """``_index`` by bisection gives what ``min`` over every edge gives: the nearest edge, the lower of two as near
    (a value half-way between edges), 0 for a value that is not a number."""
    edges = _edges(values)
    for value in [*values, probe, *[(a + b) / 2 for a, b in zip(edges, edges[1:], strict=False)]]:
        assert _index(edges, value) == min(range(len(edges)), key=lambda i: abs(edges[i] - value))

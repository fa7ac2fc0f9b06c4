"""Tables printed without ruling lines (``importers.unruled``): cells lined up in columns."""

from __future__ import annotations

from deptbudget.importers.unruled import align, columns_of


def test_a_header_label_left_of_its_short_right_aligned_figures_is_their_column() -> None:
    header = (["小计", "人员支出", "日常公用支出"], [(530.0, 550.0), (596.0, 634.0), (661.0, 718.0)])
    rows = [header, (["20.96", "20.96"], [(557.0, 576.0), (706.0, 725.0)]),
            (["0.54", "0.54"], [(561.0, 576.0), (710.0, 725.0)])]
    columns = columns_of(rows, right_aligned=True)
    assert len(columns) == 3
    assert align(["20.96", "20.96"], rows[1][1], columns).cells == ["20.96", "", "20.96"]
    assert align(*header, columns).cells == ["小计", "人员支出", "日常公用支出"]


def test_a_pdf_header_label_over_no_figures_stays_an_empty_column() -> None:
    rows = [(["小计", "日常公用支出"], [(530.0, 550.0), (661.0, 718.0)]),
            (["20.96", "20.96"], [(557.0, 576.0), (706.0, 725.0)])]
    assert len(columns_of(rows)) == 3


def test_a_group_label_over_two_labelled_columns_is_no_column_of_its_own() -> None:
    rows = [(["收 入"], [(160.0, 190.0)]), (["项目", "预算数"], [(100.0, 120.0), (235.0, 265.0)]),
            (["一、一般公共预算收入", "28,467.65"], [(47.0, 150.0), (265.0, 308.0)])]
    assert len(columns_of(rows, right_aligned=True)) == 2

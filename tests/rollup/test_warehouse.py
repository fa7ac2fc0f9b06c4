"""deptbudget.rollup.warehouse: roll-up totals are the sums of the documents' own figures; year on year."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from deptbudget.model.budget import ExpenditureKind
from deptbudget.rollup.warehouse import Filter, RollupError, Rollups, lines_source
from tests.rollup.conftest import LOCALITIES, YEARS, Made, expected_by_code, printed


@pytest.fixture(scope="module")
def rollups(made: Made) -> Rollups:
    return Rollups(lines_source(made.results))


def _by_code(rows: list[tuple], column: int) -> dict[tuple[str, str], dict[str, Decimal]]:
    out: dict[tuple[str, str], dict[str, Decimal]] = {}
    for row in rows:
        if row[column] is not None:
            out.setdefault((row[0], row[1]), {})[row[2]] = row[column]
    return out


@pytest.mark.parametrize(("level", "width"), [(1, 3), (2, 5), (3, 7)])
def test_functional_rollup_is_the_sum_of_the_documents_figures(made: Made, rollups: Rollups, level: int,
                                                               width: int) -> None:
    rows = rollups.by_level("func", level)
    for column, kind in ((5, None), (6, ExpenditureKind.BASIC), (7, ExpenditureKind.PROJECT)):
        got = _by_code(rows, column)
        for key, budgets in made.budgets.items():
            expected = expected_by_code(budgets, width, kind)
            assert expected and got.get(key, {}) == expected, (key, level, column)
    assert {row[4] for row in rows} <= set(range(1, 4))  # documents per code


def test_economic_rollup_is_the_sum_of_the_documents_figures(made: Made, rollups: Rollups) -> None:
    for level, width in ((1, 3), (2, 5)):
        got = _by_code(rollups.by_level("econ", level), 5)
        for key, budgets in made.budgets.items():
            expected = expected_by_code(budgets, width, econ=True)
            assert expected and got.get(key, {}) == expected, (key, level)


def test_overview_and_three_public(made: Made, rollups: Rollups) -> None:
    overview = {(r[0], r[1]): r for r in rollups.overview()}
    three = {(r[0], r[1]): r for r in rollups.three_public()}
    assert set(overview) == set(made.budgets) == {(loc, str(y)) for loc in LOCALITIES for y in YEARS}
    for key, budgets in made.budgets.items():
        assert overview[key][2] == len(budgets)
        assert overview[key][3] == sum(expected_by_code(budgets, 3).values())
        assert overview[key][6] == three[key][3] == sum((printed(b.three_public.total) for b in budgets), Decimal(0))
        assert three[key][5] == sum((printed(b.three_public.reception) for b in budgets), Decimal(0))


def test_year_on_year_over_two_years(made: Made, rollups: Rollups) -> None:
    rows = rollups.year_on_year("func", 1)
    assert rows and {r[1] for r in rows} == {"2021"}  # the first year has no year before it
    for locality in LOCALITIES:
        now = expected_by_code(made.budgets[(locality, "2021")], 3)
        before = expected_by_code(made.budgets[(locality, "2020")], 3)
        mine = {r[2]: r for r in rows if r[0] == locality}
        assert set(mine) == set(now) | set(before)
        for code, (_, _, _, _, amount, previous, change, rate) in mine.items():
            assert (amount, previous) == (now.get(code), before.get(code))
            assert change == now.get(code, Decimal(0)) - before.get(code, Decimal(0))
            expected = ((now[code] - before[code]) * 100 / before[code]).quantize(Decimal("0.01"), ROUND_HALF_UP) \
                if code in now and code in before else None
            assert rate == expected
    one = rollups.year_on_year("func", 1, Filter(LOCALITIES[0], "2021"))
    assert one == [r for r in rows if r[0] == LOCALITIES[0]]


def test_top_items_are_the_largest(rollups: Rollups) -> None:
    top = rollups.top_items(3, Filter(LOCALITIES[1], "2020"))
    every = sorted((r[5] for r in rollups.by_level("func", 3, Filter(LOCALITIES[1], "2020"))), reverse=True)
    assert [r[4] for r in top] == every[:3]


def test_results_without_lines(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RollupError, match="没有预算明细"):
        lines_source(tmp_path)


def test_the_rollup_workbook_writes_text_as_data_and_amounts_as_numbers(tmp_path: Path) -> None:
    import openpyxl

    from deptbudget.audit.warehouse import Section
    from deptbudget.rollup.report import write_xlsx

    section = Section("x", "部门 (dept)", ("部门", "金额"), [("=1+1 某局", Decimal("12.345"))])
    write_xlsx([section], tmp_path / "r.xlsx")
    [row] = openpyxl.load_workbook(tmp_path / "r.xlsx").active.iter_rows(min_row=2)
    assert (row[0].value, row[0].data_type) == ("=1+1 某局", "s")
    assert row[1].value == 12.35  # rounded half-up to the fen, as every workbook writes money

"""The all-funds scope (部门支出总表, 基本支出表) beside 一般公共预算, and a document printing two tables of one role
counted once: its fuller table, recorded in ``Rollups.doubled`` and in the report."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from deptbudget.audit.results import ResultStore
from deptbudget.rollup.report import sections
from deptbudget.rollup.warehouse import ECON_ALL, FUNC_ALL, Rollups, lines_source
from tests.rollup.conftest import Made, expected_by_code
from tests.rollup.test_warehouse import _by_code


@pytest.fixture(scope="module")
def rollups(made: Made) -> Rollups:
    return Rollups(lines_source(made.results))


@pytest.mark.parametrize(("level", "width"), [(1, 3), (2, 5), (3, 7)])
def test_all_funds_is_the_sum_of_the_documents_summary_tables(made: Made, rollups: Rollups, level: int,
                                                              width: int) -> None:
    """深圳's 支出预算表 is by unit, not by code: the all-funds 功能分类 is its 收支总表's expenditure side (total)."""
    rows = rollups.by_level(FUNC_ALL, level)
    got, general = _by_code(rows, 5), _by_code(rollups.by_level("func", level), 5)
    for key, budgets in made.budgets.items():
        assert got.get(key, {}) == expected_by_code(budgets, width, all_funds=True), (key, level)
    assert any(got[key] != general[key] for key in got)  # other funds than the general budget: a scope of its own
    assert not _by_code(rows, 6)  # the 收支总表 has no 基本 / 项目 split


def _expenditure_table_copy(made: Made, tmp_path: Path) -> Path:
    """The results again, each document's 一般公共预算支出表 lines also as the lines of a 部门支出总表 (表3) — as a
    document of the MOF template, which prints its 支出总表 by code, gives them — with every amount one 元 more."""
    lines = pq.read_table(made.results / "lines.parquet").to_pylist()
    copy = [{**r, "table_role": "expenditure", "table": "3", "amount": r["amount"] + 1}
            for r in lines if r["table_role"] == "general_budget_expenditure"]
    store = ResultStore(tmp_path / "results")
    store.write_batch(pq.read_table(made.results / "documents.parquet").to_pylist(), [], lines + copy)
    store.finish()
    return tmp_path / "results"


def test_the_expenditure_table_comes_before_the_summary(made: Made, rollups: Rollups, tmp_path: Path) -> None:
    both = Rollups(lines_source(_expenditure_table_copy(made, tmp_path)))
    general = {(r[0], r[1], r[2]): r[4:] for r in rollups.by_level("func", 3)}
    for row in both.by_level(FUNC_ALL, 3):
        documents, total, basic, project = row[4:]
        assert total == general[row[:3]][1] + documents  # the 支出总表's (+1 元 a document), not the 收支总表's
        assert (basic is None) == (general[row[:3]][2] is None)  # with its 基本 / 项目 split


def test_all_funds_economic(made: Made, rollups: Rollups) -> None:
    got = _by_code(rollups.by_level(ECON_ALL, 2), 5)
    for key, budgets in made.budgets.items():
        assert got.get(key, {}) == expected_by_code(budgets, 5, econ=True, all_funds=True), key


def _with_a_second_table(made: Made, tmp_path: Path, keep: int) -> tuple[Path, str, str]:
    """The results again, but one document prints its 一般公共预算支出表 twice: a copy (表99) of its first
    ``keep`` amounts, each doubled. Returns the results folder, the document and its table's number."""
    lines = pq.read_table(made.results / "lines.parquet").to_pylist()
    path = lines[0]["path"]
    mine = [r for r in lines if r["path"] == path and r["table_role"] == "general_budget_expenditure"]
    copy = [{**r, "table": "99", "amount": r["amount"] * 2} for r in mine[:keep]]
    store = ResultStore(tmp_path / "results")
    documents = pq.read_table(made.results / "documents.parquet").to_pylist()
    store.write_batch(documents, [], lines + copy)
    store.finish()
    return tmp_path / "results", path, mine[0]["table"]


def test_two_tables_of_one_role_are_counted_once(made: Made, rollups: Rollups, tmp_path: Path) -> None:
    results, path, table = _with_a_second_table(made, tmp_path, keep=5)  # the copy is the poorer
    twice = Rollups(lines_source(results))
    for level in (1, 2, 3):
        assert twice.by_level("func", level) == rollups.by_level("func", level)
    doubled = twice.doubled()
    assert len(doubled) == 1
    got_path, measure, role, taken, amounts, others = doubled[0]
    assert (got_path, measure, role, taken, others) == (path, "func", "general_budget_expenditure", table, "99（5）")
    assert amounts > 5
    report = {s.key: s for s in sections(twice)}["doubled"]
    assert report.rows == [(path, "一般公共预算支出功能分类", "general_budget_expenditure", f"表{table}（{amounts}）",
                            "99（5）")]
    assert {s.key: s for s in sections(rollups)}["doubled"].rows == []


def test_the_fuller_table_is_taken(made: Made, rollups: Rollups, tmp_path: Path) -> None:
    lines = pq.read_table(made.results / "lines.parquet").to_pylist()
    count = sum(1 for r in lines if r["path"] == lines[0]["path"] and r["table_role"] == "general_budget_expenditure")
    results, path, table = _with_a_second_table(made, tmp_path, keep=count)  # as full, so the lower number wins
    assert Rollups(lines_source(results)).doubled()[0][3] == table
    full = ResultStore(tmp_path / "fuller")  # one amount more in the copy: the copy is taken
    extra = {**next(r for r in lines if r["path"] == path and r["table_role"] == "general_budget_expenditure"),
             "table": "99", "code": "2990101", "level": 3, "column": "total", "amount": Decimal("1.00")}
    role = "general_budget_expenditure"
    copy = [{**r, "table": "99"} for r in lines if r["path"] == path and r["table_role"] == role]
    full.write_batch(pq.read_table(made.results / "documents.parquet").to_pylist(), [], lines + copy + [extra])
    full.finish()
    fuller = Rollups(lines_source(tmp_path / "fuller"))
    assert fuller.doubled()[0][3:] == ("99", count + 1, f"{table}（{count}）")
    items = {r[2]: r[5] for r in fuller.by_level("func", 3) if r[0] == extra["locality"] and r[1] == extra["year"]}
    assert items["2990101"] == Decimal("1.00")  # the copy's lines, not the first table's beside them

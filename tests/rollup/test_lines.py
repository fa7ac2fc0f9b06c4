"""deptbudget.rollup.lines: what a disclosure's lines hold, exact amounts, no float anywhere."""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq

from benchmarks.synthetic import generate_budget
from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.rollup.lines import LINES_SCHEMA, code_kind, disclosure_lines, yuan
from tests.rollup.conftest import Made


def test_the_lines_dataset_has_no_float_column(made: Made) -> None:
    schema = pq.read_schema(made.results / "lines.parquet")
    assert schema.equals(LINES_SCHEMA)
    assert not [f.name for f in schema if pa.types.is_floating(f.type)]
    assert schema.field("amount").type == pa.decimal128(18, 2)


def test_a_disclosure_gives_its_classified_rows_in_yuan() -> None:
    budget = generate_budget(7, projects=4)
    disclosure = compute_disclosure(budget)
    lines = disclosure_lines(disclosure, {"path": "/x.xlsx", "locality": "罗湖区", "year": "", "entity": "",
                                          "kind": ""})
    assert {line["year"] for line in lines} == {"2020"} and {line["entity"] for line in lines} == {budget.unit.name}
    t7 = next(t for t in disclosure.tables if t.id == "T7")
    printed = {(row.key, "total"): row.cells["total"].value for row in t7.rows if row.key.isdigit()}
    mine = {(line["code"], line["column"]): line["amount"] for line in lines
            if line["table_role"] == "general_budget_expenditure"}
    for key, value in printed.items():  # every printed 类 / 款 / 项 figure, 万元 → 元, exactly
        assert mine.get(key, Decimal(0)) == value * 10000
    assert {line["level"] for line in lines if line["code_kind"] == "func"} == {1, 2, 3}
    three = {line["code"]: line["amount"] for line in lines if line["code_kind"] == "three_public"}
    assert three["total"] == (budget.three_public.total / 10000).quantize(Decimal("0.01")) * 10000


def test_codes_and_units() -> None:
    assert [code_kind(c) for c in ("201", "20101", "2010101", "30101", "50201", "10101", "2010", "合计")] == [
        "func", "func", "func", "econ", "gov_econ", None, None, None]
    assert yuan(Decimal("1.2345"), "万元") == Decimal("12345.00") and yuan(Decimal("3"), "千元") == Decimal("3000")
    assert yuan(Decimal("5"), "人") is None

"""The roll-ups: DuckDB over the budget lines of an audit (RESULTS/lines.parquet, or its parts while a run is
going or was killed).

Which printed table a roll-up reads is chosen per document from ``SOURCES`` (the first the document has): the
功能分类 roll-ups read the 一般公共预算支出表 (the table every locality publishes, 财预〔2016〕143号: 类 / 款 / 项
with 基本支出 and 项目支出); the 经济分类 ones the 一般公共预算基本支出表, else the 一般公共预算 column of a
基本支出表 by fund (深圳); “三公”经费 its table's items; 机关运行经费 its column in the “三公” table, else the figure
the narrative states. Besides 一般公共预算, an all-funds scope (全部资金: every fund a department spends, 财政拨款
and its own income alike): 功能分类 from the 部门支出总表 by code, else the expenditure side of the 收支总表 (its total
only), 经济分类 from the total column of the 基本支出表. A level's
roll-up sums the rows printed at that level (the documents' own 类 / 款 / 项 figures, each as printed). Amounts
stay exact (DECIMAL, 元) from the file to the report.

A document that prints two tables of the role a measure reads (a table printed twice, or once per fund) is
counted once: its fuller table (more amounts read; the lower printed number on a tie) is taken, and
``Rollups.doubled`` records which, with the tables left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import duckdb

from deptbudget.audit.results import LINES, PARTS
from deptbudget.rollup.lines import ADMIN_OPERATING, ECON, FUNC, NARRATIVE, THREE_PUBLIC

FUNC_ALL = "func_all"  # 功能分类, all funds (部门支出总表)
ECON_ALL = "econ_all"  # 经济分类 of 基本支出, all funds (基本支出表)

# (measure, code kind, table role, printed column, column in the roll-up, priority: lower first)
SOURCES: tuple[tuple[str, str, str, str, str, int], ...] = (
    (FUNC_ALL, FUNC, "expenditure", "total", "total", 1),
    (FUNC_ALL, FUNC, "expenditure", "basic", "basic", 1),
    (FUNC_ALL, FUNC, "expenditure", "project", "project", 1),
    (FUNC_ALL, FUNC, "summary", "exp_amount", "total", 2),
    (ECON_ALL, ECON, "basic_expenditure", "total", "total", 1),
    (FUNC, FUNC, "general_budget_expenditure", "total", "total", 1),
    (FUNC, FUNC, "general_budget_expenditure", "basic", "basic", 1),
    (FUNC, FUNC, "general_budget_expenditure", "project", "project", 1),
    (ECON, ECON, "general_budget_basic", "total", "total", 1),
    (ECON, ECON, "basic_expenditure", "general_budget", "total", 2),
    (THREE_PUBLIC, THREE_PUBLIC, "three_public", "total", "total", 1),
    (ADMIN_OPERATING, ADMIN_OPERATING, "three_public", "total", "total", 1),
    (ADMIN_OPERATING, ADMIN_OPERATING, NARRATIVE, "total", "total", 2),
)
# What each classified measure sums, in words (the roll-up report's titles, the portal's scope selector)
MEASURE_TITLES = {FUNC: "一般公共预算支出功能分类", ECON: "一般公共预算基本支出经济分类",
                  FUNC_ALL: "全部资金支出功能分类（部门支出总表）", ECON_ALL: "全部资金基本支出经济分类（基本支出表）"}
LEVELS = {FUNC: {1: "类", 2: "款", 3: "项"}, ECON: {1: "类", 2: "款"}, FUNC_ALL: {1: "类", 2: "款", 3: "项"},
          ECON_ALL: {1: "类", 2: "款"}}
THREE_PUBLIC_ITEMS = {"total": "“三公”经费合计", "overseas": "因公出国（境）费", "reception": "公务接待费",
                      "vehicles": "公务用车购置及运行费", "vehicle_purchase": "公务用车购置费",
                      "vehicle_operation": "公务用车运行费"}
TOP = 20  # items in the list of the largest
WAN = Decimal(10000)
CENT = Decimal("0.01")


class RollupError(Exception):
    """RESULTS holds no budget lines; the message names it."""


def wan(amount: Decimal | None) -> Decimal | None:
    """元 as 万元 to two places (half up), for display; sums are taken in 元 first."""
    return None if amount is None else (amount / WAN).quantize(CENT, ROUND_HALF_UP)


def rate(amount: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """The change in percent, two places; None without a previous amount."""
    if amount is None or not previous:
        return None
    return ((amount - previous) * 100 / previous).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Filter:
    locality: str | None = None
    year: str | None = None

    def where(self, alias: str = "") -> tuple[str, list[Any]]:
        prefix = f"{alias}." if alias else ""
        clauses, values = ["TRUE"], []
        if self.locality:
            clauses.append(f"{prefix}locality = ?")
            values.append(self.locality)
        if self.year:
            clauses.append(f"{prefix}year = ?")
            values.append(self.year)
        return " AND ".join(clauses), values


ALL = Filter()  # every locality and year


def lines_source(results: Path) -> str:
    """The Parquet file (or glob of parts) holding the budget lines of the audit in ``results``."""
    if not results.is_dir():
        raise RollupError(f"{results}：目录不存在 (no such folder)")
    whole = results / LINES
    if whole.is_file():
        return str(whole)
    if list((results / PARTS).glob("lines-*.parquet")):
        return str(results / PARTS / "lines-*.parquet")
    raise RollupError(f"{results}：没有预算明细 {LINES}（请先以本版本运行 deptbudget audit）"
                      f"(no budget lines: run deptbudget audit first)")


class Rollups:
    """The roll-up queries over one ``lines`` dataset (a Parquet file or glob, or a relation of ``db``).

    Made once per connection (the warehouse's load): from ``measured`` — each document's lines of the tables its
    roll-ups read (``SOURCES``), a view — ``cube`` — sums and counts of documents per locality, year,
    measure, level, code and column — and ``documents`` — documents per locality, year and measure. Every roll-up
    query reads the cube (small: localities × years × codes), so it takes the same time for a hundred documents
    or a hundred thousand; the Fiscal Data Package reads ``measured``. The load reads the lines twice (cube,
    documents) and holds neither them nor ``measured`` in memory."""

    def __init__(self, source: str, db: duckdb.DuckDBPyConnection | None = None) -> None:
        self.db = db or duckdb.connect()
        self.arrow = False  # fetch results as Arrow tables (benchmarks/rollup_speed.py: DuckDB's time alone)
        quoted = source.replace("'", "''")
        relation = f"read_parquet('{quoted}')" if ".parquet" in source else source
        values = ", ".join(f"('{m}', '{k}', '{r}', '{c}', '{a}', {p})" for m, k, r, c, a, p in SOURCES)
        joined = (
            "SELECT l.path, l.locality, l.year, l.entity, l.kind, s.measure, l.code, l.name, l.level, "
            "s.as_column AS col, l.amount, s.priority, s.table_role, l.\"table\" AS tbl "
            f"FROM {relation} l JOIN sources s ON l.code_kind = s.code_kind AND l.table_role = s.table_role "
            "AND l.\"column\" = s.source_column")
        # a document's lines of a measure come from the first of its sources it has (lowest priority), and of
        # that source's tables from the fullest (most amounts): ``choices`` ranks them, one pass over the lines
        ranked = (
            f"WITH j AS ({joined}), counts AS (SELECT path, measure, priority, table_role, tbl, count(*) AS amounts "
            "FROM j GROUP BY ALL) "
            "SELECT *, row_number() OVER (PARTITION BY path, measure ORDER BY priority, amounts DESC, "
            "try_cast(tbl AS INTEGER) NULLS LAST, tbl) AS rank, "
            "min(priority) OVER (PARTITION BY path, measure) AS best FROM counts")
        chosen = (
            f"WITH j AS ({joined}) SELECT j.* EXCLUDE (priority, table_role, tbl) FROM j SEMI JOIN choices c "
            "ON j.path = c.path AND j.measure = c.measure AND j.priority = c.priority AND j.tbl = c.tbl "
            "AND c.rank = 1")
        try:
            self.db.execute(f"CREATE OR REPLACE TEMP VIEW sources(measure, code_kind, table_role, source_column, "
                            f"as_column, priority) AS VALUES {values}")
            self.db.execute("SET preserve_insertion_order = false")  # less memory: no query here needs file order
            self.db.execute(f"CREATE OR REPLACE TEMP TABLE choices AS {ranked}")
            self.db.execute(f"CREATE OR REPLACE TEMP VIEW measured AS {chosen}")
            self.db.execute(
                "CREATE OR REPLACE TEMP TABLE cube AS SELECT locality, year, measure, level, code, col, "
                "min(name) AS name, sum(amount) AS amount, count(*) AS documents FROM measured GROUP BY ALL")
            self.db.execute(
                "CREATE OR REPLACE TEMP TABLE documents AS SELECT locality, year, coalesce(measure, '*') AS measure, "
                "count(DISTINCT path) AS documents FROM measured "
                "GROUP BY GROUPING SETS ((locality, year, measure), (locality, year))")
        except duckdb.Error as exc:
            raise RollupError(f"{source}：无法读取预算明细 (cannot read the budget lines): {exc}") from exc

    def query(self, sql: str, parameters: list[Any] | None = None) -> Any:
        """The rows of a query as tuples of plain values, or as one Arrow table (``arrow``)."""
        if self.arrow:
            return self.db.sql(sql, params=parameters or None).to_arrow_table()
        return self.db.execute(sql, parameters or []).fetchall()

    def overview(self, scope: Filter = ALL) -> Any:
        """Per locality and year: documents, 一般公共预算支出 (total, 基本, 项目), “三公”经费, 机关运行经费 (元)."""
        where, values = scope.where("d")
        return self.query(
            "SELECT d.locality, d.year, d.documents, "
            f"sum(amount) FILTER (c.measure = '{FUNC}' AND level = 1 AND col = 'total'), "
            f"sum(amount) FILTER (c.measure = '{FUNC}' AND level = 1 AND col = 'basic'), "
            f"sum(amount) FILTER (c.measure = '{FUNC}' AND level = 1 AND col = 'project'), "
            f"sum(amount) FILTER (c.measure = '{THREE_PUBLIC}' AND c.code = 'total'), "
            f"sum(amount) FILTER (c.measure = '{ADMIN_OPERATING}') "
            "FROM documents d LEFT JOIN cube c ON c.locality = d.locality AND c.year = d.year "
            f"WHERE d.measure = '*' AND {where} GROUP BY ALL ORDER BY d.locality, d.year", values)

    def by_level(self, measure: str, level: int, scope: Filter = ALL) -> Any:
        """Per locality, year and code of the level: name, documents, total, 基本, 项目 (元; 经济分类: total)."""
        where, values = scope.where()
        return self.query(
            "SELECT locality, year, code, min(name), max(documents) FILTER (col = 'total'), "
            "sum(amount) FILTER (col = 'total'), sum(amount) FILTER (col = 'basic'), "
            "sum(amount) FILTER (col = 'project') "
            f"FROM cube WHERE measure = ? AND level = ? AND {where} "
            "GROUP BY locality, year, code ORDER BY locality, year, code", [measure, level, *values])

    def year_on_year(self, measure: str, level: int, scope: Filter = ALL) -> list[tuple[Any, ...]]:
        """Per locality, year and code: amount, the previous year's, change (元) and rate (%), for every year
        that has a previous year in the data (a code new or gone in a year is there with an empty side)."""
        return [(*row, rate(row[4], row[5])) for row in self.year_on_year_amounts(measure, level, scope)]

    def year_on_year_amounts(self, measure: str, level: int, scope: Filter = ALL) -> Any:
        """``year_on_year`` without the rate: what DuckDB computes."""
        where, values = scope.where("cur")
        sums = ("SELECT locality, CAST(year AS INTEGER) AS y, code, name, amount FROM cube "
                "WHERE measure = ? AND level = ? AND col = 'total' AND try_cast(year AS INTEGER) IS NOT NULL")
        return self.query(
            f"WITH s AS ({sums}), years AS (SELECT DISTINCT locality, y FROM s), "
            "cur AS (SELECT coalesce(a.locality, b.locality) AS locality, CAST(coalesce(a.y, b.y + 1) AS VARCHAR) "
            "AS year, coalesce(a.code, b.code) AS code, coalesce(a.name, b.name) AS name, a.amount, "
            "b.amount AS previous FROM s a FULL JOIN s b ON a.locality = b.locality AND a.code = b.code "
            "AND a.y = b.y + 1) "
            "SELECT cur.locality, cur.year, cur.code, cur.name, cur.amount, cur.previous, "
            "coalesce(cur.amount, 0) - coalesce(cur.previous, 0) FROM cur "
            "SEMI JOIN years p ON p.locality = cur.locality AND p.y = CAST(cur.year AS INTEGER) - 1 "
            "SEMI JOIN years t ON t.locality = cur.locality AND t.y = CAST(cur.year AS INTEGER) "
            f"WHERE {where} ORDER BY cur.locality, cur.year, cur.code", [measure, level, *values])

    def top_items(self, limit: int = TOP, scope: Filter = ALL) -> Any:
        """The largest 功能分类 项 per locality and year: code, name, total, documents (元)."""
        where, values = scope.where()
        return self.query(
            "SELECT locality, year, code, name, amount, documents FROM cube "
            f"WHERE measure = '{FUNC}' AND level = 3 AND col = 'total' AND {where} "
            "QUALIFY row_number() OVER (PARTITION BY locality, year ORDER BY amount DESC, code) <= ? "
            "ORDER BY locality, year, amount DESC, code", [*values, limit])

    def three_public(self, scope: Filter = ALL) -> Any:
        """Per locality and year: documents, “三公”经费 and each of its items, and 机关运行经费 (元)."""
        where, values = scope.where("d")
        items = ", ".join(f"sum(amount) FILTER (c.measure = '{THREE_PUBLIC}' AND c.code = '{code}')"
                          for code in THREE_PUBLIC_ITEMS)
        return self.query(
            f"SELECT d.locality, d.year, d.documents, {items}, sum(amount) FILTER (c.measure = '{ADMIN_OPERATING}') "
            f"FROM documents d LEFT JOIN cube c ON c.locality = d.locality AND c.year = d.year "
            f"AND c.measure IN ('{THREE_PUBLIC}', '{ADMIN_OPERATING}') "
            f"WHERE d.measure = '{THREE_PUBLIC}' AND {where} GROUP BY ALL ORDER BY d.locality, d.year", values)

    def doubled(self) -> Any:
        """The documents that print two (or more) tables of the role a measure reads: path, measure, the table's
        role, the table taken (the fullest) and its amounts, and the tables left out with their amounts."""
        return self.query(
            "SELECT path, measure, table_role, max(tbl) FILTER (rank = 1), max(amounts) FILTER (rank = 1), "
            "string_agg(tbl || '（' || amounts || '）', '、' ORDER BY rank) FILTER (rank > 1) "
            "FROM choices WHERE priority = best GROUP BY path, measure, table_role HAVING count(*) > 1 "
            "ORDER BY path, measure")

    def localities(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT DISTINCT locality FROM cube ORDER BY 1").fetchall()]

"""The roll-ups: DuckDB over the budget lines of an audit (RESULTS/lines.parquet, or its parts while a run is
going or was killed).

Which printed table a roll-up reads is chosen per document from ``SOURCES`` (the first the document has): the
功能分类 roll-ups read the 一般公共预算支出表 (the table every locality publishes, 财预〔2016〕143号: 类 / 款 / 项
with 基本支出 and 项目支出); the 经济分类 ones the 一般公共预算基本支出表, else the 一般公共预算 column of a
基本支出表 by fund (深圳); “三公”经费 its table's items; 机关运行经费 its column in the “三公” table, else the figure
the narrative states. A level's roll-up sums the rows printed at that level (the documents' own 类 / 款 / 项
figures, each as printed). Amounts stay exact (DECIMAL, 元) from the file to the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import duckdb

from deptbudget.audit.results import LINES, PARTS
from deptbudget.rollup.lines import ADMIN_OPERATING, ECON, FUNC, NARRATIVE, THREE_PUBLIC

# (measure, code kind, table role, printed column, column in the roll-up, priority: lower first)
SOURCES: tuple[tuple[str, str, str, str, str, int], ...] = (
    (FUNC, FUNC, "general_budget_expenditure", "total", "total", 1),
    (FUNC, FUNC, "general_budget_expenditure", "basic", "basic", 1),
    (FUNC, FUNC, "general_budget_expenditure", "project", "project", 1),
    (ECON, ECON, "general_budget_basic", "total", "total", 1),
    (ECON, ECON, "basic_expenditure", "general_budget", "total", 2),
    (THREE_PUBLIC, THREE_PUBLIC, "three_public", "total", "total", 1),
    (ADMIN_OPERATING, ADMIN_OPERATING, "three_public", "total", "total", 1),
    (ADMIN_OPERATING, ADMIN_OPERATING, NARRATIVE, "total", "total", 2),
)
LEVELS = {FUNC: {1: "类", 2: "款", 3: "项"}, ECON: {1: "类", 2: "款"}}
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
    """The roll-up queries over one ``lines`` dataset (a file, a glob or a table of a DuckDB connection)."""

    def __init__(self, source: str, db: duckdb.DuckDBPyConnection | None = None, materialize: bool = True) -> None:
        self.db = db or duckdb.connect()
        quoted = source.replace("'", "''")
        relation = f"read_parquet('{quoted}')" if source.endswith(".parquet") else source
        values = ", ".join(f"('{m}', '{k}', '{r}', '{c}', '{a}', {p})" for m, k, r, c, a, p in SOURCES)
        try:
            self.db.execute(f"CREATE OR REPLACE TEMP VIEW sources(measure, code_kind, table_role, source_column, "
                            f"as_column, priority) AS VALUES {values}")
            chosen = (
                "SELECT path, locality, year, entity, kind, measure, code, name, level, as_column AS col, amount "
                "FROM (SELECT l.*, s.measure, s.as_column, s.priority, "
                "min(s.priority) OVER (PARTITION BY l.path, s.measure) AS best "
                f"FROM {relation} l JOIN sources s ON l.code_kind = s.code_kind AND l.table_role = s.table_role "
                "AND l.\"column\" = s.source_column) WHERE priority = best")
            kind = "TABLE" if materialize else "VIEW"
            self.db.execute(f"CREATE OR REPLACE TEMP {kind} measured AS {chosen}")
            self.db.execute("SELECT count(*) FROM measured").fetchone()
        except duckdb.Error as exc:
            raise RollupError(f"{source}：无法读取预算明细 (cannot read the budget lines): {exc}") from exc

    def query(self, sql: str, parameters: list[Any] | None = None) -> list[tuple[Any, ...]]:
        return self.db.execute(sql, parameters or []).fetchall()

    def overview(self, scope: Filter = ALL) -> list[tuple[Any, ...]]:
        """Per locality and year: documents, 一般公共预算支出 (total, 基本, 项目), “三公”经费, 机关运行经费 (元)."""
        where, values = scope.where()
        return self.query(
            "SELECT locality, year, count(DISTINCT path), "
            f"sum(amount) FILTER (measure = '{FUNC}' AND level = 1 AND col = 'total'), "
            f"sum(amount) FILTER (measure = '{FUNC}' AND level = 1 AND col = 'basic'), "
            f"sum(amount) FILTER (measure = '{FUNC}' AND level = 1 AND col = 'project'), "
            f"sum(amount) FILTER (measure = '{THREE_PUBLIC}' AND code = 'total'), "
            f"sum(amount) FILTER (measure = '{ADMIN_OPERATING}') "
            f"FROM measured WHERE {where} GROUP BY locality, year ORDER BY locality, year", values)

    def by_level(self, measure: str, level: int, scope: Filter = ALL) -> list[tuple[Any, ...]]:
        """Per locality, year and code of the level: name, documents, total, 基本, 项目 (元; 经济分类: total)."""
        where, values = scope.where()
        return self.query(
            "SELECT locality, year, code, min(name), count(DISTINCT path), "
            "sum(amount) FILTER (col = 'total'), sum(amount) FILTER (col = 'basic'), "
            "sum(amount) FILTER (col = 'project') "
            f"FROM measured WHERE measure = ? AND level = ? AND {where} "
            "GROUP BY locality, year, code ORDER BY locality, year, code", [measure, level, *values])

    def year_on_year(self, measure: str, level: int, scope: Filter = ALL) -> list[tuple[Any, ...]]:
        """Per locality, year and code: amount, the previous year's, change (元) and rate (%), for every year
        that has a previous year in the data (a code new or gone in a year is there with an empty side)."""
        where, values = scope.where("cur")
        sums = ("SELECT locality, CAST(year AS INTEGER) AS y, code, min(name) AS name, sum(amount) AS amount "
                "FROM measured WHERE measure = ? AND level = ? AND col = 'total' AND try_cast(year AS INTEGER) "
                "IS NOT NULL GROUP BY ALL")
        rows = self.query(
            f"WITH s AS ({sums}), years AS (SELECT DISTINCT locality, y FROM s), "
            "cur AS (SELECT coalesce(a.locality, b.locality) AS locality, CAST(coalesce(a.y, b.y + 1) AS VARCHAR) "
            "AS year, coalesce(a.code, b.code) AS code, coalesce(a.name, b.name) AS name, a.amount, "
            "b.amount AS previous FROM s a FULL JOIN s b ON a.locality = b.locality AND a.code = b.code "
            "AND a.y = b.y + 1) "
            "SELECT cur.locality, cur.year, cur.code, cur.name, cur.amount, cur.previous, "
            "coalesce(cur.amount, 0) - coalesce(cur.previous, 0) FROM cur "
            "JOIN years p ON p.locality = cur.locality AND p.y = CAST(cur.year AS INTEGER) - 1 "
            "JOIN years t ON t.locality = cur.locality AND t.y = CAST(cur.year AS INTEGER) "
            f"WHERE {where} ORDER BY cur.locality, cur.year, cur.code", [measure, level, *values])
        return [(*row, rate(row[4], row[5])) for row in rows]

    def top_items(self, limit: int = TOP, scope: Filter = ALL) -> list[tuple[Any, ...]]:
        """The largest 功能分类 项 per locality and year: code, name, total, documents (元)."""
        where, values = scope.where()
        return self.query(
            "SELECT locality, year, code, name, total, documents FROM (SELECT locality, year, code, min(name) AS name, "
            "sum(amount) AS total, count(DISTINCT path) AS documents, row_number() OVER (PARTITION BY locality, "
            "year ORDER BY sum(amount) DESC, code) AS n "
            f"FROM measured WHERE measure = '{FUNC}' AND level = 3 AND col = 'total' AND {where} "
            "GROUP BY locality, year, code) WHERE n <= ? ORDER BY locality, year, n", [*values, limit])

    def three_public(self, scope: Filter = ALL) -> list[tuple[Any, ...]]:
        """Per locality and year: “三公”经费 and each of its items, and 机关运行经费 (元)."""
        where, values = scope.where()
        items = ", ".join(f"sum(amount) FILTER (measure = '{THREE_PUBLIC}' AND code = '{code}')"
                          for code in THREE_PUBLIC_ITEMS)
        return self.query(
            f"SELECT locality, year, count(DISTINCT path) FILTER (measure = '{THREE_PUBLIC}'), {items}, "
            f"sum(amount) FILTER (measure = '{ADMIN_OPERATING}') FROM measured "
            f"WHERE measure IN ('{THREE_PUBLIC}', '{ADMIN_OPERATING}') AND {where} "
            "GROUP BY locality, year ORDER BY locality, year", values)

    def localities(self) -> list[str]:
        return [row[0] for row in self.query("SELECT DISTINCT locality FROM measured ORDER BY 1")]

"""Speed of the roll-up queries (issue 17 target: each < 1 s in DuckDB over 100,000 departments × 200 lines).

    .venv/bin/python -m benchmarks.rollup_speed [--departments 100000] [--keep DIR]

Writes a synthetic ``lines`` dataset (the schema of ``deptbudget.rollup.lines``: amounts DECIMAL(18,2) in 元) of
N departments, each one document of 200 lines — 功能分类 4 类 × 2 款 × 3 项 with total / 基本 / 项目 (108 lines),
经济分类 4 类 × 20 款 (84), “三公”经费 6 items, 机关运行经费 in the “三公” table and in the narrative (the
roll-ups take the table's) — spread over 300 localities and two years (so that year on year has both sides), with
DuckDB into one Parquet file. Then times ``deptbudget.rollup.warehouse.Rollups``: its preparation (reading the
Parquet file and choosing each document's source tables, once per connection) and each roll-up query on its own:
by 类, by 款, by 项, year on year (类 and 款), the largest items, “三公”经费, the overview — each run five times,
its median and fastest printed, fetched as Arrow (DuckDB's time) — and one locality's whole report as Python
values. Measured, printed, never asserted (the machine is shared: times vary with its load, printed beside them).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

from deptbudget.rollup.lines import LINES_SCHEMA
from deptbudget.rollup.report import sections
from deptbudget.rollup.warehouse import Filter, Rollups

LOCALITIES = 300
REPEAT = 5  # runs of each query: the median is the measure

# One document's 200 lines: (table role, code kind, level, column, code expression over d = document, i = index)
_TEMPLATE = """
WITH func AS (
  SELECT c, k, x FROM range(4) t(c), range(2) u(k), range(3) v(x)
), func_codes AS (
  SELECT DISTINCT 1 AS level, c, NULL::INT AS k, NULL::INT AS x FROM func
  UNION ALL SELECT DISTINCT 2, c, k, NULL FROM func
  UNION ALL SELECT 3, c, k, x FROM func
), econ_codes AS (
  SELECT DISTINCT 1 AS level, c, NULL::INT AS k FROM range(4) t(c), range(20) u(k)
  UNION ALL SELECT 2, c, k FROM range(4) t(c), range(20) u(k)
)
SELECT 'general_budget_expenditure' AS table_role, '7' AS tbl, 'func' AS code_kind, level, col,
       c, k, x, 'f' AS family FROM func_codes, (VALUES ('total'), ('basic'), ('project')) cols(col)
UNION ALL SELECT 'general_budget_basic', '8', 'econ', level, 'total', c, k, NULL, 'e' FROM econ_codes
UNION ALL SELECT 'three_public', '9', 'three_public', 1, 'total', n, NULL, NULL, 't'
  FROM range(6) t(n)
UNION ALL SELECT 'three_public', '9', 'admin_operating', 1, 'total', 0, NULL, NULL, 'a'
UNION ALL SELECT 'narrative', '', 'admin_operating', 1, 'total', 0, NULL, NULL, 'a'
"""

_LINES = """
COPY (
SELECT '/province/' || lpad(CAST(d AS VARCHAR), 6, '0') || '.pdf' AS path,
       '地区' || lpad(CAST(d % {localities} AS VARCHAR), 3, '0') AS locality,
       CAST(2024 + (d // {localities}) % 2 AS VARCHAR) AS year,
       '部门' || CAST(d AS VARCHAR) AS entity, '预算' AS kind, table_role, tbl AS "table", code_kind,
       CASE family
         WHEN 'f' THEN CAST(201 + (d * 7 + c * 5) % 30 AS VARCHAR)
              || coalesce(lpad(CAST(1 + (d + k) % 10 AS VARCHAR), 2, '0'), '')
              || coalesce(lpad(CAST(1 + (d * 3 + x) % 20 AS VARCHAR), 2, '0'), '')
         WHEN 'e' THEN CAST(301 + c AS VARCHAR) || coalesce(lpad(CAST(1 + k AS VARCHAR), 2, '0'), '')
         WHEN 't' THEN ['total', 'overseas', 'reception', 'vehicles', 'vehicle_purchase', 'vehicle_operation'][c + 1]
         ELSE 'admin_operating' END AS code,
       '科目' AS name, CAST(level AS TINYINT) AS level, col AS "column",
       CAST((hash(d, c, k, x, col, family) % 100000000) / 100 + 0.01 AS DECIMAL(18, 2)) AS amount
FROM range({departments}) r(d), template
) TO '{target}' (FORMAT parquet)
"""


def write_lines(departments: int, target: Path) -> float:
    started = time.perf_counter()
    db = duckdb.connect()
    db.execute(f"CREATE TEMP TABLE template AS {_TEMPLATE}")
    (per,), = db.execute("SELECT count(*) FROM template").fetchall()
    assert per == 200, per
    db.execute(_LINES.format(localities=LOCALITIES, departments=departments, target=str(target).replace("'", "''")))
    return time.perf_counter() - started


def timed(name: str, call: Callable[[], Any], repeat: int = 1) -> float:
    """Runs ``call`` ``repeat`` times; prints the fastest and the median (the machine is shared), returns the
    median."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    rows = result.num_rows if hasattr(result, "num_rows") else len(result) if isinstance(result, list) else ""
    median = statistics.median(times)
    print(f"{name:<34} 中位 {median:7.3f} 秒  最快 {min(times):7.3f} 秒  {rows:>7} 行  "
          f"(负载 load {os.getloadavg()[0]:.1f})", flush=True)
    return median


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--departments", type=int, default=100_000, metavar="N")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="write the Parquet file here and keep it (one of the same size there is reused)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rollup-speed-") as folder:
        target = (args.keep or Path(folder)) / "lines.parquet"
        target.parent.mkdir(parents=True, exist_ok=True)
        size = 200 * args.departments
        reuse = args.keep is not None and target.is_file() and pq.read_metadata(target).num_rows == size
        seconds = 0.0 if reuse else write_lines(args.departments, target)
        rows = pq.read_metadata(target).num_rows
        schema = pq.read_schema(target)
        assert [(f.name, str(f.type)) for f in schema] == [(f.name, str(f.type)) for f in LINES_SCHEMA], schema
        size = target.stat().st_size / 2**20
        print(f"{args.departments} 个部门 × 200 行 = {rows} 行，{size:.0f} MB，写出 {seconds:.1f} 秒；"
              f"{os.cpu_count()} 个 CPU，负载 {os.getloadavg()[0]:.1f} (departments, lines, CPUs, load)", flush=True)
        holder: dict[str, Rollups] = {}
        timed("准备 (load: read, choose sources, cube)", lambda: holder.setdefault("r", Rollups(str(target))))
        rollups = holder["r"]
        rollups.arrow = True  # DuckDB's time, not that of making Python objects of millions of result rows
        queries: list[tuple[str, Callable[[], Any]]] = [
            ("按类 (by 类)", lambda: rollups.by_level("func", 1)),
            ("按款 (by 款)", lambda: rollups.by_level("func", 2)),
            ("按项 (by 项)", lambda: rollups.by_level("func", 3)),
            ("经济分类按款 (econ by 款)", lambda: rollups.by_level("econ", 2)),
            ("比上年 按类 (yoy by 类)", lambda: rollups.year_on_year_amounts("func", 1)),
            ("比上年 按款 (yoy by 款)", lambda: rollups.year_on_year_amounts("func", 2)),
            ("最大的项 (top items)", lambda: rollups.top_items()),
            ("三公 (three public)", lambda: rollups.three_public()),
            ("概况 (overview)", lambda: rollups.overview()),
        ]
        times = {name: timed(name, call, REPEAT) for name, call in queries}
        rollups.arrow = False  # a report: one locality's roll-ups as Python values, every section
        one = rollups.localities()[0]
        timed("一个地区的报告 (one locality's report)", lambda: sections(rollups, Filter(one)), REPEAT)
        slowest = max(times, key=lambda k: times[k])
        print(f"最慢的查询 (slowest query, median): {slowest} {times[slowest]:.3f} 秒 (目标 target < 1 秒)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

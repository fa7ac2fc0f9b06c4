"""``deptbudget rollup RESULTS -o DIR [--locality L] [--year Y]``: the budgets of an audit's documents rolled up
by locality and year (功能分类 类 / 款 / 项 with 基本 / 项目, 经济分类 类 / 款, year on year, the largest items,
“三公”经费 and 机关运行经费) — DIR/rollup.html and DIR/rollup.xlsx — and exported as a Fiscal Data Package,
DIR/fiscal-data-package/datapackage.json with budget.csv.

Exit status: 0 written, 2 RESULTS holds no budget lines (not an audit's results), 1 the output could not be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

FDP_FOLDER = "fiscal-data-package"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "rollup", help="按地区、年度汇总审核过的部门预算，HTML + XLSX + 财政数据包 (roll up audited budgets)",
        description="读取 deptbudget audit 结果中的预算明细 (lines.parquet)，按地区和年度汇总：功能分类 类/款/项"
                    "（基本支出、项目支出）、经济分类 类/款、比上年增减、金额最大的项、“三公”经费和机关运行经费；"
                    "写出 rollup.html、rollup.xlsx 和财政数据包 fiscal-data-package/（datapackage.json + budget.csv）。"
                    "退出码：0 完成，2 没有预算明细，1 无法写出。",
    )
    parser.add_argument("results", metavar="RESULTS", help="deptbudget audit 的结果目录 (audit results folder)")
    parser.add_argument("-o", "--output", required=True, metavar="DIR", help="输出目录 (output directory)")
    parser.add_argument("--locality", default=None, metavar="地区", help="只汇总此地区 (one locality only)")
    parser.add_argument("--year", default=None, metavar="年度", help="只汇总此年度 (one year only; 比上年 reads the "
                                                                     "year before too)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:  # imported here: the other commands must work where DuckDB is missing
        from deptbudget.rollup.fdp import write_package
        from deptbudget.rollup.report import write_rollup
        from deptbudget.rollup.warehouse import Filter, RollupError, Rollups, lines_source
    except ImportError as exc:
        print(f"错误：无法汇总 (cannot roll up): {exc}", file=sys.stderr)
        return 1
    scope = Filter(args.locality, args.year)
    output = Path(args.output)
    try:
        source = lines_source(Path(args.results))
        html, xlsx = write_rollup(source, output, scope)
        package = write_package(Rollups(source), output / FDP_FOLDER, scope)
    except RollupError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"错误：{output}：无法写出汇总 (cannot write the roll-up): {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"已写出预算汇总：{html}、{xlsx}；财政数据包：{package}")
    return 0

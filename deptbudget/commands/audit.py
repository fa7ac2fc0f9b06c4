"""``deptbudget audit INPUT... -o RESULTS`` and ``deptbudget report RESULTS -o DIR``.

``audit``: import, check and review every document of a batch (folders,
files or a ``--manifest`` CSV) and write RESULTS/documents.parquet (one row per document) and
RESULTS/findings.parquet (one row per finding). Resumable: run again with the same ``-o`` and it continues
where it stopped. ``--workers N`` processes on this machine, or ``--scheduler tcp://…`` a Dask cluster.

``report`` reads the results with DuckDB and writes DIR/audit-report.html and DIR/audit-report.xlsx: documents
by grade, findings by rule, locality, department and year, the worst documents, the unreadable ones and
every finding linked to its document and page.

Exit status of ``audit``: 0 when every document was read, 2 when some could not be (they are rows with their error) or
the inputs name none, 1 when the results could not be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

BATCH_DOCUMENTS = 50  # the default of --batch (deptbudget.audit.runner.BATCH_DOCUMENTS)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "audit", help="批量审核公开文件，结果写为 Parquet，可中断续做 (audit a batch of documents)",
        description="对每个文件导入、检查、审查，写出 RESULTS/documents.parquet（每个文件一行）和 "
                    "RESULTS/findings.parquet（每个问题一行）。中断后以同一 -o 再运行即从中断处继续。"
                    "退出码：0 全部读入，2 有文件无法读取或没有文件，1 无法写出结果。",
    )
    parser.add_argument("inputs", nargs="*", metavar="INPUT", help="目录或文件 (folders or files)")
    parser.add_argument("-o", "--output", required=True, metavar="RESULTS", help="结果目录 (results folder)")
    parser.add_argument("--manifest", default=None, metavar="CSV",
                        help="文件清单 CSV，列为 path, locality, entity, year, kind（路径相对于清单所在目录）")
    parser.add_argument("--workers", type=int, default=1, metavar="N", help="本机进程数（默认 1）(processes)")
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="Dask 分布式调度器地址，如 tcp://10.0.0.1:8786（给出时不用 --workers）")
    parser.add_argument("--batch", type=int, default=BATCH_DOCUMENTS, metavar="N",
                        help=f"每批结果的文件数（默认 {BATCH_DOCUMENTS}），中断时至多重做这么多 (documents per part)")
    parser.set_defaults(run=run)
    report = subparsers.add_parser(
        "report", help="审核结果汇总报告 HTML + XLSX (report on audit results)",
        description="用 DuckDB 读取 deptbudget audit 的结果，写出 audit-report.html 和 audit-report.xlsx："
                    "按等级、规则、地区、部门、年度汇总，得分最低的文件，每条问题链接到文件和页。"
                    "退出码：0 完成，2 不是审核结果目录，1 无法写出。",
    )
    report.add_argument("results", metavar="RESULTS", help="deptbudget audit 的结果目录 (audit results folder)")
    report.add_argument("-o", "--output", required=True, metavar="DIR", help="输出目录 (output directory)")
    report.set_defaults(run=run_report)


def run(args: argparse.Namespace) -> int:
    try:  # imported here: the other commands must work where the audit's dependencies are missing
        from deptbudget.audit.engines import EngineError, engine_for
        from deptbudget.audit.inputs import InputError, collect
        from deptbudget.audit.results import ResultsError
        from deptbudget.audit.runner import run_audit
    except ImportError as exc:
        print(f"错误：无法审核 (cannot audit): {exc}", file=sys.stderr)
        return 1
    try:
        documents = collect(args.inputs, args.manifest)
    except InputError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    if not documents:
        print("错误：输入中没有可审核的文件 (the inputs name no documents)", file=sys.stderr)
        return 2
    if args.batch < 1:
        print(f"错误：--batch 须为正整数 (must be at least 1): {args.batch}", file=sys.stderr)
        return 2
    try:
        engine = engine_for(args.workers, args.scheduler)
    except EngineError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    try:
        summary = run_audit(documents, Path(args.output), engine, batch=args.batch)
    except ResultsError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    print(f"已审核 {summary.audited} 个文件（此前已完成 {summary.already}，共 {summary.documents}），"
          f"无法读取 {summary.unreadable}，问题 {summary.findings} 条，{summary.pages} 页，{summary.seconds:.1f} 秒；"
          f"结果：{summary.documents_file}、{summary.findings_file}")
    return 2 if summary.unreadable_total else 0


def run_report(args: argparse.Namespace) -> int:
    try:
        from deptbudget.audit.report import write_report
        from deptbudget.audit.warehouse import WarehouseError
    except ImportError as exc:
        print(f"错误：无法生成报告 (cannot report): {exc}", file=sys.stderr)
        return 1
    try:
        html, xlsx = write_report(Path(args.results), Path(args.output))
    except WarehouseError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"错误：{args.output}：无法写出报告，未写入任何文件 (cannot write the report): {exc.strerror or exc}",
              file=sys.stderr)
        return 1
    print(f"已写出审核汇总：{html}、{xlsx}")
    return 0

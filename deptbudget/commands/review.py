"""``deptbudget review FILE... -o DIR``: the finance bureau's checklist (公开情况检查表), filled.

FILE is a budget source (YAML), a Disclosure JSON or a published document (PDF, XLSX, DOCX, HTML,
text). For each one DIR gets ``<name>.review.xlsx`` (the checklist in the bureau's layout, the list
of findings, the scoring), ``<name>.review.html`` and ``<name>.review.pdf`` (``--formats`` picks them);
the batch gets ``review-summary.xlsx`` (one row per document). ``--checker`` / ``--reviewer`` /
``--check-date`` fill the 检查人 / 复核人 / 日期 lines (left blank to sign on otherwise). Everything is
written into a staging folder first and moved into place at the end, so a failure leaves nothing
half-written.

With ``--together`` all files are one disclosure published in pieces (情况说明 + 报表), reviewed as one and
named after the first file.

Exit status: 0 when every file was reviewed, 2 when some file could not be read (the others are
still reviewed and the summary says why), 1 when the reports could not be written.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from deptbudget.review.checklist import ChecklistError, available_checklists
from deptbudget.review.engine import Review, Reviewer, Signoff
from deptbudget.review.inputs import (
    InputError,
    dates_from_meta,
    load_documents,
    merge_dates,
    parse_date,
    read_dates_file,
)
from deptbudget.review.structure import Dates
from deptbudget.review.wording import summary_line
from deptbudget.review.xlsx_report import SummaryRow, write_review_xlsx, write_summary_xlsx
from deptbudget.rules.registry import SettingsError, load_settings

SUMMARY_NAME = "review-summary.xlsx"
FORMATS = ("xlsx", "html", "pdf")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "review", help="按财政部门的公开情况检查表审核公开文件 (fill the reviewer's checklist)",
        description="对每个文件运行全部检查规则，填写公开情况检查表（检查内容 / 符合要求 是否 / 问题说明），"
                    "给出得分和等级，写出 XLSX 和 HTML，以及批量汇总表。"
                    "退出码：0 全部完成，2 有文件无法读取，1 无法写出结果。",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="预算源文件（YAML）、披露数据（JSON）或已公开的文件")
    parser.add_argument("-o", "--output", required=True, help="输出目录 (output directory)")
    parser.add_argument("--checklist", default=None,
                        help=f"检查表名称（默认按文件的模板选择；现有：{', '.join(available_checklists())}）")
    parser.add_argument("--template", default=None, help="按此模板的规则设置检查（默认：文件自身的模板）")
    parser.add_argument("--approved", default=None, metavar="DATE",
                        help="财政部门批复日期，如 2020-01-15（判断是否在批复后 20 日内公开；不给则为“未提供”）")
    parser.add_argument("--published", default=None, metavar="DATE", help="公开日期，如 2020-02-01")
    parser.add_argument("--dates", default=None, metavar="CSV",
                        help="各文件的日期：CSV 文件，列为 文件、批复日期、公开日期（优先于 --approved/--published）")
    parser.add_argument("--together", action="store_true",
                        help="所有文件是同一份公开文件（如情况说明与报表分两个文件发布），合并为一份审查，"
                             "以第一个文件命名 (the files are one disclosure, e.g. narrative and tables apart)")
    parser.add_argument("--formats", default=",".join(FORMATS),
                        help=f"检查表的输出格式，逗号分隔 (formats; default {','.join(FORMATS)})")
    parser.add_argument("--checker", default="", help="检查人姓名（不给则留空待签）")
    parser.add_argument("--reviewer", default="", help="复核人姓名（不给则留空待签）")
    parser.add_argument("--check-date", default="", metavar="DATE", help="检查日期，如 2020-02-10（不给则留空待填）")
    parser.set_defaults(run=run)


def _options(args: argparse.Namespace) -> tuple[Dates, dict[str, Dates]]:
    dates = Dates(parse_date(args.approved) if args.approved else None,
                  parse_date(args.published) if args.published else None)
    per_file = read_dates_file(Path(args.dates)) if args.dates else {}
    return dates, per_file


def _names(paths: list[Path]) -> list[str]:
    """An output name per input: its stem, made unique."""
    used: dict[str, int] = {}
    names = []
    for path in paths:
        stem = path.stem or "document"
        count = used.get(stem, 0) + 1
        used[stem] = count
        names.append(stem if count == 1 else f"{stem}-{count}")
    return names


def _formats(args: argparse.Namespace) -> list[str]:
    chosen = list(dict.fromkeys(f.strip().lower() for f in str(getattr(args, "formats", ",".join(FORMATS))).split(",")
                                if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise InputError(f"未知的格式 {', '.join(unknown) or '(空)'}；可选：{', '.join(FORMATS)} (unknown format)")
    return chosen


def _signoff(args: argparse.Namespace) -> Signoff:
    when = str(getattr(args, "check_date", "") or "")
    return Signoff(str(getattr(args, "checker", "") or "").strip(), str(getattr(args, "reviewer", "") or "").strip(),
                   parse_date(when).isoformat() if when else "")


def run(args: argparse.Namespace) -> int:
    try:
        formats = _formats(args)
        signoff = _signoff(args)
        common, per_file = _options(args)
        if args.template:  # a misspelt --template must not quietly turn off the table rules
            load_settings(args.template)
        reviewer = Reviewer(args.checklist, args.template)
    except (InputError, ChecklistError, SettingsError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    output = Path(args.output)
    paths = [Path(name) for name in args.files]
    groups = [paths] if getattr(args, "together", False) else [[path] for path in paths]
    rows: list[SummaryRow] = []
    for group, name in zip(groups, _names([g[0] for g in groups]), strict=True):
        path = group[0]
        try:
            disclosure = load_documents(group)
        except InputError as exc:
            print(f"错误：{path}：{exc}", file=sys.stderr)
            rows.append(SummaryRow(str(path), error=str(exc)))
            continue
        dates = merge_dates(per_file.get(str(path), Dates()), per_file.get(path.name, Dates()), common,
                            dates_from_meta(disclosure))
        review = reviewer.review(disclosure, dates, str(path), signoff)
        print(f"{path}：{review.title}，{summary_line(review)}")
        for note in review.notes:
            print(f"  说明：{note}")
        rows.append(SummaryRow(str(path), review, files=[f"{name}.review.{fmt}" for fmt in formats]))
    status = _write(output, rows)
    if status:
        return status
    print(f"已写出检查表：{output}/（{sum(1 for r in rows if r.review)} 份，汇总 {SUMMARY_NAME}）")
    return 2 if any(r.error for r in rows) else 0


def _write(output: Path, rows: list[SummaryRow]) -> int:
    from deptbudget.review.html_report import write_review_html
    from deptbudget.review.pdf_report import write_review_pdf

    writers = {"xlsx": write_review_xlsx, "html": write_review_html, "pdf": write_review_pdf}

    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"错误：无法创建输出目录 {output}：{exc.strerror or exc}", file=sys.stderr)
        return 1
    try:
        with tempfile.TemporaryDirectory(prefix=".deptbudget-review-", dir=output) as staging:
            stage = Path(staging)
            written: list[str] = []
            for row in rows:
                review: Review | None = row.review
                if review is None:
                    continue
                for name in row.files:
                    writers[name.rsplit(".", 1)[1]](review, stage / name)
                written += row.files
            write_summary_xlsx(rows, stage / SUMMARY_NAME)
            written.append(SUMMARY_NAME)
            for name in written:
                shutil.move(str(stage / name), output / name)
    except Exception as exc:  # a writer's failure must leave nothing half-written
        print(f"错误：写出检查表失败，未写入任何文件：{exc}", file=sys.stderr)
        return 1
    return 0

"""``deptbudget compare BUDGET FINAL -o DIR``: the budget and the final accounts of one department and year side by
side (per 功能分类 项 and per 三公 item: 年初预算数, 全年预算数, 决算数, 执行率, difference, stated reason), as
comparison.html and comparison.xlsx. Each side is a source (YAML), a disclosure (JSON) or a published document."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from deptbudget.model.disclosure import Disclosure
from deptbudget.model.final_actuals import FinalAccounts


class _Unreadable(Exception):
    pass


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "compare", help="预算与决算对比 (budget vs final accounts: HTML + XLSX)",
        description="读取同一部门同一年度的预算与决算（源文件 YAML、披露数据 JSON 或已公开的文件），"
                    "按支出功能分类科目和“三公”经费逐项列出年初预算数、全年预算数、决算数、执行率、差额及差异原因，"
                    "写出 HTML 和 XLSX。",
    )
    parser.add_argument("budget", help="预算：预算源文件、披露 JSON 或公开文件 (the budget)")
    parser.add_argument("final", help="决算：决算源文件、披露 JSON 或公开文件 (the final accounts)")
    parser.add_argument("-o", "--output", required=True, help="输出目录 (output directory)")
    parser.set_defaults(run=run)


def load_side(path: str) -> tuple[Disclosure, FinalAccounts | None]:
    """A source, disclosure JSON or published document → its disclosure (and the accounts of a 决算 source)."""
    from deptbudget.sources.errors import SourceError
    from deptbudget.template import TemplateError

    file = Path(path)
    if not file.is_file():
        raise _Unreadable(f"{path}: 文件不存在 (file not found)")
    try:
        if file.suffix.lower() in (".yaml", ".yml"):
            return _source(file)
        if file.suffix.lower() == ".json":
            from deptbudget.model.serialize import loads

            return loads(file.read_bytes()), None
        from deptbudget.importers import import_document

        return import_document(str(file))[0], None
    except SourceError as exc:
        lines = "\n".join(f"  {p}" for p in exc.problems)
        raise _Unreadable(f"{path}: 源文件有 {len(exc.problems)} 处问题 (source problems):\n{lines}") from exc
    except TemplateError as exc:
        raise _Unreadable(f"{path}: {exc}") from exc
    except (OSError, ValueError) as exc:
        raise _Unreadable(f"{path}: 无法读取 (cannot read): {exc}") from exc


def _source(file: Path) -> tuple[Disclosure, FinalAccounts | None]:
    from deptbudget.commands.source_disclosure import source_disclosure
    from deptbudget.sources.final_source import is_final_source, load_final

    if is_final_source(file):
        from deptbudget.compute.final_disclosure import compute_final_disclosure

        accounts = load_final(file)
        return compute_final_disclosure(accounts), accounts
    return source_disclosure(file), None


def run(args: argparse.Namespace) -> int:
    from deptbudget.compute.comparison import ComparisonError, compare
    from deptbudget.model.final_accounts import is_final_accounts
    from deptbudget.render.comparison import write_comparison_html, write_comparison_xlsx

    try:
        budget, _ = load_side(args.budget)
        final, accounts = load_side(args.final)
    except _Unreadable as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    if is_final_accounts(budget) or not is_final_accounts(final):
        print("错误：第一个文件应为预算、第二个应为决算 (expected a budget, then final accounts)", file=sys.stderr)
        return 2
    try:
        comparison = compare(budget, final, accounts)
    except ComparisonError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    output = Path(args.output)
    write_comparison_html(comparison, output / "comparison.html")
    write_comparison_xlsx(comparison, output / "comparison.xlsx")
    for note in comparison.notes:
        print(f"  {note}", file=sys.stderr)
    print(f"已生成预算与决算对比：{output}/ (comparison.html, comparison.xlsx)")
    return 0

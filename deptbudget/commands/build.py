"""``deptbudget build SOURCE -o DIR``: a budget source → the disclosure in every format."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from deptbudget.commands.source_disclosure import read_source
from deptbudget.model.budget import Budget
from deptbudget.model.disclosure import Disclosure
from deptbudget.sources.errors import SourceError
from deptbudget.template import TemplateError

Writer = Callable[[Disclosure, Path], None]


def _writers(budget: Budget | None = None) -> dict[str, tuple[str, Writer]]:
    """Format → (file name, writer). Imported lazily: PDF/DOCX pull heavier libraries. With the
    ``budget``, the HTML names each amount's source lines."""
    from deptbudget.render.html import write_html
    from deptbudget.render.json_render import write_json
    from deptbudget.render.xlsx import write_xlsx

    def write_html_with_charts(d: Disclosure, path: Path) -> None:
        from deptbudget.render.charts import chart_svgs

        write_html(d, path, charts=chart_svgs(d), budget=budget)

    writers: dict[str, tuple[str, Writer]] = {
        "html": ("index.html", write_html_with_charts),
        "xlsx": ("tables.xlsx", write_xlsx),
        "json": ("disclosure.json", write_json),
    }
    try:
        from deptbudget.render.pdf import write_pdf

        writers["pdf"] = ("budget.pdf", write_pdf)
    except ImportError:
        pass
    try:
        from deptbudget.render.docx_render import write_docx

        def write_docx_after_pdf(d: Disclosure, path: Path) -> None:
            pdf = path.with_name(writers["pdf"][0]) if "pdf" in writers else None
            write_docx(d, path, pdf=pdf if pdf is not None and pdf.exists() else None)  # the PDF's page numbers

        writers["docx"] = ("budget.docx", write_docx_after_pdf)
    except ImportError:
        pass
    return writers


DEFAULT_FORMATS = "html,xlsx,json,pdf,docx"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "build", help="由预算源文件生成公开文件 (build the disclosure from a budget source)",
        description="读取预算源文件（YAML），计算全部表格与说明，写出 HTML、XLSX、JSON、PDF、DOCX。",
    )
    parser.add_argument("source", help="预算源文件 (budget source, YAML)")
    parser.add_argument("-o", "--output", required=True, help="输出目录 (output directory)")
    parser.add_argument("--formats", default=None,
                        help=f"输出格式，逗号分隔 (formats, comma-separated; default {DEFAULT_FORMATS})")
    parser.add_argument("--pdf-engine", choices=("reportlab", "typst"), default="reportlab",
                        help="PDF 排版引擎：reportlab（默认）或 typst（带标签的 PDF，需安装 typst）"
                             " (PDF engine: reportlab, the default, or typst: a tagged PDF, needs the typst package)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    writers = _writers()
    if getattr(args, "pdf_engine", "reportlab") == "typst":
        try:
            import typst  # noqa: F401  (an optional dependency)
        except ImportError:
            print("错误：未安装 typst，无法使用 --pdf-engine typst；请安装 deptbudget[typst] "
                  "(the typst package is not installed)", file=sys.stderr)
            return 2
    chosen = args.formats if args.formats is not None else ",".join(writers)
    # Each format once, in the order given: a repeated one would be moved out of staging twice.
    formats = list(dict.fromkeys(f.strip().lower() for f in chosen.split(",") if f.strip()))
    unknown = [f for f in formats if f not in writers]
    if unknown or not formats:
        print(f"错误：未知或不可用的格式 {', '.join(unknown) or '(空)'}；可选：{', '.join(writers)} "
              "(unknown format)", file=sys.stderr)
        return 2
    try:
        disclosure, budget = read_source(args.source)  # read once: the budget goes on to the HTML
        writers = _writers(budget)
        if getattr(args, "pdf_engine", "reportlab") == "typst":
            from deptbudget.render.pdf_typst import write_pdf_typst

            writers["pdf"] = ("budget.pdf", write_pdf_typst)
    except SourceError as exc:
        print(f"错误：预算源文件有 {len(exc.problems)} 处问题，未生成任何文件 "
              f"({len(exc.problems)} problem(s); nothing written):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except TemplateError as exc:
        print(f"错误：{args.source}: {exc}", file=sys.stderr)
        return 1
    return _write_all(disclosure, Path(args.output), [(f, *writers[f]) for f in formats])


def _write_all(disclosure: Disclosure, output: Path, jobs: list[tuple[str, str, Writer]]) -> int:
    """Write every format into a staging folder, then move the files into place together."""
    created = not output.exists()
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"错误：无法创建输出目录 {output}: {exc.strerror} (cannot create output directory)", file=sys.stderr)
        return 1
    status = _stage_and_move(disclosure, output, jobs)
    if status and created and not any(output.iterdir()):
        output.rmdir()  # a folder this run made, left empty by the failure
    return status


def _stage_and_move(disclosure: Disclosure, output: Path, jobs: list[tuple[str, str, Writer]]) -> int:
    with tempfile.TemporaryDirectory(prefix=".deptbudget-", dir=output) as staging:
        for fmt, name, writer in jobs:
            started = time.perf_counter()
            print(f"  生成 {name} …", end="", flush=True, file=sys.stderr)
            try:
                writer(disclosure, Path(staging) / name)
            except Exception as exc:  # a renderer failure must not leave a partial result
                print(f" 失败 (failed): {exc}", file=sys.stderr)
                print(f"错误：生成 {fmt} 失败，未写入任何文件 (rendering failed; nothing written)", file=sys.stderr)
                return 1
            print(f" {time.perf_counter() - started:.2f} s", file=sys.stderr)
        for _, name, _ in jobs:
            shutil.move(str(Path(staging) / name), output / name)
            (output / name).chmod(0o644)
    files = ", ".join(name for _, name, _ in jobs)
    print(f"已生成 {disclosure.title}：{output}/ ({files})")
    return 0

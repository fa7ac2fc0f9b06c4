"""``deptbudget import FILE... -o DIR``: published documents → Disclosure JSON + import report.

For each input ``<stem>.<ext>`` it writes ``<stem>.disclosure.json`` and
``<stem>.import-report.json`` into DIR (``<stem>.<ext>.…`` when two inputs share a stem,
``<stem>.<ext>-2.…`` when they share the name). Each
file that cannot be read is one line on stderr; a progress bar shows on a terminal when there are
several files. Exit status: 0 all read, 1 some failed, 2 none could be read. With ``--together``
the files are one disclosure published in pieces (说明 + 报表): one result, named after the first
file (exit status 2 when any file cannot be read).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TextIO

from deptbudget.importers import DocumentError, import_document
from deptbudget.importers.combine import combine
from deptbudget.importers.report import ImportReport
from deptbudget.model.disclosure import Disclosure
from deptbudget.model.serialize import dumps

BAR_WIDTH = 28


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import", help="导入已公开的预算文件 (import published budget documents: PDF, XLSX, DOCX, HTML, text)",
        description="读取已公开的部门预算文件（PDF、XLSX、DOCX、HTML、文本），每个文件写出 "
                    "<名称>.disclosure.json 和 <名称>.import-report.json。",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="要导入的文件 (documents to import)")
    parser.add_argument("-o", "--output", required=True, help="输出目录 (output directory)")
    parser.add_argument("--together", action="store_true",
                        help="所有文件是同一份公开文件（如情况说明与报表分两个文件发布），合并为一份写出，"
                             "以第一个文件命名 (the files are one disclosure, e.g. narrative and tables apart)")
    parser.set_defaults(run=run)


def output_stems(files: list[Path]) -> list[str]:
    """``budget`` per input, ``budget.pdf`` where two inputs share the stem, and ``budget.pdf-2``
    … where they share the whole name too (``a/budget.pdf b/budget.pdf``, or one file twice), so
    that no result overwrites another."""
    counts = Counter(f.stem for f in files)
    names = [f.name if counts[f.stem] > 1 else f.stem for f in files]
    seen: Counter[str] = Counter()
    stems = []
    for name in names:
        seen[name] += 1
        stems.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
    return stems


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_result(output: Path, stem: str, disclosure: Disclosure, report: ImportReport) -> None:
    _write(output / f"{stem}.disclosure.json", dumps(disclosure, pretty=True) + "\n")
    _write(output / f"{stem}.import-report.json", report.dumps() + "\n")


class Progress:
    """A one-line bar on a terminal; nothing otherwise (failures are printed either way)."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = total
        self.stream = stream
        self.active = total > 1 and stream.isatty()
        self.started = time.perf_counter()

    def show(self, done: int, name: str) -> None:
        if not self.active:
            return
        filled = BAR_WIDTH * done // self.total
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        elapsed = time.perf_counter() - self.started
        self.stream.write(f"\r[{bar}] {done}/{self.total} {elapsed:5.1f}s {name[:40]:<40}")
        self.stream.flush()

    def clear(self) -> None:
        if self.active:
            self.stream.write("\r" + " " * (BAR_WIDTH + 60) + "\r")
            self.stream.flush()


def run(args: argparse.Namespace) -> int:
    files = [Path(f) for f in args.files]
    output = Path(args.output)
    created = not output.exists()
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"错误：无法创建输出目录 {output}: {exc.strerror} (cannot create output directory)", file=sys.stderr)
        return 2
    if getattr(args, "together", False):
        return _run_together(files, output, created)
    progress = Progress(len(files), sys.stderr)
    read, failed = 0, 0
    for index, (path, stem) in enumerate(zip(files, output_stems(files), strict=True)):
        progress.show(index, path.name)
        try:
            disclosure, report = import_document(path)
            write_result(output, stem, disclosure, report)
            read += 1
        except DocumentError as exc:
            failed += 1
            progress.clear()
            print(f"错误：{exc}", file=sys.stderr)
        except OSError as exc:
            failed += 1
            progress.clear()
            print(f"错误：{path}: 无法写出结果 (cannot write the result): {exc.strerror}", file=sys.stderr)
    progress.show(len(files), "")
    progress.clear()
    print(f"已导入 {read} 个文件，{failed} 个失败 → {output}/ (imported {read}, failed {failed})")
    if read == 0:
        if created:  # leave no empty output folder behind when nothing could be read
            output.rmdir()
        return 2
    return 1 if failed else 0


def _run_together(files: list[Path], output: Path, created: bool) -> int:
    """The files as one disclosure: one result, named after the first file; any file unreadable → none."""
    try:
        disclosure, report = combine([import_document(path) for path in files])
        write_result(output, output_stems(files[:1])[0], disclosure, report)
    except DocumentError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        if created:
            output.rmdir()
        return 2
    except OSError as exc:
        print(f"错误：{files[0]}: 无法写出结果 (cannot write the result): {exc.strerror}", file=sys.stderr)
        return 2
    print(f"已将 {len(files)} 个文件合并导入为一份公开文件 → {output}/ (imported {len(files)} files as one disclosure)")
    return 0

"""Import + check over a folder of real published documents: what was read, how much, how fast.

    .venv/bin/python -m benchmarks.corpus ../shared/real-docs [--json rows.json] [--limit N] [--workers N]

Every document under DIR (PDF, XLSX, DOCX, HTML, text) is imported with ``import_document`` and
checked with the ``Checker`` — the same functions ``deptbudget import`` and ``deptbudget check``
call, with ``check``'s overlap filter. ``MANIFEST.tsv`` in DIR (columns file, locality, entity,
year, kind …) names each document; without it the folder and file name do (``001_上海/2026年….pdf``
→ 上海, 2026, 决算 when the name says so, else 预算). Per document it prints the template detected,
the template's tables read (with rows, or empty with their note) / the tables the template
describes, the amount recall, the error and warning findings, the pages and the CPU seconds of
import + check (the recall's own text extraction is not timed); then totals and means. A document
that cannot be read is a row with its one-line error. Progress goes to stderr. Run by hand, not in
CI (≈ 1–2 s per document).

Amount recall
-------------
The document's own text is extracted independently of our importers: ``pdftotext -layout`` for
PDF, openpyxl cell values for XLSX (numbers as their format prints them), python-docx paragraphs
and table cells for DOCX, the text nodes of HTML, the file itself for text.

An *amount* is a figure printed in one of two shapes:

- a number with two to six decimals, with or without well-formed thousands separators:
  ``1,234.56``, ``1234.56``, ``0.50``, ``243.445664`` (two decimals is the rule; Beijing prints
  万元 to the fen, six decimals);
- an integer with at least one thousands separator: ``4,048,577`` (documents in 元 such as
  Shanghai's print whole yuan). A bare integer without separators is not an amount: it is a year,
  a classification code (``208 05 02``), a page or a head count far more often than a figure —
  so whole-yuan amounts below 1,000, or printed without separators, are not counted. Neither is a
  number with one decimal (``3.5``): a section number or a ratio more often than money.

It must stand alone: not preceded by a digit, ``.`` or ``,`` and not followed by a digit or ``.``
(so ``2026.01.15``, ``1.2345678`` and ``12,34.56`` are not amounts), and not followed by ``%``
(a percentage is not an amount) — nor, in a PDF, by a picture no larger than a character right after it on its
line: a “%” or a unit drawn as an image, which ``pdftotext`` does not print (西安 人社局's rates; found with PDFium,
``recall.pictured_figures``, and marked in the text with U+FFFC). A leading minus sign is ignored: extracted text
does not tell a minus from a dash or a range reliably, and whether a figure's sign is right is the rules' job, not
the reader's. Zero (``0.00``, ``0``) is excluded: empty columns print it by the dozen and a reader
that leaves such a cell blank has lost nothing. Amounts are compared in the unit printed, as the
exact decimal (``1,234.50`` = ``1234.5`` = ``1,234.500000``).

The amounts found are every table cell's non-zero ``Cell.value`` (sign dropped), every amount printed
in a text cell (an indicator's target ``≤116.00万元``, a task's description in a 绩效目标表: the amount
is in its cell, held as the words that state it; a cell whose amount could not be parsed counts nothing)
and every amount printed in a narrative figure's text, taken the same way. Recall = matched / printed, compared as
**multisets**: an amount printed three times must be found three times, each cell or figure
matching at most one printing. As sets, one total row read correctly would count for every other
place the same total is printed — a table that repeats it but was not read at all, or a narrative
that states it without a figure being read, would go unnoticed. (The set recall is computed too,
in the JSON and the totals, to compare with measurements made that way.) A figure read into the
wrong row or column still counts as found: recall measures what was read, the check's findings
what was misplaced. Amounts stated only in running narrative text without a figure are misses; so
are the two halves of an amount wrapped over two lines that the text extraction does not rejoin.

Amounts wrapped inside their cell
---------------------------------
Some documents (Chongqing's) print an amount over two lines of its cell, or their text extraction
places the decimals a line off: ``pdftotext -layout`` gives ``14,770`` on one line and ``.62`` on
the next, the ``.`` under the last digit. ``rejoin_wrapped`` puts such halves back together before
the amounts are counted (``14,770.62``, one amount, not ``14,770`` and a lost ``.62``). A piece
continues the number above it when it starts under that number's last character (one column
either side) and is its fraction (``.62``) or its next digit groups (``109,`` over ``703``, ``1``
over ``54,`` over ``304`` over ``.22``: a comma at the break); in running text a fraction that begins
its line (``.62万元``) continues the whole number that ends the line above; a fraction printed a line
above its whole number, over its last digit, is its fraction too. Every other line is unchanged.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from deptbudget.commands.check import _without_overlaps
from deptbudget.commands.evaluate import _table
from deptbudget.importers import import_document, reader_for
from deptbudget.importers.recall import (  # re-exported: the benchmark's measure lives in the package
    Document,
    amounts_in_text,
    disclosure_amounts,
    document_text,
    documents,
    expected_tables,
    matched,
    matched_distinct,
    one_line,
    tables_read,
    without_path,
)
from deptbudget.rules import Checker, Severity

GOOD_RECALL = 0.99


@dataclass
class Row:
    file: str
    locality: str
    entity: str
    year: str
    kind: str
    template: str = ""
    tables_found: int = 0
    tables_expected: int = 0
    printed_amounts: int = 0
    matched_amounts: int = 0
    recall: float | None = None
    set_recall: float | None = None  # distinct amounts (see matched_distinct), for comparison only
    errors: int = 0
    warnings: int = 0
    pages: int | None = None
    seconds: float = 0.0
    error: str | None = None  # why the document could not be read or checked


_CHECKER: Checker | None = None


def _checker() -> Checker:
    global _CHECKER
    if _CHECKER is None:
        _CHECKER = Checker()
        for fmt in ("pdf", "xlsx", "docx", "html", "text"):  # load the readers before any timing
            reader_for(fmt)
    return _CHECKER


def measure(document: Document) -> Row:
    """Import, check and score one document; never raises."""
    row = Row(document.name, document.locality, document.entity, document.year, document.kind)
    checker = _checker()
    started = time.process_time()
    try:
        disclosure, report = import_document(document.path)
        findings = _without_overlaps(checker.check(disclosure), disclosure.template)
    except Exception as exc:  # a document that cannot be read or checked is a row, not a traceback
        row.seconds = round(time.process_time() - started, 3)
        row.error = without_path(str(exc), document.path) or one_line(exc)
        return row
    row.seconds = round(time.process_time() - started, 3)
    row.template = report.template or disclosure.template
    expected = expected_tables(row.template)
    row.tables_expected = len(expected)
    row.tables_found = tables_read(disclosure, expected)
    row.errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    row.warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
    row.pages = report.pages
    try:
        text = document_text(document.path)
    except Exception as exc:  # recall unknown; the import and check results still stand
        row.error = f"无法提取原文 (text extraction failed): {one_line(exc)}"
        return row
    printed, found = amounts_in_text(text), disclosure_amounts(disclosure)
    row.matched_amounts, row.printed_amounts = matched(printed, found)
    if row.printed_amounts:
        row.recall = round(row.matched_amounts / row.printed_amounts, 4)
        distinct, of = matched_distinct(printed, found)
        row.set_recall = round(distinct / of, 4)
    return row


def measure_all(docs: list[Document], workers: int) -> Iterator[Row]:
    if workers <= 1:
        yield from map(measure, docs)
        return
    with ProcessPoolExecutor(workers) as pool:
        yield from pool.map(measure, docs)


# --- report --------------------------------------------------------------------------------------


HEADER = ("文件 (file)", "地区 (locality)", "模板 (template)", "表 (tables)", "金额召回 (recall)", "金额 (amounts)",
          "错误 (errors)", "警告 (warnings)", "页 (pages)", "秒 (s)", "备注 (note)")


def _short(name: str, width: int = 32) -> str:
    return name if len(name) <= width else name[: width // 2 - 1] + "…" + name[-(width // 2):]


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def table_lines(rows: list[Row]) -> list[list[str]]:
    out = []
    for r in rows:
        if not r.template:
            out.append([_short(r.file), r.locality, "—", "—", "—", "—", "—", "—", "—", f"{r.seconds:.2f}",
                        f"无法读取：{r.error or ''}"])
            continue
        out.append([_short(r.file), r.locality, r.template, f"{r.tables_found}/{r.tables_expected}",
                    _percent(r.recall), f"{r.matched_amounts}/{r.printed_amounts}", str(r.errors), str(r.warnings),
                    "—" if r.pages is None else str(r.pages), f"{r.seconds:.2f}", r.error or ""])
    return out


def totals(rows: list[Row]) -> dict[str, Any]:
    read = [r for r in rows if r.template]
    scored = [r for r in read if r.recall is not None]
    paged = [r for r in read if r.pages]
    seconds = sum(r.seconds for r in paged)
    printed = sum(r.printed_amounts for r in scored)
    return {
        "documents": len(rows),
        "read": len(read),
        "unreadable": len(rows) - len(read),
        "mean_recall": sum(r.recall or 0 for r in scored) / len(scored) if scored else None,
        "mean_set_recall": sum(r.set_recall or 0 for r in scored) / len(scored) if scored else None,
        "pooled_recall": sum(r.matched_amounts for r in scored) / printed if printed else None,
        "above_99": sum(1 for r in scored if (r.recall or 0) >= GOOD_RECALL),
        "scored": len(scored),
        "errors": sum(r.errors for r in read),
        "warnings": sum(r.warnings for r in read),
        "mean_errors": sum(r.errors for r in read) / len(read) if read else None,
        "mean_warnings": sum(r.warnings for r in read) / len(read) if read else None,
        "pages": sum(r.pages or 0 for r in paged),
        "seconds": sum(r.seconds for r in rows),
        "pages_per_s": sum(r.pages or 0 for r in paged) / seconds if seconds else None,
    }


def totals_lines(t: dict[str, Any]) -> list[str]:
    def num(value: float | None, spec: str) -> str:
        return "—" if value is None else format(value, spec)

    return [
        f"文件 {t['documents']} 个：读入 {t['read']}，无法读取 {t['unreadable']} "
        f"(documents {t['documents']}: read {t['read']}, unreadable {t['unreadable']})",
        f"平均金额召回 (mean recall) {_percent(t['mean_recall'])}；合计 (pooled) {_percent(t['pooled_recall'])}；"
        f"≥ 99% 的文件 (documents ≥ 99%) {t['above_99']} / {t['scored']}；"
        f"按不同金额计 (as sets, for comparison) {_percent(t['mean_set_recall'])}",
        f"错误 (errors) {t['errors']}，平均每个文件 (per document) {num(t['mean_errors'], '.1f')}；"
        f"警告 (warnings) {t['warnings']}，平均 {num(t['mean_warnings'], '.1f')}",
        f"{t['pages']} 页 / {t['seconds']:.1f} CPU 秒 = {num(t['pages_per_s'], '.1f')} 页/秒 (pages/s, import + check)",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, metavar="DIR")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the rows and totals as JSON")
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N documents")
    parser.add_argument("--workers", type=int, default=1, metavar="N", help="processes (default 1)")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"错误：不是目录 (not a folder): {args.folder}", file=sys.stderr)
        return 2
    docs = documents(args.folder)[: args.limit]
    if not docs:
        print(f"错误：{args.folder} 中没有可导入的文件 (no documents)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    rows: list[Row] = []
    for index, row in enumerate(measure_all(docs, args.workers), start=1):
        rows.append(row)
        outcome = f"无法读取：{row.error}" if not row.template else \
            f"{row.template} 召回 {_percent(row.recall)} 错误 {row.errors} 警告 {row.warnings}"
        print(f"[{index}/{len(docs)}] {row.seconds:5.2f}s {_short(row.file)} {outcome[:100]}", file=sys.stderr)
    print(_table(HEADER, table_lines(rows), right=(3, 4, 5, 6, 7, 8, 9)))
    print()
    summary = totals(rows)
    print("\n".join(totals_lines(summary)))
    print(f"(wall-clock {time.perf_counter() - started:.1f} s with {args.workers} worker(s))", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps({"rows": [asdict(r) for r in rows], "totals": summary},
                                        ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Audit one document into plain rows: import, check and review it, measure the recall of its printed
amounts, and take its budget lines (``deptbudget.rollup.lines``) for the roll-ups. A worker (process pool or
Dask) holds one document at a time and returns only dicts of plain values;
the reviewer (rules, catalogs, checklists) is loaded once per process.

The recall is ``benchmarks/recall.py``'s: the amounts the document's own text prints, found by the import
(multisets). A finding's page is the page its narrative paragraph, table row or table was read on.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from deptbudget.audit.inputs import AuditDocument
from deptbudget.audit.pairs import half_of
from deptbudget.importers import recall
from deptbudget.model.disclosure import Disclosure, Table
from deptbudget.review.engine import Review, Reviewer
from deptbudget.rollup.lines import disclosure_lines
from deptbudget.rules.registry import Finding, Severity

Rows = tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]  # document, findings, budget lines

_REVIEWER: Reviewer | None = None
_PAGE_IN_ROW = re.compile(r"（第(\d+)页）$")
_TABLE = re.compile(r"^表(\d+)$")


def reviewer() -> Reviewer:
    global _REVIEWER
    if _REVIEWER is None:
        _REVIEWER = Reviewer()
    return _REVIEWER


def document_row(document: AuditDocument) -> dict[str, Any]:
    """The document's row with nothing measured yet (the shape of every row of documents.parquet)."""
    return {"path": document.path, "entity": document.entity, "locality": document.locality, "year": document.year,
            "kind": document.kind, "template": None, "pages": None, "tables": None, "tables_expected": None,
            "printed_amounts": None, "matched_amounts": None, "recall": None, "score": None, "grade": None,
            "errors": None, "warnings": None, "seconds": 0.0, "error": None, "paired_with": None}


def _table_of(finding: Finding, disclosure: Disclosure) -> Table | None:
    number = _TABLE.match(finding.table or "")
    if number is None:
        return None
    return next((t for t in disclosure.tables if t.number == number.group(1)), None)


def finding_page(finding: Finding, disclosure: Disclosure) -> int | None:
    """The page a finding is on: its paragraph's (``with_pages`` put it in the row), its row's or its table's."""
    quoted = _PAGE_IN_ROW.search(finding.row or "")
    if quoted:
        return int(quoted.group(1))
    table = _table_of(finding, disclosure)
    if table is None:
        return None
    row = table.row(finding.row) if finding.row else None
    return row.page if row is not None and row.page is not None else table.page


def table_files(disclosure: Disclosure, pieces: list[Disclosure], paths: tuple[str, ...]) -> dict[str, str]:
    """For a disclosure read from several files (``importers.combine``): each table's number → the file it was
    read from."""
    return {table.number: path for path, piece in zip(paths, pieces, strict=True) for table in piece.tables
            if any(table is kept for kept in disclosure.tables)}


def finding_file(finding: Finding, path: str, files: dict[str, str]) -> str:
    """The file a finding is on: for a disclosure read from several files, the file of the table it is on
    (``files``, from ``table_files``); else — a paragraph, the disclosure as a whole, a document of one file —
    the document's own ``path``."""
    number = _TABLE.match(finding.table or "")
    if number is None or _PAGE_IN_ROW.search(finding.row or ""):
        return path
    return files.get(number.group(1), path)


def finding_rows(path: str, review: Review, files: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The rows of a review's findings: ``path`` is the document's (the key of its row in documents.parquet),
    ``file`` the file the finding is on (and its ``page`` in that file)."""
    return [{"path": path, "rule": f.rule, "severity": f.severity.value if f.severity else None, "table": f.table,
             "row": f.row, "column": f.column, "expected": f.expected, "actual": f.actual, "message": f.message,
             "page": finding_page(f, review.disclosure),
             "file": finding_file(f, path, files or {})} for f in review.findings]


HALF = "half"  # the key of a document row that holds its ``pairs.Half`` (not a column: the runner takes it out)


def audit_document(document: AuditDocument) -> Rows:
    """The document's row, its findings' rows and its budget lines; never raises (an unreadable document is a
    row with its error). A document that is one half of a two-file disclosure (``pairs``) says so in its row
    under ``HALF``."""
    return _audit(document, (document.path,))


def audit_together(documents: tuple[AuditDocument, ...]) -> Rows:
    """Two files (or more) of one disclosure — 说明 first, then 报表 — read as one (``importers.combine``, as
    ``import --together``): one row, with the first file's path and the others' in ``paired_with``."""
    return _audit(documents[0], tuple(d.path for d in documents))


def _audit(document: AuditDocument, paths: tuple[str, ...]) -> Rows:
    from deptbudget.importers import import_document
    from deptbudget.importers.combine import combine

    row = document_row(document)
    row["paired_with"] = " + ".join(paths[1:]) or None
    files = [Path(p) for p in paths]
    started = time.perf_counter()
    try:
        for path in files:
            if not path.is_file():
                raise FileNotFoundError(f"文件不存在 (no such file): {path.name}")
        pieces = [import_document(path) for path in files]
        disclosure, report = combine(pieces)
        review = reviewer().review(disclosure, source=" + ".join(paths))
    except Exception as exc:  # a document that cannot be read, checked or reviewed is a row, not a crash
        row["seconds"] = round(time.perf_counter() - started, 3)
        row["error"] = recall.without_path(str(exc), files[0]) or recall.one_line(exc)
        return row, [], []
    template = report.template or disclosure.template
    expected = recall.expected_tables(template)
    row.update(template=template, pages=report.pages, tables=recall.tables_read(disclosure, expected),
               tables_expected=len(expected), score=str(review.score), grade=review.grade.grade,
               errors=review.count(Severity.ERROR), warnings=review.count(Severity.WARNING))
    files_of_tables = table_files(disclosure, [piece for piece, _ in pieces], paths) if len(paths) > 1 else None
    findings = finding_rows(document.path, review, files_of_tables)
    try:
        lines = disclosure_lines(disclosure, row)
    except Exception as exc:  # no lines; the review still stands
        lines = []
        row["error"] = f"无法提取预算明细 (budget lines failed): {recall.one_line(exc)}"
    try:
        printed = [a for path in files for a in recall.amounts_in_text(recall.document_text(path))]
        found = recall.disclosure_amounts(disclosure)
    except Exception as exc:  # recall unknown; the review still stands
        row["error"] = f"无法提取原文 (text extraction failed): {recall.one_line(exc)}"
    else:
        row["matched_amounts"], row["printed_amounts"] = recall.matched(printed, found)
        if row["printed_amounts"]:
            row["recall"] = round(row["matched_amounts"] / row["printed_amounts"], 4)
    if len(paths) == 1:
        row[HALF] = half_of(disclosure, row)
    row["seconds"] = round(time.perf_counter() - started, 3)
    return row, findings, lines


WORKER_DIED = "处理该文件的进程异常退出"


def failed_rows(document: AuditDocument, exc: BaseException) -> Rows:
    """The row of a document whose worker died on it twice (out of memory, killed, a crash in a PDF library):
    its error, no findings."""
    row = document_row(document)
    row["error"] = f"{WORKER_DIED} (the worker process died twice on this document): {recall.one_line(exc)}"
    return row, [], []

"""The import report: what was read, what could not be parsed, what was skipped, and how sure
the importer is — per table and for the whole document.

A table's confidence is the share of its amount cells that parsed cleanly (a malformed figure
that still gave a value counts a quarter), times the share of
its rows whose key could be derived, less 0.02 for each label resolved only approximately (at
most 0.2). The document's confidence is the mean over its tables, less 0.05 for every table the
contents list names but the document lacks (at most 0.3).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deptbudget.importers.source import Location

FORMAT = "deptbudget.import-report"
VERSION = 1


MALFORMED_WEIGHT = 0.25  # a misprinted figure that still parses counts a quarter of an unparsed one


@dataclass
class CellProblem:
    row: str
    column: str
    text: str
    error: str
    where: Location
    value_missing: bool = True  # False: malformed but read (best-effort value)

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "text": self.text, "error": self.error,
                "read": not self.value_missing, "where": self.where.to_dict()}


@dataclass
class Note:
    """Something the importer decided that a reader should know (a name resolved by position,
    a row placed under another parent, a line merged into the previous row)."""

    message: str
    where: Location | None = None
    approximate: bool = False  # a guess: lowers the confidence

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"message": self.message}
        if self.where is not None:
            out["where"] = self.where.to_dict()
        if self.approximate:
            out["approximate"] = True
        return out


@dataclass
class Skipped:
    text: str
    reason: str
    where: Location

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "reason": self.reason, "where": self.where.to_dict()}


@dataclass
class TableReport:
    table_id: str
    number: str | None
    title: str
    where: Location
    instance: str | None = None
    rows_read: int = 0
    amount_cells: int = 0
    unkeyed_rows: int = 0
    problems: list[CellProblem] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    extra_cells: list[Skipped] = field(default_factory=list)  # printed in no column of the template
    extra_amount_columns: int = 0  # printed amount columns the template does not describe (kept as c<n>)

    def extra(self, column: int, text: str, where: Location) -> None:
        self.extra_cells.append(Skipped(text, f"第 {column + 1} 列不属于模板的任何列 (column {column + 1} is not "
                                              "a column of the template)", where))

    def note(self, message: str, where: Location | None = None, approximate: bool = False) -> None:
        self.notes.append(Note(message, where, approximate))

    def skip(self, text: str, reason: str, where: Location) -> None:
        self.skipped.append(Skipped(text, reason, where))

    @property
    def confidence(self) -> float:
        unparsed = sum(1 if p.value_missing else MALFORMED_WEIGHT for p in self.problems)
        amounts = 1.0 if not self.amount_cells else 1 - unparsed / self.amount_cells
        rows = 1.0 if not self.rows_read else 1 - self.unkeyed_rows / self.rows_read
        guesses = min(0.2, 0.02 * sum(1 for n in self.notes if n.approximate))
        return round(max(0.0, amounts) * max(0.0, rows) * (1 - guesses), 3)

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table_id,
            "number": self.number,
            "title": self.title,
            "instance": self.instance,
            "where": self.where.to_dict(),
            "rows_read": self.rows_read,
            "amount_cells": self.amount_cells,
            "unparsed_cells": sum(1 for p in self.problems if p.value_missing),
            "malformed_cells": sum(1 for p in self.problems if not p.value_missing),
            "unkeyed_rows": self.unkeyed_rows,
            "confidence": self.confidence,
            "problems": [p.to_dict() for p in self.problems],
            "notes": [n.to_dict() for n in self.notes],
            "skipped": [s.to_dict() for s in self.skipped],
            "extra_cells": [s.to_dict() for s in self.extra_cells],
        }


@dataclass
class ImportReport:
    source: str
    format: str
    template: str | None = None
    template_scores: dict[str, int] = field(default_factory=dict)
    pages: int | None = None
    lines: int = 0
    tables: list[TableReport] = field(default_factory=list)
    missing_tables: list[str] = field(default_factory=list)  # listed in the contents, not found
    unassigned: list[Skipped] = field(default_factory=list)  # text that belongs to no part or table
    skipped: list[Skipped] = field(default_factory=list)  # page artefacts
    notes: list[Note] = field(default_factory=list)

    def note(self, message: str, where: Location | None = None, approximate: bool = False) -> None:
        self.notes.append(Note(message, where, approximate))

    @property
    def unparsed_cells(self) -> int:
        return sum(1 for t in self.tables for p in t.problems if p.value_missing)

    @property
    def malformed_cells(self) -> int:
        return sum(1 for t in self.tables for p in t.problems if not p.value_missing)

    @property
    def confidence(self) -> float:
        if not self.tables:
            return 0.0
        mean = sum(t.confidence for t in self.tables) / len(self.tables)
        return round(max(0.0, mean - min(0.3, 0.05 * len(self.missing_tables))), 3)

    def summary(self) -> str:
        """One line for ``Disclosure.meta['import']``."""
        rows = sum(t.rows_read for t in self.tables)
        return (f"{self.format}; template {self.template or '-'}; {len(self.tables)} tables, {rows} rows; "
                f"{self.unparsed_cells} unparsed and {self.malformed_cells} malformed cells; "
                f"{len(self.missing_tables)} missing tables; "
                f"{len(self.unassigned)} unassigned lines; confidence {self.confidence}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "source": self.source,
            "source_format": self.format,
            "template": self.template,
            "template_scores": dict(self.template_scores),
            "pages": self.pages,
            "lines": self.lines,
            "confidence": self.confidence,
            "summary": self.summary(),
            "missing_tables": list(self.missing_tables),
            "tables": [t.to_dict() for t in self.tables],
            "unassigned": [s.to_dict() for s in self.unassigned],
            "skipped": [s.to_dict() for s in self.skipped],
            "notes": [n.to_dict() for n in self.notes],
        }

    def dumps(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)

    def write(self, path: str | Path) -> Path:
        target = Path(path)
        target.write_text(self.dumps() + "\n", encoding="utf-8")
        return target

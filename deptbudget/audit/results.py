"""The results of an audit, as Parquet, written in parts so that a run killed at any moment resumes.

``RESULTS/parts/`` holds one ``documents-NNNNNN.parquet``, one ``findings-NNNNNN.parquet`` and one
``lines-NNNNNN.parquet`` (the budget lines of the documents, ``deptbudget.rollup.lines``) per batch. Each is
written under a temporary name and renamed; the findings and lines parts first, the documents part last: a
documents part is the record that its documents are done. On restart, temporary files and findings or lines
parts without their documents part (a run killed between the renames) are removed, and the documents listed
in the documents parts are not audited again — nothing lost, nothing doubled. ``finish`` joins the parts into
``RESULTS/documents.parquet``, ``RESULTS/findings.parquet`` and ``RESULTS/lines.parquet`` (part by part:
memory stays that of one part), again under temporary names renamed at the end.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from deptbudget.rollup.lines import LINES_SCHEMA, lines_table

DOCUMENTS = "documents.parquet"
FINDINGS = "findings.parquet"
LINES = "lines.parquet"
PARTS = "parts"
_PART = re.compile(r"^(documents|findings|lines)-(\d{6})\.parquet$")

DOCUMENTS_SCHEMA = pa.schema([
    ("path", pa.string()), ("entity", pa.string()), ("locality", pa.string()), ("year", pa.string()),
    ("kind", pa.string()), ("template", pa.string()), ("pages", pa.int32()), ("tables", pa.int32()),
    ("tables_expected", pa.int32()), ("printed_amounts", pa.int64()), ("matched_amounts", pa.int64()),
    ("recall", pa.float64()), ("score", pa.decimal128(5, 1)), ("grade", pa.string()), ("errors", pa.int32()),
    ("warnings", pa.int32()), ("seconds", pa.float64()), ("error", pa.string()),
    ("paired_with", pa.string()),  # the other file(s) of a disclosure published in two (说明 + 报表), or null
])
FINDINGS_SCHEMA = pa.schema([
    ("path", pa.string()), ("rule", pa.string()), ("severity", pa.string()), ("table", pa.string()),
    ("row", pa.string()), ("column", pa.string()), ("expected", pa.string()), ("actual", pa.string()),
    ("message", pa.string()), ("page", pa.int32()),
    ("file", pa.string()),  # the file the finding is on: path, or the 报表 of a disclosure read from two files
])


class ResultsError(Exception):
    """The results folder cannot be used or written; the message names it and says why."""


def _table(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    columns = {name: [row.get(name) for row in rows] for name in schema.names}
    if "score" in columns:
        columns["score"] = [None if v is None else Decimal(str(v)) for v in columns["score"]]
    return pa.Table.from_pydict(columns, schema=schema)


def _write_atomically(table: pa.Table, target: Path) -> None:
    temporary = target.with_name(f".{target.name}.tmp")
    pq.write_table(table, temporary)
    os.replace(temporary, target)


def _paths(documents: pa.Table) -> list[str]:
    """The files a documents part has done: each row's path and those read with it (``paired_with``)."""
    paths = documents.column("path").to_pylist()
    if "paired_with" in documents.column_names:  # parts written before pairs were read have no such column
        paths += [p for joined in documents.column("paired_with").to_pylist() if joined for p in joined.split(" + ")]
    return paths


class ResultStore:
    """The results folder of one audit: what is done, the parts written, the final files."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.parts = output / PARTS
        try:
            if output.exists() and not output.is_dir():
                raise ResultsError(f"{output}：不是目录 (not a folder)")
            self.parts.mkdir(parents=True, exist_ok=True)
            self._clean()
        except OSError as exc:
            raise ResultsError(f"{output}：无法创建结果目录 (cannot create the results folder): "
                               f"{exc.strerror or exc}") from exc
        self.done: set[str] = set()
        for part in self._parts("documents"):
            try:
                self.done.update(_paths(pq.read_table(part)))
            except (OSError, pa.ArrowException) as exc:
                raise ResultsError(f"{part}：结果分片无法读取 (results part unreadable): {exc}") from exc
        numbers = [int(m.group(2)) for p in self.parts.iterdir() if (m := _PART.match(p.name))]
        self._next = max(numbers, default=-1) + 1

    def _parts(self, kind: str) -> list[Path]:
        return sorted(p for p in self.parts.iterdir() if (m := _PART.match(p.name)) and m.group(1) == kind)

    def _clean(self) -> None:
        """Remove what a killed run left half-done: temporary files, findings parts without documents part."""
        for leftover in [*self.parts.glob(".*.tmp"), *self.output.glob(".*.tmp")]:
            leftover.unlink()
        for kind in ("findings", "lines"):
            for part in self._parts(kind):
                if not (self.parts / part.name.replace(f"{kind}-", "documents-")).exists():
                    part.unlink()

    def write_batch(self, documents: list[dict[str, Any]], findings: list[dict[str, Any]],
                    lines: list[dict[str, Any]] | None = None) -> None:
        """One part: the findings and the budget lines, then the documents (the record that they are done)."""
        if not documents:
            return
        number = f"{self._next:06d}"
        try:
            _write_atomically(_table(findings, FINDINGS_SCHEMA), self.parts / f"findings-{number}.parquet")
            _write_atomically(lines_table(lines or []), self.parts / f"lines-{number}.parquet")
            _write_atomically(_table(documents, DOCUMENTS_SCHEMA), self.parts / f"documents-{number}.parquet")
        except OSError as exc:
            raise ResultsError(f"{self.parts}：无法写出结果 (cannot write results): {exc.strerror or exc}") from exc
        self._next += 1
        self.done.update(_paths(_table(documents, DOCUMENTS_SCHEMA)))

    def finish(self) -> tuple[Path, Path, Path]:
        """The parts joined into documents.parquet, findings.parquet and lines.parquet (each written whole, then
        renamed)."""
        out = []
        for kind, name, schema in (("documents", DOCUMENTS, DOCUMENTS_SCHEMA), ("findings", FINDINGS, FINDINGS_SCHEMA),
                                   ("lines", LINES, LINES_SCHEMA)):
            out.append(self._join(self._parts(kind), self.output / name, schema))
        return out[0], out[1], out[2]

    def _join(self, parts: Iterable[Path], target: Path, schema: pa.Schema) -> Path:
        temporary = target.with_name(f".{target.name}.tmp")
        try:
            with pq.ParquetWriter(temporary, schema) as writer:
                for part in parts:
                    table = pq.read_table(part)
                    for name in schema.names:  # a column added since the part was written: null
                        if name not in table.column_names:
                            table = table.append_column(name, pa.nulls(len(table), schema.field(name).type))
                    writer.write_table(table.select(schema.names).cast(schema))
            os.replace(temporary, target)
        except (OSError, pa.ArrowException) as exc:
            temporary.unlink(missing_ok=True)
            raise ResultsError(f"{target}：无法写出 (cannot write): {exc}") from exc
        return target

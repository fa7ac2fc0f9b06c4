"""The real published documents of ../shared/real-docs, for the tests that read them (CI has the folder)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest

from deptbudget.importers import import_document
from deptbudget.model.disclosure import Disclosure

REAL_DOCS = Path(__file__).resolve().parents[1].parent / "shared" / "real-docs"


@lru_cache(maxsize=16)
def imported(path: Path) -> Disclosure:
    """The document imported (once per test run); a missing corpus fails the test, it is never skipped."""
    if not path.is_file():
        pytest.fail(f"the real document {path} is missing: tests read ../shared/real-docs")
    return import_document(path)[0]


def cut_pages(pieces: list[tuple[Path, list[int]]], out: Path) -> Path:
    """A PDF of some pages (numbered from 1) of real documents, in the order given: a fixture cut from real pages."""
    import pypdfium2

    cut = pypdfium2.PdfDocument.new()
    for path, pages in pieces:
        if not path.is_file():
            pytest.fail(f"the real document {path} is missing: tests read ../shared/real-docs")
        cut.import_pages(pypdfium2.PdfDocument(str(path)), [page - 1 for page in pages])
    cut.save(str(out))
    return out


def cell_value(disclosure: Disclosure, table_id: str, row: str, column: str) -> Decimal | None:
    """The value of one cell, failing with the table and row when either is not there."""
    table = disclosure.table(table_id)
    assert table is not None, table_id
    found = table.row(row)
    assert found is not None, f"{table_id} has no row {row}"
    return found.cells[column].value

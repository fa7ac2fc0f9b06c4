"""``cell_texts`` gives what pdfplumber's ``Table.extract()`` gives, cell by cell."""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from deptbudget.importers.pdf_cells import cell_texts
from tests.importers.mof_documents import write_pdf


def test_cell_texts_are_pdfplumbers(tmp_path: Path) -> None:
    with pdfplumber.open(write_pdf(tmp_path / "tables.pdf")) as pdf:
        tables = [table for page in pdf.pages for table in page.find_tables()]
        assert len(tables) > 3
        for table in tables:
            assert cell_texts(table) == table.extract()
        texts = [text for table in tables for row in cell_texts(table) for text in row]
        assert any(texts) and None in texts  # merged cells read as pdfplumber reads them

"""A small batch to audit: two text documents (the Luohu example as published), one real PDF and one that
cannot be read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
REAL_DOCS = ROOT.parent / "shared" / "real-docs"
SMALL_PDF = REAL_DOCS / "001_上海" / "2026年上海市审计局_部门预算.pdf"  # 20 pages, two real findings (ledger)


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    folder = tmp_path / "007_罗湖"
    folder.mkdir()
    shutil.copy(FIXTURES / "luohu-2020-seed.txt", folder / "2020年罗湖区某局部门预算.txt")
    shutil.copy(FIXTURES / "luohu-2020-as-published.txt", folder / "2020年罗湖区另一局部门预算.txt")
    if not SMALL_PDF.is_file():
        pytest.fail(f"the real document {SMALL_PDF} is missing: tests read ../shared/real-docs")
    shutil.copy(SMALL_PDF, folder / SMALL_PDF.name)
    (folder / "2020年罗湖区坏文件部门预算.pdf").write_bytes(b"%PDF-1.4\nnot really a PDF\n")
    return folder


def rows(path: Path, drop: tuple[str, ...] = ("seconds",)) -> list[dict[str, object]]:
    """The rows of a results file, sorted, without the columns that differ between runs."""
    out = [{k: v for k, v in row.items() if k not in drop} for row in pq.read_table(path).to_pylist()]
    return sorted(out, key=lambda r: tuple(str(v) for v in r.values()))

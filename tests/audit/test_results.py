"""deptbudget.audit.results: parts written whole, what is done read back, leftovers of a killed run removed."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from deptbudget.audit.inputs import AuditDocument
from deptbudget.audit.results import ResultsError, ResultStore
from deptbudget.audit.worker import document_row


def document(name: str, score: str | None = None) -> dict[str, object]:
    row = document_row(AuditDocument(f"/docs/{name}.pdf", "罗湖区", name, "2020", "预算"))
    row["score"] = score
    return row


def finding(name: str, rule: str) -> dict[str, object]:
    return {"path": f"/docs/{name}.pdf", "rule": rule, "severity": "error", "table": "表1", "row": "合计",
            "column": "金额", "expected": "1.00", "actual": "2.00", "message": "不等", "page": 3}


def test_batches_are_parts_and_finish_joins_them(tmp_path: Path) -> None:
    store = ResultStore(tmp_path / "out")
    store.write_batch([document("a", "95.5"), document("b")], [finding("a", "SUM-1"), finding("a", "SUM-2")])
    store.write_batch([document("c")], [])
    assert store.done == {"/docs/a.pdf", "/docs/b.pdf", "/docs/c.pdf"}
    again = ResultStore(tmp_path / "out")  # a second run reads what the first did
    assert again.done == store.done
    documents, findings, lines = again.finish()
    table = pq.read_table(documents).to_pylist()
    assert [r["path"] for r in table] == ["/docs/a.pdf", "/docs/b.pdf", "/docs/c.pdf"]
    assert table[0]["score"] == Decimal("95.5") and table[1]["score"] is None
    assert [r["rule"] for r in pq.read_table(findings).to_pylist()] == ["SUM-1", "SUM-2"]
    assert pq.read_table(lines).num_rows == 0  # no budget lines given: an empty dataset of the lines' schema
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_leftovers_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    store = ResultStore(tmp_path / "out")
    store.write_batch([document("a")], [finding("a", "SUM-1")])
    parts = tmp_path / "out" / "parts"
    (parts / "findings-000001.parquet").write_bytes((parts / "findings-000000.parquet").read_bytes())  # no documents
    (parts / "lines-000001.parquet").write_bytes((parts / "lines-000000.parquet").read_bytes())
    (parts / ".documents-000001.parquet.tmp").write_bytes(b"half")
    (tmp_path / "out" / ".documents.parquet.tmp").write_bytes(b"half")
    again = ResultStore(tmp_path / "out")
    assert sorted(p.name for p in parts.iterdir()) == ["documents-000000.parquet", "findings-000000.parquet",
                                                       "lines-000000.parquet"]
    assert not (tmp_path / "out" / ".documents.parquet.tmp").exists()
    again.write_batch([document("b")], [finding("b", "SUM-3")])
    _, findings, _ = again.finish()
    assert [r["rule"] for r in pq.read_table(findings).to_pylist()] == ["SUM-1", "SUM-3"]


def test_a_results_path_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("x")
    with pytest.raises(ResultsError, match="不是目录"):
        ResultStore(tmp_path / "out")


def test_parts_written_before_pairs_are_read(tmp_path: Path) -> None:
    """A results folder begun before the paired_with column: its old parts count as done and join with nulls."""
    from deptbudget.audit.warehouse import Warehouse

    store = ResultStore(tmp_path / "out")
    store.write_batch([document("a")], [])
    old = tmp_path / "out" / "parts" / "documents-000000.parquet"
    pq.write_table(pq.read_table(old).drop_columns(["paired_with"]), old)  # as an earlier version wrote it
    store = ResultStore(tmp_path / "out")
    assert store.done == {"/docs/a.pdf"}
    pair = document("b") | {"paired_with": "/docs/b-报表.pdf"}
    store.write_batch([pair], [])
    assert ResultStore(tmp_path / "out").done == {"/docs/a.pdf", "/docs/b.pdf", "/docs/b-报表.pdf"}
    assert Warehouse(tmp_path / "out").query("SELECT count(*), count(paired_with) FROM documents") == [(2, 1)]
    documents_file, _, _ = ResultStore(tmp_path / "out").finish()
    rows = pq.read_table(documents_file).to_pylist()
    assert [r["paired_with"] for r in rows] == [None, "/docs/b-报表.pdf"]

"""``deptbudget audit``: a row per document (an unreadable one with its error), a row per finding, the progress
bar, clear errors, and a run killed and restarted that loses and doubles nothing."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from deptbudget.audit.engines import InProcess
from deptbudget.audit.inputs import collect
from deptbudget.audit.runner import run_audit
from deptbudget.cli import main
from tests.audit.conftest import FIXTURES, ROOT, rows


def test_every_document_is_a_row(batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results"
    status = main(["audit", str(batch), "-o", str(out)])
    captured = capsys.readouterr()
    assert status == 2  # one document could not be read
    assert "审核 4/4" in captured.err and "Traceback" not in captured.err + captured.out
    assert "无法读取 1" in captured.out
    documents = {Path(r["path"]).name: r for r in pq.read_table(out / "documents.parquet").to_pylist()}
    assert len(documents) == 4
    broken = documents["2020年罗湖区坏文件部门预算.pdf"]
    assert broken["error"] and broken["template"] is None and broken["locality"] == "罗湖"
    pdf = documents["2026年上海市审计局_部门预算.pdf"]
    assert pdf["template"] and pdf["pages"] and pdf["grade"] and pdf["score"] is not None and pdf["error"] is None
    for row in documents.values():
        if row["template"]:
            assert 0 < row["printed_amounts"] and 0 <= row["recall"] <= 1 and row["year"]
    findings = pq.read_table(out / "findings.parquet").to_pylist()
    assert {f["path"] for f in findings} <= {r["path"] for r in documents.values()}
    for name, row in documents.items():
        mine = [f for f in findings if Path(f["path"]).name == name]
        assert row["errors"] in (None, sum(1 for f in mine if f["severity"] == "error"))
    assert any(f["page"] for f in findings if f["path"] == pdf["path"])  # findings on the PDF name their page
    lines = pq.read_table(out / "lines.parquet").to_pylist()  # the budget lines of every document read
    assert {r["path"] for r in lines} == {r["path"] for r in documents.values() if r["template"]}
    assert {r["code_kind"] for r in lines if r["path"] == pdf["path"]} >= {"func", "econ", "three_public"}


def test_a_process_pool_gives_the_same_results(batch: Path, tmp_path: Path) -> None:
    assert main(["audit", str(batch), "-o", str(tmp_path / "one")]) == 2
    assert main(["audit", str(batch), "-o", str(tmp_path / "two"), "--workers", "2"]) == 2
    for name in ("documents.parquet", "findings.parquet", "lines.parquet"):
        assert rows(tmp_path / "one" / name) == rows(tmp_path / "two" / name)


class Interrupted(InProcess):
    """Ctrl-C while the third document is audited."""

    def __init__(self) -> None:
        self.submitted = 0

    def submit(self, fn: Any, arg: Any) -> Any:
        self.submitted += 1
        if self.submitted == 3:
            raise KeyboardInterrupt
        return super().submit(fn, arg)


def test_interrupted_and_restarted(batch: Path, tmp_path: Path) -> None:
    documents = collect([str(batch)])
    with pytest.raises(KeyboardInterrupt):
        run_audit(documents, tmp_path / "out", Interrupted(), batch=10)
    assert len(rows(tmp_path / "out" / "parts" / "documents-000000.parquet")) == 2  # what was done is kept
    summary = run_audit(documents, tmp_path / "out", InProcess())
    assert (summary.already, summary.audited) == (2, 2)
    assert summary.unreadable_total == 1 and run_audit(documents, tmp_path / "out", InProcess()).audited == 0
    run_audit(documents, tmp_path / "fresh", InProcess())
    for name in ("documents.parquet", "findings.parquet", "lines.parquet"):
        assert rows(tmp_path / "out" / name) == rows(tmp_path / "fresh" / name)


def test_killed_and_restarted(tmp_path: Path) -> None:
    """A real kill (SIGKILL) in the middle of a run: the restart audits only the rest; nothing lost or doubled."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for index in range(30):
        shutil.copy(FIXTURES / "luohu-2020-seed.txt", folder / f"2020年罗湖区第{index:02d}局部门预算.txt")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "deptbudget.cli", "audit", str(folder), "-o", str(out), "--batch", "1"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(out.glob("parts/documents-000002.parquet")) and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL
    assert not (out / "documents.parquet").exists()
    done = len(list(out.glob("parts/documents-*.parquet")))
    assert 3 <= done < 30, "the kill came before the run ended"
    restarted = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert restarted.returncode == 0, restarted.stderr
    assert f"此前已完成 {done}" in restarted.stdout
    paths = [r["path"] for r in rows(out / "documents.parquet")]
    assert len(paths) == len(set(paths)) == 30
    findings = rows(out / "findings.parquet")
    per_document = {p: sum(1 for f in findings if f["path"] == p) for p in paths}
    assert len(set(per_document.values())) == 1 and next(iter(per_document.values())) > 0  # same text, same findings
    lines = rows(out / "lines.parquet", drop=())
    per_document = {p: sum(1 for r in lines if r["path"] == p) for p in paths}
    assert len(set(per_document.values())) == 1 and next(iter(per_document.values())) > 0  # same lines, none doubled


@pytest.mark.parametrize(("extra", "status", "message"), [
    (["--workers", "0"], 2, "--workers 须为正整数"),
    (["--batch", "0"], 2, "--batch 须为正整数"),
])
def test_bad_options(batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], status: int,
                     message: str) -> None:
    assert main(["audit", str(batch), "-o", str(tmp_path / "out"), *extra]) == status
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_results_that_cannot_be_written(batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "out").write_text("a file")
    assert main(["audit", str(batch), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'out'}：不是目录" in err and "Traceback" not in err


def test_no_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(tmp_path), "-o", str(tmp_path / "out")]) == 2
    assert "没有可审核的文件" in capsys.readouterr().err

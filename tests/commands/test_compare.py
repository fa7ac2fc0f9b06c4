"""`deptbudget compare BUDGET FINAL -o DIR`: the comparison of the worked example, from sources and from a document."""

from __future__ import annotations

from pathlib import Path

import pytest

from deptbudget.cli import main

ROOT = Path(__file__).resolve().parents[2]
BUDGET = ROOT / "examples" / "luohu-2020.yaml"
FINAL = ROOT / "examples" / "luohu-2020-final.yaml"


def test_compare_writes_html_and_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(BUDGET), str(FINAL), "-o", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["comparison.html", "comparison.xlsx"]
    assert "已生成预算与决算对比" in capsys.readouterr().out
    page = (tmp_path / "comparison.html").read_text(encoding="utf-8")
    assert "其他技术研究与开发支出" in page and "公务接待费" in page and "执行率" in page


def test_compare_reads_a_published_document(tmp_path: Path) -> None:
    built = tmp_path / "final"
    assert main(["build", str(FINAL), "-o", str(built), "--formats", "html"]) == 0
    assert main(["compare", str(BUDGET), str(built / "index.html"), "-o", str(tmp_path / "out")]) == 0
    page = (tmp_path / "out" / "comparison.html").read_text(encoding="utf-8")
    assert "产业转型升级资金年中调减" in page  # the reason stated in the 决算's text


def test_the_sides_in_the_wrong_order_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(FINAL), str(BUDGET), "-o", str(tmp_path / "out")]) == 2
    assert "第一个文件应为预算" in capsys.readouterr().err and not (tmp_path / "out").exists()


def test_a_missing_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(tmp_path / "none.yaml"), str(FINAL), "-o", str(tmp_path / "out")]) == 2
    assert "none.yaml" in capsys.readouterr().err

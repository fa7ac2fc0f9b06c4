"""`deptbudget build` of the worked 决算 example: every format is written, and each, read back, checks clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from deptbudget.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "luohu-2020-final.yaml"
FILES = ["budget.docx", "budget.pdf", "disclosure.json", "index.html", "tables.xlsx"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("final") / "out"
    assert main(["build", str(EXAMPLE), "-o", str(out)]) == 0
    return out


def test_every_format_is_written(built: Path) -> None:
    assert sorted(p.name for p in built.iterdir()) == FILES


@pytest.mark.parametrize("name", FILES)
def test_each_output_checks_clean(built: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["check", str(built / name)]) == 0
    assert "0 个错误，0 个警告，0 个提示" in capsys.readouterr().out


def test_the_source_checks_and_reviews(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(EXAMPLE)]) == 0
    assert main(["review", str(EXAMPLE), "-o", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "0 个错误，0 个警告，0 个提示" in out and "等级 优" in out


def test_a_bad_final_source_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLE.read_text(encoding="utf-8").replace("budget: luohu-2020.yaml", "budget: nowhere.yaml"),
                   encoding="utf-8")
    assert main(["build", str(bad), "-o", str(tmp_path / "out")]) == 1
    assert not (tmp_path / "out").exists() and "预算源文件不存在" in capsys.readouterr().err

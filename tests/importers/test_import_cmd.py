"""``deptbudget import FILE... -o DIR``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deptbudget.cli import main
from deptbudget.commands.import_cmd import Progress, output_stems
from deptbudget.model.serialize import loads

SEED = Path(__file__).parents[1] / "fixtures" / "luohu-2020-as-published.txt"


def test_imports_one_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(SEED), "-o", str(tmp_path / "out")]) == 0
    out = tmp_path / "out"
    disclosure = loads((out / "luohu-2020-as-published.disclosure.json").read_text(encoding="utf-8"))
    assert disclosure.template == "shenzhen-15" and len(disclosure.tables) == 32
    report = json.loads((out / "luohu-2020-as-published.import-report.json").read_text(encoding="utf-8"))
    assert report["format"] == "deptbudget.import-report" and report["missing_tables"] == ["5. 项目支出预算表"]
    assert "已导入 1 个文件，0 个失败" in capsys.readouterr().out


def test_some_fail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot really")
    assert main(["import", str(SEED), str(broken), str(tmp_path / "missing.xlsx"), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("错误：") for line in err)
    assert "broken.pdf" in err[0] and "missing.xlsx" in err[1]
    assert "Traceback" not in "\n".join(err)


def test_none_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert main(["import", str(empty), "-o", str(tmp_path / "out")]) == 2
    assert "文件为空" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()  # no empty output folder left behind


def test_same_stem_keeps_both(tmp_path: Path) -> None:
    assert output_stems([Path("a/budget.pdf"), Path("b/budget.xlsx"), Path("c/other.txt")]) == [
        "budget.pdf", "budget.xlsx", "other"]
    copy = tmp_path / "luohu-2020-as-published.html"
    copy.write_bytes(SEED.read_bytes())  # text content behind an .html name: read as text
    assert main(["import", str(SEED), str(copy), "-o", str(tmp_path / "out")]) == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "luohu-2020-as-published.txt.disclosure.json" in names
    assert "luohu-2020-as-published.html.import-report.json" in names


def test_same_name_twice_keeps_both(tmp_path: Path) -> None:
    assert output_stems([Path("a/budget.pdf"), Path("b/budget.pdf"), Path("budget.pdf")]) == [
        "budget.pdf", "budget.pdf-2", "budget.pdf-3"]
    assert main(["import", str(SEED), str(SEED), "-o", str(tmp_path / "out")]) == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    stem = "luohu-2020-as-published.txt"
    assert names == [f"{stem}-2.disclosure.json", f"{stem}-2.import-report.json",
                     f"{stem}.disclosure.json", f"{stem}.import-report.json"]


def test_progress_bar_on_a_terminal() -> None:
    class Terminal:
        def __init__(self) -> None:
            self.text = ""

        def isatty(self) -> bool:
            return True

        def write(self, text: str) -> None:
            self.text += text

        def flush(self) -> None:
            pass

    terminal = Terminal()
    progress = Progress(4, terminal)  # type: ignore[arg-type]
    progress.show(2, "budget.pdf")
    assert "[" + "#" * 14 + "." * 14 + "] 2/4" in terminal.text
    single = Progress(1, terminal)  # type: ignore[arg-type]
    assert not single.active

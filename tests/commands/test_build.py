"""`deptbudget build`: writes the outputs on a good source, nothing at all on a bad one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from deptbudget.cli import main

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "small.yaml"


def test_build_writes_the_three_outputs(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    assert main(["build", str(SMALL), "-o", str(out), "--formats", "html,xlsx,json"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["disclosure.json", "index.html", "tables.xlsx"]
    assert json.loads((out / "disclosure.json").read_text(encoding="utf-8"))["unit_name"] == "测试区科技局"
    assert "已生成" in capsys.readouterr().out


def test_bad_source_writes_nothing_and_names_file_and_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    text = SMALL.read_text(encoding="utf-8").replace('func: "2080501"', 'func: "2089999"')
    bad.write_text(text.replace("amount: 99951.00", "amount: -1"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(bad), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "2 处问题" in err and f"{bad}:" in err and "basic[2].func" in err and "basic[1].amount" in err
    assert not out.exists()


def test_unknown_format_is_refused(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["build", str(SMALL), "-o", str(tmp_path / "o"), "--formats", "html,odt"]) == 2
    assert "odt" in capsys.readouterr().err


def test_command_line_entry_point_runs_without_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    result = subprocess.run([sys.executable, "-m", "deptbudget.cli", "build", str(missing), "-o", str(tmp_path)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "文件不存在" in result.stderr


def test_failing_renderer_leaves_no_new_folder(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from deptbudget.commands import build

    def broken(d, path):  # type: ignore[no-untyped-def]
        Path(path).write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")

    writers = build._writers()
    monkeypatch.setattr(build, "_writers", lambda budget=None: {**writers, "json": ("disclosure.json", broken)})
    out = tmp_path / "new-out"
    assert main(["build", str(SMALL), "-o", str(out), "--formats", "html,json"]) == 1
    assert "disk full" in capsys.readouterr().err
    assert not out.exists()


def test_a_budget_source_is_read_once(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The disclosure and the HTML's provenance words come from one reading of the budget source."""
    from deptbudget.sources import yaml_source

    calls: list[str] = []
    real = yaml_source.load_budget

    def counting(path):  # type: ignore[no-untyped-def]
        calls.append(str(path))
        return real(path)

    monkeypatch.setattr(yaml_source, "load_budget", counting)
    assert main(["build", str(SMALL), "-o", str(tmp_path / "out"), "--formats", "html"]) == 0
    assert calls == [str(SMALL)]
    assert "预算源文件第" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")  # the budget reached it

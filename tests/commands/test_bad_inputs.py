"""Hostile input on the command line: a clear one-line error, the documented exit code, no traceback,
and no half-written result."""

from __future__ import annotations

from pathlib import Path

from deptbudget.cli import main

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "small.yaml"


def test_build_repeated_format_is_written_once(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    assert main(["build", str(SMALL), "-o", str(out), "--formats", "json,,JSON, json"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["disclosure.json"]
    assert "Traceback" not in capsys.readouterr().err

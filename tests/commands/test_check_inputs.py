"""`deptbudget check`: a source that is not text cannot be read (exit 2); one with problems is checked (exit 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deptbudget.cli import main

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small.yaml"


def test_binary_yaml_is_unreadable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\x00\x01\xff\xfe garbage")
    assert main(["check", "--json", str(bad)]) == 2
    (line,) = capsys.readouterr().out.splitlines()
    obj = json.loads(line)
    assert obj["ok"] is False and obj["findings"] == [] and "UTF-8" in obj["error"]


def test_source_with_problems_is_checked_not_unreadable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.read_text(encoding="utf-8").replace('func: "2080501"', 'func: "2089999"'), encoding="utf-8")
    assert main(["check", "--json", str(bad)]) == 1
    obj = json.loads(capsys.readouterr().out)
    assert "error" not in obj and any("2089999" in f["message"] for f in obj["findings"])

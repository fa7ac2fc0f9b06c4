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


def test_output_into_a_pipe_closed_early_ends_quietly() -> None:
    """``deptbudget check … | head -1``: the reader goes away; no traceback, the shell's status for SIGPIPE."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    command = [sys.executable, "-m", "deptbudget.cli", "check", str(root / "examples" / "luohu-2020.yaml")]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=root)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before the command writes its first line
    err = proc.stderr.read().decode("utf-8", "replace")
    assert proc.wait(timeout=120) == 141
    assert "Traceback" not in err and "BrokenPipeError" not in err

"""``deptbudget check``: JSON Lines output, human output, exit codes, unreadable inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deptbudget.cli import main
from deptbudget.model.disclosure import Disclosure
from deptbudget.model.serialize import dumps, loads
from deptbudget.rules import registry
from tests.rules.conftest import EXAMPLE, SEED

FIELDS = {"rule", "severity", "table", "row", "column", "expected", "actual", "message"}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["check", *args])
    return code, capsys.readouterr().out


def lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


@pytest.fixture
def clean_json(tmp_path: Path, example_text: str) -> Path:
    """The example as Disclosure JSON: no errors (its explained warnings come back as notes)."""
    disclosure: Disclosure = loads(example_text)
    path = tmp_path / "clean.json"
    path.write_text(dumps(disclosure), encoding="utf-8")
    return path


def test_json_lines_one_object_per_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    code, out = run(capsys, "--json", str(EXAMPLE), str(SEED), str(missing))
    assert code == 2  # one input cannot be read
    objects = lines(out)
    assert [o["path"] for o in objects] == [str(EXAMPLE), str(SEED), str(missing)]
    assert [o["ok"] for o in objects[:2]] == [True, False]  # the example is clean, the seed is not
    for obj in objects[:2]:
        assert set(obj) == {"path", "ok", "findings"}
        assert obj["findings"]  # the example's acknowledged warnings come back as notes
        for finding in obj["findings"]:
            assert set(finding) == FIELDS
            assert finding["severity"] in ("error", "warning", "note")
            assert finding["rule"] and finding["message"]
    assert set(objects[2]) == {"path", "ok", "findings", "error"}
    assert objects[2]["ok"] is False and objects[2]["findings"] == []
    assert "不存在" in objects[2]["error"]
    seed_rules = {f["rule"] for f in objects[1]["findings"]}
    assert {"CMP-TABLE-MISSING", "FMT-SEPARATOR", "CAT-NAME", "PERF-CALC-TOTAL"} <= seed_rules
    nulls = [f for f in objects[1]["findings"] if f["rule"] == "CMP-TABLE-MISSING"]
    assert nulls[0]["row"] is None and nulls[0]["column"] is None  # absent fields are null, never missing


def test_exit_0_when_no_error(capsys: pytest.CaptureFixture[str], clean_json: Path) -> None:
    code, out = run(capsys, "--json", str(clean_json))
    (obj,) = lines(out)
    assert code == 0, [f for f in obj["findings"] if f["severity"] == "error"]
    assert obj["ok"] is True
    assert all(f["severity"] != "error" for f in obj["findings"])


def test_exit_1_when_any_input_has_an_error(capsys: pytest.CaptureFixture[str], clean_json: Path) -> None:
    code, out = run(capsys, "--json", str(clean_json), str(SEED))
    assert code == 1
    assert [o["ok"] for o in lines(out)] == [True, False]


@pytest.mark.parametrize("name, content, reason", [
    ("broken.json", "{not json", "不是有效的披露数据"),
    ("other.json", '{"format": "something else"}', "不是有效的披露数据"),
    ("notes.bin", "\x00\x01\x02 binary", "无法读取"),
])
def test_unreadable_input_gets_its_own_line(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str,
                                            content: str, reason: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    code, out = run(capsys, "--json", str(path), str(SEED))
    assert code == 2
    first, second = lines(out)
    assert first["path"] == str(path) and first["ok"] is False and reason in first["error"]
    assert second["path"] == str(SEED) and "error" not in second


def test_directory_is_unreadable(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out = run(capsys, "--json", str(tmp_path))
    assert code == 2 and "目录" in lines(out)[0]["error"]


def test_budget_source_with_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "bad.yaml"
    text = (Path(__file__).parents[1] / "fixtures" / "small.yaml").read_text(encoding="utf-8")
    source.write_text(text.replace('func: "2060101", eco: "30101"', 'func: "2069998", eco: "30101"'),
                      encoding="utf-8")
    code, out = run(capsys, "--json", str(source))
    (obj,) = lines(out)
    assert code == 1 and obj["ok"] is False
    assert obj["findings"] and all(f["rule"] == "SRC-PROBLEM" and f["severity"] == "error"
                                   for f in obj["findings"])
    assert any("2069998" in f["message"] for f in obj["findings"])


def test_human_output_groups_by_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, str(SEED))
    assert code == 1
    assert "\033[" not in out  # no colour when stdout is not a terminal
    text = out.splitlines()
    assert text[0] == str(SEED)
    headings = [line.strip() for line in text if line.startswith("  ") and not line.startswith("    ")]
    tables = [h for h in headings if h.startswith("表")]
    assert tables == sorted(tables, key=lambda h: int(h[1:]))  # 表1, 表4, 表5 … in order
    assert "表5" in tables and "第七部分" in headings
    assert any("[错误] CMP-TABLE-MISSING" in line for line in text)
    assert text[-1].startswith("  未通过：") and "个错误" in text[-1] and "个提示" in text[-1]


def test_unknown_template(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--template", "no-such", str(SEED)]) == 2
    assert "no-such" in capsys.readouterr().err


def test_catalogs_loaded_once_for_many_paths(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                             clean_json: Path) -> None:
    calls: list[int] = []
    real = registry.load_catalog

    def counting(year: int):  # type: ignore[no-untyped-def]
        calls.append(year)
        return real(year)

    monkeypatch.setattr(registry, "load_catalog", counting)
    code, _ = run(capsys, "--json", str(clean_json), str(SEED), str(clean_json), str(SEED))
    assert code == 1
    assert calls == [2020]


def test_published_text_is_imported_and_checked(capsys: pytest.CaptureFixture[str]) -> None:
    """A published document (the seed text) goes through the importer and gets the seed's findings."""
    from tests.rules.test_seed import ERRORS

    text = SEED.with_suffix(".txt")
    code, out = run(capsys, "--json", str(text))
    (obj,) = lines(out)
    assert code == 1 and obj["path"] == str(text)
    found = {(f["rule"], f["severity"], f["table"], f["row"], f["column"], f["expected"], f["actual"])
             for f in obj["findings"]}
    # check reports each problem once: the wrong growth rate of 第七部分 comes from the text rule that
    # quotes the sentence (the checklist's ``overlaps`` keep TEXT-PCT-RECOMPUTE over NAR-GROWTH-RATE).
    assert {e for e in ERRORS if e[0] != "NAR-GROWTH-RATE"} <= found
    assert not any(f[0] == "NAR-GROWTH-RATE" for f in found)
    assert any(f[0] == "TEXT-PCT-RECOMPUTE" and f[2] == "第七部分" and "5.06%" in (f[6] or "") for f in found)


def test_document_of_an_unknown_template(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                         example_text: str) -> None:
    disclosure = loads(example_text)
    disclosure.template = "no-such-template"
    path = tmp_path / "other.json"
    path.write_text(dumps(disclosure), encoding="utf-8")
    code, out = run(capsys, "--json", str(path))
    assert code == 2 and "no-such-template" in lines(out)[0]["error"]

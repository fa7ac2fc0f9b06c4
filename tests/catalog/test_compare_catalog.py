"""scripts/compare_catalog.py: a published copy of a year's catalog judged row by row against the shipped data."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

from deptbudget.catalog import load_catalog, year_changes

ROOT = Path(__file__).resolve().parents[2]


def _script():
    spec = importlib.util.spec_from_file_location("compare_catalog", ROOT / "scripts" / "compare_catalog.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_each_row_gets_its_verdict(tmp_path: Path) -> None:
    """The official name (numbering aside), a name the code carried before (21305 扶贫, renamed 2021), another
    name, and a code our data lacks."""
    cat = load_catalog(2024)
    source = _write(tmp_path / "src.csv", "code,name\n"
                    "2010101,一、行政运行\n"
                    "21305,扶贫\n"
                    "2010102,一般事务\n"
                    "2019988,不存在的科目\n")
    script = _script()
    results = {r.code: r for r in script.compare(script.read_source(source, 2024, "exp_func"), 2024)
               if r.verdict != "extra"}
    assert {code: r.verdict for code, r in results.items()} == {
        "2010101": "agree", "21305": "old name", "2010102": "differ", "2019988": "missing"}
    assert results["2010102"].our_name == cat.name("exp_func", "2010102")


def test_a_code_recoded_since_is_reported_as_recoded(tmp_path: Path) -> None:
    """A code our data recodes in 2021 (the 其他… 项 from xx9901 to xx9999), printed by a 2021 source."""
    script = _script()
    change = next(c for c in year_changes(2021, "exp_func") if c.action == "recoded")
    source = _write(tmp_path / "src.csv", f"code,name\n{change.old_code},{change.old_name}\n")
    [result] = [r for r in script.compare(script.read_source(source, 2021, "exp_func"), 2021)
                if r.verdict != "extra"]
    assert result.verdict == "recoded" and result.our_name.startswith(f"→ {change.code}")


def test_extra_counts_our_entries_the_source_lacks_under_the_prefix(tmp_path: Path) -> None:
    """A source holding all of 234 but one 项: that one is extra, the rest agree; nothing outside 234 counts."""
    entries = [e for e in load_catalog(2022).entries("exp_func") if e.code.startswith("234")]
    left_out = entries[-1]
    rows = "".join(f"exp_func,2022,{e.code},{e.name}\n" for e in entries[:-1])
    source = _write(tmp_path / "src.csv", "kind,year,科目编码,科目名称\n" + rows + "exp_func,2023,2010101,行政运行\n")
    script = _script()
    results = script.compare(script.read_source(source, 2022, "income"), 2022, ("234",))
    assert Counter(r.verdict for r in results) == {"agree": len(entries) - 1, "extra": 1}
    assert [r.code for r in results if r.verdict == "extra"] == [left_out.code]
    lines = script.summary(results)
    assert lines[0].split("\t")[2:] == list(script.VERDICTS)


def test_tab_separated_source_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = _script()
    tsv = _write(tmp_path / "src.tsv", "编码\t名称\n2010101\t行政运行\n")
    assert script.main([str(tsv), "--year", "2026", "--prefix", "2010101"]) == 0
    assert capsys.readouterr().out.splitlines()[1].split("\t")[2] == "1"
    bad = _write(tmp_path / "bad.csv", "code,title\n2010101,行政运行\n")
    assert script.main([str(bad), "--year", "2026"]) == 2
    assert "bad.csv" in capsys.readouterr().err
    assert script.main([str(tsv), "--year", "2016"]) == 2

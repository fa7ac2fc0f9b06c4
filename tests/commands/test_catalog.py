"""`deptbudget catalog`: a year's entries (all, by code prefix or part of a name, as JSON lines) and
`catalog diff YEAR1 YEAR2` (every change between two years, both directions); years outside the data."""

from __future__ import annotations

import json

import pytest

from deptbudget.catalog import KINDS, available_years, changes_between, load_catalog
from deptbudget.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["catalog", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_lists_every_entry_of_the_latest_year(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--json")
    objects = [json.loads(line) for line in out.splitlines()]
    latest = load_catalog(available_years()[-1])
    assert code == 0
    assert len(objects) == sum(len(latest.entries(kind)) for kind in KINDS)
    first = objects[0]
    assert set(first) == {"year", "kind", "code", "name", "parent", "level", "source"}
    assert first["year"] == available_years()[-1] and first["level"] == 1 and first["parent"] is None
    entry = latest.get(first["kind"], first["code"])
    assert first["name"] == entry.name and first["source"] == entry.source


def test_query_by_code_prefix_and_by_name_part(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--year", "2020", "--kind", "exp_func", "--json", "20604")
    objects = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and objects and all(o["code"].startswith("20604") for o in objects)
    assert {o["code"] for o in objects} == {e.code for e in load_catalog(2020).entries("exp_func")
                                            if e.code.startswith("20604")}
    code, out, _ = run(capsys, "--year", "2020", "--kind", "dep_bgt_eco", "--json", "维修(护)")
    assert [json.loads(line)["code"] for line in out.splitlines()] == ["30213"]


def test_table_output_and_no_match(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--year", "2020", "--kind", "exp_func", "206")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("2020 年支出功能分类科目（exp_func）")
    assert lines[1].split() == ["206", "科学技术支出", "[类]"]
    assert any(line.split() == ["2060101", "行政运行", "[项]"] for line in lines)
    code, out, err = run(capsys, "--year", "2020", "没有这样的科目")
    assert code == 1 and out == "" and "没有符合" in err


@pytest.mark.parametrize("argv", [("--year", "2016"), ("--year", "2099"), ("diff", "2016", "2020"),
                                  ("diff", "2020", "2099")])
def test_year_outside_the_data_is_an_error_naming_the_years(capsys: pytest.CaptureFixture[str],
                                                            argv: tuple[str, ...]) -> None:
    code, out, err = run(capsys, *argv)
    first, last = available_years()[0], available_years()[-1]
    assert code == 2 and out == "" and f"{first}–{last}" in err and "Traceback" not in err


def test_diff_usage(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "diff", "2020")
    assert code == 2 and "diff YEAR1 YEAR2" in err


def test_diff_forwards_and_backwards(capsys: pytest.CaptureFixture[str]) -> None:
    first, last = available_years()[0], available_years()[-1]
    _, out, _ = run(capsys, "diff", str(first), str(last), "--json")
    forward = [json.loads(line) for line in out.splitlines()]
    _, out, _ = run(capsys, "diff", str(last), str(first), "--json")
    backward = [json.loads(line) for line in out.splitlines()]
    assert len(forward) == len(backward) == len(list(changes_between(first, last)))
    assert forward and all(o["direction"] == "forward" for o in forward)
    assert all(o["direction"] == "backward" for o in backward)
    swap = {"added": "removed", "removed": "added", "renamed": "renamed", "recoded": "recoded"}
    # read backwards, a change brings back what it took: the old code and name become the code and name
    undone = {(o["year"], o["kind"], swap[o["action"]], o["old_code"] or o["code"], o["old_name"]) for o in forward}
    assert {(o["year"], o["kind"], o["action"], o["code"], o["name"]) for o in backward} == undone
    _, table, _ = run(capsys, "diff", str(first), str(last))
    lines = table.splitlines()
    assert lines[0].startswith(f"{first} → {last} 年分类科目变动：{len(forward)} 条")
    assert lines[1].split()[:4] == ["年度", "种类", "变动", "编码"] and len(lines) == len(forward) + 2


def test_each_years_changes_lead_from_one_catalog_to_the_next() -> None:
    years = available_years()
    for year in years[1:]:
        before, after = load_catalog(year - 1), load_catalog(year)
        for change in changes_between(year - 1, year):
            if change.action in ("added", "recoded", "renamed"):
                assert after.name(change.kind, change.code) == change.name, change
            if change.action == "removed":
                assert after.find(change.kind, change.code) is None and \
                    before.name(change.kind, change.code) == change.old_name, change
            if change.action == "recoded":
                assert before.name(change.kind, change.old_code) == change.old_name, change


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_lists_its_own_entries_with_parent_and_level(capsys: pytest.CaptureFixture[str], kind: str) -> None:
    code, out, _ = run(capsys, "--year", "2024", "--kind", kind, "--json")
    objects = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(objects) == len(load_catalog(2024).entries(kind)) > 0
    assert {o["kind"] for o in objects} == {kind} and {o["year"] for o in objects} == {2024}
    by_code = {o["code"]: o for o in objects}
    for o in objects:
        if o["level"] == 1:
            assert o["parent"] is None, o
        else:  # the parent is listed, one level up, and its code starts the child's
            parent = by_code[o["parent"]]
            assert parent["level"] == o["level"] - 1 and o["code"].startswith(parent["code"]), o
        assert o["source"].startswith(("catalog:", "notice:", "observed:")), o


def test_several_queries_list_what_matches_any(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--year", "2020", "--kind", "dep_bgt_eco", "--json", "30211", "公务接待")
    assert [json.loads(line)["code"] for line in out.splitlines()] == ["30211", "30217"]


def test_the_year_chooses_the_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    """住房公积金 was 30311 until the 2018 reform, 30113 since."""
    for year, wanted in [(2017, "30311"), (2018, "30113"), (2026, "30113")]:
        _, out, _ = run(capsys, "--year", str(year), "--kind", "dep_bgt_eco", "--json", "住房公积金")
        assert [(o["year"], o["code"]) for o in map(json.loads, out.splitlines())] == [(year, wanted)]


def test_diff_by_kind(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "diff", "2017", "2018", "--kind", "gov_bgt_eco", "--json")
    objects = [json.loads(line) for line in out.splitlines()]
    assert objects and {(o["kind"], o["action"], o["year"]) for o in objects} == {("gov_bgt_eco", "added", 2018)}
    assert len(objects) == len([c for c in changes_between(2017, 2018) if c.kind == "gov_bgt_eco"])


def test_an_unknown_kind_is_refused_with_the_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["catalog", "--kind", "eco"])
    _, err = capsys.readouterr()
    assert exit_.value.code == 2 and all(kind in err for kind in KINDS) and "Traceback" not in err


def test_a_change_whose_year_is_unknown_is_shown_where_it_may_already_apply(capsys: pytest.CaptureFixture[str]) -> None:
    """change_dates.csv: 2050302 renamed in 2025, 2060208 added in 2026 (first seen), perhaps from 2021 — the 2023
    listing names both beside that year's entries, the JSON stays that year's entries, diff says the window."""
    code, out, _ = run(capsys, "--year", "2023", "--kind", "exp_func", "2050302", "2060208")
    assert code == 0
    assert "2050302 中专教育 [项]（或“中等职业教育”：以后年度的更名，可能本年已用）" in out
    assert "2060208 科技人才队伍建设 [项]（以后年度新增，可能本年已用）" in out
    assert "1 条；另 1 条以后年度新增" in out
    code, out, _ = run(capsys, "--year", "2023", "--kind", "exp_func", "2050302", "2060208", "--json")
    assert code == 0 and [json.loads(line)["name"] for line in out.splitlines()] == ["中专教育"]
    code, out, _ = run(capsys, "--year", "2020", "--kind", "exp_func", "2060208")
    assert code == 1 and "科技人才" not in out  # before its earliest year: nothing
    _, out, _ = run(capsys, "diff", "2025", "2026", "--kind", "exp_func", "--json")
    dated = {o["code"]: o["earliest"] for o in map(json.loads, out.splitlines())}
    assert dated["2060204"] == 2021 and dated["2060208"] == 2021
    _, out, _ = run(capsys, "diff", "2025", "2026", "--kind", "exp_func")
    assert any(line.startswith("2026（可能早至 2021 年）") and "2060204" in line for line in out.splitlines())

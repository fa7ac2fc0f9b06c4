"""change_dates.csv: a change dated only by the first text that shows it may have been made earlier, so the
catalogs of the years between accept what it brings (a new code, a new name) beside what they hold — and the
rows of that file are checked like every other data row."""

from __future__ import annotations

from pathlib import Path

import pytest

from deptbudget.catalog import CatalogError, load_catalog
from deptbudget.catalog.lookup import CatalogData
from deptbudget.rules.catalog_rules import judge
from tests.catalog.test_years import CHANGES, write_data

DATED = {2022: ["exp_func,added,2010102,一般行政管理事务,,,observed:x#p1,首见",
                "exp_func,renamed,21305,巩固脱贫攻坚成果衔接乡村振兴,,巩固脱贫衔接乡村振兴,observed:y#p2,首见"]}


def _data(tmp_path: Path, dates: list[str]) -> CatalogData:
    root = write_data(tmp_path, {2021: CHANGES[2021], **DATED})
    (root / "change_dates.csv").write_text("\n".join(["kind,code,year,earliest,latest,note", *dates, ""]),
                                           encoding="utf-8")
    return CatalogData(root)


def test_a_dated_change_is_accepted_from_its_earliest_year(tmp_path: Path) -> None:
    data = _data(tmp_path, ["exp_func,2010102,2022,2020,,首见于 2022 年", "exp_func,21305,2022,2021,,同上"])
    y2019, y2020, y2021 = (data.catalog(y) for y in (2019, 2020, 2021))
    assert y2019.anticipated("exp_func", "2010102") == [] and y2021.find("exp_func", "2010102") is None
    [ahead] = y2020.anticipated("exp_func", "2010102")
    assert (ahead.name, ahead.level, ahead.parent_code) == ("一般行政管理事务", 3, "20101")
    assert ahead.source == "observed:x#p1"
    assert judge(y2021, "exp_func", "2010102", "一般行政管理事务").status == "exact"
    assert judge(y2021, "exp_func", "2010102", "一般管理事务").status == "wrong"
    assert judge(y2019, "exp_func", "2010102", "一般行政管理事务").status == "unknown"
    # a rename: both names in the window, only the old one before it
    assert judge(y2021, "exp_func", "21305", "巩固脱贫攻坚成果衔接乡村振兴").status == "exact"
    assert judge(y2021, "exp_func", "21305", "巩固脱贫衔接乡村振兴").status == "exact"
    assert judge(y2020, "exp_func", "21305", "巩固脱贫攻坚成果衔接乡村振兴").status == "wrong"
    assert judge(data.catalog(2022), "exp_func", "21305", "巩固脱贫衔接乡村振兴").status == "old_name"
    [change] = [c for c in data.changes[2022] if c.code == "21305"]
    assert change.earliest == 2021 and change.dating() == "（可能早至 2021 年）"
    assert [c.earliest for c in data.changes[2021]] == [None, None]


def test_a_rename_old_texts_still_print_may_be_later(tmp_path: Path) -> None:
    """``latest``: texts of a year after the rename still print the old name — in those years it is exact."""
    data = _data(tmp_path, ["exp_func,21305,2021,,2022,2022 年文件仍印旧名"])
    y2021 = data.catalog(2021)
    assert judge(y2021, "exp_func", "21305", "扶贫").status == "exact"
    assert judge(y2021, "exp_func", "21305", "巩固脱贫衔接乡村振兴").status == "exact"
    assert judge(data.catalog(2020), "exp_func", "21305", "巩固脱贫衔接乡村振兴").status == "wrong"
    [change] = [c for c in data.changes[2021] if c.code == "21305"]
    assert (change.earliest, change.latest, change.dating()) == (None, 2022, "（可能晚至 2022 年）")


@pytest.mark.parametrize(("row", "fragment"), [
    ("exp_func,2010102,2022,2022,,x", "earliest < year"),
    ("exp_func,2010102,2022,2017,,x", "earliest < year"),
    ("exp_func,2010102,2030,2020,,x", "earliest < year"),
    ("exp_func,21305,2021,,2021,x", "year < latest"),
    ("exp_func,21305,2021,,2023,x", "latest <= 2022"),
    ("exp_func,2010102,2022,,,x", "earliest or latest must be years"),
    ("exp_func,2010102,二〇二二,2020,,x", "must be years"),
    ("exp_func,2010101,2022,2020,,x", "no change of 2022 (added, renamed, recoded) for 2010101"),
    ("exp_func,2010102,2021,,2022,x", "no change of 2021 (renamed) for 2010102"),
    ("exp_func,2010102,2022,2020,x", "expected 6 columns"),
])
def test_a_broken_dates_row_names_file_line_and_problem(tmp_path: Path, row: str, fragment: str) -> None:
    with pytest.raises(CatalogError) as raised:
        _data(tmp_path, ["exp_func,21305,2022,2021,,ok", row])
    assert "change_dates.csv" in str(raised.value) and "3" in str(raised.value) and fragment in str(raised.value)


def test_the_shipped_dates_reach_the_rules() -> None:
    """中等职业教育 first seen in 2026 documents: a 2023 document printing it is right, so is one printing 中专教育."""
    y2023, y2020 = load_catalog(2023), load_catalog(2020)
    assert judge(y2023, "exp_func", "2050302", "中等职业教育").status == "exact"
    assert judge(y2023, "exp_func", "2050302", "中专教育").status == "exact"
    assert judge(y2020, "exp_func", "2050302", "中等职业教育").status == "wrong"
    assert judge(y2023, "exp_func", "2060208", "科技人才队伍建设").status == "exact"
    # a code-name cell cut where it wrapped (北京's layout) is read as for any other code
    assert judge(y2023, "exp_func", "2060208", "科技人才队伍", joined=True).status == "exact"
    assert judge(y2023, "exp_func", "2060208", "科技人才队伍").status == "wrong"

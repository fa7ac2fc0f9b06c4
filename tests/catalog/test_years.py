"""The catalog of every year from one base and the changes of each year: forwards, backwards, old names,
fallback for later years, and errors that name file, line and problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from deptbudget.catalog import KINDS, CatalogError, available_years, load_catalog
from deptbudget.catalog.lookup import CatalogData

CONFIG = "base_year: 2020\nfirst_year: 2018\nlast_year: 2022\nkinds: [exp_func, dep_bgt_eco, gov_bgt_eco, income]\n"
BASE = {
    "exp_func.csv": ["201,一般公共服务支出,catalog:2020", "20101,人大事务,catalog:2020",
                     "2010101,行政运行,catalog:2020", "2010150,其他人大事务支出,catalog:2020",
                     "213,农林水支出,catalog:2020", "21305,扶贫,catalog:2020", "2130501,行政运行,catalog:2020"],
    "dep_bgt_eco.csv": ["301,工资福利支出,catalog:2020", "30113,住房公积金,catalog:2020",
                        "303,对个人和家庭的补助,catalog:2020"],
    "gov_bgt_eco.csv": ["501,机关工资福利支出,catalog:2020"],
    "income.csv": ["101,税收收入,catalog:2020", "10101,增值税,catalog:2020", "1010101,国内增值税,catalog:2020",
                   "101010101,国有企业增值税,catalog:2020"],
}
HEAD = "kind,action,code,name,old_code,old_name,source,note"
CHANGES = {
    2021: ["exp_func,renamed,21305,巩固脱贫衔接乡村振兴,,扶贫,catalog:2021,",
           "exp_func,recoded,2010199,其他人大事务支出,2010150,其他人大事务支出,catalog:2021,其他项改 99"],
    2022: ["exp_func,added,2010102,一般行政管理事务,,,catalog:2022,"],
    2020: ["exp_func,recoded,2010150,其他人大事务支出,2010109,其他人大事务支出,catalog:2020,",
           "dep_bgt_eco,recoded,30113,住房公积金,30311,住房公积金,catalog:2020,30311 改为 30113",
           "exp_func,added,2130501,行政运行,,,catalog:2020,"],
}


def write_data(root: Path, changes: dict[int, list[str]] | None = None, base: dict[str, list[str]] | None = None,
               config: str = CONFIG) -> Path:
    (root / "base").mkdir(parents=True)
    (root / "catalog.yaml").write_text(config, encoding="utf-8")
    for name, rows in (base or BASE).items():
        (root / "base" / name).write_text("\n".join(["code,name,source", *rows, ""]), encoding="utf-8")
    for year, rows in (changes or {}).items():
        folder = root / "changes" / str(year)
        folder.mkdir(parents=True)
        (folder / "changes.csv").write_text("\n".join([HEAD, *rows, ""]), encoding="utf-8")
    return root


def test_later_years_apply_their_changes(tmp_path: Path) -> None:
    data = CatalogData(write_data(tmp_path, {2021: CHANGES[2021], 2022: CHANGES[2022]}))
    assert data.years == [2018, 2019, 2020, 2021, 2022]
    y2020, y2021, y2022 = (data.catalog(y) for y in (2020, 2021, 2022))
    assert y2020.name("exp_func", "21305") == "扶贫" and y2021.name("exp_func", "21305") == "巩固脱贫衔接乡村振兴"
    assert y2021.find("exp_func", "2010150") is None and y2021.name("exp_func", "2010199") == "其他人大事务支出"
    assert y2021.find("exp_func", "2010102") is None and y2022.name("exp_func", "2010102") == "一般行政管理事务"
    assert y2022.get("exp_func", "2010102").source == "catalog:2022"
    assert y2022.get("exp_func", "201").source == "catalog:2020"


def test_earlier_years_undo_the_changes(tmp_path: Path) -> None:
    data = CatalogData(write_data(tmp_path, {2020: CHANGES[2020], 2021: CHANGES[2021]}))
    y2019 = data.catalog(2019)
    assert y2019.find("exp_func", "2130501") is None and y2019.find("exp_func", "2010150") is None
    assert y2019.name("exp_func", "2010109") == "其他人大事务支出"
    assert y2019.name("dep_bgt_eco", "30311") == "住房公积金" and y2019.find("dep_bgt_eco", "30113") is None
    assert data.catalog(2018).find("dep_bgt_eco", "30311") is not None
    assert data.catalog(2021).find("exp_func", "2010109") is None
    [former] = data.catalog(2021).former_names("dep_bgt_eco", "30113") or [None]
    assert former is None  # recoded under the same name: no old name, but an old code
    assert data.catalog(2020).successor("dep_bgt_eco", "30311").code == "30113"


def test_undo_then_redo_gives_the_base(tmp_path: Path) -> None:
    from deptbudget.catalog.changes import ParentOf, apply_year

    data = CatalogData(write_data(tmp_path, {2021: CHANGES[2021], 2022: CHANGES[2022]}))
    state = {kind: dict(slots) for kind, slots in data.states[2022].items()}
    parent_of = ParentOf({kind: KINDS[kind][1] for kind in KINDS})
    for year in (2022, 2021):
        apply_year(state, [c.reversed() for c in data.changes[year]], year - 1, year, parent_of)
    names = {kind: {code: slot.name for code, slot in slots.items()} for kind, slots in state.items()}
    base = {kind: {code: slot.name for code, slot in slots.items()} for kind, slots in data.states[2020].items()}
    assert names == base
    for year in (2021, 2022):
        apply_year(state, data.changes[year], year, year - 1, parent_of)
    assert {k: {c: s.name for c, s in v.items()} for k, v in state.items()} == \
        {k: {c: s.name for c, s in v.items()} for k, v in data.states[2022].items()}


def test_old_names_and_old_codes_by_year(tmp_path: Path) -> None:
    data = CatalogData(write_data(tmp_path, {2021: CHANGES[2021], 2022: CHANGES[2022]}))
    y2020, y2022 = data.catalog(2020), data.catalog(2022)
    assert y2020.old_names("exp_func", "21305") == []
    [former] = y2022.former_names("exp_func", "21305")
    assert (former.name, former.renamed_in, former.new_name, former.source) == ("扶贫", 2021, "巩固脱贫衔接乡村振兴",
                                                                             "catalog:2021")
    assert y2022.old_names("exp_func", "21305") == ["扶贫"]
    assert y2022.old_names("exp_func", "2010199") == []  # recoded under the same name: no old name
    successor = y2022.successor("exp_func", "2010150")
    assert successor is not None and successor.code == "2010199"
    fate = y2022.fate("exp_func", "2010150")
    assert fate is not None and (fate.year, fate.action) == (2021, "recoded")
    assert y2020.successor("exp_func", "2010150") is None  # still the code in 2020
    assert [c.year for c in data.history.of("exp_func", "21305")] == [2021]


def test_income_kind_has_four_levels(tmp_path: Path) -> None:
    cat = CatalogData(write_data(tmp_path)).catalog(2020)
    assert [(e.code, e.level, e.parent_code) for e in cat.entries("income")] == [
        ("101", 1, None), ("10101", 2, "101"), ("1010101", 3, "10101"), ("101010101", 4, "1010101")]


def test_kind_not_shipped_is_empty(tmp_path: Path) -> None:
    base = {k: v for k, v in BASE.items() if k != "income.csv"}
    config = CONFIG.replace(", income]", "]")
    cat = CatalogData(write_data(tmp_path, base=base, config=config)).catalog(2020)
    assert cat.entries("income") == [] and cat.find("income", "101") is None


def test_year_outside_the_data(tmp_path: Path) -> None:
    data = CatalogData(write_data(tmp_path))
    with pytest.raises(CatalogError, match="2018–2022") as info:
        data.catalog(2017)
    assert "2017" in str(info.value)


@pytest.mark.parametrize(("year", "row", "fragments"), [
    (2021, "exp_func,renamed,21399,x支出,,扶贫,catalog:2021,", ["does not exist in the catalog of 2020", "21399"]),
    (2021, "exp_func,renamed,21305,新名,,脱贫,catalog:2021,", ["named '扶贫' in 2020, not '脱贫'"]),
    (2021, "exp_func,added,2010101,行政运行,,,catalog:2021,", ["already exists in 2020"]),
    (2021, "exp_func,removed,20101,,,人大事务,catalog:2021,", ["child", "2010101"]),
    (2021, "exp_func,added,2010201,行政运行,,,catalog:2021,", ["parent 20102 of 2010201 is missing"]),
    (2021, "exp_func,recoded,2010199,其他,2010160,其他,catalog:2021,", ["2010160 does not exist"]),
    (2021, "exp_func,moved,2010199,其他,,,catalog:2021,", ["action 'moved'"]),
    (2021, "exp_fun,added,2010102,一般行政管理事务,,,catalog:2021,", ["kind 'exp_fun'"]),
    (2021, "exp_func,added,2010102,一般行政管理事务,,,,", ["source is empty"]),
    (2021, "exp_func,added,201010,一般行政管理事务,,,catalog:2021,", ["3/5/7 digits"]),
    (2021, "exp_func,added,2010102,一般行政(管理)事务,,,catalog:2021,", ["ASCII ()"]),
    (2021, "exp_func,removed,2010101,行政运行,,,catalog:2021,", ["removed leaves name empty"]),
    (2021, "exp_func,recoded,2010199,其他,,其他,catalog:2021,", ["recoded needs old_code"]),
    (2021, "exp_func,recoded,2010199,其他,20101,其他,catalog:2021,", ["different levels"]),
    (2020, "exp_func,added,2010102,一般行政管理事务,,,catalog:2020,", ["does not exist in the catalog of 2020"]),
])
def test_broken_change_file_names_file_line_and_problem(tmp_path: Path, year: int, row: str,
                                                        fragments: list[str]) -> None:
    harmless = {2020: "gov_bgt_eco,added,501,机关工资福利支出,,,catalog:2020,",
                2021: "gov_bgt_eco,added,502,机关商品和服务支出,,,catalog:2021,"}
    write_data(tmp_path, {year: [harmless[year], row]})
    with pytest.raises(CatalogError) as info:
        CatalogData(tmp_path)
    message = str(info.value)
    assert f"changes/{year}/changes.csv 第 3 行" in message
    assert "Traceback" not in message
    for fragment in fragments:
        assert fragment in message


def test_child_left_without_parent_names_the_row_that_removed_it(tmp_path: Path) -> None:
    write_data(tmp_path, {2021: ["exp_func,removed,20101,,,人大事务,catalog:2021,"]})
    with pytest.raises(CatalogError, match=r"changes\.csv:2: 20101 is taken away but its child 2010101"):
        CatalogData(tmp_path)


def test_new_entry_without_parent_names_its_row(tmp_path: Path) -> None:
    write_data(tmp_path, {2022: ["exp_func,added,2010201,行政运行,,,catalog:2022,"]})
    with pytest.raises(CatalogError, match=r"changes\.csv:2: parent 20102 of 2010201 is missing in the catalog of 20"):
        CatalogData(tmp_path)


def test_a_code_changed_twice_in_a_year(tmp_path: Path) -> None:
    write_data(tmp_path, {2021: ["exp_func,renamed,21305,甲,,扶贫,catalog:2021,",
                                 "exp_func,removed,21305,,,扶贫,catalog:2021,"]})
    with pytest.raises(CatalogError, match="changes twice in 2021"):
        CatalogData(tmp_path)


def test_a_code_freed_and_taken_the_same_year(tmp_path: Path) -> None:
    data = CatalogData(write_data(tmp_path, {2021: [
        "exp_func,recoded,2010199,其他人大事务支出,2010150,其他人大事务支出,catalog:2021,",
        "exp_func,added,2010150,人大代表履职能力提升,,,catalog:2021,"]}))
    assert data.catalog(2021).name("exp_func", "2010150") == "人大代表履职能力提升"
    assert data.catalog(2021).name("exp_func", "2010199") == "其他人大事务支出"
    assert data.catalog(2020).name("exp_func", "2010150") == "其他人大事务支出"
    assert data.catalog(2020).find("exp_func", "2010199") is None


@pytest.mark.parametrize(("file", "text", "fragment"), [
    ("base/exp_func.csv", "code,name,source\n206,科学技术支出,s\n2060101,行政运行,s\n", "parent code 20601"),
    ("base/exp_func.csv", "code,name,source\n206,科学技术支出,s\n206,科学技术支出,s\n", "duplicate"),
    ("base/exp_func.csv", "code,name,source\n206,科学技术支出,s\n2060,科学,s\n", "3/5/7 digits"),
    ("base/exp_func.csv", "code,name,source\n206,,s\n", "empty"),
    ("base/exp_func.csv", "code,name,source\n206,科学技术支出,s,x\n", "columns"),
    ("base/exp_func.csv", "编码,名称,来源\n206,科学技术支出,s\n", "header"),
    ("changes/2021/a.csv", "kind,action\nexp_func,added\n", "header"),
])
def test_broken_base_file(tmp_path: Path, file: str, text: str, fragment: str) -> None:
    write_data(tmp_path)
    (tmp_path / file).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / file).write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        CatalogData(tmp_path)
    assert file.split("/")[-1] in str(info.value) and fragment in str(info.value)


def test_missing_base_file(tmp_path: Path) -> None:
    write_data(tmp_path)
    (tmp_path / "base" / "gov_bgt_eco.csv").unlink()
    with pytest.raises(CatalogError, match="gov_bgt_eco.csv"):
        CatalogData(tmp_path)


@pytest.mark.parametrize("config", ["first_year: 2018\n", "base_year: 2020\nfirst_year: 2021\n",
                                    "base_year: 2020\nkinds: [exp_func, nope]\n"])
def test_broken_config(tmp_path: Path, config: str) -> None:
    with pytest.raises(CatalogError, match="catalog.yaml"):
        CatalogData(write_data(tmp_path, config=config))


# --- the shipped data --------------------------------------------------------------------------

def test_shipped_years() -> None:
    assert available_years() == list(range(2017, 2027))


def test_every_shipped_year_loads_without_note() -> None:
    for year in available_years():
        cat = load_catalog(year)
        assert (cat.fiscal_year, cat.requested_year, cat.note) == (year, year, None)


def test_a_year_after_the_data_falls_back_with_a_note() -> None:
    later = load_catalog(2029)
    assert later.fiscal_year == 2026 and later.requested_year == 2029
    assert later.note is not None and "2029" in later.note and "2026" in later.note
    assert load_catalog(2029) is later
    with pytest.raises(CatalogError, match="2017–2026"):
        load_catalog(2029, exact=True)


def test_a_year_before_the_data_is_an_error_naming_the_years() -> None:
    with pytest.raises(CatalogError, match="2017–2026") as info:
        load_catalog(2016)
    assert "2016" in str(info.value)

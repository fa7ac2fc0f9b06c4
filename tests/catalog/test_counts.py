"""The shipped catalogs of every year 2017–2026: entries per kind and level, and each year's changes — the
contract of issue 13 (a change to the data that changes these numbers must change them here, knowingly).
Then what must hold between the numbers: a year's counts are the year before's with its changes, and
undoing every change from the last year back to the base, then redoing them, gives the same catalogs."""

from __future__ import annotations

from collections import Counter

import pytest

from deptbudget.catalog import KINDS, available_years, load_catalog, year_changes
from deptbudget.catalog.changes import ParentOf, apply_year
from deptbudget.catalog.lookup import shipped

# entries per level: exp_func 类/款/项, dep_bgt_eco and gov_bgt_eco 类/款, income 类/款/项/目
# Session 22 (notices verified, docs/catalogs.md): 2024 +1 款 (22006, 财预〔2024〕22号); 2025 +2 款 (22911, 23107)
# and +1 项 (2170404, 财预〔2025〕41号) — so exp_func 款 249→250 (2024), →252 (2025, 2026), 项 1266→1267 (2025),
# 1269→1270 (2026). The 2024 renames of 21305 and 2130599 (财预〔2023〕83号) change no count.
# Session 23: the 款 11004 政府性基金转移支付收入 and 23004 政府性基金转移支付 (named in 财预〔2024〕22号) in every
# year (income 款 +1, exp_func 款 +1), and the 项 that notice adds under them, 1100412 and 2300412 (2024 on).
# Session 24 (docs/catalogs.md, dated by the first year a published allocation notice names them): income 项
# 1100258 (2019 on), 1100249 (2020 on), 1100248 (2022 on) — income 项 2019 11→12, 2020–2021 →13, 2022–2023 →14,
# 2024 13→16, 2025–2026 16→19; exp_func 项 2300248 and 2300258 (2023 on) — 2023 1252→1254, 2024 1267→1269,
# 2025 1268→1270, 2026 1271→1273. Then income 项 1100299 and 1100308 (2018 on), 1100260 (2019 on), 1100245 (2021
# on), 1100208 (2023 on) — income 项 2018 11→13, 2019 →15, 2020 →16, 2021 →17, 2022 →18, 2023 →19, 2024 →21,
# 2025–2026 →24; exp_func 项 2300208 (2025 on) — 2025 →1271, 2026 →1274.
# Session 27 (published allocation notices, docs/catalogs.md "Session 27"): income 项 of 11002 dated by the first
# notice that prints them — 1100202/07/08/12/21/26/27/28/29 (2018 on; 1100208 was 2023), 1100250 (2019),
# 1100252 (2020), 1100230/47/53 (2021) — and 1100260 renamed 2023; the 转移性支出 项 of 230 set against them
# (2300202 … 2300308 in the base, 2300230/45/47/53 from 2021, 2300260 renamed 2023): exp_func 项 +14 every year,
# +18 from 2021; 2020 exp_func renamed 5→6 (2130701 对村级一事一议的补助 → 对村级公益事业建设的补助). Round 2: 2101704
# 中医（民族医）药专项 added 2024 (项 +1 from 2024); 2050302's rename dated 2025 (a 2025 text), not 2026; 2210111
# 配租型住房保障 added 2025; 2200111 地质灾害防治 in 2017–2018, recoded 2019 to 2240601; income 1100246 (2020),
# 1100311 (2023), 1100313 (2024) added, 1100212 renamed 2019; the 230 项 now follow the income 项's dating (the
# 2018 ones absent in 2017, 2300250 from 2019, 2300249/52/46 from 2020 …) — the numbers below are the data's.
# Round 3: 20815 自然灾害生活救助 and 2081503 in 2017–2018 (removed 2019); 2080208's rename dated 2021 (was 2019);
# 2220199's 2017–2018 name 其他粮油事务支出 (renamed 2019 with 22201); income 1100224 (2018), 1100244 (2024) and
# 1100248 first seen 2020 (was 2022), with their 230 counterparts.
COUNTS = {
    2017: {"exp_func": (28, 241, 1179), "dep_bgt_eco": (12, 94), "gov_bgt_eco": (0, 0), "income": (4, 38, 11, 0)},
    2018: {"exp_func": (28, 241, 1191), "dep_bgt_eco": (10, 96), "gov_bgt_eco": (15, 60), "income": (4, 39, 23, 0)},
    2019: {"exp_func": (29, 245, 1251), "dep_bgt_eco": (10, 96), "gov_bgt_eco": (15, 60), "income": (4, 39, 26, 0)},
    2020: {"exp_func": (30, 247, 1274), "dep_bgt_eco": (10, 96), "gov_bgt_eco": (15, 60), "income": (4, 39, 30, 0)},
    2021: {"exp_func": (30, 246, 1274), "dep_bgt_eco": (10, 96), "gov_bgt_eco": (15, 60), "income": (4, 39, 34, 0)},
    2022: {"exp_func": (30, 246, 1275), "dep_bgt_eco": (10, 96), "gov_bgt_eco": (15, 60), "income": (4, 39, 34, 0)},
    2023: {"exp_func": (30, 246, 1276), "dep_bgt_eco": (10, 96), "gov_bgt_eco": (15, 60), "income": (4, 39, 35, 0)},
    2024: {"exp_func": (30, 251, 1294), "dep_bgt_eco": (10, 98), "gov_bgt_eco": (15, 60), "income": (4, 39, 39, 0)},
    2025: {"exp_func": (30, 253, 1296), "dep_bgt_eco": (10, 98), "gov_bgt_eco": (15, 60), "income": (4, 39, 42, 0)},
    2026: {"exp_func": (30, 253, 1299), "dep_bgt_eco": (10, 100), "gov_bgt_eco": (15, 60), "income": (4, 39, 42, 0)},
}

# the change rows of each year (from the catalog of the year before), by kind and action
CHANGES = {
    2018: {"dep_bgt_eco added": 20, "dep_bgt_eco recoded": 1, "dep_bgt_eco removed": 20, "dep_bgt_eco renamed": 6,
           "exp_func added": 12, "gov_bgt_eco added": 75, "income added": 13},
    2019: {"exp_func added": 119, "exp_func recoded": 17, "exp_func removed": 54, "exp_func renamed": 42,
           "income added": 3, "income renamed": 1},
    2020: {"exp_func added": 26, "exp_func renamed": 6, "income added": 4},
    2021: {"exp_func added": 9, "exp_func recoded": 9, "exp_func removed": 10, "exp_func renamed": 9,
           "income added": 4},
    2022: {"exp_func added": 1},
    2023: {"exp_func added": 1, "exp_func renamed": 1, "income added": 1, "income renamed": 1},
    2024: {"dep_bgt_eco added": 3, "dep_bgt_eco removed": 1, "exp_func added": 23, "exp_func renamed": 2,
           "income added": 4},
    2025: {"exp_func added": 4, "exp_func renamed": 1, "income added": 3},
    2026: {"dep_bgt_eco added": 2, "dep_bgt_eco renamed": 1, "exp_func added": 3, "exp_func renamed": 4,
           "gov_bgt_eco renamed": 5},
}


def level_counts(year: int, kind: str) -> tuple[int, ...]:
    levels = Counter(e.level for e in load_catalog(year).entries(kind))
    return tuple(levels[level] for level in range(1, len(KINDS[kind][1]) + 1))


def test_the_years_stated_are_the_years_shipped() -> None:
    assert sorted(COUNTS) == available_years() and sorted(CHANGES) == available_years()[1:]


@pytest.mark.parametrize("year", sorted(COUNTS))
def test_counts_per_kind_and_level(year: int) -> None:
    assert {kind: level_counts(year, kind) for kind in KINDS} == COUNTS[year]


@pytest.mark.parametrize("year", sorted(CHANGES))
def test_changes_of_each_year(year: int) -> None:
    found = Counter(f"{c.kind} {c.action}" for c in year_changes(year))
    assert dict(sorted(found.items())) == CHANGES[year]


@pytest.mark.parametrize("year", sorted(CHANGES))
def test_counts_follow_from_the_changes(year: int) -> None:
    """Each level's count is the year before's, plus the entries brought, minus those taken away."""
    for kind, (_, lengths) in KINDS.items():
        delta = Counter()
        for change in year_changes(year, kind):
            if (brought := change.brought()) is not None:
                delta[lengths.index(len(brought[0]))] += 1
            if (taken := change.taken()) is not None:
                delta[lengths.index(len(taken[0]))] -= 1
        before, after = COUNTS[year - 1][kind], COUNTS[year][kind]
        assert tuple(b + delta[i] for i, b in enumerate(before)) == after, (year, kind)


def test_undo_to_the_base_and_redo_gives_the_same_catalogs() -> None:
    data = shipped()
    base, last = data.config.base_year, data.years[-1]
    parent_of = ParentOf({kind: KINDS[kind][1] for kind in KINDS})
    state = {kind: dict(slots) for kind, slots in data.states[last].items()}
    for year in range(last, base, -1):
        apply_year(state, [c.reversed() for c in data.changes[year]], year - 1, year, parent_of)

    def names(s: dict) -> dict:
        return {kind: {code: slot.name for code, slot in slots.items()} for kind, slots in s.items()}

    assert names(state) == names(data.states[base])
    for year in range(base + 1, last + 1):
        apply_year(state, data.changes[year], year, year - 1, parent_of)
    assert names(state) == names(data.states[last])


def test_every_entry_of_every_year_has_a_source() -> None:
    prefixes = ("catalog:", "notice:", "observed:")
    for year in available_years():
        cat = load_catalog(year)
        bad = [(k, e.code, e.source) for k in KINDS for e in cat.entries(k) if not e.source.startswith(prefixes)]
        assert not bad, (year, bad[:5])

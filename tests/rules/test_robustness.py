"""Rules never fail on a damaged document: tables missing, cells unreadable, rows out of place.

Documents from elsewhere are imported as they are; every rule must report what it can and skip what
it cannot read. A rule that raised would be reported as a finding saying so (registry.CRASH).
"""

from __future__ import annotations

import random
from decimal import Decimal

from deptbudget.model.disclosure import Disclosure, Part, Section
from deptbudget.model.serialize import loads
from deptbudget.rules.registry import CRASH
from tests.rules.conftest import check
from tests.rules.mutations import MUTATORS


def _damage(d: Disclosure, rng: random.Random) -> None:
    for _ in range(rng.randint(3, 12)):
        kind = rng.choice(list(MUTATORS))
        MUTATORS[kind](d, rng)
    if rng.random() < 0.5 and d.tables:
        d.tables.remove(rng.choice(d.tables))
    for table in d.tables:
        for row in table.rows:
            for cell in row.cells.values():
                roll = rng.random()
                if roll < 0.02:
                    cell.value, cell.parse_error, cell.text = None, "无法识别", "12.3O"
                elif roll < 0.03:
                    cell.text = ""
                elif roll < 0.04 and cell.value is not None:
                    cell.value = -cell.value - Decimal(1)
        if rng.random() < 0.1:
            table.rows.reverse()
        if rng.random() < 0.05:
            table.rows.clear()
    if rng.random() < 0.3:
        d.parts = [p for p in d.parts if rng.random() < 0.7]
    if rng.random() < 0.3:
        d.parts.append(Part(3, "第三部分", [Section("", ["（四）项目支出1,0.0万元，具体包括：", "万元", "比增加%"])]))
    if rng.random() < 0.2:
        d.contents = []


def test_no_rule_fails_on_damaged_documents(example_text: str) -> None:
    rng = random.Random(7)
    for _ in range(25):
        disclosure = loads(example_text)
        _damage(disclosure, rng)
        crashed = [f for f in check(disclosure) if CRASH in f.message]
        assert crashed == []


def test_no_rule_fails_on_an_empty_document() -> None:
    findings = check(Disclosure(template="shenzhen-15", fiscal_year=2020, unit_name="", title=""))
    assert not [f for f in findings if CRASH in f.message]
    assert {f.rule for f in findings} >= {"CMP-TABLE-MISSING", "CMP-PARTS", "CMP-CONTENTS"}


def test_a_year_without_catalog_is_still_checked(example_text: str) -> None:
    disclosure = loads(example_text)
    disclosure.fiscal_year = 1990  # no catalog: the catalog rules stand aside, the others run
    findings = check(disclosure)
    assert not [f for f in findings if CRASH in f.message]
    assert not [f for f in findings if f.rule.startswith("CAT-")]

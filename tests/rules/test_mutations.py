"""Mutation test: single random changes to a clean generated Disclosure are reported by some rule.

The base is the generated example (examples/luohu-2020.yaml): what our generator computes is clean
(test_example.py), and the findings it already has (表15 texts copied from the seed) are the baseline;
a mutation is *detected* when some rule reports a new error or warning. A new note alone does not
count: a note says the difference is within rounding, and every change here is larger than rounding.

Kinds of change (tests/rules/mutations.py), a few hundred in all with a fixed seed: an amount changed
by 0.20 万元 or more; a classification code replaced by another code of the catalog or swapped with
another row's; a row of a table dropped; a classification, project, unit or fixed-row name misspelt;
a figure the narrative states changed in its paragraph.

What cannot be detected by nature, and is therefore not drawn here:
- free text with nothing to agree with: indicator names and targets, 项目绩效目标, 职能概述, 测算明细
  wording, T11 采购项目/品目 names, 需求时间 and 备注, the narrative's descriptive sentences;
- a narrative number that is no budget figure ("单价50万元以上通用设备", "产值10亿元以上企业"): the
  mutator keeps only changes that alter a figure the text states (``find_mentions``);
- an indicator row dropped from a 表15 that has other indicators of the same kind (a form has no total
  to foot), and rows of forms in general (T14/T15 are not drawn for row drops);
- a change that another change exactly compensates (only single changes are made here);
- a group of 第三部分 (四) renamed when no project has its name: groups are matched to 表13 only by
  name, so only their sum is checked;
- a change to an amount that appears in one place only and feeds no total: the generated disclosure
  has none (every amount is in a footing or cross-table check) — the test would show one.
"""

from __future__ import annotations

import random
from collections import Counter

from deptbudget.model.serialize import loads
from deptbudget.rules import Finding, Severity
from tests.rules.conftest import check
from tests.rules.mutations import MUTATORS

SEED = 20200101
PER_KIND = 70


def _key(f: Finding) -> tuple[object, ...]:
    return (f.rule, f.severity, f.table, f.row, f.column, f.expected, f.actual)


def test_at_least_95_percent_of_mutations_are_reported(example_text: str,
                                                       example_findings: list[Finding]) -> None:
    baseline = {_key(f) for f in example_findings}
    rng = random.Random(SEED)
    made: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    missed: list[str] = []
    for kind, mutate in MUTATORS.items():
        for _ in range(PER_KIND):
            disclosure = loads(example_text)
            change = mutate(disclosure, rng)
            if change is None:
                continue
            made[kind] += 1
            new = [f for f in check(disclosure) if _key(f) not in baseline and f.severity is not Severity.NOTE]
            if new:
                caught[kind] += 1
            else:
                missed.append(f"{kind}: {change}")
    total = sum(made.values())
    assert total >= 300
    rate = sum(caught.values()) / total
    report = ", ".join(f"{k} {caught[k]}/{made[k]}" for k in made)
    assert rate >= 0.95, f"detected {rate:.1%} ({report}); missed: {missed[:20]}"
    for kind in made:  # no kind of change goes mostly unnoticed
        assert caught[kind] / made[kind] >= 0.9, report


def test_a_mutation_is_reported_at_its_place(example_text: str) -> None:
    disclosure = loads(example_text)
    row = disclosure.table("T7").row("2060702")  # type: ignore[union-attr]
    assert row is not None
    row.cells["total"].value += 1  # type: ignore[operator]
    found = {(f.rule, f.table, f.row, f.column) for f in check(disclosure) if f.severity is Severity.ERROR}
    assert ("SUM-FUNC-LEVEL", "表7", "20607", "支出总计") in found  # 款 ≠ Σ 项
    assert ("SUM-ROW-COLUMNS", "表7", "2060702", "支出总计") in found  # 合计 ≠ 基本 + 项目
    assert ("XT-T6-T7", "表6", "2060702", "2020 年预算数") in found  # 表6 no longer agrees with 表7

"""Mutation test on the narrative: one change at a time — a percentage, an amount, a year, a direction
word, a classification name — must be reported by some rule in at least 95% of the cases.

Every mutation is applied to our generated example (clean by construction); a mutation counts as
reported when a finding appears that the unchanged example does not have. The rate of the text rules
alone is asserted too (they read the text only, without the tables, so an amount stated once and
related to nothing else in the text — 第四部分 政府采购 — is theirs to miss and the narrative rules' to
catch against 表11).
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.review.engine import load_rules
from deptbudget.rules.registry import Checker, Finding, run_rules
from deptbudget.sources.yaml_source import load_budget
from tests.review.mutation import KINDS, apply, mutations

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luohu-2020.yaml"
PER_KIND = 40


def keys(found: list[Finding]) -> set[tuple[str, str | None, str | None, str | None, str]]:
    return {(f.rule, f.table, f.row, f.column, f.message) for f in found}


def test_narrative_mutations_are_reported() -> None:
    rules = load_rules()
    checker = Checker()
    example = compute_disclosure(load_budget(EXAMPLE))
    baseline = keys(run_rules(example, checker.context(example), rules))
    tried: Counter[str] = Counter()
    by_all: Counter[str] = Counter()
    by_text: Counter[str] = Counter()
    missed = []
    for mutation in mutations(example, random.Random(20200101), PER_KIND):
        mutated = apply(example, mutation)
        new = keys(run_rules(mutated, checker.context(mutated), rules)) - baseline
        tried[mutation.kind] += 1
        by_all[mutation.kind] += bool(new)
        by_text[mutation.kind] += any(rule.startswith("TEXT-") for rule, *_ in new)
        if not new:
            missed.append(mutation)
    assert set(tried) == set(KINDS) and all(count == PER_KIND for count in tried.values())
    total = sum(tried.values())
    rate_all, rate_text = sum(by_all.values()) / total, sum(by_text.values()) / total
    report = {kind: (by_all[kind], by_text[kind], tried[kind]) for kind in KINDS}
    assert rate_all >= 0.95, (report, missed[:10])
    assert rate_text >= 0.95, report
    for kind in KINDS:
        assert by_all[kind] / tried[kind] >= 0.9, (kind, report)

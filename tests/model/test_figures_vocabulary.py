"""The vocabulary of the figures a narrative states: one data file, read by every reader and writer."""

from __future__ import annotations

import re

import pytest

from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.model.budget import FUND_SOURCE_LABELS
from deptbudget.model.figures_vocabulary import VocabularyError, figures_vocabulary, parse_vocabulary
from deptbudget.model.narrative_quantities import canonical
from deptbudget.sources.yaml_source import load_budget

VOCABULARY = figures_vocabulary()
FIGURES = VOCABULARY.figures


def test_loads_once_and_keys_are_unique() -> None:
    assert figures_vocabulary() is VOCABULARY
    keys = [f.key for f in (*VOCABULARY.figures, *VOCABULARY.funds)]
    assert len(keys) == len(set(keys))
    assert {f.key for f in VOCABULARY.funds} == {f"income.{s.value}" for s in FUND_SOURCE_LABELS}


@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f.key)
def test_every_pattern_compiles_and_names_its_own_label(figure) -> None:  # type: ignore[no-untyped-def]
    for pattern in (*figure.patterns, *figure.statement_only, *figure.referent_only):
        re.compile(pattern)
    assert re.search(figure.statement_pattern, figure.label)
    assert re.search(figure.referent_pattern, figure.label)


@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f.key)
def test_a_label_names_its_own_figure_first(figure) -> None:  # type: ignore[no-untyped-def]
    """Match order: no figure listed before another swallows that one's name."""
    assert canonical(figure.label)[0] == figure.key


def test_children_are_figures_and_leaves_expand_subtotals() -> None:
    for figure in VOCABULARY.aggregates():
        assert all(VOCABULARY.figure(key).unit == figure.unit for key in figure.children)
    leaves = [f.key for f in VOCABULARY.leaves("three_public.total")]
    assert leaves == ["three_public.overseas", "three_public.reception", "three_public.vehicle_purchase",
                      "three_public.vehicle_operation"]


def test_change_stem_and_item() -> None:
    assert VOCABULARY.figure("income.total").change_stem == "income"
    assert VOCABULARY.figure("three_public.reception").change_stem == "three_public.reception"
    assert VOCABULARY.figure("three_public.reception").item == "reception"


def test_each_part_states_its_figures_fund_incomes_last() -> None:
    assert {f.key for f in VOCABULARY.in_part(5)} == {f.key for f in FIGURES if f.key.startswith("three_public.")}
    income = VOCABULARY.in_part(2)
    assert income[-len(VOCABULARY.funds):] == VOCABULARY.funds
    assert VOCABULARY.in_part(8) == ()


def test_a_fund_narrows_the_figures_of_its_groups() -> None:
    funds = {scope.key: scope for scope in VOCABULARY.scopes}
    assert funds["gov_fund"].narrows_figure("income.fiscal")
    assert not funds["general_budget"].narrows_figure("three_public.total")  # 三公 are 一般公共预算 figures anyway
    assert VOCABULARY.narrowing("其中一般公共预算拨款", "procurement.total") == "general_budget"
    assert VOCABULARY.narrowing("本部门当年一般公共预算", "three_public.total") == ""
    assert [m.group() for m in VOCABULARY.funds_named("一般公共预算拨款、政府性基金")] == ["一般公共预算", "政府性基金"]


@pytest.mark.parametrize("text, message", [
    ("figures: {}", "a list 'figures'"),
    ("figures: [{key: a.b, label: 甲}]", "key, label and patterns"),
    ("figures: [{key: a.b, label: 甲, patterns: [甲]}, {key: a.b, label: 乙, patterns: [乙]}]", "duplicated keys a.b"),
    ("figures: [{key: a.b, label: 甲, patterns: [甲], children: [a.c]}]", "not figures: a.c"),
    ("figures: [{key: a.b, label: 甲, patterns: 甲}]", "patterns must be a list"),
    ("figures: []\nscopes: [{key: gov_fund}]", "every scope needs key and patterns"),
    ("figures: []\nscopes: [{key: f, patterns: [甲]}, {key: f, patterns: [乙]}]", "duplicated keys f"),
])
def test_malformed_vocabulary_is_refused(text: str, message: str) -> None:
    with pytest.raises(VocabularyError, match=re.escape(message)):
        parse_vocabulary(text)


def test_compute_states_only_figures_the_vocabulary_knows() -> None:
    """Every figure compute gives the narrative is a vocabulary figure, a fund income, a project group or a
    change of one (``.last_year`` / ``.change`` / ``.change_pct`` under its change stem)."""
    figures = compute_disclosure(load_budget("examples/luohu-2020.yaml")).figures
    known = {f.key for f in (*VOCABULARY.figures, *VOCABULARY.funds)}
    stems = {f.change_stem for f in VOCABULARY.figures}
    for key in figures:
        stem, _, suffix = key.rpartition(".")
        assert key in known or key.startswith("group.") or (
            suffix in ("last_year", "change", "change_pct") and stem in stems), key

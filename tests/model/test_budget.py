"""The Budget model is immutable: a changed budget is a new value (``dataclasses.replace``)."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, replace
from decimal import Decimal

import pytest

from deptbudget.model.budget import SourceRef
from tests.sources.tiny import tiny_budget


@pytest.mark.parametrize("target, field", [
    (lambda b: b, "fiscal_year"),
    (lambda b: b.unit, "name"),
    (lambda b: b.unit.staffing, "actual"),
    (lambda b: b.lines[0], "amount"),
    (lambda b: b.projects[0], "pro_name"),
    (lambda b: b.procurement[0], "amount"),
    (lambda b: b.three_public, "reception"),
    (lambda b: b.narrative, "change_reason"),
    (lambda b: b.lines[0].ref, "line"),
])
def test_assigning_to_a_field_raises(target, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FrozenInstanceError):
        setattr(target(tiny_budget()), field, Decimal(1))


def test_replace_gives_a_new_budget_and_leaves_the_old_one() -> None:
    budget = tiny_budget()
    changed = replace(budget, three_public=replace(budget.three_public, reception=Decimal("9.00")))
    assert changed.three_public.total == Decimal("9.00") and budget.three_public.total == 0


def test_a_source_reference_is_its_path() -> None:
    ref = SourceRef("projects[2].lines[0]", 118, "a.yaml")
    assert ref == SourceRef("projects[2].lines[0]") and hash(ref) == hash(SourceRef("projects[2].lines[0]"))
    assert str(ref) == "projects[2].lines[0] (第118行)" and ref.file == "a.yaml"


def test_a_provenance_path_resolves_to_the_reference_it_lies_under() -> None:
    budget = tiny_budget()
    assert budget.source_ref("projects[0].indicators[1]") == SourceRef("projects[0]")
    assert budget.source_ref("projects[0].indicators[1]").line == 20  # type: ignore[union-attr]
    assert budget.source_ref("basic[0]").line == 10  # type: ignore[union-attr]
    assert budget.source_ref("income.general_funds").line == 5  # type: ignore[union-attr]
    assert budget.source_ref("unit.name") is None

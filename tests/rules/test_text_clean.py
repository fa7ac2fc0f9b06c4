"""No false alarms from the text rules on well-formed text: our generated example is clean."""

from __future__ import annotations

from pathlib import Path

from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.review.engine import Reviewer, load_rules
from deptbudget.rules.registry import Checker, Severity, run_rules
from deptbudget.sources.yaml_source import load_budget

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luohu-2020.yaml"

# The example's work goals repeat the seed's text word for word, typo included ("大梧桐新兴业带" for the
# 大梧桐新兴产业带 of its project names): the one note, a true one, until examples/luohu-2020.yaml is corrected.
INHERITED_TYPO = "大梧桐新兴业带"


def test_example_narrative_has_no_text_errors_or_warnings() -> None:
    disclosure = compute_disclosure(load_budget(EXAMPLE))
    rules = [r for r in load_rules() if r.id.startswith("TEXT-")]
    assert len(rules) == 17
    found = run_rules(disclosure, Checker().context(disclosure), rules)
    assert [f for f in found if f.severity is not Severity.NOTE] == []
    # Besides the inherited typo, only the 尾差 of correctly rounded figures (within the rounding tolerance).
    assert all(f.rule == "TEXT-TERM-TYPO" and INHERITED_TYPO in f.message
               or f.rule == "TEXT-SUM-PARTS" and "四舍五入" in f.message for f in found), found


def test_example_checklist_narrative_items_all_pass() -> None:
    review = Reviewer().review(compute_disclosure(load_budget(EXAMPLE)))
    narrative = {"cover", "contents", "functions", "organization", "glossary", "narrative", "other_notes",
                 "projects", "other"}
    assert {r.item.id: review.verdict(r.status) for r in review.items if r.item.id in narrative} == {
        item: "是" for item in narrative}
    assert not [f for f in review.findings if f.rule.startswith("TEXT-") and f.severity is not Severity.NOTE]

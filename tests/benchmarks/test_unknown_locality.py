"""benchmarks/unknown_locality.py: templates withheld for the whole import, and put back."""

from __future__ import annotations

from pathlib import Path

from benchmarks.corpus import Row
from benchmarks.unknown_locality import Measured, role_differences, summary_lines, withheld
from deptbudget.importers.titles import choose_template, title_index


def test_a_withheld_template_is_chosen_by_no_document_and_comes_back() -> None:
    titles = ["2026年预算单位财务收支预算总表", "2026年预算单位收入预算总表", "2026年预算单位支出预算总表",
              "2026年预算单位财政拨款收支预算总表", "2026年预算单位一般公共预算支出功能分类预算表"]
    known = choose_template(titles).name
    assert known is not None
    with withheld({known}):
        assert known not in title_index().by_template
        assert choose_template(titles).name != known
    assert known in title_index().by_template and choose_template(titles).name == known


def test_the_summary_names_each_document_under_99_percent() -> None:
    rows = [Measured("001_上海", "loo", [], Row("001_上海/a.pdf", "", "", "", "", template="unknown", recall=0.95)),
            Measured("001_上海", "loo", [], Row("001_上海/b.pdf", "", "", "", "", template="unknown", recall=1.0))]
    [mean, under] = summary_lines(rows)
    assert "97.5%" in mean and "1/2" in mean
    assert Path("a.pdf").name in under and "95.0%" in under


def test_the_summary_counts_the_review_grades() -> None:
    rows = [Measured("001_上海", "loo", [], Row("001_上海/a.pdf", "", "", "", "", template="unknown", recall=1.0),
                     "93.3 优", ["contents"]),
            Measured("001_上海", "loo", [], Row("001_上海/b.pdf", "", "", "", "", template="unknown", recall=1.0),
                     "55.8 差", ["functions"])]
    assert summary_lines(rows)[-1].strip() == "审查 (review): 优 1，差 1"


def test_the_roles_a_document_lacks_or_adds_against_its_known_reading() -> None:
    def measured(mode: str, roles: list[str]) -> Measured:
        return Measured("020_西安", mode, [], Row("020_西安/a.pdf", "", "", "", ""), roles=roles)

    rows = [measured("known", ["income", "summary"]), measured("none", ["income", "three_public"]),
            measured("loo", ["income", "summary"])]
    assert role_differences(rows) == ["none 020_西安/a.pdf: −summary +three_public"]

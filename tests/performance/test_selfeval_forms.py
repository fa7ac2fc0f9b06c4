"""The year-end self-evaluation forms: every indicator of the targets scored (工作时效 included), the
部门整体 form foots or says why not, 全年执行数 by source, percentages as numbers in XLSX."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from deptbudget.model.budget import Budget
from deptbudget.model.money import parse_source_amount
from deptbudget.performance.actuals import Actuals, load_actuals
from deptbudget.performance.actuals_yaml import parse_actuals_yaml
from deptbudget.performance.forms import DASH, SOURCE_LABELS, Form, selfeval_forms, tail_note_of
from deptbudget.performance.render import write_xlsx
from deptbudget.performance.rules import Rules
from deptbudget.performance.scoring import self_evaluate
from deptbudget.performance.tree import TIMELINESS, project_indicators
from deptbudget.sources.errors import SourceError

D = Decimal
RATE_TEXT = re.compile(r"^\d+\.\d{2}\s*%$")


@pytest.fixture(scope="module")
def forms(seed: Budget, rules: Rules) -> list[Form]:
    from tests.performance.conftest import ACTUALS

    return selfeval_forms(self_evaluate(seed, load_actuals(ACTUALS), rules), seed)


def texts(row: list) -> list[str]:  # type: ignore[type-arg]
    return [cell.text for cell in row]


def row_of(form: Form, label: str) -> list[str]:
    return next(texts(row) for row in form.rows if row and row[0].text == label)


def amount(text: str) -> Decimal:
    return parse_source_amount(text)


def test_every_indicator_of_the_targets_is_scored(seed: Budget, sample_actuals: Actuals, rules: Rules) -> None:
    se = self_evaluate(seed, sample_actuals, rules)
    for project, ev in zip(seed.projects, se.projects, strict=True):
        written = project_indicators(project)
        assert len(ev.indicators) == len(written) == len(project.indicators) + (1 if project.timeliness else 0)
        timeliness = [s for s in ev.indicators if s.indicator.level2 == TIMELINESS[1]]
        assert len(timeliness) == (1 if project.timeliness else 0), project.pro_code
        if timeliness:
            assert timeliness[0].indicator.name == project.timeliness.strip()
            assert timeliness[0].points > 0 and not timeliness[0].reading.missing  # named 工作时效 in the actuals
    assert sum(1 for p in seed.projects if p.timeliness) == 19


def test_timeliness_rows_in_the_project_forms(forms: list[Form], seed: Budget) -> None:
    projects = [f for f in forms if f.title == "项目支出绩效自评表"]
    assert len(projects) == len(seed.projects)
    for form, project in zip(projects, seed.projects, strict=True):
        cells = [c.text for row in form.rows for c in row]
        assert "工作时效" in cells and project.timeliness.strip() in cells, form.key


def test_department_form_foots_or_carries_the_tail_note(forms: list[Form], seed: Budget) -> None:
    dept = next(f for f in forms if f.title == "部门整体支出绩效自评表")
    total, basic, project = row_of(dept, "年度资金总额"), row_of(dept, "其中：基本支出"), row_of(dept, "项目支出")
    project_forms = [f for f in forms if f.title == "项目支出绩效自评表"]
    project_rows = [amount(row_of(f, "年度资金总额")[1]) for f in project_forms]
    pairs = [(amount(total[1]), amount(basic[1]) + amount(project[1])),
             (amount(total[3]), amount(basic[3]) + amount(project[3])),
             (amount(project[1]), sum(project_rows, D(0)))]
    note = tail_note_of(seed)
    assert note.startswith("注：") and "尾差" in note
    assert (note in dept.notes) == any(printed != added for printed, added in pairs)
    assert note in dept.notes  # the example: 16,065.34 printed, its parts add to 16,065.33
    # each printed amount is the correctly rounded exact one (no cent moved to make it foot)
    assert amount(total[1]) == (sum((line.amount for line in seed.lines), D(0)) / 10000).quantize(D("0.01"))


def test_spent_by_source_is_filled(forms: list[Form]) -> None:
    for form in (f for f in forms if f.title == "项目支出绩效自评表"):
        spent = amount(row_of(form, "年度资金总额")[3])
        parts = [row_of(form, label)[3] for label in SOURCE_LABELS]
        assert DASH not in parts, form.key
        assert sum((amount(p) for p in parts), D(0)) == spent or "尾差" in "".join(form.notes), form.key


def test_spent_by_source_from_the_actuals(seed: Budget, rules: Rules, sample_actuals: Actuals) -> None:
    first = sample_actuals.projects[0]
    split = dataclasses.replace(first, spent_fiscal=first.spent - D(1000), spent_carryover=D(1000))
    unknown = dataclasses.replace(first, budget=first.spent)  # adjusted budget, no split: unknown
    for entry, expected in ((split, ["3.00", "0.10", "0.00"]), (unknown, [DASH, DASH, DASH])):
        actuals = dataclasses.replace(sample_actuals, projects=(entry, *sample_actuals.projects[1:]))
        form = selfeval_forms(self_evaluate(seed, actuals, rules), seed)[2]
        assert [row_of(form, label)[3] for label in SOURCE_LABELS] == expected
        assert ("全年执行数未按资金来源填报。" in form.notes) == (expected[0] == DASH)


def test_spent_by_source_must_add_up() -> None:
    text = 'projects:\n  P1:\n    spent: "100.00"\n    spent_fiscal: "60.00"\n    spent_other: "30.00"\n'
    with pytest.raises(SourceError) as caught:
        parse_actuals_yaml(text, "a.yaml")
    assert "与 spent" in str(caught.value.problems[0])
    good = parse_actuals_yaml(text.replace('"30.00"', '"40.00"'), "a.yaml")
    assert good.projects[0].spent_by_source == (D("60.00"), D(0), D("40.00"))


def test_percentages_are_numbers_in_xlsx(forms: list[Form], tmp_path: Path) -> None:
    path = write_xlsx(forms, tmp_path / "selfeval.xlsx")
    book = openpyxl.load_workbook(path)
    rates = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value != "执行率":
                    continue
                below = sheet.cell(cell.row + 1, cell.column)  # 年度资金总额's rate, or the summary's first line
                assert isinstance(below.value, (int, float)), (sheet.title, below.coordinate, below.value)
                assert below.number_format == "0.00%" and 0 <= below.value <= 2
                rates += 1
        for row in sheet.iter_rows():
            for cell in row:
                assert not (isinstance(cell.value, str) and RATE_TEXT.match(cell.value) and cell.column_letter == "G")
    assert rates == len(forms)
    dept = book.worksheets[1]
    assert [c.value for row in dept.iter_rows() for c in row if c.number_format == "0.00%"] == [pytest.approx(0.9371)]

"""Uploads refused by rows, columns and unpacked size as well as bytes (issue 15), and text that looks
like a formula written to every workbook as text: never run by Excel, kept on a round trip."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
import xlsxwriter

from deptbudget.store.documents import dump_document, load_document
from deptbudget.store.models import Budget
from deptbudget.web import upload_limits
from tests.web import test_performance
from tests.web.conftest import Client, World, budget_row
from tests.web.test_performance import SELF_DATA, XLSX, page_version, put_report, report_row, url
from tests.web.test_uploads import _snapshot, _template, _upload

papp, clock = test_performance.papp, test_performance.clock  # fixtures
FORMULA_LIKE = ["=HYPERLINK(\"http://example.com\",\"点击\")", "+86 755 1234", "-无-", "@SUM(A1:A2)"]


def workbook(rows: int = 1, column: int = 0, sheet: str = "项目") -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = book.add_worksheet(sheet)
    for r in range(rows):
        ws.write_number(r, column, r)
    book.close()
    return out.getvalue()


@pytest.mark.parametrize("data,message", [
    (workbook(rows=upload_limits.MAX_ROWS + 1), f"工作表“项目”的行数超过上限（{upload_limits.MAX_ROWS:,} 行）"),
    (workbook(column=upload_limits.MAX_COLUMNS), f"工作表“项目”的列数超过上限（{upload_limits.MAX_COLUMNS} 列）"),
], ids=["rows", "columns"])
def test_workbook_over_a_limit_is_refused(app, world: World, data: bytes, message: str) -> None:  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    prep = Client(app, "prep_a")
    before = _snapshot(world, a)
    assert len(data) < 256 * 1024  # under the byte limit: only the new limits refuse it
    response = _upload(prep, a, "big.xlsx", data)
    assert response.status_code == 413
    assert message in response.text and "没有任何改动" in response.text
    assert _snapshot(world, a) == before


def test_unpacked_size_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(upload_limits, "MAX_UNPACKED", 1000)
    with pytest.raises(upload_limits.WorkbookTooLarge, match="解压后超过"):
        upload_limits.check_workbook(io.BytesIO(workbook(rows=200)))
    monkeypatch.undo()
    upload_limits.check_workbook(io.BytesIO(workbook(rows=200)))  # within every limit


def test_the_entry_template_is_within_the_limits(app, world: World) -> None:  # type: ignore[no-untyped-def]
    upload_limits.check_workbook(io.BytesIO(_template(Client(app, "prep_a"), world.budgets["A001"])))


def test_deeply_nested_json_is_refused(app, world: World) -> None:  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    prep = Client(app, "prep_a")
    before = _snapshot(world, a)
    deep = '{"fiscal_year": 2020, "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = _upload(prep, a, "deep.json", deep.encode())
    assert response.status_code == 422 and "嵌套层次过深" in response.text
    assert _snapshot(world, a) == before


def test_formula_like_text_round_trips_through_the_entry_template(app, world: World) -> None:  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    with world.factory() as session, session.begin():
        budget = session.get(Budget, a)
        doc = load_document(budget.source)
        doc["projects"][0]["name"] = FORMULA_LIKE[0]
        doc["projects"][0]["purpose"] = FORMULA_LIKE[3]
        doc["projects"][0]["contact"] = FORMULA_LIKE[2]
        doc["projects"][0]["phone"] = FORMULA_LIKE[1]
        budget.source = dump_document(doc)
    prep = Client(app, "prep_a")
    data = _template(prep, a)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in xml or b"<f " in xml for xml in sheets)
    response = _upload(prep, a, "模板.xlsx", data)
    assert response.status_code == 303, response.text[:500]
    project = load_document(budget_row(world, a).source)["projects"][0]
    assert [project["name"], project["phone"], project["contact"], project["purpose"]] == FORMULA_LIKE


def test_formula_like_text_round_trips_through_the_actuals_workbook(papp, world: World) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(json.dumps(SELF_DATA))
    data["projects"]["P1"]["summary"] = FORMULA_LIKE[0]
    data["projects"]["P1"]["explanation"] = FORMULA_LIKE[3]
    put_report(world, world.budgets["A001"], "selfeval", data)
    prep, path = Client(papp, "prep_a"), url(world, "selfeval")
    template = prep.get(f"{path}/actuals.xlsx").content
    with zipfile.ZipFile(io.BytesIO(template)) as archive:
        assert not any(b"<f>" in archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))
    response = prep.post(f"{path}/upload", {"version": page_version(prep, path)},
                         files={"file": ("自评.xlsx", template, XLSX)})
    assert response.status_code == 303, response.text[:500]
    stored = json.loads(report_row(world, world.budgets["A001"], "selfeval").actuals_json)
    assert stored["projects"]["P1"]["summary"] == FORMULA_LIKE[0]
    assert stored["projects"]["P1"]["explanation"] == FORMULA_LIKE[3]

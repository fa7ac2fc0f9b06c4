"""Uploads: a good template, one with an error (stored, the finding shown at its cell), and bad
files (wrong type, corrupt, huge, another unit's or year's template, not a template) that get a
clear message and change nothing."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from deptbudget.sources.xlsx_template import read_entry_template, write_entry_template
from deptbudget.store.models import AuditEntry
from tests.web.conftest import Client, budget_row, clean_document


def _snapshot(world, budget_id):  # type: ignore[no-untyped-def]
    row = budget_row(world, budget_id)
    with world.factory() as session:
        audits = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.budget_id == budget_id))
    return row.source, row.version, audits


def _template(prep: Client, budget_id: int) -> bytes:
    response = prep.get(f"/work/budgets/{budget_id}/template.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    return response.content


def _upload(prep: Client, budget_id: int, name: str, data: bytes):  # type: ignore[no-untyped-def]
    return prep.post(f"/work/budgets/{budget_id}/upload", {"version": prep.version(budget_id)},
                     files={"file": (name, data, "application/octet-stream")})


def _edit_workbook(data: bytes, edit) -> bytes:  # type: ignore[no-untyped-def]
    wb = load_workbook(io.BytesIO(data))
    edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_template_round_trip_and_upload_with_one_error(app, world):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    prep = Client(app, "prep_a")
    data = _template(prep, a)
    wb = load_workbook(io.BytesIO(data))
    assert wb["_meta"].sheet_state == "hidden" and wb["代码表"].sheet_state == "hidden"
    sheet = wb["基本支出"]
    assert sheet["A2"].value == "2060101 行政运行"
    assert any("代码表" in (dv.formula1 or "") for dv in sheet.data_validations.dataValidation)

    def bad_code(wb):  # type: ignore[no-untyped-def]
        wb["基本支出"]["A3"] = "2069998 不存在的科目"

    response = _upload(prep, a, "填好的模板.xlsx", _edit_workbook(data, bad_code))
    assert response.status_code == 303
    page = prep.get(f"/work/budgets/{a}").text
    assert "已上传 填好的模板.xlsx" in page and "2069998" in page and "分类科目中没有编码" in page
    assert "不能提交" in page
    upload_audit = [e for e in _audit_actions(world, a) if e[0] == "upload"]
    assert upload_audit and upload_audit[0][1] == "basic[1].func" and upload_audit[0][3] == "2069998"


def _audit_actions(world, budget_id):  # type: ignore[no-untyped-def]
    with world.factory() as session:
        return [(e.action, e.what, e.old, e.new) for e in
                session.scalars(select(AuditEntry).where(AuditEntry.budget_id == budget_id).order_by(AuditEntry.id))]


def test_read_entry_template_names_sheet_and_cell(tmp_path):  # type: ignore[no-untyped-def]
    from deptbudget.sources.errors import SourceError
    from deptbudget.sources.yaml_source import parse_budget
    from deptbudget.store.documents import dump_document

    budget = parse_budget(dump_document(clean_document()), "a.yaml")
    path = tmp_path / "t.xlsx"
    write_entry_template(budget, 2020, path, unit_code="A001")
    assert read_entry_template(path).unit.name == budget.unit.name
    wb = load_workbook(path)
    wb["项目支出明细"]["E2"] = "abc"
    wb.save(path)
    with pytest.raises(SourceError) as caught:
        read_entry_template(path)
    assert [p.place.split("（")[0] for p in caught.value.problems] == ["项目支出明细!E2"]


BAD_UPLOADS = {
    "wrong type": ("budget.pdf", b"%PDF-1.4 not a budget", "不支持的文件类型"),
    "not xlsx": ("budget.xlsx", b"this is plain text, not a workbook", "不是 XLSX 文件"),
    "empty": ("budget.xlsx", b"", "空的"),
    "yaml syntax": ("budget.yaml", b"fiscal_year: [2020\n", "语法错误"),
    "yaml another year": ("budget.yaml", b"fiscal_year: 2021\nunit: {name: x}\n", "预算年度是 2021"),
}


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_bad_uploads_change_nothing(app, world, case):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    prep = Client(app, "prep_a")
    before = _snapshot(world, a)
    name, data, message = BAD_UPLOADS[case]
    response = _upload(prep, a, name, data)
    assert response.status_code in (413, 422), response.status_code
    assert message in response.text and "没有任何改动" in response.text or message in response.text
    assert _snapshot(world, a) == before


def test_corrupt_xlsx(app, world):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    prep = Client(app, "prep_a")
    data = bytearray(_template(prep, a))
    data[len(data) // 2: len(data) // 2 + 2000] = b"\0" * 2000  # damage the middle of the archive
    before = _snapshot(world, a)
    response = _upload(prep, a, "damaged.xlsx", bytes(data))
    assert response.status_code == 422 and ("损坏" in response.text or "不是 XLSX" in response.text)
    assert _snapshot(world, a) == before
    truncated = _template(prep, a)[:5000]
    response = _upload(prep, a, "truncated.xlsx", truncated)
    assert response.status_code == 422
    assert _snapshot(world, a) == before


def test_huge_file(app, world):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    prep = Client(app, "prep_a")
    before = _snapshot(world, a)
    response = _upload(prep, a, "huge.xlsx", b"x" * (600 * 1024))  # the app's limit is 256 KB here
    assert response.status_code == 413 and "文件过大" in response.text
    assert _snapshot(world, a) == before


def test_zip_bomb_is_refused(app, world):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    prep = Client(app, "prep_a")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/big.xml", b"\0" * (250 * 1024 * 1024))
    before = _snapshot(world, a)
    response = _upload(prep, a, "bomb.xlsx", buffer.getvalue())
    assert response.status_code == 413 and "解压后超过" in response.text
    assert _snapshot(world, a) == before


def test_other_units_template_is_refused(app, world):  # type: ignore[no-untyped-def]
    a, b = world.budgets["A001"], world.budgets["B001"]
    other = _template(Client(app, "prep_b"), b)
    prep = Client(app, "prep_a")
    before = _snapshot(world, a)
    response = _upload(prep, a, "b.xlsx", other)
    assert response.status_code == 422 and "测试区科技局" in response.text and "B001" in response.text
    assert _snapshot(world, a) == before


def test_other_years_template_is_refused(app, world, tmp_path):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    prep = Client(app, "prep_a")
    path = tmp_path / "2021.xlsx"
    write_entry_template(clean_document(), 2021, path, unit_code="A001")
    before = _snapshot(world, a)
    response = _upload(prep, a, "2021.xlsx", path.read_bytes())
    assert response.status_code == 422 and "2021 年的模板" in response.text
    assert _snapshot(world, a) == before


def test_workbook_that_is_not_a_template(app, world):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    prep = Client(app, "prep_a")
    wb = Workbook()
    wb.active["A1"] = "随便一个表格"
    out = io.BytesIO()
    wb.save(out)
    before = _snapshot(world, a)
    response = _upload(prep, a, "other.xlsx", out.getvalue())
    assert response.status_code == 422 and "不是本系统的预算录入模板" in response.text
    assert _snapshot(world, a) == before


def test_template_with_a_missing_sheet(app, world):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    prep = Client(app, "prep_a")

    def drop(wb):  # type: ignore[no-untyped-def]
        del wb["基本支出"]

    before = _snapshot(world, a)
    response = _upload(prep, a, "t.xlsx", _edit_workbook(_template(prep, a), drop))
    assert response.status_code == 422 and "缺少工作表" in response.text
    assert _snapshot(world, a) == before

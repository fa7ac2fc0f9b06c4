"""表14 / 表15 in the official layout: fields side by side, the funds under 部门总体资金情况（万元）, the
年度绩效指标 block with its header row and merged 一级指标 cells — the same grid in every format."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import pytest

from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.model.disclosure import Disclosure, RowKind
from deptbudget.render.docx_render import write_docx
from deptbudget.render.form_grid import layout_for
from deptbudget.render.grid import table_grid
from deptbudget.render.pdf import write_pdf
from deptbudget.sources.yaml_source import load_budget

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luohu-2020.yaml"


@pytest.fixture(scope="module")
def d() -> Disclosure:
    return compute_disclosure(load_budget(EXAMPLE))


def test_department_form_grid(d: Disclosure) -> None:
    t14 = d.table("T14")
    assert t14 is not None and layout_for(t14) is not None
    grid = table_grid(t14)
    at = {(c.row, c.col): c for c in grid.cells}
    assert [at[(0, c)].text for c in (0, 1, 3, 4)] == ["部门（单位）名称", "罗湖区科技创新局", "负责人", "石兴中"]
    group = next(c for c in grid.cells if c.text == "部门总体资金情况（万元）")
    assert group.col == 0 and group.rowspan == 4
    head = grid.row_kinds.index(RowKind.HEADING)
    assert [at[(head, c)].text for c in range(1, 5)] == ["一级指标", "二级指标", "指标内容", "指标值"]
    block = at[(head, 0)]
    assert block.text == "年度绩效指标" and block.rowspan == 1 + sum(1 for r in t14.rows if r.kind is RowKind.DATA)
    merged = [c for c in grid.cells if c.col == 1 and c.rowspan > 1]
    assert merged and merged[0].text == "（产出指标一）"


def test_project_form_grid(d: Disclosure) -> None:
    t15 = d.tables_by_id("T15")[0]
    grid = table_grid(t15)
    assert grid.ncols == 6
    funds = sorted((c for c in grid.cells if c.row == 1), key=lambda c: c.col)
    assert [c.text for c in funds][0::2] == ["资金总额（万元）", "其中：财政拨款", "其他资金"]
    output = next(c for c in grid.cells if c.text == "产出指标")
    assert output.rowspan > 1  # printed once for the rows it heads, not on every row


def test_docx_and_pdf_print_the_official_form(d: Disclosure, tmp_path: Path) -> None:
    document = docx.Document(str(write_docx(d, tmp_path / "d.docx", charts=False)))
    t14 = next(t for t in document.tables if any("部门总体资金情况（万元）" in c.text for c in t.columns[0].cells))
    texts = [[c.text for c in row.cells] for row in t14.rows]
    assert any(row[1:5] == ["一级指标", "二级指标", "指标内容", "指标值"] for row in texts)
    pdf = write_pdf(d, tmp_path / "d.pdf", charts=False)
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = "".join(out.split())
    assert "部门总体资金情况（万元）" in text and "一级指标二级指标指标内容指标值" in text

"""Charts: the data equal the table figures; SVG keeps Chinese text; PNG sizes; lazy matplotlib."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from decimal import Decimal

import pytest

from deptbudget.model.disclosure import Disclosure
from deptbudget.render import charts
from tests.render.test_pdf import example_disclosure, sample_disclosure


@pytest.fixture(params=["sample", "example"])
def d(request: pytest.FixtureRequest) -> Disclosure:
    return sample_disclosure() if request.param == "sample" else example_disclosure()


def _chart(d: Disclosure, key: str) -> charts.Chart:
    found = [c for c in charts.chart_data(d) if c.key == key]
    assert found, f"no {key} chart"
    return found[0]


def test_spending_by_function_equals_table_7(d: Disclosure) -> None:
    t7 = d.table("T7")
    expected = {row.cell("name").text: row.amount("total") for row in t7.rows if row.level == 1}
    chart = _chart(d, "by_function")
    assert chart.values() == expected
    assert list(chart.series[0].values) == sorted(chart.series[0].values, reverse=True)


def test_function_chart_falls_back_to_table_1(d: Disclosure) -> None:
    d.tables = [t for t in d.tables if t.id != "T7"]
    t1 = d.table("T1")
    expected = {
        row.cell("exp_item").text: row.amount("exp_amount")
        for row in t1.rows
        if re.search(r"exp=\d{3}(;|$)", row.key)  # 类: 3-digit codes (docs/disclosure-conventions.md)
    }
    assert len(expected) >= 4
    assert _chart(d, "by_function").values() == expected


def test_basic_against_project_equals_table_3(d: Disclosure) -> None:
    row = d.table("T3").rows[0]
    chart = _chart(d, "basic_vs_project")
    assert chart.values() == {"基本支出": row.amount("basic"), "项目支出": row.amount("project")}


def test_largest_projects_equal_table_13(d: Disclosure) -> None:
    rows = d.table("T13").rows
    expected = sorted(((r.amount("total"), r.cell("name").text) for r in rows), reverse=True)[: charts.TOP_PROJECTS]
    chart = _chart(d, "top_projects")
    assert sorted(((v, k) for k, v in chart.values().items()), reverse=True) == expected


def test_income_and_expenditure_against_last_year_from_figures(d: Disclosure) -> None:
    chart = _chart(d, "vs_last_year")
    f = d.figures
    assert chart.values(0) == {"收入预算": f["income.last_year"].value, "支出预算": f["expenditure.last_year"].value}
    assert chart.values(1) == {"收入预算": f["income.total"].value, "支出预算": f["expenditure.total"].value}


def test_missing_figures_skip_only_that_chart(d: Disclosure) -> None:
    del d.figures["income.last_year"]
    keys = [c.key for c in charts.chart_data(d)]
    assert "vs_last_year" not in keys
    assert {"by_function", "basic_vs_project", "top_projects", "three_public"} <= set(keys)


def test_three_public_by_year_equals_table_12(d: Disclosure) -> None:
    chart = _chart(d, "three_public")
    rows = {row.cell("year").text: row for row in d.table("T12").rows}
    assert [s.name for s in chart.series] == [f"{year} 年" for year in sorted(rows)]
    for series in chart.series:
        row = rows[series.name.split()[0]]
        expected = [row.amount(k) or Decimal(0) for k in ("overseas", "reception", "vehicles")]
        assert list(series.values) == expected


def test_amounts_stay_decimal(d: Disclosure) -> None:
    for chart in charts.chart_data(d):
        for series in chart.series:
            assert all(isinstance(v, Decimal) for v in series.values), chart.key


def test_a_disclosure_without_tables_has_no_charts() -> None:
    d = sample_disclosure()
    d.tables, d.figures = [], {}
    assert charts.chart_data(d) == []
    assert charts.chart_svgs(d) == []


def test_svg_has_chinese_text_title_and_palette() -> None:
    d = sample_disclosure()
    svgs = charts.chart_svgs(d)
    assert [title for title, _ in svgs] == [c.title for c in charts.chart_data(d)]
    for title, svg in svgs:
        assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
        assert f'aria-label="{title}"' in svg
        texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
        assert any(re.search(r"[\u4e00-\u9fff]", t) for t in texts), title  # Chinese as text
        assert "单位：万元" in svg or "万元" in svg
        assert re.search(r"#0072b2|#e69f00", svg, re.I), title  # Okabe–Ito colours


def test_svg_values_are_labelled_with_two_decimals() -> None:
    d = sample_disclosure()
    chart = _chart(d, "by_function")
    svg = charts.render_svg(chart)
    for value in chart.series[0].values:
        assert f"{value:,.2f}" in svg


def test_png_is_a_png_at_the_requested_resolution() -> None:
    from PIL import Image

    d = sample_disclosure()
    pngs = charts.chart_pngs(d, dpi=100)
    assert len(pngs) == len(charts.chart_data(d))
    for (title, data), chart in zip(pngs, charts.chart_data(d), strict=True):
        assert title == chart.title
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "PNG"
            assert abs(image.width - chart.width * 100) <= 2


def test_matplotlib_is_imported_only_when_drawing() -> None:
    code = (
        "import sys, deptbudget.render.charts, deptbudget.render.pdf, deptbudget.render.docx_render;"
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_svgs_fit_the_html_chart_slot() -> None:
    from lxml import html as lxml_html

    from deptbudget.render.html import render_html

    d = sample_disclosure()
    svgs = charts.chart_svgs(d)
    page = lxml_html.fromstring(render_html(d, charts=svgs))
    figures = page.xpath("//figure")  # in their parts, numbered 图1… in page order
    assert sorted(f.xpath(".//figcaption")[0].text_content().split(maxsplit=1)[1] for f in figures) == sorted(
        t for t, _ in svgs)
    assert sum(len(f.xpath(".//*[local-name()='svg']")) for f in figures) == len(svgs)

"""The HTML page, parsed back (lxml) and checked against the Disclosure."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from lxml.html import HtmlElement

from deptbudget.model.budget import Budget
from deptbudget.model.disclosure import CellKind, Disclosure, RowKind, Table
from deptbudget.render import html as html_render
from deptbudget.render.form_grid import layout_for
from deptbudget.render.grid import header_rows, table_grid
from deptbudget.render.html import render_html, write_html


def parse(page: str) -> HtmlElement:
    return lxml.html.document_fromstring(page)


def text_of(element: HtmlElement) -> str:
    return element.text_content()


def table_sections(doc: HtmlElement) -> list[HtmlElement]:
    return doc.xpath('//section[contains(concat(" ", @class, " "), " table-block ")]')


def check_header(section: HtmlElement, table: Table) -> None:
    expected = [[(h.text, h.rowspan, h.colspan) for h in row] for row in header_rows(table)]
    got = [
        [(text_of(th), int(th.get("rowspan", "1")), int(th.get("colspan", "1"))) for th in tr.xpath("./th")]
        for tr in section.xpath(".//thead/tr")
    ]
    assert got == expected, table.id


INTERNAL_KEY = re.compile(r"\b(basic|projects|income|procurement|three_public|last_year|unit)[\[.]")


def check_amount_td(td: HtmlElement, cell, where: str) -> None:  # type: ignore[no-untyped-def]
    assert "amt" in td.get("class", "").split(), where
    assert text_of(td) == cell.text, where
    assert json.loads(td.get("data-sources")) == list(cell.sources), where
    assert td.get("title") is None, where  # not hover-only
    if cell.sources and cell.text:
        link = td.xpath("./a[@class='src']")[0]  # focusable: reachable by keyboard
        note = link.get("aria-describedby")
        assert link.get("href") == f"#{note}", where
        words = text_of(td.getroottree().getroot().get_element_by_id(note))
        assert words.startswith(("来源", "由 ")) and "预算源文件" in words, where
        assert not INTERNAL_KEY.search(words), (where, words)
    if cell.value is not None:
        assert td.get("data-value") == format(cell.value, "f"), where


def check_official_form(section: HtmlElement, table: Table) -> int:
    """A form table in its official layout: the grid every format prints, labels as row headers."""
    grid = table_grid(table)
    trs = section.xpath(".//tbody/tr")
    assert len(trs) == grid.nrows, table.id
    for r, tr in enumerate(trs):
        expected = [c.text for c in sorted(grid.cells, key=lambda c: c.col) if c.row == r]
        assert [text_of(cell) for cell in tr.xpath("./th|./td")] == expected, (table.id, r)
    labels = {text_of(th) for th in section.xpath(".//tbody//th[@scope='row']")}
    assert "年度绩效指标" in labels
    amounts = [c for c in grid.cells if c.kind is CellKind.AMOUNT and not c.bold]
    assert len(section.xpath(".//td[contains(concat(' ', @class, ' '), ' amt ')]")) == len(amounts)
    return len(amounts)


def where_row(table: Table, key: str) -> str:
    return f"{table.id}/{table.instance}/{key}"


def check_body(section: HtmlElement, table: Table) -> int:
    """Compare every body row with the table; return how many amount cells were checked."""
    if layout_for(table) is not None:
        return check_official_form(section, table)
    trs = section.xpath(".//tbody/tr")
    expected_rows = len(table.rows) + (1 if table.empty else 0)
    assert len(trs) == expected_rows, table.id
    ncols = max(len(table.columns), 1)
    checked = 0
    for tr, row in zip(trs, table.rows, strict=False):
        assert tr.get("data-key") == row.key
        assert tr.get("class") == str(row.kind)
        tds = tr.xpath("./th|./td")
        if row.cells:
            assert tr.xpath("./th[@scope='row']"), where_row(table, row.key)
        where = f"{table.id}/{table.instance}/{row.key}"
        if table.layout == "form" and row.kind is RowKind.HEADING:
            assert [int(td.get("colspan", "1")) for td in tds] == [ncols], where
            assert text_of(tds[0]) == row.cells["label"].text
            continue
        if table.layout == "form" and row.kind is RowKind.FIELD:
            assert [int(td.get("colspan", "1")) for td in tds] == [1, max(ncols - 1, 1)], where
            assert text_of(tds[0]) == row.cells["label"].text
            value = row.cells["value"]
            if value.kind is CellKind.AMOUNT:
                check_amount_td(tds[1], value, where)
                checked += 1
            else:
                assert text_of(tds[1]) == value.text, where
            continue
        assert len(tds) == len(table.columns), where
        for td, column in zip(tds, table.columns, strict=True):
            cell = row.cell(column.key)
            if column.kind is CellKind.AMOUNT or cell.kind is CellKind.AMOUNT:
                check_amount_td(td, cell, f"{where}/{column.key}")
                checked += 1
            else:
                assert text_of(td) == cell.text, f"{where}/{column.key}"
    if table.empty:
        note = trs[-1]
        assert note.get("class") == "empty-note"
        assert text_of(note) == (table.empty_note or "本表无数据。")
        assert note.xpath("./td")[0].get("colspan") == str(ncols)
    return checked


def check_page(d: Disclosure, page: str) -> HtmlElement:
    """Everything a reader needs is on the page, where it belongs; returns the parsed page."""
    doc = parse(page)
    assert doc.get("lang") == "zh-CN"
    assert text_of(doc.xpath("//title")[0]) == d.title
    # self-contained: no external resources at all
    assert not doc.xpath("//link | //img | //iframe | //script[@src] | //*[@src]")
    assert "url(" not in page and "@import" not in page
    ids = set(doc.xpath("//@id"))
    for href in doc.xpath("//a/@href"):
        assert href.startswith("#") and href[1:] in ids, href
    toc = doc.xpath("//nav[@class='toc']")[0]
    toc_links = set(toc.xpath(".//a/@href"))
    for part in d.parts:
        assert f"#part-{part.number}" in toc_links
        section = doc.get_element_by_id(f"part-{part.number}")
        assert text_of(section.xpath("./h2")[0]) == part.title
        paragraphs = [text_of(p) for p in section.xpath("./p")]
        assert paragraphs == [p for s in part.sections for p in s.paragraphs]
    sections = table_sections(doc)
    assert len(sections) == len(d.tables)
    amounts = 0
    for section, table in zip(sections, d.tables, strict=True):
        assert f"#{section.get('id')}" in toc_links, table.id
        assert section.get("data-table") == table.id
        assert text_of(section.xpath("./h3")[0]) == f"表{table.number}{table.title}"
        unit_line = text_of(section.xpath(".//div[@class='unit-line']")[0])
        assert f"单位名称：{table.unit_name or d.unit_name}" in unit_line
        assert f"单位：{table.unit}" in unit_line
        if table.subtitle:
            assert text_of(section.xpath(".//p[@class='subtitle']")[0]) == table.subtitle
        check_header(section, table)
        amounts += check_body(section, table)
    expected_amounts = sum(
        1
        for t in d.tables
        for r in t.rows
        for key, c in r.cells.items()
        if c.kind is CellKind.AMOUNT or (t.column(key) is not None and t.column(key).kind is CellKind.AMOUNT)
    )
    assert amounts >= expected_amounts
    assert len(doc.xpath("//td[contains(concat(' ', @class, ' '), ' amt ')]")) == amounts
    duplicates = [i for i, n in Counter(doc.xpath("//@id")).items() if n > 1]
    assert not duplicates
    return doc


def test_page_matches_disclosure(small_disclosure: Disclosure) -> None:
    check_page(small_disclosure, render_html(small_disclosure))


def test_large_page_matches_disclosure(large_disclosure: Disclosure) -> None:
    check_page(large_disclosure, render_html(large_disclosure))


def test_example_page_matches_disclosure(example_disclosure: Disclosure) -> None:
    d = example_disclosure
    doc = check_page(d, render_html(d))
    # every printed 附表 entry is linked (表5 is not missing here, unlike the seed), 表15 per project
    appendix = doc.xpath("//nav[@class='toc']//ol[@class='appendix']")[0]
    assert not appendix.xpath(".//li[@class='missing']")
    assert len(appendix.xpath("./li")) == 15
    projects = appendix.xpath("./li[15]/ol[@class='instances']/li/a")
    assert len(projects) == len(d.tables_by_id("T15")) > 1
    assert text_of(projects[0]) == "产业转型升级资金"
    t1 = doc.get_element_by_id("table-T1")
    assert [(text_of(th), th.get("colspan")) for th in t1.xpath(".//thead/tr[1]/th")] == [("收 入", "2"),
                                                                                          ("支 出", "2")]
    total = t1.xpath(".//tr[@data-key='income=all;exp=total']")[0]
    assert [text_of(td) for td in total.xpath("./th|./td")] == ["收入总计", "17,144.13", "支出总计", "17,144.13"]
    assert [th.get("scope") for th in total.xpath("./th")] == ["row", "row"]  # both sides of the 收支总表
    assert json.loads(total.xpath("./td")[0].get("data-sources"))  # provenance present
    t14 = doc.get_element_by_id("table-T14")
    funds = t14.xpath(".//tbody/tr[th='部门总体资金情况（万元）']")[0]  # the official form's group label
    assert [text_of(c) for c in funds.xpath("./th|./td")] == ["部门总体资金情况（万元）", "资金总额", "17,144.13"]
    assert funds.xpath("./th")[0].get("rowspan") == "4"
    header = t14.xpath(".//tbody/tr[th='年度绩效指标']")[0]
    assert [text_of(c) for c in header.xpath("./th")] == ["年度绩效指标", "一级指标", "二级指标", "指标内容", "指标值"]


def test_header_spans(small_disclosure: Disclosure) -> None:
    doc = parse(render_html(small_disclosure))
    first, second = doc.get_element_by_id("table-T7").xpath(".//thead/tr")
    assert [(text_of(th), th.get("rowspan"), th.get("colspan")) for th in first.xpath("./th")] == [
        ("预算单位", "2", None),
        ("科目编码", "2", None),
        ("科目名称", "2", None),
        ("支出总计", "2", None),
        ("其中", None, "2"),
    ]
    assert [text_of(th) for th in second.xpath("./th")] == ["基本支出", "项目支出"]


def test_indentation_totals_and_provenance(small_disclosure: Disclosure) -> None:
    doc = parse(render_html(small_disclosure))
    table = doc.get_element_by_id("table-T7")

    def row(key: str) -> HtmlElement:
        return table.xpath(f".//tbody/tr[@data-key='{key}']")[0]

    def cells(key: str) -> list[HtmlElement]:
        return row(key).xpath("./th|./td")

    assert cells("201")[2].get("class") == "txt" and cells("201")[2].tag == "th"
    assert cells("20132")[2].get("class") == "txt lv2"
    assert cells("2013299")[2].get("class") == "txt lv3"
    assert cells("2013299")[1].get("class") == "code" and cells("2013299")[1].tag == "td"
    total = row("total")
    assert total.get("class") == "total"
    td = total.xpath("./td[@data-col='total']")[0]
    assert td.get("data-value") == "17144.13"
    assert json.loads(td.get("data-sources")) == ["basic[0]", "basic[1]", "projects[0]"]
    words = text_of(doc.get_element_by_id(td.xpath("./a")[0].get("aria-describedby")))
    assert words == ("由 3 项合计，来源：预算源文件：基本支出第 1 条；预算源文件：基本支出第 2 条；"
                     "预算源文件：第 1 个项目。精确值：17144.125。为使合计相符，舍入时调整了 +0.01。")
    blank = row("201").xpath("./td[@data-col='basic']")[0]
    assert text_of(blank) == "" and blank.get("data-sources") == "[]"


def test_form_table_and_empty_table(small_disclosure: Disclosure) -> None:
    doc = parse(render_html(small_disclosure))
    form = doc.get_element_by_id("table-T15-1")
    assert form.get("data-instance") == "P001"
    assert not form.xpath(".//thead")  # a form has no header row
    field = form.xpath(".//tr[@data-key='total']")[0]
    label, value = field.xpath("./th|./td")
    assert label.tag == "th" and label.get("scope") == "row"
    assert text_of(label) == "资金总额（万元）" and value.get("colspan") == "4"
    assert text_of(value) == "13,800.00" and json.loads(value.get("data-sources")) == ["projects[P001]"]
    heading = form.xpath(".//tr[@data-key='indicators']/th")
    assert len(heading) == 1 and heading[0].get("colspan") == "5"
    assert "landscape" in doc.get_element_by_id("table-T15-2").get("class")
    empty = doc.get_element_by_id("table-T8")
    assert text_of(empty.xpath(".//tr[@class='empty-note']")[0]) == "本单位无政府性基金预算支出，本表为空表。"
    assert len(empty.xpath(".//thead/tr")) == 2


def test_contents_lists_printed_entries_and_instances(small_disclosure: Disclosure) -> None:
    doc = parse(render_html(small_disclosure))
    appendix = doc.xpath("//nav[@class='toc']//ol[@class='appendix']")[0]
    entries = appendix.xpath("./li")
    assert [text_of(li).split("\n")[0].strip() for li in entries] == [
        "5. 项目支出预算表（未附）",
        "7. 一般公共预算支出情况表",
        "8. 政府性基金预算支出情况表",
        "15. 项目支出绩效目标表",
    ]
    assert entries[0].get("class") == "missing" and not entries[0].xpath(".//a")
    instances = entries[3].xpath(".//ol[@class='instances']/li/a")
    assert [(text_of(a), a.get("href")) for a in instances] == [
        ("产业转型升级资金", "#table-T15-1"),
        ("人才建设经费", "#table-T15-2"),
    ]


def test_text_is_escaped(small_disclosure: Disclosure) -> None:
    page = render_html(small_disclosure)
    doc = parse(page)
    assert len(doc.xpath("//script")) == 1  # only the figures data block
    assert "行政编制数 15 人 <script>alert(1)</script> & 实有 14 人。" in [text_of(p) for p in doc.xpath("//p")]
    assert "&lt;script&gt;" in page


def test_figures_data_and_print_stylesheet(small_disclosure: Disclosure) -> None:
    page = render_html(small_disclosure)
    doc = parse(page)
    figures = json.loads(text_of(doc.get_element_by_id("disclosure-figures")))
    assert figures["income.total"] == {"text": "17,144.13", "unit": "万元", "value": "17144.13",
                                       "sources": ["basic[0]"]}
    style = text_of(doc.xpath("//style")[0])
    assert "@media print" in style and "size: A4" in style and "size: A4 landscape" in style
    assert "thead { display: table-header-group; }" in style
    assert "section.table-block { break-before: page;" in style
    assert "nav.toc, .no-print, details.provenance { display: none; }" in style
    assert "tabular-nums" in style and "tr.total td, tr.total th { font-weight: bold;" in style


def test_charts_numbered_in_their_parts(small_disclosure: Disclosure) -> None:
    without = parse(render_html(small_disclosure))
    assert not without.xpath("//figure")
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" '
           'height="10"><defs><path id="m1" d="M0 0"/><clipPath id="c1"><rect width="5" height="5"/></clipPath>'
           '</defs><g id="axes_1" clip-path="url(#c1)"><use xlink:href="#m1"/></g></svg>')
    parts = sorted(p.number for p in small_disclosure.parts)
    charts = [("支出构成", svg, parts[-1]), ("收入构成", svg, parts[0]), ("无处可放", svg, 99)]
    doc = parse(render_html(small_disclosure, charts=charts))
    figures = doc.xpath("//figure")
    assert [text_of(f.xpath("./figcaption")[0]) for f in figures] == ["图1  收入构成", "图2  支出构成", "图3  无处可放"]
    assert [f.getparent().get("id") for f in figures] == [f"part-{parts[0]}", f"part-{parts[-1]}",
                                                          f"part-{parts[-1]}"]
    duplicates = [i for i, n in Counter(doc.xpath("//@id")).items() if n > 1]
    assert not duplicates
    first = figures[0]
    defined = set(first.xpath(".//@id"))
    assert {"figure-1-m1", "figure-1-c1", "figure-1-axes_1"} <= defined
    assert first.xpath(".//*[local-name()='g']")[0].get("clip-path") == "url(#figure-1-c1)"
    assert first.xpath(".//*[local-name()='use']")[0].get("xlink:href") == "#figure-1-m1"


def test_chart_numbers_follow_the_page() -> None:
    assert html_render.chart_numbers([3, 2, 3, 5], [1, 2, 3, 4, 5]) == [(2, 3), (1, 2), (3, 3), (4, 5)]
    assert html_render.chart_numbers([9], [1, 2]) == [(1, 2)]


def test_provenance_names_source_lines(example_budget: Budget, example_disclosure: Disclosure) -> None:
    doc = parse(render_html(example_disclosure, budget=example_budget))
    notes = [text_of(li) for li in doc.xpath("//details[@class='provenance']//li")]
    assert notes and not [n for n in notes if INTERNAL_KEY.search(n)]
    # one basic line named by file line and catalog names, as the source file has it
    line = example_budget.basic_lines[0]
    named = f"预算源文件第 {line.ref.line} 行：基本支出：{line.exp_func_code} "
    assert any(named in n and f" / {line.dep_bgt_eco_code} " in n for n in notes)
    assert any("预算源文件第" in n and "项目“" in n for n in notes)
    # every amount with sources is a keyboard-reachable link described by its note
    links = doc.xpath("//td[@class='amt']/a[@class='src']")
    assert links and all(doc.get_element_by_id(a.get("aria-describedby")) is not None for a in links)


def test_write_html(small_disclosure: Disclosure, tmp_path: Path) -> None:
    path = write_html(small_disclosure, tmp_path / "out.html")
    assert path.read_text(encoding="utf-8") == render_html(small_disclosure)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.html"]


def test_template_compiled_once() -> None:
    assert html_render._template() is html_render._template()


@pytest.mark.parametrize("sources", [("a", "b"), ('say "hi"', "back\\slash"), ("tab\there",), ()])
def test_sources_json_is_valid_json(sources: tuple[str, ...]) -> None:
    assert json.loads(html_render.sources_json(sources)) == list(sources)

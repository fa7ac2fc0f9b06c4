"""Structure recovery: a document's lines → ``Disclosure`` + ``ImportReport``.

Every reader ends here, so a text file, a workbook, a web page, a PDF and a Word file of the
same disclosure are understood the same way: segment the lines (title, contents, parts,
table blocks), recognise the template from the table titles, read each table as the template
describes it, and report whatever was skipped or could not be placed.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from deptbudget.catalog import Catalog, CatalogError, available_years, load_catalog
from deptbudget.importers.continued import join_continued
from deptbudget.importers.errors import FinalAccountsError, NotABudgetError
from deptbudget.importers.grid import unit_line
from deptbudget.importers.narrative import read_narrative
from deptbudget.importers.numbering import split_number
from deptbudget.importers.printed_codes import printed_codes, recode_by_printed_codes
from deptbudget.importers.report import ImportReport, Skipped, TableReport
from deptbudget.importers.segment import COVER_OWNER, Block, Layout, segment
from deptbudget.importers.source import SourceLine, squash
from deptbudget.importers.tables import TableContext, build_table, columns_misfit, misfit_tables
from deptbudget.importers.titles import (
    canonical_title,
    choose_template,
    ends_like_table_title,
    is_final_accounts,
    title_index,
)
from deptbudget.model.disclosure import TABLES_CONTENTS, UNTITLED, Disclosure, Table
from deptbudget.model.final_accounts import DocumentKind
from deptbudget.template import Builder, Template, load_template

_YEAR = re.compile(r"(20\d\d)\s*年")
_TITLE_SUFFIX = re.compile(r"(?:部门|单位)?(?:综合)?(?:预算|决算)(?:信息)?(?:公开)?(?:说明|报告)?$")
_TITLE_YEAR = re.compile(r"\s*20\d\d\s*年(?:度)?")
_SUMMARY_MARK = re.compile(r"[（(]汇总[)）]$")  # ``西安市审计局（汇总）``: the department, all its units
_FRONT_KEYS = {"单位名称": "unit_name", "部门名称": "unit_name", "预算年度": "year", "文件类型": "kind"}


def _front_facts(front: list[SourceLine]) -> dict[str, str]:
    facts: dict[str, str] = {}
    for line in front:
        filled = line.filled
        if len(filled) == 2 and squash(filled[0][1]) in _FRONT_KEYS:
            facts.setdefault(_FRONT_KEYS[squash(filled[0][1])], filled[1][1].strip())
    return facts


def _fiscal_year(title: str, layout: Layout, facts: dict[str, str], report: ImportReport) -> int:
    candidates = [facts.get("year", ""), title, *(b.title.title + b.title.subtitle for b in layout.blocks)]
    for text in candidates:
        match = _YEAR.search(text) or re.fullmatch(r"(20\d\d)", text)
        if match:
            return int(match.group(1))
    for block in layout.blocks:
        for line in block.lines[:8]:
            match = _YEAR.search(line.text)
            if match:
                return int(match.group(1))
    year = available_years()[-1]
    report.note(f"未找到预算年度，按 {year} 年处理 (fiscal year not found; assumed {year})", approximate=True)
    return year


def _unit_name(title: str, layout: Layout, facts: dict[str, str]) -> str:
    names = Counter(meta[0] for b in layout.blocks for line in b.lines[:6]
                    if (meta := unit_line(line)) is not None and meta[0])
    if names:
        return names.most_common(1)[0][0]
    if facts.get("unit_name"):
        return facts["unit_name"]
    year = _TITLE_YEAR.search(title)
    name = title[:year.start()] if year is not None and year.start() > 0 else _TITLE_YEAR.sub("", title, count=1)
    return _SUMMARY_MARK.sub("", _TITLE_SUFFIX.sub("", name.strip())).strip()


def _catalog(year: int, report: ImportReport) -> Catalog:
    """The year's classification catalog, or the earliest one when the year precedes them all."""
    try:
        return load_catalog(year)
    except CatalogError:
        earliest = available_years()[0]
        report.note(f"{year} 年无分类科目数据，按 {earliest} 年科目识别 (no catalog for {year}; used {earliest})",
                    approximate=True)
        return load_catalog(earliest)


def _document_kind(title: str, layout: Layout, facts: dict[str, str]) -> DocumentKind:
    """决算 when the document's title (or its cover's 文件类型) says so, or most of its table titles do."""
    titles = [b.title.title for b in layout.blocks]
    final = sum(1 for t in titles if is_final_accounts(t))
    if is_final_accounts(title) or is_final_accounts(facts.get("kind", "")) or (titles and final * 2 > len(titles)):
        return DocumentKind.FINAL_ACCOUNTS
    return DocumentKind.BUDGET


def missing_tables(contents: list[str], tables: list[Table], unit_name: str) -> list[str]:
    numbers = {t.number for t in tables}
    titles = {canonical_title(t.title, unit_name) for t in tables}
    out = []
    for entry in contents:
        number, _, title = entry.partition(". ")
        if number not in numbers and canonical_title(title, unit_name) not in titles:
            out.append(entry)
    return out


def _front_info(front: list[SourceLine]) -> tuple[dict[str, str], list[SourceLine]]:
    """Key/value lines before the parts (a workbook's 说明 sheet): kept in ``meta`` as
    ``info.<key>``; the other lines, which belong nowhere."""
    info: dict[str, str] = {}
    rest: list[SourceLine] = []
    for line in front:
        filled = line.filled
        owner = COVER_OWNER.match(line.text.strip()) if len(filled) == 1 else None
        if len(filled) == 2 and len(filled[0][1]) <= 12:
            info[f"info.{filled[0][1].strip()}"] = filled[1][1].strip()
        elif owner is not None:
            info[f"info.{owner.group(1)}"] = owner.group(2).strip()
        else:
            rest.append(line)
    return info, rest




_LEADER_PAGE = re.compile(r"[\s.．·…-]*\d*\s*$")  # a contents entry's dot leader and page number


def _contents_of_tables(layout: Layout) -> bool:
    """Whether the document's contents list tables and nothing else (``TABLES_CONTENTS``)."""
    entries = [squash(_LEADER_PAGE.sub("", line.text)) for line in layout.toc]
    entries = [entry for entry in entries if entry and entry != "目录"]
    if not (layout.contents or entries):
        return False
    for entry in entries:
        numbered = split_number(entry)
        rest = numbered.rest if numbered is not None else entry
        if not (ends_like_table_title(rest) or "报表" in rest):
            return False
    return True


def _report_layout(layout: Layout, report: ImportReport, unassigned: list[SourceLine]) -> None:
    for line in layout.toc:
        report.skipped.append(Skipped(line.text, "目录 (table of contents)", line.where))
    for line in unassigned:
        report.unassigned.append(Skipped(line.text, "不属于任何部分或表格 (belongs to no part or table)", line.where))
    for line, reason in layout.skipped:
        report.skipped.append(Skipped(line.text, reason, line.where))


def _match_spec(template: Template | None, title: str, unit_name: str) -> str | None:
    if template is None:
        return None
    return title_index().match(template.name, title, unit_name)


def _read_tables(layout: Layout, template: Template | None, ctx: TableContext) -> tuple[list[Table],
                                                                                          list[TableReport]]:
    """Every table block read as ``template`` describes it (generically where it has no such table),
    continued tables joined, 功能分类 codes completed from the codes printed elsewhere."""
    def spec_of(block: Block) -> str | None:
        return _match_spec(template, block.title.title, ctx.unit_name)

    def is_form(block: Block) -> bool:
        spec_id = spec_of(block)
        return template is not None and spec_id is not None and template.table(spec_id).layout == "form"

    tables: list[Table] = []
    reports: list[TableReport] = []
    func_tables: list[Table] = []
    for block in join_continued(layout.blocks, is_form, spec_of):
        spec_id = spec_of(block)
        spec = template.table(spec_id) if template is not None and spec_id else None
        table, table_report = build_table(block, spec, ctx)
        if table.empty and not table.empty_note and table.number in layout.listed_empty:
            table.empty_note = f"目录：{layout.listed_empty[table.number]}"  # the contents say 空表, and why
        tables.append(table)
        reports.append(table_report)
        if spec is not None and spec.builder is Builder.FUNC_TREE:
            func_tables.append(table)
    codes = printed_codes(func_tables)
    for table, table_report in zip(tables, reports, strict=True):
        recode_by_printed_codes(table, codes, table_report)
    _unique_ids(tables)
    return tables, reports


def _numbers_from_contents(tables: list[Table], contents: list[str], unit_name: str) -> None:
    """A table printed without its number (上海: 2026年预算单位收入预算总表) takes the number its title has in the
    contents list (``2. 2026年预算单位收入预算总表``), so that findings name it 表2."""
    listed: dict[str, str] = {}
    for entry in contents:
        number, _, title = entry.partition(". ")
        listed.setdefault(canonical_title(title, unit_name), number)
    taken = {table.id for table in tables}
    for table in tables:
        if not table.number and (number := listed.get(canonical_title(table.title, unit_name))):
            table.number = number
            if table.id.startswith("X?") and f"X{number}" not in taken:
                table.id = f"X{number}"
                taken.add(table.id)


def _unique_ids(tables: list[Table]) -> None:
    """Tables no template describes are ``X<number>``; a document that numbers its 绩效目标表 afresh (烟台: a
    second 表2) would give two tables one id, and whatever looks tables up by id would see only one."""
    seen: Counter[str] = Counter()
    for table in tables:
        seen[table.id] += 1
        if table.id.startswith("X") and seen[table.id] > 1:
            table.id = f"{table.id}-{seen[table.id]}"


def _tables_named(layout: Layout, unit_name: str) -> tuple[list[str], str, list[str | None], list[str]]:
    """The titles, numbers and printed markers of the document's tables — or, in a 说明 whose tables are published
    in another file, of the tables its contents list: either says which locality's template it follows."""
    if layout.blocks or not layout.contents:
        return ([b.title.title for b in layout.blocks], unit_name, [b.title.number for b in layout.blocks],
                [b.title.marker for b in layout.blocks])
    listed = [entry.split(". ", 1) for entry in layout.contents]
    return [title for _, title in listed], unit_name, [number for number, _ in listed], [""] * len(listed)


def recover(lines: list[SourceLine], source: str, fmt: str, pages: int | None = None) -> tuple[Disclosure,
                                                                                            ImportReport]:
    report = ImportReport(source=source, format=fmt, pages=pages, lines=len(lines))
    index = title_index()
    layout = segment(lines, index.known)
    title = layout.title.text if layout.title is not None else ""
    facts = _front_facts(layout.front)
    kind = _document_kind(title, layout, facts)
    if not layout.blocks and not layout.parts:
        if kind is DocumentKind.FINAL_ACCOUNTS:
            raise FinalAccountsError(source, f"标题 (title): {title}")
        raise NotABudgetError(source)
    year = _fiscal_year(title, layout, facts, report)
    unit_name = _unit_name(title, layout, facts)
    choice = choose_template(*_tables_named(layout, unit_name), kind=kind)
    template = load_template(choice.name) if choice.name else None
    report.template, report.template_scores = choice.name, choice.scores
    if choice.rejected:
        report.note(f"模板 {choice.rejected} 只认出本文件的部分表格，不足以判定为该模板，按通用读法读取"
                    f" (template {choice.rejected} recognises too few of the tables; read generically)")
    catalog = _catalog(year, report)
    tables, table_reports = _read_tables(layout, template, TableContext(
        catalog, year, unit_name, template.amount_unit if template else "万元"))
    misfits = misfit_tables(table_reports)
    if template is not None and columns_misfit(table_reports):
        report.note(f"模板 {template.name} 的表列与本文件不符（{'、'.join(misfits)} 印有模板未描述的金额列），"
                    f"按通用读法读取 (the columns of template {template.name} do not fit this document's "
                    "tables; read generically)")
        template = None
        report.template = None
        tables, table_reports = _read_tables(layout, None, TableContext(catalog, year, unit_name, "万元"))
    report.tables.extend(table_reports)
    _numbers_from_contents(tables, layout.contents, unit_name)
    if template is not None:
        found = {t.id for t in tables}
        absent = [f"{s.id} {s.title}" for s in template.tables if s.id not in found]
        if absent:
            report.note(f"模板中的表未找到 (template tables not found): {', '.join(absent)}")
    parts, figures = read_narrative(layout.parts, kind is DocumentKind.FINAL_ACCOUNTS)
    report.missing_tables = missing_tables(layout.contents, tables, unit_name)
    info, unassigned = _front_info(layout.front)
    _report_layout(layout, report, unassigned)
    untitled = not title
    if untitled:
        title = f"{year} 年{unit_name}{kind}"
        report.note(f"文件无总标题，使用“{title}” (no document title found)")
    meta = {"source": Path(source).name, "imported_from": fmt, "catalog_year": str(catalog.fiscal_year),
            "import": report.summary(), **info}
    if untitled:
        meta[UNTITLED] = "文件无总标题"
    if _contents_of_tables(layout):
        meta[TABLES_CONTENTS] = "目录只列表格"
    disclosure = Disclosure(template=template.name if template else "unknown", fiscal_year=year,
                            unit_name=unit_name, title=title, kind=kind.value, parts=parts, tables=tables,
                            figures=figures, contents=layout.contents, meta=meta)
    return disclosure, report

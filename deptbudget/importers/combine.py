"""One disclosure published as several files — 北京 publishes 附件1 情况说明 (the narrative) and 附件2 报表
(the tables) — read as one: each file is read on its own, then the pieces are put together. The
tables come from the file that read the most of them (its template is the disclosure's); another
file adds the tables it read that the first lacks (a contents list naming tables printed elsewhere
adds nothing). Narrative parts, figures and notes of every file are kept, in the order given.
"""

from __future__ import annotations

from deptbudget.importers.recover import missing_tables
from deptbudget.importers.report import ImportReport
from deptbudget.model.disclosure import Disclosure, Table


def _read(table: Table) -> bool:
    """A table that was read: rows, or printed empty with its note."""
    return bool(table.rows) or bool(table.empty_note)


def _primary(disclosures: list[Disclosure]) -> int:
    return max(range(len(disclosures)), key=lambda i: (sum(_read(t) for t in disclosures[i].tables), -i))


def _first(values: list[str]) -> str:
    return next((v for v in values if v), "")


def combine_disclosures(disclosures: list[Disclosure]) -> Disclosure:
    """The files of one disclosure, in the order given, as one ``Disclosure``."""
    if len(disclosures) == 1:
        return disclosures[0]
    main = disclosures[_primary(disclosures)]
    tables: list[Table] = []
    taken = {t.id for t in main.tables}
    for disclosure in disclosures:
        if disclosure is main:
            tables.extend(main.tables)
            continue
        extra = [t for t in disclosure.tables if _read(t) and t.id not in taken]
        tables.extend(extra)
        taken |= {t.id for t in extra}
    figures = {}
    for disclosure in disclosures:
        for key, figure in disclosure.figures.items():
            figures.setdefault(key, figure)
    meta = dict(main.meta)
    meta["source"] = " + ".join(d.meta.get("source", "") for d in disclosures)
    return Disclosure(
        template=main.template, fiscal_year=main.fiscal_year,
        unit_name=_first([main.unit_name, *(d.unit_name for d in disclosures)]),
        title=_first([d.title for d in disclosures]), kind=main.kind,
        parts=[part for d in disclosures for part in d.parts], tables=tables, figures=figures,
        contents=next((d.contents for d in disclosures if d.contents), []), meta=meta,
        acknowledged=[a for d in disclosures for a in d.acknowledged])


def combine_reports(disclosure: Disclosure, reports: list[ImportReport]) -> ImportReport:
    """The import reports of the files, as one report of the combined ``disclosure``."""
    main = next((r for r in reports if r.template == disclosure.template), reports[0])
    pages = [r.pages for r in reports]
    report = ImportReport(
        source=" + ".join(r.source for r in reports), format=main.format, template=disclosure.template,
        template_scores=dict(main.template_scores),
        pages=sum(p for p in pages if p is not None) if any(p is not None for p in pages) else None,
        lines=sum(r.lines for r in reports), tables=[t for r in reports for t in r.tables],
        missing_tables=missing_tables(disclosure.contents, disclosure.tables, disclosure.unit_name),
        unassigned=[s for r in reports for s in r.unassigned], skipped=[s for r in reports for s in r.skipped],
        notes=[n for r in reports for n in r.notes])
    report.note(f"{len(reports)} 个文件合并为一份公开文件 ({len(reports)} files read as one disclosure)")
    return report


def combine(pieces: list[tuple[Disclosure, ImportReport]]) -> tuple[Disclosure, ImportReport]:
    """Each file's (Disclosure, ImportReport) → the one disclosure they publish together."""
    if len(pieces) == 1:
        return pieces[0]
    disclosure = combine_disclosures([d for d, _ in pieces])
    report = combine_reports(disclosure, [r for _, r in pieces])
    disclosure.meta["import"] = report.summary()
    return disclosure, report

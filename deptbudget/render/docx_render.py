"""Disclosure → DOCX (python-docx): the same document as the PDF, editable in Word/WPS.

Cover, the contents with the PDF's page numbers (entries, not a field: no update prompt, and the
numbers agree with the published PDF — see :mod:`deptbudget.render.docx_contents`), the eight parts
as Heading 1 with their sections as Heading 2 (so the navigation pane lists them), charts, then
the 附表 (Heading 1) with each table title as Heading 2 and real Word tables: merged header
cells, header rows repeated on every page, merged 指标 cells in the form tables, wide tables in
landscape sections, "第 N 页" in the footer. East Asian fonts are set explicitly (w:eastAsia):
宋体 for text and tables, 黑体 for headings — the faces of published 部门预算 documents,
present on every Chinese Windows; other systems substitute their CJK fonts.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section as DocxSection
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle as DocxParagraphStyle
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from deptbudget.model.disclosure import Disclosure, Part, RowKind, Table
from deptbudget.render.corrections import TITLE as CORRECTIONS_TITLE
from deptbudget.render.corrections import corrections_part
from deptbudget.render.docx_tables import append_rows, twips
from deptbudget.render.files import atomic_output
from deptbudget.render.grid import TableGrid, table_grid
from deptbudget.render.pdf import cover_lines
from deptbudget.render.pdf_styles import register_font
from deptbudget.render.pdf_widths import column_widths
from deptbudget.render.reproducible import document_date, normalize_zip

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
A4_MM = (210, 297)
MARGINS_MM = {"portrait": (25, 25, 22, 22), "landscape": (15, 15, 15, 18)}  # left, right, top, bottom
HEADER_FILL = "EDEDED"
TOTAL_FILL = "F6F6F6"
CHART_WIDTH_MM = 150
CHART_DPI = 150
PT_PER_MM = 72 / 25.4
# WordprocessingML child order (ECMA-376): new elements go before these siblings
SECTPR_AFTER_PGNUMTYPE = (
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
)


# --------------------------------------------------------------------------- styles


def _set_fonts(rpr_owner: Any, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Explicit fonts for Latin and East Asian text; theme fonts removed so they take effect."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)


def _paragraph_style(
    doc: DocxDocument, name: str, size: float, east_asia: str = BODY_FONT, base: str = "Normal"
) -> DocxParagraphStyle:
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, 1)
    if name != base:
        style.base_style = styles[base]
    style.font.size = Pt(size)
    style.font.color.rgb = RGBColor(0, 0, 0)
    _set_fonts(style.element, east_asia)
    return style


def setup_styles(doc: DocxDocument) -> None:
    normal = _paragraph_style(doc, "Normal", 12)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")  # Chinese line breaking and punctuation in Word
    normal.element.get_or_add_rPr().insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.5
    for name, size, before, after in (("Heading 1", 16, 12, 12), ("Heading 2", 14, 8, 4)):
        style = _paragraph_style(doc, name, size, HEADING_FONT)
        style.font.bold = False  # 黑体 is already heavy; Word's synthetic bold smears it
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after, fmt.keep_with_next = Pt(before), Pt(after), True
    doc.styles["Heading 1"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    body = _paragraph_style(doc, "部门预算正文", 12)
    body.paragraph_format.first_line_indent = Pt(24)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    title = _paragraph_style(doc, "附表标题", 16, HEADING_FONT)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table_text = _paragraph_style(doc, "表格文字", 9)
    table_text.paragraph_format.line_spacing = 1.0
    contents = _paragraph_style(doc, "目录条目", 12)
    contents.paragraph_format.line_spacing = 1.5
    small = _paragraph_style(doc, "表格说明", 10.5)
    small.paragraph_format.line_spacing = 1.15
    caption = _paragraph_style(doc, "Caption", 10.5)
    caption.font.bold, caption.font.italic = False, False
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for name in ("Title", "Footer"):
        _paragraph_style(doc, name, 12 if name == "Footer" else 26, HEADING_FONT)
    _no_title_border(doc.styles["Title"])


def _resolve_style_names_once(doc: DocxDocument) -> None:
    """python-docx resolves a style name to its id for every paragraph it styles, scanning all the styles each
    time (to tell the default style): ≈ 40 % of the DOCX's time once the tables are written in one pass. The ids
    are fixed once ``setup_styles`` has run, so each name is resolved once per document."""
    part = doc.part
    resolve = part.get_style_id
    ids: dict[tuple[str, Any], str | None] = {}

    def get_style_id(style_or_name: Any, style_type: Any) -> str | None:
        if not isinstance(style_or_name, str):
            return resolve(style_or_name, style_type)
        key = (style_or_name, style_type)
        if key not in ids:
            ids[key] = resolve(style_or_name, style_type)
        return ids[key]

    setattr(part, "get_style_id", get_style_id)  # noqa: B010  (this document only)


def _no_title_border(style: DocxParagraphStyle) -> None:
    ppr = style.element.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))
    if border is not None:
        ppr.remove(border)


# --------------------------------------------------------------------------- page setup


def _page_setup(section: DocxSection, orientation: str) -> None:
    width, height = A4_MM if orientation == "portrait" else A4_MM[::-1]
    section.orientation = WD_ORIENT.PORTRAIT if orientation == "portrait" else WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(width), Mm(height)
    left, right, top, bottom = MARGINS_MM[orientation]
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.footer_distance = Mm(8)


def text_width_pt(orientation: str) -> float:
    left, right, _, _ = MARGINS_MM[orientation]
    width = A4_MM[0] if orientation == "portrait" else A4_MM[1]
    return (width - left - right) * PT_PER_MM


def _field(paragraph: DocxParagraph, instruction: str, placeholder: str = "") -> None:
    """A complex field (PAGE, TOC …) with a cached result Word shows until it updates."""
    run = paragraph.add_run()
    for kind, text in (
        ("begin", None),
        ("instr", instruction),
        ("separate", None),
        ("text", placeholder),
        ("end", None),
    ):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
            run._r.append(el)
        elif kind == "text":
            if text:
                el = OxmlElement("w:t")
                el.text = text
                run._r.append(el)
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._r.append(el)


def _numbered_footer(section: DocxSection) -> None:
    section.footer.is_linked_to_previous = False
    paragraph = section.footer.paragraphs[0]
    paragraph.style = "Footer"
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("第 ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" 页")
    pg = OxmlElement("w:pgNumType")
    pg.set(qn("w:start"), "1")
    section._sectPr.insert_element_before(pg, *SECTPR_AFTER_PGNUMTYPE)


# --------------------------------------------------------------------------- front matter, parts


def add_cover(doc: DocxDocument, d: Disclosure) -> None:
    for _ in range(7):
        doc.add_paragraph()
    for line in cover_lines(d):
        p = doc.add_paragraph(line, style="Title")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for _ in range(12):
        doc.add_paragraph()
    p = doc.add_paragraph(d.unit_name)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if d.meta.get("published"):
        doc.add_paragraph(d.meta["published"]).alignment = WD_ALIGN_PARAGRAPH.CENTER


def add_contents(doc: DocxDocument, entries: Sequence[tuple[int, str]], pages: Sequence[int | None]) -> None:
    """The contents: one paragraph per entry, its title, a dot leader and its page number in the PDF
    (``pages``; blank where unknown)."""
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    heading = doc.add_paragraph("目  录", style="附表标题")
    heading.paragraph_format.space_after = Pt(12)
    width = Pt(text_width_pt("portrait"))
    for (level, text), page in zip(entries, pages, strict=True):
        paragraph = doc.add_paragraph(style="目录条目")
        paragraph.paragraph_format.left_indent = Pt(24 * level)
        paragraph.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        paragraph.add_run(f"{text}\t{page if page is not None else ''}")


def add_part(doc: DocxDocument, part: Part, charts: Sequence[ChartPicture]) -> None:
    """A part: its heading, sections and paragraphs, each chart after the paragraph that speaks of it, the
    others at its end (``chart_placement``, as in the PDF and HTML)."""
    doc.add_paragraph(part.title, style="Heading 1")
    for s_index, section in enumerate(part.sections):
        if section.heading:
            doc.add_paragraph(section.heading, style="Heading 2")
        for p_index, text in enumerate(section.paragraphs):
            doc.add_paragraph(text, style="部门预算正文")
            for chart in charts:
                if chart.after == (s_index, p_index):
                    chart.add_to(doc)
    for chart in charts:
        if chart.after is None:
            chart.add_to(doc)


@dataclass(frozen=True)
class ChartPicture:
    number: int
    title: str
    png: bytes
    after: tuple[int, int] | None = None  # (section, paragraph) of its part it follows; None: the end of the part

    def add_to(self, doc: DocxDocument) -> None:
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        shape = paragraph.add_run().add_picture(io.BytesIO(self.png), width=Mm(CHART_WIDTH_MM))
        shape._inline.docPr.set("descr", f"图{self.number} {self.title}")  # alt text, read by screen readers
        shape._inline.docPr.set("title", self.title)
        doc.add_paragraph(f"图{self.number}  {self.title}", style="Caption")


def chart_pictures(d: Disclosure) -> dict[int, list[ChartPicture]]:
    """The charts by the part they are in (after a paragraph or at its end), numbered 图1… as the PDF numbers
    them (``render.chart_placement``; a chart whose part the disclosure lacks follows the parts)."""
    from deptbudget.render import charts  # matplotlib only when charts are drawn
    from deptbudget.render.chart_placement import placed_charts

    out: dict[int, list[ChartPicture]] = {}
    for placed in placed_charts(d):
        chart = placed.chart
        picture = ChartPicture(placed.number, chart.title, charts.render_png(chart, CHART_DPI, title=False),
                               placed.after)
        out.setdefault(placed.part if placed.part is not None else -1, []).append(picture)
    return out


# --------------------------------------------------------------------------- tables


TABLE_TEXT_ID = "表格文字"  # style id python-docx gives the custom style (its name, spaces removed)
TABLE_GRID_ID = "TableGrid"  # the template's "Table Grid" style


def _column_widths(grid: TableGrid, orientation: str) -> tuple[list[float], float]:
    register_font()  # the PDF's metrics measure the text, so both layouts agree
    return column_widths(grid, text_width_pt(orientation))


def add_table_grid(doc: DocxDocument, t: Table, orientation: str) -> DocxTable:
    """A Word table: cells, merges (header and body), widths, repeated header rows. The table's properties
    go through python-docx; its rows are written in one pass (``render.docx_tables``)."""
    grid = table_grid(t)
    widths, size = _column_widths(grid, orientation)
    table = doc.add_table(rows=0, cols=grid.ncols)
    table._tbl.tblPr.style = TABLE_GRID_ID
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_layout(table, widths)
    fills = [HEADER_FILL if r < grid.header_rows else _row_fill(grid.row_kinds[r]) for r in range(grid.nrows)]
    append_rows(table._tbl, grid, [twips(w) for w in widths], size, TABLE_TEXT_ID, fills)
    return table


def _row_fill(kind: RowKind | None) -> str | None:
    return TOTAL_FILL if kind in (RowKind.TOTAL, RowKind.HEADING) else None


def _fixed_layout(table: DocxTable, widths: Sequence[float]) -> None:
    """Fixed column widths (tblGrid, read by LibreOffice; tcW per cell, read by Word) and the
    PDF's cell padding, so that the widths computed for the text hold."""
    table.autofit = False  # w:tblLayout fixed
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side, size in (("top", 30), ("left", 60), ("bottom", 30), ("right", 60)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(size))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        col.w = Emu(int(width * 12700))


def _unit_line(doc: DocxDocument, t: Table, d: Disclosure, orientation: str) -> None:
    p = doc.add_paragraph(style="表格说明")
    p.paragraph_format.tab_stops.add_tab_stop(Pt(text_width_pt(orientation)), WD_TAB_ALIGNMENT.RIGHT)
    p.add_run(f"单位名称：{t.unit_name or d.unit_name}\t单位：{t.unit}")


def add_table(doc: DocxDocument, t: Table, d: Disclosure, orientation: str, heading: str | None) -> None:
    if heading:
        doc.add_paragraph(heading, style="Heading 1")
    doc.add_paragraph(f"表{t.number}", style="表格说明")
    doc.add_paragraph(
        t.title, style="Heading 2" if _is_first(t, d) else "附表标题"
    ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    if t.subtitle:
        doc.add_paragraph(t.subtitle, style="表格说明").alignment = WD_ALIGN_PARAGRAPH.CENTER
    _unit_line(doc, t, d, orientation)
    add_table_grid(doc, t, orientation)
    if t.empty and t.rows and t.empty_note:
        doc.add_paragraph(f"注：{t.empty_note}", style="表格说明")
    for note in t.notes:
        doc.add_paragraph(note, style="表格说明")


def _is_first(t: Table, d: Disclosure) -> bool:
    return next(x for x in d.tables if x.id == t.id) is t


def _continued_section(doc: DocxDocument) -> DocxSection:
    """A new section that goes on with the page numbers (python-docx copies the previous
    section's properties, including the restart at 1 of the first body section)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    for pg in section._sectPr.findall(qn("w:pgNumType")):
        section._sectPr.remove(pg)
    return section


def add_tables(doc: DocxDocument, d: Disclosure) -> None:
    """Each table from a new page; a new section where the orientation changes."""
    current = "portrait"
    for i, t in enumerate(d.tables):
        orientation = "landscape" if t.landscape else "portrait"
        if orientation != current:
            _page_setup(_continued_section(doc), orientation)
            current = orientation
        else:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        add_table(doc, t, d, orientation, "附表" if i == 0 else None)


# --------------------------------------------------------------------------- entry points


def contents_entries(d: Disclosure) -> list[tuple[int, str]]:
    """(level, text) of the contents: the parts, 附表 and each table once."""
    entries = [(0, part.title) for part in d.parts]
    if d.corrections:
        entries.append((0, CORRECTIONS_TITLE))
    if d.tables:
        entries.append((0, "附表"))
        seen: set[str] = set()
        for t in d.tables:
            if t.id not in seen:
                seen.add(t.id)
                entries.append((1, f"{t.number}. {t.title}"))
    return entries


APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>deptbudget</Application><DocSecurity>0</DocSecurity><Company>{company}</Company>"
    "</Properties>"
)


def _document_properties(doc: DocxDocument, d: Disclosure) -> None:
    """Core and extended properties from the budget (title, department, document date), none from the
    library's template (its 2013 dates, "python-docx", "Microsoft Macintosh Word", its thumbnail)."""
    from xml.sax.saxutils import escape

    props = doc.core_properties
    when = document_date(d).replace(tzinfo=None)
    props.title, props.author, props.subject = d.title, d.unit_name, f"{d.fiscal_year}年{d.kind}"
    props.last_modified_by, props.category, props.keywords = d.unit_name, d.kind, f"{d.fiscal_year};{d.kind}"
    props.comments, props.revision = "", 1
    props.created = props.modified = when
    props.last_printed = when
    props.language = "zh-CN"
    package = doc.part.package
    for part in package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = APP_XML.format(company=escape(d.unit_name)).encode("utf-8")
    for key, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package.rels[key]


def contents_pages(d: Disclosure, entries: Sequence[tuple[int, str]], charts: bool,
                   pdf: bytes | Path | None) -> list[int | None]:
    """The page numbers of the contents entries in the PDF of ``d`` (``pdf``: that PDF when it was
    just written; else it is laid out here, in memory)."""
    from deptbudget.render.docx_contents import contents_page_numbers, pdf_outline_pages

    if pdf is None:
        from deptbudget.render.pdf import pdf_bytes

        pdf = pdf_bytes(d, charts)
    return contents_page_numbers(entries, pdf_outline_pages(pdf))


def build_docx(d: Disclosure, charts: bool = True, pdf: bytes | Path | None = None) -> DocxDocument:
    """The DOCX document; ``pdf`` is the PDF of the same disclosure when one was written (its page
    numbers fill the contents), else the PDF is laid out to find them."""
    doc = Document()
    setup_styles(doc)
    _resolve_style_names_once(doc)
    _document_properties(doc, d)
    _page_setup(doc.sections[0], "portrait")
    add_cover(doc, d)
    entries = contents_entries(d)
    add_contents(doc, entries, contents_pages(d, entries, charts, pdf))
    body = doc.add_section(WD_SECTION.NEW_PAGE)
    _page_setup(body, "portrait")
    _numbered_footer(body)
    pictures = chart_pictures(d) if charts else {}
    for part in d.parts:  # parts follow one another on the page, as printed
        add_part(doc, part, pictures.get(part.number, []))
    for number in sorted(set(pictures) - {p.number for p in d.parts}):
        for picture in pictures[number]:
            picture.add_to(doc)
    corrections = corrections_part(d)
    if corrections is not None:
        add_part(doc, corrections, [])
    add_tables(doc, d)
    return doc


def write_docx(d: Disclosure, path: str | os.PathLike[str], charts: bool = True,
               pdf: bytes | Path | None = None) -> Path:
    """Write the Disclosure as DOCX to ``path`` atomically (temp file, then rename). ``pdf``: the PDF
    of the same disclosure, if one was just written (saves laying it out again)."""
    doc = build_docx(d, charts, pdf)
    with atomic_output(path) as tmp:
        doc.save(tmp)
        normalize_zip(tmp, document_date(d))
    return Path(path)


def docx_bytes(d: Disclosure, charts: bool = True, pdf: bytes | Path | None = None) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = write_docx(d, Path(folder) / "d.docx", charts, pdf)
        return path.read_bytes()

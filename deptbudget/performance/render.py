"""Forms → HTML (Jinja2, self-contained), XLSX (XlsxWriter, merged cells) and PDF (ReportLab,
the embeddable CJK font found by ``deptbudget.render.fonts``).

Every writer writes to a temporary file next to the target and renames it into place, so a
failed run never leaves a half-written file.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

import jinja2

from deptbudget.model.money import round_half_up
from deptbudget.performance.forms import Form, FormCell
from deptbudget.render.files import atomic_output
from deptbudget.render.fonts import register_pdf_font
from deptbudget.render.pdf_styles import page_number_footer
from deptbudget.render.xlsx import excel_number

TEMPLATES = Path(__file__).parent / "templates"
PDF_FONT = "DeptbudgetPerfCJK"
SPLITTABLE_SPAN = 6  # row spans taller than this are drawn so that a page break may fall inside


# --- HTML ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                              autoescape=jinja2.select_autoescape(["html", "j2"]), trim_blocks=False,
                              undefined=jinja2.StrictUndefined)


def render_html(forms: Sequence[Form], title: str, lead: str = "", footer: str = "") -> str:
    views = []
    for k, form in enumerate(forms):
        form.placed()  # raises on a malformed grid
        total = sum(form.widths)
        heading = form.title if form.key in ("汇总", "部门整体", "一览") else f"{form.title}：{_name_of(form)}"
        views.append({"anchor": f"f{k}", "heading": heading, "title": form.title, "subtitle": form.subtitle,
                      "meta_left": form.meta_left, "meta_right": form.meta_right, "notes": form.notes,
                      "widths": [round(100 * w / total, 2) for w in form.widths], "rows": form.rows})
    return _environment().get_template("forms.html.j2").render(
        title=title, lead=lead, forms=views, footer=footer or "由 deptbudget 生成")


def _name_of(form: Form) -> str:
    first = form.rows[0] if form.rows else []
    return first[1].text if len(first) > 1 else form.key


def write_html(forms: Sequence[Form], path: str | Path, title: str, lead: str = "") -> Path:
    path = Path(path)
    text = render_html(forms, title, lead)
    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return path


# --- XLSX ------------------------------------------------------------------------------------

SHEET_CHARS = 150  # total width of a form in Excel character units
NUMBER_FORMATS = {"amount": "#,##0.00", "percent": "0.00%", "score": "0.00", "count": "0"}  # percent: a fraction


def _cell_number(cell: FormCell) -> float:
    """The number XLSX stores: a percentage as its fraction to 4 places (0.9371 → 93.71%), else to 2."""
    assert cell.number is not None
    if cell.fmt == "percent":
        return float(round_half_up(cell.number, 4))
    return excel_number(cell.number)


def _sheet_name(key: str, used: set[str]) -> str:
    base = "".join("_" if ch in '[]:*?/\\' else ch for ch in key)[:31] or "Sheet"
    name, k = base, 2
    while name in used:
        suffix = f"~{k}"
        name, k = base[: 31 - len(suffix)] + suffix, k + 1
    used.add(name)
    return name


def _lines(text: str, width_chars: float) -> int:
    per_line = max(1.0, width_chars / 2.1)  # a CJK character is about two units wide
    return sum(max(1, math.ceil(len(part) / per_line)) for part in (text or " ").split("\n"))


def write_xlsx(forms: Sequence[Form], path: str | Path) -> Path:
    import xlsxwriter

    path = Path(path)
    with atomic_output(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False})  # text is data
        base = {"font_name": "宋体", "font_size": 10, "border": 1, "text_wrap": True, "valign": "vcenter"}
        fmts = {
            "title": wb.add_format({"font_name": "宋体", "bold": True, "font_size": 16, "align": "center",
                                    "valign": "vcenter"}),
            "subtitle": wb.add_format({"font_name": "宋体", "font_size": 11, "align": "center"}),
            "meta": wb.add_format({"font_name": "宋体", "font_size": 10}),
            "meta_right": wb.add_format({"font_name": "宋体", "font_size": 10, "align": "right"}),
            "note": wb.add_format({"font_name": "宋体", "font_size": 9, "text_wrap": True, "valign": "top"}),
            "head": wb.add_format({**base, "bold": True, "bg_color": "#EDEDED", "align": "center"}),
            "value": wb.add_format({**base, "align": "left"}),
            "flag": wb.add_format({**base, "align": "left", "font_color": "#B00020", "bold": True}),
        }
        for kind, extra in (("number", {}), ("total", {"bold": True, "bg_color": "#F6F6F6"})):
            for fmt_name, pattern in NUMBER_FORMATS.items():
                fmts[f"{kind}:{fmt_name}"] = wb.add_format({**base, **extra, "align": "right", "num_format": pattern})
            fmts[kind] = wb.add_format({**base, **extra, "align": "right"})
        used: set[str] = set()
        for form in forms:
            ws = wb.add_worksheet(_sheet_name(form.key, used))
            total = sum(form.widths)
            chars = [SHEET_CHARS * w / total for w in form.widths]
            for c, width in enumerate(chars):
                ws.set_column(c, c, width)
            last = form.ncols - 1
            ws.merge_range(0, 0, 0, last, form.title, fmts["title"])
            ws.set_row(0, 28)
            ws.merge_range(1, 0, 1, last, form.subtitle, fmts["subtitle"])
            half = form.ncols // 2
            ws.merge_range(2, 0, 2, half - 1, form.meta_left, fmts["meta"])
            ws.merge_range(2, half, 2, last, form.meta_right, fmts["meta_right"])
            top = 3
            heights: dict[int, float] = {}
            for r, c, cell in form.placed():
                fmt_key = cell.kind
                if cell.kind in ("number", "total") and cell.number is not None and cell.fmt in NUMBER_FORMATS:
                    fmt_key = f"{cell.kind}:{cell.fmt}"
                fmt = fmts.get(fmt_key, fmts["value"])
                row, col = top + r, c
                value_is_number = cell.number is not None and ":" in fmt_key
                if cell.rowspan > 1 or cell.colspan > 1:
                    ws.merge_range(row, col, row + cell.rowspan - 1, col + cell.colspan - 1, "", fmt)
                if value_is_number:
                    ws.write_number(row, col, _cell_number(cell), fmt)
                else:
                    ws.write_string(row, col, cell.text, fmt)
                width = sum(chars[col: col + cell.colspan])
                need = 15.0 * _lines(cell.text, width) / cell.rowspan
                heights[r] = max(heights.get(r, 15.0), need)
            for r, height in heights.items():
                ws.set_row(top + r, min(height, 400))
            note_row = top + len(form.rows) + 1
            for note in form.notes:
                ws.merge_range(note_row, 0, note_row, last, note, fmts["note"])
                note_row += 1
            ws.set_landscape()
            ws.set_paper(9)  # A4
            ws.fit_to_pages(1, 0)
        wb.close()
    return path


# --- PDF -------------------------------------------------------------------------------------


def write_pdf(forms: Sequence[Form], path: str | Path, title: str) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Spacer, Table, TableStyle

    from deptbudget.render.pdf_tagging import TableTags, TaggedCanvas, TaggedParagraph

    font = register_pdf_font(PDF_FONT)

    def style(name: str, size: float, align: int = TA_LEFT, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.35, alignment=align,
                              wordWrap="CJK", **kw)

    styles = {
        "title": style("title", 16, TA_CENTER, spaceAfter=2),
        "subtitle": style("subtitle", 10.5, TA_CENTER, spaceAfter=4),
        "meta": style("meta", 9),
        "meta_right": style("meta_right", 9, TA_RIGHT),
        "note": style("note", 8.5),
        "head": style("head", 8.5, TA_CENTER),
        "value": style("value", 8.5),
        "flag": style("flag", 8.5, textColor=colors.HexColor("#B00020")),
        "number": style("number", 8.5, TA_RIGHT),
        "total": style("total", 8.5, TA_RIGHT),
    }
    page = landscape(A4)
    margin = 12 * mm
    usable = page[0] - 2 * margin

    def para(text: str, key: str) -> TaggedParagraph:  # tagged: the title H1, the rest P
        return TaggedParagraph(escape(text).replace("\n", "<br/>"), styles[key], role="H1" if key == "title" else "P")

    story: list[object] = []
    for k, form in enumerate(forms):
        if k:
            story.append(PageBreak())
        story.append(para(form.title, "title"))
        if form.subtitle:
            story.append(para(form.subtitle, "subtitle"))
        meta = Table([[para(form.meta_left, "meta"), para(form.meta_right, "meta_right")]],
                     colWidths=[usable / 2, usable / 2])
        meta.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        story.append(meta)
        grid: list[list[object]] = [["" for _ in range(form.ncols)] for _ in form.rows]
        commands: list[tuple] = [  # type: ignore[type-arg]
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        for r, c, cell in form.placed():
            grid[r][c] = para(cell.text, cell.kind if cell.kind in styles else "value")
            first, last = (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)
            # Tall row spans would make the table unsplittable across pages: draw them as a box
            # with the label at the top instead, merging only the columns of each row.
            if cell.rowspan > SPLITTABLE_SPAN:
                commands.append(("VALIGN", first, first, "TOP"))
                if cell.colspan > 1:
                    commands += [("SPAN", (c, rr), (last[0], rr)) for rr in range(r, r + cell.rowspan)]
            elif cell.rowspan > 1 or cell.colspan > 1:
                commands.append(("SPAN", first, last))
            commands.append(("BOX", first, last, 0.5, colors.black))
            if cell.kind == "head":
                commands.append(("BACKGROUND", first, last, colors.HexColor("#EDEDED")))
            elif cell.kind == "total":
                commands.append(("BACKGROUND", first, last, colors.HexColor("#F6F6F6")))
        total = sum(form.widths)
        table = Table(grid, colWidths=[usable * w / total for w in form.widths], splitByRow=1,
                      renderCB=TableTags(0, form_headers(form)))  # TR/TH/TD in the tagged PDF
        table.setStyle(TableStyle(commands))
        story.append(table)
        for note in form.notes:
            story.append(Spacer(1, 3))
            story.append(para(note, "note"))

    footer = page_number_footer(font, 8, page[0])

    path = Path(path)
    with atomic_output(path) as tmp:
        doc = SimpleDocTemplate(str(tmp), pagesize=page, leftMargin=margin, rightMargin=margin,
                                topMargin=margin, bottomMargin=margin + 3 * mm, title=title, author="deptbudget",
                                lang="zh-CN")
        doc.build(story, onFirstPage=footer, onLaterPages=footer, canvasmaker=TaggedCanvas)  # a tagged PDF
    return path


def form_headers(form: Form) -> dict[tuple[int, int], str]:
    """The header cells of a form for the tagged PDF: a label (``head``) cell heads its column where its row
    holds only labels (a header line), else its row."""
    placed = form.placed()
    rows: dict[int, list[FormCell]] = {}
    for r, _, cell in placed:
        rows.setdefault(r, []).append(cell)
    return {(r, c): "Column" if all(x.kind == "head" for x in rows[r]) else "Row"
            for r, c, cell in placed if cell.kind == "head"}


# --- whole reports ---------------------------------------------------------------------------

REPORT_FORMATS = ("html", "xlsx", "pdf")


def write_report(forms: Sequence[Form], folder: str | Path, stem: str, title: str,
                 formats: Sequence[str] = REPORT_FORMATS, lead: str = "") -> list[Path]:
    """Write ``stem.html`` / ``stem.xlsx`` / ``stem.pdf`` into ``folder``."""
    folder = Path(folder)
    out = []
    for fmt in formats:
        target = folder / f"{stem}.{fmt}"
        if fmt == "html":
            out.append(write_html(forms, target, title, lead))
        elif fmt == "xlsx":
            out.append(write_xlsx(forms, target))
        elif fmt == "pdf":
            out.append(write_pdf(forms, target, title))
        else:
            raise ValueError(f"未知格式 (unknown format): {fmt}")
    return out

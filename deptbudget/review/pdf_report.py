"""The filled checklist as PDF (ReportLab, the CJK faces of ``deptbudget.render.fonts``): title, the
checked unit and file, the checklist (序号 · 检查项目 · 检查内容 · 分值 · 符合要求 · 得分 · 问题说明),
score and grade, and the 检查人 / 复核人 / 日期 lines to sign — the same content as the XLSX sheet. Tagged
(``render.pdf_tagging``): the title H1, the lines P, the checklist a Table of TR/TH/TD, the page numbers artifacts.
"""

from __future__ import annotations

import os
from pathlib import Path
from xml.sax.saxutils import escape

from deptbudget.render.files import atomic_output
from deptbudget.render.fonts import register_pdf_font
from deptbudget.render.pdf_styles import page_number_footer
from deptbudget.review.engine import Review
from deptbudget.review.wording import explanation, grade_scale, info_line, numbered, signoff_line, summary_line

LINES_PER_ROW = 6  # 问题说明 lines per table row
MAX_SPAN = 6  # rows a 检查项目 cell may span (a taller one would keep the table from splitting)
BODY_FONT = "ReviewSerif"
HEADING_FONT = "ReviewSans"
COLUMNS = (("序号", 0.045), ("检查项目", 0.08), ("检查内容", 0.24), ("分值", 0.05), ("符合要求（是/否）", 0.075),
           ("得分", 0.05), ("问题说明", 0.46))


def write_review_pdf(review: Review, path: str | os.PathLike[str]) -> Path:
    """Write the checklist of ``review`` as an A4 landscape PDF to ``path`` (atomically)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    from deptbudget.render.pdf_tagging import TableTags, TaggedCanvas, TaggedParagraph

    body = register_pdf_font(BODY_FONT, serif=True)
    heading = register_pdf_font(HEADING_FONT)

    def style(name: str, size: float, align: int = TA_LEFT, font: str = body, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.4, alignment=align,
                              wordWrap="CJK", **kw)

    styles = {
        "title": style("title", 16, TA_CENTER, heading, spaceAfter=8),
        "info": style("info", 10, spaceAfter=2),
        "head": style("head", 9, TA_CENTER, heading),
        "cell": style("cell", 9),
        "center": style("center", 9, TA_CENTER),
        "number": style("number", 9, TA_RIGHT),
        "fail": style("fail", 9, TA_CENTER, heading, textColor=colors.HexColor("#B00020")),
        "sign": style("sign", 11, spaceBefore=18),
    }

    def para(text: str, key: str) -> TaggedParagraph:  # tagged: the title H1, the rest P
        return TaggedParagraph(escape(text).replace("\n", "<br/>"), styles[key], role="H1" if key == "title" else "P")

    page = landscape(A4)
    margin = 14 * mm
    usable = page[0] - 2 * margin
    story: list[object] = [para(review.title, "title"), para(info_line(review), "info"),
                           para(f"检查依据：{review.checklist.basis}", "info")]
    story += [para(f"说明：{note}", "info") for note in review.notes]
    story.append(Spacer(1, 4))
    rows: list[list[object]] = [[para(label, "head") for label, _ in COLUMNS]]
    spans: list[tuple] = []  # type: ignore[type-arg]
    continued: list[int] = []
    by_item = {r.item.id: r for r in review.items}
    number = 0
    for group, items in review.checklist.groups():
        start = len(rows)
        for item in items:
            number += 1
            result = by_item[item.id]
            score = "" if result.score is None else f"{result.score}"
            lines = numbered(explanation(result)).split("\n")
            chunks = [lines[k:k + LINES_PER_ROW] for k in range(0, len(lines), LINES_PER_ROW)] or [[]]
            rows.append([para(str(number), "center"), para(group, "center") if len(rows) == start else "",
                         para(item.content, "cell"), para(f"{item.points}", "number"),
                         para(review.verdict(result.status), "fail" if result.status == "fail" else "center"),
                         para(score, "number"), para("\n".join(chunks[0]), "cell")])
            for chunk in chunks[1:]:  # a long 问题说明 goes on over rows of its own, so that pages can break
                continued.append(len(rows))
                rows.append(["", "", "", "", "", "", para("\n".join(chunk), "cell")])
        if 1 < len(rows) - start <= MAX_SPAN:  # a taller span could not split across pages: name on top
            spans.append(("SPAN", (1, start), (1, len(rows) - 1)))
    rows.append([para("得分", "head"), "", "", "", para(f"{review.score}", "center"), "",
                 para(summary_line(review), "cell")])
    rows.append([para("等级", "head"), "", "", "", para(f"{review.grade.grade}（{review.grade.letter}）", "center"),
                 "", para(grade_scale(review), "cell")])
    last = len(rows) - 1
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E6E6E6")),
        ("SPAN", (0, last - 1), (3, last - 1)), ("SPAN", (0, last), (3, last)),
        ("SPAN", (4, last - 1), (5, last - 1)), ("SPAN", (4, last), (5, last)),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *spans,
        *[("LINEABOVE", (0, r), (5, r), 0.5, colors.white) for r in continued],
    ]
    # tagged: the column labels TH (Column), 得分 / 等级 TH (Row), the rest TD
    tags = TableTags(1, {(last - 1, 0): "Row", (last, 0): "Row"})
    table = Table(rows, colWidths=[usable * w for _, w in COLUMNS], repeatRows=1, splitByRow=1, renderCB=tags)
    table.setStyle(TableStyle(commands))
    story += [table, para(signoff_line(review), "sign")]

    footer = page_number_footer(body, 9, page[0])

    target = Path(path)
    with atomic_output(target) as tmp:
        doc = SimpleDocTemplate(str(tmp), pagesize=page, leftMargin=margin, rightMargin=margin, topMargin=margin,
                                bottomMargin=margin + 3 * mm, title=review.title, author=review.disclosure.unit_name,
                                subject="公开情况检查表", creator="deptbudget", invariant=1, lang="zh-CN")
        doc.build(story, onFirstPage=footer, onLaterPages=footer, canvasmaker=TaggedCanvas)  # a tagged PDF
    return target

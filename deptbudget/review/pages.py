"""The page a finding is on, where the document gives one (an imported PDF): a reviewer goes straight to it.

A finding on the narrative names its part and paragraph ("第二部分", "二、收入预算情况说明 第1段" or
"第1段"); the paragraph knows the page it starts on. ``with_pages`` adds "（第6页）" to the row of each such
finding. Documents without pages (our own sources, workbooks, text) are left as they are.
"""

from __future__ import annotations

from dataclasses import replace

from deptbudget.model.disclosure import Disclosure
from deptbudget.model.narrative_reading import Memo, paragraphs
from deptbudget.rules.registry import Finding


def page_index(disclosure: Disclosure, memo: Memo | None = None) -> dict[tuple[str, str], int]:
    """(part label, row) → page, for the paragraphs whose page is known; a row without its heading
    ("第1段") names the first such paragraph of the part."""
    index: dict[tuple[str, str], int] = {}
    for paragraph in paragraphs(disclosure, memo):
        if paragraph.page is None:
            continue
        index.setdefault((paragraph.part_label, paragraph.row), paragraph.page)
        index.setdefault((paragraph.part_label, f"第{paragraph.index + 1}段"), paragraph.page)
    return index


def with_pages(findings: list[Finding], disclosure: Disclosure, memo: Memo | None = None) -> list[Finding]:
    """The findings, each on a paragraph of known page quoting it in its row."""
    index = page_index(disclosure, memo)
    if not index:
        return findings
    out = []
    for finding in findings:
        page = index.get((finding.table or "", finding.row or ""))
        out.append(replace(finding, row=f"{finding.row}（第{page}页）") if page is not None else finding)
    return out

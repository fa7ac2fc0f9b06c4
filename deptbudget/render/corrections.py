"""更正说明: the changes a budget source makes to what the department published, as printed in every format."""

from __future__ import annotations

from deptbudget.model.disclosure import Disclosure, Part, Section

TITLE = "更正说明"
LEAD = "本文件与部门原公开文件相比，作如下更正："


def correction_lines(d: Disclosure) -> list[str]:
    """The numbered sentences of the 更正说明 (empty when the source lists no correction)."""
    return [f"{i}. {c.sentence}" for i, c in enumerate(d.corrections, start=1)]


def corrections_part(d: Disclosure) -> Part | None:
    """The 更正说明 as a part printed after the narrative parts (number 0: not one of the template's parts)."""
    if not d.corrections:
        return None
    return Part(number=0, title=TITLE, sections=[Section("", [LEAD, *correction_lines(d)])])

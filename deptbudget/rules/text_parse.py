"""What the text rules share beyond reading the narrative: findings on a paragraph, amounts in messages.

Not a rule module (registers nothing). The narrative itself is read by the model
(``deptbudget.model.narrative_reading``: paragraphs, headings, sentences; ``narrative_quantities``:
the quantities a paragraph states). Findings of text rules quote the sentence in ``actual`` and locate
it as ``table`` = the part ("第七部分"), ``row`` = section heading and paragraph ("一、机关运行经费 第1段").
"""

from __future__ import annotations

import re
from decimal import Decimal

from deptbudget.model.narrative_reading import Heading, Paragraph
from deptbudget.rules.registry import Finding, Severity


def text_finding(paragraph: Paragraph | Heading, message: str, column: str, expected: str | None, actual: str,
                 severity: Severity | None = None) -> Finding:
    """A finding on the narrative: located by part and section/paragraph, the sentence quoted in ``actual``."""
    return Finding(message, paragraph.part_label, paragraph.row, column, expected, actual, severity)


def fmt_amount(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):,.2f}"


def fmt_pct(value: Decimal, places: int = 2) -> str:
    step = Decimal(1).scaleb(-places)
    return f"{value.quantize(step)}%"


def shown(text: str, limit: int = 24) -> str:
    """A fragment for a message, cut when long."""
    return text if len(text) <= limit else text[:limit] + "…"


# "…对比图20001800160014001200总收入支出1000…": the numbers of a chart's axis run together — no printed amount has
# twelve digits in a row.
_CHART_DIGITS = re.compile(r"\d{12,}")


def chart_residue(text: str) -> bool:
    """The text holds the labels of a chart that the page's text ran into: what it says around them is no sentence."""
    return _CHART_DIGITS.search(text) is not None

"""Where each chart goes in the narrative and its number (图1…): one decision for PDF, HTML and DOCX.

A chart is placed in the part it illustrates, after the paragraph that speaks of it:

- the part: the first part whose title holds one of the chart's ``part_words`` (so a template whose
  parts are named otherwise still finds it), else the part numbered ``Chart.part``;
- the paragraph: within that part, the first paragraph holding all the words of one of the chart's
  ``paragraph_words``; else the chart goes at the end of the part;
- a chart whose part the Disclosure does not have goes after the last part (``part is None``).

Charts are numbered 图1, 图2 … in the order they appear in the document; charts at the same place
keep the order of :func:`deptbudget.render.charts.chart_data`. Renderers ask :func:`placed_charts`
once and then, while they walk the parts, :func:`charts_after` (a paragraph), :func:`charts_at_end`
(a part) and :func:`unplaced` (after the parts); :func:`caption` is the printed caption.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from deptbudget.model.disclosure import Disclosure, Part
from deptbudget.render.charts import Chart, chart_data


@dataclass(frozen=True)
class Anchor:
    """Words that find a chart's part (any one in the title) and paragraph (all of one group)."""

    part_words: tuple[str, ...]
    paragraph_words: tuple[tuple[str, ...], ...] = ()


# chart key → where it belongs; a chart without an anchor goes at the end of the part ``Chart.part``
SPENDING_PART = ("支出具体", "一般公共预算", "财政拨款支出")
ANCHORS: dict[str, Anchor] = {
    "vs_last_year": Anchor(("收支总体", "收入支出总体", "收支预算总体")),
    "by_function": Anchor(SPENDING_PART, (("功能分类",),)),
    "basic_vs_project": Anchor(SPENDING_PART, (("基本支出", "项目支出"), ("人员支出", "项目支出"))),
    "top_projects": Anchor(("支出具体", "项目支出")),
    "three_public": Anchor(("三公",)),
}


@dataclass(frozen=True)
class PlacedChart:
    """A chart with its figure number and place: part number (None: after the parts), and the
    (section, paragraph) index it follows (None: at the end of the part)."""

    number: int
    chart: Chart
    part: int | None
    after: tuple[int, int] | None

    @property
    def caption(self) -> str:
        return caption(self.number, self.chart.title)


def caption(number: int, title: str) -> str:
    """The printed caption: ``图1  收入、支出预算与 2019 年对比``."""
    return f"图{number}  {title}"


def _find_part(parts: Sequence[Part], chart: Chart, anchor: Anchor | None) -> Part | None:
    if anchor is not None:
        for part in parts:
            if any(word in part.title for word in anchor.part_words):
                return part
    return next((p for p in parts if p.number == chart.part), None)


def _find_paragraph(part: Part, anchor: Anchor | None) -> tuple[int, int] | None:
    if anchor is None:
        return None
    for words in anchor.paragraph_words:
        for s_index, section in enumerate(part.sections):
            for p_index, text in enumerate(section.paragraphs):
                if all(word in text for word in words):
                    return s_index, p_index
    return None


def place(parts: Sequence[Part], charts: Sequence[Chart]) -> list[PlacedChart]:
    """Place ``charts`` in ``parts`` and number them in document order."""
    order = {p.number: i for i, p in enumerate(parts)}
    spots: list[tuple[tuple[int, int, int, int], Chart, int | None, tuple[int, int] | None]] = []
    for index, chart in enumerate(charts):
        anchor = ANCHORS.get(chart.key)
        part = _find_part(parts, chart, anchor)
        after = _find_paragraph(part, anchor) if part is not None else None
        if part is None:
            key = (len(parts), 0, 0, index)
        elif after is None:
            key = (order[part.number], len(part.sections), 0, index)
        else:
            key = (order[part.number], after[0], after[1], index)
        spots.append((key, chart, None if part is None else part.number, after))
    spots.sort(key=lambda spot: spot[0])
    return [PlacedChart(n, chart, part, after) for n, (_, chart, part, after) in enumerate(spots, start=1)]


def placed_charts(d: Disclosure) -> list[PlacedChart]:
    """Every chart of the Disclosure, numbered and placed."""
    return place(d.parts, chart_data(d))


def charts_after(placed: Sequence[PlacedChart], part: int, section: int, paragraph: int) -> list[PlacedChart]:
    """The charts that follow paragraph ``paragraph`` of section ``section`` of part ``part``."""
    return [p for p in placed if p.part == part and p.after == (section, paragraph)]


def charts_at_end(placed: Sequence[PlacedChart], part: int) -> list[PlacedChart]:
    """The charts at the end of part ``part``."""
    return [p for p in placed if p.part == part and p.after is None]


def unplaced(placed: Sequence[PlacedChart]) -> list[PlacedChart]:
    """The charts whose part the Disclosure lacks: they follow the last part."""
    return [p for p in placed if p.part is None]

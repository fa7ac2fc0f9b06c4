"""What the footer rows of a 收支总表 state: the one reading of the measure words (``all``, ``none``,
``blank``, ``total``, ``this_year`` …) shared by compute, the importer and the rules."""

from __future__ import annotations

from deptbudget.template.spec import Measure, MeasureKind, TableSpec, Template

CARRYOVER = "carryover"


def fund_names(template: Template, names: str | list[str] | tuple[str, ...]) -> frozenset[str]:
    """Fund sources named by ``names``: single funds or the template's fund groups."""
    out: set[str] = set()
    for name in [names] if isinstance(names, str) else list(names):
        out.update(template.fund_groups.get(name, (name,)))
    return frozenset(out)


def measure_funds(template: Template, spec: TableSpec, measure: Measure,
                  every_fund: frozenset[str]) -> frozenset[str]:
    """The fund sources whose income a measure adds up (``every_fund`` for ``all``); empty for a
    measure without an income amount (``none``, ``blank``, ``total``)."""
    if measure.kind is MeasureKind.ALL:
        return every_fund
    if measure.kind is MeasureKind.THIS_YEAR:
        return fund_names(template, spec.this_year)
    if measure.kind is MeasureKind.THIS_YEAR_AND_CARRYOVER:
        return fund_names(template, spec.this_year) | {CARRYOVER}
    if measure.kind is MeasureKind.FUNDS:
        return fund_names(template, measure.word)
    return frozenset()


def states_spending_total(measure: Measure) -> bool:
    return measure.kind is MeasureKind.TOTAL


def income_tree(spec: TableSpec) -> list[tuple[str, list[str]]]:
    """(income row key, the keys of the rows it adds up) of a 收支总表: nested income items by
    ``level`` (an item labelled 其中… is a part shown, not a summand), 本年收入合计 = Σ this_year items,
    the last footer = Σ the footers above it."""
    items = [(item.key, item.level) for item in spec.income]
    of_which = {item.key for item in spec.income if item.label.startswith("其中")}  # a part shown, not a summand
    out = []
    for index, (key, level) in enumerate(items):
        kids = []
        for other, other_level in items[index + 1:]:
            if other_level <= level:
                break
            if other_level == level + 1 and other not in of_which:
                kids.append(other)
        if kids:
            out.append((key, kids))
    footer = [f.income.measure.word for f in spec.footer]
    if footer and spec.this_year:
        out.append((footer[0], list(spec.this_year)))
        if len(footer) > 1:
            out.append((footer[-1], footer[:-1]))
    return out

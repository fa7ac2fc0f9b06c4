"""The description of a template, loaded once: ``load_template(name)``.

A template (``deptbudget/templates/<name>.yaml``) says which tables a disclosure has — their
titles and aliases, columns, header, row source, footer rows —, its narrative parts, its rule
settings and the words its forms print. Compute, the importers, the rules and review read it here.
"""

from deptbudget.template.footers import fund_names, income_tree, measure_funds, states_spending_total
from deptbudget.template.header import HeaderSpec, layout_header
from deptbudget.template.loader import (
    available_templates,
    load_template,
    load_template_file,
    loadable_templates,
    templates_of_kind,
)
from deptbudget.template.spec import (
    Builder,
    ColumnSpec,
    FooterRow,
    FooterSide,
    FormSpec,
    IncomeItem,
    IndicatorWords,
    Measure,
    MeasureKind,
    NarrativePart,
    Required,
    Role,
    RuleSpec,
    TableSpec,
    Template,
    TemplateError,
    Vocabulary,
)

__all__ = [
    "Builder", "ColumnSpec", "FooterRow", "FooterSide", "FormSpec", "HeaderSpec", "IncomeItem", "IndicatorWords",
    "Measure", "MeasureKind", "NarrativePart", "Required", "Role", "RuleSpec", "TableSpec", "Template",
    "TemplateError", "Vocabulary", "available_templates",
    "fund_names", "income_tree", "layout_header", "load_template", "load_template_file", "measure_funds",
    "loadable_templates", "states_spending_total", "templates_of_kind",
]

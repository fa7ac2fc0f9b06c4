"""Budget → Disclosure, per the budget's locality template. Pure: reads the budget, returns data."""

from __future__ import annotations

from deptbudget.catalog import load_catalog
from deptbudget.compute.assembly import assemble, build_tables
from deptbudget.compute.figures import compute_figures
from deptbudget.compute.ledger import Ledger
from deptbudget.compute.narrative import narrative_context, render_parts
from deptbudget.compute.rounding import RoundingMethod
from deptbudget.compute.tables import BUILDERS, BuildContext
from deptbudget.model.budget import Budget
from deptbudget.model.disclosure import Disclosure
from deptbudget.template import Template, TemplateError, load_template


def compute_disclosure(budget: Budget, template: Template | None = None) -> Disclosure:
    template = template or load_template(budget.template)
    if "决算" in template.kind:
        raise TemplateError(f"模板 {template.name} 是{template.kind}模板，尚不能由预算源文件生成 "
                            f"(a final-accounts template: generating a 决算 from a budget source is not written yet)")
    catalog = load_catalog(budget.fiscal_year)
    ledger = Ledger(budget.lines, RoundingMethod(template.rounding.method))
    ctx = BuildContext(budget=budget, template=template, catalog=catalog, ledger=ledger)
    tables = build_tables(template, ctx, lambda spec: BUILDERS.get(spec.builder),
                          lambda spec: f"模板 {template.name} 的表 {spec.id} 使用未知的构造方式 {spec.builder!r}")
    figures = compute_figures(budget, ctx.ledger, ctx.funds("fiscal"))
    parts = render_parts(template.narrative, narrative_context(budget, figures, catalog))
    meta = {"source": budget.source_path or "", "catalog_year": str(catalog.fiscal_year)}
    if catalog.note:
        meta["catalog_note"] = catalog.note
    return assemble(template, budget.fiscal_year, budget.unit.name, tables, parts, meta, figures=figures,
                    acknowledged=list(budget.acknowledged), corrections=list(budget.corrections))

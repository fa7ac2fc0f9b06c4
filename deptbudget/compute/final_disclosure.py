"""FinalAccounts → Disclosure (部门决算), per its template. Pure: reads the accounts, returns data."""

from __future__ import annotations

from deptbudget.catalog import load_catalog
from deptbudget.compute.final_narrative import final_narrative_context
from deptbudget.compute.final_tables import FINAL_BUILDERS, FinalContext
from deptbudget.compute.narrative import render_parts
from deptbudget.compute.tail_notes import add_tail_notes
from deptbudget.model.disclosure import Disclosure
from deptbudget.model.final_accounts import DocumentKind
from deptbudget.model.final_actuals import FinalAccounts
from deptbudget.template import Template, TemplateError, load_template


def compute_final_disclosure(accounts: FinalAccounts, template: Template | None = None) -> Disclosure:
    template = template or load_template(accounts.template)
    if template.kind != DocumentKind.FINAL_ACCOUNTS:
        raise TemplateError(f"模板 {template.name} 是{template.kind}模板，不能由决算源文件生成 "
                            f"(not a final-accounts template)")
    catalog = load_catalog(accounts.fiscal_year)
    ctx = FinalContext(accounts, template, catalog)
    tables = []
    for spec in template.tables:
        builder = FINAL_BUILDERS.get(spec.role) if spec.role is not None else None
        if builder is None:
            raise TemplateError(f"模板 {template.name} 的表 {spec.id} 的用途 {spec.role} 尚不能由决算源文件生成 "
                                f"(no final-accounts builder for this role)")
        tables.extend(builder(ctx, spec))
    add_tail_notes(tables, template)
    parts = render_parts(template.narrative, final_narrative_context(accounts, catalog))
    title = template.title.format(year=accounts.fiscal_year, unit=accounts.unit.name)
    meta = {"source": accounts.source_path or "", "budget": accounts.budget_path,
            "catalog_year": str(catalog.fiscal_year)}
    if accounts.fictional:
        meta["fictional"] = "虚构示例：金额为编造，仅用于演示 (a fictional example: invented figures)"
    return Disclosure(
        template=template.name,
        fiscal_year=accounts.fiscal_year,
        unit_name=accounts.unit.name,
        title=title,
        kind=template.kind,
        parts=parts,
        tables=tables,
        contents=[f"{spec.number}. {spec.title}" for spec in template.tables],
        meta=meta,
    )

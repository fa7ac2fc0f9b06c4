"""FinalAccounts → Disclosure (部门决算), per its template. Pure: reads the accounts, returns data."""

from __future__ import annotations

from deptbudget.catalog import load_catalog
from deptbudget.compute.assembly import assemble, build_tables
from deptbudget.compute.final_narrative import final_narrative_context
from deptbudget.compute.final_tables import FINAL_BUILDERS, FinalContext
from deptbudget.compute.narrative import render_parts
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
    tables = build_tables(template, ctx, lambda spec: FINAL_BUILDERS.get(spec.role) if spec.role is not None else None,
                          lambda spec: f"模板 {template.name} 的表 {spec.id} 的用途 {spec.role} 尚不能由决算源文件生成 "
                                       f"(no final-accounts builder for this role)")
    parts = render_parts(template.narrative, final_narrative_context(accounts, catalog))
    meta = {"source": accounts.source_path or "", "budget": accounts.budget_path,
            "catalog_year": str(catalog.fiscal_year)}
    if accounts.fictional:
        meta["fictional"] = "虚构示例：金额为编造，仅用于演示 (a fictional example: invented figures)"
    return assemble(template, accounts.fiscal_year, accounts.unit.name, tables, parts, meta)

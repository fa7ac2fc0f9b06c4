"""Write a ``Budget`` back as a YAML budget source: the inverse of ``yaml_source``.

Used to store budgets edited in the web system and to export them; ``parse_budget`` of the
output gives back an equal budget.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml

from deptbudget.model.budget import (
    Budget,
    Calculation,
    ExpenditureKind,
    Indicator,
    LineItem,
    Project,
    ThreePublic,
    VehicleCounts,
)


class _Dumper(yaml.SafeDumper):
    pass


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = f"{value:f}"
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


_Dumper.add_representer(Decimal, _represent_decimal)


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def _line(line: LineItem, with_fund_default: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {"func": line.exp_func_code, "eco": line.dep_bgt_eco_code,
                            "gov_eco": line.gov_bgt_eco_code, "amount": line.amount}
    if line.fund_source.value != "general_funds" or not with_fund_default:
        data["fund"] = line.fund_source.value
    data["note"] = line.note
    return _drop_empty(data)


def _indicator(ind: Indicator) -> Any:
    if ind.weight is None and ind.group is None:
        return [ind.level1, ind.level2, ind.name, ind.target]
    return _drop_empty({"group": ind.group, "level1": ind.level1, "level2": ind.level2, "name": ind.name,
                        "target": ind.target, "weight": ind.weight})


def _calculation(calc: Calculation) -> dict[str, Any] | None:
    if not calc.text and not calc.items:
        return None
    items = [_drop_empty({"label": i.label, "quantity": i.quantity, "unit": i.unit, "unit_price": i.unit_price,
                          "amount": i.amount}) for i in calc.items]
    return _drop_empty({"text": calc.text, "items": items})


def _project(project: Project) -> dict[str, Any]:
    data: dict[str, Any] = {"code": project.pro_code, "name": project.pro_name, "group": project.group}
    if len(project.lines) == 1:
        data.update(_line(project.lines[0]))
    else:
        data["lines"] = [_line(line) for line in project.lines]
    data.update({
        "new": project.is_new or None,
        "contact": project.contact,
        "phone": project.phone,
        "period": [project.start, project.end] if project.start and project.end else None,
        "goals": list(project.goals),
        "purpose": project.purpose,
        "calculation": _calculation(project.calculation),
        "timeliness": project.timeliness,
        "indicators": [_indicator(i) for i in project.indicators],
        "performance_managed": None if project.performance_managed else False,
        "superior_transfer": project.superior_transfer or None,
    })
    return _drop_empty(data)


def _three_public(values: ThreePublic) -> dict[str, Any]:
    return {"overseas": values.overseas, "reception": values.reception,
            "vehicle_purchase": values.vehicle_purchase, "vehicle_operation": values.vehicle_operation}


def _vehicles(counts: VehicleCounts) -> dict[str, int]:
    return {"leader": counts.leader, "general": counts.general, "law_enforcement": counts.law_enforcement,
            "special": counts.special, "other": counts.other}


def budget_to_source(budget: Budget) -> dict[str, Any]:
    unit = budget.unit
    narrative = budget.narrative
    data: dict[str, Any] = {
        "fiscal_year": budget.fiscal_year,
        "template": budget.template,
        "unit": _drop_empty({
            "name": unit.name, "agency_code": unit.agency_code, "dept_code": unit.dept_code,
            "mof_div_code": unit.mof_div_code, "head": unit.head, "preparer": unit.preparer, "phone": unit.phone,
            "functions": unit.functions, "functions_detail": list(unit.functions_detail),
            "staffing": {"authorized_kind": unit.staffing.authorized_kind, "authorized": unit.staffing.authorized,
                         "actual": unit.staffing.actual, "retired": unit.staffing.retired,
                         "employees": unit.staffing.employees},
            "vehicles": {"total": unit.vehicles.total, "authorized": unit.vehicles.authorized,
                         "reform_done": unit.vehicles.reform_done},
            "work_goals": list(unit.work_goals),
        }),
        "income": {source.value: amount for source, amount in budget.income.items()},
        "basic": [_line(line) for line in budget.lines if line.kind is ExpenditureKind.BASIC],
        "projects": [_project(p) for p in budget.projects],
        "groups": [_drop_empty({"name": g.name, "description": g.description}) for g in budget.groups],
        "procurement": [_drop_empty({
            "project": i.pro_code, "name": i.name, "category": i.category, "service_years": i.service_years,
            "amount": i.amount, "annual_amount": i.annual_amount, "demand_time": i.demand_time, "note": i.note,
            "for_sme": i.for_sme or None, "for_micro": i.for_micro or None}) for i in budget.procurement],
        "three_public": _three_public(budget.three_public),
        "admin_operating": budget.admin_operating,
    }
    if budget.last_year is not None:
        data["last_year"] = _drop_empty({
            "income_total": budget.last_year.income_total,
            "expenditure_total": budget.last_year.expenditure_total,
            "three_public": _three_public(budget.last_year.three_public),
            "admin_operating": budget.last_year.admin_operating,
        })
    assets = budget.assets
    data["assets"] = _drop_empty({
        "as_of": assets.as_of,
        "vehicles": _vehicles(assets.vehicles),
        "general_equipment_over_50": assets.general_equipment_over_50,
        "special_equipment_over_100": assets.special_equipment_over_100,
        "planned": {"vehicles": _vehicles(assets.planned_vehicles),
                    "general_equipment_over_50": assets.planned_general_equipment_over_50,
                    "special_equipment_over_100": assets.planned_special_equipment_over_100},
    })
    data["narrative"] = _drop_empty({
        "change_reason": narrative.change_reason, "personnel_note": narrative.personnel_note,
        "operating_note": narrative.operating_note, "transfers_note": narrative.transfers_note,
        "procurement_note": narrative.procurement_note,
        "three_public": _drop_empty({"overseas": narrative.three_public.overseas,
                                     "reception": narrative.three_public.reception,
                                     "vehicles": narrative.three_public.vehicles}),
        "admin_operating_reason": narrative.admin_operating_reason, "other_notes": list(narrative.other_notes),
        "func_explanations": narrative.func_explanations, "performance_note": narrative.performance_note,
    })
    targets = budget.department_targets
    data["department_targets"] = _drop_empty({
        "goals": list(targets.goals), "indicators": [_indicator(i) for i in targets.indicators],
        "other_notes": targets.other_notes,
    })
    data["acknowledged"] = [_drop_empty({"rule": a.rule, "table": a.table, "row": a.row, "reason": a.reason})
                            for a in budget.acknowledged]
    data["corrections"] = [{"where": c.where, "printed": c.printed, "corrected": c.corrected, "reason": c.reason}
                           for c in budget.corrections]
    return _drop_empty(data)


def dump_budget(budget: Budget) -> str:
    """The budget as YAML source text (UTF-8, Chinese kept readable)."""
    return yaml.dump(budget_to_source(budget), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)

"""Actuals as JSON-ready dicts, the form the web system stores them in: ``actuals_to_dict`` writes
the YAML format's shape (amounts and values as strings), ``actuals_from_dict`` reads it back with the
YAML reader's checks."""

from __future__ import annotations

from typing import Any

from deptbudget.performance.actuals_model import MONEY_KEYS, Actuals, EntityEntry
from deptbudget.performance.actuals_yaml import parse_actuals_yaml


def actuals_to_dict(actuals: Actuals) -> dict[str, Any]:
    """A JSON-ready dict (amounts and values as strings) that ``actuals_from_dict`` reads back."""

    def value(v: Any) -> Any:
        return None if v is None else str(v)

    def entity(e: EntityEntry) -> dict[str, Any]:
        out: dict[str, Any] = {k: str(getattr(e, k)) for k in MONEY_KEYS if getattr(e, k) is not None}
        out.update({k: getattr(e, k) for k in ("summary", "explanation", "reason", "action") if getattr(e, k)})
        out["indicators"] = {}
        for item in e.indicators:
            body = {k: value(getattr(item, k)) for k in ("actual", "to_date", "expected")
                    if getattr(item, k) is not None}
            body.update({k: getattr(item, k) for k in ("explanation", "reason", "action", "level2")
                         if getattr(item, k)})
            out["indicators"][item.name] = body
        return out

    data: dict[str, Any] = {"stage": actuals.stage.value}
    if actuals.fiscal_year is not None:
        data["fiscal_year"] = actuals.fiscal_year
    if actuals.report_date is not None:
        data["report_date"] = actuals.report_date.isoformat()
    if actuals.department is not None:
        data["department"] = entity(actuals.department)
    data["projects"] = {e.code: entity(e) for e in actuals.projects}
    return data


def actuals_from_dict(data: dict[str, Any], source: str = "<stored>") -> Actuals:
    """Actuals from a dict shaped like the YAML format (as stored by the web system)."""
    import yaml

    return parse_actuals_yaml(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), source)

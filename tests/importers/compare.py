"""Comparing a generated Disclosure with the one imported back from a rendered document."""

from __future__ import annotations

from deptbudget.compute.tables import display_name
from deptbudget.importers.cells import project_key
from deptbudget.model.budget import Budget
from deptbudget.model.disclosure import Disclosure, Table
from deptbudget.render.html import header_rows


def imported_keys(budget: Budget) -> dict[str, str]:
    """Generated keys use project codes; a printed document shows names: code → imported key."""
    keys = {p.pro_code: project_key(display_name(p)) for p in budget.projects}
    for item in budget.procurement:
        if item.pro_code:
            keys[f"procurement:{item.pro_code}"] = project_key(item.name)
    return keys


def expected_key(table: Table, key: str, keys: dict[str, str]) -> str:
    if table.id == "T11":
        return keys.get(f"procurement:{key}", key)
    code, sep, rest = key.partition(":")
    if sep and code in keys:
        return f"{keys[code]}:{rest}"
    return keys.get(key, key)


def _same_text(a: str, b: str, loose: bool) -> bool:
    return "".join(a.split()) == "".join(b.split()) if loose else a == b


def table_differences(generated: Table, imported: Table, keys: dict[str, str], loose: bool = False) -> list[str]:
    """``loose``: texts compared without whitespace (a PDF loses where a wrapped line had a space)."""
    out: list[str] = []
    label = f"{generated.id}[{generated.instance or ''}]"
    for field in ("id", "number", "title", "unit", "unit_name", "subtitle", "empty", "empty_note", "layout"):
        if getattr(generated, field) != getattr(imported, field):
            out.append(f"{label}.{field}: {getattr(generated, field)!r} != {getattr(imported, field)!r}")
    if expected_key(generated, generated.instance or "", keys) != (imported.instance or ""):
        out.append(f"{label}.instance: {imported.instance!r}")
    if [c.key for c in generated.columns] != [c.key for c in imported.columns]:
        out.append(f"{label}.columns")
    if header_rows(generated) != imported.header:
        out.append(f"{label}.header: {imported.header!r}")
    if len(generated.rows) != len(imported.rows):
        out.append(f"{label}: {len(generated.rows)} rows != {len(imported.rows)}")
    for g, i in zip(generated.rows, imported.rows, strict=False):
        where = f"{label}.{g.key}"
        if (expected_key(generated, g.key, keys), g.kind, g.level, g.parent) != (i.key, i.kind, i.level, i.parent):
            out.append(f"{where}: row {(i.key, i.kind, i.level, i.parent)}")
        for column in generated.columns:
            gc, ic = g.cell(column.key), i.cell(column.key)
            if (gc.value, gc.kind) != (ic.value, ic.kind) or not _same_text(gc.text, ic.text, loose):
                out.append(f"{where}.{column.key}: {(gc.text, gc.value)} != {(ic.text, ic.value)}")
        for column in ("label", "value"):
            if column in g.cells and (g.cells[column].value != i.cell(column).value
                                      or not _same_text(g.cells[column].text, i.cell(column).text, loose)):
                out.append(f"{where}.{column}: {g.cells[column].text!r} != {i.cell(column).text!r}")
    return out


def _parts_text(d: Disclosure) -> list[tuple[int, str, list[tuple[str, str]]]]:
    return [(p.number, p.title, [("".join(s.heading.split()), "".join("".join(s.paragraphs).split()))
                                 for s in p.sections]) for p in d.parts]


def differences(generated: Disclosure, imported: Disclosure, budget: Budget, parts: bool = True,
                keys_stated: bool = False, loose: bool = False) -> list[str]:
    """What differs; ``keys_stated``: the document states the row keys (our HTML), so project
    codes are expected as they are, not as project names."""
    keys = {} if keys_stated else imported_keys(budget)
    out: list[str] = []
    for field in ("template", "fiscal_year", "unit_name", "title", "kind", "contents"):
        if getattr(generated, field) != getattr(imported, field):
            out.append(f"{field}: {getattr(generated, field)!r} != {getattr(imported, field)!r}")
    if len(generated.tables) != len(imported.tables):
        out.append(f"{len(generated.tables)} tables != {len(imported.tables)}")
    for g, i in zip(generated.tables, imported.tables, strict=False):
        out += table_differences(g, i, keys, loose)
    if parts and (_parts_text(generated) != _parts_text(imported) if loose else generated.parts != imported.parts):
        out.append("parts differ")
    return out

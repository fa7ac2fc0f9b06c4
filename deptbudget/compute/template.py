"""Locality templates: which tables a disclosure has, their columns, headers and row sources.

Templates are data files in ``deptbudget/templates/`` (``<name>.yaml``); this module reads them
into typed descriptions. The generator (compute) and the importer read the same description.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from deptbudget.model.disclosure import CellKind, HeaderCell


class TemplateError(Exception):
    """A template that does not exist or is malformed."""


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label: str
    kind: CellKind = CellKind.AMOUNT
    filter: dict[str, Any] | None = None  # line-item filter (amount columns over lines)
    income: str | None = None
    procurement: str | None = None


@dataclass(frozen=True)
class TableSpec:
    id: str
    number: str
    title: str
    builder: str
    printed_title: str = ""
    columns: tuple[ColumnSpec, ...] = ()
    header: tuple[tuple[Any, ...], ...] = ()
    lines: dict[str, Any] = field(default_factory=dict)
    layout: str = "grid"
    landscape: bool = False
    empty_note: str = ""
    options: dict[str, Any] = field(default_factory=dict)  # builder-specific settings

    def header_cells(self, year: int) -> list[list[HeaderCell]]:
        return layout_header(self.header, year)


@dataclass(frozen=True)
class Template:
    name: str
    label: str
    kind: str
    title: str
    amount_unit: str
    fund_groups: dict[str, tuple[str, ...]]
    tables: tuple[TableSpec, ...]
    narrative: dict[str, Any]

    def table(self, table_id: str) -> TableSpec:
        for spec in self.tables:
            if spec.id == table_id:
                return spec
        raise TemplateError(f"模板 {self.name} 中没有表 {table_id} (no such table)")


def layout_header(rows: tuple[tuple[Any, ...], ...], year: int) -> list[list[HeaderCell]]:
    """Place header cells on a grid like HTML does: each cell takes the next free column."""
    occupied: set[tuple[int, int]] = set()
    out: list[list[HeaderCell]] = []
    for r, row in enumerate(rows):
        placed: list[HeaderCell] = []
        c = 0
        for spec in row:
            text, colspan, rowspan = (spec, 1, 1) if isinstance(spec, str) else tuple(spec)
            while (r, c) in occupied:
                c += 1
            placed.append(HeaderCell(str(text).replace("{year}", str(year)), r, c, rowspan, colspan))
            for dr in range(rowspan):
                for dc in range(colspan):
                    occupied.add((r + dr, c + dc))
            c += colspan
        out.append(placed)
    return out


def _flatten(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, list):
            out.extend(item)
        else:
            out.append(item)
    return out


def _column(data: dict[str, Any]) -> ColumnSpec:
    return ColumnSpec(
        key=data["key"],
        label=data["label"],
        kind=CellKind(data.get("kind", "amount")),
        filter=data.get("filter"),
        income=data.get("income"),
        procurement=data.get("procurement"),
    )


_SPEC_KEYS = {"id", "number", "title", "builder", "printed_title", "columns", "header", "lines", "layout",
              "landscape", "empty_note"}


def _table(data: dict[str, Any]) -> TableSpec:
    return TableSpec(
        id=data["id"],
        number=str(data["number"]),
        title=data["title"],
        builder=data["builder"],
        printed_title=data.get("printed_title", ""),
        columns=tuple(_column(c) for c in _flatten(data.get("columns", []))),
        header=tuple(tuple(row) for row in data.get("header", [])),
        lines=dict(data.get("lines") or {}),
        layout=data.get("layout", "grid"),
        landscape=bool(data.get("landscape", False)),
        empty_note=data.get("empty_note", ""),
        options={k: v for k, v in data.items() if k not in _SPEC_KEYS},
    )


def _read_data_file(name: str) -> Any:
    try:
        text = resources.files("deptbudget.templates").joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TemplateError(f"找不到模板文件 {name} (template file not found)") from None
    return yaml.safe_load(text)


def available_templates() -> list[str]:
    files = resources.files("deptbudget.templates").iterdir()
    return sorted(f.name[:-5] for f in files
                  if f.name.endswith(".yaml") and ".narrative" not in f.name and not f.name.startswith("checklist-"))


@cache
def load_template(name: str) -> Template:
    if name not in available_templates():
        raise TemplateError(f"未知模板 {name!r} (unknown template); 可选: {', '.join(available_templates())}")
    try:
        data = _read_data_file(f"{name}.yaml")
        narrative = _read_data_file(data["narrative"]) if data.get("narrative") else {"parts": []}
        return Template(
            name=data["name"],
            label=data.get("label", data["name"]),
            kind=data.get("kind", "部门预算"),
            title=data["title"],
            amount_unit=data.get("amount_unit", "万元"),
            fund_groups={k: tuple(v) for k, v in data.get("fund_groups", {}).items()},
            tables=tuple(_table(t) for t in data["tables"]),
            narrative=narrative,
        )
    except (KeyError, TypeError, ValueError, yaml.YAMLError) as exc:
        raise TemplateError(f"模板 {name} 格式错误 (malformed template): {exc}") from exc

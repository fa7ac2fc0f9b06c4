"""What a budget's and a final accounts' disclosure are assembled from alike (``compute.disclosure``,
``compute.final_disclosure``): the template's tables built one by one with the builder each names, their 尾差
notes, and the ``Disclosure`` with the template's title, kind and contents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from deptbudget.compute.tail_notes import add_tail_notes
from deptbudget.model.disclosure import Disclosure, Part, Table
from deptbudget.template import TableSpec, Template, TemplateError

C = TypeVar("C")
TableBuilder = Callable[[C, TableSpec], list[Table]]


def build_tables(template: Template, ctx: C, builder_of: Callable[[TableSpec], TableBuilder[C] | None],
                 unknown: Callable[[TableSpec], str]) -> list[Table]:
    """Every table of the template, in order, with its 尾差 notes; a table without a builder is a
    ``TemplateError`` saying ``unknown(spec)``."""
    tables: list[Table] = []
    for spec in template.tables:
        builder = builder_of(spec)
        if builder is None:
            raise TemplateError(unknown(spec))
        tables.extend(builder(ctx, spec))
    add_tail_notes(tables, template)
    return tables


def assemble(template: Template, fiscal_year: int, unit_name: str, tables: list[Table], parts: list[Part],
             meta: dict[str, str], **extra: Any) -> Disclosure:
    """The disclosure of ``template`` (``extra``: the fields only one kind of source fills)."""
    return Disclosure(
        template=template.name,
        fiscal_year=fiscal_year,
        unit_name=unit_name,
        title=template.title.format(year=fiscal_year, unit=unit_name),
        kind=template.kind,
        parts=parts,
        tables=tables,
        contents=[f"{spec.number}. {spec.title}" for spec in template.tables],
        meta=meta,
        **extra,
    )

"""Columns whose heading names the catalog they print (docs/catalogs.md): ``支出功能分类科目``,
``部门（预算）支出经济分类科目``, ``政府（预算）支出经济分类科目``.

- A column printing ``code-name`` in each cell (北京 支出总表 and 基本支出表: ``2010801-行政运行``,
  ``30101-基本工资``) is read as code–name pairs of that catalog.
- A code longer than the catalog's deepest level (北京's ``3021101-差旅费`` under the 款 30211) is a local
  detail of a national 款: the 部门/政府预算支出经济分类 of the Ministry of Finance stop at the 款, and a
  locality's budget system may detail below it. Such a code is accepted when its 款 is in the year's
  catalog; its own last digits and its name cannot be judged by the national catalog.
- A column ``…（按大类）`` lists 类 names without codes (西安's 收支总表). A name of the year's catalog is
  right; an old name is an old name; a name resembling a 类 name but not one is worth a warning; any other
  text is the table's own grouping (西安 ``人员经费和公用经费支出``, ``专项业务经费支出``) and is not judged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from deptbudget.catalog import KINDS, Catalog, CatalogEntry, FormerName
from deptbudget.model.disclosure import CellKind, Column, Row, Table
from deptbudget.model.narrative_parts import strip_numbering
from deptbudget.rules._common import data_rows, exp_key, norm_name, row_text

_HEADING_KINDS = ((re.compile(r"功能分类"), "exp_func"),
                  (re.compile(r"部门(预算)?(支出)?经济(分类)?科目"), "dep_bgt_eco"),
                  (re.compile(r"政府(预算)?(支出)?经济(分类)?科目"), "gov_bgt_eco"))
_CLASS_LIST = "按大类"
LOCAL_KINDS = ("dep_bgt_eco", "gov_bgt_eco")  # catalogs whose 款 localities detail below (a 7-digit code)
LOCAL_LENGTH = 7
SIMILAR = 0.6  # share of characters in common that makes an unknown name “resembling” a 类 name


def heading_kind(column: Column) -> str | None:
    """The catalog a text column's heading names, if any."""
    if column.kind is not CellKind.TEXT:
        return None
    heading = norm_name(column.label)
    return next((kind for pattern, kind in _HEADING_KINDS if pattern.search(heading)), None)


def is_class_list(column: Column) -> bool:
    """A column listing 类 names without codes (``支出功能分类科目（按大类）``)."""
    return heading_kind(column) is not None and _CLASS_LIST in norm_name(column.label)


def is_local_code(kind: str, code: str) -> bool:
    """A locality's detail below a national 款 (``3021101`` under 30211)."""
    return kind in LOCAL_KINDS and code.isdigit() and len(code) == LOCAL_LENGTH


def local_parent(code: str) -> str:
    return code[: KINDS["dep_bgt_eco"][1][-1]]


def name_key(name: str) -> str:
    """A printed name as compared with the catalog: without its numbering (``一、`` ``（一）`` ``1.`` ``(3)``),
    whitespace, and with brackets full-width."""
    return norm_name(strip_numbering(norm_name(name)))


@dataclass(frozen=True)
class ClassName:
    """A name printed in a class list, judged: ``exact`` (a name of the year's catalog), ``old_name`` (a name
    an entry carried before), ``resembling`` (not a name of the catalog, but like the 类 ``official``)."""

    table: Table
    row: Row
    column: Column
    kind: str
    name: str
    status: str
    official: CatalogEntry | None = None
    former: FormerName | None = None


def class_names(tables: list[Table], catalog: Catalog) -> Iterator[ClassName]:
    """The judged names of every class-list column (each distinct name once per table); text that is
    neither a catalog name nor like one (the table's own grouping) is left out."""
    for table in tables:
        for column in table.columns:
            kind = heading_kind(column) if is_class_list(column) else None
            if kind is None:
                continue
            seen: set[str] = set()
            for row in data_rows(table):
                if column.key == "exp_item" and exp_key(row).isdigit():
                    continue  # the 类 printed with its code: judged as a code–name pair
                printed = row_text(row, column.key)
                key = name_key(printed)
                if len(key) < 2 or key in seen:
                    continue
                seen.add(key)
                judged = judge_class_name(catalog, kind, key)
                if judged is not None:
                    status, official, former = judged
                    yield ClassName(table, row, column, kind, printed, status, official, former)


def _same(key: str, official: str, level: int) -> bool:
    """The name, or a 类 name without the words a 收支总表's column heading says for it (``一般公共服务``,
    ``灾害防治及应急`` under 支出功能分类), as ``catalog_rules`` reads a list of 类 with codes."""
    wanted = name_key(official)
    return key == wanted or (level == 1 and wanted.startswith(key) and wanted.endswith("支出"))


def judge_class_name(catalog: Catalog, kind: str, key: str) -> tuple[str, CatalogEntry | None,
                                                                     FormerName | None] | None:
    """``key`` (a name as ``name_key`` gives it) against the year's names of ``kind``: exact, old name,
    resembling a 类 name, or None (not a classification name)."""
    if key.count("（") > key.count("）"):
        key += "）"  # a bracket left open where the cell wrapped: ``资本性支出（基本建设``
    entries = catalog.entries(kind)
    for entry in entries:
        if _same(key, entry.name, entry.level):
            return "exact", entry, None
    for entry in entries:
        for former in catalog.former_names(kind, entry.code):
            if _same(key, former.name, entry.level):
                return "old_name", entry, former
    best, score = None, 0.0
    letters = set(key)
    for entry in entries:
        if entry.level != 1:
            continue
        theirs = set(name_key(entry.name))
        common = len(letters & theirs) / max(len(letters | theirs), 1)
        if common > score:
            best, score = entry, common
    return ("resembling", best, None) if best is not None and score >= SIMILAR else None

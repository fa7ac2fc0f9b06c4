"""One disclosure published as two files — the narrative (情况说明, 附件1) and the tables (报表, 附件2), as 北京
publishes them — audited as one, as ``deptbudget import --together`` reads them.

Which file is a half is decided from its import: a 说明 half has narrative text and no table read, a 报表 half
tables and no narrative, and at least one of the two says so in the words ``review.structure.published_elsewhere``
knows (附件2 / 报表 in the title or file name, a line naming the tables as an attachment); a file of tables that is
a 报表 by what it is made of alone (no title, every required table) is a half that does not say so. Two halves make
a pair when they are of one locality and year (the manifest's, else the file name's or the document's) and one entity:
a name of one (the manifest's entity, the document's unit, its title) contains a name of the other.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deptbudget.model.disclosure import Disclosure

NARRATIVE = "说明"
TABLES = "报表"
_NOISE = re.compile(r"[\s*＊“”\"']|部门$")
_SHORTEST = 4  # characters of the shorter name, so that a bare place name (北京市) pairs nothing


@dataclass(frozen=True)
class Half:
    side: str  # NARRATIVE or TABLES
    locality: str
    year: str
    names: tuple[str, ...]  # the entity as the manifest, the document's unit and its title name it
    declared: bool  # the file itself says that it is a half (published_elsewhere)

    def pairs_with(self, other: Half) -> bool:
        if self.side == other.side or (self.locality, self.year) != (other.locality, other.year):
            return False
        if not (self.declared or other.declared):
            return False
        return any(_contains(a, b) for a in self.names for b in other.names)


def _contains(a: str, b: str) -> bool:
    """One name within the other, the shorter long enough to name an entity."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= _SHORTEST and short in long


def _name(text: str) -> str:
    return _NOISE.sub("", text or "")


def _has_text(disclosure: Disclosure) -> bool:
    return any(p.strip() for part in disclosure.parts for section in part.sections for p in section.paragraphs)


def half_of(disclosure: Disclosure, row: dict[str, Any]) -> Half | None:
    """The half of a two-file disclosure this document is, or None (a whole one, or neither)."""
    from deptbudget.review.structure import published_elsewhere
    from deptbudget.rules.completeness import tables_published_separately

    tables = any(t.rows or t.empty_note for t in disclosure.tables)
    text = _has_text(disclosure)
    if tables == text:
        return None
    elsewhere = published_elsewhere(disclosure, None, tables_published_separately(disclosure), Path(row["path"]).name)
    # a 报表 known as one by what it is made of (no title, every table: ``inferred``) is a half, but it does not say
    # so: like any file of tables alone it waits for its 说明 in bounded number (``Waiting``)
    declared = elsewhere is not None and not elsewhere.inferred \
        and (("table" in elsewhere.kinds) != ("title" in elsewhere.kinds))
    names = tuple(n for n in (_name(row.get("entity") or ""), _name(disclosure.unit_name),
                              _name(disclosure.title or "")) if n)
    year = row.get("year") or str(disclosure.fiscal_year or "")
    return Half(TABLES if tables else NARRATIVE, row.get("locality") or "", year, names, declared)


class Waiting:
    """Halves of two-file disclosures waiting for their other half, with what was read of each. Every half that says
    it is one (``declared``) waits to the end; of the others — a file of tables and no text, which a folder of a
    locality publishing XLSX 报表 alone holds by the thousand — at most ``hold``, the oldest leaving first (its rows
    are then taken as a document of its own), so that memory stays bounded whatever the number of documents."""

    def __init__(self, hold: int = 64) -> None:
        self.hold = hold
        self.items: list[tuple[Half, Any, Any]] = []

    def take_partner(self, half: Half) -> tuple[Half, Any, Any] | None:
        """The waiting half that pairs with ``half``, taken out of the wait; None if none."""
        found = next((item for item in self.items if item[0].pairs_with(half)), None)
        if found is not None:
            self.items.remove(found)
        return found

    def add(self, item: tuple[Half, Any, Any]) -> list[tuple[Half, Any, Any]]:
        """``item`` put to wait; returns the undeclared halves that leave to keep at most ``hold`` of them."""
        self.items.append(item)
        undeclared = [i for i in self.items if not i[0].declared]
        leaving = undeclared[: max(0, len(undeclared) - self.hold)]
        for gone in leaving:
            self.items.remove(gone)
        return leaving

    def __iter__(self) -> Iterator[tuple[Half, Any, Any]]:
        return iter(list(self.items))

    def __len__(self) -> int:
        return len(self.items)

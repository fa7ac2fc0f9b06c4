"""Classification codes from printed names, by the row's place in the tree.

Printed tables list a tree in order: a 类, its 款, each 款's 项 (支出功能分类), or a 类 and its
款 (经济分类). Names alone are ambiguous (``其他科学技术支出`` is the 款 20699 and the 项
2069999) and sometimes misprinted (``技术与开发`` for 20604 技术研究与开发), so a name is looked
up among the entries that may come next: the children of the current 款, then of the current
类, then the 类 — exact names (official or former) first, then the closest name. A name found
nowhere near is looked up in the whole catalog (an exact name; when several codes carry it, the
one under the vocabulary's preferred 类), and the row keeps the code it names without moving the
current node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from deptbudget.catalog import Catalog, CatalogEntry
from deptbudget.importers.source import squash, strip_numbering, unwrap

FUZZY_THRESHOLD = 0.6


@dataclass(frozen=True)
class Resolved:
    code: str
    how: str  # "exact" | "former" | "approximate" | "elsewhere"
    official: str


_LEADING_CODE = re.compile(r"^\s*(?:[\[【［]\s*(?P<bracketed>\d{3,7})\s*[\]】］]|(?P<plain>\d{3,7})(?:\s*[-－—]|\s+))"
                           r"\s*(?P<name>\D.*)$")


def leading_code(text: str) -> tuple[str, str] | None:
    """A code printed inside the name cell: ``[2014001]行政运行``, ``2010801-行政运行``,
    ``301 工资福利支出`` → (code, name); None when the cell starts with no code."""
    match = _LEADING_CODE.match(text)
    if match is None:
        return None
    return match.group("bracketed") or match.group("plain"), match.group("name").strip()


def name_form(name: str) -> str:
    return squash(strip_numbering(unwrap(name)))


_NUMBERING_DIGITS = re.compile(r"\d+")
_NUMBERING_HAN = re.compile(r"[一二三四五六七八九十]+")


def numbering_style(name: str) -> str:
    """The style of a printed name's numbering, its numbers blanked (``9、社会保险基金`` and ``10、卫生健康``
    → ``9、``; ``（三）…`` → ``（一）``), or "" when the name has none."""
    text = unwrap(name).strip()
    prefix = text[: len(text) - len(strip_numbering(text))].strip()
    prefix = prefix.replace("(", "（").replace(")", "）")
    return _NUMBERING_HAN.sub("一", _NUMBERING_DIGITS.sub("9", prefix))


class TreeResolver:
    """Resolves the names of one table's rows, in order, for one catalog kind."""

    def __init__(self, catalog: Catalog, kind: str, preferred: tuple[str, ...] = ()) -> None:
        self.catalog = catalog
        self.kind = kind
        self.preferred = preferred  # 类 codes that win when a name elsewhere is ambiguous
        self.path: list[str] = []  # codes of the current 类 [, 款]
        self._names: dict[str, list[str]] = {}
        self._styles: dict[str, set[int]] = {}  # numbering style → levels of the rows resolved with it

    def names(self, entry: CatalogEntry) -> list[str]:
        if entry.code not in self._names:
            former = self.catalog.old_names(self.kind, entry.code)
            self._names[entry.code] = [name_form(entry.name), *(name_form(n) for n in former)]
        return self._names[entry.code]

    def _groups(self) -> list[list[CatalogEntry]]:
        """Candidates for the next row, nearest first: children of the deepest open node upward."""
        groups = [self.catalog.children(self.kind, code) for code in reversed(self.path)]
        return [*groups, self.catalog.children(self.kind, None)]

    def resolve(self, printed: str) -> Resolved | None:
        name = name_form(printed)
        if not name:
            return None
        style = numbering_style(printed)
        groups = self._groups()
        if style and self._styles.get(style) == {1}:
            # numbered as the 类 before it: a 类 (one the catalog may lack), never a 款 of the 类 above
            groups = groups[-1:]
        found = self._exact(name, groups) or self._anywhere(name, len(groups) == 1) or self._closest(name, groups)
        if found is not None and found.how != "elsewhere":
            self.enter(found.code)
        level = code_level(self.kind, found.code) if found is not None else None
        if style and level is not None:
            self._styles.setdefault(style, set()).add(level)
        return found

    def enter(self, code: str) -> None:
        """Make ``code`` the current node (a printed code read directly, or a resolved name)."""
        entry = self.catalog.find(self.kind, code)
        if entry is None:
            return
        chain = [a.code for a in self.catalog.ancestors(self.kind, code)] + [code]
        leaf_level = len(_levels(self.kind))
        self.path = chain if entry.level < leaf_level else chain[:-1]

    def _exact(self, name: str, groups: list[list[CatalogEntry]]) -> Resolved | None:
        for group in groups:
            for entry in group:
                names = self.names(entry)
                if name == names[0]:
                    return Resolved(entry.code, "exact", entry.name)
                if name in names[1:]:
                    return Resolved(entry.code, "former", entry.name)
        return None

    def _closest(self, name: str, groups: list[list[CatalogEntry]]) -> Resolved | None:
        best: tuple[float, CatalogEntry] | None = None
        for distance, group in enumerate(groups):
            for entry in group:
                ratio = SequenceMatcher(None, name, self.names(entry)[0]).ratio() - 0.02 * distance
                if best is None or ratio > best[0]:
                    best = (ratio, entry)
        if best is None or best[0] < FUZZY_THRESHOLD:
            return None
        return Resolved(best[1].code, "approximate", best[1].name)

    def _anywhere(self, name: str, class_only: bool = False) -> Resolved | None:
        entries = self.catalog.code_for_name(self.kind, name)
        if class_only:
            entries = [e for e in entries if e.level == 1]
        if len(entries) > 1:
            entries = [e for e in entries if e.code[:3] in self.preferred]
            entries.sort(key=lambda e: self.preferred.index(e.code[:3]))
            entries = entries[:1]
        if len(entries) != 1:
            return None
        return Resolved(entries[0].code, "elsewhere", entries[0].name)


def complete_code(catalog: Catalog, kind: str, part: str, parents: list[str], printed_name: str) -> str | None:
    """A code printed as its last part only (``10`` under 类 201 is the 款 20110; ``01`` under 款
    20110 the 项 2011001): joined to the nearest printed parent it makes a code of the catalog with,
    one whose name is the printed name first, else one the catalog has, else the nearest. None when
    no parent makes a code of the right length."""
    if not (part.isascii() and part.isdigit()) or code_level(kind, part) is not None:
        return None
    candidates = [parent + part for parent in reversed(parents) if code_level(kind, parent + part) is not None]
    known = [c for c in candidates if catalog.find(kind, c) is not None]
    name = name_form(printed_name)
    for code in known:
        entry = catalog.find(kind, code)
        if entry is not None and name and name in (name_form(entry.name),
                                                   *(name_form(n) for n in catalog.old_names(kind, code))):
            return code
    # a code the year's catalog lacks (an old 款) is still the one printed; CAT-CODE judges it
    return (known or candidates or [None])[0]


def _levels(kind: str) -> tuple[int, ...]:
    from deptbudget.catalog import KINDS

    return KINDS[kind][1]


def code_level(kind: str, code: str) -> int | None:
    """1 类 / 2 款 / 3 项 from the code's length, or None when it is no code of that kind."""
    levels = _levels(kind)
    if not (code.isascii() and code.isdigit()) or len(code) not in levels:
        return None
    return levels.index(len(code)) + 1


def parent_code(kind: str, code: str) -> str | None:
    level = code_level(kind, code)
    if level is None or level == 1:
        return None
    return code[: _levels(kind)[level - 2]]

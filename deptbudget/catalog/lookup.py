"""政府收支分类科目 lookups: official names, levels and parents of codes, per fiscal year.

Data lives in ``deptbudget/catalog/data/`` (see ``docs/catalogs.md``): ``catalog.yaml`` names the base
year, the years shipped and the kinds shipped; ``base/`` holds the base year's catalog
(``exp_func/<类>.csv``, ``dep_bgt_eco.csv``, ``gov_bgt_eco.csv``, ``income/<类>.csv``; columns
``code,name,source``); ``changes/<YEAR>/*.csv`` what changed from YEAR-1 to YEAR. Later years are the
base with their changes applied, earlier ones the base with the changes undone. A code's parent is its
prefix: 项 2060101 → 款 20601 → 类 206.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

import yaml

from deptbudget.catalog.changes import Change, ParentOf, Slot, State, apply_year
from deptbudget.catalog.data_files import DataPath, read_base_kind, read_change_dates, read_year_changes
from deptbudget.catalog.errors import CatalogError

# kind → (Chinese label, code lengths by level: 类, 款[, 项[, 目]])
KINDS: dict[str, tuple[str, tuple[int, ...]]] = {
    "exp_func": ("支出功能分类科目", (3, 5, 7)),
    "dep_bgt_eco": ("部门预算支出经济分类科目", (3, 5)),
    "gov_bgt_eco": ("政府预算支出经济分类科目", (3, 5)),
    "income": ("收入分类科目", (3, 5, 7, 9)),
}
LEVEL_LABELS = ("类", "款", "项", "目")
CONFIG_FILE = "catalog.yaml"

__all__ = ["KINDS", "Catalog", "CatalogEntry", "CatalogError", "Change", "FormerName", "UnknownCodeError"]


class UnknownCodeError(CatalogError):
    """A code is not in the catalog of that kind and year."""

    def __init__(self, kind: str, code: str, year: int) -> None:
        self.kind, self.code, self.year = kind, code, year
        label = KINDS[kind][0] if kind in KINDS else kind
        super().__init__(
            f"{year} 年{label}（{kind}）中没有编码 {code} / "
            f"code {code!r} not found in {kind} catalog for fiscal year {year}"
        )


@dataclass(frozen=True)
class CatalogEntry:
    kind: str
    code: str
    name: str
    level: int  # 1=类, 2=款, 3=项, 4=目
    parent_code: str | None
    source: str = field(default="", compare=False)  # where the entry comes from (catalog:/notice:/observed:)


@dataclass(frozen=True)
class FormerName:
    """A name a code carried before: ``name`` until ``renamed_in - 1``, then ``new_name`` (under ``new_code``)."""

    name: str
    code: str
    renamed_in: int
    new_name: str
    new_code: str
    source: str
    latest: int | None = None  # the rename may have been made as late as this year (change_dates.csv)


def _norm_name(name: str) -> str:
    """Whitespace removed, half-width parentheses made full-width (as in official names)."""
    return "".join(name.split()).replace("(", "（").replace(")", "）")


class History:
    """Every change of every shipped year, by kind and code (the code brought or taken away)."""

    def __init__(self, changes: dict[int, list[Change]]) -> None:
        self.by_year = changes
        self._by_code: dict[tuple[str, str], list[Change]] = {}
        for year in sorted(changes):
            for change in changes[year]:
                for code in {change.code, change.old_code} - {""}:
                    self._by_code.setdefault((change.kind, code), []).append(change)

    def of(self, kind: str, code: str) -> list[Change]:
        """The changes that brought, renamed or took away ``code``, by year."""
        return list(self._by_code.get((kind, code), []))


class Catalog:
    """The classification catalogs of one fiscal year."""

    def __init__(
        self,
        fiscal_year: int,
        entries: dict[str, dict[str, CatalogEntry]],
        history: History | None = None,
        *,
        requested_year: int | None = None,
        note: str | None = None,
        partial: frozenset[str] = frozenset(),
        anticipated: dict[tuple[str, str], list[CatalogEntry]] | None = None,
    ) -> None:
        self.fiscal_year = fiscal_year
        # entries a later change may already have made this year (its year only the first seen: change_dates.csv)
        self._anticipated = anticipated or {}
        self.partial = partial  # kinds whose data lacks some official 款/项 (catalog.yaml ``partial``)
        self.requested_year = fiscal_year if requested_year is None else requested_year
        self.note = note
        self._entries = {kind: dict(sorted(entries.get(kind, {}).items())) for kind in KINDS}
        self._history = history or History({})
        self._children: dict[tuple[str, str | None], list[CatalogEntry]] = {}
        self._by_name: dict[tuple[str, str], list[CatalogEntry]] = {}
        for kind, by_code in self._entries.items():
            for entry in by_code.values():
                self._children.setdefault((kind, entry.parent_code), []).append(entry)
                self._by_name.setdefault((kind, _norm_name(entry.name)), []).append(entry)

    def __repr__(self) -> str:
        return f"Catalog(fiscal_year={self.fiscal_year}, requested_year={self.requested_year})"

    def as_year(self, requested_year: int, note: str) -> Catalog:
        """This catalog standing in for ``requested_year`` (which has none), with ``note`` saying so."""
        return Catalog(self.fiscal_year, self._entries, self._history, requested_year=requested_year, note=note,
                       partial=self.partial, anticipated=self._anticipated)

    def _kind(self, kind: str) -> dict[str, CatalogEntry]:
        try:
            return self._entries[kind]
        except KeyError:
            raise CatalogError(
                f"未知的分类科目种类 {kind!r}（应为 {'、'.join(KINDS)}）/ "
                f"unknown catalog kind {kind!r}; expected one of {', '.join(KINDS)}"
            ) from None

    def find(self, kind: str, code: str) -> CatalogEntry | None:
        return self._kind(kind).get(str(code).strip())

    def anticipated(self, kind: str, code: str) -> list[CatalogEntry]:
        """``code`` as a later year's change brings or renames it, when that change's year is only the first a
        text shows it and it may have been made by ``fiscal_year`` already (``Change.earliest``): a document of
        this year printing it is not wrong. Empty for most codes."""
        return list(self._anticipated.get((kind, str(code).strip()), []))

    def anticipated_codes(self) -> list[tuple[str, str]]:
        """(kind, code) of every entry :meth:`anticipated` knows for this year."""
        return sorted(self._anticipated)

    def get(self, kind: str, code: str) -> CatalogEntry:
        entry = self.find(kind, code)
        if entry is None:
            raise UnknownCodeError(kind, str(code).strip(), self.fiscal_year)
        return entry

    def name(self, kind: str, code: str) -> str:
        return self.get(kind, code).name

    def children(self, kind: str, code: str | None) -> list[CatalogEntry]:
        """Direct children of ``code`` (``None`` → the 类), in code order."""
        self._kind(kind)
        parent = None if code is None else self.get(kind, code).code
        return list(self._children.get((kind, parent), []))

    def parent_code(self, kind: str, code: str) -> str | None:
        """The code one level up from ``code`` by its length (``2120801`` → ``21208``), known or not; ``None``
        for a 类 or a code of no level of ``kind``."""
        lengths = KINDS[kind][1]
        code = str(code).strip()
        if len(code) not in lengths or lengths.index(len(code)) == 0:
            return None
        return code[: lengths[lengths.index(len(code)) - 1]]

    def ancestors(self, kind: str, code: str) -> list[CatalogEntry]:
        """类 first, then 款; the entry itself excluded."""
        chain: list[CatalogEntry] = []
        parent = self.get(kind, code).parent_code
        while parent is not None:
            entry = self.get(kind, parent)
            chain.append(entry)
            parent = entry.parent_code
        return chain[::-1]

    def entries(self, kind: str) -> list[CatalogEntry]:
        """All entries in code order (a pre-order walk: 类, its 款, each 款's 项 …)."""
        return list(self._kind(kind).values())

    def former_names(self, kind: str, code: str) -> list[FormerName]:
        """The names ``code`` carried before ``fiscal_year`` (renamed, or under the code it was recoded from),
        oldest first: each with the year it changed and the name it changed to."""
        entry = self.get(kind, code)
        return self._former(kind, entry.code, self.fiscal_year, set())

    def _former(self, kind: str, code: str, until: int, seen: set[str]) -> list[FormerName]:
        seen.add(code)
        out: list[FormerName] = []
        for change in self._history.of(kind, code):
            if change.year > until:
                continue
            if change.action == "renamed" and change.code == code:
                out.append(FormerName(change.old_name, code, change.year, change.name, code, change.source,
                                      change.latest))
            elif change.action == "recoded" and change.code == code and change.old_code not in seen:
                out.extend(self._former(kind, change.old_code, change.year - 1, seen))
                if change.old_name != change.name:
                    out.append(FormerName(change.old_name, change.old_code, change.year, change.name, code,
                                          change.source))
        return sorted(out, key=lambda f: f.renamed_in)

    def old_names(self, kind: str, code: str) -> list[str]:
        """Names this code carried before ``fiscal_year``, oldest first (from the renamed/recoded changes)."""
        names: list[str] = []
        for former in self.former_names(kind, code):
            if former.name not in names:
                names.append(former.name)
        return names

    def fate(self, kind: str, code: str) -> Change | None:
        """For a code this catalog lacks: the change of ``fiscal_year`` or before that took it away (a
        ``recoded`` one says the code it became), None when no change of the shipped years did."""
        if self.find(kind, code) is not None:
            return None
        taken = [c for c in self._history.of(kind, code)
                 if c.year <= self.fiscal_year and (c.taken() or ("", ""))[0] == code]
        return taken[-1] if taken else None

    def successor(self, kind: str, code: str) -> CatalogEntry | None:
        """The entry an old code was recoded to (following later recodings), None when it was not recoded."""
        seen: set[str] = set()
        while code not in seen:
            seen.add(code)
            change = self.fate(kind, code)
            if change is None or change.action != "recoded":
                return None
            entry = self.find(kind, change.code)
            if entry is not None:
                return entry
            code = change.code
        return None

    def code_for_name(self, kind: str, name: str) -> list[CatalogEntry]:
        """Entries whose official name is ``name`` (ignoring whitespace and （）/() width)."""
        self._kind(kind)
        return list(self._by_name.get((kind, _norm_name(name)), []))


# --- the shipped data ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Config:
    base_year: int
    first_year: int
    last_year: int
    kinds: tuple[str, ...]
    partial: tuple[str, ...] = ()

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))


def _data_root() -> DataPath:
    return files("deptbudget.catalog") / "data"


def read_config(root: DataPath) -> Config:
    path = root / CONFIG_FILE
    try:
        config: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        base = int(config["base_year"])
        first, last = int(config.get("first_year", base)), int(config.get("last_year", base))
        kinds = tuple(config.get("kinds") or ("exp_func", "dep_bgt_eco", "gov_bgt_eco"))
        partial = tuple(config.get("partial") or ())
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CatalogError(f"{path}：缺少 base_year 或年份无效 / base_year missing or invalid: {exc}") from None
    unknown = [k for k in (*kinds, *partial) if k not in KINDS]
    if not first <= base <= last or unknown:
        raise CatalogError(f"{path}：须 first_year ≤ base_year ≤ last_year，kinds 取自 {'、'.join(KINDS)} / "
                           f"need first_year <= base_year <= last_year and known kinds (got {first}, {base}, "
                           f"{last}, {list(kinds)})")
    return Config(base, first, last, kinds, partial)


class CatalogData:
    """The catalogs of every shipped year, computed from one base and the changes of each year."""

    def __init__(self, root: DataPath) -> None:
        self.root = root
        self.config = config = read_config(root)
        lengths = {kind: KINDS[kind][1] for kind in KINDS}
        base: State = {kind: read_base_kind(root / "base", kind, lengths[kind]) if kind in config.kinds else {}
                       for kind in KINDS}
        self.changes: dict[int, list[Change]] = read_change_dates(root, {
            year: read_year_changes(root / "changes" / str(year), year, lengths) for year in config.years[1:]
        }, config.first_year, config.last_year)
        parent_of = ParentOf(lengths)
        self.states: dict[int, State] = {config.base_year: base}
        state = _copy(base)
        for year in range(config.base_year + 1, config.last_year + 1):
            apply_year(state, self.changes[year], year, year - 1, parent_of)
            self.states[year] = _copy(state)
        state = _copy(base)
        for year in range(config.base_year, config.first_year, -1):
            apply_year(state, [c.reversed() for c in self.changes[year]], year - 1, year, parent_of)
            self.states[year - 1] = _copy(state)
        self.history = History(self.changes)

    @property
    def years(self) -> list[int]:
        return self.config.years

    def catalog(self, year: int) -> Catalog:
        state = self.states.get(year)
        if state is None:
            raise year_error(year, self.years)
        entries = {kind: {code: _entry(kind, code, slot) for code, slot in slots.items()}
                   for kind, slots in state.items()}
        return Catalog(year, entries, self.history, partial=frozenset(self.config.partial),
                       anticipated=self._anticipated(year))

    def _anticipated(self, year: int) -> dict[tuple[str, str], list[CatalogEntry]]:
        """The entries changes of later years bring or rename that may have been made by ``year`` already."""
        out: dict[tuple[str, str], list[CatalogEntry]] = {}
        for later in range(year + 1, self.config.last_year + 1):
            for change in self.changes.get(later, []):
                if change.earliest is not None and change.earliest <= year:
                    slot = Slot(change.name, change.source, change.where)
                    out.setdefault((change.kind, change.code), []).append(_entry(change.kind, change.code, slot))
        return out


def _copy(state: State) -> State:
    return {kind: dict(slots) for kind, slots in state.items()}


def _entry(kind: str, code: str, slot: Slot) -> CatalogEntry:
    lengths = KINDS[kind][1]
    level = lengths.index(len(code)) + 1
    parent = code[: lengths[level - 2]] if level > 1 else None
    return CatalogEntry(kind, code, slot.name, level, parent, slot.source)


def year_error(year: int, years: list[int]) -> CatalogError:
    span = f"{years[0]}–{years[-1]}" if years else "无 / none"
    return CatalogError(f"没有 {year} 年的分类科目（现有 {span} 年）/ no catalog for fiscal year {year} "
                        f"(available: {span})")


@functools.lru_cache(maxsize=1)
def shipped() -> CatalogData:
    """The catalogs shipped with the package (read once)."""
    return CatalogData(_data_root())


def available_years() -> list[int]:
    """Fiscal years that have catalog data, ascending."""
    return shipped().years


@functools.lru_cache(maxsize=64)
def _load_year(year: int) -> Catalog:
    return shipped().catalog(year)


@functools.lru_cache(maxsize=64)
def load_catalog(fiscal_year: int, *, exact: bool = False) -> Catalog:
    """The catalog for ``fiscal_year``. A year after the last one shipped gets the last year's catalog with
    ``note`` set (unless ``exact``); a year before the first one shipped is a CatalogError naming the years."""
    years = available_years()
    if fiscal_year in years:
        return _load_year(fiscal_year)
    if exact or fiscal_year < years[0]:
        raise year_error(fiscal_year, years)
    used = years[-1]
    return _load_year(used).as_year(fiscal_year, f"{fiscal_year} 年无分类科目数据，使用 {used} 年科目")


def year_changes(year: int, kind: str | None = None) -> list[Change]:
    """The changes from the catalog of ``year - 1`` to that of ``year`` (in data order), optionally of one kind."""
    data = shipped()
    if year not in data.years:
        raise year_error(year, data.years)
    return [c for c in data.changes.get(year, []) if kind is None or c.kind == kind]


def changes_between(start: int, end: int, kind: str | None = None) -> Iterator[Change]:
    """Every change from the catalog of ``start`` to that of ``end``, year by year; read backwards
    (``Change.inverse``: added becomes removed, …) when ``end`` is before ``start``."""
    data = shipped()
    for year in (start, end):
        if year not in data.years:
            raise year_error(year, data.years)
    if start <= end:
        for year in range(start + 1, end + 1):
            yield from year_changes(year, kind)
    else:
        for year in range(start, end, -1):
            yield from (c.reversed() for c in year_changes(year, kind))


def history(kind: str, code: str) -> list[Change]:
    """Every change of the shipped years that brought, renamed or took away ``code`` — when it was renamed,
    to what, or recoded."""
    if kind not in KINDS:
        raise CatalogError(f"未知的分类科目种类 {kind!r} / unknown catalog kind {kind!r}")
    return shipped().history.of(kind, code)

"""政府收支分类科目 lookups: official names, levels and parents of codes, per fiscal year.

Data lives in ``deptbudget/catalog/data/``: ``catalog.yaml`` names the base year, ``base/`` holds
that year's catalog (``exp_func/<类>.csv``, ``dep_bgt_eco.csv``, ``gov_bgt_eco.csv``; columns
``code,name,source``), ``renamed.csv`` the names used in earlier years.
A code's parent is its prefix: 项 2060101 → 款 20601 → 类 206.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import yaml

# kind → (Chinese label, code lengths by level: 类, 款[, 项])
KINDS: dict[str, tuple[str, tuple[int, ...]]] = {
    "exp_func": ("支出功能分类科目", (3, 5, 7)),
    "dep_bgt_eco": ("部门预算支出经济分类科目", (3, 5)),
    "gov_bgt_eco": ("政府预算支出经济分类科目", (3, 5)),
}
RENAMED_FILE = "renamed.csv"
_RENAMED_HEADER = ["kind", "code", "old_name", "new_name", "until_year"]
_ENTRY_HEADER = ["code", "name", "source"]
# characters that official names never contain (they use full-width （）)
_FORBIDDEN_IN_NAME = set("()") | {" ", "\t", "\u3000"}


class CatalogError(Exception):
    """A catalog cannot be loaded or a lookup is invalid (message in Chinese and English)."""


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
    level: int  # 1=类, 2=款, 3=项
    parent_code: str | None


def _norm_name(name: str) -> str:
    """Whitespace removed, half-width parentheses made full-width (as in official names)."""
    return "".join(name.split()).replace("(", "（").replace(")", "）")


class Catalog:
    """The three classification catalogs of one fiscal year."""

    def __init__(
        self,
        fiscal_year: int,
        entries: dict[str, dict[str, CatalogEntry]],
        old_names: dict[tuple[str, str], list[str]] | None = None,
        *,
        requested_year: int | None = None,
        note: str | None = None,
    ) -> None:
        self.fiscal_year = fiscal_year
        self.requested_year = fiscal_year if requested_year is None else requested_year
        self.note = note
        self._entries = {kind: dict(sorted(by_code.items())) for kind, by_code in entries.items()}
        self._old_names = dict(old_names or {})
        self._children: dict[tuple[str, str | None], list[CatalogEntry]] = {}
        self._by_name: dict[tuple[str, str], list[CatalogEntry]] = {}
        for kind, by_code in self._entries.items():
            for entry in by_code.values():
                self._children.setdefault((kind, entry.parent_code), []).append(entry)
                self._by_name.setdefault((kind, _norm_name(entry.name)), []).append(entry)

    def __repr__(self) -> str:
        return f"Catalog(fiscal_year={self.fiscal_year}, requested_year={self.requested_year})"

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

    def old_names(self, kind: str, code: str) -> list[str]:
        """Names this code carried before ``fiscal_year`` (from renamed.csv), oldest first."""
        entry = self.get(kind, code)
        return list(self._old_names.get((kind, entry.code), []))

    def code_for_name(self, kind: str, name: str) -> list[CatalogEntry]:
        """Entries whose official name is ``name`` (ignoring whitespace and （）/() width)."""
        self._kind(kind)
        return list(self._by_name.get((kind, _norm_name(name)), []))


def _data_root() -> Traversable:
    return files("deptbudget.catalog") / "data"


def _read_rows(path: Traversable | Path, header: list[str]) -> Iterable[tuple[int, list[str]]]:
    """(line number, cells) of a UTF-8 CSV file after checking its header."""
    where = str(path)
    if not path.is_file():
        raise CatalogError(f"分类科目数据文件不存在：{where} / catalog data file missing: {where}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{where}：不是 UTF-8 编码 / not UTF-8 encoded: {exc}") from None
    reader = csv.reader(io.StringIO(text))
    first = next(reader, None)
    if first is None or [c.strip() for c in first] != header:
        raise CatalogError(
            f"{where} 第 1 行：表头应为 {','.join(header)} / line 1: header must be {','.join(header)}, "
            f"got {first!r}"
        )
    for cells in reader:
        if not cells or all(not c.strip() for c in cells):
            continue
        line = reader.line_num
        if len(cells) != len(header):
            raise CatalogError(
                f"{where} 第 {line} 行：应有 {len(header)} 列 / line {line}: expected "
                f"{len(header)} columns, got {len(cells)}: {cells!r}"
            )
        yield line, [c.strip() for c in cells]


def _kind_files(base: Traversable | Path, kind: str) -> list[Traversable | Path]:
    """``base/<kind>.csv``, or every ``*.csv`` of the folder ``base/<kind>/`` in name order."""
    folder = base / kind
    if folder.is_dir():
        return sorted((f for f in folder.iterdir() if f.name.endswith(".csv")), key=lambda f: f.name)
    return [base / f"{kind}.csv"]


def _load_kind(base: Traversable | Path, kind: str) -> dict[str, CatalogEntry]:
    lengths = KINDS[kind][1]
    found: dict[str, CatalogEntry] = {}
    lines: dict[str, tuple[str, int]] = {}
    digits = "/".join(map(str, lengths))
    for path in _kind_files(base, kind):
        where = str(path)
        for line, (code, name, _source) in _read_rows(path, _ENTRY_HEADER):
            _add_entry(found, lines, kind, where, line, code, name, lengths, digits)
    for code, entry in found.items():
        if entry.parent_code is not None and entry.parent_code not in found:
            where, line = lines[code]
            raise CatalogError(
                f"{where} 第 {line} 行（{kind} {code}）：上级科目 {entry.parent_code} 不存在 / "
                f"line {line}: parent code {entry.parent_code} of {code} is missing"
            )
    return found


def _add_entry(
    found: dict[str, CatalogEntry],
    lines: dict[str, tuple[str, int]],
    kind: str,
    where: str,
    line: int,
    code: str,
    name: str,
    lengths: tuple[int, ...],
    digits: str,
) -> None:
    """Validate one data row and add it to ``found`` (error names file, line and code)."""
    problem: tuple[str, str] | None = None
    if not (code.isascii() and code.isdigit()) or len(code) not in lengths:
        problem = f"编码须为 {digits} 位数字", f"code {code!r} must be {digits} digits"
    elif not name or _FORBIDDEN_IN_NAME & set(name):
        problem = "名称为空或含空白、半角括号", f"name {name!r} is empty or has whitespace or ASCII ()"
    elif code in found:
        first = "{}:{}".format(*lines[code])
        problem = f"编码重复（首见于 {first}）", f"duplicate code {code} (first at {first})"
    if problem:
        zh, en = problem
        raise CatalogError(f"{where} 第 {line} 行（{kind} {code}）：{zh} / line {line}: {en}")
    level = lengths.index(len(code)) + 1
    parent = code[: lengths[level - 2]] if level > 1 else None
    found[code] = CatalogEntry(kind, code, name, level, parent)
    lines[code] = (where, line)


def _load_renames(
    path: Traversable | Path, year: int, entries: dict[str, dict[str, CatalogEntry]]
) -> dict[tuple[str, str], list[str]]:
    """Old names valid until a year before ``year``, for codes present in ``entries``."""
    where = str(path)
    rows: list[tuple[int, str, str, str]] = []
    for line, (kind, code, old_name, new_name, until) in _read_rows(path, _RENAMED_HEADER):
        if kind not in KINDS or not until.isdigit() or not old_name or not new_name:
            raise CatalogError(
                f"{where} 第 {line} 行：种类、名称或年份无效 / line {line}: invalid kind, name or "
                f"until_year: {[kind, code, old_name, new_name, until]!r}"
            )
        if int(until) < year and code in entries[kind]:
            rows.append((int(until), kind, code, old_name))
    result: dict[tuple[str, str], list[str]] = {}
    for _, kind, code, old_name in sorted(rows):
        names = result.setdefault((kind, code), [])
        if old_name not in names:
            names.append(old_name)
    return result


def _load_dir(path: Traversable | Path, year: int, renamed: Traversable | Path | None = None) -> Catalog:
    """Load and validate one year's folder; ``renamed`` is the renames file (optional)."""
    entries = {kind: _load_kind(path, kind) for kind in KINDS}
    old = _load_renames(renamed, year, entries) if renamed is not None and renamed.is_file() else {}
    return Catalog(year, entries, old)


def _base_year() -> int:
    path = _data_root() / "catalog.yaml"
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return int(config["base_year"])
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise CatalogError(f"{path}：缺少 base_year / base_year missing or invalid: {exc}") from None


def available_years() -> list[int]:
    """Fiscal years that have catalog data, ascending."""
    return [_base_year()]


@functools.lru_cache(maxsize=64)
def _load_year(year: int) -> Catalog:
    root = _data_root()
    return _load_dir(root / "base", year, root / RENAMED_FILE)


@functools.lru_cache(maxsize=64)
def load_catalog(fiscal_year: int) -> Catalog:
    """The catalog for ``fiscal_year``, or the nearest earlier year's (with ``note`` set)."""
    years = available_years()
    earlier = [y for y in years if y <= fiscal_year]
    if not earlier:
        raise CatalogError(
            f"{fiscal_year} 年及以前年度均无分类科目数据（现有：{'、'.join(map(str, years)) or '无'}）/ "
            f"no catalog data for fiscal year {fiscal_year} or earlier (available: {years})"
        )
    used = earlier[-1]
    if used == fiscal_year:
        return _load_year(used)
    note = f"{fiscal_year} 年无分类科目数据，使用 {used} 年科目"
    base = _load_year(used)
    return Catalog(used, base._entries, base._old_names, requested_year=fiscal_year, note=note)

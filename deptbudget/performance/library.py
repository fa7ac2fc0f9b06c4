"""The indicator library of a locality: common 三级 indicators, grouped by 一级 / 二级, that
preparers pick from (and extend) when they set a project's targets.

Data: ``deptbudget/performance/data/indicator-library-<locality>.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from deptbudget.model.budget import Budget, Indicator
from deptbudget.model.targets import parse_target
from deptbudget.performance.data_files import DATA_DIR, DEFAULT_LOCALITY, read_yaml_file
from deptbudget.performance.tree import normalize_name


class LibraryError(ValueError):
    """A library file that cannot be read; the message names the file and place."""


@dataclass(frozen=True)
class LibraryEntry:
    level1: str  # 产出指标 / 效益指标 / …
    level2: str  # 数量指标 / 质量指标 / …
    name: str  # 三级 指标内容
    example: str  # an example target as written, e.g. "≥95%"
    direction: str  # parsed from the example: ≥ ≤ = 约 > < 定性
    unit: str | None
    note: str = ""

    def to_indicator(self, target: str | None = None) -> Indicator:
        """A budget ``Indicator`` from this entry, with ``target`` (default: the example)."""
        text = self.example if target is None else target
        parsed = parse_target(text)
        return Indicator(level1=self.level1, level2=self.level2, name=self.name, target=text,
                         direction=parsed.direction, value=parsed.value, unit=parsed.unit)


@dataclass
class IndicatorLibrary:
    locality: str
    name: str
    entries: list[LibraryEntry] = field(default_factory=list)

    def groups(self) -> dict[str, dict[str, list[LibraryEntry]]]:
        """一级 → 二级 → entries, in file order (for a picker)."""
        out: dict[str, dict[str, list[LibraryEntry]]] = {}
        for entry in self.entries:
            out.setdefault(entry.level1, {}).setdefault(entry.level2, []).append(entry)
        return out

    def search(self, text: str = "", level1: str | None = None, level2: str | None = None) -> list[LibraryEntry]:
        """Entries whose name contains ``text`` (width- and space-insensitive), optionally within
        one 一级 / 二级."""
        wanted = normalize_name(text)
        return [e for e in self.entries
                if (level1 is None or e.level1 == level1) and (level2 is None or e.level2 == level2)
                and wanted in normalize_name(e.name)]

    def get(self, name: str, level2: str | None = None) -> LibraryEntry | None:
        wanted = normalize_name(name)
        for entry in self.entries:
            if normalize_name(entry.name) == wanted and (level2 is None or entry.level2 == level2):
                return entry
        return None

    def extended(self, indicators: Iterable[Indicator]) -> IndicatorLibrary:
        """A copy with the given indicators added where not already present (a preparer's own
        indicators, or every indicator of a budget)."""
        entries = list(self.entries)
        keys = {(e.level1, e.level2, normalize_name(e.name)) for e in entries}
        for ind in indicators:
            key = (ind.level1, ind.level2, normalize_name(ind.name))
            if key in keys:
                continue
            keys.add(key)
            entries.append(_entry(ind.level1, ind.level2, ind.name, ind.target or "", ""))
        return IndicatorLibrary(self.locality, self.name, entries)

    def missing_from(self, budget: Budget) -> list[Indicator]:
        """Indicators of a budget (projects and 表14) that the library does not list."""
        keys = {(e.level1, e.level2, normalize_name(e.name)) for e in self.entries}
        found = []
        for ind in [i for p in budget.projects for i in p.indicators] + list(budget.department_targets.indicators):
            if (ind.level1, ind.level2, normalize_name(ind.name)) not in keys:
                found.append(ind)
        return found


def _entry(level1: str, level2: str, name: str, example: str, note: str) -> LibraryEntry:
    parsed = parse_target(example) if example else None
    return LibraryEntry(level1, level2, name, example, parsed.direction if parsed else "定性",
                        parsed.unit if parsed else None, note)


def load_library_file(path: str | Path) -> IndicatorLibrary:
    path = Path(path)
    data = read_yaml_file(path, LibraryError)
    if not isinstance(data, dict) or not isinstance(data.get("library"), dict):
        raise LibraryError(f"{path}: 缺少 library: 一级 → 二级 → 指标列表 (missing library mapping)")
    entries = []
    for level1, level2s in data["library"].items():
        if not isinstance(level2s, dict):
            raise LibraryError(f"{path}: library.{level1}: 应为 二级 → 指标列表 (must map 二级 to lists)")
        for level2, items in level2s.items():
            for k, item in enumerate(items or []):
                if not isinstance(item, dict) or not item.get("name"):
                    raise LibraryError(f"{path}: library.{level1}.{level2}[{k}]: 缺少 name (missing name)")
                entries.append(_entry(str(level1), str(level2), str(item["name"]),
                                      str(item.get("example") or ""), str(item.get("note") or "")))
    return IndicatorLibrary(str(data.get("locality", path.stem)), str(data.get("name", "")), entries)


@lru_cache(maxsize=8)
def load_library(locality: str = DEFAULT_LOCALITY) -> IndicatorLibrary:
    """The packaged library of a locality (``data/indicator-library-<locality>.yaml``)."""
    path = DATA_DIR / f"indicator-library-{locality}.yaml"
    if not path.is_file():
        raise LibraryError(f"没有地区 {locality!r} 的指标库 (no indicator library for this locality)")
    return load_library_file(path)

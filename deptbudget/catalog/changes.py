"""The changes of one fiscal year's catalog against the year before, and applying or undoing them.

A change row (``changes/<YEAR>/*.csv``: ``kind,action,code,name,old_code,old_name,source,note``) is
one of ``added`` (code, name), ``removed`` (code, old_name), ``renamed`` (code, name, old_name) and
``recoded`` (code, name = the new entry; old_code, old_name = the entry it replaces). Applying the
changes of YEAR to the catalog of YEAR-1 gives the catalog of YEAR; undoing them on the catalog of
YEAR gives YEAR-1. Every change is checked against the catalog it applies to: an entry a change
takes away or renames must be there with the name the change says, one it brings must not be there
yet, and afterwards every 款 and 项 must still have its parent.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from deptbudget.catalog.errors import CatalogError

ACTIONS = ("added", "removed", "renamed", "recoded")
ACTION_LABELS = {"added": "新增", "removed": "取消", "renamed": "更名", "recoded": "改编码"}


@dataclass(frozen=True)
class Change:
    """One row of a change file: what changed in ``kind`` from the catalog of ``year - 1`` to ``year``."""

    year: int
    kind: str
    action: str
    code: str
    name: str
    old_code: str
    old_name: str
    source: str
    note: str = ""
    where: str = field(default="", compare=False)  # "file:line" of the row
    # a change dated by the first text that shows it may be older: made in ``earliest`` … ``year`` (change_dates.csv)
    earliest: int | None = field(default=None, compare=False)
    # a rename whose old name texts still print after ``year``: it may have been made as late as ``latest``
    latest: int | None = field(default=None, compare=False)
    inverse: bool = field(default=False)  # the change read backwards (from ``year`` to ``year - 1``)

    def taken(self) -> tuple[str, str] | None:
        """(code, name) of the entry this change takes away from the earlier catalog."""
        if self.action == "removed":
            return self.code, self.old_name
        if self.action == "recoded":
            return self.old_code, self.old_name
        return None

    def brought(self) -> tuple[str, str] | None:
        """(code, name) of the entry this change brings into the later catalog."""
        if self.action in ("added", "recoded"):
            return self.code, self.name
        return None

    def reversed(self) -> Change:
        """The same change read from ``year`` back to ``year - 1`` (added ↔ removed, names swapped)."""
        if self.action == "added":
            return replace(self, action="removed", name="", old_name=self.name, inverse=not self.inverse)
        if self.action == "removed":
            return replace(self, action="added", name=self.old_name, old_name="", inverse=not self.inverse)
        if self.action == "renamed":
            return replace(self, name=self.old_name, old_name=self.name, inverse=not self.inverse)
        return replace(self, code=self.old_code, name=self.old_name, old_code=self.code, old_name=self.name,
                       inverse=not self.inverse)

    def describe(self) -> str:
        """One line in Chinese: ``2021 年更名 21305 扶贫 → 巩固脱贫衔接乡村振兴``."""
        label = ACTION_LABELS[self.action]
        if self.action == "added":
            return f"{label} {self.code} {self.name}"
        if self.action == "removed":
            return f"{label} {self.code} {self.old_name}"
        if self.action == "renamed":
            return f"{label} {self.code} {self.old_name} → {self.name}"
        return f"{label} {self.old_code} {self.old_name} → {self.code} {self.name}"

    def dating(self) -> str:
        """``（可能早至 2021 年）`` / ``（可能晚至 2020 年）`` for a change whose year is not known, else empty."""
        early = f"（可能早至 {self.earliest} 年）" if self.earliest is not None else ""
        return early + (f"（可能晚至 {self.latest} 年）" if self.latest is not None else "")


class ChangeError(CatalogError):
    """A change that does not fit the catalog it applies to (message names file, line and problem)."""


@dataclass
class Slot:
    """A catalog entry while a year's catalog is computed: its name, source and the row that put it there."""

    name: str
    source: str
    where: str


State = dict[str, dict[str, Slot]]  # kind → code → slot


def _fail(change: Change, zh: str, en: str) -> ChangeError:
    where = change.where or "?"
    file, _, line = where.rpartition(":")
    place_zh = f"{file} 第 {line} 行" if file else where
    return ChangeError(f"{place_zh}（{change.year} 年 {change.kind} {change.action} {change.code}）：{zh} / "
                       f"{where}: {en}")


def _take(state: State, change: Change, code: str, name: str, before: int) -> None:
    slots = state[change.kind]
    slot = slots.get(code)
    if slot is None:
        raise _fail(change, f"{before} 年科目中没有编码 {code}",
                    f"code {code} does not exist in the catalog of {before}")
    if name and name != slot.name:
        raise _fail(change, f"{before} 年 {code} 的名称是“{slot.name}”，不是“{name}”",
                    f"code {code} is named {slot.name!r} in {before}, not {name!r}")
    del slots[code]


def _bring(state: State, change: Change, code: str, name: str, before: int) -> None:
    slots = state[change.kind]
    if code in slots:
        raise _fail(change, f"编码 {code} 在 {before} 年已存在（{slots[code].name}）",
                    f"code {code} already exists in {before} ({slots[code].name})")
    slots[code] = Slot(name, change.source, change.where)


def apply_year(state: State, changes: list[Change], year: int, before: int, parent_of: ParentOf) -> None:
    """Turn the catalog of ``before`` in ``state`` into that of ``year`` by ``changes`` (already read in the
    direction wanted); entries taken away first, then renames, then entries brought — so a code freed by a
    recoding may be given to a new entry the same year. Raises ChangeError naming the row at fault."""
    for change in changes:
        if (taken := change.taken()) is not None:
            _take(state, change, *taken, before)
    for change in changes:
        if change.action == "renamed":
            slot = state[change.kind].get(change.code)
            if slot is None:
                raise _fail(change, f"{before} 年科目中没有编码 {change.code}",
                            f"code {change.code} does not exist in the catalog of {before}")
            if change.old_name != slot.name:
                raise _fail(change, f"{before} 年 {change.code} 的名称是“{slot.name}”，不是“{change.old_name}”",
                            f"code {change.code} is named {slot.name!r} in {before}, not {change.old_name!r}")
            state[change.kind][change.code] = Slot(change.name, change.source, change.where)
    for change in changes:
        if (brought := change.brought()) is not None:
            _bring(state, change, *brought, before)
    _check_parents(state, changes, year, parent_of)


class ParentOf:
    """A code's parent code by kind (the prefix one level up), None for a 类."""

    def __init__(self, lengths: dict[str, tuple[int, ...]]) -> None:
        self.lengths = lengths

    def __call__(self, kind: str, code: str) -> str | None:
        lengths = self.lengths[kind]
        level = lengths.index(len(code))
        return code[: lengths[level - 1]] if level > 0 else None


def _check_parents(state: State, changes: list[Change], year: int, parent_of: ParentOf) -> None:
    taken = {(c.kind, t[0]): c for c in changes if (t := c.taken()) is not None}
    for kind, slots in state.items():
        for code, slot in slots.items():
            parent = parent_of(kind, code)
            if parent is None or parent in slots:
                continue
            remover = taken.get((kind, parent))
            if remover is not None:
                raise _fail(remover, f"取消 {parent} 后，其下级 {code} {slot.name} 在 {year} 年仍存在（未列出其变动）",
                            f"{parent} is taken away but its child {code} {slot.name} is still in the "
                            f"catalog of {year} (list each child that changes)")
            file, _, line = slot.where.rpartition(":")
            raise ChangeError(f"{file} 第 {line} 行（{kind} {code}）：{year} 年科目中 {code} {slot.name} 的上级 "
                              f"{parent} 不存在 / {slot.where}: parent {parent} of {code} is missing in the "
                              f"catalog of {year}")

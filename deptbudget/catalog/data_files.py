"""Reading the catalog data files: the base catalog (``base/``) and the change files (``changes/<YEAR>/``).

Every error names the file, the line and the problem, in Chinese and English.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import replace
from importlib.resources.abc import Traversable
from pathlib import Path

from deptbudget.catalog.changes import ACTION_LABELS, ACTIONS, Change, Slot
from deptbudget.catalog.errors import CatalogError

ENTRY_HEADER = ["code", "name", "source"]
CHANGE_HEADER = ["kind", "action", "code", "name", "old_code", "old_name", "source", "note"]
DATES_HEADER = ["kind", "code", "year", "earliest", "latest", "note"]
DATES_FILE = "change_dates.csv"
# characters that official names never contain (they use full-width （）)
FORBIDDEN_IN_NAME = set("()") | {" ", "\t", "\u3000"}

DataPath = Traversable | Path


class DataFileError(CatalogError):
    """A data file cannot be read or one of its rows is invalid."""


def read_rows(path: DataPath, header: list[str]) -> Iterable[tuple[int, list[str]]]:
    """(line number, cells) of a UTF-8 CSV file after checking its header."""
    where = str(path)
    if not path.is_file():
        raise DataFileError(f"分类科目数据文件不存在：{where} / catalog data file missing: {where}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{where}：不是 UTF-8 编码 / not UTF-8 encoded: {exc}") from None
    reader = csv.reader(io.StringIO(text))
    first = next(reader, None)
    if first is None or [c.strip() for c in first] != header:
        raise DataFileError(
            f"{where} 第 1 行：表头应为 {','.join(header)} / line 1: header must be {','.join(header)}, "
            f"got {first!r}"
        )
    for cells in reader:
        if not cells or all(not c.strip() for c in cells):
            continue
        line = reader.line_num
        if len(cells) != len(header):
            raise DataFileError(
                f"{where} 第 {line} 行：应有 {len(header)} 列 / line {line}: expected "
                f"{len(header)} columns, got {len(cells)}: {cells!r}"
            )
        yield line, [c.strip() for c in cells]


def _row_error(where: str, line: int, what: str, zh: str, en: str) -> DataFileError:
    return DataFileError(f"{where} 第 {line} 行（{what}）：{zh} / line {line}: {en}")


def code_problem(code: str, lengths: tuple[int, ...]) -> tuple[str, str] | None:
    digits = "/".join(map(str, lengths))
    if not (code.isascii() and code.isdigit()) or len(code) not in lengths:
        return f"编码须为 {digits} 位数字", f"code {code!r} must be {digits} digits"
    return None


def name_problem(name: str) -> tuple[str, str] | None:
    if not name or FORBIDDEN_IN_NAME & set(name):
        return "名称为空或含空白、半角括号", f"name {name!r} is empty or has whitespace or ASCII ()"
    return None


def kind_files(base: DataPath, kind: str) -> list[DataPath]:
    """``base/<kind>.csv``, or every ``*.csv`` of the folder ``base/<kind>/`` in name order."""
    folder = base / kind
    if folder.is_dir():
        return sorted((f for f in folder.iterdir() if f.name.endswith(".csv")), key=lambda f: f.name)
    return [base / f"{kind}.csv"]


def read_base_kind(base: DataPath, kind: str, lengths: tuple[int, ...]) -> dict[str, Slot]:
    """The base catalog of one kind: code → slot (name, source, file:line), parents checked."""
    found: dict[str, Slot] = {}
    for path in kind_files(base, kind):
        where = str(path)
        for line, (code, name, source) in read_rows(path, ENTRY_HEADER):
            problem = code_problem(code, lengths) or name_problem(name)
            if problem is None and code in found:
                first = found[code].where
                problem = f"编码重复（首见于 {first}）", f"duplicate code {code} (first at {first})"
            if problem:
                raise _row_error(where, line, f"{kind} {code}", *problem)
            found[code] = Slot(name, source, f"{where}:{line}")
    for code, slot in found.items():
        level = lengths.index(len(code))
        parent = code[: lengths[level - 1]] if level > 0 else None
        if parent is not None and parent not in found:
            where, _, line = slot.where.rpartition(":")
            raise _row_error(where, int(line), f"{kind} {code}", f"上级科目 {parent} 不存在",
                             f"parent code {parent} of {code} is missing")
    return found


# which fields each action needs (True) and must leave empty (False); others are free
_FIELDS = {
    "added": {"code": True, "name": True, "old_code": False, "old_name": False},
    "removed": {"code": True, "name": False, "old_code": False, "old_name": True},
    "renamed": {"code": True, "name": True, "old_code": False, "old_name": True},
    "recoded": {"code": True, "name": True, "old_code": True, "old_name": True},
}


def read_change_file(path: DataPath, year: int, kinds: dict[str, tuple[int, ...]]) -> list[Change]:
    """The rows of one change file of ``year``, each checked on its own (kind, action, codes, names)."""
    where = str(path)
    out: list[Change] = []
    for line, cells in read_rows(path, CHANGE_HEADER):
        kind, action, code, name, old_code, old_name, source, note = cells
        what = f"{year} 年 {kind} {action} {code}"
        if kind not in kinds:
            raise _row_error(where, line, what, f"种类应为 {'、'.join(kinds)}",
                             f"kind {kind!r} must be one of {', '.join(kinds)}")
        if action not in ACTIONS:
            raise _row_error(where, line, what, f"变动应为 {'、'.join(ACTIONS)}",
                             f"action {action!r} must be one of {', '.join(ACTIONS)}")
        values = {"code": code, "name": name, "old_code": old_code, "old_name": old_name}
        for column, needed in _FIELDS[action].items():
            if needed and not values[column]:
                raise _row_error(where, line, what, f"{action} 须填 {column}", f"{action} needs {column}")
            if not needed and values[column]:
                raise _row_error(where, line, what, f"{action} 不应填 {column}", f"{action} leaves {column} empty")
        problem = None
        for column in ("code", "old_code"):
            if values[column] and problem is None:
                problem = code_problem(values[column], kinds[kind])
        for column in ("name", "old_name"):
            if values[column] and problem is None:
                problem = name_problem(values[column])
        if problem is None and not source:
            problem = "缺少来源（source）", "source is empty"
        if problem is None and action == "recoded" and old_code == code:
            problem = "新旧编码相同", f"old_code equals code {code}"
        if problem is None and action == "renamed" and old_name == name:
            problem = "新旧名称相同", f"old_name equals name {name!r}"
        if problem is None and action == "recoded" and len(old_code) != len(code):
            problem = "新旧编码级次不同", f"old_code {old_code} and code {code} are of different levels"
        if problem:
            raise _row_error(where, line, what, *problem)
        out.append(Change(year, kind, action, code, name, old_code, old_name, source, note, f"{where}:{line}"))
    return out


def read_year_changes(folder: DataPath, year: int, kinds: dict[str, tuple[int, ...]]) -> list[Change]:
    """Every change of ``year`` (all ``*.csv`` of ``changes/<year>/``, in file-name order); a code changed
    twice the same year (other than freed by one change and taken by another) is an error."""
    changes: list[Change] = []
    if folder.is_dir():
        for path in sorted((f for f in folder.iterdir() if f.name.endswith(".csv")), key=lambda f: f.name):
            changes.extend(read_change_file(path, year, kinds))
    seen: dict[tuple[str, str, str], Change] = {}
    for change in changes:
        sides = []
        if (taken := change.taken()) is not None:
            sides.append(("taken", taken[0]))
        if (brought := change.brought()) is not None:
            sides.append(("brought", brought[0]))
        if change.action == "renamed":
            sides += [("taken", change.code), ("brought", change.code)]
        for side, code in sides:
            first = seen.get((change.kind, side, code))
            if first is not None and first is not change:
                file, _, line = change.where.rpartition(":")
                raise _row_error(file, int(line), f"{year} 年 {change.kind} {change.action} {code}",
                                 f"编码 {code} 同一年度变动两次（另见 {first.where}）",
                                 f"code {code} changes twice in {year} (also at {first.where})")
            seen[(change.kind, side, code)] = change
    return changes


def read_change_dates(root: DataPath, changes: dict[int, list[Change]], first_year: int,
                      last_year: int) -> dict[int, list[Change]]:
    """``changes`` with the dating of ``change_dates.csv`` applied. A row ``kind,code,year`` names the change of
    ``year`` that adds, renames or recodes ``code``; ``earliest``: that year is only the first a text shows it,
    it may have been made from ``earliest`` on (first_year … year - 1); ``latest`` (a rename only): texts still
    print the old name after ``year``, it may have been made as late as ``latest`` (year + 1 … last_year). At
    least one of the two; a row naming no such change or a year out of range is an error naming its line."""
    path = root / DATES_FILE
    if not path.is_file():
        return changes
    where = str(path)
    dated = {year: list(rows) for year, rows in changes.items()}
    for line, (kind, code, year_text, earliest_text, latest_text, _note) in read_rows(path, DATES_HEADER):
        what = f"{kind} {code} {year_text}"
        years = [year_text, *(t for t in (earliest_text, latest_text) if t)]
        if not all(t.isdigit() for t in years) or not (earliest_text or latest_text):
            raise _row_error(where, line, what, "year 须为年份，earliest、latest 至少填一个年份",
                             "year and earliest or latest must be years")
        year = int(year_text)
        earliest = int(earliest_text) if earliest_text else None
        latest = int(latest_text) if latest_text else None
        if year not in dated or (earliest is not None and not first_year <= earliest < year) or (
                latest is not None and not year < latest <= last_year):
            raise _row_error(where, line, what, f"须 {first_year} ≤ earliest < year < latest ≤ {last_year}，"
                             "year 为有变动的年度", f"need {first_year} <= earliest < year < latest <= "
                             f"{last_year}, year one with changes")
        actions = ("renamed",) if latest is not None else ("added", "renamed", "recoded")
        found = [i for i, c in enumerate(dated[year]) if c.kind == kind and c.code == code and c.action in actions]
        if not found:
            labels = "、".join(ACTION_LABELS[a] for a in actions)
            raise _row_error(where, line, what, f"{year} 年没有{labels} {code} 的变动",
                             f"no change of {year} ({', '.join(actions)}) for {code}")
        dated[year][found[0]] = replace(dated[year][found[0]], earliest=earliest, latest=latest)
    return dated

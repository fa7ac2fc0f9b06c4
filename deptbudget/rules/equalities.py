"""The table of simple cross-table equalities (``equalities.yaml``): typed rows and their loader.

Each row is one rule — figure A in one table equals figure B in another — with its own id, severity,
category and description; ``cross_table.check_equality`` evaluates every row. A row that cannot be used
is an ``EqualityError`` naming the file and the row.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from string import Formatter
from typing import Any

import yaml

from deptbudget.rules.registry import Category, Finding, Severity
from deptbudget.template import Role

FILE = "equalities.yaml"
SELECTORS = ("unit", "total", "rows")  # besides key:K, income:K, exp:K
KEYED_SELECTORS = ("key", "income", "exp")
TEXT_FIELDS = frozenset({"left_table", "right_table", "left_column", "right_column", "what", "where", "label", "item",
                         "unit"})
DEFAULT_WHAT = "{right_column}"
DEFAULT_MESSAGE = "{right_table} {what} 与{left_table}“{left_column}”不一致"


class EqualityError(ValueError):
    """A row of the equalities file that cannot be used."""


@dataclass(frozen=True)
class Side:
    """One figure: a cell of the table of role ``table`` (or, with row ``rows``, the sum of a column over its
    rows)."""

    table: str  # a Role value
    row: str  # unit | total | rows | key:K | income:K | exp:K
    column: str

    @property
    def is_sum(self) -> bool:
        return self.row == "rows"

    def with_key(self, key: str) -> Side:
        return Side(self.table, self.row.replace("{key}", key), self.column.replace("{key}", key))


@dataclass(frozen=True)
class Comparison:
    """``right`` (the figure reported) must equal ``left`` (the figure expected)."""

    left: Side
    right: Side
    addends: int | str = 0  # how many rounded figures the tolerance counts; "rows": as many as are summed
    what: str = DEFAULT_WHAT
    message: str = DEFAULT_MESSAGE
    at: str = "{where}"  # the finding's row
    column: str = "{right_column}"  # the finding's column


@dataclass(frozen=True)
class Equality:
    id: str
    severity: Severity
    category: Category
    description: str
    comparisons: tuple[Comparison, ...]
    when_option: str | None = None
    templates: frozenset[str] | None = None  # the templates whose table layout the row is written for; None: all
    example: Finding | None = None


_ROW_FIELDS = {"id", "severity", "category", "description", "compare", "when_option", "templates", "example"}
_COMPARE_FIELDS = {"left", "right", "keys", "addends", "what", "message", "at", "column"}
_SIDE_FIELDS = {"table", "row", "column"}
_EXAMPLE_FIELDS = ("message", "table", "row", "column", "expected", "actual")


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} 应为非空字符串 (must be a non-empty string): {value!r}")
    return value


def _fields(data: Any, allowed: set[str], required: set[str], what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValueError(f"{what} 应为映射 (must be a mapping): {data!r}")
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValueError(f"{what} 有未知字段 (unknown fields): {', '.join(map(str, unknown))}")
    missing = sorted(required - set(data))
    if missing:
        raise ValueError(f"{what} 缺少字段 (missing fields): {', '.join(missing)}")
    return data


def _side(data: Any, what: str) -> Side:
    data = _fields(data, _SIDE_FIELDS, _SIDE_FIELDS, what)
    side = Side(_text(data["table"], f"{what}.table"), _text(data["row"], f"{what}.row"),
                _text(data["column"], f"{what}.column"))
    if side.table not in {role.value for role in Role}:
        raise ValueError(f"{what}.table 应为表的角色 (a table role): {side.table!r}；可用 "
                         f"{', '.join(role.value for role in Role)}")
    kind, _, key = side.row.partition(":")
    if not (side.row in SELECTORS or (kind in KEYED_SELECTORS and key)):
        raise ValueError(f"{what}.row 不是可用的行选择 (unknown row selector): {side.row!r}；可用 unit、total、rows、"
                         "key:K、income:K、exp:K")
    return side


def _template(value: Any, what: str) -> str:
    text = _text(value, what)
    try:
        names = {name for _, name, _, _ in Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise ValueError(f"{what} 不是可用的文字模板 (bad text template): {text!r} ({exc})") from None
    unknown = sorted(names - TEXT_FIELDS)
    if unknown:
        raise ValueError(f"{what} 中有未知字段 (unknown fields) {', '.join(unknown)}；可用 "
                         f"{', '.join(sorted(TEXT_FIELDS))}")
    return text


def _comparisons(data: Any, index: int) -> list[Comparison]:
    what = f"compare[{index}]"
    data = _fields(data, _COMPARE_FIELDS, {"left", "right"}, what)
    left, right = _side(data["left"], f"{what}.left"), _side(data["right"], f"{what}.right")
    addends = data.get("addends", 0)
    if not (addends == "rows" or (isinstance(addends, int) and not isinstance(addends, bool) and addends >= 0)):
        raise ValueError(f"{what}.addends 应为非负整数或 rows (a count or rows): {addends!r}")
    if addends == "rows" and not (left.is_sum or right.is_sum):
        raise ValueError(f"{what}.addends 为 rows，但两边都不是 rows 求和 (neither side sums rows)")
    if right.is_sum and "at" not in data:
        raise ValueError(f"{what}.right 为 rows 求和时须写 at (the finding's row)")
    texts = {name: _template(data[name], f"{what}.{name}") for name in ("what", "message", "at", "column")
             if name in data}
    comparison = Comparison(left, right, addends, **texts)
    keys = data.get("keys")
    if keys is None:
        return [comparison]
    if not isinstance(keys, list) or not keys or not all(isinstance(k, str) and k for k in keys):
        raise ValueError(f"{what}.keys 应为非空字符串列表 (a list of keys): {keys!r}")
    return [replace(comparison, left=left.with_key(key), right=right.with_key(key)) for key in keys]


def _example(data: Any) -> Finding:
    data = _fields(data, set(_EXAMPLE_FIELDS), {"message"}, "example")
    values = [data.get(name) for name in _EXAMPLE_FIELDS]
    if not all(v is None or isinstance(v, str) for v in values):
        raise ValueError("example 的各字段应为字符串 (strings)")
    return Finding(*values)


def equality_from_data(data: Any) -> Equality:
    """One row of the file, checked; a ``ValueError`` says what is wrong with it."""
    data = _fields(data, _ROW_FIELDS, {"id", "severity", "category", "description", "compare"}, "规则")
    try:
        severity, category = Severity(data["severity"]), Category(data["category"])
    except ValueError as exc:
        raise ValueError(f"severity 或 category 不可用 (unknown severity or category): {exc}") from None
    description = _text(data["description"], "description")
    if "\n" in description:
        raise ValueError("description 应为一行 (one line)")
    compare = data["compare"]
    if not isinstance(compare, list) or not compare:
        raise ValueError("compare 应为非空列表 (a non-empty list)")
    comparisons = tuple(c for index, item in enumerate(compare) for c in _comparisons(item, index))
    when = data.get("when_option")
    templates = data.get("templates")
    if templates is not None and (not isinstance(templates, list) or not templates
                                  or not all(isinstance(t, str) and t for t in templates)):
        raise ValueError(f"templates 应为非空的模板名列表 (a list of template names): {templates!r}")
    example = _example(data["example"]) if data.get("example") is not None else None
    return Equality(_text(data["id"], "id"), severity, category, description, comparisons,
                    None if when is None else _text(when, "when_option"),
                    None if templates is None else frozenset(templates), example)


def equalities_from_data(rows: Any, source: str = FILE) -> tuple[Equality, ...]:
    """Every row of an equalities file's data; the first unusable row raises ``EqualityError``."""
    if not isinstance(rows, list):
        raise EqualityError(f"{source}: 应为规则列表 (must be a list of rules)")
    out: list[Equality] = []
    seen: set[str] = set()
    for number, data in enumerate(rows, 1):
        name = data.get("id") if isinstance(data, dict) else None
        where = f"{source} 第 {number} 条规则" + (f" {name}" if name else "")
        try:
            equality = equality_from_data(data)
        except ValueError as exc:
            raise EqualityError(f"{where}: {exc}") from None
        if equality.id in seen:
            raise EqualityError(f"{where}: 规则编号重复 (duplicate rule id)")
        seen.add(equality.id)
        out.append(equality)
    return tuple(out)


@cache
def load_equalities() -> tuple[Equality, ...]:
    """The rows of ``deptbudget/rules/equalities.yaml``, in file order."""
    text = resources.files("deptbudget.rules").joinpath(FILE).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise EqualityError(f"{FILE}: 不是有效的 YAML: {exc}") from None
    return equalities_from_data(data, FILE)

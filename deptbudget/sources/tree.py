"""The located source tree: what every reader produces and ``build_budget`` reads.

A tree is plain data — mappings, lists and scalars — whose mappings and lists remember where
they came from: the file line of themselves and of each key or item (YAML), or, for sources
without lines (an XLSX entry workbook, a JSON document), the display place of each field path
(``基本支出!B5``). Problems are found on field paths (``basic[3].func``); ``SourceTree.place``
turns them into what the author sees.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from deptbudget.model.budget import under_path
from deptbudget.sources.errors import Problem, SourceError


class LocatedDict(dict):
    """A mapping that remembers the source line of itself and of each key."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line: int | None = 0
        self.key_lines: dict[str, int] = {}


class LocatedList(list):
    """A list that remembers the source line of itself and of each item."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.line: int | None = 0
        self.item_lines: list[int] = []


def line_of(container: Any, key: str | int | None = None) -> int | None:
    """The file line of a key or item of a located container (else of the container itself)."""
    if isinstance(container, LocatedDict):
        if isinstance(key, str) and key in container.key_lines:
            return container.key_lines[key]
        return container.line
    if isinstance(container, LocatedList):
        if isinstance(key, int) and key < len(container.item_lines):
            return container.item_lines[key]
        return container.line
    return None


def place_of(places: Mapping[str, str], path: str) -> str:
    """The display place of a field path (its longest known prefix); the path itself if none."""
    place = under_path(places, path)
    return path if place is None else place


def placed(problems: list[Problem], places: Mapping[str, str], file: str) -> list[Problem]:
    """Problems found on field paths → problems at display places (``sheet!cell（path）``)."""
    out = []
    for problem in problems:
        place = place_of(places, problem.place)
        where = place if place == problem.place else f"{place}（{problem.place}）"
        out.append(Problem(file, where, problem.message))
    return out


@dataclass(frozen=True)
class SourceTree:
    """A source read into located plain data. ``places`` maps field paths to display places
    (sheet and cell) for sources without lines; problems found on a path are reported there."""

    root: Any
    file: str
    places: Mapping[str, str] | None = None

    def locate(self, problems: list[Problem]) -> list[Problem]:
        """Problems found on field paths → problems at the places the author sees."""
        return problems if self.places is None else placed(problems, self.places, self.file)


def exact_decimal(value: Decimal) -> Decimal:
    """A decimal as a budget source writes it (plain digits, never an exponent)."""
    return Decimal(f"{value:f}")


def locate(value: Any) -> Any:
    """Plain data (a JSON document, a workbook's records) → a tree without lines."""
    if isinstance(value, Mapping):
        out = LocatedDict({str(k): locate(v) for k, v in value.items()})
        out.line = None
        return out
    if isinstance(value, list | tuple):
        items = LocatedList(locate(v) for v in value)
        items.line = None
        return items
    if isinstance(value, Decimal) and value.is_finite():
        return exact_decimal(value)
    if isinstance(value, float):  # JSON's NaN and Infinity: the text YAML writes, refused by name
        if value != value:
            return ".nan"
        if value in (float("inf"), float("-inf")):
            return ".inf" if value > 0 else "-.inf"
        return Decimal(repr(value))
    return value


# --- YAML with line numbers and exact decimals -------------------------------------------------

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when available


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


def construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal | str:
    """YAML floats become Decimals; ``.inf``, ``.nan`` and ``1:30.5`` (sexagesimal) stay the text
    as written, which the field checks then refuse by name."""
    text = loader.construct_scalar(node)
    try:
        return Decimal(text.replace("_", ""))
    except InvalidOperation:
        return text


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LocatedDict:
    result = LocatedDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    own: dict[str, int] = {}  # a key written twice would silently drop the first one's figures
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
            if key_node.value in own:
                raise yaml.constructor.ConstructorError(
                    None, None, f"键 {key_node.value} 重复，上一处在第 {own[key_node.value]} 行 (duplicate key)",
                    key_node.start_mark)
            own[key_node.value] = key_node.start_mark.line + 1
    loader.flatten_mapping(node)  # merged keys (<<: *base) come first, so the mapping's own override them
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[str(key)] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> LocatedList:
    result = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor("tag:yaml.org,2002:float", construct_decimal)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def read_yaml(text: str, filename: str) -> Any:
    """Parse YAML text; a syntax error becomes a ``SourceError`` naming line and column."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 — SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        column = f"第 {mark.column + 1} 列" if mark else "?"
        problem = exc.problem or str(exc)
        raise SourceError(
            [Problem(filename, column, f"YAML 语法错误 (syntax error): {problem}", line)]
        ) from None
    except yaml.YAMLError as exc:
        raise SourceError([Problem(filename, "文件", f"YAML 语法错误 (syntax error): {exc}")]) from None


def yaml_tree(text: str, filename: str) -> SourceTree:
    """A YAML budget source as a located tree."""
    return SourceTree(read_yaml(text, filename), filename)

"""Budget source documents as stored by the web system: YAML (or JSON) text ⇄ plain data.

A draft may hold errors (an unknown code, an amount that does not parse): the preparer must be
able to see and fix them, so edits work on the *document* — the mapping the YAML describes —
never only on a parsed ``Budget``. Amounts stay ``Decimal`` (YAML floats are read as Decimal and
written back as plain decimals), so no float ever touches money.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

import yaml

from deptbudget.model.budget import Budget
from deptbudget.sources.errors import Problem, SourceError
from deptbudget.sources.loader import load_tree
from deptbudget.sources.tree import SourceTree, construct_decimal, locate, read_yaml
from deptbudget.sources.yaml_source import parse_budget

FORMATS = ("yaml", "json")


_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present: ≈5× faster
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Dumper(_BaseDumper):  # type: ignore[misc, valid-type]
    """Never anchors and aliases (``&id001`` / ``*id001``) for a list or mapping met twice: each
    place is written out, so a document's text is the same whether dumped whole or in parts
    (``dump_parts``)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Plain data, YAML floats read as Decimal (no line numbers: the source loader has those)."""


_Loader.add_constructor("tag:yaml.org,2002:float", construct_decimal)  # .inf/.nan stay text, refused later


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:float", f"{value:f}")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(str, _represent_str)


def plain(value: Any) -> Any:
    """Located YAML containers → plain dicts and lists (recursively)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def load_document(text: str, fmt: str = "yaml", filename: str = "source") -> dict[str, Any]:
    """Parse the document; a syntax error raises ``SourceError`` (line and column named)."""
    if fmt == "json":
        try:
            data = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise SourceError([Problem(filename, f"第 {exc.colno} 列", f"JSON 语法错误 (syntax error): {exc.msg}",
                                       exc.lineno)]) from None
    else:
        try:
            data = yaml.load(text, Loader=_Loader)  # noqa: S506 — a SafeLoader
        except yaml.YAMLError:
            data = plain(read_yaml(text, filename))  # raises SourceError naming line and column
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SourceError([Problem(filename, "文件", "预算源文件应为键值映射 (expected a mapping)")])
    return data


class _JsonDecimal(float):
    """Writes a Decimal as a JSON number with its exact digits (never through a float value)."""

    def __new__(cls, value: Decimal) -> _JsonDecimal:
        obj = super().__new__(cls, 0.0)
        obj._text = f"{value:f}"  # type: ignore[attr-defined]
        return obj

    def __repr__(self) -> str:
        return self._text  # type: ignore[attr-defined]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return _JsonDecimal(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def dump_document(data: dict[str, Any], fmt: str = "yaml") -> str:
    if fmt == "json":
        return _encode_json(_jsonable(data)) + "\n"
    return _yaml(data)


# --- dumping in parts ------------------------------------------------------------------------------
# A save changes one section of a document of ≈ 3,000 values; writing the whole YAML again was the
# biggest part of its cost. A block-style YAML document is the concatenation of its top-level
# entries, and a top-level list's entry is ``key:`` and its items (PyYAML writes a list in a mapping
# without indenting it), so the text of an unchanged entry or item can be kept from the last dump.

_Part = tuple[Any, str]  # a value and its YAML text


@dataclass(frozen=True)
class DocumentParts:
    """A YAML document's text by parts: per top-level key the value and its text (``key: …``), or
    for a non-empty list, the header (``key:``) and each item with its text (``- …``)."""

    entries: tuple[tuple[str, _Part | tuple[str, tuple[_Part, ...]]], ...]

    @property
    def text(self) -> str:
        if not self.entries:
            return _yaml({})
        out: list[str] = []
        for _key, entry in self.entries:
            if isinstance(entry[1], tuple):
                out.append(entry[0])
                out.extend(text for _value, text in entry[1])
            else:
                out.append(entry[1])
        return "".join(out)


def same_value(a: Any, b: Any) -> bool:
    """The same data and the same YAML: equal types, keys in the same order, equal values and a
    Decimal's digits (``1.0`` and ``1.00`` are written differently). Shared parts compare at once."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return len(a) == len(b) and list(a) == list(b) and all(same_value(v, b[k]) for k, v in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Decimal):
        return a.as_tuple() == b.as_tuple()
    return bool(a == b)


def share_unchanged(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """``new`` with each top-level value, and each item of a top-level list, that is ``same_value`` as
    the one at the same place of ``old`` replaced by ``old``'s object. The data and its YAML stay the
    same; what a save did not change is then shared with the document before it, so writing the text
    by parts and the diff of the audit log skip it at once (``is``) instead of comparing it again."""
    return {key: share_value(old.get(key, _ABSENT), value) for key, value in new.items()}


def share_value(before: Any, value: Any) -> Any:
    """``before`` when it is ``same_value`` as ``value``; for two lists, ``value``'s items each
    replaced by ``before``'s at the same place when the same (``value`` itself when none is), else
    ``value``."""
    if before is not _ABSENT and same_value(before, value):
        return before
    if isinstance(value, list) and isinstance(before, list):
        items = [before[i] if i < len(before) and same_value(before[i], item) else item
                 for i, item in enumerate(value)]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    return value


_ABSENT = object()


def _yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100000)


@lru_cache(maxsize=256)
def _list_header(key: str) -> str | None:
    """``key:`` as the dumper writes it before a list's items, or None when that is not plain."""
    empty = _yaml({key: []})
    return empty[:-len(": []\n")] + ":\n" if empty.endswith(": []\n") and "\n" not in empty[:-1] else None


def dump_parts(data: dict[str, Any], previous: DocumentParts | None = None) -> DocumentParts:
    """``dump_document(data)`` by parts, keeping the text of every part of ``previous`` whose value
    is ``same_value`` as the new one at the same place: ``.text`` is exactly ``dump_document(data)``."""
    before = dict(previous.entries) if previous is not None else {}
    entries: list[tuple[str, _Part | tuple[str, tuple[_Part, ...]]]] = []
    for key, value in data.items():
        old = before.get(key)
        header = _list_header(key) if isinstance(value, list) and value and isinstance(key, str) else None
        if header is not None:
            old_items = old[1] if old is not None and isinstance(old[1], tuple) else ()
            items = tuple(old_items[i] if i < len(old_items) and same_value(old_items[i][0], item)
                          else (item, _yaml([item])) for i, item in enumerate(value))
            entries.append((key, (header, items)))
        elif old is not None and not isinstance(old[1], tuple) and same_value(old[0], value):
            entries.append((key, old))  # type: ignore[arg-type]
        else:
            entries.append((key, (value, _yaml({key: value}))))
    return DocumentParts(tuple(entries))


def _encode_json(value: Any, indent: int = 0) -> str:
    pad = "  " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{pad}{json.dumps(str(k), ensure_ascii=False)}: {_encode_json(v, indent + 1)}"
                 for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * indent + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(pad + _encode_json(v, indent + 1) for v in value) + "\n" + "  " * indent + "]"
    if isinstance(value, _JsonDecimal):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


def parse_document(text: str, fmt: str = "yaml", filename: str = "source") -> Budget:
    """The document as a ``Budget`` (catalog and consistency checks included) or ``SourceError``.
    A JSON document is read into the located source tree directly: its problems name field paths."""
    if fmt == "json":
        return load_tree(SourceTree(locate(load_document(text, "json", filename)), filename))
    return parse_budget(text, filename)


@dataclass(frozen=True)
class Change:
    path: str  # e.g. basic[2].amount
    old: str
    new: str


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=lambda v: f"{v:f}" if isinstance(v, Decimal) else str(v))
    return str(value)


def _amount(value: Any) -> Decimal | None:
    """A number, or text that reads as one (``"95,000.00"``), as a Decimal; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, str) and value.strip():
        try:
            amount = Decimal(value.strip().replace(",", "").replace("，", ""))
        except ArithmeticError:
            return None
        return amount if amount.is_finite() else None
    return None


def diff_documents(old: Any, new: Any, path: str = "") -> list[Change]:
    """Leaf-level differences between two documents, for the audit log."""
    if old is new:  # a part the new document shares with the old one (a save replaces one section)
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[Change] = []
        for key in list(old) + [k for k in new if k not in old]:
            sub = f"{path}.{key}" if path else str(key)
            out.extend(diff_documents(old.get(key), new.get(key), sub))
        return out
    if isinstance(old, list) and isinstance(new, list):
        out = []
        for index in range(max(len(old), len(new))):
            a = old[index] if index < len(old) else None
            b = new[index] if index < len(new) else None
            out.extend(diff_documents(a, b, f"{path}[{index}]"))
        return out
    if old is None and isinstance(new, (dict, list)) and not new:
        return []
    if new is None and isinstance(old, (dict, list)) and not old:
        return []
    a, b = _amount(old), _amount(new)
    if a is not None and b is not None and a == b and (not isinstance(old, str) or not isinstance(new, str)):
        return []  # 15000, 15000.00 and "15,000.00" are the same amount
    if _show(old) == _show(new):
        return []
    return [Change(path or "(文件)", _show(old), _show(new))]

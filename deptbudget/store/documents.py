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
    pass


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
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100000)


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

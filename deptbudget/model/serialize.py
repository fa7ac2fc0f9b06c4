"""Disclosure ⇄ JSON-ready dict, exact both ways (see ``docs/disclosure.schema.json``).

Amounts (``Decimal``) are written as plain decimal strings ("17144.13"), never as JSON
numbers, so no float ever touches money. ``disclosure_from_dict`` checks everything it reads
and raises ``DisclosureFormatError`` (a ``ValueError``) naming the bad path, e.g.
``tables[2].rows[5].cells["total"].value``.

Cells are the bulk of a document, so a cell omits its fields that hold defaults
(``value``/``exact``/``parse_error`` null, ``rounding`` 0, ``sources`` empty); every other
object is written in full.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from enum import StrEnum
from typing import Any, NoReturn, TypeVar

from deptbudget.model.disclosure import (
    Acknowledgement,
    Cell,
    CellKind,
    Column,
    Correction,
    Disclosure,
    Figure,
    HeaderCell,
    Part,
    Row,
    RowKind,
    Section,
    Table,
)

FORMAT = "deptbudget.disclosure"
VERSION = 1
LAYOUTS = ("grid", "form")

_DECIMAL_RE = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_MISSING: Any = object()
_E = TypeVar("_E", bound=StrEnum)


class DisclosureFormatError(ValueError):
    """Malformed disclosure data; ``path`` names where (``tables[2].rows[5].kind``)."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path or "$"
        super().__init__(f"披露数据格式错误 (malformed disclosure) at {self.path}: {message}")


# --- to dict ------------------------------------------------------------------------------------


def decimal_to_str(value: Decimal) -> str:
    """Plain decimal notation, exact: Decimal('1.7E+4') → '17000'."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValueError(f"金额不是有限数 (amount is not finite): {value}")
    return format(value, "f")


def _opt_decimal(value: Decimal | None) -> str | None:
    return None if value is None else decimal_to_str(value)


def cell_to_dict(cell: Cell) -> dict[str, Any]:
    out: dict[str, Any] = {"text": cell.text, "kind": str(cell.kind)}
    if cell.value is not None:
        out["value"] = decimal_to_str(cell.value)
    if cell.exact is not None:
        out["exact"] = decimal_to_str(cell.exact)
    if str(cell.rounding) != "0":
        out["rounding"] = decimal_to_str(cell.rounding)
    if cell.sources:
        out["sources"] = list(cell.sources)
    if cell.parse_error is not None:
        out["parse_error"] = cell.parse_error
    return out


def _row_to_dict(row: Row) -> dict[str, Any]:
    return {
        "key": row.key,
        "kind": str(row.kind),
        "level": row.level,
        "parent": row.parent,
        "cells": {key: cell_to_dict(cell) for key, cell in row.cells.items()},
    }


def _header_cell_to_dict(cell: HeaderCell) -> dict[str, Any]:
    return {"text": cell.text, "row": cell.row, "col": cell.col, "rowspan": cell.rowspan, "colspan": cell.colspan}


def _table_to_dict(table: Table) -> dict[str, Any]:
    return {
        "id": table.id,
        "number": table.number,
        "title": table.title,
        "instance": table.instance,
        "subtitle": table.subtitle,
        "unit": table.unit,
        "unit_name": table.unit_name,
        "layout": table.layout,
        "landscape": table.landscape,
        "empty": table.empty,
        "empty_note": table.empty_note,
        "columns": [{"key": c.key, "label": c.label, "kind": str(c.kind)} for c in table.columns],
        "header": [[_header_cell_to_dict(c) for c in header_row] for header_row in table.header],
        "rows": [_row_to_dict(row) for row in table.rows],
        **({"notes": list(table.notes)} if table.notes else {}),
    }


def _part_to_dict(part: Part) -> dict[str, Any]:
    return {
        "number": part.number,
        "title": part.title,
        "sections": [{"heading": s.heading, "paragraphs": list(s.paragraphs)} for s in part.sections],
    }


def _figure_to_dict(figure: Figure) -> dict[str, Any]:
    return {
        "key": figure.key,
        "value": decimal_to_str(figure.value),
        "text": figure.text,
        "unit": figure.unit,
        "sources": list(figure.sources),
    }


def disclosure_to_dict(d: Disclosure) -> dict[str, Any]:
    """The disclosure as plain JSON-ready data (str, int, bool, None, list, dict only)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "template": d.template,
        "fiscal_year": d.fiscal_year,
        "kind": d.kind,
        "unit_name": d.unit_name,
        "title": d.title,
        "meta": dict(d.meta),
        "contents": list(d.contents),
        "parts": [_part_to_dict(p) for p in d.parts],
        "tables": [_table_to_dict(t) for t in d.tables],
        "figures": {key: _figure_to_dict(f) for key, f in d.figures.items()},
        **({"acknowledged": [_ack_to_dict(a) for a in d.acknowledged]} if d.acknowledged else {}),
        **({"corrections": [_correction_to_dict(c) for c in d.corrections]} if d.corrections else {}),
    }


def _correction_to_dict(c: Correction) -> dict[str, Any]:
    return {"where": c.where, "printed": c.printed, "corrected": c.corrected, "reason": c.reason}


def _ack_to_dict(ack: Acknowledgement) -> dict[str, Any]:
    out: dict[str, Any] = {"rule": ack.rule, "reason": ack.reason}
    if ack.table is not None:
        out["table"] = ack.table
    if ack.row is not None:
        out["row"] = ack.row
    return out


# --- from dict: checked readers -----------------------------------------------------------------


def _fail(path: str, message: str) -> NoReturn:
    raise DisclosureFormatError(path, message)


def _describe(value: object) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text[:60]}{'…' if len(text) > 60 else ''}"


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _shape(required: tuple[str, ...], optional: tuple[str, ...] = ()) -> tuple[tuple[str, ...], frozenset[str]]:
    """The keys an object must have, and all it may have."""
    return required, frozenset(required + optional)


def _obj(value: object, path: str, shape: tuple[tuple[str, ...], frozenset[str]]) -> dict:
    required, allowed = shape
    if not isinstance(value, dict):
        _fail(path, f"应为对象 (expected an object), 实际为 (got) {_describe(value)}")
    for key in required:
        if key not in value:
            _fail(_join(path, key), "缺少必填字段 (required field missing)")
    if not value.keys() <= allowed:
        unknown = next(key for key in value if key not in allowed)
        _fail(_join(path, str(unknown)), "未知字段 (unknown field)")
    return value


def _str(obj: dict, key: str, path: str, default: Any = _MISSING) -> str:
    value = obj.get(key, default)
    if not isinstance(value, str):
        _fail(_join(path, key), f"应为字符串 (expected a string), 实际为 (got) {_describe(value)}")
    return value


def _opt_str(obj: dict, key: str, path: str) -> str | None:
    value = obj.get(key)
    return None if value is None else _str(obj, key, path)


def _int(obj: dict, key: str, path: str, minimum: int, default: Any = _MISSING) -> int:
    value = obj.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool):
        _fail(_join(path, key), f"应为整数 (expected an integer), 实际为 (got) {_describe(value)}")
    if value < minimum:
        _fail(_join(path, key), f"应不小于 {minimum} (must be ≥ {minimum}), 实际为 (got) {value}")
    return value


def _bool(obj: dict, key: str, path: str) -> bool:
    value = obj.get(key)
    if not isinstance(value, bool):
        _fail(_join(path, key), f"应为布尔值 (expected true/false), 实际为 (got) {_describe(value)}")
    return value


def _decimal(obj: dict, key: str, path: str, default: Any = _MISSING) -> Decimal:
    value = obj.get(key, default)
    if isinstance(value, Decimal):  # the default
        return value
    if not isinstance(value, str) or not _DECIMAL_RE.fullmatch(value):
        _fail(
            _join(path, key),
            f"金额应为十进制字符串，如 \"17144.13\" (amount must be a decimal string such as "
            f"\"17144.13\", never a JSON number), 实际为 (got) {_describe(value)}",
        )
    return Decimal(value)


def _opt_decimal_in(obj: dict, key: str, path: str) -> Decimal | None:
    return None if obj.get(key) is None else _decimal(obj, key, path)


def _list(obj: dict, key: str, path: str, default: Any = _MISSING) -> list:
    value = obj.get(key, default)
    if not isinstance(value, list):
        _fail(_join(path, key), f"应为数组 (expected an array), 实际为 (got) {_describe(value)}")
    return value


def _str_list(obj: dict, key: str, path: str, default: Any = _MISSING) -> list[str]:
    items = _list(obj, key, path, default)
    for i, item in enumerate(items):
        if not isinstance(item, str):
            _fail(f"{_join(path, key)}[{i}]", f"应为字符串 (expected a string), 实际为 (got) {_describe(item)}")
    return list(items)


def _dict(obj: dict, key: str, path: str) -> dict:
    value = obj.get(key)
    if not isinstance(value, dict):
        _fail(_join(path, key), f"应为对象 (expected an object), 实际为 (got) {_describe(value)}")
    return value


def _enum(obj: dict, key: str, path: str, enum: type[_E], default: Any = _MISSING) -> _E:
    value = obj.get(key, default)
    try:
        return enum(value)
    except (ValueError, TypeError):
        allowed = " / ".join(member.value for member in enum)
        _fail(_join(path, key), f"取值应为 (must be one of) {allowed}, 实际为 (got) {_describe(value)}")


def _item_path(path: str, key: str) -> str:
    return f"{path}[{key!r}]"


# --- from dict: objects -------------------------------------------------------------------------

_CELL = _shape(("text",), ("kind", "value", "exact", "rounding", "sources", "parse_error"))
_ROW = _shape(("key", "cells"), ("kind", "level", "parent"))
_COLUMN = _shape(("key", "label"), ("kind",))
_HEADER_CELL = _shape(("text", "row", "col"), ("rowspan", "colspan"))
_TABLE = _shape(
    ("id", "number", "title", "columns"),
    ("instance", "subtitle", "unit", "unit_name", "layout", "landscape", "empty", "empty_note", "header", "rows",
     "notes"),
)
_SECTION = _shape(("heading",), ("paragraphs",))
_PART = _shape(("number", "title"), ("sections",))
_FIGURE = _shape(("value", "text", "unit"), ("key", "sources"))
_DISCLOSURE = _shape(
    ("format", "version", "template", "fiscal_year", "unit_name", "title"),
    ("kind", "meta", "contents", "parts", "tables", "figures", "acknowledged", "corrections"),
)
_ACK = _shape(("rule", "reason"), ("table", "row"))


_CORRECTION = _shape(("where", "printed", "corrected", "reason"), ())


def _correction_from_dict(data: object, path: str) -> Correction:
    obj = _obj(data, path, _CORRECTION)
    return Correction(where=_str(obj, "where", path), printed=_str(obj, "printed", path),
                      corrected=_str(obj, "corrected", path), reason=_str(obj, "reason", path))


def _ack_from_dict(data: object, path: str) -> Acknowledgement:
    obj = _obj(data, path, _ACK)
    return Acknowledgement(rule=_str(obj, "rule", path), reason=_str(obj, "reason", path),
                           table=_opt_str(obj, "table", path), row=_opt_str(obj, "row", path))


def cell_from_dict(data: object, path: str) -> Cell:
    obj = _obj(data, path, _CELL)
    return Cell(
        text=_str(obj, "text", path),
        value=_opt_decimal_in(obj, "value", path),
        kind=_enum(obj, "kind", path, CellKind, CellKind.TEXT.value),
        exact=_opt_decimal_in(obj, "exact", path),
        rounding=_decimal(obj, "rounding", path, Decimal(0)),
        sources=tuple(_str_list(obj, "sources", path, [])),
        parse_error=_opt_str(obj, "parse_error", path),
    )


def _row_from_dict(data: object, path: str) -> Row:
    obj = _obj(data, path, _ROW)
    cells_path = _join(path, "cells")
    cells = {
        str(key): cell_from_dict(value, _item_path(cells_path, str(key)))
        for key, value in _dict(obj, "cells", path).items()
    }
    return Row(
        key=_str(obj, "key", path),
        cells=cells,
        kind=_enum(obj, "kind", path, RowKind, RowKind.DATA.value),
        level=_int(obj, "level", path, 0, 0),
        parent=_opt_str(obj, "parent", path),
    )


def _column_from_dict(data: object, path: str) -> Column:
    obj = _obj(data, path, _COLUMN)
    return Column(
        key=_str(obj, "key", path),
        label=_str(obj, "label", path),
        kind=_enum(obj, "kind", path, CellKind, CellKind.AMOUNT.value),
    )


def _header_cell_from_dict(data: object, path: str) -> HeaderCell:
    obj = _obj(data, path, _HEADER_CELL)
    return HeaderCell(
        text=_str(obj, "text", path),
        row=_int(obj, "row", path, 0),
        col=_int(obj, "col", path, 0),
        rowspan=_int(obj, "rowspan", path, 1, 1),
        colspan=_int(obj, "colspan", path, 1, 1),
    )


def _header_from_dict(obj: dict, path: str) -> list[list[HeaderCell]]:
    header: list[list[HeaderCell]] = []
    for r, header_row in enumerate(_list(obj, "header", path, [])):
        row_path = f"{_join(path, 'header')}[{r}]"
        if not isinstance(header_row, list):
            _fail(row_path, f"应为数组 (expected an array), 实际为 (got) {_describe(header_row)}")
        header.append([_header_cell_from_dict(c, f"{row_path}[{i}]") for i, c in enumerate(header_row)])
    return header


def _table_from_dict(data: object, path: str) -> Table:
    obj = _obj(data, path, _TABLE)
    layout = _str(obj, "layout", path, "grid")
    if layout not in LAYOUTS:
        _fail(_join(path, "layout"), f"取值应为 (must be one of) grid / form, 实际为 (got) {layout!r}")
    columns_path = _join(path, "columns")
    rows_path = _join(path, "rows")
    return Table(
        id=_str(obj, "id", path),
        number=_str(obj, "number", path),
        title=_str(obj, "title", path),
        columns=[_column_from_dict(c, f"{columns_path}[{i}]") for i, c in enumerate(_list(obj, "columns", path))],
        header=_header_from_dict(obj, path),
        rows=[_row_from_dict(r, f"{rows_path}[{i}]") for i, r in enumerate(_list(obj, "rows", path, []))],
        unit=_str(obj, "unit", path, "万元"),
        unit_name=_str(obj, "unit_name", path, ""),
        subtitle=_str(obj, "subtitle", path, ""),
        instance=_opt_str(obj, "instance", path),
        empty=_bool(obj, "empty", path) if "empty" in obj else False,
        empty_note=_str(obj, "empty_note", path, ""),
        layout=layout,
        landscape=_bool(obj, "landscape", path) if "landscape" in obj else False,
        notes=_str_list(obj, "notes", path, []),
    )


def _section_from_dict(data: object, path: str) -> Section:
    obj = _obj(data, path, _SECTION)
    return Section(heading=_str(obj, "heading", path), paragraphs=_str_list(obj, "paragraphs", path, []))


def _part_from_dict(data: object, path: str) -> Part:
    obj = _obj(data, path, _PART)
    sections_path = _join(path, "sections")
    return Part(
        number=_int(obj, "number", path, 0),
        title=_str(obj, "title", path),
        sections=[
            _section_from_dict(s, f"{sections_path}[{i}]") for i, s in enumerate(_list(obj, "sections", path, []))
        ],
    )


def _figure_from_dict(key: str, data: object, path: str) -> Figure:
    obj = _obj(data, path, _FIGURE)
    if "key" in obj and _str(obj, "key", path) != key:
        _fail(_join(path, "key"), f"与所在键不一致 (differs from its map key {key!r}): {obj['key']!r}")
    return Figure(
        key=key,
        value=_decimal(obj, "value", path),
        text=_str(obj, "text", path),
        unit=_str(obj, "unit", path),
        sources=tuple(_str_list(obj, "sources", path, [])),
    )


def _meta_from_dict(obj: dict, path: str) -> dict[str, str]:
    meta = _dict(obj, "meta", path) if "meta" in obj else {}
    for key in meta:
        _str(meta, key, _join(path, "meta"))
    return dict(meta)


def _check_format(obj: dict) -> None:
    if obj.get("format") != FORMAT:
        _fail("format", f"应为 (must be) {FORMAT!r}, 实际为 (got) {_describe(obj.get('format'))}")
    if obj.get("version") != VERSION or isinstance(obj.get("version"), bool):
        _fail("version", f"不支持的版本 (unsupported version) {_describe(obj.get('version'))}; 支持 (supported): 1")


def disclosure_from_dict(data: object) -> Disclosure:
    """Rebuild a Disclosure from ``disclosure_to_dict`` output, checking every field.

    Raises ``DisclosureFormatError`` (a ``ValueError``) naming the first bad path.
    """
    obj = _obj(data, "", _DISCLOSURE)
    _check_format(obj)
    figures = _dict(obj, "figures", "") if "figures" in obj else {}
    return Disclosure(
        template=_str(obj, "template", ""),
        fiscal_year=_int(obj, "fiscal_year", "", 0),
        unit_name=_str(obj, "unit_name", ""),
        title=_str(obj, "title", ""),
        kind=_str(obj, "kind", "", "部门预算"),
        parts=[_part_from_dict(p, f"parts[{i}]") for i, p in enumerate(_list(obj, "parts", "", []))],
        tables=[_table_from_dict(t, f"tables[{i}]") for i, t in enumerate(_list(obj, "tables", "", []))],
        figures={str(k): _figure_from_dict(str(k), v, _item_path("figures", str(k))) for k, v in figures.items()},
        contents=_str_list(obj, "contents", "", []),
        meta=_meta_from_dict(obj, ""),
        acknowledged=[_ack_from_dict(a, f"acknowledged[{i}]")
                      for i, a in enumerate(_list(obj, "acknowledged", "", []))],
        corrections=[_correction_from_dict(c, f"corrections[{i}]")
                     for i, c in enumerate(_list(obj, "corrections", "", []))],
    )


# --- text ---------------------------------------------------------------------------------------


def _refuse_constant(name: str) -> NoReturn:
    raise DisclosureFormatError("", f"JSON 中不允许 {name} (not allowed in JSON)")


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # C-accelerated (no indent)


def _lines(items: list[str], indent: str, open_: str = "[", close: str = "]") -> str:
    if not items:
        return open_ + close
    inner = ",\n".join(indent + " " + item for item in items)
    return f"{open_}\n{inner}\n{indent}{close}"


def _table_text(table: dict[str, Any]) -> str:
    rows = table["rows"]
    if not rows:
        return _ENCODE(table)
    head = _ENCODE({k: v for k, v in table.items() if k != "rows"})[:-1]
    return f'{head}, "rows": {_lines([_ENCODE(r) for r in rows], "  ")}}}'


def _pretty(data: dict[str, Any]) -> str:
    """One line per top-level field, part, figure and table row: readable, diffable, and
    encoded by the C encoder (``indent=`` would fall back to the slow pure-Python one)."""
    out: list[str] = []
    for key, value in data.items():
        if key == "tables":
            text = _lines([_table_text(t) for t in value], " ")
        elif key == "parts":
            text = _lines([_ENCODE(p) for p in value], " ")
        elif key == "figures":
            text = _lines([f"{_ENCODE(k)}: {_ENCODE(v)}" for k, v in value.items()], " ", "{", "}")
        else:
            text = _ENCODE(value)
        out.append(f" {_ENCODE(key)}: {text}")
    return "{\n" + ",\n".join(out) + "\n}"


def dumps(d: Disclosure, *, pretty: bool = False) -> str:
    """JSON text; Chinese is written as is (not as \\u escapes). ``pretty`` puts each table row,
    part and figure on its own line."""
    data = disclosure_to_dict(d)
    return _pretty(data) if pretty else _ENCODE(data)


def loads(text: str | bytes) -> Disclosure:
    """Parse JSON text written by ``dumps`` (bytes must be UTF-8); malformed input raises
    ``DisclosureFormatError``."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DisclosureFormatError("", f"不是 UTF-8 文本 (not UTF-8 text): {exc}") from None
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise DisclosureFormatError(
            "", f"不是有效的 JSON (not valid JSON): {exc.msg}, 第 {exc.lineno} 行第 {exc.colno} 列 (line, column)"
        ) from None
    return disclosure_from_dict(data)

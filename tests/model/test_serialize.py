"""Disclosure ⇄ dict / JSON: exact round trip, no floats, and clear errors on malformed input."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from deptbudget.model.disclosure import Cell, CellKind, Disclosure
from deptbudget.model.serialize import (
    FORMAT,
    VERSION,
    DisclosureFormatError,
    disclosure_from_dict,
    disclosure_to_dict,
    dumps,
    loads,
)
from tests.render.conftest import build_example, build_large, build_small


@pytest.fixture
def small() -> Disclosure:
    return build_small()


def _walk(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [value, *(x for v in value.values() for x in _walk(v))]
    if isinstance(value, list):
        return [value, *(x for v in value for x in _walk(v))]
    return [value]


@pytest.mark.parametrize("build", [build_small, build_large, build_example])
def test_round_trip_is_exact(build: Callable[[], Disclosure]) -> None:
    d = build()
    assert disclosure_from_dict(disclosure_to_dict(d)) == d
    assert loads(dumps(d)) == d
    assert loads(dumps(d, pretty=True)) == d


def test_pretty_and_compact_hold_the_same_data(small: Disclosure) -> None:
    assert json.loads(dumps(small, pretty=True)) == json.loads(dumps(small))
    pretty = dumps(small, pretty=True)
    rows = sum(len(t.rows) for t in small.tables)
    assert pretty.count('{"key": ') >= rows  # one row per line
    assert "罗湖区科技创新局" in pretty  # Chinese as is, not \u escapes


def test_header_and_decimal_places_preserved(small: Disclosure) -> None:
    small.tables[0].rows[0].cells["basic"] = Cell(text="1.50", value=Decimal("1.50"), kind=CellKind.AMOUNT,
                                                  exact=Decimal("1.4999"), rounding=Decimal("0.00"))
    back = loads(dumps(small)).tables[0].rows[0].cells["basic"]
    assert str(back.value) == "1.50"
    assert str(back.exact) == "1.4999"
    assert str(back.rounding) == "0.00"
    assert back.sources == ()
    assert isinstance(back.sources, tuple)


def test_example_json_holds_every_amount_as_a_string() -> None:
    d = build_example()
    data = disclosure_to_dict(d)
    assert not [v for v in _walk(data) if isinstance(v, float)]
    t14 = next(t for t in data["tables"] if t["id"] == "T14")
    total = next(r for r in t14["rows"] if r["key"] == "total")["cells"]["value"]
    assert (total["text"], total["value"]) == ("17,144.13", "17144.13")  # not the seed's "1,7144.13"
    assert total["sources"]


def test_json_holds_no_float_and_amounts_are_strings(small: Disclosure) -> None:
    data = disclosure_to_dict(small)
    assert data["format"] == FORMAT and data["version"] == VERSION
    assert not [v for v in _walk(data) if isinstance(v, float)]
    cell = data["tables"][0]["rows"][0]["cells"]["total"]
    assert cell == {
        "text": "17,144.13",
        "kind": "amount",
        "value": "17144.13",
        "exact": "17144.125",
        "rounding": "0.01",
        "sources": ["basic[0]", "basic[1]", "projects[0]"],
    }
    assert data["figures"]["income.total"]["value"] == "17144.13"


def test_exponent_decimals_are_written_plainly(small: Disclosure) -> None:
    small.tables[0].rows[0].cells["total"].value = Decimal("1.7E+4")
    data = disclosure_to_dict(small)
    assert data["tables"][0]["rows"][0]["cells"]["total"]["value"] == "17000"
    assert loads(dumps(small)).tables[0].rows[0].cells["total"].value == Decimal(17000)


def test_non_finite_amount_refused(small: Disclosure) -> None:
    small.tables[0].rows[0].cells["total"].value = Decimal("NaN")
    with pytest.raises(ValueError, match="not finite"):
        disclosure_to_dict(small)


# --- malformed input ------------------------------------------------------------------------------


def _set(path: list[str | int], value: Any) -> Callable[[dict], None]:
    def mutate(data: dict) -> None:
        target: Any = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return mutate


def _delete(path: list[str | int]) -> Callable[[dict], None]:
    def mutate(data: dict) -> None:
        target: Any = data
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return mutate


CELL = ["tables", 0, "rows", 0, "cells", "total"]

MALFORMED = [
    ("float amount", _set([*CELL, "value"], 17144.13), "tables[0].rows[0].cells['total'].value", "decimal string"),
    ("int amount", _set([*CELL, "value"], 17144), "tables[0].rows[0].cells['total'].value", "never a JSON number"),
    ("bad amount", _set([*CELL, "value"], "1,7144.13"), "tables[0].rows[0].cells['total'].value", "十进制"),
    ("exponent", _set([*CELL, "exact"], "1E+4"), "tables[0].rows[0].cells['total'].exact", "decimal string"),
    ("bad cell kind", _set([*CELL, "kind"], "money"), "tables[0].rows[0].cells['total'].kind", "amount / text / code"),
    ("sources not list", _set([*CELL, "sources"], "basic[0]"), "cells['total'].sources", "expected an array"),
    ("source not str", _set([*CELL, "sources"], [3]), "cells['total'].sources[0]", "expected a string"),
    ("text missing", _delete([*CELL, "text"]), "tables[0].rows[0].cells['total'].text", "required field missing"),
    ("cell not object", _set(CELL, "17,144.13"), "tables[0].rows[0].cells['total']", "expected an object"),
    ("row kind", _set(["tables", 0, "rows", 1, "kind"], "sum"), "tables[0].rows[1].kind", "must be one of"),
    ("level str", _set(["tables", 0, "rows", 1, "level"], "1"), "tables[0].rows[1].level", "expected an integer"),
    ("level bool", _set(["tables", 0, "rows", 1, "level"], True), "tables[0].rows[1].level", "integer"),
    ("level negative", _set(["tables", 0, "rows", 1, "level"], -1), "tables[0].rows[1].level", "≥ 0"),
    ("unknown field", _set(["tables", 0, "rows", 1, "colour"], "red"), "tables[0].rows[1].colour", "unknown field"),
    ("rowspan 0", _set(["tables", 0, "header", 0, 0, "rowspan"], 0), "tables[0].header[0][0].rowspan", "≥ 1"),
    ("header row", _set(["tables", 0, "header", 0], {"text": "x"}), "tables[0].header[0]", "expected an array"),
    ("layout", _set(["tables", 0, "layout"], "sheet"), "tables[0].layout", "grid / form"),
    ("landscape", _set(["tables", 0, "landscape"], "yes"), "tables[0].landscape", "true/false"),
    ("columns missing", _delete(["tables", 0, "columns"]), "tables[0].columns", "required"),
    ("column kind", _set(["tables", 0, "columns", 3, "kind"], "number"), "tables[0].columns[3].kind", "one of"),
    ("title missing", _delete(["title"]), "title", "缺少必填字段"),
    ("fiscal year", _set(["fiscal_year"], "2020"), "fiscal_year", "integer"),
    ("format", _set(["format"], "other"), "format", FORMAT),
    ("version", _set(["version"], 2), "version", "unsupported version"),
    ("meta value", _set(["meta", "source"], 1), "meta.source", "string"),
    ("figure value", _set(["figures", "income.total", "value"], 1.77), "figures['income.total'].value", "decimal"),
    ("figure key", _set(["figures", "income.total", "key"], "x"), "figures['income.total'].key", "map key"),
    ("paragraph", _set(["parts", 0, "sections", 0, "paragraphs"], [None]), "parts[0].sections[0].paragraphs[0]",
     "string"),
]


@pytest.mark.parametrize(("mutate", "path", "words"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_malformed_input_names_the_path(small: Disclosure, mutate: Callable[[dict], None], path: str,
                                        words: str) -> None:
    data = copy.deepcopy(disclosure_to_dict(small))
    mutate(data)
    with pytest.raises(ValueError) as info:
        disclosure_from_dict(data)
    message = str(info.value)
    assert isinstance(info.value, DisclosureFormatError)
    assert path in message
    assert words in message
    assert "披露数据格式错误" in message and "malformed disclosure" in message


def test_top_level_must_be_an_object() -> None:
    with pytest.raises(ValueError, match="expected an object"):
        disclosure_from_dict([])


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{", "not valid JSON"),
        ("", "not valid JSON"),
        ('{"format": NaN}', "NaN"),
        (b"\xff\xfe{", "not UTF-8"),
        (b"\xef\xbb\xbf{", "not valid JSON"),
    ],
)
def test_loads_rejects_bad_text(text: str | bytes, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        loads(text)


def test_loads_reports_line_of_syntax_error(small: Disclosure) -> None:
    text = dumps(small, pretty=True)
    broken = text.replace('"kind": "amount"', '"kind": amount', 1)
    line = broken[: broken.index('"kind": amount')].count("\n") + 1
    with pytest.raises(ValueError, match=f"第 {line} 行"):
        loads(broken)


def test_defaults_may_be_omitted(small: Disclosure) -> None:
    data = disclosure_to_dict(small)
    for key in ("kind", "meta", "contents", "parts", "figures"):
        del data[key]
    table = data["tables"][0]
    for key in ("instance", "subtitle", "unit", "unit_name", "layout", "landscape", "empty", "empty_note"):
        del table[key]
    d = disclosure_from_dict(data)
    assert d.kind == "部门预算" and d.parts == [] and d.figures == {}
    assert d.tables[0].unit == "万元" and d.tables[0].layout == "grid" and d.tables[0].instance is None

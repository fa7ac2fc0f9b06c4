"""write_json, and the JSON Schema in docs/disclosure.schema.json."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from deptbudget.model.disclosure import Disclosure
from deptbudget.model.serialize import disclosure_to_dict, loads
from deptbudget.render.json_render import write_json

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "disclosure.schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_write_json_round_trips(small_disclosure: Disclosure, tmp_path: Path) -> None:
    path = write_json(small_disclosure, tmp_path / "out.json")
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert loads(text) == small_disclosure
    compact = write_json(small_disclosure, tmp_path / "compact.json", pretty=False).read_text(encoding="utf-8")
    assert compact.count("\n") == 1
    assert loads(compact) == small_disclosure
    assert [p.name for p in tmp_path.iterdir()] != [] and not list(tmp_path.glob(".*tmp"))


def test_write_json_failure_leaves_old_file(small_disclosure: Disclosure, tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    path.write_text("old", encoding="utf-8")
    small_disclosure.tables[0].rows[0].cells["total"].value = object()  # type: ignore[assignment]
    with pytest.raises(ValueError):
        write_json(small_disclosure, path)
    assert path.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_schema_accepts_generated_json(
    validator: jsonschema.Draft202012Validator, small_disclosure: Disclosure, large_disclosure: Disclosure
) -> None:
    for d in (small_disclosure, large_disclosure):
        errors = list(validator.iter_errors(disclosure_to_dict(d)))
        assert errors == []


def test_example_json_validates_and_round_trips(
    validator: jsonschema.Draft202012Validator, example_disclosure: Disclosure, tmp_path: Path
) -> None:
    path = write_json(example_disclosure, tmp_path / "luohu-2020.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []
    assert loads(path.read_text(encoding="utf-8")) == example_disclosure
    assert data["unit_name"] == "罗湖区科技创新局" and data["fiscal_year"] == 2020
    assert [t["id"] for t in data["tables"]][:14] == [f"T{i}" for i in range(1, 15)]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("tables", 0, "rows", 0, "cells", "total", "value"), 17144.13),
        (("tables", 0, "rows", 0, "cells", "total", "value"), "17,144.13"),
        (("tables", 0, "rows", 0, "kind"), "sum"),
        (("tables", 0, "layout"), "sheet"),
        (("tables", 0, "header", 0, 0, "rowspan"), 0),
        (("version",), 2),
        (("tables", 0, "rows", 0, "colour"), "red"),
    ],
)
def test_schema_rejects_what_loads_rejects(
    validator: jsonschema.Draft202012Validator, small_disclosure: Disclosure, path: tuple, value: object
) -> None:
    data = disclosure_to_dict(small_disclosure)
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    assert not validator.is_valid(data)
    with pytest.raises(ValueError):
        loads(json.dumps(data))


def test_schema_describes_every_written_field(small_disclosure: Disclosure) -> None:
    """Every key the serializer writes is documented in the schema (additionalProperties is
    false everywhere, so validation above proves it; this guards the schema staying strict)."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for name in ("part", "column", "headerCell", "cell", "row", "table", "figure"):
        assert schema["$defs"][name]["additionalProperties"] is False
    assert schema["additionalProperties"] is False

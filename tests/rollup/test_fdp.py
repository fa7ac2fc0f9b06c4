"""deptbudget.rollup.fdp: the Fiscal Data Package is valid (JSON schema of the fiscal profile's descriptor and
model, below) and its amounts are exact."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from deptbudget.model.budget import ExpenditureKind
from deptbudget.rollup.fdp import write_package
from deptbudget.rollup.warehouse import Filter, Rollups, lines_source
from tests.rollup.conftest import LOCALITIES, Made, expected_by_code

_NAME = {"type": "string", "pattern": r"^[a-z0-9._-]+$"}
_ATTRIBUTE = {"type": "object", "oneOf": [{"required": ["source"]}, {"required": ["constant"]}],
              "properties": {"source": {"type": "string"}, "labelfor": {"type": "string"},
                             "parent": {"type": "string"}}}
# The Fiscal Data Package 0.3 descriptor: a Tabular Data Package with a `model` of measures and dimensions.
FDP_SCHEMA = {
    "type": "object", "required": ["name", "title", "resources", "model"],
    "properties": {
        "name": _NAME, "title": {"type": "string"},
        "resources": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["name", "path", "schema"],
            "properties": {"name": _NAME, "path": {"type": "string"}, "schema": {
                "type": "object", "required": ["fields"], "properties": {"fields": {"type": "array", "items": {
                    "type": "object", "required": ["name", "type"], "properties": {
                        "name": {"type": "string"},
                        "type": {"enum": ["string", "number", "integer", "date", "year", "boolean"]}}}}}}}}},
        "model": {"type": "object", "required": ["measures", "dimensions"], "properties": {
            "measures": {"type": "object", "minProperties": 1, "additionalProperties": {
                "type": "object", "required": ["source", "currency"],
                "properties": {"source": {"type": "string"}, "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                               "factor": {"type": "number"},
                               "direction": {"enum": ["expenditure", "revenue"]},
                               "phase": {"enum": ["proposed", "approved", "adjusted", "executed"]}}}},
            "dimensions": {"type": "object", "minProperties": 1, "additionalProperties": {
                "type": "object", "required": ["attributes", "primaryKey"],
                "properties": {"attributes": {"type": "object", "minProperties": 1, "additionalProperties": _ATTRIBUTE},
                               "primaryKey": {"oneOf": [{"type": "string"}, {"type": "array", "items": {
                                   "type": "string"}}]},
                               "dimensionType": {"enum": ["datetime", "entity", "classification", "activity", "fact",
                                                          "location", "other"]},
                               "classificationType": {"enum": ["functional", "administrative", "economic"]}}}}}},
    },
}


@pytest.fixture(scope="module")
def package(made: Made, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_package(Rollups(lines_source(made.results)), tmp_path_factory.mktemp("fdp"))


def test_the_descriptor_is_a_valid_fiscal_data_package(package: Path) -> None:
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    jsonschema.validate(descriptor, FDP_SCHEMA)
    (resource,) = descriptor["resources"]
    fields = [f["name"] for f in resource["schema"]["fields"]]
    with (package.parent / resource["path"]).open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == fields
    model = descriptor["model"]
    assert {m["currency"] for m in model["measures"].values()} == {"CNY"}
    for dimension in model["dimensions"].values():  # every source is a column; keys and parents are attributes
        attributes = dimension["attributes"]
        assert all(a["source"] in fields for a in attributes.values())
        assert set(dimension["primaryKey"]) <= set(attributes)
        assert all(a.get("parent", key) in attributes and a.get("labelfor", key) in attributes
                   for key, a in attributes.items())
    assert {d.get("classificationType") for d in model["dimensions"].values()} >= {"functional", "economic",
                                                                                  "administrative"}
    assert all(m["source"] in fields for m in model["measures"].values())


def test_the_amounts_are_exact(made: Made, package: Path) -> None:
    with (package.parent / "budget.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for (locality, year), budgets in made.budgets.items():
        mine = [r for r in rows if r["locality"] == locality and r["year"] == year]
        assert {r["phase"] for r in mine} == {"approved"}
        functional = [Decimal(r["functional_amount"]) for r in mine if r["functional_amount"]]
        economic = [Decimal(r["economic_amount"]) for r in mine if r["economic_amount"]]
        assert all(r["functional_amount"].count(".") == 1 and len(r["functional_amount"].split(".")[1]) == 2
                   for r in mine if r["functional_amount"])
        assert sum(functional) == sum(expected_by_code(budgets, 7).values())
        assert sum(economic) == sum(expected_by_code(budgets, 5, econ=True).values())
        basic = sum(Decimal(r["functional_amount"]) for r in mine if r["expenditure_type"] == "基本支出"
                    and r["functional_amount"])
        assert basic == sum(expected_by_code(budgets, 7, ExpenditureKind.BASIC).values())


def test_a_package_of_one_locality(made: Made, tmp_path: Path) -> None:
    path = write_package(Rollups(lines_source(made.results)), tmp_path, Filter(LOCALITIES[0]))
    with (path.parent / "budget.csv").open(encoding="utf-8", newline="") as handle:
        assert {r["locality"] for r in csv.DictReader(handle)} == {LOCALITIES[0]}

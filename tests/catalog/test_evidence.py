"""The code–name pairs read in published texts (data/evidence/*.csv: published.csv and one file per search
campaign, same columns — notices, an official copy of a
catalog's page, a provincial allocation notice naming its 科目) agree with the shipped catalog of the year the
text states — so a change to the data that contradicts a text someone has read fails here."""

from __future__ import annotations

import csv
from importlib.resources import files

from deptbudget.catalog import KINDS, load_catalog
from deptbudget.rules.catalog_rules import judge

EVIDENCE = files("deptbudget.catalog") / "data" / "evidence"


def _rows() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted(EVIDENCE.iterdir(), key=lambda p: p.name):
        if path.name.endswith(".csv"):
            rows.extend(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    return rows


def test_every_row_names_its_text_and_a_shipped_year_and_kind() -> None:
    rows = _rows()
    assert rows
    for row in rows:
        assert row["kind"] in KINDS and len(row["code"]) in KINDS[row["kind"]][1], row
        assert row["source"].startswith(("page:", "notice:", "repo:")) and "#" in row["source"], row
        load_catalog(int(row["year"]), exact=True)


def test_every_pair_read_agrees_with_the_catalog_of_its_year() -> None:
    wrong = []
    for row in _rows():
        verdict = judge(load_catalog(int(row["year"]), exact=True), row["kind"], row["code"], row["name"])
        if verdict.status != "exact":
            wrong.append((row["year"], row["kind"], row["code"], row["name"], verdict.status))
    assert not wrong

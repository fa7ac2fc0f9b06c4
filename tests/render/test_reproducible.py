"""Two builds of the example give identical bytes in every format; dates come from the source."""

from __future__ import annotations

import argparse
import subprocess
import time
import zipfile
from pathlib import Path

import docx
import pytest

from deptbudget.commands.build import run as build
from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.render.reproducible import document_date
from deptbudget.sources.yaml_source import load_budget

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luohu-2020.yaml"
FILES = ("index.html", "tables.xlsx", "disclosure.json", "budget.pdf", "budget.docx")


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    first, second = tmp_path_factory.mktemp("one"), tmp_path_factory.mktemp("two")
    assert build(argparse.Namespace(source=str(EXAMPLE), output=str(first), formats=None)) == 0
    time.sleep(2.1)  # ZIP timestamps have a two-second resolution: a clock-dated file would differ
    assert build(argparse.Namespace(source=str(EXAMPLE), output=str(second), formats=None)) == 0
    return first, second


@pytest.mark.parametrize("name", FILES)
def test_two_builds_give_identical_bytes(builds: tuple[Path, Path], name: str) -> None:
    first, second = builds
    assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_files_are_dated_by_the_source(builds: tuple[Path, Path]) -> None:
    d = compute_disclosure(load_budget(EXAMPLE))
    when = document_date(d)
    assert when.year == d.fiscal_year
    stamp = (when.year, when.month, when.day, 0, 0, 0)
    for name in ("tables.xlsx", "budget.docx"):
        with zipfile.ZipFile(builds[0] / name) as archive:
            assert {info.date_time for info in archive.infolist()} == {stamp}, name
            assert "docProps/thumbnail.jpeg" not in archive.namelist()
            app = archive.read("docProps/app.xml").decode()
            assert "Macintosh" not in app
    info = subprocess.run(["pdfinfo", str(builds[0] / "budget.pdf")], capture_output=True, text=True,
                          check=True).stdout
    assert f"Jan  1 00:00:00 {d.fiscal_year}" in info


def test_docx_properties_come_from_the_budget(builds: tuple[Path, Path]) -> None:
    d = compute_disclosure(load_budget(EXAMPLE))
    document = docx.Document(str(builds[0] / "budget.docx"))
    props = document.core_properties
    assert (props.title, props.author, props.last_modified_by) == (d.title, d.unit_name, d.unit_name)
    assert props.created == props.modified == document_date(d)
    assert "python-docx" not in (props.comments or "") + (props.last_modified_by or "")
    pictures = document.inline_shapes
    assert len(pictures) >= 1
    for shape in pictures:
        assert shape._inline.docPr.get("descr", "").startswith("图"), "a chart without alt text"

"""importers.recover: what a document prints of itself is kept — here, that it prints no title of its own."""

from __future__ import annotations

from pathlib import Path

from deptbudget.importers import import_document
from deptbudget.model.disclosure import UNTITLED

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "luohu-2020-seed.txt"


def test_a_document_that_starts_with_its_first_table_is_marked_untitled(tmp_path: Path) -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    first_table = next(i for i, line in enumerate(lines) if line.strip() == "表.1")
    tables_only = tmp_path / "tables.txt"
    tables_only.write_text("\n".join(lines[first_table:]) + "\n", encoding="utf-8")
    untitled, _ = import_document(tables_only)
    assert untitled.meta.get(UNTITLED) and untitled.title  # a title made up from its year and unit
    titled, _ = import_document(SEED)
    assert UNTITLED not in titled.meta and "科技创新局" in titled.title


def test_contents_that_list_tables_only_are_marked(tmp_path: Path) -> None:
    """The seed's cover and 目录 over its tables: listing the tables alone, or (the seed) the 说明's parts too."""
    from deptbudget.model.disclosure import TABLES_CONTENTS

    lines = SEED.read_text(encoding="utf-8").splitlines()
    listed = next(i for i, line in enumerate(lines) if line.strip() == "1. 收支预算总表")
    title, contents = lines[:3], lines[3:5]  # 2020 年罗湖区科技创新局部门预算 / 目 录
    tables_listed = tmp_path / "tables.txt"
    tables_listed.write_text("\n".join([*title, *contents, *lines[listed:]]) + "\n", encoding="utf-8")
    assert import_document(tables_listed)[0].meta.get(TABLES_CONTENTS)
    whole, _ = import_document(SEED)
    assert TABLES_CONTENTS not in whole.meta  # its contents list the 说明's eight parts

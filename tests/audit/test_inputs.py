"""deptbudget.audit.inputs: folders, files and a manifest CSV, each document once."""

from __future__ import annotations

from pathlib import Path

import pytest

from deptbudget.audit.inputs import AuditDocument, InputError, collect


def test_folder_and_file_named_as_the_corpus_names_them(tmp_path: Path) -> None:
    folder = tmp_path / "007_某市"
    folder.mkdir()
    (folder / "2025年某市某局部门决算.pdf").write_bytes(b"%PDF")
    (folder / "notes.bin").write_bytes(b"")  # not a document
    (tmp_path / "single").mkdir()
    single = tmp_path / "single" / "2024年单个文件.xlsx"
    single.write_bytes(b"")
    found = collect([str(tmp_path / "007_某市"), str(single)])
    assert found == [
        AuditDocument(str((folder / "2025年某市某局部门决算.pdf").resolve()), "某市", "2025年某市某局部门决算", "2025",
                      "决算"),
        AuditDocument(str(single.resolve()), "", "2024年单个文件", "2024", "预算"),
    ]


def test_manifest_paths_relative_to_it_and_each_document_once(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    document = tmp_path / "docs" / "a.pdf"
    document.write_bytes(b"%PDF")
    manifest = tmp_path / "list.csv"
    manifest.write_text("\ufeffpath,locality,entity,year,kind\n"
                        "docs/a.pdf,罗湖区,某局,2020,预算\n"
                        f"{document},别处,重复,2021,决算\n"
                        "docs/missing.pdf,罗湖区,缺失,2020,预算\n", encoding="utf-8")
    found = collect([str(document)], str(manifest))
    assert found == [AuditDocument(str(document.resolve()), "罗湖区", "某局", "2020", "预算"),
                     AuditDocument(str((tmp_path / "docs" / "missing.pdf").resolve()), "罗湖区", "缺失", "2020",
                                   "预算")]


@pytest.mark.parametrize(("text", "problem"), [
    ("file,locality\na.pdf,x\n", "缺少列 path"),
    ("path,locality\n,x\n", "第2行"),
])
def test_a_bad_manifest_is_named(tmp_path: Path, text: str, problem: str) -> None:
    manifest = tmp_path / "list.csv"
    manifest.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        collect([], str(manifest))
    assert str(manifest) in str(raised.value) and problem in str(raised.value)


def test_a_missing_input_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="文件或目录不存在"):
        collect([str(tmp_path / "nowhere")])
    with pytest.raises(InputError, match="无法读取清单"):
        collect([], str(tmp_path / "nowhere.csv"))

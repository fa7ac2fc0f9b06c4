"""Reading the performance data files (rules, indicator library): every failure is the caller's error
naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from deptbudget.performance.data_files import read_yaml_file
from deptbudget.performance.library import LibraryError, load_library_file
from deptbudget.performance.rules import RulesError, load_rules_file


@pytest.mark.parametrize(("content", "message"), [
    (None, "无法读取"),
    (b"a: [1", "YAML 语法错误"),
    (b"name: \xff\xfe", "不是 UTF-8 文本"),
])
@pytest.mark.parametrize(("load", "error"), [(load_rules_file, RulesError), (load_library_file, LibraryError)])
def test_unreadable_data_files(tmp_path: Path, content, message, load, error) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "data.yaml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(error, match=message) as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}: ")


def test_read_yaml_file(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("locality: 测试\npoints: '10'\n", encoding="utf-8")
    assert read_yaml_file(path, ValueError) == {"locality": "测试", "points": "10"}

"""``load_actuals``: the format by suffix, the file named in every problem (or the name given)."""

from __future__ import annotations

from pathlib import Path

import pytest

from deptbudget.performance.actuals import load_actuals
from deptbudget.performance.actuals_model import Stage
from deptbudget.sources.errors import SourceError

from .actuals_data import MIDYEAR_YAML, held


def test_yaml_by_any_other_suffix_and_the_name_given(tmp_path: Path) -> None:
    path = tmp_path / "mid.yml"
    path.write_text(MIDYEAR_YAML, encoding="utf-8")
    plain, named = load_actuals(path), load_actuals(path, source="上传.yml")
    assert plain.stage is Stage.MIDYEAR and plain.source == str(path) and named.source == "上传.yml"
    assert held(plain) == held(named)


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p, "文件不存在"),
    (lambda p: (p.mkdir(), p)[1], "是目录而不是文件"),
    (lambda p: (p.write_bytes(b"stage: \xff\xfe"), p)[1], "不是 UTF-8 文本"),
])
def test_unreadable_files(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path / "x.yaml")
    with pytest.raises(SourceError) as caught:
        load_actuals(path, source="x.yaml")
    [problem] = caught.value.problems
    assert problem.file == "x.yaml" and message in problem.message

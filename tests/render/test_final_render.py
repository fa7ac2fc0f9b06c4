"""What the renderers add for a 决算: the cover breaks after 年度, and the worked example says it is fictional."""

from __future__ import annotations

from pathlib import Path

from deptbudget.compute.final_disclosure import compute_final_disclosure
from deptbudget.render.html import write_html
from deptbudget.render.pdf import cover_lines
from deptbudget.sources.final_source import load_final

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luohu-2020-final.yaml"


def test_cover_and_fictional_label(tmp_path: Path) -> None:
    disclosure = compute_final_disclosure(load_final(EXAMPLE))
    assert cover_lines(disclosure) == ["2020 年度", "罗湖区科技创新局部门决算"]
    write_html(disclosure, tmp_path / "index.html")
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "虚构示例" in page and "一般公共预算财政拨款“三公”经费支出决算表" in page

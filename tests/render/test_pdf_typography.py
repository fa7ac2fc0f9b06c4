"""PDF typography: a 宋体-style serif body, 黑体-style headings, and Chinese line breaking (避头尾)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib.enums import TA_CENTER

from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.render.fonts import serif_cjk_font, truetype_cjk_font
from deptbudget.render.pdf import write_pdf
from deptbudget.render.pdf_linebreak import CANNOT_END, CANNOT_START
from deptbudget.render.pdf_styles import BODY_FONT, FONT, cell_style, para, styles
from deptbudget.sources.yaml_source import load_budget

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luohu-2020.yaml"
HAS_SERIF = serif_cjk_font() != truetype_cjk_font()


def _lines(text: str, width: float, size: float = 12, bold: bool = False) -> list[str]:
    paragraph = para(text, cell_style(size, TA_CENTER) if size < 12 else styles().body, bold)
    paragraph.wrap(width, 10_000)
    out = []
    for line in paragraph.blPara.lines:
        if hasattr(line, "words"):
            out.append("".join(w.text for w in line.words))
        else:
            out.append("".join(line[1]))
    return out


cjk_text = st.lists(st.sampled_from(list("预算支出科技创新局罗湖区收入项目经费") + list("，。、；：？！）」』（「『")
                                    + ["2019", "17,144.13", "R&D"]), min_size=1, max_size=80).map("".join)


def _word_run(text: str, at: int) -> str:
    """The run of Latin letters and digits (with its separators) around position ``at``."""
    def word(ch: str) -> bool:
        return ch.isascii() and (ch.isalnum() or ch in "&.,%-_/")
    start, end = at, at
    while start > 0 and word(text[start - 1]):
        start -= 1
    while end < len(text) and word(text[end]):
        end += 1
    return text[start:end]


@given(cjk_text, st.integers(min_value=120, max_value=300))
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(text: str, width: int) -> None:
    lines = _lines(text, width)
    assert "".join(lines) == text
    for i, line in enumerate(lines):
        assert line, lines
        if i > 0 and len(line) > 1 and not all(ch in CANNOT_START for ch in line):
            assert line[0] not in CANNOT_START, lines
            run = _word_run("".join(lines), len("".join(lines[:i])))
            if len(run) * 6 + 24 <= width:  # a number is not split — unless it is wider than the line
                assert not (line[0].isdigit() and lines[i - 1][-1].isdigit()), lines
        if i < len(lines) - 1 and not all(ch in CANNOT_END for ch in line):
            assert line[-1] not in CANNOT_END, lines


def test_numbers_and_headers_break_between_words() -> None:
    assert _lines("上级补助收入", 9 * 5.5, 9) == ["上级补助", "收入"]
    assert _lines("事业收入", 9 * 3.5, 9) == ["事业", "收入"]
    assert all("17,144.13" in line or "17" not in line for line in _lines("预算支出17,144.13万元", 12 * 7.5))


@pytest.fixture(scope="module")
def example_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = compute_disclosure(load_budget(EXAMPLE))
    return write_pdf(d, tmp_path_factory.mktemp("pdf") / "budget.pdf", charts=False)


def test_serif_body_and_hei_headings_are_embedded(example_pdf: Path) -> None:
    out = subprocess.run(["pdffonts", str(example_pdf)], capture_output=True, text=True, check=True).stdout
    names = {line.split()[0].split("+")[-1].rsplit("-", 1)[0] for line in out.splitlines()[2:]}
    assert "WenQuanYiMicroHei" in names
    if HAS_SERIF:
        assert "UMingCN" in names
    assert styles().body.fontName == BODY_FONT and styles().part.fontName == FONT


def test_the_example_pdf_keeps_punctuation_rules(example_pdf: Path) -> None:
    text = subprocess.run(["pdftotext", str(example_pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert [line for line in lines if line[0] in "，。、；：？！）」』"] == []
    assert [line for line in lines if line[-1] in "（「『"] == []


def test_a_short_cell_breaks_at_its_space() -> None:
    assert _lines("9759.37 平方米", 9 * 6, 9) == ["9759.37 ", "平方米"]


def test_a_run_wider_than_the_line_is_split_but_never_before_closing_punctuation() -> None:
    """Found by the property test: ``201917,144.13R&D，预`` overflowing at the ``，``."""
    from deptbudget.render.pdf_linebreak import break_position

    text = "201917,144.13R&D，预"
    at = break_position(text, 0, text.index("，"))
    assert text[at] not in CANNOT_START and text[at - 1] not in CANNOT_END and 0 < at < len(text)

"""``cell_texts`` gives what pdfplumber's ``Table.extract()`` gives, cell by cell."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pdfplumber

from deptbudget.importers.pdf_cells import _overflow_returned, cell_texts
from tests.importers.mof_documents import write_pdf


def test_cell_texts_are_pdfplumbers(tmp_path: Path) -> None:
    with pdfplumber.open(write_pdf(tmp_path / "tables.pdf")) as pdf:
        tables = [table for page in pdf.pages for table in page.find_tables()]
        assert len(tables) > 3
        for table in tables:
            assert cell_texts(table) == table.extract()
        texts = [text for table in tables for row in cell_texts(table) for text in row]
        assert any(texts) and None in texts  # merged cells read as pdfplumber reads them


def _char(text: str, x0: float, baseline: float, box_top: float, size: float = 10.0) -> dict[str, object]:
    """A character on a page 600 high: ``baseline`` and ``box_top`` top down, as pdfplumber gives them."""
    return {"text": text, "x0": x0, "x1": x0 + size / 2, "top": box_top, "bottom": box_top + size,
            "y0": 600 - box_top - size, "y1": 600 - box_top, "doctop": box_top, "upright": True, "size": size,
            "fontname": "F", "matrix": (1, 0, 0, 1, x0, 600 - baseline)}


def test_a_character_boxed_below_its_baseline_is_read_where_it_is_printed() -> None:
    # Two rows ruled at 100–120 and 120–140; on the first row's baseline (116) a name whose box
    # stands on it (106–118) and an amount whose font declares no ascent, boxed 116–126: the
    # middle of that box (121) lies in the second row, the glyph in the first.
    chars = [_char("基", 10, 116, 106), _char("本", 15, 116, 106),
             _char("5", 60, 116, 116), _char(".", 65, 116, 116), _char("7", 70, 116, 116),
             _char("工", 10, 136, 126)]
    rows = [SimpleNamespace(bbox=(0, 100, 100, 120), cells=[(0, 100, 50, 120), (50, 100, 100, 120)]),
            SimpleNamespace(bbox=(0, 120, 100, 140), cells=[(0, 120, 50, 140), (50, 120, 100, 140)])]
    table = SimpleNamespace(page=SimpleNamespace(chars=chars), rows=rows)
    assert cell_texts(table) == [["基本", "5.7"], ["工", ""]]


def _glyph(text: str, x0: float, top: float = 100.0, size: float = 9.0) -> dict[str, float | str]:
    return {"text": text, "x0": x0, "x1": x0 + size, "top": top, "bottom": top + size, "size": size}


def test_a_name_run_on_over_the_next_cell_is_given_back_to_its_own() -> None:
    """西安 气象局 表2: 西安市人工影响天气服务保障中心 printed across the 合计 column, over 1839311.66."""
    name = [_glyph(t, 150 + 9 * i) for i, t in enumerate("服务保")] + [_glyph("障", 177.0)]
    amount = [_glyph(d, 183 + 5 * i, top=100.2, size=5) for i, d in enumerate("1839311.66")]
    run_on = [_glyph("中", 186.0), _glyph("心", 195.0)]
    boxes = [(100, 90, 180, 120), (180, 90, 250, 120)]
    cells = _overflow_returned([name, amount + run_on], boxes)
    assert "".join(c["text"] for c in sorted(cells[0], key=lambda c: c["x0"])) == "服务保障中心"
    assert "".join(c["text"] for c in sorted(cells[1], key=lambda c: c["x0"])) == "1839311.66"


def test_words_ending_inside_their_cell_or_a_figure_keep_the_next_cell_as_it_is() -> None:
    inside = [_glyph("收", 150.0), _glyph("入", 159.0)]  # ends at 168, inside its cell (…180)
    label = [_glyph("（", 170.0), _glyph("一", 179.0)]
    boxes = [(100, 90, 180, 120), (180, 90, 250, 120)]
    assert _overflow_returned([inside, label], boxes)[1] == label
    # 重庆: a figure running to the border, a bracket right after it
    figure = [_glyph("8", 170.0, size=5), _glyph("2", 175.0, size=5), _glyph("5", 180.0, size=5)]
    assert _overflow_returned([figure, [_glyph("（", 185.0)]], boxes)[1] == [_glyph("（", 185.0)]

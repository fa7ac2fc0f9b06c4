"""A glyph drawn as a small picture inside a line of text (西安 人社局 prints its “%” so): the word before it
carries U+FFFC, so a figure followed by it is not read as a figure printed without its unit."""

from __future__ import annotations

from deptbudget.importers.pdf_inline import mark_inline_images
from deptbudget.model.disclosure import INLINE_IMAGE


def word(text: str, x0: float, x1: float, top: float = 100.0, size: float = 16.0) -> dict[str, object]:
    return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": top + size, "size": size}


def image(x0: float, x1: float, top: float, bottom: float) -> dict[str, float]:
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom}


def test_a_glyph_sized_picture_right_after_a_word_is_marked_in_it() -> None:
    words = [word("减少", 80, 112), word("12.95", 112, 139.84), word("，原因是…", 154, 400)]
    marked = mark_inline_images(words, [image(139.8, 146.5, 101.6, 113.6)])  # a hair inside the word's box
    assert [w["text"] for w in marked] == ["减少", f"12.95{INLINE_IMAGE}", "，原因是…"]
    assert marked[1]["x1"] == 146.5


def test_pictures_that_are_no_glyph_of_the_line_are_left_alone() -> None:
    def marked(*images: dict[str, float]) -> list[str]:
        words = [word("12.95", 112, 139.84)]
        return [w["text"] for w in mark_inline_images(words, list(images))]

    assert marked(image(139.8, 339.8, 60, 260)) == ["12.95"]  # a chart or a seal: far taller than the type
    assert marked(image(160, 166.7, 101.6, 113.6)) == ["12.95"]  # a gap wider than a space
    assert marked(image(139.8, 146.5, 140, 152)) == ["12.95"]  # on the next line
    assert marked(image(100, 106.7, 101.6, 113.6)) == ["12.95"]  # inside the word, not after it


def test_a_figure_before_a_pictured_percent_is_no_figure_without_unit() -> None:
    """The check of a paragraph so read (the real case: 西安 人社局, tests/corpus ledger): nothing; the same
    figure with nothing after it is still a figure printed without its unit."""
    from deptbudget.catalog import load_catalog
    from deptbudget.model.disclosure import Disclosure, Part, Section
    from deptbudget.review.engine import load_rules
    from deptbudget.rules.registry import RuleContext, load_settings, run_rules

    def found(text: str) -> list[str]:
        d = Disclosure("shenzhen-15", 2020, "某局", "2020 年某局部门预算",
                       parts=[Part(2, "第二部分", [Section("一、收支预算总体情况", [text])])])
        rules = [r for r in load_rules() if r.id in ("TEXT-AMOUNT-UNIT", "TEXT-CHARSET")]
        return [f.rule for f in run_rules(d, RuleContext(load_catalog(2020), load_settings("shenzhen-15")), rules)]

    assert found(f"收入预算5,000.00万元，较上年减少12.95{INLINE_IMAGE}，主要原因是职能划出。") == []
    assert found("收入预算5,000.00万元，较上年减少12.95，主要原因是职能划出。") == ["TEXT-AMOUNT-UNIT"]

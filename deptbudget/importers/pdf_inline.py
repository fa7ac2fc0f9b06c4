"""Glyphs a PDF draws as small pictures inside a line of text (a “%” pasted as an image after a figure).

Such a picture has no text, so the figure before it reads as a figure with nothing after it — and a
check would say the unit is missing (“减少12.95，” where the page shows “减少12.95%，”). What the
picture shows cannot be known without OCR; it is marked in the word it follows with U+FFFC (the
object replacement character), so that the text says “something is printed here” instead of
“nothing is”.
"""

from __future__ import annotations

from typing import Any

from deptbudget.model.disclosure import INLINE_IMAGE

_MAX_GAP = 0.35  # how far after the word the picture may start, in the word's font sizes
_MAX_HEIGHT = 1.3  # how tall and wide the picture may be, in the word's font sizes
_TOUCH = 0.1  # how far the picture may reach back into the word's box, in its font sizes
_MIN_OVERLAP = 0.6  # the share of the picture's height that lies within the word's line


def mark_inline_images(words: list[dict[str, Any]], images: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``words`` with ``INLINE_IMAGE`` appended to each word that a glyph-sized picture directly follows on its
    line (the word's ``x1`` moved to the picture's end)."""
    if not images or not words:
        return words
    for image in images:
        height, width = image["bottom"] - image["top"], image["x1"] - image["x0"]
        if height <= 0 or width <= 0:
            continue
        word = _word_before(words, image, height, width)
        if word is not None:
            word["text"] += INLINE_IMAGE
            word["x1"] = image["x1"]
    return words


def _word_before(words: list[dict[str, Any]], image: dict[str, Any], height: float,
                 width: float) -> dict[str, Any] | None:
    for word in words:
        size = float(word.get("size") or (word["bottom"] - word["top"]))
        if size <= 0 or height > _MAX_HEIGHT * size or width > _MAX_HEIGHT * size:
            continue
        overlap = min(word["bottom"], image["bottom"]) - max(word["top"], image["top"])
        if overlap < _MIN_OVERLAP * height:
            continue
        gap = image["x0"] - word["x1"]  # may be a hair below 0: the picture set where the glyph's box ends
        if -_TOUCH * size <= gap <= _MAX_GAP * size and image["x1"] > word["x1"] \
                and not word["text"].endswith(INLINE_IMAGE):
            return word
    return None

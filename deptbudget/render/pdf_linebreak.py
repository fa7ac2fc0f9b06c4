"""Chinese line breaking for ReportLab paragraphs (``wordWrap="CJK"``): 避头尾 and whole words.

ReportLab breaks CJK text after any character; its own rule keeps only a few closing marks (not
"，；：？！") off a line start and none off a line end. :func:`cjk_frag_split` replaces its splitter:

- no line starts with closing punctuation (``CANNOT_START``: ，。、；：？！）」』》〉】…), and none ends
  with opening punctuation (``CANNOT_END``: （「『《〈【“‘); the break moves back a character or more;
- a run of Latin letters or digits (``2019``, ``R&D``, ``16,425.30``) is not split while a break
  before it is possible;
- a line that would hold a single CJK character alone at the end of a text (上级补助收/入) is
  avoided by moving the break back one character: the last line gets two;
- a short text (a table cell or header) that has a space breaks there (9759.37 / 平方米);
- in a table cell (``pdf_words.WORD_BREAKS``) a line ends between two words (jieba's segmentation):
  一般公共/预算拨款, not 一般公共预/算拨款; the last line is never a single character (罗湖区科技/创新局).

A break is moved back as far as needed; where the line has no good break at all (a number wider
than the line) the plain break stands.
"""

from __future__ import annotations

from typing import Any

from deptbudget.render.pdf_words import WORD_BREAKS, word_boundaries

CANNOT_START = frozenset("，。、；：？！）」』》〉】〕］｝’”…—·%‰℃,.;:?!)]}")
CANNOT_END = frozenset("（「『《〈【〔［｛‘“([{")
SHORT = 12  # characters: a text this short (a cell, a header) breaks at a space where it has one


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "&.,%-_/")


def good_break(chars: str, at: int) -> bool:
    """Whether a line may end before ``chars[at]``."""
    before, after = chars[at - 1], chars[at]
    if after in CANNOT_START or before in CANNOT_END:
        return False
    return not (_is_word_char(before) and _is_word_char(after))


def break_position(chars: str, start: int, natural: int) -> int:
    """Where to end the line that starts at ``start`` and would overflow at ``natural``: the last
    good break at or before ``natural``, else ``natural``."""
    limit = start + 1
    at = natural
    while at > limit and not good_break(chars, at):
        at -= 1
    if at <= limit and not good_break(chars, at):
        # no break between words: a run wider than the line is split, but still never before closing or
        # after opening punctuation (避头尾 goes before keeping a number whole)
        at = natural
        while at > limit and (chars[at] in CANNOT_START or chars[at - 1] in CANNOT_END):
            at -= 1
        return at if at > limit or not (chars[at] in CANNOT_START or chars[at - 1] in CANNOT_END) else natural
    # A short text (a table cell, a header) with a space breaks at its last space: 9759.37 / 平方米.
    space = chars.rfind(" ", start + 1, at)
    if len(chars) <= SHORT and space > start:
        return space + 1
    if WORD_BREAKS.get():
        between = _between_words(chars, start, at)
        if between is not None:
            return between
    # A single CJK character left alone on the last line of the text: give it a companion.
    rest = chars[at:].strip()
    if len(rest) == 1 and ord(rest) >= 0x3000 and at - 1 > limit and good_break(chars, at - 1):
        return at - 1
    return at


def _lone_last(chars: str, at: int) -> bool:
    rest = chars[at:].strip()
    return len(rest) == 1 and ord(rest) >= 0x3000


def _between_words(chars: str, start: int, at: int) -> int | None:
    """The last break between two words at or before ``at`` (and after ``start``) that does not leave a
    single character alone on the last line; None when the line holds no whole word."""
    bounds = word_boundaries(chars)
    # a line does not start with the space between two words (the break goes after it), nor end with a
    # number whose unit or counter follows (2500 万元, 250 余家, 2020 年 stay together)
    candidates = sorted(
        p for p in bounds
        if start < p <= at and good_break(chars, p) and chars[p] != " " and not chars[start:p].rstrip()[-1:].isdigit()
    )
    while candidates and _lone_last(chars, candidates[-1]) and len(candidates) > 1:
        candidates.pop()
    return candidates[-1] if candidates else None


def _width(u: Any, max_width: float) -> float:
    w = u.width
    if hasattr(w, "normalizedValue"):
        w._normalizer = max_width
        w = w.normalizedValue(max_width)
    return float(w)


def cjk_frag_split(frags: list[Any], maxWidths: list[float], calcBounds: bool, encoding: str = "utf8") -> Any:  # noqa: N803
    """Drop-in replacement of ``reportlab.platypus.paragraph.cjkFragSplit`` with the rules above."""
    from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine
    from reportlab.rl_config import _FUZZ

    units: list[Any] = []
    for f in frags:
        text = f.text.decode(encoding) if isinstance(f.text, bytes) else f.text
        if text:
            units.extend(cjkU(t, f, encoding) for t in text)
        else:
            units.append(cjkU(text, f, encoding))
    chars = "".join(str(u) or "\0" for u in units)
    lines: list[Any] = []
    start = 0
    n = len(units)
    while start < n:
        max_width = maxWidths[min(len(lines), len(maxWidths) - 1)]
        used = 0.0
        i = start
        end = n
        hard = False
        while i < n:
            u = units[i]
            used += _width(u, max_width)
            if hasattr(u.frag, "lineBreak"):
                end, hard = i + 1, True
                break
            if used > max_width + _FUZZ and i > start:
                end = break_position(chars, start, i)
                break
            i += 1
        line = units[start:end]
        width = sum(_width(u, max_width) for u in line)
        lines.append(makeCJKParaLine(line, max_width, width, max_width - width, hard, calcBounds))
        start = end
    return ParaLines(kind=1, lines=lines)


_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}  # (font, size) → character → width


def word_split(word: str, maxWidths: Any, fontName: str, fontSize: float,  # noqa: N803
               encoding: str = "utf8") -> list[list[Any]]:
    """Drop-in replacement of ``reportlab.lib.textsplit.wordSplit`` (a one-font CJK paragraph) with the
    rules above: ``[[extra space, line text], …]``."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.rl_config import _FUZZ

    text = word.decode(encoding) if isinstance(word, bytes) else word
    widths_list = maxWidths if isinstance(maxWidths, (list, tuple)) else [maxWidths]
    cache = _WIDTHS.setdefault((fontName, fontSize), {})
    widths = []
    for ch in text:
        width = cache.get(ch)
        if width is None:
            width = cache[ch] = stringWidth(ch, fontName, fontSize)
        widths.append(width)
    lines: list[list[Any]] = []
    start, n = 0, len(text)
    while start < n:
        max_width = widths_list[min(len(lines), len(widths_list) - 1)]
        used, i, end = 0.0, start, n
        while i < n:
            used += widths[i]
            if used > max_width + _FUZZ and i > start:
                end = break_position(text, start, i)
                break
            i += 1
        lines.append([max_width - sum(widths[start:end]), text[start:end]])
        start = end
    return lines


def install_line_breaking() -> None:
    """Make ReportLab's CJK paragraphs use :func:`cjk_frag_split` and :func:`word_split` (idempotent)."""
    from reportlab.platypus import paragraph

    paragraph.cjkFragSplit = cjk_frag_split
    paragraph.wordSplit = word_split

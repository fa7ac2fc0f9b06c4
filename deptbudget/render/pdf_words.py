"""Where a table cell may break: between words, found by Chinese word segmentation (jieba).

A header or a name cell must not wrap inside a word (上级补助收/入, 平方/米, 一般公共预/算拨款):
:func:`word_boundaries` gives the positions between the words of a text, :func:`longest_word`
the width a column needs so that no word of its cells has to split. jieba (a dictionary of
350,000 words, with an HMM for unknown ones such as 国检) is loaded once per process, lazily, on
the first cell that has to wrap: ≈ 0.8 s of CPU time (its dictionary cache lives in the temporary
directory). Segmentations are cached per text.

Break opportunities are used only in table cells (:data:`WORD_BREAKS`, set by
``pdf_styles.WordParagraph`` while it breaks its lines); body text keeps breaking between any two
characters, as Chinese body text does.
"""

from __future__ import annotations

import logging
import re
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any

WORD_BREAKS: ContextVar[bool] = ContextVar("deptbudget_word_breaks", default=False)
_HAN = re.compile(r"[\u3400-\u9fff]")
WORD_LIST = Path(__file__).with_name("words.txt")  # scripts/make_word_list.py: jieba's words used ≥ 20 times


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer(dictionary=str(WORD_LIST))  # the frequent words only: a third of the load time
    tokenizer.initialize()
    return tokenizer


@lru_cache(maxsize=8192)
def words(text: str) -> tuple[str, ...]:
    """The words of ``text`` (jieba, HMM on for unknown words); a text without Chinese is one word."""
    if not _HAN.search(text):
        return (text,)
    return tuple(_tokenizer().cut(text, HMM=True))


@lru_cache(maxsize=8192)
def word_boundaries(text: str) -> frozenset[int]:
    """Positions ``i`` (0 < i < len(text)) where a line may end between two words of ``text``."""
    out: set[int] = set()
    at = 0
    for word in words(text):
        at += len(word)
        out.add(at)
    out.discard(len(text))
    return frozenset(out)


def longest_word(text: str) -> str:
    """The longest word of ``text`` (Chinese words; a run without Chinese counts as one)."""
    return max((w for line in text.split("\n") for w in words(line)), key=len, default="")

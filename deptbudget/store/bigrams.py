"""The index of one- and two-character words (issue 15): 科, 学校, 预算 — the common length of a
Chinese word, which a trigram index cannot serve.

Every published budget's searched text gives its **grams**: each character and each pair of adjacent
characters within a run of letters and digits (lower case), each once, in the order first seen,
separated by spaces (``published_search.search_grams``). A word of one or two letters or digits occurs
in the text exactly when it is one of its grams, so a search looks it up as a whole token: SQLite FTS5
(``published_search_grams``, the unicode61 tokenizer: a gram is one token) and PostgreSQL
(``string_to_array(search_grams, ' ') @> ARRAY[…]`` with a GIN index on that expression). A short word
with other characters (``%``, ``-1``) is still matched with ``LIKE``.
"""

from __future__ import annotations

import re

MAX_GRAM = 2
_RUN = re.compile(r"[^\W_]+")  # letters and digits (any script), no underscore


def grams(text: str) -> str:
    """The distinct characters and adjacent pairs of the letter-and-digit runs of ``text``, lower case,
    space-separated."""
    seen: dict[str, None] = {}
    for run in _RUN.findall(text.lower()):
        for at, char in enumerate(run):
            seen.setdefault(char, None)
            if at + 1 < len(run):
                seen.setdefault(run[at:at + 2], None)
    return " ".join(seen)


def is_gram(term: str) -> bool:
    """A search term the gram index answers: one or two letters or digits."""
    return 0 < len(term) <= MAX_GRAM and _RUN.fullmatch(term) is not None

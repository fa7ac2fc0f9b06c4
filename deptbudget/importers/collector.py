"""Python's cyclic garbage collector paused while a document is read.

Reading a PDF allocates millions of small objects (pdfminer's layout items, pdfplumber's object dicts, tokens,
cells) that live until the document is read. The collector counts allocations and, every few hundred, walks the
young objects — and every so often all of them, a walk that grows with the document: a third of the CPU time of
importing a 64-page PDF with ruled tables went there, to find almost nothing (what is read is in use until the end).
``paused()`` turns the collector off for the duration and back on after, so the objects left over are collected
once, by the next collection. Re-entrant and safe across threads: the collector is off while any reading is under
way and on again after the last one — unless it was off before the first (then it stays off).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """The collector off inside (reference counting still frees what is no longer used), as it was after."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()

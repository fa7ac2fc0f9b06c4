"""Loading a workbook without styling its merged cells' borders.

openpyxl, loading a workbook to edit it, gives every cell a merged range covers the border of the range's
first cell (``MergedCellRange.format``): each border is looked up in the workbook's style list by comparing it
with every border already there, which for a budget workbook of a few hundred merged ranges is more than half
of the CPU of reading it. The importers read values, number formats and the ranges themselves, never borders;
inside ``borders_of_merged_cells_skipped()`` the styling is skipped — the cells, values, ranges and the extent of
each sheet are as openpyxl loads them otherwise. Only the loads inside the block (this thread, this task) skip
it; every other load of the process is left as openpyxl makes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_SKIP: ContextVar[bool] = ContextVar("deptbudget_skip_merged_borders", default=False)
_installed = False


def _install() -> None:
    global _installed
    if _installed:
        return
    from openpyxl.worksheet.merge import MergedCellRange

    original = MergedCellRange.format

    def format_unless_skipped(self: Any) -> None:
        if not _SKIP.get():
            original(self)

    MergedCellRange.format = format_unless_skipped  # type: ignore[method-assign]
    _installed = True


@contextmanager
def borders_of_merged_cells_skipped() -> Iterator[None]:
    _install()
    token = _SKIP.set(True)
    try:
        yield
    finally:
        _SKIP.reset(token)

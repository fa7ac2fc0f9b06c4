"""Loading a workbook without styling its merged cells' borders.

openpyxl, loading a workbook to edit it, gives the first cell of a merged range the bottom and right border of
its last (``MergedCellRange._get_borders``) and every cell the range covers the first cell's border
(``MergedCellRange.format``): each border is looked up in the workbook's style list by comparing it with every
border already there, which for a budget workbook of a few hundred merged ranges is more than half of the CPU
of reading it. The importers read values, number formats and the ranges themselves, never borders;
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

    original_format, original_borders = MergedCellRange.format, MergedCellRange._get_borders

    def format_unless_skipped(self: Any) -> None:
        if not _SKIP.get():
            original_format(self)

    def borders_unless_skipped(self: Any) -> None:
        if not _SKIP.get():
            original_borders(self)
            return
        # the first cell, created if missing, as openpyxl does — without the border
        self.start_cell = self.ws._cells.get((self.min_row, self.min_col)) or self.ws.cell(self.min_row, self.min_col)

    MergedCellRange.format = format_unless_skipped  # type: ignore[method-assign]
    MergedCellRange._get_borders = borders_unless_skipped  # type: ignore[method-assign]
    _installed = True


@contextmanager
def borders_of_merged_cells_skipped() -> Iterator[None]:
    _install()
    token = _SKIP.set(True)
    try:
        yield
    finally:
        _SKIP.reset(token)

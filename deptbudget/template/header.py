"""Printed header trees: rows of cells that may span columns and rows, placed on a grid."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from deptbudget.model.disclosure import HeaderCell


@dataclass(frozen=True)
class HeaderSpec:
    """One printed header cell: its text (``{year}`` is the fiscal year) and its spans."""

    text: str
    colspan: int = 1
    rowspan: int = 1

    @classmethod
    def parse(cls, data: Any) -> HeaderSpec:
        """``"项目"`` or ``[text, colspan, rowspan]``."""
        if isinstance(data, str):
            return cls(data)
        if isinstance(data, list) and len(data) == 3 and all(isinstance(n, int) and n > 0 for n in data[1:]):
            return cls(str(data[0]), data[1], data[2])
        raise ValueError(f"表头单元格应为文字或 [文字, 列数, 行数] (expected text or [text, colspan, rowspan]): "
                         f"{data!r}")


def layout_header(rows: tuple[tuple[HeaderSpec, ...], ...], year: int) -> list[list[HeaderCell]]:
    """Place header cells on a grid like HTML does: each cell takes the next free column."""
    occupied: set[tuple[int, int]] = set()
    out: list[list[HeaderCell]] = []
    for r, row in enumerate(rows):
        placed: list[HeaderCell] = []
        c = 0
        for spec in row:
            while (r, c) in occupied:
                c += 1
            placed.append(HeaderCell(spec.text.replace("{year}", str(year)), r, c, spec.rowspan, spec.colspan))
            for dr in range(spec.rowspan):
                for dc in range(spec.colspan):
                    occupied.add((r + dr, c + dc))
            c += spec.colspan
        out.append(placed)
    return out

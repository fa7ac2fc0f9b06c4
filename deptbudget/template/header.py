"""Printed header trees: ``[text, colspan, rowspan]`` specs placed on a grid."""

from __future__ import annotations

from typing import Any

from deptbudget.model.disclosure import HeaderCell


def layout_header(rows: tuple[tuple[Any, ...], ...], year: int) -> list[list[HeaderCell]]:
    """Place header cells on a grid like HTML does: each cell takes the next free column."""
    occupied: set[tuple[int, int]] = set()
    out: list[list[HeaderCell]] = []
    for r, row in enumerate(rows):
        placed: list[HeaderCell] = []
        c = 0
        for spec in row:
            text, colspan, rowspan = (spec, 1, 1) if isinstance(spec, str) else tuple(spec)
            while (r, c) in occupied:
                c += 1
            placed.append(HeaderCell(str(text).replace("{year}", str(year)), r, c, rowspan, colspan))
            for dr in range(rowspan):
                for dc in range(colspan):
                    occupied.add((r + dr, c + dc))
            c += colspan
        out.append(placed)
    return out

"""A table continued over pages under its repeated title, and titles read from a contents list.

Many documents print a table's number and title again at the top of each page it runs onto
(``公开表2 收入总体情况表`` on two pages): the second block is the rest of the first, not a second
table. A title with no figures under it that comes back later with its table is an entry of a
contents list read as a title; it is no table. Form tables (one 绩效目标表 per project) repeat
their title for each instance and are left as they are.
"""

from __future__ import annotations

from collections.abc import Callable

from deptbudget.importers.amounts import looks_like_amount
from deptbudget.importers.segment import Block
from deptbudget.importers.source import squash


def _has_figures(block: Block) -> bool:
    return any(looks_like_amount(text) for line in block.lines for _, text in line.filled)


def _same_table(a: Block, b: Block) -> bool:
    return a.title.number == b.title.number and squash(a.title.title) == squash(b.title.title)


def join_continued(blocks: list[Block], is_form: Callable[[Block], bool]) -> list[Block]:
    """The blocks with each repeated-title continuation appended to the block it continues, and
    blocks without figures whose table follows later dropped."""
    out: list[Block] = []
    for index, block in enumerate(blocks):
        if not _has_figures(block) and any(_same_table(block, later) and (_has_figures(later) or
                                                                         len(later.lines) > len(block.lines))
                                           for later in blocks[index + 1:]):
            continue
        if out and block.lines and out[-1].lines and _same_table(out[-1], block) and not is_form(block):
            out[-1].lines.extend(block.lines)
            continue
        out.append(block)
    return out

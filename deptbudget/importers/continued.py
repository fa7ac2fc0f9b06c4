"""A table continued over pages under its repeated title, and titles read from a contents list.

Many documents print a table's number and title again at the top of each page it runs onto
(``公开表2 收入总体情况表`` on two pages): the second block is the rest of the first, not a second
table. A title with no figures under it that comes back later with its table is an entry of a
contents list read as a title; it is no table. Form tables (one 绩效目标表 per project) repeat
their title for each instance and are left as they are; a title with nothing under it right over
a form of the same table (``1.项目支出绩效目标表`` over ``某某项目绩效目标表``) is the heading over the
forms, not a form.
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


def _heading_over_forms(block: Block, following: Block | None, is_form: Callable[[Block], bool],
                         spec_of: Callable[[Block], str | None]) -> bool:
    return (not block.lines and following is not None and bool(following.lines) and is_form(block)
            and spec_of(block) == spec_of(following))


def join_continued(blocks: list[Block], is_form: Callable[[Block], bool],
                   spec_of: Callable[[Block], str | None] = lambda block: None) -> list[Block]:
    """The blocks with each repeated-title continuation appended to the block it continues, and
    blocks without figures whose table follows later dropped, as is an empty heading over forms of
    the table it names (``spec_of``: the template table a block's title names)."""
    out: list[Block] = []
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if _heading_over_forms(block, following, is_form, spec_of):
            continue
        if not _has_figures(block) and any(_same_table(block, later) and (_has_figures(later) or
                                                                         len(later.lines) > len(block.lines))
                                           for later in blocks[index + 1:]):
            continue
        if out and block.lines and out[-1].lines and _same_table(out[-1], block) and not is_form(block):
            out[-1] = Block(out[-1].title, out[-1].lines + block.lines)  # the blocks given stay as they were
            continue
        out.append(block)
    return out

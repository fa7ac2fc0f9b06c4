"""Paging of every list (the portal index, search results, the work list, the audit log, the
administrator's list of accounts): a page of at most ``MAX_PAGE_SIZE`` rows, counted in the
database and fetched with LIMIT/OFFSET, and the links to the other pages (``_pager.html``:
上一页 / 下一页, 第 N 页/共 M 页)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from deptbudget.web.context import bounded_int

MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Page:
    """Page ``number`` (from 1) of ``size`` rows out of ``total``; ``items`` the rows shown."""

    items: list[Any]
    number: int
    size: int
    total: int
    path: str = ""
    params: tuple[tuple[str, str], ...] = ()
    param: str = "page"  # the query parameter naming the page (two lists on one page use two)
    fragment: str = ""  # e.g. "#audit": the link goes to the list

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first_index(self) -> int:
        """The position (from 1) of the page's first row in the whole list."""
        return (self.number - 1) * self.size + 1

    def url(self, number: int) -> str:
        """The address of page ``number``, keeping the list's other query parameters."""
        params = [(k, v) for k, v in self.params if k != self.param and v != ""]
        if number > 1:
            params.append((self.param, str(number)))
        return self.path + ("?" + urlencode(params) if params else "") + self.fragment


def page_number(value: str | None) -> int:
    """A ``page=`` query parameter: 1 when absent or not a page number."""
    return bounded_int(value, 1, MAX_PAGE) or 1


def page_size(value: str | None, default: int) -> int:
    """A ``size=`` query parameter (``default`` when absent or not a number), capped at ``MAX_PAGE_SIZE``."""
    number = bounded_int(value, 1)
    return min(number or default, MAX_PAGE_SIZE)


def paginate(db: Session, query: Select, number: int, size: int, path: str = "",
             params: Mapping[str, str] | None = None, param: str = "page", fragment: str = "") -> Page:
    """Page ``number`` of ``query`` (a page past the end shows the last page)."""
    size = min(max(size, 1), MAX_PAGE_SIZE)
    total = db.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    number = min(max(number, 1), max(1, -(-total // size)))
    limited = query.limit(size).offset((number - 1) * size)
    items = list(db.scalars(limited))
    return Page(items, number, size, total, path, tuple((params or {}).items()), param, fragment)


def page_of_list(items: list[Any], number: int, size: int, path: str = "",
                 params: Mapping[str, str] | None = None) -> Page:
    """Page ``number`` of a list already in memory (a list filtered by permissions in Python)."""
    size = min(max(size, 1), MAX_PAGE_SIZE)
    number = min(max(number, 1), max(1, -(-len(items) // size)))
    start = (number - 1) * size
    return Page(items[start:start + size], number, size, len(items), path, tuple((params or {}).items()))

"""The one cache class of the web layer: a thread-safe LRU map, optionally with a time to live.

It holds the checked budgets (``services``), the parsed 绩效 targets (``perf_targets``), the filled
review checklists (``review_services``) and the public pages (``PublicCache``). Published versions
never change, so a page rendered for a version id is valid forever; only "which version is the
newest" changes, on publication, and that map is cleared then (and expires after ``ttl`` seconds in
case another process published)."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from threading import Lock
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
_MISSING: Any = object()


class LRUCache(Generic[K, V]):
    """At most ``size`` entries (None: no bound), the least recently used dropped first; an entry
    older than ``ttl`` seconds (None: never) counts as absent."""

    def __init__(self, size: int | None, ttl: float | None = None) -> None:
        self.size, self.ttl = size, ttl
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._lock = Lock()

    def lookup(self, key: K) -> tuple[bool, V | None]:
        """(found, value): a stored value may itself be None."""
        with self._lock:
            hit = self._entries.get(key, _MISSING)
            if hit is _MISSING:
                return False, None
            if self.ttl is not None and time.monotonic() - hit[0] > self.ttl:
                return False, None
            self._entries.move_to_end(key)
            return True, hit[1]

    def get(self, key: K) -> V | None:
        return self.lookup(key)[1]

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic(), value)
            self._entries.move_to_end(key)
            while self.size is not None and len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        """The cached value, else ``make()`` (run outside the lock) stored and returned."""
        found, value = self.lookup(key)
        if found:
            return value  # type: ignore[return-value]
        value = make()
        self.put(key, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


class KeyLocks:
    """One lock per key, kept while someone holds it or waits for it: work wanted by several at once
    (the same page) is done once, while work for other keys goes on beside it."""

    def __init__(self) -> None:
        self._guard = Lock()
        self._locks: dict[Hashable, list[Any]] = {}  # key → [its lock, how many hold or wait for it]

    @contextmanager
    def hold(self, key: Hashable) -> Iterator[None]:
        with self._guard:
            entry = self._locks.setdefault(key, [Lock(), 0])
            entry[1] += 1
        try:
            with entry[0]:
                yield
        finally:
            with self._guard:
                entry[1] -= 1
                if not entry[1]:
                    del self._locks[key]

    def __len__(self) -> int:
        return len(self._locks)


class PublicCache:
    """The public disclosure pages by version, the newest version of each (year, unit, number), and
    the budgets a search found (its terms and year → their ids in order: a search of one or two
    characters scans the search table, so a repeated one is answered from here; kept ``search_ttl``
    seconds, cleared on publication)."""

    def __init__(self, size: int = 256, ttl: float = 5.0, search_ttl: float = 30.0) -> None:
        self.pages: LRUCache[Any, Any] = LRUCache(size)
        self.newest: LRUCache[Any, Any] = LRUCache(None, ttl)
        self.searches: LRUCache[Any, list[int]] = LRUCache(512, search_ttl)
        self.facets: LRUCache[str, Any] = LRUCache(4, search_ttl)  # the portal's years and departments
        self.listings: LRUCache[Any, bytes] = LRUCache(size, search_ttl)  # index and search pages (anonymous)
        self._searching = Lock()
        self.making = KeyLocks()  # held for a page while an anonymous portal or search page is made (``routes_public``)

    def page(self, key: Any) -> Any:
        return self.pages.get(key)

    def put_page(self, key: Any, value: Any) -> None:
        self.pages.put(key, value)

    def latest(self, key: Any) -> Any:
        return self.newest.get(key)

    def put_latest(self, key: Any, value: Any) -> None:
        self.newest.put(key, value)

    def found(self, key: Any, search: Callable[[], list[int]]) -> list[int]:
        """The ids a search found, from the cache or ``search()`` run and kept. Searches run one at a
        time, so that visitors asking the same (a slow short word) wait for one search, not make many."""
        found, ids = self.searches.lookup(key)
        if found:
            return ids  # type: ignore[return-value]
        with self._searching:
            return self.searches.get_or_make(key, search)

    def facet(self, name: str, make: Callable[[], Any]) -> Any:
        """A list the portal shows on every page (the years, the departments), from the cache or made."""
        return self.facets.get_or_make(name, make)

    def published(self) -> None:
        """A version was published: forget which versions are the newest, what searches found and
        the portal's years and departments."""
        self.newest.clear()
        self.searches.clear()
        self.facets.clear()
        self.listings.clear()

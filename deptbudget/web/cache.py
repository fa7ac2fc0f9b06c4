"""In-process cache of published pages. Published versions never change, so a page rendered for
a version id is valid forever; only "which version is the newest" changes, on publication, and
that map is cleared then (and expires after ``ttl`` seconds in case another process published)."""

from __future__ import annotations

import time
from collections import OrderedDict
from threading import Lock
from typing import Any


class PublicCache:
    def __init__(self, size: int = 256, ttl: float = 5.0) -> None:
        self.size, self.ttl = size, ttl
        self._pages: OrderedDict[Any, Any] = OrderedDict()
        self._latest: dict[Any, tuple[float, Any]] = {}
        self._lock = Lock()

    def page(self, key: Any) -> Any:
        with self._lock:
            value = self._pages.get(key)
            if value is not None:
                self._pages.move_to_end(key)
            return value

    def put_page(self, key: Any, value: Any) -> None:
        with self._lock:
            self._pages[key] = value
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def latest(self, key: Any) -> Any:
        with self._lock:
            hit = self._latest.get(key)
            if hit is None or time.monotonic() - hit[0] > self.ttl:
                return None
            return hit[1]

    def put_latest(self, key: Any, value: Any) -> None:
        with self._lock:
            self._latest[key] = (time.monotonic(), value)

    def published(self) -> None:
        """A version was published: forget which versions are the newest."""
        with self._lock:
            self._latest.clear()

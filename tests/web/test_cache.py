"""The web layer's one cache class (``LRUCache``), the public page cache built on it and the locks
of the pages being made (``KeyLocks``)."""

from __future__ import annotations

import threading
import time

from deptbudget.web.cache import KeyLocks, LRUCache, PublicCache


def test_lru_drops_the_least_recently_used() -> None:
    cache: LRUCache[str, int] = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" used: "b" is now the oldest
    cache.put("c", 3)
    assert (cache.lookup("a"), cache.lookup("b"), cache.lookup("c")) == ((True, 1), (False, None), (True, 3))
    assert len(cache) == 2


def test_lru_keeps_a_stored_none_and_makes_a_value_once() -> None:
    cache: LRUCache[str, int | None] = LRUCache(4)
    calls: list[str] = []

    def make() -> None:
        calls.append("made")
        return None

    assert cache.get_or_make("k", make) is None
    assert cache.get_or_make("k", make) is None
    assert calls == ["made"]
    assert cache.lookup("k") == (True, None)


def test_lru_without_bound_and_with_time_to_live() -> None:
    cache: LRUCache[int, int] = LRUCache(None, ttl=1.0)  # room for a slow machine between put and get
    for n in range(1000):
        cache.put(n, n)
    assert len(cache) == 1000 and cache.get(0) == 0
    time.sleep(1.1)
    assert cache.lookup(0) == (False, None)
    cache.clear()
    assert len(cache) == 0


def test_an_exception_is_not_cached() -> None:
    cache: LRUCache[str, int] = LRUCache(2)

    def fail() -> int:
        raise ValueError("no")

    for _ in range(2):
        try:
            cache.get_or_make("k", fail)
        except ValueError:
            pass
    assert cache.lookup("k") == (False, None)


def test_publication_forgets_the_newest_versions_but_keeps_pages() -> None:
    cache = PublicCache(size=1)
    cache.put_latest((2020, "A001", None), 7)
    cache.put_page((7, "A001"), b"page 7")
    cache.put_page((8, "A001"), b"page 8")
    assert cache.page((7, "A001")) is None and cache.page((8, "A001")) == b"page 8"
    assert cache.latest((2020, "A001", None)) == 7
    cache.published()
    assert cache.latest((2020, "A001", None)) is None
    assert cache.page((8, "A001")) == b"page 8"


def test_key_locks_let_other_keys_go_on_and_hold_one_key_for_one() -> None:
    locks = KeyLocks()
    entered = threading.Event()
    release = threading.Event()
    order: list[str] = []

    def slow(key: str) -> None:
        with locks.hold(key):
            order.append(f"{key} in")
            entered.set()
            release.wait(5)
            order.append(f"{key} out")

    first = threading.Thread(target=slow, args=("a",))
    first.start()
    assert entered.wait(5)
    with locks.hold("b"):  # another page is made beside the slow one
        order.append("b")
    def again() -> None:
        with locks.hold("a"):
            order.append("a again")

    same = threading.Thread(target=again)
    same.start()
    same.join(0.2)
    assert same.is_alive() and "a again" not in order  # the same page waits for the first copy
    release.set()
    first.join(5)
    same.join(5)
    assert order == ["a in", "b", "a out", "a again"]
    assert len(locks) == 0  # a key's lock is dropped when no one holds or waits for it

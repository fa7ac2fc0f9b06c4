"""Password hashing off the threads that serve pages (issue 15).

An argon2id hash or verification costs ≈ 130–200 ms of CPU and 64 MiB. Run on the request threads,
a burst of 50 logins made 50 of them hash at once: both cores busy, every other request waiting
seconds. Here they take turns on a small dedicated pool instead:

- ``threads`` threads (1 by default) do the hashing; argon2-cffi releases the GIL while it hashes,
  so the event loop and the request threads go on meanwhile, and the pool's threads run at a lower
  scheduling priority (``nice``, Linux: per thread) so that on a busy machine the pages come first
  and a login waits a little longer instead;
- at most ``queue_limit`` more wait for a thread; one more is refused at once with ``PasswordsBusy``
  (the login page says 系统繁忙，请稍后再试, 503) rather than queueing without end;
- ``run`` is awaited by the async login handler, which holds no thread and no database connection
  while it waits; ``call`` is for the plain ``def`` handlers (password change, administrator's reset).
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
BUSY = "登录的人太多，系统繁忙，请稍后再试（几秒钟后重新登录即可）。"


class PasswordsBusy(Exception):
    """The password pool's queue is full: try again in a few seconds."""


def lower_priority(nice: int) -> None:
    """This thread's scheduling priority lowered by ``nice`` (Linux: the nice value is per thread;
    threads argon2 starts for its lanes inherit it). Elsewhere, or when not allowed, it stays."""
    if nice <= 0 or not hasattr(os, "setpriority"):
        return
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), min(19, os.getpriority(os.PRIO_PROCESS, 0) + nice))
    except OSError:  # pragma: no cover - not permitted: the default priority
        log.debug("could not lower the priority of the password thread")


class PasswordPool:
    """A bounded pool for password hashing and verification (``app.state.passwords``)."""

    def __init__(self, threads: int = 1, queue_limit: int = 64, nice: int = 10) -> None:
        self.threads, self.queue_limit = max(1, threads), max(0, queue_limit)
        self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="deptbudget-password",
                                            initializer=lower_priority, initargs=(nice,))
        self._lock = threading.Lock()
        self._in_hand = 0  # running + waiting

    @property
    def in_hand(self) -> int:
        """How many hashings are running or waiting."""
        with self._lock:
            return self._in_hand

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """``fn(*args)`` on the pool; ``PasswordsBusy`` at once when ``threads + queue_limit`` are in hand."""
        with self._lock:
            if self._in_hand >= self.threads + self.queue_limit:
                raise PasswordsBusy(BUSY)
            self._in_hand += 1
        try:
            future = self._executor.submit(fn, *args)
        except BaseException:
            self._release(None)
            raise
        future.add_done_callback(self._release)
        return future

    def _release(self, _future: Future[Any] | None) -> None:
        with self._lock:
            self._in_hand -= 1

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on the pool, awaited (the event loop and the request threads stay free)."""
        return await asyncio.wrap_future(self.submit(fn, *args))

    def call(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on the pool, waited for on this thread (plain ``def`` handlers)."""
        return self.submit(fn, *args).result()

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

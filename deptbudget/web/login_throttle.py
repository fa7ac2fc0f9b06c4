"""Login throttling (issue 15, 等保2.0 登录失败处理): failed logins are counted per account and per
address. After ``free`` failures of an account (``address_free`` from an address: an office behind
one NAT address shares it), each further attempt on that account or from that address must wait a
delay that doubles with every failure (1 s, 2 s, 4 s … up to ``longest``). An attempt made before
its time is refused at once — the right password included — without checking the password, so a
guesser gets a few tries a minute instead of several a second, and no server thread is put to
sleep. A success clears the account's count (the address keeps its own).

The counts live in the database (``DatabaseStore``, table ``login_failures``: every worker process
shares them; the application's throttle) or in memory (``MemoryStore``, at most ``max_keys`` keys);
they are forgotten after ``forget`` seconds without a failure. Across processes the clock is the
wall clock (seconds since the epoch)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from deptbudget.store.models import LoginFailure


@dataclass
class _Failures:
    count: int = 0
    last: float = 0.0
    blocked_until: float = 0.0


@dataclass(frozen=True)
class Verdict:
    """Whether an attempt may go ahead now, and otherwise how long to wait and which key refused it."""

    allowed: bool
    wait: float = 0.0
    key: str = ""


class Counts(Protocol):
    """The failure counts of one batch of reads and writes (under a lock, or in a transaction)."""

    def get(self, key: str) -> _Failures | None: ...

    def put(self, key: str, entry: _Failures) -> None: ...

    def remove(self, key: str) -> None: ...

    def forget_before(self, moment: float) -> None: ...


class MemoryStore:
    """The counts in this process's memory (tests; a single worker)."""

    def __init__(self, max_keys: int = 100_000) -> None:
        self.max_keys = max_keys
        self._keys: OrderedDict[str, _Failures] = OrderedDict()
        self._lock = threading.Lock()

    @contextmanager
    def batch(self) -> Iterator[Counts]:
        with self._lock:
            yield self

    def get(self, key: str) -> _Failures | None:
        return self._keys.get(key)

    def put(self, key: str, entry: _Failures) -> None:
        self._keys.pop(key, None)
        self._keys[key] = entry
        while len(self._keys) > self.max_keys:
            self._keys.popitem(last=False)

    def remove(self, key: str) -> None:
        self._keys.pop(key, None)

    def forget_before(self, moment: float) -> None:
        pass  # an entry too old is reset when read; the size is bounded by max_keys


class _Rows:
    def __init__(self, db: Session) -> None:
        self.db = db

    def get(self, key: str) -> _Failures | None:
        row = self.db.get(LoginFailure, key)
        return _Failures(row.count, row.last, row.blocked_until) if row is not None else None

    def put(self, key: str, entry: _Failures) -> None:
        row = self.db.get(LoginFailure, key) or LoginFailure(key=key)
        row.count, row.last, row.blocked_until = entry.count, entry.last, entry.blocked_until
        self.db.add(row)

    def remove(self, key: str) -> None:
        self.db.execute(delete(LoginFailure).where(LoginFailure.key == key))

    def forget_before(self, moment: float) -> None:
        self.db.execute(delete(LoginFailure).where(LoginFailure.last < moment))


class DatabaseStore:
    """The counts in the table ``login_failures``, shared by every worker process. Two workers
    counting the same key at the same instant may lose one failure (the second insert is dropped)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    @contextmanager
    def batch(self) -> Iterator[Counts]:
        with self.sessions() as db:
            try:
                with db.begin():
                    yield _Rows(db)
            except IntegrityError:  # another worker inserted the same key first
                pass


class LoginThrottle:
    def __init__(self, free: int = 5, address_free: int = 20, longest: float = 900.0, forget: float = 3600.0,
                 max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic,
                 store: Any = None) -> None:
        self.free, self.address_free, self.longest, self.forget = free, address_free, longest, forget
        self.clock = clock
        self.store = store if store is not None else MemoryStore(max_keys)

    @classmethod
    def in_database(cls, sessions: sessionmaker[Session]) -> LoginThrottle:
        """The application's throttle: counts in the database, by the wall clock."""
        return cls(clock=time.time, store=DatabaseStore(sessions))

    @staticmethod
    def keys(username: str, address: str) -> tuple[str, str]:
        return f"账户 {username.strip().lower()[:64]}", f"地址 {address[:64]}"

    def check(self, username: str, address: str) -> Verdict:
        """May this attempt go ahead now?"""
        now = self.clock()
        with self.store.batch() as counts:
            for key in self.keys(username, address):
                entry = counts.get(key)
                if entry is not None and entry.blocked_until > now:
                    return Verdict(False, entry.blocked_until - now, key)
        return Verdict(True)

    def failed(self, username: str, address: str) -> list[str]:
        """Count a failure; returns the keys that have just become throttled (to be audited)."""
        now = self.clock()
        started = []
        with self.store.batch() as counts:
            counts.forget_before(now - self.forget)
            for key, free in zip(self.keys(username, address), (self.free, self.address_free), strict=True):
                entry = counts.get(key) or _Failures()
                if now - entry.last > self.forget:
                    entry = _Failures()
                entry.count += 1
                entry.last = now
                if entry.count >= free:
                    entry.blocked_until = now + min(2.0 ** (entry.count - free), self.longest)
                    if entry.count == free:
                        started.append(key)
                counts.put(key, entry)
        return started

    def succeeded(self, username: str) -> None:
        with self.store.batch() as counts:
            counts.remove(self.keys(username, "")[0])

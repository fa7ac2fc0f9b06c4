"""Login throttling (issue 15, 等保2.0 登录失败处理): failed logins are counted per account and per
address. After ``free`` failures of an account (``address_free`` from an address: an office behind
one NAT address shares it), each further attempt on that account or from that address must wait a
delay that doubles with every failure (1 s, 2 s, 4 s … up to ``longest``). An attempt made before
its time is refused at once — the right password included — without checking the password, so a
guesser gets a few tries a minute instead of several a second, and no server thread is put to
sleep. A success clears the account's count (the address keeps its own).

The counts live in the server process (``deptbudget serve`` runs one worker); they are forgotten
after ``forget`` seconds without a failure, and at most ``max_keys`` keys are kept."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


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


class LoginThrottle:
    def __init__(self, free: int = 5, address_free: int = 20, longest: float = 900.0, forget: float = 3600.0,
                 max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.free, self.address_free, self.longest, self.forget = free, address_free, longest, forget
        self.max_keys = max_keys
        self.clock = clock
        self._keys: OrderedDict[str, _Failures] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def keys(username: str, address: str) -> tuple[str, str]:
        return f"账户 {username.strip().lower()[:64]}", f"地址 {address[:64]}"

    def check(self, username: str, address: str) -> Verdict:
        """May this attempt go ahead now?"""
        now = self.clock()
        with self._lock:
            for key in self.keys(username, address):
                entry = self._keys.get(key)
                if entry is not None and entry.blocked_until > now:
                    return Verdict(False, entry.blocked_until - now, key)
        return Verdict(True)

    def failed(self, username: str, address: str) -> list[str]:
        """Count a failure; returns the keys that have just become throttled (to be audited)."""
        now = self.clock()
        started = []
        with self._lock:
            for key, free in zip(self.keys(username, address), (self.free, self.address_free), strict=True):
                entry = self._keys.pop(key, None) or _Failures()
                if now - entry.last > self.forget:
                    entry = _Failures()
                entry.count += 1
                entry.last = now
                if entry.count >= free:
                    entry.blocked_until = now + min(2.0 ** (entry.count - free), self.longest)
                    if entry.count == free:
                        started.append(key)
                self._keys[key] = entry
            while len(self._keys) > self.max_keys:
                self._keys.popitem(last=False)
        return started

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._keys.pop(self.keys(username, "")[0], None)

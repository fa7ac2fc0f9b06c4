"""The progress bar on stderr, in Chinese: documents done of all, percent, elapsed, time left, unreadable.

On a terminal the bar is redrawn in place; otherwise (a log file) a line is written every ``every`` seconds
and at the end.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60:02d}:{rest % 60:02d}"


class Progress:
    def __init__(self, total: int, already: int = 0, stream: TextIO | None = None, every: float = 10.0) -> None:
        self.total = total
        self.already = already
        self.done = 0
        self.unreadable = 0
        self.pages = 0
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.every = every
        self.started = time.monotonic()
        self._shown = 0.0

    def line(self, width: int = 24) -> str:
        count = self.already + self.done
        share = count / self.total if self.total else 1.0
        filled = int(share * width)
        elapsed = time.monotonic() - self.started
        todo = self.total - count
        left = f"预计剩余 {_clock(elapsed / self.done * todo)}" if self.done and todo else "预计剩余 —"
        return (f"审核 {count}/{self.total} [{'█' * filled}{'░' * (width - filled)}] {share * 100:3.0f}% "
                f"已用 {_clock(elapsed)} {left} 页 {self.pages} 无法读取 {self.unreadable}")

    def update(self, row: dict[str, Any]) -> None:
        """One document done (its row of documents.parquet; two files read as one count as two)."""
        self.done += 1 + len((row.get("paired_with") or "").split(" + ")) if row.get("paired_with") else 1
        self.pages += row.get("pages") or 0
        self.unreadable += 1 if row.get("template") is None else 0
        now = time.monotonic()
        if self.tty:
            print(f"\r{self.line()}", end="", file=self.stream, flush=True)
        elif now - self._shown >= self.every:
            print(self.line(), file=self.stream, flush=True)
            self._shown = now

    def close(self) -> None:
        print(f"\r{self.line()}" if self.tty else self.line(), file=self.stream, flush=True)

"""``collector.paused``: the cyclic collector off while documents are read, as it was after — nested, across
threads, on errors; ``import_document`` reads with it paused."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from deptbudget.importers import import_document
from deptbudget.importers.collector import paused
from deptbudget.importers.errors import ImportFailedError


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_off_inside_and_on_after_nested_and_on_errors() -> None:
    with paused():
        assert not gc.isenabled()
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer reading is still under way
    assert gc.isenabled()
    with pytest.raises(ValueError), paused():
        raise ValueError
    assert gc.isenabled()


def test_left_off_when_it_was_off() -> None:
    gc.disable()
    with paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_on_again_after_the_last_of_several_threads() -> None:
    inside, release = threading.Barrier(3), threading.Event()

    def read() -> None:
        with paused():
            inside.wait()
            release.wait()

    threads = [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    inside.wait()
    assert not gc.isenabled()
    release.set()
    for thread in threads:
        thread.join()
    assert gc.isenabled()


def test_import_document_reads_with_the_collector_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    import deptbudget.importers as importers

    seen = []

    def reader(path: str | Path) -> object:
        seen.append(gc.isenabled())
        raise RuntimeError("stop")

    monkeypatch.setattr(importers, "reader_for", lambda fmt: reader)
    with pytest.raises(ImportFailedError):
        import_document(Path(__file__).parents[1] / "fixtures" / "luohu-2020-as-published.txt")
    assert seen == [False] and gc.isenabled()

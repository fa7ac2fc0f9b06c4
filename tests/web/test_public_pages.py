"""The pages of the budgets published last are made when a server starts (web/public_pages.warm_newest):
the first visitors after a restart are served from memory instead of each waiting for a render."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from deptbudget.store.models import utcnow
from deptbudget.web import public_pages
from tests.web.conftest import World
from tests.web.published import add_published

YEAR = 2026


@pytest.fixture
def restore_collector() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.unfreeze()  # a started app settles the collector (web/app.settle_collector)
    gc.set_threshold(*before)


def _publish(world: World, count: int) -> list[str]:
    """``count`` budgets published one minute apart (the last the newest); their unit codes in that order."""
    start = utcnow() - timedelta(hours=1)
    codes = [f"W{n:03d}" for n in range(count)]
    with world.factory() as session, session.begin():
        for n, code in enumerate(codes):
            add_published(session, code, f"测试单位{n}", YEAR, "预算", at=start + timedelta(minutes=n))
        add_published(session, codes[0], "测试单位0", YEAR, "预算更正", number=2, at=start + timedelta(minutes=count))
    return codes


def _cached(app, code: str) -> bool:  # type: ignore[no-untyped-def]
    cache = app.state.public_cache
    key = public_pages.page_key(cache, YEAR, code, None)
    return key is not None and cache.page(key) is not None


def test_a_starting_server_makes_the_newest_pages(app, world: World, restore_collector) -> None:  # type: ignore[no-untyped-def]
    codes = _publish(world, public_pages.WARM_PAGES + 5)
    newest = [codes[0], *codes[::-1][: public_pages.WARM_PAGES - 1]]  # codes[0]'s correction is the newest of all
    with TestClient(app) as client:
        assert all(_cached(app, code) for code in newest)
        assert not any(_cached(app, code) for code in codes if code not in newest)
        page = client.get(f"/budgets/{YEAR}/{codes[0]}")
        assert page.status_code == 200 and "第 2 版" in page.text  # the newest version's page, as a visitor gets it


def test_a_page_that_cannot_be_made_is_left_to_its_visitor(app, world: World, monkeypatch,  # type: ignore[no-untyped-def]
                                                           restore_collector) -> None:
    codes = _publish(world, 3)
    made = public_pages.cached_page

    def failing(app_state, year, unit_code, number):  # type: ignore[no-untyped-def]
        if unit_code == codes[1]:
            raise RuntimeError("损坏的页面")
        return made(app_state, year, unit_code, number)

    monkeypatch.setattr(public_pages, "cached_page", failing)
    with TestClient(app):  # the server starts all the same
        assert _cached(app, codes[0]) and _cached(app, codes[2]) and not _cached(app, codes[1])


def test_at_most_the_time_allowed(app, world: World) -> None:  # type: ignore[no-untyped-def]
    codes = _publish(world, 3)
    assert public_pages.warm_newest(app.state, seconds=-1) == 0  # the time is up before the first page
    assert not any(_cached(app, code) for code in codes)
    assert public_pages.warm_newest(app.state, count=2) == 2

"""Times are stored in UTC and shown in the locality's time zone, labelled: a version published at
17:00 UTC is shown with the next day's date in Beijing (公开日期), on the portal, the search results,
the version history and the checklist's 公开日期; another zone may be configured."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from deptbudget.web import times
from deptbudget.web.app import Settings, create_app
from tests.web.conftest import Client
from tests.web.published import add_published

AT = datetime(2021, 3, 1, 17, 0)  # UTC: 2021-03-02 01:00 in Beijing


def _publish(world) -> None:  # type: ignore[no-untyped-def]
    with world.factory() as session, session.begin():
        add_published(session, "T001", "时区测试局", 2021, "说明文字：晚间公开。", at=AT)


def test_times_shown_in_beijing_time_with_label(app, world) -> None:  # type: ignore[no-untyped-def]
    _publish(world)
    public = Client(app)
    portal = public.get("/").text
    assert "<td>2021-03-02</td>" in portal and "2021-03-01" not in portal and "公开日期（北京时间）" in portal
    assert "公开于 2021-03-02" in public.get("/search?q=晚间公开").text
    history = public.get("/budgets/2021/T001/versions").text
    assert "2021-03-02 01:00（北京时间）" in history and "17:00" not in history
    assert "公开于 2021-03-02 01:00（北京时间）" in public.get("/budgets/2021/T001").text


def test_another_zone_may_be_configured(world) -> None:  # type: ignore[no-untyped-def]
    _publish(world)
    app = create_app(world.url, settings=Settings(time_zone="UTC"))
    history = Client(app).get("/budgets/2021/T001/versions").text
    assert "2021-03-01 17:00（协调世界时）" in history
    with pytest.raises(times.UnknownZone, match="未知的时区"):
        create_app(world.url, settings=Settings(time_zone="Mars/Olympus"))


def test_local_date_and_environment(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("DEPTBUDGET_TIME_ZONE", raising=False)
    assert times.configured_zone() == "Asia/Shanghai"
    assert times.local_date(AT) == date(2021, 3, 2)
    assert times.local_date(datetime(2021, 3, 1, 15, 59)) == date(2021, 3, 1)
    monkeypatch.setenv("DEPTBUDGET_TIME_ZONE", "Asia/Urumqi")
    assert Settings().time_zone == "Asia/Urumqi" and times.shown(AT, "Asia/Urumqi").endswith("（乌鲁木齐时间）")


def test_a_conflict_says_when_in_beijing_time(app, world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The save conflict names the other person's save time in 北京时间, labelled (stored: UTC)."""
    from datetime import timedelta

    from tests.web.conftest import budget_row

    monkeypatch.delenv("DEPTBUDGET_TIME_ZONE", raising=False)
    budget_id = world.budgets["A001"]
    prep = Client(app, "prep_a")
    stale = prep.version(budget_id)
    assert prep.post(f"/work/budgets/{budget_id}/edit/text",
                     {"version": stale, "f.narrative.change_reason": "先保存的。"}).status_code == 303
    response = prep.post(f"/work/budgets/{budget_id}/edit/text",
                         {"version": stale, "f.narrative.change_reason": "后保存的。"})
    assert response.status_code == 409
    saved = budget_row(world, budget_id).updated_at
    beijing = (saved + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M:%S")
    assert f"已于 {beijing}（北京时间）" in response.text
    assert saved.strftime("%Y-%m-%d %H:%M:%S") not in response.text

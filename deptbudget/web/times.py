"""Times of the web system: stored in UTC (naive datetimes, ``models.utcnow``), shown in the
locality's time zone with its name — Asia/Shanghai (北京时间) unless ``DEPTBUDGET_TIME_ZONE`` (or
``Settings.time_zone``) names another IANA zone. Dates that mean a day in the locality (公开日期,
批复日期) are the local date: a version published at 17:00 UTC was published the next day in Beijing."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Shanghai"
LABELS = {"Asia/Shanghai": "北京时间", "Asia/Urumqi": "乌鲁木齐时间", "Asia/Hong_Kong": "香港时间",
          "Asia/Macau": "澳门时间", "Asia/Taipei": "台北时间", "UTC": "协调世界时"}


class UnknownZone(ValueError):
    pass


def configured_zone() -> str:
    """``$DEPTBUDGET_TIME_ZONE``, else Asia/Shanghai."""
    return os.environ.get("DEPTBUDGET_TIME_ZONE", "").strip() or DEFAULT_ZONE


@lru_cache(maxsize=16)
def zone(name: str) -> tzinfo:
    """The zone ``name``; ``UnknownZone`` (in Chinese and English) when there is none of that name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        if name == DEFAULT_ZONE:  # no time zone database installed: China has kept +08:00 since 1991
            return timezone(timedelta(hours=8), DEFAULT_ZONE)
        raise UnknownZone(f"未知的时区 {name!r}（DEPTBUDGET_TIME_ZONE: unknown time zone, e.g. Asia/Shanghai）"
                          ) from None


def label(name: str) -> str:
    """What the shown times are called: 北京时间 for Asia/Shanghai, else the zone's name."""
    return LABELS.get(name, name)


def local(value: datetime, name: str) -> datetime:
    """A stored UTC time in the zone ``name``."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone(name))


def local_date(value: datetime, name: str | None = None) -> date:
    return local(value, name or configured_zone()).date()


def shown(value: datetime | None, name: str, seconds: bool = False) -> str:
    """``2020-03-02 01:00（北京时间）``; empty for no time."""
    if value is None:
        return ""
    return local(value, name).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M") + f"（{label(name)}）"


def shown_date(value: datetime | None, name: str) -> str:
    """The local date ``2020-03-02`` of a stored time."""
    return local(value, name).strftime("%Y-%m-%d") if value is not None else ""


def stamp(value: datetime | None) -> str:
    """A stored time in a message (a save's conflict): ``2020-03-02 09:00:05（北京时间）``, in the
    configured zone (``configured_zone``: the same as the pages unless a test sets another)."""
    return shown(value, configured_zone(), seconds=True)

"""Times are stored in UTC and shown in China Standard Time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")
"""China has kept UTC+8 all year since 1991: no tz database needed."""


def local_date(moment: datetime) -> str:
    """`2026-11-22` in China Standard Time."""
    return moment.astimezone(CHINA).strftime("%Y-%m-%d")


def local_minute(moment: datetime) -> str:
    """`2026-11-22 14:05` in China Standard Time."""
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def days_between(start: datetime, end: datetime) -> int:
    """Calendar days from `start` to `end` in China (tomorrow 01:00 is 1 day away)."""
    return (end.astimezone(CHINA).date() - start.astimezone(CHINA).date()).days

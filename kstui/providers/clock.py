"""The one place time comes from.

Services never read the wall clock: they are handed a `Clock`. The app and the CLI use
`SystemClock`; tests and snapshots use `FrozenClock`, which only moves when told to.
All times are timezone-aware UTC; they are shown in Asia/Shanghai at the edge.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Something that tells the time."""

    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A clock that stands still until moved: for tests, snapshots and demos.

    Args:
        at: The time to stand at; naive datetimes are taken as UTC.
    """

    def __init__(self, at: datetime) -> None:
        self._now = as_utc(at)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by `delta`."""
        if delta < timedelta(0):
            raise ValueError("a clock does not go backwards")
        self._now += delta


def as_utc(moment: datetime) -> datetime:
    """Return `moment` as an aware UTC datetime (naive values are taken to be UTC).

    SQLite hands datetimes back naive; they were stored as UTC.
    """
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)

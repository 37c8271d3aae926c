"""The world clock: the simulated time every process of one shop shares.

Its offset from real time and its speed live in the store (`world_clock`, one row), so
the CLI, every app and, later, every SSH session see the same simulated time.
`kstui sim advance 2h` moves it forward for everyone (one conditional statement);
`kstui --demo-speed 60` makes it run 60× fast while that app is open: the app holds a
lease on the speed and renews it, so a crashed app leaves the world at normal speed
again once the lease runs out.

Each process reads the row at most once a second (and after its own changes): another
process's `sim advance` is seen within a second. Within one process the time never goes
backwards.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kstui.providers.clock import Clock, SystemClock
from kstui.store.interface import Store, StoreBusy, from_db_time

REFRESH = timedelta(seconds=1)
"""How long a process trusts the row it read."""
SPEED_LEASE = timedelta(seconds=15)
"""How long a fast clock stays fast without its app renewing the lease."""
MAX_SPEED = 10_000


class InvalidSpeed(ValueError):
    """A demo speed below 1 or above `MAX_SPEED`."""


@dataclass(frozen=True)
class ClockState:
    """The stored row: simulated = real + offset (+ the fast stretch while it lasts)."""

    offset: timedelta
    speed: int
    anchor_real: datetime
    speed_until: datetime | None
    version: int

    def simulated(self, real: datetime) -> datetime:
        """The simulated time at a real time."""
        moment = real + self.offset
        if self.speed > 1:
            end = real if self.speed_until is None else min(real, self.speed_until)
            if end > self.anchor_real:
                moment += (end - self.anchor_real) * (self.speed - 1)
        return moment


def read_state(store: Store) -> ClockState:
    """The world clock's row (a store without one stands at real time)."""
    with store.reading() as tx:
        row = tx.fetch_one(
            "SELECT offset_us, speed, anchor_real, speed_until, version FROM world_clock"
            " WHERE id = 1"
        )
    if row is None:
        return ClockState(timedelta(0), 1, datetime.min.replace(tzinfo=UTC), None, -1)
    offset_us, speed, anchor, until, version = row
    return ClockState(
        offset=timedelta(microseconds=int(offset_us)),
        speed=int(speed),
        anchor_real=from_db_time(anchor),
        speed_until=None if until is None else from_db_time(until),
        version=int(version),
    )


class WorldClock:
    """A `Clock` reading the shop's shared simulated time from the store.

    Args:
        store: The shop's store.
        real: The real time (tests pass a frozen one).
    """

    def __init__(self, store: Store, *, real: Clock | None = None) -> None:
        self.store = store
        self.real = real or SystemClock()
        self._lock = threading.Lock()
        self._state: ClockState | None = None
        self._read_at: datetime | None = None
        self._last: datetime | None = None

    def now(self) -> datetime:
        real = self.real.now()
        with self._lock:
            if (
                self._state is None
                or self._read_at is None
                or not (self._read_at <= real < self._read_at + REFRESH)
            ):
                self._state = read_state(self.store)
                self._read_at = real
            moment = self._state.simulated(real)
            if self._last is not None and moment < self._last:
                moment = self._last  # another process slowed the clock: wait for it
            self._last = moment
            return moment

    def state(self) -> ClockState:
        """The row as stored now (read afresh)."""
        self._forget()
        return read_state(self.store)

    def advance(self, delta: timedelta) -> datetime:
        """Move the simulated time forward for every process; the new simulated time.

        Raises:
            ValueError: for a negative duration (the world does not go back).
        """
        if delta < timedelta(0):
            raise ValueError("the world clock does not go backwards")
        with self.store.writing() as tx:
            tx.execute(
                "UPDATE world_clock SET offset_us = offset_us + :delta, version = version + 1"
                " WHERE id = 1",
                delta=delta // timedelta(microseconds=1),
            )
        self._forget()
        return self.now()

    def set_speed(self, speed: int, *, lease: timedelta = SPEED_LEASE) -> None:
        """Run the clock `speed`× fast from now, for `lease` unless renewed (1: normal).

        The simulated time does not jump: the row is re-anchored at the current time.

        Raises:
            InvalidSpeed: outside 1–`MAX_SPEED`.
            StoreBusy: other processes kept changing the clock meanwhile.
        """
        if not 1 <= speed <= MAX_SPEED:
            raise InvalidSpeed(speed)
        for _ in range(20):
            state = read_state(self.store)
            real = self.real.now()
            simulated = state.simulated(real)
            with self.store.writing() as tx:
                changed = tx.execute(
                    "UPDATE world_clock SET offset_us = :offset, speed = :speed,"
                    " anchor_real = :real, speed_until = :until, version = version + 1"
                    " WHERE id = 1 AND version = :version",
                    offset=(simulated - real) // timedelta(microseconds=1),
                    speed=speed,
                    real=real,
                    until=real + lease if speed > 1 else None,
                    version=state.version,
                )
            if changed:
                self._forget()
                return
        raise StoreBusy("the world clock kept changing")

    def renew_speed(self, *, lease: timedelta = SPEED_LEASE) -> bool:
        """Keep a fast clock fast for another `lease`; False if it is not fast any more
        (another process changed it, or the lease ran out: `set_speed` again)."""
        state = read_state(self.store)
        real = self.real.now()
        if state.speed <= 1 or state.speed_until is None or state.speed_until <= real:
            return False
        with self.store.writing() as tx:
            changed = tx.execute(
                "UPDATE world_clock SET speed_until = :until WHERE id = 1 AND version = :version",
                until=real + lease,
                version=state.version,
            )
        self._forget()
        return bool(changed)

    def _forget(self) -> None:
        with self._lock:
            self._state = None

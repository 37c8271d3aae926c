"""The world clock: simulated time kept in the store, shared by every process."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kstui.providers.clock import FrozenClock
from kstui.providers.world_clock import (
    REFRESH,
    SPEED_LEASE,
    InvalidSpeed,
    WorldClock,
    read_state,
)
from kstui.store.interface import Store
from tests.conftest import NOW


@pytest.fixture
def real() -> FrozenClock:
    """The real time, frozen (the world clock reads it through `real`)."""
    return FrozenClock(NOW)


def test_a_new_store_stands_at_real_time(store: Store, real: FrozenClock) -> None:
    clock = WorldClock(store, real=real)
    assert clock.now() == NOW
    real.advance(timedelta(minutes=3))
    assert clock.now() == NOW + timedelta(minutes=3)
    state = read_state(store)
    assert (state.offset, state.speed, state.speed_until) == (timedelta(0), 1, None)


def test_advance_moves_every_process_s_clock(store: Store, real: FrozenClock) -> None:
    mine, theirs = WorldClock(store, real=real), WorldClock(store, real=real)
    assert theirs.now() == NOW
    assert mine.advance(timedelta(hours=2)) == NOW + timedelta(hours=2)
    assert mine.now() == NOW + timedelta(hours=2)
    # the other process trusts its last reading for up to a second, then sees the jump
    real.advance(REFRESH)
    assert theirs.now() == NOW + REFRESH + timedelta(hours=2)
    mine.advance(timedelta(days=3))
    real.advance(REFRESH)
    assert theirs.now() == NOW + 2 * REFRESH + timedelta(days=3, hours=2)


def test_advance_refuses_to_go_back(store: Store, real: FrozenClock) -> None:
    with pytest.raises(ValueError, match="backwards"):
        WorldClock(store, real=real).advance(timedelta(seconds=-1))
    assert read_state(store).offset == timedelta(0)


def test_advances_from_several_clocks_add_up(store: Store, real: FrozenClock) -> None:
    clocks = [WorldClock(store, real=real) for _ in range(3)]
    for clock in clocks:
        clock.advance(timedelta(minutes=10))
    assert read_state(store).offset == timedelta(minutes=30)


def test_demo_speed_runs_the_clock_fast_without_a_jump(store: Store, real: FrozenClock) -> None:
    clock = WorldClock(store, real=real)
    clock.advance(timedelta(hours=1))
    clock.set_speed(60)
    assert clock.now() == NOW + timedelta(hours=1)  # no jump when the speed changes
    real.advance(timedelta(seconds=10))
    assert clock.now() == NOW + timedelta(hours=1, seconds=10 * 60)
    clock.set_speed(1)
    real.advance(timedelta(seconds=10))
    assert clock.now() == NOW + timedelta(hours=1, seconds=10 * 60 + 10)


def test_a_fast_clock_slows_down_when_its_lease_runs_out(store: Store, real: FrozenClock) -> None:
    """An app that died while running the demo fast leaves the world at normal speed."""
    clock = WorldClock(store, real=real)
    clock.set_speed(10)
    real.advance(SPEED_LEASE + timedelta(seconds=5))
    fast_part = SPEED_LEASE * 10
    assert clock.now() == NOW + fast_part + timedelta(seconds=5)
    assert not clock.renew_speed()  # gone: the app must set it again


def test_renewing_keeps_it_fast(store: Store, real: FrozenClock) -> None:
    clock = WorldClock(store, real=real)
    clock.set_speed(10)
    for _ in range(3):
        real.advance(SPEED_LEASE / 2)
        assert clock.renew_speed()
    assert clock.now() == NOW + SPEED_LEASE * 1.5 * 10


def test_a_speed_out_of_range_is_refused(store: Store, real: FrozenClock) -> None:
    clock = WorldClock(store, real=real)
    for speed in (0, -3, 10_001):
        with pytest.raises(InvalidSpeed):
            clock.set_speed(speed)
    assert read_state(store).speed == 1


def test_the_time_never_goes_back_in_one_process(store: Store, real: FrozenClock) -> None:
    fast = WorldClock(store, real=real)
    fast.set_speed(100)
    real.advance(timedelta(seconds=1))
    seen = fast.now()
    WorldClock(store, real=real).set_speed(1)  # another process ends the demo
    real.advance(REFRESH)
    later = fast.now()
    assert later >= seen

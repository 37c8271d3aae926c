"""`kstui.services.ordering.checkin`: once a day by China's date, streaks, the week of rewards and
the calendar. The clock starts at 10:00 in Beijing (02:00 UTC); midnight in Beijing is
16:00 UTC."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kstui.providers.clock import FrozenClock
from kstui.services.accounts.errors import NotLoggedIn
from kstui.services.ordering import checkin
from kstui.services.ordering.checkin import AlreadyCheckedIn
from kstui.services.ordering.coupons import CouponState
from kstui.store.interface import Store, from_db_date
from tests.unit.ordering_helpers import rows, run_together, value

DAY = timedelta(days=1)
TO_MIDNIGHT = timedelta(hours=14)
"""From 10:00 to 24:00 in Beijing."""


def reward_template(store: Store, day: int) -> int:
    return int(
        value(store, "SELECT MIN(id) FROM coupon_template WHERE checkin_day = :day", day=day)
    )


def checkin_coupons(store: Store) -> int:
    """How many check-in rewards were granted."""
    return int(
        value(store, "SELECT COUNT(*) FROM coupon WHERE grant_key LIKE :key", key="checkin:%")
    )


def test_check_in_once_a_day_by_chinas_date(store: Store, clock: FrozenClock, shopper: str) -> None:
    first = checkin.check_in(store, shopper, clock=clock)
    assert first.streak == 1
    assert first.coupon is not None
    assert first.coupon.template_id == reward_template(store, 1)
    assert first.coupon.state is CouponState.USABLE
    assert first.coupon.valid_until == clock.now() + 3 * DAY
    with pytest.raises(AlreadyCheckedIn):
        checkin.check_in(store, shopper, clock=clock)
    clock.advance(TO_MIDNIGHT - timedelta(microseconds=1))  # 23:59:59.999999 in Beijing
    with pytest.raises(AlreadyCheckedIn):
        checkin.check_in(store, shopper, clock=clock)
    clock.advance(timedelta(microseconds=1))  # 16:00 UTC: the next day in Beijing
    assert checkin.check_in(store, shopper, clock=clock).streak == 2
    checked = rows(store, "SELECT day, streak FROM checkin ORDER BY id")
    assert [(from_db_date(day), streak) for day, streak in checked] == [
        (date(2026, 11, 22), 1),
        (date(2026, 11, 23), 2),
    ]
    assert checkin_coupons(store) == 2


def test_a_missed_day_resets_the_streak(store: Store, clock: FrozenClock, shopper: str) -> None:
    checkin.check_in(store, shopper, clock=clock)
    clock.advance(DAY)
    assert checkin.check_in(store, shopper, clock=clock).streak == 2
    clock.advance(2 * DAY)  # nothing on the 24th
    again = checkin.check_in(store, shopper, clock=clock)
    assert again.streak == 1
    assert again.coupon is not None
    assert again.coupon.template_id == reward_template(store, 1)


def test_the_seventh_day_brings_its_reward_then_the_week_starts_again(
    store: Store, clock: FrozenClock, shopper: str
) -> None:
    won = []
    for _ in range(8):
        result = checkin.check_in(store, shopper, clock=clock)
        assert result.coupon is not None
        won.append((result.streak, result.coupon.template_id))
        clock.advance(DAY)
    assert won == [(n, reward_template(store, (n - 1) % 7 + 1)) for n in range(1, 9)]
    seventh = rows(
        store,
        "SELECT t.threshold, t.amount_off FROM checkin AS k JOIN coupon AS c ON c.id = k.coupon_id"
        " JOIN coupon_template AS t ON t.id = c.template_id WHERE k.streak = 7",
    )
    assert seventh == [(0, 500)]  # 无门槛¥5, where days 1–6 give 满30减1


def test_the_calendar(store: Store, clock: FrozenClock, shopper: str) -> None:
    view = checkin.checkin_calendar(store, shopper, clock=clock)
    assert (view.today, view.checked_days, view.checked_today, view.streak, view.next_day) == (
        date(2026, 11, 22), frozenset(), False, 0, 1,
    )  # fmt: skip
    assert view.weeks[0] == [0, 0, 0, 0, 0, 0, 1]  # 1 November 2026 is a Sunday
    assert view.weeks[-1][0] == 30
    assert [r.day for r in view.rewards] == list(range(1, 8))
    assert view.rewards[6].terms.amount_off == 500
    assert view.rewards[0].terms.threshold == 3000

    checkin.check_in(store, shopper, clock=clock)
    clock.advance(DAY)
    checkin.check_in(store, shopper, clock=clock)
    view = checkin.checkin_calendar(store, shopper, clock=clock)
    assert (view.checked_days, view.checked_today, view.streak, view.next_day) == (
        frozenset({22, 23}), True, 2, 3,
    )  # fmt: skip
    clock.advance(DAY)  # not yet today: the streak up to yesterday
    view = checkin.checkin_calendar(store, shopper, clock=clock)
    assert (view.checked_today, view.streak, view.next_day) == (False, 2, 3)
    clock.advance(DAY)  # a day missed
    view = checkin.checkin_calendar(store, shopper, clock=clock)
    assert (view.checked_days, view.streak, view.next_day) == (frozenset({22, 23}), 0, 1)


def test_the_calendar_shows_this_month_and_the_streak_across_months(
    store: Store, clock: FrozenClock, shopper: str
) -> None:
    clock.advance(8 * DAY)  # 30 November
    checkin.check_in(store, shopper, clock=clock)
    clock.advance(DAY)
    assert checkin.check_in(store, shopper, clock=clock).streak == 2
    view = checkin.checkin_calendar(store, shopper, clock=clock)
    assert (view.today, view.checked_days, view.streak) == (date(2026, 12, 1), frozenset({1}), 2)


def test_logged_out(store: Store, clock: FrozenClock) -> None:
    with pytest.raises(NotLoggedIn):
        checkin.check_in(store, "nobody", clock=clock)
    with pytest.raises(NotLoggedIn):
        checkin.checkin_calendar(store, "nobody", clock=clock)


def test_two_check_ins_at_once_count_once(store: Store, clock: FrozenClock, shopper: str) -> None:
    outcomes = run_together(4, lambda _: checkin.check_in(store, shopper, clock=clock))
    done = [o for o in outcomes if isinstance(o, checkin.CheckedIn)]
    assert len(done) == 1, outcomes
    assert all(isinstance(o, AlreadyCheckedIn) for o in outcomes if o not in done), outcomes
    assert value(store, "SELECT COUNT(*) FROM checkin") == 1
    assert checkin_coupons(store) == 1

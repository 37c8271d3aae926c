"""Daily check-in (签到): once a day (China's date), a streak, and a small coupon each day.

The reward for the n-th day of a streak is the coupon template whose `checkin_day` is n
(the streak runs in weeks: day 8 is day 1 again). Checking in twice on one day is
refused by the unique (account, day) row, also from two processes at once: the row is
written with `ON CONFLICT (account_id, day) DO NOTHING`, and a check-in that wrote
nothing is rolled back whole (its coupon with it).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from kstui.providers.clock import Clock
from kstui.services.accounts.records import session_account
from kstui.services.errors import DomainError
from kstui.services.ordering.coupons import CouponTerms, HeldCoupon, held_coupons, template_terms
from kstui.store.coupon_grants import grant
from kstui.store.interface import Store, Transaction, from_db_date
from kstui.timefmt import CHINA

WEEK = 7


class AlreadyCheckedIn(DomainError):
    """Checked in today already."""

    key = "ordering.error.already_checked_in"


@dataclass(frozen=True)
class Reward:
    """The coupon a day of the streak brings."""

    day: int
    terms: CouponTerms


@dataclass(frozen=True)
class CheckinCalendar:
    """The month of today, the days checked in, the streak and the week of rewards."""

    today: date
    checked_days: frozenset[int]
    """Days of this month checked in."""
    checked_today: bool
    streak: int
    """Days in a row up to today (or yesterday, if not checked in yet today)."""
    rewards: list[Reward]
    """One per day of the week-long cycle (days without a template are left out)."""

    @property
    def weeks(self) -> list[list[int]]:
        """The month as weeks Monday first, 0 for days of other months."""
        return calendar.Calendar(firstweekday=0).monthdayscalendar(
            self.today.year, self.today.month
        )

    @property
    def next_day(self) -> int:
        """Which day of the cycle the next check-in is (today's, or tomorrow's once checked
        in today: `streak` counts up to the last check-in either way)."""
        return self.streak % WEEK + 1


@dataclass(frozen=True)
class CheckedIn:
    """The result of checking in."""

    streak: int
    coupon: HeldCoupon | None


def check_in(store: Store, token: str, *, clock: Clock) -> CheckedIn:
    """签到 for today; the streak and the coupon won.

    Raises:
        NotLoggedIn, AlreadyCheckedIn.
    """
    now = clock.now()
    today = now.astimezone(CHINA).date()
    with store.writing() as tx:
        account_id = session_account(tx, token, clock=clock)
        if _checked(tx, account_id, today):
            raise AlreadyCheckedIn()
        streak = _streak(tx, account_id, today - timedelta(days=1)) + 1
        day = (streak - 1) % WEEK + 1
        template = tx.fetch_value(
            "SELECT id FROM coupon_template WHERE checkin_day = :day ORDER BY id LIMIT 1",
            day=day,
        )
        coupon_id = None
        if template is not None:
            coupon_id = grant(tx, account_id, template, f"checkin:{account_id}:{today}", now)
        written = tx.fetch_value(
            "INSERT INTO checkin (account_id, day, streak, coupon_id)"
            " VALUES (:account, :day, :streak, :coupon)"
            " ON CONFLICT (account_id, day) DO NOTHING RETURNING id",
            account=account_id,
            day=today,
            streak=streak,
            coupon=coupon_id,
        )
        if written is None:  # another session checked in at the same moment
            raise AlreadyCheckedIn()
        coupon = held_coupons(tx, account_id, now, coupon_id=coupon_id)[0] if coupon_id else None
    return CheckedIn(streak=streak, coupon=coupon)


def checkin_calendar(store: Store, token: str, *, clock: Clock) -> CheckinCalendar:
    """This month's check-ins, the streak and the rewards.

    Raises:
        NotLoggedIn.
    """
    today = clock.now().astimezone(CHINA).date()
    first = today.replace(day=1)
    with store.reading() as tx:
        account_id = session_account(tx, token, clock=clock)
        days = frozenset(
            from_db_date(day).day
            for (day,) in tx.fetch_all(
                "SELECT day FROM checkin WHERE account_id = :account AND day >= :first"
                " AND day <= :today",
                account=account_id,
                first=first,
                today=today,
            )
        )
        checked_today = today.day in days
        streak = _streak(tx, account_id, today if checked_today else today - timedelta(days=1))
        rewards = [
            Reward(day, template_terms(tx, template_id))
            for day, template_id in tx.fetch_all(
                "SELECT checkin_day, MIN(id) FROM coupon_template WHERE checkin_day IS NOT NULL"
                " GROUP BY checkin_day ORDER BY checkin_day"
            )
        ]
    return CheckinCalendar(today, days, checked_today, streak, rewards)


def _checked(tx: Transaction, account_id: int, day: date) -> bool:
    return (
        tx.fetch_one(
            "SELECT 1 FROM checkin WHERE account_id = :account AND day = :day",
            account=account_id,
            day=day,
        )
        is not None
    )


def _streak(tx: Transaction, account_id: int, day: date) -> int:
    """The streak recorded on `day` (0 if there was no check-in that day)."""
    streak = tx.fetch_value(
        "SELECT streak FROM checkin WHERE account_id = :account AND day = :day",
        account=account_id,
        day=day,
    )
    return int(streak) if streak is not None else 0

"""`kstui.services.accounts.lockout`: counting wrong secrets in the `lockout` table; the lock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from kstui.providers.clock import FrozenClock
from kstui.services.accounts.lockout import (
    PASSWORD_LOCK,
    PAYMENT_LOCK,
    Failure,
    Lock,
    clear,
    clear_unless_locked,
    locked_until,
    minutes_left,
    record_failure,
)
from kstui.store.interface import Store, Transaction, from_db_time
from tests.conftest import NOW

PHONE = "13800138000"
SMALL_LOCK = Lock("test", 2, timedelta(minutes=5))
"""A lock of its own scope, to show the functions follow the `Lock` they are given."""


@pytest.fixture
def tx(store: Store) -> Iterator[Transaction]:
    """A write transaction on the test store (committed at the end of the test)."""
    with store.writing() as tx:
        yield tx


def rows(tx: Transaction) -> list[tuple[Any, ...]]:
    return tx.fetch_all(
        "SELECT scope, subject, failures, locked_until FROM lockout ORDER BY scope, subject"
    )


def fail(tx: Transaction, lock: Lock, subject: str, clock: FrozenClock) -> Failure:
    return record_failure(tx, lock, subject, now=clock.now())


def test_the_two_locks_allow_5_tries_for_30_minutes() -> None:
    for lock in (PASSWORD_LOCK, PAYMENT_LOCK):
        assert (lock.max_failures, lock.duration) == (5, timedelta(minutes=30))
    assert PASSWORD_LOCK.scope != PAYMENT_LOCK.scope


def test_nothing_is_locked_at_first(tx: Transaction) -> None:
    assert locked_until(tx, PASSWORD_LOCK, PHONE, now=NOW) is None
    assert rows(tx) == []


def test_each_wrong_try_is_counted_and_the_fifth_locks(tx: Transaction, clock: FrozenClock) -> None:
    for left in (4, 3, 2, 1):
        assert fail(tx, PASSWORD_LOCK, PHONE, clock) == Failure(left=left, locked_until=None)
        assert locked_until(tx, PASSWORD_LOCK, PHONE, now=clock.now()) is None
        assert rows(tx) == [("password", PHONE, 5 - left, None)]
        clock.advance(timedelta(minutes=1))
    until = clock.now() + timedelta(minutes=30)
    assert fail(tx, PASSWORD_LOCK, PHONE, clock) == Failure(left=0, locked_until=until)
    [(scope, subject, failures, stored)] = rows(tx)
    assert (scope, subject, failures) == ("password", PHONE, 0)
    assert stored is not None
    assert from_db_time(stored) == until
    assert locked_until(tx, PASSWORD_LOCK, PHONE, now=clock.now()) == until


def test_the_lock_ends_at_its_time(tx: Transaction, clock: FrozenClock) -> None:
    for _ in range(SMALL_LOCK.max_failures):
        failure = fail(tx, SMALL_LOCK, PHONE, clock)
    until = clock.now() + SMALL_LOCK.duration
    assert failure.locked_until == until
    assert locked_until(tx, SMALL_LOCK, PHONE, now=until - timedelta(microseconds=1)) == until
    assert locked_until(tx, SMALL_LOCK, PHONE, now=until) is None
    assert locked_until(tx, SMALL_LOCK, PHONE, now=until + timedelta(days=1)) is None


def test_a_wrong_try_after_the_lock_counts_from_one(tx: Transaction, clock: FrozenClock) -> None:
    for _ in range(PAYMENT_LOCK.max_failures):
        fail(tx, PAYMENT_LOCK, "1", clock)
    clock.advance(PAYMENT_LOCK.duration)
    assert fail(tx, PAYMENT_LOCK, "1", clock) == Failure(left=4, locked_until=None)
    assert rows(tx) == [("payment", "1", 1, None)]


def test_clear_starts_again_and_unlocks(tx: Transaction, clock: FrozenClock) -> None:
    for _ in range(3):
        fail(tx, PASSWORD_LOCK, PHONE, clock)
    clear(tx, PASSWORD_LOCK, PHONE)
    assert rows(tx) == []
    assert fail(tx, PASSWORD_LOCK, PHONE, clock).left == 4
    for _ in range(4):
        fail(tx, PASSWORD_LOCK, PHONE, clock)
    assert locked_until(tx, PASSWORD_LOCK, PHONE, now=clock.now()) is not None
    clear(tx, PASSWORD_LOCK, PHONE)
    assert locked_until(tx, PASSWORD_LOCK, PHONE, now=clock.now()) is None
    clear(tx, PASSWORD_LOCK, PHONE)  # nothing to clear
    assert rows(tx) == []


def test_a_wrong_try_while_locked_is_not_counted(tx: Transaction, clock: FrozenClock) -> None:
    """A try another one locked out meanwhile is told the lock; the lock stays as it is."""
    for _ in range(PASSWORD_LOCK.max_failures):
        fail(tx, PASSWORD_LOCK, PHONE, clock)
    until = clock.now() + PASSWORD_LOCK.duration
    clock.advance(timedelta(minutes=1))
    assert fail(tx, PASSWORD_LOCK, PHONE, clock) == Failure(
        left=0, locked_until=until, already_locked=True
    )
    [(_, _, failures, stored)] = rows(tx)
    assert (failures, from_db_time(stored)) == (0, until)


def test_a_right_secret_clears_the_count_unless_locked(tx: Transaction, clock: FrozenClock) -> None:
    assert clear_unless_locked(tx, PASSWORD_LOCK, PHONE, now=clock.now()) is None
    for _ in range(3):
        fail(tx, PASSWORD_LOCK, PHONE, clock)
    assert clear_unless_locked(tx, PASSWORD_LOCK, PHONE, now=clock.now()) is None
    assert rows(tx) == []
    for _ in range(PASSWORD_LOCK.max_failures):
        fail(tx, PASSWORD_LOCK, PHONE, clock)
    until = clock.now() + PASSWORD_LOCK.duration
    assert clear_unless_locked(tx, PASSWORD_LOCK, PHONE, now=clock.now()) == until
    assert locked_until(tx, PASSWORD_LOCK, PHONE, now=clock.now()) == until
    clock.advance(PASSWORD_LOCK.duration)
    assert clear_unless_locked(tx, PASSWORD_LOCK, PHONE, now=clock.now()) is None
    assert rows(tx) == []


def test_scopes_and_subjects_are_counted_apart(tx: Transaction, clock: FrozenClock) -> None:
    for _ in range(PASSWORD_LOCK.max_failures):
        fail(tx, PASSWORD_LOCK, PHONE, clock)
    assert fail(tx, PAYMENT_LOCK, PHONE, clock).left == 4
    assert fail(tx, PASSWORD_LOCK, "13800138001", clock).left == 4
    assert fail(tx, SMALL_LOCK, PHONE, clock).left == 1
    now = clock.now()
    assert locked_until(tx, PAYMENT_LOCK, PHONE, now=now) is None
    assert locked_until(tx, PASSWORD_LOCK, "13800138001", now=now) is None
    clear(tx, PAYMENT_LOCK, PHONE)
    assert locked_until(tx, PASSWORD_LOCK, PHONE, now=now) == now + PASSWORD_LOCK.duration
    assert [(scope, subject, failures) for scope, subject, failures, _ in rows(tx)] == [
        ("password", "13800138000", 0),
        ("password", "13800138001", 1),
        ("test", "13800138000", 1),
    ]


def test_counts_are_kept_by_the_transaction(store: Store, clock: FrozenClock) -> None:
    """What was counted is committed with the caller's transaction, and only then."""
    with store.writing() as tx:
        fail(tx, PASSWORD_LOCK, PHONE, clock)

    def count_then_fail() -> None:
        with store.writing() as tx:
            fail(tx, PASSWORD_LOCK, PHONE, clock)
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        count_then_fail()
    with store.writing() as tx:
        assert fail(tx, PASSWORD_LOCK, PHONE, clock).left == 3


@pytest.mark.parametrize(
    ("left", "minutes"),
    [
        (timedelta(minutes=30), 30),
        (timedelta(minutes=29, seconds=59), 30),
        (timedelta(minutes=29, seconds=1), 30),
        (timedelta(minutes=29), 29),
        (timedelta(seconds=61), 2),
        (timedelta(seconds=60), 1),
        (timedelta(seconds=1), 1),
        (timedelta(0), 1),
        (timedelta(seconds=-5), 1),
    ],
)
def test_minutes_left_rounds_up_to_at_least_one(left: timedelta, minutes: int) -> None:
    assert minutes_left(NOW + left, NOW) == minutes

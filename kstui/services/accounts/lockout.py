"""Locks after wrong secrets in a row: 5 wrong passwords lock for 30 minutes.

Two locks use it: the login password (counted per phone number, registered or not,
so that being locked says nothing about whether a phone has an account) and the
payment password (per account). A right secret clears the count. Every function runs
inside the caller's write transaction.

Counting is one statement (an upsert on the `lockout` key `(scope, subject)`), so that
wrong tries counted by concurrent transactions are each counted once, the last allowed
one starts the lock, and none of them lifts a lock another one started meanwhile.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from kstui.services.time_limits import DEFAULT_LIMITS
from kstui.store.interface import Transaction, from_db_time


@dataclass(frozen=True)
class Lock:
    """One kind of lock: how many wrong tries it allows and how long it lasts."""

    scope: str
    max_failures: int
    duration: timedelta


PASSWORD_LOCK = Lock("password", 5, DEFAULT_LIMITS.password_lock)
PAYMENT_LOCK = Lock("payment", 5, DEFAULT_LIMITS.payment_lock)


@dataclass(frozen=True)
class Failure:
    """What a wrong try led to: tries left, or the lock it started.

    `already_locked` is True when the try came while a lock held (another try started
    it meanwhile): that try was not counted, and `locked_until` is that lock's end.
    """

    left: int
    locked_until: datetime | None
    already_locked: bool = False


def locked_until(tx: Transaction, lock: Lock, subject: str, *, now: datetime) -> datetime | None:
    """When the lock on `subject` ends, or None if it is not locked now."""
    stored = tx.fetch_value(
        "SELECT locked_until FROM lockout WHERE scope = :scope AND subject = :subject",
        scope=lock.scope,
        subject=subject,
    )
    if stored is None:
        return None
    until = from_db_time(stored)
    return until if until > now else None


_COUNT = "CASE WHEN lockout.locked_until IS NULL THEN lockout.failures + 1 ELSE 1 END"
"""The count with this try (of the row in the table): after a lock that is over, one."""
_RECORD_FAILURE = (
    "INSERT INTO lockout (scope, subject, failures, locked_until)"
    " VALUES (:scope, :subject, :first_failures, :first_until)"
    " ON CONFLICT (scope, subject) DO UPDATE SET"
    f" failures = CASE WHEN {_COUNT} >= :max_failures THEN 0 ELSE {_COUNT} END,"
    f" locked_until = CASE WHEN {_COUNT} >= :max_failures THEN :until ELSE NULL END"
    " WHERE lockout.locked_until IS NULL OR lockout.locked_until <= :now"
    " RETURNING failures, locked_until"
)


def record_failure(tx: Transaction, lock: Lock, subject: str, *, now: datetime) -> Failure:
    """Count a wrong try; the last allowed one starts the lock (and the count again).

    A try while the lock holds is not counted (`Failure.already_locked`).
    """
    until = now + lock.duration
    locks_at_once = lock.max_failures <= 1
    row = tx.fetch_one(
        _RECORD_FAILURE,
        scope=lock.scope,
        subject=subject,
        first_failures=0 if locks_at_once else 1,
        first_until=until if locks_at_once else None,
        max_failures=lock.max_failures,
        until=until,
        now=now,
    )
    if row is None:  # the lock holds: the row is locked, this reads the committed lock
        held = locked_until(tx, lock, subject, now=now)
        return Failure(left=0, locked_until=held, already_locked=held is not None)
    failures, stored_until = row
    if stored_until is None:
        return Failure(left=lock.max_failures - failures, locked_until=None)
    return Failure(left=0, locked_until=from_db_time(stored_until))


def clear_unless_locked(
    tx: Transaction, lock: Lock, subject: str, *, now: datetime
) -> datetime | None:
    """A right secret: start counting from zero, unless a lock holds; when it ends.

    Returns None when the count was cleared (or there was none), else the end of the
    lock that holds (a right secret does not lift it).
    """
    tx.execute(
        "DELETE FROM lockout WHERE scope = :scope AND subject = :subject"
        " AND (locked_until IS NULL OR locked_until <= :now)",
        scope=lock.scope,
        subject=subject,
        now=now,
    )
    return locked_until(tx, lock, subject, now=now)


def clear(tx: Transaction, lock: Lock, subject: str) -> None:
    """A proven phone (or a new secret): start counting from zero, unlock."""
    tx.execute(
        "DELETE FROM lockout WHERE scope = :scope AND subject = :subject",
        scope=lock.scope,
        subject=subject,
    )


def minutes_left(until: datetime, now: datetime) -> int:
    """Whole minutes until `until`, rounded up (at least 1), for messages."""
    return max(1, math.ceil((until - now).total_seconds() / 60))

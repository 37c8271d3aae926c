"""Locks after wrong secrets in a row: 5 wrong passwords lock for 30 minutes.

Two locks use it: the login password (counted per phone number, registered or not,
so that being locked says nothing about whether a phone has an account) and the
payment password (per account). A right secret clears the count. Every function runs
inside the caller's write transaction, so that counting is atomic.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from kstui.store.db import db_time, from_db_time


@dataclass(frozen=True)
class Lock:
    """One kind of lock: how many wrong tries it allows and how long it lasts."""

    scope: str
    max_failures: int
    duration: timedelta


PASSWORD_LOCK = Lock("password", 5, timedelta(minutes=30))
PAYMENT_LOCK = Lock("payment", 5, timedelta(minutes=30))


@dataclass(frozen=True)
class Failure:
    """What a wrong try led to: tries left, or the lock it started."""

    left: int
    locked_until: datetime | None


def locked_until(
    conn: sqlite3.Connection, lock: Lock, subject: str, *, now: datetime
) -> datetime | None:
    """When the lock on `subject` ends, or None if it is not locked now."""
    row = conn.execute(
        "SELECT locked_until FROM lockout WHERE scope = ? AND subject = ?", (lock.scope, subject)
    ).fetchone()
    if row is None or row[0] is None:
        return None
    until = from_db_time(row[0])
    return until if until > now else None


def record_failure(conn: sqlite3.Connection, lock: Lock, subject: str, *, now: datetime) -> Failure:
    """Count a wrong try; the last allowed one starts the lock (and the count again)."""
    (failures,) = conn.execute(
        "INSERT INTO lockout (scope, subject, failures, locked_until) VALUES (?, ?, 1, NULL)"
        " ON CONFLICT (scope, subject) DO UPDATE SET locked_until = NULL, failures ="
        " CASE WHEN locked_until IS NULL THEN failures + 1 ELSE 1 END"
        " RETURNING failures",
        (lock.scope, subject),
    ).fetchone()
    if failures < lock.max_failures:
        return Failure(left=lock.max_failures - failures, locked_until=None)
    until = now + lock.duration
    conn.execute(
        "UPDATE lockout SET failures = 0, locked_until = ? WHERE scope = ? AND subject = ?",
        (db_time(until), lock.scope, subject),
    )
    return Failure(left=0, locked_until=until)


def clear(conn: sqlite3.Connection, lock: Lock, subject: str) -> None:
    """A right secret (or a proven phone): start counting from zero, unlock."""
    conn.execute("DELETE FROM lockout WHERE scope = ? AND subject = ?", (lock.scope, subject))


def minutes_left(until: datetime, now: datetime) -> int:
    """Whole minutes until `until`, rounded up (at least 1), for messages."""
    return max(1, math.ceil((until - now).total_seconds() / 60))

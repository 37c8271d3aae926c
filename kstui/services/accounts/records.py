"""Accounts as the store keeps them: what the shop shows of one, sessions, events.

Shared by `accounts` (registration, logging in, sessions) and `account_security`
(passwords, payment password, real name). Session tokens (256 random bits) are given
to the device only; the store keeps their SHA-256. Every change of security leaves an
`account_event` row.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kstui.providers.clock import Clock
from kstui.services.accounts.errors import NotLoggedIn
from kstui.services.accounts.identity import is_minor
from kstui.services.accounts.lockout import PAYMENT_LOCK
from kstui.store.coupon_grants import grant_new_user_coupons
from kstui.store.db import db_time, from_db_time
from kstui.store.enums import Role

SESSION_TTL = timedelta(days=30)
SECOND_FACTOR_TTL = timedelta(minutes=10)


@dataclass(frozen=True)
class AccountInfo:
    """What the shop shows of an account (no secrets)."""

    id: int
    phone: str
    nickname: str
    role: Role
    real_name: str | None
    birth_date: date | None
    second_factor: bool
    has_payment_password: bool
    payment_locked_until: datetime | None
    """When the payment lock ends (may be in the past: compare with the clock)."""

    @property
    def verified(self) -> bool:
        """Real-name verified."""
        return self.real_name is not None

    def is_minor(self, today: date) -> bool:
        """Under 18 on `today` (by the verified ID number)."""
        return is_minor(self.birth_date, today)


@dataclass(frozen=True)
class LoggedIn:
    """A successful login: the token to keep on the device, and the account."""

    token: str
    account: AccountInfo


@dataclass(frozen=True)
class SecondFactorNeeded:
    """The first step was right; an SMS code to the account's phone must follow."""

    challenge: str
    phone: str


def account_info(conn: sqlite3.Connection, account_id: int) -> AccountInfo:
    """An account by id."""
    (aid, phone, nickname, role, real_name, birth, second, payment_hash, locked) = conn.execute(
        "SELECT a.id, a.phone, a.nickname, a.role, a.real_name, a.birth_date, a.second_factor,"
        " a.payment_password_hash, l.locked_until FROM account a"
        " LEFT JOIN lockout l ON l.scope = ? AND l.subject = CAST(a.id AS TEXT)"
        " WHERE a.id = ?",
        (PAYMENT_LOCK.scope, account_id),
    ).fetchone()
    return AccountInfo(
        id=aid,
        phone=phone,
        nickname=nickname,
        role=Role(role),
        real_name=real_name,
        birth_date=date.fromisoformat(birth) if birth else None,
        second_factor=bool(second),
        has_payment_password=payment_hash is not None,
        payment_locked_until=from_db_time(locked) if locked else None,
    )


def token_hash(token: str) -> str:
    """What the store keeps of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def account_with_phone(conn: sqlite3.Connection, phone: str) -> int | None:
    """The id of the account of `phone`, if there is one."""
    row = conn.execute("SELECT id FROM account WHERE phone = ?", (phone,)).fetchone()
    return None if row is None else int(row[0])


def phone_of(conn: sqlite3.Connection, account_id: int) -> str:
    """The phone number of an account."""
    return str(conn.execute("SELECT phone FROM account WHERE id = ?", (account_id,)).fetchone()[0])


def create_account(
    conn: sqlite3.Connection, phone: str, nickname: str, password_hash: str, now: datetime
) -> int:
    """A new shopper's account, with the new-user coupons; its id."""
    cursor = conn.execute(
        "INSERT INTO account (phone, nickname, password_hash, role, created_at, second_factor)"
        " VALUES (?, ?, ?, ?, ?, 0)",
        (phone, nickname, password_hash, Role.SHOPPER.value, db_time(now)),
    )
    assert cursor.lastrowid is not None
    record_event(conn, cursor.lastrowid, "registered", now)
    grant_new_user_coupons(conn, cursor.lastrowid, now)
    return cursor.lastrowid


def new_session(
    conn: sqlite3.Connection, account_id: int, *, clock: Clock, device: str, pending: bool
) -> str:
    """Start a session; its token. A pending one waits for a second-verification code."""
    now = clock.now()
    token = secrets.token_urlsafe(32)
    ttl = SECOND_FACTOR_TTL if pending else SESSION_TTL
    conn.execute(
        "INSERT INTO login_session (account_id, token_hash, device, created_at, last_seen_at,"
        " expires_at, pending) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (account_id, token_hash(token), device[:60], db_time(now), db_time(now),
         db_time(now + ttl), int(pending)),
    )  # fmt: skip
    return token


def log_in(
    conn: sqlite3.Connection, account_id: int, *, clock: Clock, device: str, how: str
) -> LoggedIn:
    """A new session of the account on `device`, noted as a login `how`."""
    token = new_session(conn, account_id, clock=clock, device=device, pending=False)
    record_event(conn, account_id, "login", clock.now(), how)
    return LoggedIn(token=token, account=account_info(conn, account_id))


def log_in_or_challenge(
    conn: sqlite3.Connection, account_id: int, *, clock: Clock, device: str, how: str
) -> LoggedIn | SecondFactorNeeded:
    """Log in, or (with second verification on) wait for an SMS code first."""
    row = conn.execute("SELECT second_factor FROM account WHERE id = ?", (account_id,)).fetchone()
    if row[0]:
        challenge = new_session(conn, account_id, clock=clock, device=device, pending=True)
        return SecondFactorNeeded(challenge=challenge, phone=phone_of(conn, account_id))
    return log_in(conn, account_id, clock=clock, device=device, how=how)


def pending_account(conn: sqlite3.Connection, challenge: str, *, clock: Clock) -> int:
    """The account a second-verification challenge is for.

    Raises:
        NotLoggedIn: the challenge is unknown, used or older than 10 minutes.
    """
    row = conn.execute(
        "SELECT account_id FROM login_session WHERE token_hash = ? AND pending = 1"
        " AND ended_at IS NULL AND expires_at > ?",
        (token_hash(challenge), db_time(clock.now())),
    ).fetchone()
    if row is None:
        raise NotLoggedIn()
    return int(row[0])


def session_account(conn: sqlite3.Connection, token: str, *, clock: Clock) -> int:
    """The account a device's token is logged in to.

    Raises:
        NotLoggedIn: the session ended or expired.
    """
    row = conn.execute(
        "SELECT account_id FROM login_session WHERE token_hash = ? AND pending = 0"
        " AND ended_at IS NULL AND expires_at > ?",
        (token_hash(token), db_time(clock.now())),
    ).fetchone()
    if row is None:
        raise NotLoggedIn()
    return int(row[0])


def record_event(
    conn: sqlite3.Connection, account_id: int, kind: str, at: datetime, detail: str = ""
) -> None:
    """Note something that happened to the account's security."""
    conn.execute(
        "INSERT INTO account_event (account_id, kind, at, detail) VALUES (?, ?, ?, ?)",
        (account_id, kind, db_time(at), detail),
    )

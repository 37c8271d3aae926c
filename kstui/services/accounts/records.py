"""Accounts as the store keeps them: what the shop shows of one, sessions, events.

Shared by `accounts` (registration, logging in, sessions) and `account_security`
(passwords, payment password, real name). Session tokens (256 random bits) are given
to the device only; the store keeps their SHA-256. Every change of security leaves an
`account_event` row.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from kstui.providers.clock import Clock
from kstui.services.accounts.errors import NotLoggedIn
from kstui.services.accounts.identity import is_minor
from kstui.services.accounts.lockout import PAYMENT_LOCK
from kstui.services.time_limits import DEFAULT_LIMITS
from kstui.store.coupon_grants import grant_new_user_coupons
from kstui.store.enums import Role
from kstui.store.interface import Transaction, from_db_date, from_db_time

SESSION_TTL = DEFAULT_LIMITS.session
SECOND_FACTOR_TTL = DEFAULT_LIMITS.second_factor


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


def account_info(tx: Transaction, account_id: int) -> AccountInfo:
    """An account by id."""
    row = tx.fetch_one(
        "SELECT a.id, a.phone, a.nickname, a.role, a.real_name, a.birth_date, a.second_factor,"
        " a.payment_password_hash, l.locked_until FROM account a"
        " LEFT JOIN lockout l ON l.scope = :scope AND l.subject = CAST(a.id AS TEXT)"
        " WHERE a.id = :id",
        scope=PAYMENT_LOCK.scope,
        id=account_id,
    )
    assert row is not None, f"no account {account_id}"
    (aid, phone, nickname, role, real_name, birth, second, payment_hash, locked) = row
    return AccountInfo(
        id=aid,
        phone=phone,
        nickname=nickname,
        role=Role(role),
        real_name=real_name,
        birth_date=from_db_date(birth) if birth else None,
        second_factor=bool(second),
        has_payment_password=payment_hash is not None,
        payment_locked_until=from_db_time(locked) if locked else None,
    )


def token_hash(token: str) -> str:
    """What the store keeps of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def account_with_phone(tx: Transaction, phone: str) -> int | None:
    """The id of the account of `phone`, if there is one."""
    found = tx.fetch_value("SELECT id FROM account WHERE phone = :phone", phone=phone)
    return None if found is None else int(found)


def phone_of(tx: Transaction, account_id: int) -> str:
    """The phone number of an account."""
    return str(tx.fetch_value("SELECT phone FROM account WHERE id = :id", id=account_id))


def create_account(
    tx: Transaction, phone: str, nickname: str, password_hash: str, now: datetime
) -> int | None:
    """A new shopper's account, with the new-user coupons; its id.

    None (and nothing written) when the phone has an account already, also one created
    by another transaction at the same moment: the phone's unique key decides, and the
    transaction can go on.
    """
    row = tx.fetch_one(
        "INSERT INTO account (phone, nickname, password_hash, role, created_at, second_factor)"
        " VALUES (:phone, :nickname, :password_hash, :role, :created_at, FALSE)"
        " ON CONFLICT (phone) DO NOTHING RETURNING id",
        phone=phone,
        nickname=nickname,
        password_hash=password_hash,
        role=Role.SHOPPER.value,
        created_at=now,
    )
    if row is None:
        return None
    account_id = int(row[0])
    record_event(tx, account_id, "registered", now)
    grant_new_user_coupons(tx, account_id, now)
    return account_id


def new_session(
    tx: Transaction, account_id: int, *, clock: Clock, device: str, pending: bool
) -> str:
    """Start a session; its token. A pending one waits for a second-verification code."""
    now = clock.now()
    token = secrets.token_urlsafe(32)
    ttl = SECOND_FACTOR_TTL if pending else SESSION_TTL
    tx.execute(
        "INSERT INTO login_session (account_id, token_hash, device, created_at, last_seen_at,"
        " expires_at, pending)"
        " VALUES (:account_id, :token_hash, :device, :now, :now, :expires_at, :pending)",
        account_id=account_id,
        token_hash=token_hash(token),
        device=device[:60],
        now=now,
        expires_at=now + ttl,
        pending=pending,
    )
    return token


def log_in(tx: Transaction, account_id: int, *, clock: Clock, device: str, how: str) -> LoggedIn:
    """A new session of the account on `device`, noted as a login `how`."""
    token = new_session(tx, account_id, clock=clock, device=device, pending=False)
    record_event(tx, account_id, "login", clock.now(), how)
    return LoggedIn(token=token, account=account_info(tx, account_id))


def log_in_or_challenge(
    tx: Transaction, account_id: int, *, clock: Clock, device: str, how: str
) -> LoggedIn | SecondFactorNeeded:
    """Log in, or (with second verification on) wait for an SMS code first."""
    second_factor = tx.fetch_value(
        "SELECT second_factor FROM account WHERE id = :id", id=account_id
    )
    if second_factor:
        challenge = new_session(tx, account_id, clock=clock, device=device, pending=True)
        return SecondFactorNeeded(challenge=challenge, phone=phone_of(tx, account_id))
    return log_in(tx, account_id, clock=clock, device=device, how=how)


def pending_account(tx: Transaction, challenge: str, *, clock: Clock) -> int:
    """The account a second-verification challenge is for.

    Raises:
        NotLoggedIn: the challenge is unknown, used or older than 10 minutes.
    """
    found = tx.fetch_value(
        "SELECT account_id FROM login_session WHERE token_hash = :token_hash AND pending"
        " AND ended_at IS NULL AND expires_at > :now",
        token_hash=token_hash(challenge),
        now=clock.now(),
    )
    if found is None:
        raise NotLoggedIn()
    return int(found)


def session_account(tx: Transaction, token: str, *, clock: Clock) -> int:
    """The account a device's token is logged in to.

    Raises:
        NotLoggedIn: the session ended or expired.
    """
    found = tx.fetch_value(
        "SELECT account_id FROM login_session WHERE token_hash = :token_hash AND NOT pending"
        " AND ended_at IS NULL AND expires_at > :now",
        token_hash=token_hash(token),
        now=clock.now(),
    )
    if found is None:
        raise NotLoggedIn()
    return int(found)


def lock_account(tx: Transaction, account_id: int) -> None:
    """Take the account row's lock for the rest of the transaction (a no-op update of a
    column no key or index holds): another transaction counting or adding things the
    account owns (cart lines, addresses) waits for this one, on either engine."""
    tx.execute("UPDATE account SET nickname = nickname WHERE id = :account", account=account_id)


def record_event(
    tx: Transaction, account_id: int, kind: str, at: datetime, detail: str = ""
) -> None:
    """Note something that happened to the account's security."""
    tx.execute(
        "INSERT INTO account_event (account_id, kind, at, detail)"
        " VALUES (:account_id, :kind, :at, :detail)",
        account_id=account_id,
        kind=kind,
        at=at,
        detail=detail,
    )

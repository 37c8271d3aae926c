"""Accounts: registration, the ways of logging in, and sessions.

Every write runs in one `BEGIN IMMEDIATE` transaction (`Store.writing`). Password
hashing (argon2id, ~0.1 s) is done before the write transaction, never inside it, so
that logins of other shoppers do not queue behind it; what was read is checked again
inside. Where a failure must still leave a trace (a wrong SMS code counts a try, a
wrong password counts towards the lock), the trace is committed and the error raised
after the transaction.
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from kstui.providers.clock import Clock
from kstui.providers.sms import SmsGateway
from kstui.providers.social import SocialIdentity
from kstui.services.accounts.errors import (
    AlreadyLinked,
    LoginFailed,
    PasswordLocked,
    PhoneNotRegistered,
    PhoneTaken,
)
from kstui.services.accounts.hashing import (
    hash_secret,
    needs_rehash,
    password_hasher,
    verify_secret,
)
from kstui.services.accounts.identity import check_new_password, normalize_phone
from kstui.services.accounts.lockout import (
    PASSWORD_LOCK,
    clear,
    locked_until,
    minutes_left,
    record_failure,
)
from kstui.services.accounts.records import (
    SESSION_TTL,
    AccountInfo,
    LoggedIn,
    SecondFactorNeeded,
    account_info,
    account_with_phone,
    create_account,
    log_in,
    log_in_or_challenge,
    pending_account,
    phone_of,
    record_event,
    session_account,
    token_hash,
)
from kstui.services.accounts.sms_codes import Purpose, check_code, send_code
from kstui.services.errors import DomainError
from kstui.store.db import Store, db_time, from_db_time


@dataclass(frozen=True)
class PhoneNeeded:
    """A new 微信/QQ account: a phone number must be bound to create a kstui account."""

    identity: SocialIdentity


@dataclass(frozen=True)
class SessionInfo:
    """A device logged in to an account."""

    id: int
    device: str
    created_at: datetime
    last_seen_at: datetime
    current: bool


@dataclass(frozen=True)
class LinkedAccount:
    """A third-party account linked to this one."""

    provider: str
    nickname: str
    linked_at: datetime


# -- codes ---------------------------------------------------------------------------------


def request_code(
    store: Store, phone_text: str, purpose: Purpose, *, clock: Clock, sms: SmsGateway
) -> datetime:
    """Text a code to a phone; returns when another may be asked for.

    The answer is the same whether or not the phone has an account: what it grants is
    decided when the code is used, once the shopper has shown they hold the phone.

    Raises:
        InvalidPhone, SendTooSoon, DailySmsLimit.
    """
    phone = normalize_phone(phone_text)
    with store.writing() as conn:
        return send_code(conn, phone, purpose, clock=clock, sms=sms)


def request_code_for_account(
    store: Store, token: str, purpose: Purpose, *, clock: Clock, sms: SmsGateway
) -> datetime:
    """Text a code to the phone of the logged-in account (for changes made while in).

    Raises:
        NotLoggedIn, SendTooSoon, DailySmsLimit.
    """
    with store.writing() as conn:
        phone = phone_of(conn, session_account(conn, token, clock=clock))
        return send_code(conn, phone, purpose, clock=clock, sms=sms)


def preview_code(
    store: Store, phone_text: str, purpose: Purpose, code: str, *, clock: Clock
) -> None:
    """Check a code without using it up (a wrong one still counts a try).

    For forms in steps (registration: the code is checked on the first page and used
    when the account is created on the last).

    Raises:
        InvalidPhone, CodeRejected.
    """
    phone = normalize_phone(phone_text)
    with store.writing() as conn:
        rejected = check_code(conn, phone, purpose, code, clock=clock, consume=False)
    if rejected is not None:
        raise rejected


# -- logging in ----------------------------------------------------------------------------


def login_with_code(
    store: Store, phone_text: str, code: str, *, clock: Clock, device: str
) -> LoggedIn:
    """验证码登录. The phone is proven: a password lock on it is lifted.

    Raises:
        InvalidPhone, CodeRejected, PhoneNotRegistered (only once the code was right).
    """
    phone = normalize_phone(phone_text)
    failure: DomainError | None = None
    with store.writing() as conn:
        failure = check_code(conn, phone, Purpose.LOGIN, code, clock=clock)
        if failure is None:
            account_id = account_with_phone(conn, phone)
            if account_id is None:
                failure = PhoneNotRegistered()
            else:
                clear(conn, PASSWORD_LOCK, phone)
                result = log_in(conn, account_id, clock=clock, device=device, how="code")
    if failure is not None:
        raise failure
    return result


def login_with_password(
    store: Store, phone_text: str, password: str, *, clock: Clock, device: str
) -> LoggedIn | SecondFactorNeeded:
    """密码登录; with second verification on, an SMS code must follow.

    A wrong phone and a wrong password give the same error after the same work, and
    count towards the same lock (5 in a row lock the phone's password login for 30
    minutes, registered or not).

    Raises:
        LoginFailed, PasswordLocked.
    """
    try:
        phone: str | None = normalize_phone(phone_text)
    except DomainError:
        phone = None
    now = clock.now()
    with store.reading() as conn:
        row = _password_row(conn, phone)
        until = locked_until(conn, PASSWORD_LOCK, phone, now=now) if phone else None
    if until is not None:
        raise PasswordLocked(until=until, minutes=minutes_left(until, now))
    stored = row[1] if row else None
    right = verify_secret(password_hasher(), stored, password)
    if phone is None:
        raise LoginFailed()
    rehashed = None
    if right and stored is not None and needs_rehash(password_hasher(), stored):
        rehashed = hash_secret(password_hasher(), password)
    failure: DomainError | None = None
    with store.writing() as conn:
        until = locked_until(conn, PASSWORD_LOCK, phone, now=now)
        if until is not None:  # other tries locked it meanwhile
            failure = PasswordLocked(until=until, minutes=minutes_left(until, now))
        elif right and row is not None and _password_row(conn, phone) == row:
            account_id = row[0]
            clear(conn, PASSWORD_LOCK, phone)
            if rehashed is not None:
                conn.execute(
                    "UPDATE account SET password_hash = ? WHERE id = ?", (rehashed, account_id)
                )
            result = log_in_or_challenge(
                conn, account_id, clock=clock, device=device, how="password"
            )
        else:
            failure = _password_failure(conn, phone, row[0] if row else None, now=now)
    if failure is not None:
        raise failure
    return result


def send_second_factor_code(
    store: Store, challenge: str, *, clock: Clock, sms: SmsGateway
) -> datetime:
    """Text the code that completes a login with second verification.

    Raises:
        NotLoggedIn, SendTooSoon, DailySmsLimit.
    """
    with store.writing() as conn:
        account_id = pending_account(conn, challenge, clock=clock)
        return send_code(
            conn, phone_of(conn, account_id), Purpose.SECOND_FACTOR, clock=clock, sms=sms
        )


def complete_second_factor(store: Store, challenge: str, code: str, *, clock: Clock) -> LoggedIn:
    """Finish a login with second verification with the SMS code.

    Raises:
        NotLoggedIn: the challenge is unknown or older than 10 minutes.
        CodeRejected.
    """
    with store.writing() as conn:
        account_id = pending_account(conn, challenge, clock=clock)
        failure = check_code(
            conn, phone_of(conn, account_id), Purpose.SECOND_FACTOR, code, clock=clock
        )
        if failure is None:
            now = clock.now()
            conn.execute(
                "UPDATE login_session SET pending = 0, last_seen_at = ?, expires_at = ?"
                " WHERE token_hash = ?",
                (db_time(now), db_time(now + SESSION_TTL), token_hash(challenge)),
            )
            record_event(conn, account_id, "login", now, "second_factor")
            info = account_info(conn, account_id)
    if failure is not None:
        raise failure
    return LoggedIn(token=challenge, account=info)


def login_with_social(
    store: Store, identity: SocialIdentity, *, clock: Clock, device: str
) -> LoggedIn | SecondFactorNeeded | PhoneNeeded:
    """微信/QQ 登录: sign in to the linked account (after an SMS code if second
    verification is on), or ask for a phone to create one."""
    with store.writing() as conn:
        row = conn.execute(
            "SELECT account_id FROM linked_identity WHERE provider = ? AND subject = ?",
            (identity.provider.value, identity.subject),
        ).fetchone()
        if row is None:
            return PhoneNeeded(identity=identity)
        return log_in_or_challenge(
            conn, row[0], clock=clock, device=device, how=identity.provider.value
        )


def bind_phone(
    store: Store,
    identity: SocialIdentity,
    phone_text: str,
    code: str,
    *,
    clock: Clock,
    device: str,
) -> LoggedIn:
    """Link a new 微信/QQ account to the phone's account (created if there is none).

    Raises:
        InvalidPhone, CodeRejected, AlreadyLinked.
    """
    phone = normalize_phone(phone_text)
    unusable = hash_secret(password_hasher(), secrets.token_urlsafe(24))
    failure: DomainError | None = None
    with store.writing() as conn:
        failure = check_code(conn, phone, Purpose.BIND_PHONE, code, clock=clock)
        account_id = account_with_phone(conn, phone)
        if failure is None:
            failure = _cannot_link(conn, identity, account_id)
        if failure is None:
            now = clock.now()
            if account_id is None:
                account_id = create_account(conn, phone, identity.nickname[:30], unusable, now)
            conn.execute(
                "INSERT INTO linked_identity (account_id, provider, subject, nickname, linked_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (account_id, identity.provider.value, identity.subject, identity.nickname,
                 db_time(now)),
            )  # fmt: skip
            record_event(conn, account_id, "linked", now, identity.provider.value)
            clear(conn, PASSWORD_LOCK, phone)
            result = log_in(
                conn, account_id, clock=clock, device=device, how=identity.provider.value
            )
    if failure is not None:
        raise failure
    return result


def register(
    store: Store,
    phone_text: str,
    code: str,
    password: str,
    confirm: str,
    *,
    clock: Clock,
    device: str,
    nickname: str | None = None,
) -> LoggedIn:
    """注册: phone, code, password; logs the new account in.

    Raises:
        InvalidPhone, WeakPassword, PasswordsDiffer, CodeRejected,
        PhoneTaken (only once the code was right).
    """
    phone = normalize_phone(phone_text)
    check_new_password(password, confirm)
    password_hash = hash_secret(password_hasher(), password)
    with store.writing() as conn:
        failure: DomainError | None = check_code(conn, phone, Purpose.REGISTER, code, clock=clock)
        if failure is None and account_with_phone(conn, phone) is not None:
            failure = PhoneTaken()
        if failure is None:
            now = clock.now()
            name = nickname or f"快手用户{phone[-4:]}"
            account_id = create_account(conn, phone, name, password_hash, now)
            clear(conn, PASSWORD_LOCK, phone)  # guesses before it existed do not count
            result = log_in(conn, account_id, clock=clock, device=device, how="register")
    if failure is not None:
        raise failure
    return result


# -- sessions ------------------------------------------------------------------------------


def account_for_token(store: Store, token: str | None, *, clock: Clock) -> AccountInfo | None:
    """The account a device's token logs in, or None if it is over; notes the visit."""
    if not token:
        return None
    now = clock.now()
    with store.writing() as conn:
        row = conn.execute(
            "SELECT id, account_id FROM login_session WHERE token_hash = ? AND ended_at IS NULL"
            " AND pending = 0 AND expires_at > ?",
            (token_hash(token), db_time(now)),
        ).fetchone()
        if row is None:
            return None
        conn.execute(
            "UPDATE login_session SET last_seen_at = ? WHERE id = ?", (db_time(now), row[0])
        )
        return account_info(conn, row[1])


def logout(store: Store, token: str, *, clock: Clock) -> None:
    """End the session of this device."""
    now = clock.now()
    with store.writing() as conn:
        row = conn.execute(
            "SELECT id, account_id FROM login_session WHERE token_hash = ? AND ended_at IS NULL",
            (token_hash(token),),
        ).fetchone()
        if row is not None:
            conn.execute(
                "UPDATE login_session SET ended_at = ? WHERE id = ?", (db_time(now), row[0])
            )
            record_event(conn, row[1], "logout", now)


def sessions(conn: sqlite3.Connection, token: str, *, clock: Clock) -> list[SessionInfo]:
    """The devices logged in to the account of `token`, this one first."""
    account_id = session_account(conn, token, clock=clock)
    current = token_hash(token)
    rows = conn.execute(
        "SELECT id, device, created_at, last_seen_at, token_hash FROM login_session"
        " WHERE account_id = ? AND ended_at IS NULL AND pending = 0 AND expires_at > ?"
        " ORDER BY token_hash = ? DESC, last_seen_at DESC",
        (account_id, db_time(clock.now()), current),
    )
    return [
        SessionInfo(sid, device, from_db_time(created), from_db_time(seen), th == current)
        for sid, device, created, seen, th in rows
    ]


@dataclass(frozen=True)
class SecurityLists:
    """What the account screen lists: logged-in devices and linked 微信/QQ accounts."""

    sessions: list[SessionInfo]
    linked: list[LinkedAccount]


def security_lists(store: Store, token: str, *, clock: Clock) -> SecurityLists:
    """The devices and linked accounts of the account of `token`.

    Raises:
        NotLoggedIn.
    """
    with store.reading() as conn:
        account_id = session_account(conn, token, clock=clock)
        return SecurityLists(sessions(conn, token, clock=clock), linked_accounts(conn, account_id))


def end_session(store: Store, token: str, session_id: int, *, clock: Clock) -> None:
    """End another device's session (下线)."""
    now = clock.now()
    with store.writing() as conn:
        account_id = session_account(conn, token, clock=clock)
        ended = conn.execute(
            "UPDATE login_session SET ended_at = ? WHERE id = ? AND account_id = ?"
            " AND ended_at IS NULL",
            (db_time(now), session_id, account_id),
        )
        if ended.rowcount:
            record_event(conn, account_id, "session_ended", now, str(session_id))


def linked_accounts(conn: sqlite3.Connection, account_id: int) -> list[LinkedAccount]:
    """微信 / QQ accounts linked to this account."""
    rows = conn.execute(
        "SELECT provider, nickname, linked_at FROM linked_identity WHERE account_id = ?"
        " ORDER BY linked_at",
        (account_id,),
    )
    return [LinkedAccount(p, n, from_db_time(at)) for p, n, at in rows]


# -- helpers -------------------------------------------------------------------------------


def _password_row(conn: sqlite3.Connection, phone: str | None) -> tuple[int, str] | None:
    if phone is None:
        return None
    row = conn.execute("SELECT id, password_hash FROM account WHERE phone = ?", (phone,))
    found = row.fetchone()
    return None if found is None else (int(found[0]), str(found[1]))


def _password_failure(
    conn: sqlite3.Connection, phone: str, account_id: int | None, *, now: datetime
) -> DomainError:
    """Count a wrong password for `phone`; the error to show."""
    failure = record_failure(conn, PASSWORD_LOCK, phone, now=now)
    if failure.locked_until is None:
        return LoginFailed(reason="tries", left=failure.left)
    if account_id is not None:
        record_event(conn, account_id, "password_locked", now)
    return PasswordLocked(
        until=failure.locked_until, minutes=minutes_left(failure.locked_until, now)
    )


def _cannot_link(
    conn: sqlite3.Connection, identity: SocialIdentity, account_id: int | None
) -> AlreadyLinked | None:
    linked = conn.execute(
        "SELECT 1 FROM linked_identity WHERE provider = ? AND subject = ?",
        (identity.provider.value, identity.subject),
    ).fetchone()
    if linked is not None:
        return AlreadyLinked(reason="identity")
    if account_id is not None:
        same_kind = conn.execute(
            "SELECT 1 FROM linked_identity WHERE account_id = ? AND provider = ?",
            (account_id, identity.provider.value),
        ).fetchone()
        if same_kind is not None:
            return AlreadyLinked(reason="provider")
    return None

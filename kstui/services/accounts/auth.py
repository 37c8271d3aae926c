"""Accounts: registration, the ways of logging in, and sessions.

Every write runs in one write transaction (`Store.writing`). Password hashing
(argon2id, ~0.1 s) is done before the write transaction, never inside it, so that
logins of other shoppers do not queue behind it; what was read is checked again inside,
by conditional statements (concurrent write transactions may run at once). Where a
failure must still leave a trace (a wrong SMS code counts a try, a wrong password counts
towards the lock), the trace is committed and the error raised after the transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from kstui.providers.clock import Clock
from kstui.providers.sms import SmsGateway
from kstui.providers.social import SocialIdentity
from kstui.services.accounts.errors import (
    AlreadyLinked,
    LoginFailed,
    NotLoggedIn,
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
    clear_unless_locked,
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
from kstui.store.interface import Store, Transaction, from_db_time


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
    with store.writing() as tx:
        return send_code(tx, phone, purpose, clock=clock, sms=sms)


def request_code_for_account(
    store: Store, token: str, purpose: Purpose, *, clock: Clock, sms: SmsGateway
) -> datetime:
    """Text a code to the phone of the logged-in account (for changes made while in).

    Raises:
        NotLoggedIn, SendTooSoon, DailySmsLimit.
    """
    with store.writing() as tx:
        phone = phone_of(tx, session_account(tx, token, clock=clock))
        return send_code(tx, phone, purpose, clock=clock, sms=sms)


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
    with store.writing() as tx:
        rejected = check_code(tx, phone, purpose, code, clock=clock, consume=False)
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
    with store.writing() as tx:
        failure = check_code(tx, phone, Purpose.LOGIN, code, clock=clock)
        if failure is None:
            account_id = account_with_phone(tx, phone)
            if account_id is None:
                failure = PhoneNotRegistered()
            else:
                clear(tx, PASSWORD_LOCK, phone)
                result = log_in(tx, account_id, clock=clock, device=device, how="code")
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
    try:
        return _password_login(store, phone, password, now, clock=clock, device=device)
    except _PasswordChanged:
        # Changed since it was read: set anew, or rehashed by a login at the same time (the
        # same password with new parameters). Checked again against it, counted this time.
        return _password_login(
            store, phone, password, now, clock=clock, device=device, last_try=True
        )


class _PasswordChanged(Exception):
    """The password hash changed between reading and writing (raised out of the write,
    which rolls it back)."""


def _password_login(
    store: Store,
    phone: str | None,
    password: str,
    now: datetime,
    *,
    clock: Clock,
    device: str,
    last_try: bool = False,
) -> LoggedIn | SecondFactorNeeded:
    with store.reading() as tx:
        row = _password_row(tx, phone)
        until = locked_until(tx, PASSWORD_LOCK, phone, now=now) if phone else None
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
    with store.writing() as tx:
        still = row is not None and _password_still(tx, phone, row)
        if row is not None and not still and not last_try:
            raise _PasswordChanged()
        if right and row is not None and still:
            account_id = row[0]
            until = clear_unless_locked(tx, PASSWORD_LOCK, phone, now=now)
            if until is not None:  # other tries locked it meanwhile
                failure = PasswordLocked(until=until, minutes=minutes_left(until, now))
            else:
                if rehashed is not None:
                    tx.execute(
                        "UPDATE account SET password_hash = :password_hash WHERE id = :id",
                        password_hash=rehashed,
                        id=account_id,
                    )
                result = log_in_or_challenge(
                    tx, account_id, clock=clock, device=device, how="password"
                )
        else:  # a lock other tries started meanwhile is told, and this one not counted
            failure = _password_failure(tx, phone, row[0] if row else None, now=now)
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
    with store.writing() as tx:
        account_id = pending_account(tx, challenge, clock=clock)
        return send_code(tx, phone_of(tx, account_id), Purpose.SECOND_FACTOR, clock=clock, sms=sms)


def complete_second_factor(store: Store, challenge: str, code: str, *, clock: Clock) -> LoggedIn:
    """Finish a login with second verification with the SMS code.

    Raises:
        NotLoggedIn: the challenge is unknown or older than 10 minutes.
        CodeRejected.
    """
    with store.writing() as tx:
        account_id = pending_account(tx, challenge, clock=clock)
        failure = check_code(tx, phone_of(tx, account_id), Purpose.SECOND_FACTOR, code, clock=clock)
        if failure is None:
            now = clock.now()
            completed = tx.execute(
                "UPDATE login_session SET pending = FALSE, last_seen_at = :now,"
                " expires_at = :expires_at"
                " WHERE token_hash = :token_hash AND pending AND ended_at IS NULL",
                now=now,
                expires_at=now + SESSION_TTL,
                token_hash=token_hash(challenge),
            )
            if not completed:  # ended meanwhile (the whole transaction is undone)
                raise NotLoggedIn()
            record_event(tx, account_id, "login", now, "second_factor")
            info = account_info(tx, account_id)
    if failure is not None:
        raise failure
    return LoggedIn(token=challenge, account=info)


def login_with_social(
    store: Store, identity: SocialIdentity, *, clock: Clock, device: str
) -> LoggedIn | SecondFactorNeeded | PhoneNeeded:
    """微信/QQ 登录: sign in to the linked account (after an SMS code if second
    verification is on), or ask for a phone to create one."""
    with store.writing() as tx:
        linked = tx.fetch_value(
            "SELECT account_id FROM linked_identity WHERE provider = :provider"
            " AND subject = :subject",
            provider=identity.provider.value,
            subject=identity.subject,
        )
        if linked is None:
            return PhoneNeeded(identity=identity)
        return log_in_or_challenge(
            tx, int(linked), clock=clock, device=device, how=identity.provider.value
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
    with store.writing() as tx:
        failure = check_code(tx, phone, Purpose.BIND_PHONE, code, clock=clock)
        account_id = account_with_phone(tx, phone)
        if failure is None:
            failure = _cannot_link(tx, identity, account_id)
        if failure is None:
            now = clock.now()
            if account_id is None:
                account_id = create_account(tx, phone, identity.nickname[:30], unusable, now)
                if account_id is None:  # created meanwhile by another transaction: link that
                    account_id = account_with_phone(tx, phone)
                    failure = _cannot_link(tx, identity, account_id)
            if failure is None:
                assert account_id is not None
                _link(tx, account_id, identity, now)
                record_event(tx, account_id, "linked", now, identity.provider.value)
                clear(tx, PASSWORD_LOCK, phone)
                result = log_in(
                    tx, account_id, clock=clock, device=device, how=identity.provider.value
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
    with store.writing() as tx:
        failure: DomainError | None = check_code(tx, phone, Purpose.REGISTER, code, clock=clock)
        if failure is None:
            now = clock.now()
            name = nickname or f"快手用户{phone[-4:]}"
            account_id = create_account(tx, phone, name, password_hash, now)
            if account_id is None:  # the phone has an account (the code is used up all the same)
                failure = PhoneTaken()
            else:
                clear(tx, PASSWORD_LOCK, phone)  # guesses before it existed do not count
                result = log_in(tx, account_id, clock=clock, device=device, how="register")
    if failure is not None:
        raise failure
    return result


# -- sessions ------------------------------------------------------------------------------


def account_for_token(store: Store, token: str | None, *, clock: Clock) -> AccountInfo | None:
    """The account a device's token logs in, or None if it is over; notes the visit."""
    if not token:
        return None
    now = clock.now()
    with store.writing() as tx:
        row = tx.fetch_one(
            "SELECT id, account_id FROM login_session WHERE token_hash = :token_hash"
            " AND ended_at IS NULL AND NOT pending AND expires_at > :now",
            token_hash=token_hash(token),
            now=now,
        )
        if row is None:
            return None
        tx.execute(
            "UPDATE login_session SET last_seen_at = :now WHERE id = :id", now=now, id=row[0]
        )
        return account_info(tx, row[1])


def logout(store: Store, token: str, *, clock: Clock) -> None:
    """End the session of this device."""
    now = clock.now()
    with store.writing() as tx:
        ended = tx.fetch_one(
            "UPDATE login_session SET ended_at = :now WHERE token_hash = :token_hash"
            " AND ended_at IS NULL RETURNING account_id",
            now=now,
            token_hash=token_hash(token),
        )
        if ended is not None:
            record_event(tx, ended[0], "logout", now)


def sessions(tx: Transaction, token: str, *, clock: Clock) -> list[SessionInfo]:
    """The devices logged in to the account of `token`, this one first."""
    account_id = session_account(tx, token, clock=clock)
    current = token_hash(token)
    rows = tx.fetch_all(
        "SELECT id, device, created_at, last_seen_at, token_hash FROM login_session"
        " WHERE account_id = :account_id AND ended_at IS NULL AND NOT pending"
        " AND expires_at > :now"
        " ORDER BY token_hash = :current DESC, last_seen_at DESC, id",
        account_id=account_id,
        now=clock.now(),
        current=current,
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
    with store.reading() as tx:
        account_id = session_account(tx, token, clock=clock)
        return SecurityLists(sessions(tx, token, clock=clock), linked_accounts(tx, account_id))


def end_session(store: Store, token: str, session_id: int, *, clock: Clock) -> None:
    """End another device's session (下线)."""
    now = clock.now()
    with store.writing() as tx:
        account_id = session_account(tx, token, clock=clock)
        ended = tx.execute(
            "UPDATE login_session SET ended_at = :now WHERE id = :id AND account_id = :account_id"
            " AND ended_at IS NULL",
            now=now,
            id=session_id,
            account_id=account_id,
        )
        if ended:
            record_event(tx, account_id, "session_ended", now, str(session_id))


def linked_accounts(tx: Transaction, account_id: int) -> list[LinkedAccount]:
    """微信 / QQ accounts linked to this account."""
    rows = tx.fetch_all(
        "SELECT provider, nickname, linked_at FROM linked_identity WHERE account_id = :account_id"
        " ORDER BY linked_at, id",
        account_id=account_id,
    )
    return [LinkedAccount(p, n, from_db_time(at)) for p, n, at in rows]


# -- helpers -------------------------------------------------------------------------------


def _password_row(tx: Transaction, phone: str | None) -> tuple[int, str] | None:
    if phone is None:
        return None
    found = tx.fetch_one("SELECT id, password_hash FROM account WHERE phone = :phone", phone=phone)
    return None if found is None else (int(found[0]), str(found[1]))


def _password_still(tx: Transaction, phone: str, row: tuple[int, str]) -> bool:
    """Inside the write: is `row` still the phone's account and password?

    A conditional no-op update rather than a read: it also holds the account's row
    until the transaction ends, so that a password change made meanwhile waits for this
    login (and ends its new session) instead of passing it by.
    """
    account_id, stored = row
    return bool(
        tx.execute(
            "UPDATE account SET password_hash = password_hash"
            " WHERE id = :id AND phone = :phone AND password_hash = :stored",
            id=account_id,
            phone=phone,
            stored=stored,
        )
    )


def _password_failure(
    tx: Transaction, phone: str, account_id: int | None, *, now: datetime
) -> DomainError:
    """Count a wrong password for `phone`; the error to show."""
    failure = record_failure(tx, PASSWORD_LOCK, phone, now=now)
    if failure.locked_until is None:
        return LoginFailed(reason="tries", left=failure.left)
    if account_id is not None and not failure.already_locked:
        record_event(tx, account_id, "password_locked", now)
    return PasswordLocked(
        until=failure.locked_until, minutes=minutes_left(failure.locked_until, now)
    )


def _cannot_link(
    tx: Transaction, identity: SocialIdentity, account_id: int | None
) -> AlreadyLinked | None:
    linked = tx.fetch_one(
        "SELECT 1 FROM linked_identity WHERE provider = :provider AND subject = :subject",
        provider=identity.provider.value,
        subject=identity.subject,
    )
    if linked is not None:
        return AlreadyLinked(reason="identity")
    if account_id is not None:
        same_kind = tx.fetch_one(
            "SELECT 1 FROM linked_identity WHERE account_id = :account_id AND provider = :provider",
            account_id=account_id,
            provider=identity.provider.value,
        )
        if same_kind is not None:
            return AlreadyLinked(reason="provider")
    return None


def _link(tx: Transaction, account_id: int, identity: SocialIdentity, now: datetime) -> None:
    """Link the identity to the account.

    Raises:
        AlreadyLinked: the identity, or one of its provider for this account, was linked
            meanwhile by another transaction (this one is undone whole: nothing of it,
            not even an account it created, is kept).
    """
    linked = tx.execute(
        "INSERT INTO linked_identity (account_id, provider, subject, nickname, linked_at)"
        " VALUES (:account_id, :provider, :subject, :nickname, :linked_at)"
        " ON CONFLICT DO NOTHING",  # either unique key: (provider, subject), one per provider
        account_id=account_id,
        provider=identity.provider.value,
        subject=identity.subject,
        nickname=identity.nickname,
        linked_at=now,
    )
    if not linked:
        raise _cannot_link(tx, identity, account_id) or AlreadyLinked(reason="identity")

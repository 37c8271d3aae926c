"""Accounts: registration, the ways of logging in, sessions, and account security.

Every write runs in one `BEGIN IMMEDIATE` transaction (`Store.writing`). Where a
failure must still leave a trace (a wrong SMS code counts a try, a wrong payment
password counts towards the lock), the trace is committed and the error raised after
the transaction. Session tokens (256 random bits) are given to the device only; the
store keeps their SHA-256. Every change of security leaves an `account_event` row.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kstui.providers.clock import Clock
from kstui.providers.sms import SmsGateway
from kstui.providers.social import SocialIdentity
from kstui.services.errors import (
    CodeRejected,
    DomainError,
    IdNumberTaken,
    LoginFailed,
    NotLoggedIn,
    PaymentLocked,
    PaymentPasswordNotSet,
    PaymentPasswordWrong,
    PhoneNotRegistered,
    PhoneTaken,
    ProofNeeded,
    WrongPassword,
)
from kstui.services.identity import (
    check_id_number,
    check_new_password,
    check_payment_password,
    check_real_name,
    is_minor,
    normalize_phone,
)
from kstui.services.secrets_hashing import (
    hash_secret,
    needs_rehash,
    password_hasher,
    verify_secret,
)
from kstui.services.sms_codes import Purpose, check_code, send_code
from kstui.store.db import Store, db_time, from_db_time
from kstui.store.enums import Role
from kstui.timefmt import CHINA

SESSION_TTL = timedelta(days=30)
SECOND_FACTOR_TTL = timedelta(minutes=10)
PAYMENT_MAX_FAILURES = 5
PAYMENT_LOCK = timedelta(minutes=30)


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
    """The password was right; an SMS code to the account's phone must follow."""

    challenge: str
    phone: str


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
    store: Store, account_id: int, purpose: Purpose, *, clock: Clock, sms: SmsGateway
) -> datetime:
    """Text a code to the phone of an account (for changes made while logged in)."""
    with store.writing() as conn:
        phone = _phone_of(conn, account_id)
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
    """验证码登录.

    Raises:
        InvalidPhone, CodeRejected, PhoneNotRegistered (only once the code was right).
    """
    phone = normalize_phone(phone_text)
    failure: DomainError | None = None
    with store.writing() as conn:
        failure = check_code(conn, phone, Purpose.LOGIN, code, clock=clock)
        if failure is None:
            account_id = _account_id(conn, phone)
            if account_id is None:
                failure = PhoneNotRegistered()
            else:
                result = _log_in(conn, account_id, clock=clock, device=device, how="code")
    if failure is not None:
        raise failure
    return result


def login_with_password(
    store: Store, phone_text: str, password: str, *, clock: Clock, device: str
) -> LoggedIn | SecondFactorNeeded:
    """密码登录; with second verification on, an SMS code must follow.

    A wrong phone and a wrong password give the same error after the same work.

    Raises:
        LoginFailed.
    """
    try:
        phone = normalize_phone(phone_text)
    except DomainError:
        phone = None
    with store.writing() as conn:
        row = None
        if phone is not None:
            row = conn.execute(
                "SELECT id, password_hash, second_factor FROM account WHERE phone = ?", (phone,)
            ).fetchone()
        stored: str | None = row[1] if row else None
        if not verify_secret(password_hasher(), stored, password) or row is None or not stored:
            raise LoginFailed()
        account_id, _, second_factor = row
        if needs_rehash(password_hasher(), stored):
            conn.execute(
                "UPDATE account SET password_hash = ? WHERE id = ?",
                (hash_secret(password_hasher(), password), account_id),
            )
        if second_factor:
            challenge = _new_session(conn, account_id, clock=clock, device=device, pending=True)
            return SecondFactorNeeded(challenge=challenge, phone=phone or "")
        return _log_in(conn, account_id, clock=clock, device=device, how="password")


def send_second_factor_code(
    store: Store, challenge: str, *, clock: Clock, sms: SmsGateway
) -> datetime:
    """Text the code that completes a password login with second verification."""
    with store.writing() as conn:
        account_id = _pending_account(conn, challenge, clock=clock)
        return send_code(
            conn, _phone_of(conn, account_id), Purpose.SECOND_FACTOR, clock=clock, sms=sms
        )


def complete_second_factor(store: Store, challenge: str, code: str, *, clock: Clock) -> LoggedIn:
    """Finish a password login with the SMS code.

    Raises:
        NotLoggedIn: the challenge is unknown or older than 10 minutes.
        CodeRejected.
    """
    with store.writing() as conn:
        account_id = _pending_account(conn, challenge, clock=clock)
        failure = check_code(
            conn, _phone_of(conn, account_id), Purpose.SECOND_FACTOR, code, clock=clock
        )
        if failure is None:
            now = clock.now()
            conn.execute(
                "UPDATE login_session SET pending = 0, last_seen_at = ?, expires_at = ?"
                " WHERE token_hash = ?",
                (db_time(now), db_time(now + SESSION_TTL), _token_hash(challenge)),
            )
            _event(conn, account_id, "login", now, "password+sms")
            info = _info(conn, account_id)
    if failure is not None:
        raise failure
    return LoggedIn(token=challenge, account=info)


def login_with_social(
    store: Store, identity: SocialIdentity, *, clock: Clock, device: str
) -> LoggedIn | PhoneNeeded:
    """微信/QQ 登录: sign in to the linked account, or ask for a phone to create one."""
    with store.writing() as conn:
        row = conn.execute(
            "SELECT account_id FROM linked_identity WHERE provider = ? AND subject = ?",
            (identity.provider.value, identity.subject),
        ).fetchone()
        if row is None:
            return PhoneNeeded(identity=identity)
        return _log_in(conn, row[0], clock=clock, device=device, how=identity.provider.value)


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
        InvalidPhone, CodeRejected.
    """
    phone = normalize_phone(phone_text)
    with store.writing() as conn:
        failure = check_code(conn, phone, Purpose.BIND_PHONE, code, clock=clock)
        if failure is None:
            now = clock.now()
            account_id = _account_id(conn, phone)
            if account_id is None:
                unusable = hash_secret(password_hasher(), secrets.token_urlsafe(24))
                account_id = _create_account(conn, phone, identity.nickname[:30], unusable, now)
            conn.execute(
                "INSERT INTO linked_identity (account_id, provider, subject, nickname, linked_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (account_id, identity.provider.value, identity.subject, identity.nickname,
                 db_time(now)),
            )  # fmt: skip
            _event(conn, account_id, "linked", now, identity.provider.value)
            result = _log_in(
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
    with store.writing() as conn:
        failure: DomainError | None = check_code(conn, phone, Purpose.REGISTER, code, clock=clock)
        if failure is None and _account_id(conn, phone) is not None:
            failure = PhoneTaken()
        if failure is None:
            now = clock.now()
            name = nickname or f"快手用户{phone[-4:]}"
            account_id = _create_account(
                conn, phone, name, hash_secret(password_hasher(), password), now
            )
            result = _log_in(conn, account_id, clock=clock, device=device, how="register")
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
            (_token_hash(token), db_time(now)),
        ).fetchone()
        if row is None:
            return None
        conn.execute(
            "UPDATE login_session SET last_seen_at = ? WHERE id = ?", (db_time(now), row[0])
        )
        return _info(conn, row[1])


def logout(store: Store, token: str, *, clock: Clock) -> None:
    """End the session of this device."""
    now = clock.now()
    with store.writing() as conn:
        row = conn.execute(
            "SELECT id, account_id FROM login_session WHERE token_hash = ? AND ended_at IS NULL",
            (_token_hash(token),),
        ).fetchone()
        if row is not None:
            conn.execute(
                "UPDATE login_session SET ended_at = ? WHERE id = ?", (db_time(now), row[0])
            )
            _event(conn, row[1], "logout", now)


def sessions(conn: sqlite3.Connection, token: str, *, clock: Clock) -> list[SessionInfo]:
    """The devices logged in to the account of `token`, this one first."""
    account_id = _session_account(conn, token, clock=clock)
    current = _token_hash(token)
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


def end_session(store: Store, token: str, session_id: int, *, clock: Clock) -> None:
    """End another device's session (下线)."""
    now = clock.now()
    with store.writing() as conn:
        account_id = _session_account(conn, token, clock=clock)
        ended = conn.execute(
            "UPDATE login_session SET ended_at = ? WHERE id = ? AND account_id = ?"
            " AND ended_at IS NULL",
            (db_time(now), session_id, account_id),
        )
        if ended.rowcount:
            _event(conn, account_id, "session_ended", now, str(session_id))


def linked_accounts(conn: sqlite3.Connection, account_id: int) -> list[LinkedAccount]:
    """微信 / QQ accounts linked to this account."""
    rows = conn.execute(
        "SELECT provider, nickname, linked_at FROM linked_identity WHERE account_id = ?"
        " ORDER BY linked_at",
        (account_id,),
    )
    return [LinkedAccount(p, n, from_db_time(at)) for p, n, at in rows]


# -- security ------------------------------------------------------------------------------


def change_password(
    store: Store,
    token: str,
    new: str,
    confirm: str,
    *,
    current: str | None = None,
    code: str | None = None,
    clock: Clock,
    device: str,
) -> LoggedIn:
    """Change the login password with the current one or an SMS code.

    Every session of the account ends, this one included; the returned login is the
    device's new session.

    Raises:
        ProofNeeded, WrongPassword, CodeRejected, WeakPassword, PasswordsDiffer, NotLoggedIn.
    """
    check_new_password(new, confirm)
    with store.writing() as conn:
        account_id = _session_account(conn, token, clock=clock)
        failure = _prove(conn, account_id, "password_hash", current, code,
                         Purpose.CHANGE_PASSWORD, clock=clock)  # fmt: skip
        if failure is None:
            now = clock.now()
            conn.execute(
                "UPDATE account SET password_hash = ? WHERE id = ?",
                (hash_secret(password_hasher(), new), account_id),
            )
            conn.execute(
                "UPDATE login_session SET ended_at = ? WHERE account_id = ? AND ended_at IS NULL",
                (db_time(now), account_id),
            )
            _event(conn, account_id, "password_changed", now)
            result = _log_in(conn, account_id, clock=clock, device=device, how="password_changed")
    if failure is not None:
        raise failure
    return result


def set_second_factor(store: Store, token: str, enabled: bool, *, clock: Clock) -> AccountInfo:
    """Turn the SMS code after the password at login on or off."""
    now = clock.now()
    with store.writing() as conn:
        account_id = _session_account(conn, token, clock=clock)
        conn.execute(
            "UPDATE account SET second_factor = ? WHERE id = ?", (int(enabled), account_id)
        )
        _event(conn, account_id, "second_factor_on" if enabled else "second_factor_off", now)
        return _info(conn, account_id)


def verify_real_name(
    store: Store, token: str, name: str, id_number: str, *, clock: Clock
) -> AccountInfo:
    """实名认证: a name and an 18-digit resident ID number; the birth date gives the age.

    Raises:
        InvalidName, InvalidIdNumber, IdNumberTaken, NotLoggedIn.
    """
    real_name = check_real_name(name)
    now = clock.now()
    resident = check_id_number(id_number, today=now.astimezone(CHINA).date())
    with store.writing() as conn:
        account_id = _session_account(conn, token, clock=clock)
        taken = conn.execute(
            "SELECT id FROM account WHERE id_number = ? AND id != ?",
            (resident.number, account_id),
        ).fetchone()
        if taken is not None:
            raise IdNumberTaken()
        conn.execute(
            "UPDATE account SET real_name = ?, id_number = ?, birth_date = ? WHERE id = ?",
            (real_name, resident.number, resident.birth_date.isoformat(), account_id),
        )
        _event(conn, account_id, "real_name_verified", now)
        return _info(conn, account_id)


def set_payment_password(
    store: Store,
    token: str,
    new: str,
    confirm: str,
    *,
    old: str | None = None,
    code: str | None = None,
    clock: Clock,
) -> None:
    """Set the 6-digit payment password; changing one needs the old one or an SMS code.

    Raises:
        TrivialPaymentPassword, PasswordsDiffer, ProofNeeded, WrongPassword,
        CodeRejected, NotLoggedIn.
    """
    with store.writing() as conn:
        account_id = _session_account(conn, token, clock=clock)
        stored, birth, id_number = conn.execute(
            "SELECT payment_password_hash, birth_date, id_number FROM account WHERE id = ?",
            (account_id,),
        ).fetchone()
        check_payment_password(
            new, confirm,
            birth_date=date.fromisoformat(birth) if birth else None, id_number=id_number,
        )  # fmt: skip
        failure = None
        if stored is not None:
            failure = _prove(conn, account_id, "payment_password_hash", old, code,
                             Purpose.PAYMENT_PASSWORD, clock=clock)  # fmt: skip
        if failure is None:
            now = clock.now()
            conn.execute(
                "UPDATE account SET payment_password_hash = ?, payment_failures = 0,"
                " payment_locked_until = NULL WHERE id = ?",
                (hash_secret(password_hasher(), new), account_id),
            )
            _event(conn, account_id, "payment_password_set", now)
    if failure is not None:
        raise failure


def verify_payment_password(store: Store, account_id: int, password: str, *, clock: Clock) -> None:
    """Check the payment password before a payment.

    Five wrong passwords in a row lock payments for 30 minutes.

    Raises:
        PaymentPasswordNotSet, PaymentLocked, PaymentPasswordWrong.
    """
    now = clock.now()
    failure: DomainError | None = None
    with store.writing() as conn:
        stored, failures, locked_until = conn.execute(
            "SELECT payment_password_hash, payment_failures, payment_locked_until FROM account"
            " WHERE id = ?",
            (account_id,),
        ).fetchone()
        if stored is None:
            raise PaymentPasswordNotSet()
        if locked_until is not None and from_db_time(locked_until) > now:
            raise PaymentLocked(until=from_db_time(locked_until), minutes=_minutes_until(
                from_db_time(locked_until), now))  # fmt: skip
        if verify_secret(password_hasher(), stored, password):
            conn.execute(
                "UPDATE account SET payment_failures = 0, payment_locked_until = NULL WHERE id = ?",
                (account_id,),
            )
            return
        failures = (failures if locked_until is None else 0) + 1
        if failures >= PAYMENT_MAX_FAILURES:
            until = now + PAYMENT_LOCK
            conn.execute(
                "UPDATE account SET payment_failures = 0, payment_locked_until = ? WHERE id = ?",
                (db_time(until), account_id),
            )
            _event(conn, account_id, "payment_locked", now)
            failure = PaymentLocked(until=until, minutes=_minutes_until(until, now))
        else:
            conn.execute(
                "UPDATE account SET payment_failures = ?, payment_locked_until = NULL WHERE id = ?",
                (failures, account_id),
            )
            failure = PaymentPasswordWrong(left=PAYMENT_MAX_FAILURES - failures)
    raise failure


def account_info(conn: sqlite3.Connection, account_id: int) -> AccountInfo:
    """An account by id."""
    return _info(conn, account_id)


# -- helpers -------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _minutes_until(until: datetime, now: datetime) -> int:
    return max(1, -(-int((until - now).total_seconds()) // 60))


def _account_id(conn: sqlite3.Connection, phone: str) -> int | None:
    row = conn.execute("SELECT id FROM account WHERE phone = ?", (phone,)).fetchone()
    return None if row is None else int(row[0])


def _phone_of(conn: sqlite3.Connection, account_id: int) -> str:
    return str(conn.execute("SELECT phone FROM account WHERE id = ?", (account_id,)).fetchone()[0])


def _create_account(
    conn: sqlite3.Connection, phone: str, nickname: str, password_hash: str, now: datetime
) -> int:
    cursor = conn.execute(
        "INSERT INTO account (phone, nickname, password_hash, role, created_at, second_factor,"
        " payment_failures) VALUES (?, ?, ?, ?, ?, 0, 0)",
        (phone, nickname, password_hash, Role.SHOPPER.value, db_time(now)),
    )
    assert cursor.lastrowid is not None
    _event(conn, cursor.lastrowid, "registered", now)
    return cursor.lastrowid


def _new_session(
    conn: sqlite3.Connection, account_id: int, *, clock: Clock, device: str, pending: bool
) -> str:
    now = clock.now()
    token = secrets.token_urlsafe(32)
    ttl = SECOND_FACTOR_TTL if pending else SESSION_TTL
    conn.execute(
        "INSERT INTO login_session (account_id, token_hash, device, created_at, last_seen_at,"
        " expires_at, pending) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (account_id, _token_hash(token), device[:60], db_time(now), db_time(now),
         db_time(now + ttl), int(pending)),
    )  # fmt: skip
    return token


def _log_in(
    conn: sqlite3.Connection, account_id: int, *, clock: Clock, device: str, how: str
) -> LoggedIn:
    token = _new_session(conn, account_id, clock=clock, device=device, pending=False)
    _event(conn, account_id, "login", clock.now(), how)
    return LoggedIn(token=token, account=_info(conn, account_id))


def _pending_account(conn: sqlite3.Connection, challenge: str, *, clock: Clock) -> int:
    row = conn.execute(
        "SELECT account_id FROM login_session WHERE token_hash = ? AND pending = 1"
        " AND ended_at IS NULL AND expires_at > ?",
        (_token_hash(challenge), db_time(clock.now())),
    ).fetchone()
    if row is None:
        raise NotLoggedIn()
    return int(row[0])


def _session_account(conn: sqlite3.Connection, token: str, *, clock: Clock) -> int:
    row = conn.execute(
        "SELECT account_id FROM login_session WHERE token_hash = ? AND pending = 0"
        " AND ended_at IS NULL AND expires_at > ?",
        (_token_hash(token), db_time(clock.now())),
    ).fetchone()
    if row is None:
        raise NotLoggedIn()
    return int(row[0])


def _prove(
    conn: sqlite3.Connection,
    account_id: int,
    column: str,
    secret: str | None,
    code: str | None,
    purpose: Purpose,
    *,
    clock: Clock,
) -> DomainError | None:
    """None if the current secret (in `column`) or an SMS code for `purpose` is right."""
    if secret:
        stored = conn.execute(f"SELECT {column} FROM account WHERE id = ?", (account_id,))
        if verify_secret(password_hasher(), stored.fetchone()[0], secret):
            return None
        return WrongPassword()
    if code:
        rejected: CodeRejected | None = check_code(
            conn, _phone_of(conn, account_id), purpose, code, clock=clock
        )
        return rejected
    return ProofNeeded()


def _info(conn: sqlite3.Connection, account_id: int) -> AccountInfo:
    (aid, phone, nickname, role, real_name, birth, second, payment_hash, locked) = conn.execute(
        "SELECT id, phone, nickname, role, real_name, birth_date, second_factor,"
        " payment_password_hash, payment_locked_until FROM account WHERE id = ?",
        (account_id,),
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


def _event(
    conn: sqlite3.Connection, account_id: int, kind: str, at: datetime, detail: str = ""
) -> None:
    conn.execute(
        "INSERT INTO account_event (account_id, kind, at, detail) VALUES (?, ?, ?, ?)",
        (account_id, kind, db_time(at), detail),
    )

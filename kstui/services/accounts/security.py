"""Account security: the login password, the payment password, second verification and
real-name verification.

As in `accounts`, argon2 hashing happens before the write transaction; inside it, what
was read is checked again by conditional statements, which also hold the account's row
until the transaction ends (concurrent write transactions may run at once). Wrong
current passwords count towards the same locks as logins and payments (5 in a row lock
for 30 minutes), so a stolen session cannot be used to guess them; an SMS code to the
account's phone is the way around a lock.
"""

from __future__ import annotations

from datetime import datetime

from kstui.providers.clock import Clock
from kstui.services.accounts.errors import (
    AlreadyVerified,
    IdNumberTaken,
    PasswordLocked,
    PaymentLocked,
    PaymentPasswordNotSet,
    PaymentPasswordWrong,
    ProofNeeded,
    WrongPassword,
)
from kstui.services.accounts.hashing import (
    hash_secret,
    needs_rehash,
    password_hasher,
    verify_secret,
)
from kstui.services.accounts.identity import (
    check_id_number,
    check_new_password,
    check_payment_password,
    check_real_name,
)
from kstui.services.accounts.lockout import (
    PASSWORD_LOCK,
    PAYMENT_LOCK,
    Lock,
    clear,
    clear_unless_locked,
    locked_until,
    minutes_left,
    record_failure,
)
from kstui.services.accounts.records import (
    AccountInfo,
    LoggedIn,
    account_info,
    log_in,
    phone_of,
    record_event,
    session_account,
)
from kstui.services.accounts.sms_codes import Purpose, check_code
from kstui.services.errors import DomainError
from kstui.store.interface import Store, Transaction, UniqueViolation, from_db_date
from kstui.timefmt import CHINA


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
        ProofNeeded, WrongPassword, PasswordLocked, CodeRejected, WeakPassword,
        PasswordsDiffer, NotLoggedIn.
    """
    check_new_password(new, confirm)
    now = clock.now()
    with store.reading() as tx:
        account_id = session_account(tx, token, clock=clock)
        row = tx.fetch_one("SELECT phone, password_hash FROM account WHERE id = :id", id=account_id)
        assert row is not None
        phone, stored = row
        until = locked_until(tx, PASSWORD_LOCK, phone, now=now)
    right = _check_current(current, code, stored, until, now=now, locked=PasswordLocked)
    new_hash = hash_secret(password_hasher(), new)
    failure: DomainError | None = None
    with store.writing() as tx:
        account_id = session_account(tx, token, clock=clock)
        if current:
            unchanged = _still(tx, account_id, "password_hash", stored)
            failure = _current_failure(
                tx, PASSWORD_LOCK, phone, right=right and unchanged, account_id=account_id,
                now=now,
            )  # fmt: skip
        else:
            failure = check_code(tx, phone, Purpose.CHANGE_PASSWORD, code or "", clock=clock)
        if failure is None:
            tx.execute(
                "UPDATE account SET password_hash = :password_hash WHERE id = :id",
                password_hash=new_hash,
                id=account_id,
            )
            tx.execute(
                "UPDATE login_session SET ended_at = :now WHERE account_id = :account_id"
                " AND ended_at IS NULL",
                now=now,
                account_id=account_id,
            )
            clear(tx, PASSWORD_LOCK, phone)
            record_event(tx, account_id, "password_changed", now)
            result = log_in(tx, account_id, clock=clock, device=device, how="password_changed")
    if failure is not None:
        raise failure
    return result


def set_second_factor(
    store: Store, token: str, enabled: bool, *, code: str | None = None, clock: Clock
) -> AccountInfo:
    """Turn the SMS code after the password (or 微信/QQ) at login on or off.

    Turning it off needs an SMS code to the account's phone, so that a session left
    open somewhere cannot take the protection away.

    Raises:
        ProofNeeded, CodeRejected (turning off), NotLoggedIn.
    """
    if not enabled and not code:
        raise ProofNeeded()
    now = clock.now()
    failure: DomainError | None = None
    with store.writing() as tx:
        account_id = session_account(tx, token, clock=clock)
        if not enabled:  # the wrong try is counted (committed) before the error is raised
            failure = check_code(
                tx, phone_of(tx, account_id), Purpose.SECOND_FACTOR_OFF, code or "",
                clock=clock,
            )  # fmt: skip
        if failure is None:
            tx.execute(
                "UPDATE account SET second_factor = :enabled WHERE id = :id",
                enabled=enabled,
                id=account_id,
            )
            kind = "second_factor_on" if enabled else "second_factor_off"
            record_event(tx, account_id, kind, now)
            info = account_info(tx, account_id)
    if failure is not None:
        raise failure
    return info


def verify_real_name(
    store: Store, token: str, name: str, id_number: str, *, clock: Clock
) -> AccountInfo:
    """实名认证, once: a name and an 18-digit resident ID number; the birth date gives
    the age (a minor cannot become an adult by verifying again).

    Raises:
        InvalidName, InvalidIdNumber, IdNumberTaken, AlreadyVerified, NotLoggedIn.
    """
    with store.reading() as tx:  # a verified account hears that first, whatever it typed
        if _column(tx, session_account(tx, token, clock=clock), "id_number") is not None:
            raise AlreadyVerified()
    real_name = check_real_name(name)
    now = clock.now()
    resident = check_id_number(id_number, today=now.astimezone(CHINA).date())
    try:
        with store.writing() as tx:
            account_id = session_account(tx, token, clock=clock)
            if _column(tx, account_id, "id_number") is not None:
                raise AlreadyVerified()
            taken = tx.fetch_one(
                "SELECT id FROM account WHERE id_number = :id_number", id_number=resident.number
            )
            if taken is not None:
                raise IdNumberTaken()
            verified = tx.execute(
                "UPDATE account SET real_name = :real_name, id_number = :id_number,"
                " birth_date = :birth_date WHERE id = :id AND id_number IS NULL",
                real_name=real_name,
                id_number=resident.number,
                birth_date=resident.birth_date,
                id=account_id,
            )
            if not verified:  # by another transaction meanwhile
                raise AlreadyVerified()
            record_event(tx, account_id, "real_name_verified", now)
            return account_info(tx, account_id)
    except UniqueViolation as exc:  # the number verified another account meanwhile
        if exc.is_on("account", "id_number"):
            raise IdNumberTaken() from exc
        raise


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

    A wrong old one counts towards the payment lock; while payments are locked only an
    SMS code can change it (and that lifts the lock).

    Raises:
        TrivialPaymentPassword, PasswordsDiffer, ProofNeeded, PaymentPasswordWrong,
        PaymentLocked, CodeRejected, NotLoggedIn.
    """
    now = clock.now()
    with store.reading() as tx:
        account_id = session_account(tx, token, clock=clock)
        row = tx.fetch_one(
            "SELECT payment_password_hash, birth_date, id_number FROM account WHERE id = :id",
            id=account_id,
        )
        assert row is not None
        stored, birth, id_number = row
        until = locked_until(tx, PAYMENT_LOCK, str(account_id), now=now)
    check_payment_password(
        new, confirm, birth_date=from_db_date(birth) if birth else None, id_number=id_number
    )
    right = False
    if stored is not None:
        right = _check_current(old, code, stored, until, now=now, locked=PaymentLocked)
    new_hash = hash_secret(password_hasher(), new)
    failure: DomainError | None = None
    with store.writing() as tx:
        account_id = session_account(tx, token, clock=clock)
        unchanged = _still(tx, account_id, "payment_password_hash", stored)
        if stored is None:
            failure = None if unchanged else ProofNeeded()  # set meanwhile elsewhere
        elif old:
            failure = _current_failure(
                tx, PAYMENT_LOCK, str(account_id), right=right and unchanged,
                account_id=account_id, now=now,
            )  # fmt: skip
        else:
            failure = check_code(
                tx, phone_of(tx, account_id), Purpose.PAYMENT_PASSWORD, code or "",
                clock=clock,
            )  # fmt: skip
        if failure is None:
            tx.execute(
                "UPDATE account SET payment_password_hash = :payment_password_hash WHERE id = :id",
                payment_password_hash=new_hash,
                id=account_id,
            )
            clear(tx, PAYMENT_LOCK, str(account_id))
            record_event(tx, account_id, "payment_password_set", now)
    if failure is not None:
        raise failure


def verify_payment_password(store: Store, account_id: int, password: str, *, clock: Clock) -> None:
    """Check the payment password before a payment.

    Five wrong passwords in a row lock payments for 30 minutes.

    Raises:
        PaymentPasswordNotSet, PaymentLocked, PaymentPasswordWrong.
    """
    now = clock.now()
    subject = str(account_id)
    for attempt in range(2):
        with store.reading() as tx:
            stored = _column(tx, account_id, "payment_password_hash")
            until = locked_until(tx, PAYMENT_LOCK, subject, now=now)
        if stored is None:
            raise PaymentPasswordNotSet()
        if until is not None:
            raise PaymentLocked(until=until, minutes=minutes_left(until, now))
        hasher = password_hasher()
        right = verify_secret(hasher, stored, password)
        rehashed = hash_secret(hasher, password) if right and needs_rehash(hasher, stored) else None
        with store.writing() as tx:
            unchanged = _still(tx, account_id, "payment_password_hash", stored)
            if not unchanged and attempt == 0:
                # Changed since it was read: set anew, or rehashed by a payment at the same
                # time (the same password with new parameters). Checked again against it.
                continue
            failure = _current_failure(
                tx, PAYMENT_LOCK, subject, account_id=account_id, now=now,
                right=right and unchanged,
            )  # fmt: skip
            if failure is None and rehashed is not None:  # parameters rose since it was set
                tx.execute(
                    "UPDATE account SET payment_password_hash = :payment_password_hash"
                    " WHERE id = :id",
                    payment_password_hash=rehashed,
                    id=account_id,
                )
        break
    if failure is not None:
        raise failure


# -- helpers -------------------------------------------------------------------------------


def _column(tx: Transaction, account_id: int, column: str) -> str | None:
    value = tx.fetch_value(f"SELECT {column} FROM account WHERE id = :id", id=account_id)
    return None if value is None else str(value)


def _still(tx: Transaction, account_id: int, column: str, stored: str | None) -> bool:
    """Inside the write: does the account's secret `column` still hold `stored`?

    A conditional no-op update rather than a read: it also holds the account's row
    until the transaction ends, so that a change of the secret made meanwhile by another
    transaction waits for this one instead of passing it by (or being overwritten).
    """
    if stored is None:
        return bool(
            tx.execute(
                f"UPDATE account SET {column} = {column} WHERE id = :id AND {column} IS NULL",
                id=account_id,
            )
        )
    return bool(
        tx.execute(
            f"UPDATE account SET {column} = {column} WHERE id = :id AND {column} = :stored",
            id=account_id,
            stored=stored,
        )
    )


def _check_current(
    secret: str | None,
    code: str | None,
    stored: str,
    until: datetime | None,
    *,
    now: datetime,
    locked: type[PasswordLocked] | type[PaymentLocked],
) -> bool:
    """Before the write: is the current secret right? (False when a code is the proof.)

    Raises:
        ProofNeeded: neither was given.
        PasswordLocked / PaymentLocked: the secret was given while its lock holds.
    """
    if secret:
        if until is not None:
            raise locked(until=until, minutes=minutes_left(until, now))
        return verify_secret(password_hasher(), stored, secret)
    if not code:
        raise ProofNeeded()
    return False


def _current_failure(
    tx: Transaction,
    lock: Lock,
    subject: str,
    *,
    right: bool,
    account_id: int,
    now: datetime,
) -> DomainError | None:
    """Inside the write: None if the secret was right (its count cleared); otherwise
    the wrong try counted, and the error to show. A lock other tries started meanwhile
    is told either way (and a try while it holds is not counted)."""
    payment = lock is PAYMENT_LOCK
    if right:
        until = clear_unless_locked(tx, lock, subject, now=now)
        return None if until is None else _locked(payment, until, now)
    failure = record_failure(tx, lock, subject, now=now)
    if failure.locked_until is not None:
        if not failure.already_locked:
            kind = "payment_locked" if payment else "password_locked"
            record_event(tx, account_id, kind, now)
        return _locked(payment, failure.locked_until, now)
    return PaymentPasswordWrong(left=failure.left) if payment else WrongPassword(left=failure.left)


def _locked(payment: bool, until: datetime, now: datetime) -> DomainError:
    kind = PaymentLocked if payment else PasswordLocked
    return kind(until=until, minutes=minutes_left(until, now))

"""`kstui.services.accounts.auth` (with `secrets_hashing`, the password lock of `lockout` and
the simulated `providers.social`). Account security (passwords, payment password, real
name) is tested in `test_account_security`, the lock table itself in `test_lockout`.

The helpers here are shared with `test_account_security`.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import string
import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from kstui.providers.clock import FrozenClock
from kstui.providers.sms import OutboxSms, outbox
from kstui.providers.social import SocialIdentity, SocialProvider, device_identity
from kstui.services.accounts import auth, security
from kstui.services.accounts.auth import LinkedAccount, PhoneNeeded
from kstui.services.accounts.errors import (
    AlreadyLinked,
    CodeRejected,
    InvalidPhone,
    LoginFailed,
    NotLoggedIn,
    PasswordLocked,
    PasswordsDiffer,
    PhoneNotRegistered,
    PhoneTaken,
    WeakPassword,
)
from kstui.services.accounts.hashing import (
    code_hasher,
    hash_secret,
    needs_rehash,
    password_hasher,
    verify_secret,
)
from kstui.services.accounts.identity import normalize_phone
from kstui.services.accounts.lockout import PASSWORD_LOCK, Lock
from kstui.services.accounts.records import (
    SECOND_FACTOR_TTL,
    SESSION_TTL,
    LoggedIn,
    SecondFactorNeeded,
)
from kstui.services.accounts.sms_codes import RESEND_INTERVAL, Purpose
from kstui.services.errors import DomainError
from kstui.store.enums import Role
from kstui.store.interface import Store, Transaction, from_db_time
from kstui.store.sqlite import SqliteStore

SMS = OutboxSms()
LIN = "13800138000"
"""The adult shopper 林小满 (ID 110101199003074573, born 1990-03-07)."""
MINOR = "13800138001"
"""陈一一, born 2012-05-06 (verified)."""
MERCHANT = "13900139000"
"""衣衣掌柜: not verified."""
NEW = "13700137000"
"""A phone without an account."""
PASSWORD = "Kstui2026"
WRONG_PASSWORD = "Kstui2025"
LIN_ID = "110101199003074573"
ID_WITH_X = "44030419851203001X"
TODAY = date(2026, 11, 22)
NEW_PASSWORD = ("Newpass123", "Newpass123")
SNAPSHOT_TABLES = ("account", "login_session", "account_event", "linked_identity")
"""Tables with an `id`, compared by `snapshot` together with `lockout`."""
TRIES_LEFT = [
    ("LoginFailed", "accounts.error.login_failed.tries", {"reason": "tries", "left": n})
    for n in (4, 3, 2, 1)
]
"""The answers to the first four wrong passwords in a row (see `outcome`)."""
LOCKED_30 = ("PasswordLocked", "accounts.error.password_locked", {"minutes": 30})
"""The answer to the fifth, and to any password in the next 30 minutes."""


# -- helpers ----------------------------------------------------------------------------------


def last_code(store: Store, phone: str) -> str:
    with store.reading() as tx:
        newest = outbox(tx, phone=phone, limit=1)[0]
    found = re.search(r"(?<!\d)\d{6}(?!\d)", newest.text)
    assert found is not None, newest.text
    return found.group()


def code_for(store: Store, clock: FrozenClock, phone: str, purpose: Purpose) -> str:
    """Ask for a code (a minute after the last one) and read it from the outbox."""
    clock.advance(RESEND_INTERVAL)
    auth.request_code(store, phone, purpose, clock=clock, sms=SMS)
    return last_code(store, phone)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def code_login(store: Store, clock: FrozenClock, phone: str = LIN, device: str = "手机") -> str:
    """Log in with an SMS code (cheap: no password hashing); returns the token."""
    code = code_for(store, clock, phone, Purpose.LOGIN)
    return auth.login_with_code(store, phone, code, clock=clock, device=device).token


def account_id(store: Store, phone: str) -> int:
    with store.reading() as tx:
        return int(tx.fetch_value("SELECT id FROM account WHERE phone = :phone", phone=phone))


def column(store: Store, phone: str, name: str) -> object:
    with store.reading() as tx:
        return tx.fetch_value(f"SELECT {name} FROM account WHERE phone = :phone", phone=phone)


def events(store: Store, phone: str) -> list[tuple[str, str]]:
    with store.reading() as tx:
        return tx.fetch_all(
            "SELECT kind, detail FROM account_event WHERE account_id = :account_id ORDER BY id",
            account_id=account_id(store, phone),
        )


def kinds(store: Store, phone: str) -> list[str]:
    return [kind for kind, _ in events(store, phone)]


def snapshot(store: Store) -> dict[str, list[tuple[object, ...]]]:
    with store.reading() as tx:
        tables = {t: tx.fetch_all(f"SELECT * FROM {t} ORDER BY id") for t in SNAPSHOT_TABLES}
        tables["lockout"] = tx.fetch_all(
            "SELECT scope, subject, failures, locked_until FROM lockout ORDER BY scope, subject"
        )
        return tables


def lockout(store: Store, lock: Lock, subject: str) -> tuple[int, datetime | None] | None:
    """The (failures, locked_until) row of `subject` under `lock`, None if there is none."""
    with store.reading() as tx:
        row = tx.fetch_one(
            "SELECT failures, locked_until FROM lockout"
            " WHERE scope = :scope AND subject = :subject",
            scope=lock.scope,
            subject=subject,
        )
    if row is None:
        return None
    return int(row[0]), None if row[1] is None else from_db_time(row[1])


def outcome(error: DomainError) -> tuple[str, str, dict[str, object]]:
    """What a shopper learns from an error: its kind, message and parameters (a lock's
    end is shown as minutes left)."""
    shown = {k: v for k, v in error.params.items() if k != "until"}
    return type(error).__name__, error.message_key, shown


def wrong_logins(
    store: Store, clock: FrozenClock, phone: str, times: int
) -> list[tuple[str, str, dict[str, object]]]:
    """Try `times` wrong passwords for `phone`; what each try answered."""
    answers = []
    for _ in range(times):
        with pytest.raises((LoginFailed, PasswordLocked)) as caught:
            auth.login_with_password(store, phone, WRONG_PASSWORD, clock=clock, device="pc")
        answers.append(outcome(caught.value))
    return answers


def hash_params(argon2_hash: str) -> str:
    """`m=65536,t=3,p=4` of an argon2 hash."""
    assert argon2_hash.startswith("$argon2id$v=19$"), argon2_hash
    return argon2_hash.split("$")[3]


CURRENT_PARAMS = (
    f"m={password_hasher().memory_cost},t={password_hasher().time_cost},"
    f"p={password_hasher().parallelism}"
)


def hash_weakly(store: Store, phone: str, column: str, secret: str) -> str:
    """Store `secret` in `column` hashed with weaker argon2 parameters than kstui's now
    (as an account made before they rose); the weak hash."""
    weak = PasswordHasher(time_cost=1, memory_cost=8192).hash(secret)
    with store.writing() as tx:
        tx.execute(
            f"UPDATE account SET {column} = :weak WHERE phone = :phone", weak=weak, phone=phone
        )
    return weak


def together(count: int, work: Callable[[int], object], *, timeout: float = 60) -> list[object]:
    """Run `work(slot)` on `count` real threads released at once by a barrier; each
    slot's result, or the exception it raised (on PostgreSQL their transactions overlap)."""
    barrier = threading.Barrier(count)
    outcomes: list[object] = [None] * count

    def run(slot: int) -> None:
        barrier.wait(timeout=timeout)
        try:
            outcomes[slot] = work(slot)
        except BaseException as error:  # reported by the caller's assertions
            outcomes[slot] = error

    threads = [threading.Thread(target=run, args=(slot,)) for slot in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
        assert not thread.is_alive(), "a thread did not finish"
    return outcomes


# -- secrets_hashing --------------------------------------------------------------------------


def test_hashing_helpers() -> None:
    stored = hash_secret(code_hasher(), "123456")
    assert hash_params(stored) == "m=8192,t=1,p=1"
    assert verify_secret(code_hasher(), stored, "123456")
    assert not verify_secret(code_hasher(), stored, "123457")
    assert not verify_secret(code_hasher(), "not a hash", "123456")
    assert not verify_secret(code_hasher(), None, "not a password of anyone")
    assert needs_rehash(password_hasher(), stored)
    assert hash_params(password_hasher().hash("x")) == CURRENT_PARAMS


# -- asking for codes -------------------------------------------------------------------------


def test_request_code_answers_alike_for_unregistered_phones(
    store: Store, clock: FrozenClock
) -> None:
    before = snapshot(store)
    registered = auth.request_code(store, LIN, Purpose.LOGIN, clock=clock, sms=SMS)
    unregistered = auth.request_code(store, NEW, Purpose.LOGIN, clock=clock, sms=SMS)
    assert registered == unregistered == clock.now() + RESEND_INTERVAL
    with store.reading() as tx:
        texts = [outbox(tx, phone=phone)[0].text for phone in (LIN, NEW)]
    assert len({re.sub(r"\d{6}", "######", text) for text in texts}) == 1
    assert snapshot(store) == before


def test_request_code_normalizes_and_validates_the_phone(store: Store, clock: FrozenClock) -> None:
    auth.request_code(store, "+86 138-0013-8000", Purpose.LOGIN, clock=clock, sms=SMS)
    assert re.fullmatch(r"\d{6}", last_code(store, LIN))
    with pytest.raises(InvalidPhone):
        auth.request_code(store, "010 12345678", Purpose.LOGIN, clock=clock, sms=SMS)
    with store.reading() as tx:
        assert len(outbox(tx)) == 1


# -- registration -----------------------------------------------------------------------------


@pytest.mark.real_hasher
def test_register_creates_a_logged_in_shopper(store: Store, clock: FrozenClock) -> None:
    code = code_for(store, clock, NEW, Purpose.REGISTER)
    result = auth.register(
        store, NEW, code, "Newpass123", "Newpass123", clock=clock, device="iPhone"
    )
    assert isinstance(result, LoggedIn)
    info = result.account
    assert (info.phone, info.nickname, info.role) == (NEW, "快手用户7000", Role.SHOPPER)
    assert not info.verified
    assert not info.second_factor
    assert not info.has_payment_password
    assert auth.account_for_token(store, result.token, clock=clock) == info
    stored = str(column(store, NEW, "password_hash"))
    assert hash_params(stored) == CURRENT_PARAMS
    assert PasswordHasher().verify(stored, "Newpass123")
    assert "Newpass123" not in stored
    assert events(store, NEW) == [("registered", ""), ("login", "register")]


def test_register_with_a_nickname(store: Store, clock: FrozenClock) -> None:
    code = code_for(store, clock, NEW, Purpose.REGISTER)
    result = auth.register(
        store, NEW, code, "Newpass123", "Newpass123", clock=clock, device="pc", nickname="小满"
    )
    assert result.account.nickname == "小满"


def test_registration_code_is_used_up(store: Store, clock: FrozenClock) -> None:
    code = code_for(store, clock, NEW, Purpose.REGISTER)
    auth.register(store, NEW, code, "Newpass123", "Newpass123", clock=clock, device="pc")
    before = snapshot(store)
    with pytest.raises(CodeRejected) as caught:
        auth.register(store, NEW, code, "Newpass123", "Newpass123", clock=clock, device="pc")
    assert caught.value.params == {"reason": "missing"}
    assert snapshot(store) == before


def test_phone_taken_only_after_the_right_code(store: Store, clock: FrozenClock) -> None:
    before = snapshot(store)
    code = code_for(store, clock, LIN, Purpose.REGISTER)
    with pytest.raises(CodeRejected) as caught:
        auth.register(store, LIN, wrong(code), *NEW_PASSWORD, clock=clock, device="pc")
    assert caught.value.params == {"reason": "wrong", "left": 4}
    with pytest.raises(PhoneTaken):
        auth.register(store, LIN, code, "Newpass123", "Newpass123", clock=clock, device="pc")
    assert snapshot(store) == before


@pytest.mark.parametrize(
    ("phone", "password", "confirm", "error"),
    [
        (NEW, "short1", "short1", WeakPassword),
        (NEW, "onlyletters", "onlyletters", WeakPassword),
        (NEW, "Newpass123", "Newpass124", PasswordsDiffer),
        ("1370013700", "Newpass123", "Newpass123", InvalidPhone),
    ],
)
def test_rejected_registration_changes_nothing(
    store: Store, clock: FrozenClock, phone: str, password: str, confirm: str, error: type
) -> None:
    code = code_for(store, clock, NEW, Purpose.REGISTER)
    before = snapshot(store)
    with pytest.raises(error):
        auth.register(store, phone, code, password, confirm, clock=clock, device="pc")
    assert snapshot(store) == before
    # The code was neither used nor charged a try.
    auth.register(store, NEW, code, "Newpass123", "Newpass123", clock=clock, device="pc")


def test_preview_code_keeps_the_code_but_counts_wrong_tries(
    store: Store, clock: FrozenClock
) -> None:
    code = code_for(store, clock, NEW, Purpose.REGISTER)
    auth.preview_code(store, NEW, Purpose.REGISTER, code, clock=clock)
    auth.preview_code(store, NEW, Purpose.REGISTER, code, clock=clock)
    with pytest.raises(CodeRejected) as first:
        auth.preview_code(store, NEW, Purpose.REGISTER, wrong(code), clock=clock)
    with pytest.raises(CodeRejected) as second:
        auth.register(store, NEW, wrong(code), *NEW_PASSWORD, clock=clock, device="pc")
    assert first.value.params == {"reason": "wrong", "left": 4}
    assert second.value.params == {"reason": "wrong", "left": 3}
    result = auth.register(store, NEW, code, "Newpass123", "Newpass123", clock=clock, device="pc")
    assert result.account.phone == NEW


def test_one_phone_gets_one_account_under_concurrency(store: Store, clock: FrozenClock) -> None:
    """Registering a phone and binding 微信 to it at the same moment, on real threads: one
    account is created; the binding links to it, the registration made it or finds the
    phone taken."""
    identity = device_identity(SocialProvider.WECHAT, "device-1")
    register_code = code_for(store, clock, NEW, Purpose.REGISTER)
    bind_code = code_for(store, clock, NEW, Purpose.BIND_PHONE)

    def act(slot: int) -> LoggedIn:
        if slot == 0:
            return auth.register(store, NEW, register_code, *NEW_PASSWORD, clock=clock, device="pc")
        return auth.bind_phone(store, identity, NEW, bind_code, clock=clock, device="手机")

    registered, bound = together(2, act)
    assert isinstance(bound, LoggedIn), bound
    assert isinstance(registered, LoggedIn | PhoneTaken), registered
    if isinstance(registered, LoggedIn):
        assert registered.account.id == bound.account.id
    with store.reading() as tx:
        assert tx.fetch_value("SELECT count(*) FROM account WHERE phone = :phone", phone=NEW) == 1
        assert [a.provider for a in auth.linked_accounts(tx, bound.account.id)] == ["wechat"]
    assert kinds(store, NEW).count("registered") == 1


# -- logging in with a code -------------------------------------------------------------------


def test_login_with_code(store: Store, clock: FrozenClock) -> None:
    code = code_for(store, clock, LIN, Purpose.LOGIN)
    result = auth.login_with_code(store, "+86 138 0013 8000", code, clock=clock, device="pc")
    info = result.account
    assert (info.phone, info.real_name, info.birth_date) == (LIN, "林小满", date(1990, 3, 7))
    assert not info.is_minor(TODAY)
    assert auth.account_for_token(store, result.token, clock=clock) == info
    assert events(store, LIN) == [("login", "code")]
    with pytest.raises(CodeRejected):
        auth.login_with_code(store, LIN, code, clock=clock, device="pc")


def test_login_with_code_of_unregistered_phone(store: Store, clock: FrozenClock) -> None:
    code = code_for(store, clock, NEW, Purpose.LOGIN)
    before = snapshot(store)
    with pytest.raises(CodeRejected):
        auth.login_with_code(store, NEW, wrong(code), clock=clock, device="pc")
    with pytest.raises(PhoneNotRegistered):
        auth.login_with_code(store, NEW, code, clock=clock, device="pc")
    assert snapshot(store) == before


def test_login_code_is_not_a_registration_code(store: Store, clock: FrozenClock) -> None:
    code = code_for(store, clock, LIN, Purpose.REGISTER)
    with pytest.raises(CodeRejected) as caught:
        auth.login_with_code(store, LIN, code, clock=clock, device="pc")
    assert caught.value.params == {"reason": "missing"}


def test_one_code_logs_in_once_under_concurrency(store: Store, clock: FrozenClock) -> None:
    """Two devices racing with the same right code, on real threads: exactly one wins."""
    rounds = 8
    for _ in range(rounds):
        clock.advance(timedelta(hours=2))  # a new code each round, within the daily limit
        auth.request_code(store, LIN, Purpose.LOGIN, clock=clock, sms=SMS)
        code = last_code(store, LIN)
        barrier = threading.Barrier(2)
        outcomes: list[object] = [None, None]

        def attempt(
            slot: int,
            code: str = code,
            barrier: threading.Barrier = barrier,
            outcomes: list[object] = outcomes,
        ) -> None:
            barrier.wait(timeout=10)
            try:
                outcomes[slot] = auth.login_with_code(
                    store, LIN, code, clock=clock, device=f"device {slot}"
                )
            except BaseException as error:  # reported by the assertion below
                outcomes[slot] = error

        threads = [threading.Thread(target=attempt, args=(slot,)) for slot in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        wins = [o for o in outcomes if isinstance(o, LoggedIn)]
        losses = [o for o in outcomes if isinstance(o, CodeRejected)]
        assert (len(wins), len(losses)) == (1, 1), outcomes
        assert losses[0].params == {"reason": "missing"}
    with store.reading() as tx:
        sessions = tx.fetch_value("SELECT count(*) FROM login_session")
        used = tx.fetch_value("SELECT count(*) FROM sms_code WHERE used_at IS NOT NULL")
    assert sessions == rounds
    assert used == rounds


# -- logging in with a password ---------------------------------------------------------------


def test_login_with_password(store: Store, clock: FrozenClock) -> None:
    result = auth.login_with_password(store, "138-0013-8000", PASSWORD, clock=clock, device="pc")
    assert isinstance(result, LoggedIn)
    assert result.account.id == account_id(store, LIN)
    assert auth.account_for_token(store, result.token, clock=clock) == result.account
    assert events(store, LIN) == [("login", "password")]


@pytest.mark.parametrize(
    ("phone", "password"),
    [(LIN, WRONG_PASSWORD), (LIN, ""), (NEW, PASSWORD), ("+86 137 0013 7000", WRONG_PASSWORD)],
)
def test_login_failures_are_all_alike(
    store: Store, clock: FrozenClock, phone: str, password: str
) -> None:
    """A wrong password and a phone without an account: the same answer, the same count."""
    before = snapshot(store)
    with pytest.raises(LoginFailed) as caught:
        auth.login_with_password(store, phone, password, clock=clock, device="pc")
    assert outcome(caught.value) == TRIES_LEFT[0]
    counted = ("password", normalize_phone(phone), 1, None)
    assert snapshot(store) == before | {"lockout": [counted]}


@pytest.mark.parametrize("phone", ["not a phone", "", "010 12345678"])
def test_login_with_no_phone_at_all_counts_nothing(
    store: Store, clock: FrozenClock, phone: str
) -> None:
    before = snapshot(store)
    for _ in range(PASSWORD_LOCK.max_failures + 1):
        with pytest.raises(LoginFailed) as caught:
            auth.login_with_password(store, phone, PASSWORD, clock=clock, device="pc")
        assert outcome(caught.value) == ("LoginFailed", "accounts.error.login_failed", {})
    assert snapshot(store) == before


@pytest.mark.real_hasher
def test_unknown_phone_costs_the_same_verification(
    store: Store, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_verify = PasswordHasher.verify
    verified: list[str] = []

    def counting_verify(self: PasswordHasher, stored: str, password: str) -> bool:
        verified.append(stored)
        return real_verify(self, stored, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting_verify)
    stored_of_lin = str(column(store, LIN, "password_hash"))
    for phone in (LIN, NEW, "not a phone"):
        verified.clear()
        with pytest.raises(LoginFailed):
            auth.login_with_password(store, phone, "Wrong2026", clock=clock, device="pc")
        assert len(verified) == 1, phone
        assert hash_params(verified[0]) == hash_params(stored_of_lin)


@pytest.mark.real_hasher
def test_login_rehashes_a_password_hashed_with_weaker_parameters(
    store: Store, clock: FrozenClock
) -> None:
    weak = hash_weakly(store, LIN, "password_hash", PASSWORD)
    with pytest.raises(LoginFailed):
        auth.login_with_password(store, LIN, "Wrong2026", clock=clock, device="pc")
    assert column(store, LIN, "password_hash") == weak
    auth.login_with_password(store, LIN, PASSWORD, clock=clock, device="pc")
    stored = str(column(store, LIN, "password_hash"))
    assert stored != weak
    assert hash_params(stored) == CURRENT_PARAMS
    assert PasswordHasher().verify(stored, PASSWORD)
    assert not needs_rehash(password_hasher(), stored)


@pytest.mark.real_hasher
def test_two_logins_at_once_with_a_password_hashed_with_weaker_parameters_both_log_in(
    store: Store, clock: FrozenClock
) -> None:
    """Both find the weak hash and rehash it; the one that finds it rehashed by the other
    checks again, rather than counting a right password as wrong."""
    hash_weakly(store, LIN, "password_hash", PASSWORD)

    outcomes = together(
        2, lambda _: auth.login_with_password(store, LIN, PASSWORD, clock=clock, device="pc")
    )

    assert all(isinstance(o, LoggedIn) for o in outcomes), outcomes
    assert hash_params(str(column(store, LIN, "password_hash"))) == CURRENT_PARAMS


# -- the password lock ------------------------------------------------------------------------


def test_password_lock_is_5_tries_for_30_minutes() -> None:
    assert (PASSWORD_LOCK.max_failures, PASSWORD_LOCK.duration) == (5, timedelta(minutes=30))


def test_five_wrong_passwords_lock_password_login(store: Store, clock: FrozenClock) -> None:
    assert wrong_logins(store, clock, LIN, 5) == [*TRIES_LEFT, LOCKED_30]
    locked_at = clock.now()
    assert lockout(store, PASSWORD_LOCK, LIN) == (0, locked_at + PASSWORD_LOCK.duration)
    assert kinds(store, LIN) == ["password_locked"]
    before = snapshot(store)
    # While locked even the right password is refused, and nothing is counted.
    with pytest.raises(PasswordLocked) as caught:
        auth.login_with_password(store, LIN, PASSWORD, clock=clock, device="pc")
    assert outcome(caught.value) == LOCKED_30
    assert wrong_logins(store, clock, LIN, 3) == [LOCKED_30] * 3
    assert snapshot(store) == before
    # The lock is the phone's: other accounts log in as usual.
    other = auth.login_with_password(store, MINOR, PASSWORD, clock=clock, device="pc")
    assert isinstance(other, LoggedIn)


def test_unknown_phone_is_locked_alike(store: Store, clock: FrozenClock) -> None:
    """Being locked must not tell whether a phone has an account."""
    before = snapshot(store)
    unknown = wrong_logins(store, clock, NEW, 7)
    assert unknown == [*TRIES_LEFT, LOCKED_30, LOCKED_30, LOCKED_30]
    assert wrong_logins(store, clock, LIN, 7) == unknown
    until = clock.now() + PASSWORD_LOCK.duration
    assert lockout(store, PASSWORD_LOCK, NEW) == lockout(store, PASSWORD_LOCK, LIN) == (0, until)
    after = snapshot(store)
    assert after["account"] == before["account"]  # no account for NEW came of it
    assert after["login_session"] == before["login_session"]


def test_password_lock_ends_after_exactly_30_minutes(store: Store, clock: FrozenClock) -> None:
    wrong_logins(store, clock, LIN, 5)
    clock.advance(PASSWORD_LOCK.duration - timedelta(seconds=1))
    with pytest.raises(PasswordLocked) as caught:
        auth.login_with_password(store, LIN, PASSWORD, clock=clock, device="pc")
    assert outcome(caught.value)[2] == {"minutes": 1}
    clock.advance(timedelta(seconds=1))
    result = auth.login_with_password(store, LIN, PASSWORD, clock=clock, device="pc")
    assert isinstance(result, LoggedIn)
    assert lockout(store, PASSWORD_LOCK, LIN) is None


def test_wrong_password_after_the_lock_counts_from_the_start(
    store: Store, clock: FrozenClock
) -> None:
    wrong_logins(store, clock, NEW, 5)
    clock.advance(PASSWORD_LOCK.duration)
    assert wrong_logins(store, clock, NEW, 5) == [*TRIES_LEFT, LOCKED_30]


@pytest.mark.parametrize("minutes_later", [0, 29])
def test_code_login_lifts_the_password_lock(
    store: Store, clock: FrozenClock, minutes_later: int
) -> None:
    wrong_logins(store, clock, LIN, 5)
    clock.advance(timedelta(minutes=minutes_later))
    code_login(store, clock)
    assert lockout(store, PASSWORD_LOCK, LIN) is None
    result = auth.login_with_password(store, LIN, PASSWORD, clock=clock, device="pc")
    assert isinstance(result, LoggedIn)
    assert wrong_logins(store, clock, LIN, 1) == TRIES_LEFT[:1]


def test_binding_a_phone_lifts_its_password_lock(store: Store, clock: FrozenClock) -> None:
    wrong_logins(store, clock, NEW, 5)
    identity = device_identity(SocialProvider.WECHAT, "device-1")
    code = code_for(store, clock, NEW, Purpose.BIND_PHONE)
    auth.bind_phone(store, identity, NEW, code, clock=clock, device="pc")
    assert lockout(store, PASSWORD_LOCK, NEW) is None


def test_registering_a_phone_lifts_its_password_lock(store: Store, clock: FrozenClock) -> None:
    """Strangers' guesses before the account existed must not lock out its new owner."""
    wrong_logins(store, clock, NEW, 5)
    code = code_for(store, clock, NEW, Purpose.REGISTER)
    auth.register(store, NEW, code, *NEW_PASSWORD, clock=clock, device="pc")
    result = auth.login_with_password(store, NEW, NEW_PASSWORD[0], clock=clock, device="pc")
    assert isinstance(result, LoggedIn)


def test_wrong_code_login_leaves_the_password_lock(store: Store, clock: FrozenClock) -> None:
    wrong_logins(store, clock, LIN, 5)
    code = code_for(store, clock, LIN, Purpose.LOGIN)
    with pytest.raises(CodeRejected):
        auth.login_with_code(store, LIN, wrong(code), clock=clock, device="pc")
    with pytest.raises(PasswordLocked) as caught:
        auth.login_with_password(store, LIN, PASSWORD, clock=clock, device="pc")
    assert outcome(caught.value)[2] == {"minutes": 29}  # a minute went by asking for the code


def test_right_password_resets_the_count(store: Store, clock: FrozenClock) -> None:
    assert wrong_logins(store, clock, LIN, 4) == TRIES_LEFT
    assert lockout(store, PASSWORD_LOCK, LIN) == (4, None)
    result = auth.login_with_password(store, LIN, PASSWORD, clock=clock, device="pc")
    assert isinstance(result, LoggedIn)
    assert lockout(store, PASSWORD_LOCK, LIN) is None
    assert wrong_logins(store, clock, LIN, 5) == [*TRIES_LEFT, LOCKED_30]


def test_password_lock_counts_exactly_under_concurrency(store: Store, clock: FrozenClock) -> None:
    """8 devices guess the password of one phone at once, on real threads: the lock comes
    after exactly 5 wrong passwords, no try is lost or counted twice."""
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    outcomes: list[object] = [None] * threads_count

    def attempt(slot: int) -> None:
        barrier.wait(timeout=10)
        try:
            auth.login_with_password(
                store, LIN, f"Guess{slot}2026", clock=clock, device=f"device {slot}"
            )
        except BaseException as error:  # reported by the assertions below
            outcomes[slot] = error

    threads = [threading.Thread(target=attempt, args=(slot,)) for slot in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    failed = sorted(o.params["left"] for o in outcomes if isinstance(o, LoginFailed))
    locked = [o for o in outcomes if isinstance(o, PasswordLocked)]
    assert failed == [1, 2, 3, 4], outcomes
    assert len(locked) == threads_count - 4, outcomes
    assert {o.params["minutes"] for o in locked} == {30}
    assert lockout(store, PASSWORD_LOCK, LIN) == (0, clock.now() + PASSWORD_LOCK.duration)
    assert kinds(store, LIN) == ["password_locked"]
    with store.reading() as tx:
        assert tx.fetch_value("SELECT count(*) FROM login_session") == 0


# -- second verification ----------------------------------------------------------------------


def test_second_factor_login(store: Store, clock: FrozenClock) -> None:
    token = code_login(store, clock)
    info = security.set_second_factor(store, token, True, clock=clock)
    assert info.second_factor
    clock.advance(RESEND_INTERVAL)
    pending = auth.login_with_password(store, LIN, PASSWORD, clock=clock, device="平板")
    assert isinstance(pending, SecondFactorNeeded)
    assert pending.phone == LIN
    # Only the password is proven: the challenge is no session yet.
    assert auth.account_for_token(store, pending.challenge, clock=clock) is None
    with pytest.raises(NotLoggedIn):
        security.set_second_factor(store, pending.challenge, True, clock=clock)
    with store.reading() as tx:
        assert len(auth.sessions(tx, token, clock=clock)) == 1
    auth.send_second_factor_code(store, pending.challenge, clock=clock, sms=SMS)
    code = last_code(store, LIN)
    with pytest.raises(CodeRejected) as caught:
        auth.complete_second_factor(store, pending.challenge, wrong(code), clock=clock)
    assert caught.value.params == {"reason": "wrong", "left": 4}
    assert auth.account_for_token(store, pending.challenge, clock=clock) is None
    result = auth.complete_second_factor(store, pending.challenge, code, clock=clock)
    assert result.token == pending.challenge
    assert auth.account_for_token(store, result.token, clock=clock) == result.account
    assert result.account.id == account_id(store, LIN)
    assert events(store, LIN)[-2:] == [("second_factor_on", ""), ("login", "second_factor")]
    with pytest.raises(NotLoggedIn):  # a challenge is completed once
        auth.complete_second_factor(store, pending.challenge, code, clock=clock)


def test_second_factor_code_must_be_of_its_purpose(store: Store, clock: FrozenClock) -> None:
    token = code_login(store, clock)
    security.set_second_factor(store, token, True, clock=clock)
    pending = auth.login_with_password(store, LIN, PASSWORD, clock=clock, device="pc")
    assert isinstance(pending, SecondFactorNeeded)
    code = code_for(store, clock, LIN, Purpose.LOGIN)
    with pytest.raises(CodeRejected) as caught:
        auth.complete_second_factor(store, pending.challenge, code, clock=clock)
    assert caught.value.params == {"reason": "missing"}


def test_stale_second_factor_challenge(store: Store, clock: FrozenClock) -> None:
    token = code_login(store, clock)
    security.set_second_factor(store, token, True, clock=clock)
    pending = auth.login_with_password(store, LIN, PASSWORD, clock=clock, device="pc")
    assert isinstance(pending, SecondFactorNeeded)
    clock.advance(timedelta(minutes=6))
    auth.send_second_factor_code(store, pending.challenge, clock=clock, sms=SMS)
    code = last_code(store, LIN)  # valid until 11:00 past the challenge
    clock.advance(SECOND_FACTOR_TTL - timedelta(minutes=6) + timedelta(seconds=1))
    with pytest.raises(NotLoggedIn):
        auth.complete_second_factor(store, pending.challenge, code, clock=clock)
    with pytest.raises(NotLoggedIn):
        auth.send_second_factor_code(store, pending.challenge, clock=clock, sms=SMS)
    assert auth.account_for_token(store, pending.challenge, clock=clock) is None


# -- sessions ---------------------------------------------------------------------------------


def test_session_tokens_are_random_and_stored_hashed(
    store: Store, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_token_urlsafe = secrets.token_urlsafe
    asked: list[int | None] = []

    def spy(nbytes: int | None = None) -> str:
        asked.append(nbytes)
        return real_token_urlsafe(nbytes)

    monkeypatch.setattr("kstui.services.accounts.records.secrets.token_urlsafe", spy)
    tokens = [code_login(store, clock, device=f"device {i}") for i in range(3)]
    assert asked == [32, 32, 32]  # 256 bits
    assert len(set(tokens)) == 3
    for token in tokens:
        assert len(token) == 43
        assert set(token) <= set(string.ascii_letters + string.digits + "-_")
    with store.reading() as tx:
        stored = [
            row[0] for row in tx.fetch_all("SELECT token_hash FROM login_session ORDER BY id")
        ]
    assert stored == [hashlib.sha256(t.encode()).hexdigest() for t in tokens]
    if not isinstance(store, SqliteStore):
        return
    with store.reading() as tx:  # and no token is in the SQLite files (of the WAL neither)
        tx.execute("PRAGMA wal_checkpoint(PASSIVE)")
    files = [p for p in store.path.parent.iterdir() if p.name.startswith(store.path.name)]
    assert store.path in files
    for path in files:
        content = path.read_bytes()
        for token in tokens:
            assert token.encode() not in content, path.name


def test_logout_ends_the_session(store: Store, clock: FrozenClock) -> None:
    token = code_login(store, clock)
    other = code_login(store, clock, device="电脑")
    auth.logout(store, token, clock=clock)
    assert auth.account_for_token(store, token, clock=clock) is None
    assert auth.account_for_token(store, other, clock=clock) is not None
    auth.logout(store, token, clock=clock)  # nothing left to end
    assert kinds(store, LIN) == ["login", "login", "logout"]
    assert auth.account_for_token(store, None, clock=clock) is None
    assert auth.account_for_token(store, "", clock=clock) is None


def test_session_expires_after_30_days(store: Store, clock: FrozenClock) -> None:
    assert timedelta(days=30) == SESSION_TTL
    token = code_login(store, clock)
    clock.advance(SESSION_TTL - timedelta(seconds=1))
    assert auth.account_for_token(store, token, clock=clock) is not None
    clock.advance(timedelta(seconds=1))
    assert auth.account_for_token(store, token, clock=clock) is None
    with store.reading() as tx, pytest.raises(NotLoggedIn):
        auth.sessions(tx, token, clock=clock)


def test_account_for_token_notes_the_visit(store: Store, clock: FrozenClock) -> None:
    token = code_login(store, clock)
    clock.advance(timedelta(hours=3))
    auth.account_for_token(store, token, clock=clock)
    with store.reading() as tx:
        [listed] = auth.sessions(tx, token, clock=clock)
    assert listed.last_seen_at == clock.now()
    assert listed.created_at == clock.now() - timedelta(hours=3)


def test_sessions_list_this_device_first_and_end_another(store: Store, clock: FrozenClock) -> None:
    phone_token = code_login(store, clock, device="手机")
    pc_token = code_login(store, clock, device="电脑")
    pad_token = code_login(store, clock, device="平板")
    minor_token = code_login(store, clock, phone=MINOR, device="小同学的手机")
    with store.reading() as tx:
        listed = auth.sessions(tx, phone_token, clock=clock)
    assert [(s.device, s.current) for s in listed] == [
        ("手机", True),
        ("平板", False),
        ("电脑", False),
    ]
    pc = listed[2]
    auth.end_session(store, phone_token, pc.id, clock=clock)
    assert auth.account_for_token(store, pc_token, clock=clock) is None
    assert auth.account_for_token(store, pad_token, clock=clock) is not None
    with store.reading() as tx:
        from_pad = auth.sessions(tx, pad_token, clock=clock)
        assert [(s.device, s.current) for s in from_pad] == [("平板", True), ("手机", False)]
        minor_session = auth.sessions(tx, minor_token, clock=clock)[0].id
    # Another account's session cannot be ended from here.
    auth.end_session(store, phone_token, minor_session, clock=clock)
    assert auth.account_for_token(store, minor_token, clock=clock) is not None
    assert events(store, LIN)[-1] == ("session_ended", str(pc.id))
    assert kinds(store, LIN).count("session_ended") == 1
    with pytest.raises(NotLoggedIn):
        auth.end_session(store, pc_token, listed[1].id, clock=clock)


# -- WeChat / QQ ------------------------------------------------------------------------------


def test_social_identities_are_stable_per_device_and_provider() -> None:
    wechat = device_identity(SocialProvider.WECHAT, "device-1")
    assert wechat == device_identity(SocialProvider.WECHAT, "device-1")
    assert wechat.subject.startswith("wechat-")
    assert wechat.nickname.startswith("微信用户")
    assert device_identity(SocialProvider.QQ, "device-1").nickname.startswith("QQ用户")
    assert device_identity(SocialProvider.WECHAT, "device-2").subject != wechat.subject
    assert device_identity(SocialProvider.QQ, "device-1").subject != wechat.subject


def test_wechat_login_creates_an_account_by_binding_a_new_phone(
    store: Store, clock: FrozenClock
) -> None:
    identity = device_identity(SocialProvider.WECHAT, "device-1")
    first = auth.login_with_social(store, identity, clock=clock, device="手机")
    assert first == PhoneNeeded(identity=identity)
    code = code_for(store, clock, NEW, Purpose.BIND_PHONE)
    bound = auth.bind_phone(store, identity, NEW, code, clock=clock, device="手机")
    assert (bound.account.phone, bound.account.nickname) == (NEW, identity.nickname)
    assert bound.account.role is Role.SHOPPER
    assert auth.account_for_token(store, bound.token, clock=clock) == bound.account
    with store.reading() as tx:
        linked = auth.linked_accounts(tx, bound.account.id)
    assert linked == [LinkedAccount("wechat", identity.nickname, clock.now())]
    assert events(store, NEW) == [("registered", ""), ("linked", "wechat"), ("login", "wechat")]
    clock.advance(timedelta(days=1))
    again = auth.login_with_social(store, identity, clock=clock, device="手机")
    assert isinstance(again, LoggedIn)
    assert again.account.id == bound.account.id


def test_qq_login_links_to_the_phone_s_existing_account(store: Store, clock: FrozenClock) -> None:
    identity = device_identity(SocialProvider.QQ, "device-1")
    code = code_for(store, clock, LIN, Purpose.BIND_PHONE)
    with store.reading() as tx:
        accounts_before = tx.fetch_value("SELECT count(*) FROM account")
    bound = auth.bind_phone(store, identity, "+86 138 0013 8000", code, clock=clock, device="pc")
    assert bound.account.id == account_id(store, LIN)
    assert bound.account.real_name == "林小满"
    with store.reading() as tx:
        assert tx.fetch_value("SELECT count(*) FROM account") == accounts_before
        assert [a.provider for a in auth.linked_accounts(tx, bound.account.id)] == ["qq"]
    again = auth.login_with_social(store, identity, clock=clock, device="pc")
    assert isinstance(again, LoggedIn)
    assert again.account.id == account_id(store, LIN)
    assert events(store, LIN)[-3:] == [("linked", "qq"), ("login", "qq"), ("login", "qq")]


def test_a_link_made_meanwhile_is_refused_whole(
    store: Store, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As if another device linked the same 微信 account between the check and the link:
    the unique key refuses it, and nothing of the binding (not its new account) stays."""
    identity = device_identity(SocialProvider.WECHAT, "device-1")
    lin_code = code_for(store, clock, LIN, Purpose.BIND_PHONE)
    auth.bind_phone(store, identity, LIN, lin_code, clock=clock, device="pc")
    checked = auth._cannot_link
    checks: list[int | None] = []

    def too_early(tx: Transaction, seen: SocialIdentity, account: int | None) -> object:
        checks.append(account)
        return None if len(checks) == 1 else checked(tx, seen, account)

    monkeypatch.setattr(auth, "_cannot_link", too_early)
    code = code_for(store, clock, NEW, Purpose.BIND_PHONE)
    before = snapshot(store)
    with pytest.raises(AlreadyLinked) as caught:
        auth.bind_phone(store, identity, NEW, code, clock=clock, device="pc")
    assert caught.value.params == {"reason": "identity"}
    assert checks[0] is None
    assert len(checks) == 2
    assert snapshot(store) == before


def test_one_identity_is_linked_once(store: Store, clock: FrozenClock) -> None:
    identity = device_identity(SocialProvider.WECHAT, "device-1")
    lin_code = code_for(store, clock, LIN, Purpose.BIND_PHONE)
    auth.bind_phone(store, identity, LIN, lin_code, clock=clock, device="pc")
    for phone in (NEW, MINOR, LIN):  # no account, another account, the same account
        code = code_for(store, clock, phone, Purpose.BIND_PHONE)
        before = snapshot(store)
        with pytest.raises(AlreadyLinked) as caught:
            auth.bind_phone(store, identity, phone, code, clock=clock, device="pc")
        assert caught.value.params == {"reason": "identity"}
        assert caught.value.message_key == "accounts.error.already_linked.identity"
        assert snapshot(store) == before
    again = auth.login_with_social(store, identity, clock=clock, device="pc")
    assert isinstance(again, LoggedIn)
    assert again.account.id == account_id(store, LIN)


def test_an_account_links_one_identity_per_provider(store: Store, clock: FrozenClock) -> None:
    first = device_identity(SocialProvider.WECHAT, "device-1")
    second = device_identity(SocialProvider.WECHAT, "device-2")
    code = code_for(store, clock, LIN, Purpose.BIND_PHONE)
    auth.bind_phone(store, first, LIN, code, clock=clock, device="pc")
    code = code_for(store, clock, LIN, Purpose.BIND_PHONE)
    before = snapshot(store)
    with pytest.raises(AlreadyLinked) as caught:
        auth.bind_phone(store, second, LIN, code, clock=clock, device="pc")
    assert caught.value.params == {"reason": "provider"}
    assert caught.value.message_key == "accounts.error.already_linked.provider"
    assert snapshot(store) == before
    assert auth.login_with_social(store, second, clock=clock, device="pc") == PhoneNeeded(
        identity=second
    )
    # Another provider, or another phone, is fine.
    qq = device_identity(SocialProvider.QQ, "device-2")
    code = code_for(store, clock, LIN, Purpose.BIND_PHONE)
    auth.bind_phone(store, qq, LIN, code, clock=clock, device="pc")
    code = code_for(store, clock, NEW, Purpose.BIND_PHONE)
    auth.bind_phone(store, second, NEW, code, clock=clock, device="pc")
    with store.reading() as tx:
        linked = auth.linked_accounts(tx, account_id(store, LIN))
    assert [a.provider for a in linked] == ["wechat", "qq"]


def test_social_login_with_second_factor(store: Store, clock: FrozenClock) -> None:
    identity = device_identity(SocialProvider.QQ, "device-1")
    code = code_for(store, clock, LIN, Purpose.BIND_PHONE)
    bound = auth.bind_phone(store, identity, LIN, code, clock=clock, device="pc")
    security.set_second_factor(store, bound.token, True, clock=clock)
    clock.advance(RESEND_INTERVAL)
    pending = auth.login_with_social(store, identity, clock=clock, device="平板")
    assert isinstance(pending, SecondFactorNeeded)
    assert pending.phone == LIN
    assert auth.account_for_token(store, pending.challenge, clock=clock) is None
    auth.send_second_factor_code(store, pending.challenge, clock=clock, sms=SMS)
    code = last_code(store, LIN)
    with pytest.raises(CodeRejected):
        auth.complete_second_factor(store, pending.challenge, wrong(code), clock=clock)
    assert auth.account_for_token(store, pending.challenge, clock=clock) is None
    result = auth.complete_second_factor(store, pending.challenge, code, clock=clock)
    assert result.account.id == account_id(store, LIN)
    assert auth.account_for_token(store, result.token, clock=clock) == result.account
    assert events(store, LIN)[-1] == ("login", "second_factor")
    assert kinds(store, LIN).count("login") == 2  # the binding, then this one


def test_social_login_without_second_factor_is_direct(store: Store, clock: FrozenClock) -> None:
    identity = device_identity(SocialProvider.WECHAT, "device-1")
    code = code_for(store, clock, LIN, Purpose.BIND_PHONE)
    bound = auth.bind_phone(store, identity, LIN, code, clock=clock, device="pc")
    security.set_second_factor(store, bound.token, True, clock=clock)
    off = code_for(store, clock, LIN, Purpose.SECOND_FACTOR_OFF)
    security.set_second_factor(store, bound.token, False, code=off, clock=clock)
    result = auth.login_with_social(store, identity, clock=clock, device="pc")
    assert isinstance(result, LoggedIn)
    assert events(store, LIN)[-1] == ("login", "wechat")


def test_bind_phone_needs_the_right_code(store: Store, clock: FrozenClock) -> None:
    identity = device_identity(SocialProvider.WECHAT, "device-1")
    login_code = code_for(store, clock, NEW, Purpose.LOGIN)
    before = snapshot(store)
    with pytest.raises(CodeRejected) as caught:
        auth.bind_phone(store, identity, NEW, login_code, clock=clock, device="pc")
    assert caught.value.params == {"reason": "missing"}
    code = code_for(store, clock, NEW, Purpose.BIND_PHONE)
    with pytest.raises(CodeRejected) as caught:
        auth.bind_phone(store, identity, NEW, wrong(code), clock=clock, device="pc")
    assert caught.value.params == {"reason": "wrong", "left": 4}
    assert snapshot(store) == before
    still_new = auth.login_with_social(store, identity, clock=clock, device="pc")
    assert still_new == PhoneNeeded(identity=identity)


# -- the security log -------------------------------------------------------------------------


def test_account_info_has_no_secrets(store: Store) -> None:
    with store.reading() as tx:
        info = auth.account_info(tx, account_id(store, MERCHANT))
    assert info.role is Role.MERCHANT
    assert not info.verified
    assert "hash" not in repr(info)
    assert "$argon2" not in repr(info)

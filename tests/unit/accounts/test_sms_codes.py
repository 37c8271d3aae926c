"""`kstui.services.accounts.sms_codes` and the simulated gateway `kstui.providers.sms`."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher

from kstui.providers.clock import FrozenClock
from kstui.providers.sms import SIGNATURE, OutboxSms, outbox
from kstui.services.accounts.errors import CodeRejected, DailySmsLimit, SendTooSoon
from kstui.services.accounts.sms_codes import (
    CODE_TTL,
    DAILY_LIMIT,
    MAX_ATTEMPTS,
    RESEND_INTERVAL,
    Purpose,
    check_code,
    send_code,
)
from kstui.store.interface import Store
from tests.unit.accounts.test_accounts import together

PHONE = "13800138000"
OTHER_PHONE = "13700137000"
SMS = OutboxSms()


def send(
    store: Store, clock: FrozenClock, purpose: Purpose = Purpose.LOGIN, phone: str = PHONE
) -> datetime:
    with store.writing() as tx:
        return send_code(tx, phone, purpose, clock=clock, sms=SMS)


def check(
    store: Store,
    clock: FrozenClock,
    code: str,
    purpose: Purpose = Purpose.LOGIN,
    phone: str = PHONE,
    *,
    consume: bool = True,
) -> CodeRejected | None:
    with store.writing() as tx:
        return check_code(tx, phone, purpose, code, clock=clock, consume=consume)


def last_code(store: Store, phone: str = PHONE) -> str:
    with store.reading() as tx:
        newest = outbox(tx, phone=phone, limit=1)[0]
    found = re.search(r"(?<!\d)\d{6}(?!\d)", newest.text)
    assert found is not None, newest.text
    return found.group()


def reason(rejection: CodeRejected | None) -> str | None:
    return None if rejection is None else str(rejection.params["reason"])


def wrong_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def fixed_codes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make the generator hand out 314159, 271828, 161803, …; returns the bounds asked for."""
    values = iter([314159, 271828, 161803, 141421, 173205])
    bounds: list[int] = []

    def randbelow(bound: int) -> int:
        bounds.append(bound)
        return next(values)

    monkeypatch.setattr("kstui.services.accounts.sms_codes.secrets.randbelow", randbelow)
    return bounds


# -- sending ----------------------------------------------------------------------------------


def test_code_comes_from_the_cryptographic_generator(
    store: Store, clock: FrozenClock, fixed_codes: list[int]
) -> None:
    send(store, clock)
    assert fixed_codes == [1_000_000]
    assert last_code(store) == "314159"
    assert check(store, clock, "314159") is None


def test_small_codes_keep_six_digits(
    store: Store, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kstui.services.accounts.sms_codes.secrets.randbelow", lambda _bound: 42)
    send(store, clock)
    assert last_code(store) == "000042"
    assert check(store, clock, "000042") is None


def test_message_lands_in_the_outbox(store: Store, clock: FrozenClock) -> None:
    next_allowed = send(store, clock, Purpose.REGISTER)
    assert next_allowed == clock.now() + RESEND_INTERVAL
    with store.reading() as tx:
        messages = outbox(tx, phone=PHONE)
        assert outbox(tx, phone=OTHER_PHONE) == []
    assert len(messages) == 1
    message = messages[0]
    assert message.phone == PHONE
    assert message.sent_at == clock.now()
    assert message.text.startswith(SIGNATURE + "验证码 ")
    assert "用于注册，5分钟内有效" in message.text
    assert re.fullmatch(r"\d{6}", last_code(store))


def test_outbox_lists_newest_first_and_filters_by_phone(store: Store, clock: FrozenClock) -> None:
    send(store, clock, phone=PHONE)
    send(store, clock, phone=OTHER_PHONE)
    clock.advance(RESEND_INTERVAL)
    send(store, clock, phone=PHONE)
    with store.reading() as tx:
        everything = outbox(tx)
        mine = outbox(tx, phone=PHONE)
        newest = outbox(tx, limit=1)
    assert [m.phone for m in everything] == [PHONE, OTHER_PHONE, PHONE]
    assert [m.id for m in everything] == sorted((m.id for m in everything), reverse=True)
    assert [m.phone for m in mine] == [PHONE, PHONE]
    assert newest == everything[:1]


@pytest.mark.usefixtures("fixed_codes")
def test_code_is_stored_hashed(store: Store, clock: FrozenClock) -> None:
    send(store, clock)
    with store.reading() as tx:
        rows = tx.fetch_all(
            "SELECT code_hash, id, phone, purpose, sent_at, expires_at, attempts, used_at,"
            " revoked_at FROM sms_code"
        )
    assert len(rows) == 1
    assert all("314159" not in str(value) for value in rows[0])
    code_hash = rows[0][0]
    assert code_hash.startswith("$argon2id$")
    assert PasswordHasher().verify(code_hash, "314159")


def test_resend_is_throttled_per_phone_across_purposes(store: Store, clock: FrozenClock) -> None:
    send(store, clock, Purpose.LOGIN)
    clock.advance(RESEND_INTERVAL - timedelta(seconds=1))
    with pytest.raises(SendTooSoon) as caught:
        send(store, clock, Purpose.LOGIN)
    assert caught.value.params == {"seconds": 1}
    with pytest.raises(SendTooSoon):
        send(store, clock, Purpose.REGISTER)
    send(store, clock, Purpose.LOGIN, phone=OTHER_PHONE)  # another phone is not held up
    clock.advance(timedelta(seconds=1))
    send(store, clock, Purpose.REGISTER)
    with store.reading() as tx:
        count = tx.fetch_value("SELECT count(*) FROM sms_code WHERE phone = :phone", phone=PHONE)
        assert len(outbox(tx, phone=PHONE)) == 2
    assert count == 2


def test_send_too_soon_says_how_long_to_wait(store: Store, clock: FrozenClock) -> None:
    send(store, clock)
    clock.advance(timedelta(seconds=15, milliseconds=500))
    with pytest.raises(SendTooSoon) as caught:
        send(store, clock)
    assert caught.value.params == {"seconds": 45}


def test_daily_limit_resets_at_china_midnight(store: Store, clock: FrozenClock) -> None:
    for i in range(DAILY_LIMIT):
        send(store, clock, Purpose.LOGIN if i % 2 else Purpose.REGISTER)
        clock.advance(RESEND_INTERVAL)
    with pytest.raises(DailySmsLimit) as caught:
        send(store, clock)
    assert caught.value.params == {"limit": DAILY_LIMIT}
    send(store, clock, phone=OTHER_PHONE)  # the limit is per phone
    # 15:59:59 UTC is 23:59:59 in Beijing: still the same day.
    clock.advance(clock.now().replace(hour=15, minute=59, second=59) - clock.now())
    with pytest.raises(DailySmsLimit):
        send(store, clock)
    clock.advance(timedelta(seconds=1))
    send(store, clock)
    with store.reading() as tx:
        assert len(outbox(tx, phone=PHONE)) == DAILY_LIMIT + 1


def test_refused_send_writes_nothing(store: Store, clock: FrozenClock) -> None:
    send(store, clock)
    with pytest.raises(SendTooSoon):
        send(store, clock)
    with store.reading() as tx:
        assert len(outbox(tx, phone=PHONE)) == 1
        assert tx.fetch_value("SELECT count(*) FROM sms_code") == 1
        assert tx.fetch_one("SELECT revoked_at FROM sms_code") == (None,)


def test_requests_at_the_same_moment_send_one_text(store: Store, clock: FrozenClock) -> None:
    """Six requests for one phone at once (six terminals, two servers): one text goes, the
    others wait their minute; the phone's quota row serialises them on both engines."""
    outcomes = together(6, lambda slot: send(store, clock, list(Purpose)[slot % len(Purpose)]))
    sent = [o for o in outcomes if not isinstance(o, BaseException)]
    assert len(sent) == 1, outcomes
    assert all(isinstance(o, SendTooSoon) for o in outcomes if o not in sent), outcomes
    with store.reading() as tx:
        assert len(outbox(tx, phone=PHONE)) == 1
        assert tx.fetch_value("SELECT count(*) FROM sms_code WHERE phone = :p", p=PHONE) == 1


def test_the_daily_limit_holds_under_concurrency(store: Store, clock: FrozenClock) -> None:
    for _ in range(DAILY_LIMIT - 1):
        send(store, clock)
        clock.advance(RESEND_INTERVAL)
    outcomes = together(4, lambda _: send(store, clock))
    assert sum(not isinstance(o, BaseException) for o in outcomes) == 1, outcomes
    clock.advance(RESEND_INTERVAL)
    with pytest.raises(DailySmsLimit):
        send(store, clock)
    with store.reading() as tx:
        assert len(outbox(tx, phone=PHONE)) == DAILY_LIMIT


# -- checking ---------------------------------------------------------------------------------


def test_code_valid_for_five_minutes(store: Store, clock: FrozenClock) -> None:
    assert timedelta(minutes=5) == CODE_TTL
    send(store, clock)
    code = last_code(store)
    clock.advance(CODE_TTL - timedelta(seconds=1))
    assert check(store, clock, code, consume=False) is None
    assert check(store, clock, code) is None


def test_code_expires_after_five_minutes(store: Store, clock: FrozenClock) -> None:
    send(store, clock)
    code = last_code(store)
    clock.advance(CODE_TTL + timedelta(seconds=1))
    assert reason(check(store, clock, code)) == "expired"
    assert reason(check(store, clock, code)) == "expired"


def test_code_is_single_use(store: Store, clock: FrozenClock) -> None:
    send(store, clock)
    code = last_code(store)
    assert check(store, clock, code) is None
    assert reason(check(store, clock, code)) == "missing"
    with store.reading() as tx:
        used = tx.fetch_value("SELECT used_at FROM sms_code")
    assert used is not None


def test_checking_without_consuming_leaves_the_code_usable(
    store: Store, clock: FrozenClock
) -> None:
    send(store, clock)
    code = last_code(store)
    assert check(store, clock, code, consume=False) is None
    assert check(store, clock, code, consume=False) is None
    assert check(store, clock, code) is None
    assert reason(check(store, clock, code, consume=False)) == "missing"


@pytest.mark.usefixtures("fixed_codes")
def test_new_code_revokes_the_previous_one(store: Store, clock: FrozenClock) -> None:
    send(store, clock)
    clock.advance(RESEND_INTERVAL)
    send(store, clock)
    assert last_code(store) == "271828"
    rejected = check(store, clock, "314159")
    assert reason(rejected) == "wrong"
    assert check(store, clock, "271828") is None
    with store.reading() as tx:
        revoked = tx.fetch_all("SELECT revoked_at IS NOT NULL FROM sms_code ORDER BY id")
    assert [bool(r) for (r,) in revoked] == [True, False]


@pytest.mark.usefixtures("fixed_codes")
def test_new_code_for_another_purpose_keeps_the_first(store: Store, clock: FrozenClock) -> None:
    send(store, clock, Purpose.LOGIN)
    clock.advance(RESEND_INTERVAL)
    send(store, clock, Purpose.REGISTER)
    assert check(store, clock, "314159", Purpose.LOGIN) is None
    assert check(store, clock, "271828", Purpose.REGISTER) is None


def test_five_wrong_tries_revoke_the_code(store: Store, clock: FrozenClock) -> None:
    assert MAX_ATTEMPTS == 5
    send(store, clock)
    code = last_code(store)
    wrong = wrong_code(code)
    results = [check(store, clock, attempt) for attempt in [wrong, "abc", wrong, "12345", wrong]]
    assert [r.params if r else None for r in results] == [
        {"reason": "wrong", "left": 4},
        {"reason": "wrong", "left": 3},
        {"reason": "wrong", "left": 2},
        {"reason": "wrong", "left": 1},
        {"reason": "too_many"},
    ]
    assert all(r is not None and r.message_key.startswith("accounts.error.code.") for r in results)
    assert reason(check(store, clock, code)) == "missing"
    with store.reading() as tx:
        row = tx.fetch_one("SELECT attempts, revoked_at FROM sms_code")
    assert row is not None
    attempts, revoked = row
    assert attempts == MAX_ATTEMPTS
    assert revoked is not None


def test_wrong_tries_at_the_same_moment_are_each_counted(store: Store, clock: FrozenClock) -> None:
    """Six wrong codes checked at once, on real threads: each try counts once, the fifth
    revokes the code, and the sixth finds none."""
    send(store, clock)
    bad = wrong_code(last_code(store))
    results = together(MAX_ATTEMPTS + 1, lambda _: check(store, clock, bad))
    assert all(isinstance(r, CodeRejected) for r in results), results
    rejections = [r for r in results if isinstance(r, CodeRejected)]
    assert sorted(r.params.get("left", 0) for r in rejections if reason(r) == "wrong") == [
        1,
        2,
        3,
        4,
    ]
    assert sorted(str(reason(r)) for r in rejections if reason(r) != "wrong") == [
        "missing",
        "too_many",
    ]
    with store.reading() as tx:
        row = tx.fetch_one("SELECT attempts, revoked_at FROM sms_code")
    assert row is not None
    assert row[0] == MAX_ATTEMPTS
    assert row[1] is not None


def test_right_code_after_four_wrong_tries_still_works(store: Store, clock: FrozenClock) -> None:
    send(store, clock)
    code = last_code(store)
    for _ in range(MAX_ATTEMPTS - 1):
        assert reason(check(store, clock, wrong_code(code))) == "wrong"
    assert check(store, clock, " " + code + " ") is None


def test_wrong_tries_are_counted_when_not_consuming(store: Store, clock: FrozenClock) -> None:
    send(store, clock)
    code = last_code(store)
    first = check(store, clock, wrong_code(code), consume=False)
    second = check(store, clock, wrong_code(code))
    assert first is not None
    assert first.params == {"reason": "wrong", "left": 4}
    assert second is not None
    assert second.params == {"reason": "wrong", "left": 3}


def test_code_for_one_purpose_is_rejected_for_another(store: Store, clock: FrozenClock) -> None:
    send(store, clock, Purpose.LOGIN)
    code = last_code(store)
    for purpose in Purpose:
        if purpose is not Purpose.LOGIN:
            assert reason(check(store, clock, code, purpose)) == "missing"
    assert reason(check(store, clock, code, phone=OTHER_PHONE)) == "missing"
    assert check(store, clock, code, Purpose.LOGIN) is None


def test_no_code_sent_is_missing(store: Store, clock: FrozenClock) -> None:
    assert reason(check(store, clock, "123456")) == "missing"

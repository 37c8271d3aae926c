"""`kstui.services.accounts.security`: the login password, the payment password (and
their locks), second verification and real-name verification."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from argon2 import PasswordHasher
from stdnum.cn import ric

from kstui.providers.clock import FrozenClock
from kstui.services.accounts import auth, security
from kstui.services.accounts.errors import (
    AlreadyVerified,
    CodeRejected,
    IdNumberTaken,
    InvalidIdNumber,
    InvalidName,
    LoginFailed,
    NotLoggedIn,
    PasswordLocked,
    PaymentLocked,
    PaymentPasswordNotSet,
    PaymentPasswordWrong,
    ProofNeeded,
    TrivialPaymentPassword,
    WeakPassword,
    WrongPassword,
)
from kstui.services.accounts.lockout import PASSWORD_LOCK, PAYMENT_LOCK
from kstui.services.accounts.records import AccountInfo, LoggedIn
from kstui.services.accounts.sms_codes import Purpose
from kstui.services.errors import DomainError
from kstui.store.interface import Store, from_db_date
from tests.unit.accounts.test_accounts import (
    CURRENT_PARAMS,
    ID_WITH_X,
    LIN,
    LIN_ID,
    MERCHANT,
    MINOR,
    NEW,
    NEW_PASSWORD,
    PASSWORD,
    TODAY,
    WRONG_PASSWORD,
    account_id,
    code_for,
    code_login,
    column,
    hash_params,
    hash_weakly,
    kinds,
    lockout,
    snapshot,
    together,
    wrong,
    wrong_logins,
)

MINOR_ID = "11010120081123123" + ric.calc_check_digit("110101200811231230")
"""A free ID number of someone born 2008-11-23 (18 the day after `TODAY`)."""
NEW_LOGIN = ("Newpass2027", "Newpass2027")
PAY = ("135790", "135790")
"""LIN's payment password in these tests."""
WRONG_PAY = "975310"


def register_new(store: Store, clock: FrozenClock) -> str:
    """Register the phone `NEW` (not verified); the token of its session."""
    code = code_for(store, clock, NEW, Purpose.REGISTER)
    return auth.register(store, NEW, code, *NEW_PASSWORD, clock=clock, device="pc").token


def wrong_currents(store: Store, clock: FrozenClock, token: str, times: int) -> list[DomainError]:
    """Try `times` wrong current passwords to change the login password; the errors."""
    errors: list[DomainError] = []
    for _ in range(times):
        with pytest.raises((WrongPassword, PasswordLocked)) as caught:
            security.change_password(
                store, token, *NEW_LOGIN, current=WRONG_PASSWORD, clock=clock, device="pc"
            )
        errors.append(caught.value)
    return errors


def wrong_olds(store: Store, clock: FrozenClock, token: str, times: int) -> list[DomainError]:
    """Try `times` wrong old payment passwords to set a new one; the errors."""
    errors: list[DomainError] = []
    for _ in range(times):
        with pytest.raises((PaymentPasswordWrong, PaymentLocked)) as caught:
            security.set_payment_password(
                store, token, "246813", "246813", old=WRONG_PAY, clock=clock
            )
        errors.append(caught.value)
    return errors


def answers(errors: list[DomainError]) -> list[tuple[str, dict[str, object]]]:
    """The kind and parameters of each error."""
    return [(type(e).__name__, e.params) for e in errors]


# -- changing the login password --------------------------------------------------------------


def test_change_password_ends_every_session(store: Store, clock: FrozenClock) -> None:
    token = code_login(store, clock, device="手机")
    other = code_login(store, clock, device="电脑")
    result = security.change_password(
        store, token, "Newpass2027", "Newpass2027", current=PASSWORD, clock=clock, device="手机"
    )
    assert auth.account_for_token(store, token, clock=clock) is None
    assert auth.account_for_token(store, other, clock=clock) is None
    assert auth.account_for_token(store, result.token, clock=clock) == result.account
    with store.reading() as tx:
        assert [s.device for s in auth.sessions(tx, result.token, clock=clock)] == ["手机"]
    assert kinds(store, LIN)[-2:] == ["password_changed", "login"]
    with pytest.raises(LoginFailed):
        auth.login_with_password(store, LIN, PASSWORD, clock=clock, device="pc")
    assert isinstance(
        auth.login_with_password(store, LIN, "Newpass2027", clock=clock, device="pc"), LoggedIn
    )


def test_change_password_needs_proof(store: Store, clock: FrozenClock) -> None:
    token = code_login(store, clock)
    code = code_for(store, clock, LIN, Purpose.CHANGE_PASSWORD)
    before = snapshot(store)
    new = ("Newpass2027", "Newpass2027")
    with pytest.raises(ProofNeeded):
        security.change_password(store, token, *new, clock=clock, device="pc")
    with pytest.raises(WrongPassword) as wrong_current:
        security.change_password(
            store, token, *new, current=WRONG_PASSWORD, clock=clock, device="pc"
        )
    assert wrong_current.value.params == {"left": 4}
    with pytest.raises(CodeRejected):
        security.change_password(store, token, *new, code=wrong(code), clock=clock, device="pc")
    with pytest.raises(WeakPassword):
        security.change_password(
            store, token, "short1", "short1", code=code, clock=clock, device="pc"
        )
    assert snapshot(store) == before | {"lockout": [("password", LIN, 1, None)]}
    result = security.change_password(store, token, *new, code=code, clock=clock, device="pc")
    assert auth.account_for_token(store, token, clock=clock) is None
    assert auth.account_for_token(store, result.token, clock=clock) is not None
    assert PasswordHasher().verify(str(column(store, LIN, "password_hash")), "Newpass2027")
    assert lockout(store, PASSWORD_LOCK, LIN) is None


def test_change_password_code_must_be_of_its_purpose(store: Store, clock: FrozenClock) -> None:
    token = code_login(store, clock)
    code = code_for(store, clock, LIN, Purpose.PAYMENT_PASSWORD)
    with pytest.raises(CodeRejected) as caught:
        security.change_password(
            store, token, "Newpass2027", "Newpass2027", code=code, clock=clock, device="pc"
        )
    assert caught.value.params == {"reason": "missing"}


def test_change_password_when_logged_out(store: Store, clock: FrozenClock) -> None:
    token = code_login(store, clock)
    auth.logout(store, token, clock=clock)
    with pytest.raises(NotLoggedIn):
        security.change_password(
            store, token, "Newpass2027", "Newpass2027", current=PASSWORD, clock=clock, device="x"
        )


def test_wrong_current_passwords_lock_changing_the_password(
    store: Store, clock: FrozenClock
) -> None:
    token = code_login(store, clock)
    stored = column(store, LIN, "password_hash")
    errors = wrong_currents(store, clock, token, 5)
    assert answers(errors[:4]) == [("WrongPassword", {"left": n}) for n in (4, 3, 2, 1)]
    until = clock.now() + PASSWORD_LOCK.duration
    assert answers(errors[4:]) == [("PasswordLocked", {"until": until, "minutes": 30})]
    assert lockout(store, PASSWORD_LOCK, LIN) == (0, until)
    assert kinds(store, LIN) == ["login", "password_locked"]
    before = snapshot(store)
    # While locked the right current password is refused too, and nothing is counted.
    with pytest.raises(PasswordLocked) as caught:
        security.change_password(
            store, token, *NEW_LOGIN, current=PASSWORD, clock=clock, device="pc"
        )
    assert caught.value.params == {"until": until, "minutes": 30}
    assert answers(wrong_currents(store, clock, token, 2)) == answers(errors[4:]) * 2
    assert snapshot(store) == before
    assert column(store, LIN, "password_hash") == stored
    # It is the phone's password lock: logging in with the password waits too.
    with pytest.raises(PasswordLocked):
        auth.login_with_password(store, LIN, PASSWORD, clock=clock, device="pc")
    assert auth.account_for_token(store, token, clock=clock) is not None


def test_wrong_logins_and_wrong_current_passwords_share_the_lock(
    store: Store, clock: FrozenClock
) -> None:
    wrong_logins(store, clock, LIN, 3)
    token = code_login(store, clock)  # proving the phone starts the count again
    wrong_logins(store, clock, LIN, 3)
    errors = wrong_currents(store, clock, token, 2)
    assert answers(errors) == [
        ("WrongPassword", {"left": 1}),
        ("PasswordLocked", {"until": clock.now() + PASSWORD_LOCK.duration, "minutes": 30}),
    ]


def test_sms_code_changes_the_password_while_locked(store: Store, clock: FrozenClock) -> None:
    token = code_login(store, clock)
    wrong_currents(store, clock, token, 5)
    clock.advance(timedelta(minutes=10))
    code = code_for(store, clock, LIN, Purpose.CHANGE_PASSWORD)
    with pytest.raises(CodeRejected):
        security.change_password(
            store, token, *NEW_LOGIN, code=wrong(code), clock=clock, device="pc"
        )
    assert lockout(store, PASSWORD_LOCK, LIN) is not None  # a wrong code lifts nothing
    result = security.change_password(store, token, *NEW_LOGIN, code=code, clock=clock, device="pc")
    assert lockout(store, PASSWORD_LOCK, LIN) is None
    assert auth.account_for_token(store, result.token, clock=clock) == result.account
    assert PasswordHasher().verify(str(column(store, LIN, "password_hash")), NEW_LOGIN[0])
    login = auth.login_with_password(store, LIN, NEW_LOGIN[0], clock=clock, device="pc")
    assert isinstance(login, LoggedIn)


def test_right_current_password_resets_the_count(store: Store, clock: FrozenClock) -> None:
    token = code_login(store, clock)
    wrong_currents(store, clock, token, 4)
    result = security.change_password(
        store, token, *NEW_LOGIN, current=PASSWORD, clock=clock, device="pc"
    )
    assert lockout(store, PASSWORD_LOCK, LIN) is None
    errors = wrong_currents(store, clock, result.token, 1)
    assert answers(errors) == [("WrongPassword", {"left": 4})]


# -- payment password -------------------------------------------------------------------------


@pytest.mark.real_hasher
def test_set_payment_password_the_first_time(store: Store, clock: FrozenClock) -> None:
    token = code_login(store, clock)
    security.set_payment_password(store, token, "135790", "135790", clock=clock)
    stored = str(column(store, LIN, "payment_password_hash"))
    assert hash_params(stored) == CURRENT_PARAMS
    assert PasswordHasher().verify(stored, "135790")
    info = auth.account_for_token(store, token, clock=clock)
    assert info is not None
    assert info.has_payment_password
    security.verify_payment_password(store, account_id(store, LIN), "135790", clock=clock)
    assert kinds(store, LIN) == ["login", "payment_password_set"]


@pytest.mark.parametrize(
    "password",
    [
        "123456",
        "654321",
        "111111",
        "000000",
        "12a456",
        "12345",
        "900307",
        "030790",
        "070390",
        "074573",
    ],  # fmt: skip
)
def test_trivial_payment_password_leaves_the_account_unchanged(
    store: Store, clock: FrozenClock, password: str
) -> None:
    token = code_login(store, clock)
    before = snapshot(store)
    with pytest.raises(TrivialPaymentPassword):
        security.set_payment_password(store, token, password, password, clock=clock)
    assert snapshot(store) == before
    assert column(store, LIN, "payment_password_hash") is None


def test_personal_payment_password_of_another_shopper_is_fine(
    store: Store, clock: FrozenClock
) -> None:
    token = code_login(store, clock, phone=MINOR)  # 陈一一: 900307 is not her birthday
    security.set_payment_password(store, token, "900307", "900307", clock=clock)
    with pytest.raises(TrivialPaymentPassword) as caught:
        security.set_payment_password(store, token, "120506", "120506", old="900307", clock=clock)
    assert caught.value.params == {"reason": "personal"}


def test_changing_the_payment_password_needs_proof(store: Store, clock: FrozenClock) -> None:
    token = code_login(store, clock)
    security.set_payment_password(store, token, "135790", "135790", clock=clock)
    code = code_for(store, clock, LIN, Purpose.PAYMENT_PASSWORD)
    before = snapshot(store)
    new = ("246813", "246813")
    with pytest.raises(ProofNeeded):
        security.set_payment_password(store, token, *new, clock=clock)
    with pytest.raises(PaymentPasswordWrong) as wrong_old:
        security.set_payment_password(store, token, *new, old="135791", clock=clock)
    assert wrong_old.value.params == {"left": 4}
    with pytest.raises(CodeRejected) as caught:
        security.set_payment_password(store, token, *new, code=wrong(code), clock=clock)
    assert caught.value.params == {"reason": "wrong", "left": 4}
    with pytest.raises(TrivialPaymentPassword):
        security.set_payment_password(store, token, "123456", "123456", code=code, clock=clock)
    lin = str(account_id(store, LIN))
    assert snapshot(store) == before | {"lockout": [("payment", lin, 1, None)]}
    security.set_payment_password(store, token, *new, code=code, clock=clock)
    stored = str(column(store, LIN, "payment_password_hash"))
    assert PasswordHasher().verify(stored, "246813")
    assert lockout(store, PAYMENT_LOCK, lin) is None
    security.set_payment_password(store, token, "975318", "975318", old="246813", clock=clock)
    assert PasswordHasher().verify(str(column(store, LIN, "payment_password_hash")), "975318")
    assert kinds(store, LIN).count("payment_password_set") == 3


def test_payment_password_code_must_be_of_its_purpose(store: Store, clock: FrozenClock) -> None:
    token = code_login(store, clock)
    security.set_payment_password(store, token, "135790", "135790", clock=clock)
    code = code_for(store, clock, LIN, Purpose.CHANGE_PASSWORD)
    with pytest.raises(CodeRejected) as caught:
        security.set_payment_password(store, token, "246813", "246813", code=code, clock=clock)
    assert caught.value.params == {"reason": "missing"}


def test_paying_without_a_payment_password(store: Store, clock: FrozenClock) -> None:
    with pytest.raises(PaymentPasswordNotSet):
        security.verify_payment_password(store, account_id(store, LIN), "135790", clock=clock)


def test_five_wrong_payment_passwords_lock_payments_for_30_minutes(
    store: Store, clock: FrozenClock
) -> None:
    token = code_login(store, clock)
    security.set_payment_password(store, token, "135790", "135790", clock=clock)
    lin = account_id(store, LIN)
    for left in (4, 3, 2, 1):
        with pytest.raises(PaymentPasswordWrong) as wrong_try:
            security.verify_payment_password(store, lin, "975310", clock=clock)
        assert wrong_try.value.params == {"left": left}
    locked_at = clock.now()
    with pytest.raises(PaymentLocked) as locked:
        security.verify_payment_password(store, lin, "975310", clock=clock)
    until = locked_at + PAYMENT_LOCK.duration
    assert locked.value.params == {"until": until, "minutes": 30}
    assert lockout(store, PAYMENT_LOCK, str(lin)) == (0, until)
    assert kinds(store, LIN)[-1] == "payment_locked"
    info = auth.account_for_token(store, token, clock=clock)
    assert info is not None
    assert info.payment_locked_until == until

    clock.advance(PAYMENT_LOCK.duration - timedelta(seconds=1))
    with pytest.raises(PaymentLocked) as still:
        security.verify_payment_password(store, lin, "135790", clock=clock)
    assert still.value.params["minutes"] == 1
    clock.advance(timedelta(seconds=1))
    with pytest.raises(PaymentPasswordWrong) as restarted:
        security.verify_payment_password(store, lin, "975310", clock=clock)
    assert restarted.value.params == {"left": 4}
    security.verify_payment_password(store, lin, "135790", clock=clock)
    assert lockout(store, PAYMENT_LOCK, str(lin)) is None
    info = auth.account_for_token(store, token, clock=clock)
    assert info is not None
    assert info.payment_locked_until is None


def test_right_payment_password_resets_the_count(store: Store, clock: FrozenClock) -> None:
    token = code_login(store, clock)
    security.set_payment_password(store, token, "135790", "135790", clock=clock)
    lin = account_id(store, LIN)
    for _ in range(4):
        with pytest.raises(PaymentPasswordWrong):
            security.verify_payment_password(store, lin, "975310", clock=clock)
    assert lockout(store, PAYMENT_LOCK, str(lin)) == (4, None)
    security.verify_payment_password(store, lin, "135790", clock=clock)
    assert lockout(store, PAYMENT_LOCK, str(lin)) is None
    with pytest.raises(PaymentPasswordWrong) as caught:
        security.verify_payment_password(store, lin, "975310", clock=clock)
    assert caught.value.params == {"left": 4}


def test_wrong_old_payment_passwords_lock_payments(store: Store, clock: FrozenClock) -> None:
    token = code_login(store, clock)
    security.set_payment_password(store, token, *PAY, clock=clock)
    lin = account_id(store, LIN)
    stored = column(store, LIN, "payment_password_hash")
    errors = wrong_olds(store, clock, token, 5)
    assert answers(errors[:4]) == [("PaymentPasswordWrong", {"left": n}) for n in (4, 3, 2, 1)]
    until = clock.now() + PAYMENT_LOCK.duration
    locked = ("PaymentLocked", {"until": until, "minutes": 30})
    assert answers(errors[4:]) == [locked]
    assert lockout(store, PAYMENT_LOCK, str(lin)) == (0, until)
    assert kinds(store, LIN)[-1] == "payment_locked"
    info = auth.account_for_token(store, token, clock=clock)
    assert info is not None
    assert info.payment_locked_until == until
    before = snapshot(store)
    # Neither paying nor the right old password gets through the lock.
    with pytest.raises(PaymentLocked):
        security.verify_payment_password(store, lin, PAY[0], clock=clock)
    with pytest.raises(PaymentLocked) as caught:
        security.set_payment_password(store, token, "246813", "246813", old=PAY[0], clock=clock)
    assert answers([caught.value]) == [locked]
    assert answers(wrong_olds(store, clock, token, 2)) == [locked, locked]
    assert snapshot(store) == before
    assert column(store, LIN, "payment_password_hash") == stored
    # The login password is another lock.
    assert lockout(store, PASSWORD_LOCK, LIN) is None
    login = auth.login_with_password(store, LIN, PASSWORD, clock=clock, device="pc")
    assert isinstance(login, LoggedIn)


def test_wrong_payments_and_wrong_old_passwords_share_the_lock(
    store: Store, clock: FrozenClock
) -> None:
    token = code_login(store, clock)
    security.set_payment_password(store, token, *PAY, clock=clock)
    lin = account_id(store, LIN)
    for _ in range(3):
        with pytest.raises(PaymentPasswordWrong):
            security.verify_payment_password(store, lin, WRONG_PAY, clock=clock)
    assert answers(wrong_olds(store, clock, token, 2)) == [
        ("PaymentPasswordWrong", {"left": 1}),
        ("PaymentLocked", {"until": clock.now() + PAYMENT_LOCK.duration, "minutes": 30}),
    ]


def test_sms_code_sets_the_payment_password_and_lifts_the_lock(
    store: Store, clock: FrozenClock
) -> None:
    token = code_login(store, clock)
    security.set_payment_password(store, token, *PAY, clock=clock)
    lin = account_id(store, LIN)
    wrong_olds(store, clock, token, 5)
    clock.advance(timedelta(minutes=10))
    code = code_for(store, clock, LIN, Purpose.PAYMENT_PASSWORD)
    with pytest.raises(CodeRejected):
        security.set_payment_password(
            store, token, "246813", "246813", code=wrong(code), clock=clock
        )
    assert lockout(store, PAYMENT_LOCK, str(lin)) is not None  # a wrong code lifts nothing
    security.set_payment_password(store, token, "246813", "246813", code=code, clock=clock)
    assert lockout(store, PAYMENT_LOCK, str(lin)) is None
    assert PasswordHasher().verify(str(column(store, LIN, "payment_password_hash")), "246813")
    security.verify_payment_password(store, lin, "246813", clock=clock)
    info = auth.account_for_token(store, token, clock=clock)
    assert info is not None
    assert info.payment_locked_until is None
    assert answers(wrong_olds(store, clock, token, 1)) == [("PaymentPasswordWrong", {"left": 4})]


def test_payment_locks_are_per_account(store: Store, clock: FrozenClock) -> None:
    lin_token = code_login(store, clock)
    minor_token = code_login(store, clock, phone=MINOR)
    security.set_payment_password(store, lin_token, *PAY, clock=clock)
    security.set_payment_password(store, minor_token, *PAY, clock=clock)
    wrong_olds(store, clock, lin_token, 5)
    security.verify_payment_password(store, account_id(store, MINOR), PAY[0], clock=clock)
    assert lockout(store, PAYMENT_LOCK, str(account_id(store, MINOR))) is None


# -- real name --------------------------------------------------------------------------------


def test_verify_real_name(store: Store, clock: FrozenClock) -> None:
    token = code_login(store, clock, phone=MERCHANT)
    info = security.verify_real_name(store, token, " 王小二 ", ID_WITH_X.lower(), clock=clock)
    assert (info.real_name, info.birth_date) == ("王小二", date(1985, 12, 3))
    assert info.verified
    assert not info.is_minor(TODAY)
    assert column(store, MERCHANT, "id_number") == ID_WITH_X
    assert column(store, MERCHANT, "real_name") == "王小二"
    assert from_db_date(column(store, MERCHANT, "birth_date")) == date(1985, 12, 3)
    assert kinds(store, MERCHANT)[-1] == "real_name_verified"


def test_minor_account_is_a_minor(store: Store, clock: FrozenClock) -> None:
    token = code_login(store, clock, phone=MINOR)
    info = auth.account_for_token(store, token, clock=clock)
    assert info is not None
    assert info.birth_date == date(2012, 5, 6)
    assert info.is_minor(TODAY)
    assert not info.is_minor(date(2030, 5, 6))


def test_verified_minor_id_makes_a_minor(store: Store, clock: FrozenClock) -> None:
    token = code_login(store, clock, phone=MERCHANT)
    info = security.verify_real_name(store, token, "张小明", MINOR_ID, clock=clock)
    assert info.is_minor(TODAY)
    assert not info.is_minor(date(2026, 11, 23))


def test_id_number_of_another_account_is_taken(store: Store, clock: FrozenClock) -> None:
    merchant = code_login(store, clock, phone=MERCHANT)
    before = snapshot(store)
    with pytest.raises(IdNumberTaken):
        security.verify_real_name(store, merchant, "林小满", LIN_ID, clock=clock)
    assert snapshot(store) == before
    security.verify_real_name(store, merchant, "王小二", ID_WITH_X, clock=clock)
    newcomer = register_new(store, clock)
    before = snapshot(store)
    with pytest.raises(IdNumberTaken):
        security.verify_real_name(store, newcomer, "王小二", ID_WITH_X.lower(), clock=clock)
    assert snapshot(store) == before


def test_one_id_number_verifies_one_account_under_concurrency(
    store: Store, clock: FrozenClock
) -> None:
    """Two accounts verifying with the same ID number at once, on real threads."""
    tokens = (code_login(store, clock, phone=MERCHANT), register_new(store, clock))
    outcomes = together(
        2,
        lambda slot: security.verify_real_name(
            store, tokens[slot], "王小二", ID_WITH_X, clock=clock
        ),
    )
    verified = [o for o in outcomes if isinstance(o, AccountInfo)]
    taken = [o for o in outcomes if isinstance(o, IdNumberTaken)]
    assert (len(verified), len(taken)) == (1, 1), outcomes
    with store.reading() as tx:
        holders = tx.fetch_all("SELECT phone FROM account WHERE id_number = :n", n=ID_WITH_X)
    assert holders == [(verified[0].phone,)]


def test_an_account_verifies_once_under_concurrency(store: Store, clock: FrozenClock) -> None:
    """One account verifying with two ID numbers at once: the second is too late."""
    token = code_login(store, clock, phone=MERCHANT)
    numbers = (ID_WITH_X, MINOR_ID)
    outcomes = together(
        2,
        lambda slot: security.verify_real_name(store, token, "王小二", numbers[slot], clock=clock),
    )
    verified = [o for o in outcomes if isinstance(o, AccountInfo)]
    refused = [o for o in outcomes if isinstance(o, AlreadyVerified)]
    assert (len(verified), len(refused)) == (1, 1), outcomes
    assert column(store, MERCHANT, "id_number") == numbers[outcomes.index(verified[0])]
    assert kinds(store, MERCHANT).count("real_name_verified") == 1


def test_payment_lock_counts_exactly_under_concurrency(store: Store, clock: FrozenClock) -> None:
    """8 wrong payment passwords at once, on real threads: 5 are counted, one locks."""
    token = code_login(store, clock)
    security.set_payment_password(store, token, *PAY, clock=clock)
    lin = account_id(store, LIN)
    outcomes = together(
        8, lambda _: security.verify_payment_password(store, lin, WRONG_PAY, clock=clock)
    )
    wrong_ones = sorted(o.params["left"] for o in outcomes if isinstance(o, PaymentPasswordWrong))
    locked = [o for o in outcomes if isinstance(o, PaymentLocked)]
    assert wrong_ones == [1, 2, 3, 4], outcomes
    assert len(locked) == 4, outcomes
    assert lockout(store, PAYMENT_LOCK, str(lin)) == (0, clock.now() + PAYMENT_LOCK.duration)
    assert kinds(store, LIN).count("payment_locked") == 1


@pytest.mark.parametrize(
    ("phone", "name", "id_number"),
    [
        (LIN, "林小满", LIN_ID),  # the same number again
        (LIN, "王小二", ID_WITH_X),  # another, free number
        (MINOR, "王小二", ID_WITH_X),  # a minor cannot become an adult
    ],
)
def test_verified_account_cannot_verify_again(
    store: Store, clock: FrozenClock, phone: str, name: str, id_number: str
) -> None:
    token = code_login(store, clock, phone=phone)
    info = auth.account_for_token(store, token, clock=clock)
    assert info is not None
    assert info.verified
    before = snapshot(store)
    with pytest.raises(AlreadyVerified) as caught:
        security.verify_real_name(store, token, name, id_number, clock=clock)
    assert caught.value.message_key == "accounts.error.already_verified"
    assert snapshot(store) == before
    assert auth.account_for_token(store, token, clock=clock) == info


def test_verification_is_done_once(store: Store, clock: FrozenClock) -> None:
    token = code_login(store, clock, phone=MERCHANT)
    security.verify_real_name(store, token, "王小二", ID_WITH_X, clock=clock)
    before = snapshot(store)
    with pytest.raises(AlreadyVerified):
        security.verify_real_name(store, token, "林小满", LIN_ID, clock=clock)
    with pytest.raises(AlreadyVerified):
        security.verify_real_name(store, token, "张小明", MINOR_ID, clock=clock)
    assert snapshot(store) == before
    assert (column(store, MERCHANT, "real_name"), column(store, MERCHANT, "id_number")) == (
        "王小二",
        ID_WITH_X,
    )


@pytest.mark.parametrize(
    ("name", "id_number", "error"),
    [
        ("王小二", "110101199003074574", InvalidIdNumber),
        ("王小二", "110101900307457", InvalidIdNumber),
        ("Wang Xiaoer", ID_WITH_X, InvalidName),
        ("王", ID_WITH_X, InvalidName),
    ],
)
def test_rejected_real_name_changes_nothing(
    store: Store, clock: FrozenClock, name: str, id_number: str, error: type
) -> None:
    token = code_login(store, clock, phone=MERCHANT)
    before = snapshot(store)
    with pytest.raises(error):
        security.verify_real_name(store, token, name, id_number, clock=clock)
    assert snapshot(store) == before


# -- second verification ----------------------------------------------------------------------


def test_second_factor_off_again(store: Store, clock: FrozenClock) -> None:
    token = code_login(store, clock)
    security.set_second_factor(store, token, True, clock=clock)
    code = code_for(store, clock, LIN, Purpose.SECOND_FACTOR_OFF)
    info = security.set_second_factor(store, token, False, code=code, clock=clock)
    assert not info.second_factor
    assert bool(column(store, LIN, "second_factor")) is False
    result = auth.login_with_password(store, LIN, PASSWORD, clock=clock, device="pc")
    assert isinstance(result, LoggedIn)
    assert kinds(store, LIN) == ["login", "second_factor_on", "second_factor_off", "login"]


def test_turning_second_factor_off_needs_an_sms_code(store: Store, clock: FrozenClock) -> None:
    token = code_login(store, clock)
    security.set_second_factor(store, token, True, clock=clock)
    events = kinds(store, LIN)
    with pytest.raises(ProofNeeded):
        security.set_second_factor(store, token, False, clock=clock)
    login_code = code_for(store, clock, LIN, Purpose.LOGIN)  # a code of another purpose
    with pytest.raises(CodeRejected):
        security.set_second_factor(store, token, False, code=login_code, clock=clock)
    code = code_for(store, clock, LIN, Purpose.SECOND_FACTOR_OFF)
    with pytest.raises(CodeRejected) as caught:
        security.set_second_factor(store, token, False, code=wrong(code), clock=clock)
    assert caught.value.params.get("left") == 4  # the wrong try was counted, and kept
    assert bool(column(store, LIN, "second_factor")) is True
    assert kinds(store, LIN) == events
    info = security.set_second_factor(store, token, False, code=code, clock=clock)
    assert not info.second_factor
    assert kinds(store, LIN)[-1] == "second_factor_off"


@pytest.mark.real_hasher
def test_paying_rehashes_a_payment_password_hashed_with_weaker_parameters(
    store: Store, clock: FrozenClock
) -> None:
    weak = hash_weakly(store, LIN, "payment_password_hash", PAY[0])
    lin = account_id(store, LIN)
    with pytest.raises(PaymentPasswordWrong):
        security.verify_payment_password(store, lin, WRONG_PAY, clock=clock)
    assert column(store, LIN, "payment_password_hash") == weak
    security.verify_payment_password(store, lin, PAY[0], clock=clock)
    stored = str(column(store, LIN, "payment_password_hash"))
    assert stored != weak
    assert hash_params(stored) == CURRENT_PARAMS
    assert PasswordHasher().verify(stored, PAY[0])
    security.verify_payment_password(store, lin, PAY[0], clock=clock)  # still right


@pytest.mark.real_hasher
def test_two_payments_at_once_with_a_payment_password_hashed_with_weaker_parameters(
    store: Store, clock: FrozenClock
) -> None:
    """Both find the weak hash and rehash it; the one that finds it rehashed by the other
    checks again, rather than counting a right password as wrong."""
    hash_weakly(store, LIN, "payment_password_hash", PAY[0])
    lin = account_id(store, LIN)

    outcomes = together(
        2, lambda _: security.verify_payment_password(store, lin, PAY[0], clock=clock)
    )

    assert outcomes == [None, None]
    assert hash_params(str(column(store, LIN, "payment_password_hash"))) == CURRENT_PARAMS

"""`kstui.services.payments.cashier`: paying a checkout by QR code (with the gateway's late and
repeated signed notifications), by bank card (test cards, SMS verification), from the
balance; recharging the wallet; idempotency keys. Deadlines are in
`test_order_deadline`, the threaded races in `test_ordering_concurrency`."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import timedelta

import pytest

from kstui.providers import gateway
from kstui.providers.clock import FrozenClock
from kstui.providers.gateway import TEST_CARDS, CardOutcome
from kstui.services.accounts import auth
from kstui.services.accounts.errors import (
    CodeRejected,
    PaymentPasswordNotSet,
    PaymentPasswordWrong,
    SendTooSoon,
)
from kstui.services.accounts.sms_codes import Purpose
from kstui.services.ordering import coupons
from kstui.services.ordering.checkout import Placed
from kstui.services.ordering.coupons import CouponState
from kstui.services.payments import cashier
from kstui.services.payments.cashier import (
    AlreadyPaid,
    KeyReused,
    NotAwaitingCode,
    NoticeOutcome,
    PaymentNotFound,
    RealNameRequired,
    WrongMethod,
)
from kstui.services.payments.wallet import MAX_RECHARGE, InsufficientBalance, InvalidRecharge
from kstui.store.enums import CheckoutStatus, PaymentMethod, PaymentPurpose, PaymentStatus
from kstui.store.interface import Store, from_db_time
from tests.conftest import ADULT, MINOR
from tests.unit.accounts.test_accounts import last_code, wrong
from tests.unit.ordering_helpers import (
    APPROVED_CARD,
    DECLINED_CARD,
    HOME,
    NO_FUNDS_CARD,
    OTHER_CARD,
    PAY_PASSWORD,
    SMS,
    SMS_CARD,
    WRONG_PAY_PASSWORD,
    YIYI,
    Skus,
    account_of,
    address,
    balance,
    card,
    checkout_status,
    dump,
    ledger_sum,
    new_shopper,
    order_statuses,
    payment_events,
    place,
    rows,
    scan,
    set_pay_password,
    shop_template,
    skus,
    trade_status,
    value,
)

PAYING_TABLES = (
    "checkout", "shop_order", "order_line", "order_event", "payment", "gateway_trade",
    "wallet", "wallet_entry", "coupon", "sku", "product",
)  # fmt: skip
"""What a payment changes (not the events, where a refused notification is noted)."""


@pytest.fixture
def s(store: Store) -> Skus:
    return skus(store)


@pytest.fixture
def home(store: Store, clock: FrozenClock, shopper: str) -> int:
    return address(store, shopper, clock, HOME)


@pytest.fixture
def placed(store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int) -> Placed:
    """A dress and two bags of apples with 满100减10 and the new-user ¥5: ¥171.80."""
    coupons.claim(store, shopper, shop_template(store, YIYI), clock=clock)
    made = place(store, shopper, clock, {s.dress: 1, s.apples: 2}, address_id=home)
    assert made.amount == 12900 + 2 * 2990 + 1000 - 1000 - 500
    return made


@pytest.fixture
def password(store: Store, clock: FrozenClock, shopper: str) -> str:
    """The shopper's payment password, set."""
    set_pay_password(store, shopper, clock)
    return PAY_PASSWORD


def paid_state(store: Store, placed: Placed) -> tuple[str, list[str]]:
    return checkout_status(store, placed.no), order_statuses(store, placed.no)


UNPAID = ("awaiting_payment", ["pending_payment", "pending_payment"])
PAID = ("paid", ["to_ship", "to_ship"])


def notice_of(store: Store, trade_no: str | None) -> str:
    """The body of the gateway's (first) notification about a trade."""
    assert trade_no is not None
    return str(
        value(
            store, "SELECT body FROM gateway_notice WHERE trade_no = :no ORDER BY id", no=trade_no
        )
    )


# -- real name ------------------------------------------------------------------------------


def test_paying_needs_a_verified_real_name(store: Store, clock: FrozenClock, s: Skus) -> None:
    token = new_shopper(store, clock, "13700137001", verified=False)
    home = address(store, token, clock, HOME)
    made = place(store, token, clock, {s.skirt: 1}, address_id=home)
    before = dump(store)
    attempts: list[Callable[[], object]] = [
        lambda: cashier.start_qr(store, token, made.no, PaymentMethod.ALIPAY, "k", clock=clock),
        lambda: cashier.pay_by_balance(store, token, made.no, PAY_PASSWORD, "k", clock=clock),
        lambda: cashier.pay_by_card(
            store, token, made.no, card(), PAY_PASSWORD, "k", clock=clock, sms=SMS
        ),
        lambda: cashier.recharge_qr(store, token, 5000, PaymentMethod.ALIPAY, "k", clock=clock),
        lambda: cashier.recharge_by_card(
            store, token, 5000, card(), PAY_PASSWORD, "k", clock=clock, sms=SMS
        ),
    ]
    for attempt in attempts:
        with pytest.raises(RealNameRequired):
            attempt()
    assert dump(store) == before
    assert not cashier.cashier(store, token, made.no, clock=clock).verified


# -- QR codes and the gateway's notifications -----------------------------------------------


def test_a_qr_payment_is_applied_once_from_late_and_repeated_notifications(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, placed: Placed
) -> None:
    qr = cashier.start_qr(store, shopper, placed.no, PaymentMethod.ALIPAY, "qr-1", clock=clock)
    assert (qr.status, qr.purpose, qr.method) == (
        PaymentStatus.PENDING, PaymentPurpose.CHECKOUT, PaymentMethod.ALIPAY,
    )  # fmt: skip
    assert (qr.amount, qr.checkout_no) == (placed.amount, placed.no)
    assert qr.trade_no is not None
    assert qr.qr_url == gateway.qr_url(PaymentMethod.ALIPAY, qr.trade_no)
    with store.reading() as tx:
        trade = gateway.trade(tx, qr.trade_no)
    assert (trade.amount, trade.out_trade_no, trade.expires_at) == (
        placed.amount, qr.no, placed.pay_deadline,
    )  # fmt: skip

    assert scan(store, qr, clock)
    assert not scan(store, qr, clock)  # paid already
    clock.advance(timedelta(seconds=1))
    assert cashier.deliver_notices(store, clock=clock) == 0
    assert paid_state(store, placed) == UNPAID  # the notification is on its way

    clock.advance(timedelta(seconds=1))
    assert cashier.deliver_notices(store, clock=clock) == 1
    assert paid_state(store, placed) == PAID
    payment_id = value(store, "SELECT id FROM payment WHERE no = :no", no=qr.no)
    paid = rows(store, "SELECT payment_id, paid_at FROM checkout")
    assert [(paid_by, from_db_time(at)) for paid_by, at in paid] == [(payment_id, clock.now())]
    assert rows(
        store,
        "SELECT DISTINCT from_status, to_status, detail FROM order_event WHERE detail = 'paid'",
    ) == [("pending_payment", "to_ship", "paid")]
    assert {c.state for c in coupons.my_coupons(store, shopper, clock=clock)} == {CouponState.USED}
    assert value(store, "SELECT sales FROM sku WHERE id = :id", id=s.apples) == 2
    assert (
        cashier.payment_status(store, shopper, qr.no, clock=clock).status is PaymentStatus.SUCCEEDED
    )
    after = dump(store, PAYING_TABLES)

    clock.advance(timedelta(seconds=6))
    assert cashier.deliver_notices(store, clock=clock) == 1  # the second copy
    assert cashier.deliver_notices(store, clock=clock) == 0
    assert dump(store, PAYING_TABLES) == after
    assert payment_events(store, qr.no) == [
        (None, "pending", ""),
        ("pending", "succeeded", ""),
        ("succeeded", "succeeded", "notice_duplicate"),
    ]
    assert value(store, "SELECT COUNT(*) FROM gateway_notice WHERE delivered_at IS NULL") == 0
    view = cashier.cashier(store, shopper, placed.no, clock=clock)
    assert view.status is CheckoutStatus.PAID


def test_handle_notice_applies_then_reports_duplicates(
    store: Store, clock: FrozenClock, shopper: str, placed: Placed
) -> None:
    qr = cashier.start_qr(store, shopper, placed.no, PaymentMethod.WECHAT, "qr", clock=clock)
    assert scan(store, qr, clock)
    body = notice_of(store, qr.trade_no)
    assert cashier.handle_notice(store, body, clock=clock) is NoticeOutcome.APPLIED
    assert cashier.handle_notice(store, body, clock=clock) is NoticeOutcome.DUPLICATE
    assert paid_state(store, placed) == PAID


def test_payment_status_asks_the_gateway(
    store: Store, clock: FrozenClock, shopper: str, placed: Placed
) -> None:
    """我已完成支付: the trade is paid at the gateway, no notification has come yet."""
    qr = cashier.start_qr(store, shopper, placed.no, PaymentMethod.ALIPAY, "qr", clock=clock)
    assert (
        cashier.payment_status(store, shopper, qr.no, clock=clock).status is PaymentStatus.PENDING
    )
    assert scan(store, qr, clock)
    assert (
        cashier.payment_status(store, shopper, qr.no, clock=clock).status is PaymentStatus.SUCCEEDED
    )
    assert paid_state(store, placed) == PAID
    clock.advance(timedelta(seconds=8))
    assert cashier.deliver_notices(store, clock=clock) == 2
    assert [e[2] for e in payment_events(store, qr.no)][-2:] == ["notice_duplicate"] * 2
    with pytest.raises(PaymentNotFound):
        cashier.payment_status(store, shopper, "P000", clock=clock)


def test_a_qr_key_sent_again_returns_the_same_payment(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int, placed: Placed,
    token_for: Callable[[str], str],
) -> None:  # fmt: skip
    first = cashier.start_qr(store, shopper, placed.no, PaymentMethod.ALIPAY, "qr", clock=clock)
    again = cashier.start_qr(store, shopper, placed.no, PaymentMethod.ALIPAY, "qr", clock=clock)
    assert again == first
    assert value(store, "SELECT COUNT(*) FROM gateway_trade") == 1
    other = place(store, shopper, clock, {s.skirt: 1}, address_id=home)
    with pytest.raises(KeyReused):  # on another checkout
        cashier.start_qr(store, shopper, other.no, PaymentMethod.ALIPAY, "qr", clock=clock)
    with pytest.raises(KeyReused):  # with another method
        cashier.start_qr(store, shopper, placed.no, PaymentMethod.WECHAT, "qr", clock=clock)
    with pytest.raises(KeyReused):  # for a recharge
        cashier.recharge_qr(store, shopper, 5000, PaymentMethod.ALIPAY, "qr", clock=clock)
    with pytest.raises(KeyReused):  # by someone else
        cashier.start_qr(
            store, token_for(MINOR), placed.no, PaymentMethod.ALIPAY, "qr", clock=clock
        )
    with pytest.raises(WrongMethod):
        cashier.start_qr(store, shopper, placed.no, PaymentMethod.CARD, "qr-2", clock=clock)
    assert value(store, "SELECT COUNT(*) FROM payment") == 1


def _resign(fields: dict[str, object], key: bytes) -> str:
    canonical = "&".join(f"{name}={fields[name]}" for name in sorted(fields))
    signature = hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()
    return json.dumps({**fields, "sign": signature})


def _tampered(kind: str, genuine: str, other_trade: str | None) -> str:
    fields = json.loads(genuine)
    signature = fields.pop("sign")
    if kind == "amount_resigned_with_a_wrong_key":
        return _resign({**fields, "amount": 1}, b"guessed-key")
    if kind == "amount_changed_old_signature":
        return json.dumps({**fields, "amount": 1, "sign": signature})
    if kind == "amount_as_text_old_signature":  # the same canonical text: signature valid
        return json.dumps({**fields, "amount": str(fields["amount"]), "sign": signature})
    if kind == "unknown_out_trade_no":
        return _resign({**fields, "out_trade_no": "P261122000000000000"}, gateway.SIGNING_KEY)
    if kind == "another_payments_trade_no":
        return _resign({**fields, "trade_no": other_trade}, gateway.SIGNING_KEY)
    if kind == "amount_changed_resigned":
        return _resign({**fields, "amount": 1}, gateway.SIGNING_KEY)
    if kind == "not_paid":
        return _resign({**fields, "status": "closed"}, gateway.SIGNING_KEY)
    if kind == "no_signature":
        return json.dumps(fields)
    if kind == "malformed_json":
        return genuine[:-3]
    if kind == "not_an_object":
        return json.dumps([fields, signature])
    raise AssertionError(kind)


TAMPERINGS = [
    "amount_resigned_with_a_wrong_key",
    "amount_changed_old_signature",
    "amount_as_text_old_signature",
    "unknown_out_trade_no",
    "another_payments_trade_no",
    "amount_changed_resigned",
    "not_paid",
    "no_signature",
    "malformed_json",
    "not_an_object",
]


@pytest.mark.parametrize("kind", TAMPERINGS)
def test_a_tampered_notice_is_rejected_and_changes_nothing(
    store: Store, clock: FrozenClock, shopper: str, placed: Placed, kind: str
) -> None:
    qr = cashier.start_qr(store, shopper, placed.no, PaymentMethod.ALIPAY, "qr", clock=clock)
    other = cashier.start_qr(store, shopper, placed.no, PaymentMethod.WECHAT, "qr2", clock=clock)
    assert scan(store, qr, clock)
    genuine = notice_of(store, qr.trade_no)
    before = dump(store, PAYING_TABLES)

    outcome = cashier.handle_notice(store, _tampered(kind, genuine, other.trade_no), clock=clock)

    assert outcome is NoticeOutcome.REJECTED
    assert dump(store, PAYING_TABLES) == before
    assert paid_state(store, placed) == UNPAID
    for no in (qr.no, other.no):
        assert all(e[1] == "pending" for e in payment_events(store, no))
    # The genuine notification still works afterwards.
    assert cashier.handle_notice(store, genuine, clock=clock) is NoticeOutcome.APPLIED


def test_a_qr_paid_after_the_checkout_was_paid_otherwise_is_refunded(
    store: Store, clock: FrozenClock, shopper: str, placed: Placed, password: str
) -> None:
    """Scanned and paid, but its notification is late: meanwhile the balance paid."""
    qr = cashier.start_qr(store, shopper, placed.no, PaymentMethod.ALIPAY, "qr", clock=clock)
    assert scan(store, qr, clock)
    by_balance = cashier.pay_by_balance(store, shopper, placed.no, password, "bal", clock=clock)
    assert by_balance.status is PaymentStatus.SUCCEEDED
    body = notice_of(store, qr.trade_no)

    assert cashier.handle_notice(store, body, clock=clock) is NoticeOutcome.REFUNDED

    assert trade_status(store, qr.trade_no) == "refunded"
    assert (
        cashier.payment_status(store, shopper, qr.no, clock=clock).status is PaymentStatus.REFUNDED
    )
    assert payment_events(store, qr.no)[-1] == ("succeeded", "refunded", "checkout_not_awaiting")
    balance_payment = value(store, "SELECT id FROM payment WHERE no = :no", no=by_balance.no)
    assert value(store, "SELECT payment_id FROM checkout") == balance_payment
    shopper_id = account_of(store, shopper, clock)
    assert balance(store, shopper_id) == 20000 - placed.amount == ledger_sum(store, shopper_id)
    assert cashier.handle_notice(store, body, clock=clock) is NoticeOutcome.DUPLICATE


def test_paying_closes_the_checkouts_other_attempts(
    store: Store, clock: FrozenClock, shopper: str, placed: Placed, password: str
) -> None:
    """A QR code still shown and a card waiting for its SMS code can no longer pay a paid
    checkout: they are closed, not left pending for ever."""
    qr = cashier.start_qr(store, shopper, placed.no, PaymentMethod.WECHAT, "qr", clock=clock)
    waiting = cashier.pay_by_card(
        store, shopper, placed.no, card(SMS_CARD), password, "card", clock=clock, sms=SMS
    )
    cashier.pay_by_balance(store, shopper, placed.no, password, "bal", clock=clock)

    for attempt in (qr, waiting):
        view = cashier.payment_status(store, shopper, attempt.no, clock=clock)
        assert view.status is PaymentStatus.CLOSED
        assert not view.awaiting_code
        assert payment_events(store, attempt.no)[-1] == ("pending", "closed", "checkout_paid")
        assert trade_status(store, attempt.trade_no) == "closed"
    assert not scan(store, qr, clock)
    with pytest.raises(NotAwaitingCode):
        cashier.confirm_card_code(store, shopper, waiting.no, last_code(store, ADULT), clock=clock)
    shopper_id = account_of(store, shopper, clock)
    assert balance(store, shopper_id) == 20000 - placed.amount == ledger_sum(store, shopper_id)


# -- bank cards -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "status", "failure"),
    [
        (APPROVED_CARD, PaymentStatus.SUCCEEDED, None),
        (OTHER_CARD, PaymentStatus.SUCCEEDED, None),
        (DECLINED_CARD, PaymentStatus.FAILED, "declined"),
        (NO_FUNDS_CARD, PaymentStatus.FAILED, "insufficient_funds"),
        (SMS_CARD, PaymentStatus.PENDING, None),
    ],
)
def test_each_test_card_gives_its_outcome(
    store: Store, clock: FrozenClock, shopper: str, placed: Placed, password: str,
    number: str, status: PaymentStatus, failure: str | None,
) -> None:  # fmt: skip
    view = cashier.pay_by_card(
        store, shopper, placed.no, card(number), password, "card", clock=clock, sms=SMS
    )
    assert (view.status, view.failure, view.card_last4) == (status, failure, number[-4:])
    assert view.method is PaymentMethod.CARD
    assert view.qr_url is None
    assert view.awaiting_code == (TEST_CARDS.get(number) is CardOutcome.VERIFY_BY_SMS)
    expected_trade = {
        PaymentStatus.SUCCEEDED: "paid", PaymentStatus.FAILED: "closed",
        PaymentStatus.PENDING: "open",
    }[status]  # fmt: skip
    assert trade_status(store, view.trade_no) == expected_trade
    assert paid_state(store, placed) == (PAID if status is PaymentStatus.SUCCEEDED else UNPAID)
    texts = rows(store, "SELECT text FROM sms_message WHERE phone = :phone", phone=ADULT)
    assert (len(texts) == 1) == view.awaiting_code
    assert all("银行卡支付" in str(text) for (text,) in texts)


def test_a_failed_card_leaves_the_checkout_payable(
    store: Store, clock: FrozenClock, shopper: str, placed: Placed, password: str
) -> None:
    def pay(number: str, key: str) -> cashier.PaymentView:
        return cashier.pay_by_card(
            store, shopper, placed.no, card(number), password, key, clock=clock, sms=SMS
        )

    declined = pay(DECLINED_CARD, "k1")
    assert declined.status is PaymentStatus.FAILED
    assert pay(NO_FUNDS_CARD, "k2").status is PaymentStatus.FAILED
    assert paid_state(store, placed) == UNPAID
    approved = pay(APPROVED_CARD, "k3")
    assert approved.status is PaymentStatus.SUCCEEDED
    assert paid_state(store, placed) == PAID
    # The same keys again: the first results, no new charge.
    assert pay(APPROVED_CARD, "k1") == declined
    assert pay(APPROVED_CARD, "k3") == approved
    assert value(store, "SELECT COUNT(*) FROM gateway_trade") == 3
    assert value(store, "SELECT COUNT(*) FROM gateway_trade WHERE status = 'paid'") == 1
    with pytest.raises(AlreadyPaid):
        pay(APPROVED_CARD, "k4")
    assert value(store, "SELECT COUNT(*) FROM payment") == 3


def test_card_verification_by_sms(
    store: Store, clock: FrozenClock, shopper: str, placed: Placed, password: str,
    token_for: Callable[[str], str],
) -> None:  # fmt: skip
    view = cashier.pay_by_card(
        store, shopper, placed.no, card(SMS_CARD), password, "card", clock=clock, sms=SMS
    )
    assert view.awaiting_code
    code = last_code(store, ADULT)

    with pytest.raises(CodeRejected) as caught:
        cashier.confirm_card_code(store, shopper, view.no, wrong(code), clock=clock)
    assert caught.value.params == {"reason": "wrong", "left": 4}
    assert value(store, "SELECT attempts FROM sms_code WHERE purpose = 'card_payment'") == 1
    assert cashier.payment_status(store, shopper, view.no, clock=clock).awaiting_code
    with pytest.raises(PaymentNotFound):
        cashier.confirm_card_code(store, token_for(MINOR), view.no, code, clock=clock)

    done = cashier.confirm_card_code(store, shopper, view.no, code, clock=clock)
    assert done.status is PaymentStatus.SUCCEEDED
    assert not done.awaiting_code
    assert paid_state(store, placed) == PAID
    assert trade_status(store, view.trade_no) == "paid"
    with pytest.raises(NotAwaitingCode):
        cashier.confirm_card_code(store, shopper, view.no, code, clock=clock)


def test_a_qr_payment_takes_no_sms_code(
    store: Store, clock: FrozenClock, shopper: str, placed: Placed
) -> None:
    qr = cashier.start_qr(store, shopper, placed.no, PaymentMethod.ALIPAY, "qr", clock=clock)
    with pytest.raises(NotAwaitingCode):
        cashier.confirm_card_code(store, shopper, qr.no, "123456", clock=clock)


def test_a_card_code_after_the_deadline_closes_the_payment(
    store: Store, clock: FrozenClock, shopper: str, placed: Placed, password: str
) -> None:
    view = cashier.pay_by_card(
        store, shopper, placed.no, card(SMS_CARD), password, "card", clock=clock, sms=SMS
    )
    code = last_code(store, ADULT)
    clock.advance(timedelta(minutes=4, seconds=59))  # the code lives 5 minutes
    deadline = clock.now() - timedelta(seconds=59)  # 02:04, before the code expires
    with store.writing() as tx:
        tx.execute("UPDATE checkout SET pay_deadline = :at", at=deadline)
        tx.execute("UPDATE gateway_trade SET expires_at = :at", at=deadline)
    done = cashier.confirm_card_code(store, shopper, view.no, code, clock=clock)
    assert done.status is PaymentStatus.CLOSED
    assert trade_status(store, view.trade_no) == "closed"
    assert paid_state(store, placed) == UNPAID  # cancel_overdue will close it
    assert cashier.cancel_overdue(store, clock=clock) == 1


# -- the balance ----------------------------------------------------------------------------


def test_the_balance_pays_with_the_payment_password(
    store: Store, clock: FrozenClock, shopper: str, placed: Placed, password: str
) -> None:
    shopper_id = account_of(store, shopper, clock)
    view = cashier.pay_by_balance(store, shopper, placed.no, password, "bal", clock=clock)
    assert (view.status, view.method, view.amount) == (
        PaymentStatus.SUCCEEDED, PaymentMethod.BALANCE, placed.amount,
    )  # fmt: skip
    assert paid_state(store, placed) == PAID
    left = 20000 - placed.amount
    assert balance(store, shopper_id) == left == ledger_sum(store, shopper_id)
    assert rows(
        store, "SELECT amount, balance_after, kind, ref FROM wallet_entry ORDER BY id DESC LIMIT 1"
    ) == [(-placed.amount, left, "payment", placed.no)]
    # A double press sends the same key: the same result, no second debit.
    assert cashier.pay_by_balance(store, shopper, placed.no, password, "bal", clock=clock) == view
    assert balance(store, shopper_id) == left
    with pytest.raises(AlreadyPaid):
        cashier.pay_by_balance(store, shopper, placed.no, password, "bal-2", clock=clock)
    assert balance(store, shopper_id) == left


def test_a_wrong_payment_password_charges_nothing(
    store: Store, clock: FrozenClock, shopper: str, placed: Placed, password: str
) -> None:
    assert password
    before = dump(store)
    with pytest.raises(PaymentPasswordWrong) as caught:
        cashier.pay_by_balance(store, shopper, placed.no, WRONG_PAY_PASSWORD, "k", clock=clock)
    assert caught.value.params["left"] == 4
    with pytest.raises(PaymentPasswordWrong):
        cashier.pay_by_card(
            store, shopper, placed.no, card(), WRONG_PAY_PASSWORD, "k", clock=clock, sms=SMS
        )
    assert dump(store) == before


def test_without_a_payment_password(
    store: Store, clock: FrozenClock, shopper: str, placed: Placed
) -> None:
    before = dump(store)
    with pytest.raises(PaymentPasswordNotSet):
        cashier.pay_by_balance(store, shopper, placed.no, PAY_PASSWORD, "k", clock=clock)
    assert dump(store) == before
    assert not cashier.cashier(store, shopper, placed.no, clock=clock).payment_password_set


def test_an_insufficient_balance_changes_nothing(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int, password: str
) -> None:
    made = place(store, shopper, clock, {s.phone: 1}, address_id=home)
    before = dump(store)
    with pytest.raises(InsufficientBalance) as caught:
        cashier.pay_by_balance(store, shopper, made.no, password, "k", clock=clock)
    assert caught.value.params == {"balance": 20000, "amount": made.amount}
    assert dump(store) == before
    assert checkout_status(store, made.no) == CheckoutStatus.AWAITING_PAYMENT
    # The key was not spent: paying by card with it works.
    view = cashier.pay_by_card(
        store, shopper, made.no, card(), password, "k2", clock=clock, sms=SMS
    )
    assert view.status is PaymentStatus.SUCCEEDED


def test_a_key_used_on_another_checkout_is_refused(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int, placed: Placed,
    password: str,
) -> None:  # fmt: skip
    other = place(store, shopper, clock, {s.skirt: 1}, address_id=home)
    cashier.pay_by_balance(store, shopper, placed.no, password, "bal", clock=clock)
    shopper_id = account_of(store, shopper, clock)
    left = balance(store, shopper_id)
    with pytest.raises(KeyReused):
        cashier.pay_by_balance(store, shopper, other.no, password, "bal", clock=clock)
    with pytest.raises(KeyReused):  # the same key with a card
        cashier.pay_by_card(
            store, shopper, placed.no, card(), password, "bal", clock=clock, sms=SMS
        )
    assert checkout_status(store, other.no) == CheckoutStatus.AWAITING_PAYMENT
    assert balance(store, shopper_id) == left


# -- recharging -----------------------------------------------------------------------------


def test_recharge_by_qr_credits_once(store: Store, clock: FrozenClock, shopper: str) -> None:
    shopper_id = account_of(store, shopper, clock)
    qr = cashier.recharge_qr(store, shopper, 5000, PaymentMethod.WECHAT, "top-up", clock=clock)
    assert (qr.purpose, qr.checkout_no, qr.amount) == (PaymentPurpose.RECHARGE, None, 5000)
    assert (
        cashier.recharge_qr(store, shopper, 5000, PaymentMethod.WECHAT, "top-up", clock=clock) == qr
    )
    assert scan(store, qr, clock)
    clock.advance(timedelta(seconds=8))
    assert cashier.deliver_notices(store, clock=clock) == 2
    assert balance(store, shopper_id) == 25000 == ledger_sum(store, shopper_id)
    assert rows(store, "SELECT amount, kind, ref FROM wallet_entry ORDER BY id DESC LIMIT 1") == [
        (5000, "recharge", qr.no)
    ]
    assert (
        cashier.payment_status(store, shopper, qr.no, clock=clock).status is PaymentStatus.SUCCEEDED
    )
    assert payment_events(store, qr.no)[-1][2] == "notice_duplicate"


def test_recharge_by_qr_applied_by_asking_the_gateway(
    store: Store, clock: FrozenClock, shopper: str
) -> None:
    shopper_id = account_of(store, shopper, clock)
    qr = cashier.recharge_qr(store, shopper, 1, PaymentMethod.ALIPAY, "top-up", clock=clock)
    assert scan(store, qr, clock)
    assert (
        cashier.payment_status(store, shopper, qr.no, clock=clock).status is PaymentStatus.SUCCEEDED
    )
    assert (
        cashier.payment_status(store, shopper, qr.no, clock=clock).status is PaymentStatus.SUCCEEDED
    )
    clock.advance(timedelta(seconds=8))
    cashier.deliver_notices(store, clock=clock)
    assert balance(store, shopper_id) == 20001 == ledger_sum(store, shopper_id)


@pytest.mark.parametrize("amount", [0, -100, MAX_RECHARGE + 1])
def test_recharge_amount_bounds(
    store: Store, clock: FrozenClock, shopper: str, amount: int
) -> None:
    with pytest.raises(InvalidRecharge):
        cashier.recharge_qr(store, shopper, amount, PaymentMethod.ALIPAY, "k", clock=clock)
    assert value(store, "SELECT COUNT(*) FROM payment") == 0


def test_the_balance_cannot_recharge_itself(store: Store, clock: FrozenClock, shopper: str) -> None:
    for method in (PaymentMethod.BALANCE, PaymentMethod.CARD):
        with pytest.raises(WrongMethod):
            cashier.recharge_qr(store, shopper, 5000, method, "k", clock=clock)


def test_recharge_by_card_credits_once(
    store: Store, clock: FrozenClock, shopper: str, password: str
) -> None:
    shopper_id = account_of(store, shopper, clock)

    def recharge(number: str, key: str, amount: int = 10000) -> cashier.PaymentView:
        return cashier.recharge_by_card(
            store, shopper, amount, card(number), password, key, clock=clock, sms=SMS
        )

    assert recharge(DECLINED_CARD, "r0").status is PaymentStatus.FAILED
    assert balance(store, shopper_id) == 20000
    first = recharge(APPROVED_CARD, "r1")
    assert first.status is PaymentStatus.SUCCEEDED
    assert recharge(APPROVED_CARD, "r1") == first
    assert balance(store, shopper_id) == 30000
    verify = recharge(SMS_CARD, "r2", 2345)
    assert verify.awaiting_code
    assert balance(store, shopper_id) == 30000
    cashier.confirm_card_code(store, shopper, verify.no, last_code(store, ADULT), clock=clock)
    assert balance(store, shopper_id) == 32345 == ledger_sum(store, shopper_id)
    assert (
        value(store, "SELECT COUNT(*) FROM wallet_entry WHERE kind = 'recharge'") == 3
    )  # seed too


def test_the_cashier(store: Store, clock: FrozenClock, shopper: str, placed: Placed) -> None:
    view = cashier.cashier(store, shopper, placed.no, clock=clock)
    assert (view.checkout_no, view.amount, view.status, view.pay_deadline) == (
        placed.no, placed.amount, CheckoutStatus.AWAITING_PAYMENT, placed.pay_deadline,
    )  # fmt: skip
    assert [o.no for o in view.orders] == list(placed.order_nos)
    assert sum(o.total for o in view.orders) == placed.amount
    assert [o.shop_name.zh for o in view.orders] == ["衣衣小铺", "果园直发"]
    assert (view.balance, view.verified, view.payment_password_set, view.phone) == (
        20000, True, False, ADULT,
    )  # fmt: skip
    assert view.method is PaymentMethod.ALIPAY


def test_a_card_code_is_not_promised_when_none_can_be_sent(
    store: Store, clock: FrozenClock, shopper: str, placed: Placed, password: str
) -> None:
    """A login code went to the phone 30 s ago: no code can be sent for a minute, so the
    payment is refused with "wait" rather than left waiting for a code that never comes."""
    auth.request_code(store, ADULT, Purpose.LOGIN, clock=clock, sms=SMS)
    clock.advance(timedelta(seconds=30))
    before = dump(store)
    with pytest.raises(SendTooSoon) as caught:
        cashier.pay_by_card(
            store, shopper, placed.no, card(SMS_CARD), password, "card", clock=clock, sms=SMS
        )
    assert caught.value.params == {"seconds": 30}
    assert dump(store) == before
    clock.advance(timedelta(seconds=30))
    view = cashier.pay_by_card(
        store, shopper, placed.no, card(SMS_CARD), password, "card", clock=clock, sms=SMS
    )
    done = cashier.confirm_card_code(store, shopper, view.no, last_code(store, ADULT), clock=clock)
    assert done.status is PaymentStatus.SUCCEEDED


def test_a_second_card_payment_reuses_the_code_just_sent(
    store: Store, clock: FrozenClock, shopper: str, placed: Placed, password: str
) -> None:
    first = cashier.pay_by_card(
        store, shopper, placed.no, card(SMS_CARD), password, "card-1", clock=clock, sms=SMS
    )
    code = last_code(store, ADULT)
    clock.advance(timedelta(seconds=10))
    second = cashier.pay_by_card(
        store, shopper, placed.no, card(SMS_CARD), password, "card-2", clock=clock, sms=SMS
    )
    assert second.awaiting_code
    assert second.no != first.no
    assert value(store, "SELECT COUNT(*) FROM sms_message") == 1
    done = cashier.confirm_card_code(store, shopper, second.no, code, clock=clock)
    assert done.status is PaymentStatus.SUCCEEDED


def test_a_recharge_key_sent_with_another_amount_is_refused(
    store: Store, clock: FrozenClock, shopper: str
) -> None:
    cashier.recharge_qr(store, shopper, 5000, PaymentMethod.WECHAT, "top-up", clock=clock)
    with pytest.raises(KeyReused):
        cashier.recharge_qr(store, shopper, 9000, PaymentMethod.WECHAT, "top-up", clock=clock)
    assert rows(store, "SELECT amount FROM payment") == [(5000,)]


def test_a_recharge_not_paid_in_time_is_closed(
    store: Store, clock: FrozenClock, shopper: str
) -> None:
    shopper_id = account_of(store, shopper, clock)
    late = cashier.recharge_qr(store, shopper, 5000, PaymentMethod.ALIPAY, "late", clock=clock)
    paid = cashier.recharge_qr(store, shopper, 3000, PaymentMethod.ALIPAY, "paid", clock=clock)
    assert scan(store, paid, clock)  # paid, its notification not delivered yet
    clock.advance(timedelta(minutes=14, seconds=59))
    assert cashier.close_stale_recharges(store, clock=clock) == 0
    clock.advance(timedelta(seconds=1))
    assert cashier.close_stale_recharges(store, clock=clock) == 1
    assert cashier.close_stale_recharges(store, clock=clock) == 0
    statuses = dict(rows(store, "SELECT no, status FROM payment"))
    assert statuses == {late.no: "closed", paid.no: "succeeded"}
    assert balance(store, shopper_id) == 23000 == ledger_sum(store, shopper_id)
    assert late.trade_no is not None
    assert gateway.scan_and_pay(store, late.trade_no, clock=clock) is False


def test_numbers_carry_the_date_in_china(store: Store, clock: FrozenClock, shopper: str) -> None:
    clock.advance(timedelta(hours=15, minutes=30))  # 2026-11-22 17:30 UTC: the 23rd in China
    qr = cashier.recharge_qr(store, shopper, 100, PaymentMethod.ALIPAY, "date", clock=clock)
    assert qr.no.startswith("P261123")
    assert (qr.trade_no or "").startswith("T20261123")


def test_simulate_scan_is_for_the_shoppers_own_qr_payment(
    store: Store, clock: FrozenClock, shopper: str, token_for: Callable[[str], str]
) -> None:
    qr = cashier.recharge_qr(store, shopper, 100, PaymentMethod.ALIPAY, "scan-me", clock=clock)
    with pytest.raises(PaymentNotFound):
        cashier.simulate_scan(store, token_for(MINOR), qr.no, clock=clock)
    assert cashier.simulate_scan(store, shopper, qr.no, clock=clock) is True
    assert cashier.simulate_scan(store, shopper, qr.no, clock=clock) is False  # paid already

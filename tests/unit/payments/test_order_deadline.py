"""Unpaid checkouts: closed 15 minutes after they were submitted (`payments.cancel_overdue`,
a catch-up step safe to run any number of times) or by the shopper (`cancel_unpaid`),
giving back their stock and coupons exactly once; a QR payment made in time is applied,
not cancelled. The threaded races are in `test_ordering_concurrency`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from kstui.providers.clock import FrozenClock
from kstui.services import jobs
from kstui.services.ordering import coupons
from kstui.services.ordering.checkout import Placed
from kstui.services.ordering.coupons import CouponState
from kstui.services.ordering.lifecycle import CheckoutNotFound
from kstui.services.payments import cashier
from kstui.services.payments.cashier import CheckoutClosed
from kstui.store.enums import CheckoutStatus, PaymentMethod, PaymentStatus
from kstui.store.interface import Store, from_db_time
from tests.conftest import MINOR
from tests.unit.ordering_helpers import (
    HOME,
    YIYI,
    Skus,
    account_of,
    address,
    checkout_status,
    dump,
    new_key,
    order_statuses,
    payment_events,
    place,
    rows,
    scan,
    shop_template,
    skus,
    stock,
    trade_status,
)

ALMOST = timedelta(minutes=14, seconds=59)
SECOND = timedelta(seconds=1)


@pytest.fixture
def s(store: Store) -> Skus:
    return skus(store)


@pytest.fixture
def placed(store: Store, clock: FrozenClock, shopper: str, s: Skus) -> Placed:
    """Two orders (衣衣, 果园) using 衣衣's 满100减10 and the new-user ¥5."""
    coupons.claim(store, shopper, shop_template(store, YIYI), clock=clock)
    home = address(store, shopper, clock, HOME)
    return place(store, shopper, clock, {s.dress: 2, s.apples: 3}, address_id=home)


def coupon_states(store: Store, token: str, clock: FrozenClock) -> set[CouponState]:
    return {c.state for c in coupons.my_coupons(store, token, clock=clock)}


def test_nothing_happens_before_the_deadline(
    store: Store, clock: FrozenClock, placed: Placed
) -> None:
    before = dump(store)
    clock.advance(ALMOST)
    assert cashier.cancel_overdue(store, clock=clock) == 0
    assert jobs.catch_up(store, clock=clock).done == {}
    assert dump(store) == before
    assert placed


def test_the_deadline_cancels_and_gives_back_stock_and_coupons_once(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, placed: Placed
) -> None:
    no = placed.no
    assert stock(store, s.dress) == (3, 28)
    assert stock(store, s.apples) == (197, 277)
    assert coupon_states(store, shopper, clock) == {CouponState.IN_ORDER}
    clock.advance(ALMOST + SECOND)

    assert cashier.cancel_overdue(store, clock=clock) == 1

    assert checkout_status(store, no) == CheckoutStatus.CLOSED
    assert order_statuses(store, no) == ["cancelled", "cancelled"]
    cancelled = rows(
        store,
        "SELECT from_status, to_status, detail, at FROM order_event"
        " WHERE to_status = 'cancelled' ORDER BY id",
    )
    assert [(*event[:3], from_db_time(event[3])) for event in cancelled] == [
        ("pending_payment", "cancelled", "timeout", clock.now())
    ] * 2
    assert {
        (reason, from_db_time(at))
        for reason, at in rows(store, "SELECT cancel_reason, cancelled_at FROM shop_order")
    } == {("timeout", clock.now())}
    assert stock(store, s.dress) == (5, 30)
    assert stock(store, s.apples) == (200, 280)
    assert coupon_states(store, shopper, clock) == {CouponState.USABLE}
    after = dump(store)

    clock.advance(timedelta(minutes=5))
    assert cashier.cancel_overdue(store, clock=clock) == 0  # any number of times
    assert jobs.catch_up(store, clock=clock).done == {}
    assert dump(store) == after


def test_an_unscanned_qr_code_is_closed_at_the_deadline(
    store: Store, clock: FrozenClock, shopper: str, placed: Placed
) -> None:
    no = placed.no
    qr = cashier.start_qr(store, shopper, no, PaymentMethod.WECHAT, new_key(), clock=clock)
    assert qr.trade_no is not None
    clock.advance(ALMOST + SECOND)
    assert cashier.cancel_overdue(store, clock=clock) == 1
    assert trade_status(store, qr.trade_no) == "closed"
    view = cashier.payment_status(store, shopper, qr.no, clock=clock)
    assert view.status is PaymentStatus.CLOSED
    assert payment_events(store, qr.no)[-1] == ("pending", "closed", "timeout")
    assert not scan(store, qr, clock)  # too late to scan


def test_a_qr_payment_made_in_time_is_applied_not_cancelled(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, placed: Placed
) -> None:
    """Paid at 14:50, its notifications due at 15:20 and later: the deadline asks the
    gateway first (交易查询) and applies the payment."""
    no = placed.no
    qr = cashier.start_qr(store, shopper, no, PaymentMethod.ALIPAY, new_key(), clock=clock)
    assert qr.trade_no is not None
    clock.advance(timedelta(minutes=14, seconds=50))
    late = (timedelta(seconds=30), timedelta(minutes=2))
    assert scan(store, qr, clock, delays=late)
    clock.advance(timedelta(seconds=10))

    assert cashier.cancel_overdue(store, clock=clock) == 0

    assert checkout_status(store, no) == CheckoutStatus.PAID
    assert order_statuses(store, no) == ["to_ship", "to_ship"]
    assert stock(store, s.dress) == (3, 28)  # stays sold
    assert coupon_states(store, shopper, clock) == {CouponState.USED}
    clock.advance(timedelta(minutes=3))
    assert jobs.catch_up(store, clock=clock).done == {"payment_notices": 2}
    assert [e[2] for e in payment_events(store, qr.no)] == [
        "", "", "notice_duplicate", "notice_duplicate",
    ]  # fmt: skip


def test_the_cashier_and_payments_close_an_overdue_checkout(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, placed: Placed
) -> None:
    no = placed.no
    clock.advance(timedelta(minutes=15))
    with pytest.raises(CheckoutClosed):
        cashier.start_qr(store, shopper, no, PaymentMethod.ALIPAY, new_key(), clock=clock)
    assert checkout_status(store, no) == CheckoutStatus.CLOSED
    assert stock(store, s.dress) == (5, 30)
    assert cashier.cashier(store, shopper, no, clock=clock).status is CheckoutStatus.CLOSED
    assert cashier.cancel_overdue(store, clock=clock) == 0


def test_the_shopper_cancels_an_unpaid_checkout(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, placed: Placed
) -> None:
    no = placed.no
    qr = cashier.start_qr(store, shopper, no, PaymentMethod.ALIPAY, new_key(), clock=clock)
    clock.advance(timedelta(minutes=3))

    assert cashier.cancel_unpaid(store, shopper, no, clock=clock)

    assert checkout_status(store, no) == CheckoutStatus.CLOSED
    assert order_statuses(store, no) == ["cancelled", "cancelled"]
    assert rows(store, "SELECT DISTINCT cancel_reason FROM shop_order") == [("shopper",)]
    assert stock(store, s.dress) == (5, 30)
    assert stock(store, s.apples) == (200, 280)
    assert coupon_states(store, shopper, clock) == {CouponState.USABLE}
    assert trade_status(store, qr.trade_no) == "closed"
    after = dump(store)
    assert not cashier.cancel_unpaid(store, shopper, no, clock=clock)
    clock.advance(timedelta(minutes=15))
    assert cashier.cancel_overdue(store, clock=clock) == 0
    assert dump(store) == after


def test_a_paid_checkout_cannot_be_cancelled_unpaid(
    store: Store, clock: FrozenClock, shopper: str, placed: Placed
) -> None:
    """Paid at the gateway a moment ago, its notification not yet there: the cancel
    finds out (交易查询) and applies the payment instead."""
    no = placed.no
    qr = cashier.start_qr(store, shopper, no, PaymentMethod.ALIPAY, new_key(), clock=clock)
    assert scan(store, qr, clock)
    assert not cashier.cancel_unpaid(store, shopper, no, clock=clock)
    assert checkout_status(store, no) == CheckoutStatus.PAID
    assert order_statuses(store, no) == ["to_ship", "to_ship"]


def test_another_accounts_checkout_is_not_found(
    store: Store, clock: FrozenClock, token_for: Callable[[str], str], placed: Placed
) -> None:
    other = token_for(MINOR)
    with pytest.raises(CheckoutNotFound):
        cashier.cancel_unpaid(store, other, placed.no, clock=clock)
    assert checkout_status(store, placed.no) == CheckoutStatus.AWAITING_PAYMENT
    assert account_of(store, other, clock) != 1

"""Races between real processes on one store, on SQLite and on PostgreSQL.

Each contender is a process of its own with its own connections (as several kstui
terminals, SSH sessions or servers are), released together by a barrier once all of them
have opened the store. Whatever the interleaving: stock is never oversold, a checkout is
charged once, a coupon pays for one checkout, a late second payment is refunded, and a
deadline acts once.
"""

from __future__ import annotations

import secrets
from collections import Counter
from datetime import timedelta

import pytest

from kstui.providers.clock import FrozenClock
from kstui.providers.sms import OutboxSms
from kstui.services import jobs
from kstui.services.ordering import coupons
from kstui.services.ordering.checkout import Placed
from kstui.services.ordering.pricing import Selection
from kstui.services.payments import cashier
from kstui.store.enums import CheckoutStatus, PaymentMethod, PaymentStatus
from kstui.store.interface import Store
from tests.conftest import NOW
from tests.e2e.processes import Failed, run_processes
from tests.unit.ordering_helpers import (
    HOME,
    PAY_PASSWORD,
    YIYI,
    Skus,
    account_of,
    address,
    balance,
    card,
    checkout_status,
    ledger_sum,
    new_key,
    new_shopper,
    place,
    rows,
    set_pay_password,
    shop_template,
    skus,
    stock,
    value,
)

ENGINES = ("sqlite", "postgresql")


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(engine: str, request: pytest.FixtureRequest) -> Store:
    found: Store = request.getfixturevalue("sqlite_store" if engine == "sqlite" else "pg_store")
    return found


@pytest.fixture
def s(store: Store) -> Skus:
    return skus(store)


def set_stock(store: Store, sku_id: int, left: int) -> None:
    with store.writing() as tx:
        before = tx.fetch_value("SELECT stock FROM sku WHERE id = :id", id=sku_id)
        tx.execute("UPDATE sku SET stock = :left WHERE id = :id", left=left, id=sku_id)
        tx.execute(
            "UPDATE product SET stock = stock - :n WHERE id = (SELECT product_id FROM sku"
            " WHERE id = :id)",
            n=before - left,
            id=sku_id,
        )


def kinds(outcomes: list[object]) -> Counter[str]:
    return Counter(o.kind if isinstance(o, Failed) else type(o).__name__ for o in outcomes)


# -- the work each process does (top level: a spawned process imports it) --------------------


def fresh_key() -> str:
    """A submit key no other process makes (the helpers' counter is per process)."""
    return secrets.token_hex(12)


def buy(store: Store, clock: FrozenClock, token: str, home: int, sku_id: int) -> Placed:
    return place(store, token, clock, {sku_id: 1}, address_id=home, key=fresh_key())


def buy_with_coupon(
    store: Store, clock: FrozenClock, token: str, home: int, sku_id: int, coupon_id: int
) -> Placed:
    return place(
        store, token, clock, {sku_id: 2}, address_id=home, key=fresh_key(),
        selection=Selection(shop_coupons={YIYI: coupon_id}),
    )  # fmt: skip


def notify(store: Store, clock: FrozenClock, body: str) -> str:
    return cashier.handle_notice(store, body, clock=clock).value


def pay(store: Store, clock: FrozenClock, token: str, checkout_no: str, how: str) -> str:
    if how == "card":
        view = cashier.pay_by_card(
            store, token, checkout_no, card(), PAY_PASSWORD, "card", clock=clock, sms=OutboxSms()
        )
    else:
        view = cashier.pay_by_balance(store, token, checkout_no, PAY_PASSWORD, how, clock=clock)
    return view.status.value


def catch_up(store: Store, clock: FrozenClock) -> dict[str, int]:
    return jobs.catch_up(store, clock=clock).done


# -- the races --------------------------------------------------------------------------------


def test_shoppers_in_six_processes_buying_the_last_three(
    store: Store, clock: FrozenClock, s: Skus
) -> None:
    set_stock(store, s.mini_skirt, 3)
    _, product_before = stock(store, s.mini_skirt)
    buyers = []
    for n in range(6):
        token = new_shopper(store, clock, f"1370030{n:04d}")
        buyers.append((token, address(store, token, clock, HOME), s.mini_skirt))

    outcomes = run_processes(store, NOW, buy, buyers)

    assert kinds(outcomes) == {"Placed": 3, "OutOfStock": 3}, outcomes
    assert stock(store, s.mini_skirt) == (0, product_before - 3)
    sold = value(store, "SELECT SUM(quantity) FROM order_line WHERE sku_id = :s", s=s.mini_skirt)
    assert sold == 3
    assert value(store, "SELECT COUNT(*) FROM checkout") == 3


@pytest.fixture
def placed(store: Store, clock: FrozenClock, shopper: str, s: Skus) -> Placed:
    home = address(store, shopper, clock, HOME)
    return place(store, shopper, clock, {s.dress: 1, s.apples: 2}, address_id=home)


def test_ten_processes_delivering_one_notification_apply_it_once(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, placed: Placed
) -> None:
    from kstui.providers import gateway

    qr = cashier.start_qr(store, shopper, placed.no, PaymentMethod.ALIPAY, "qr", clock=clock)
    assert qr.trade_no is not None
    assert gateway.scan_and_pay(store, qr.trade_no, clock=clock)
    body = str(value(store, "SELECT body FROM gateway_notice ORDER BY id LIMIT 1"))

    outcomes = run_processes(store, NOW, notify, [(body,)] * 10)

    assert Counter(outcomes) == {"applied": 1, "duplicate": 9}, outcomes
    assert checkout_status(store, placed.no) == CheckoutStatus.PAID
    assert value(store, "SELECT COUNT(*) FROM order_event WHERE detail = 'paid'") == 2
    assert value(store, "SELECT sales FROM sku WHERE id = :id", id=s.apples) == 2
    assert value(store, "SELECT COUNT(*) FROM payment WHERE status = 'succeeded'") == 1


def test_card_and_balance_in_two_processes_charge_once(
    store: Store, clock: FrozenClock, shopper: str, placed: Placed
) -> None:
    set_pay_password(store, shopper, clock)
    me = account_of(store, shopper, clock)
    before = balance(store, me)

    outcomes = run_processes(
        store, NOW, pay, [(shopper, placed.no, "card"), (shopper, placed.no, "balance")]
    )

    assert outcomes.count("succeeded") == 1, outcomes
    assert kinds(outcomes) == {"str": 1, "AlreadyPaid": 1}, outcomes
    assert value(store, "SELECT COUNT(*) FROM payment WHERE status = 'succeeded'") == 1
    by_card = value(store, "SELECT method FROM payment WHERE status = 'succeeded'") == "card"
    assert balance(store, me) == (before if by_card else before - placed.amount)
    assert balance(store, me) == ledger_sum(store, me)
    assert checkout_status(store, placed.no) == CheckoutStatus.PAID


def test_two_trades_paid_at_once_the_second_is_refunded(
    store: Store, clock: FrozenClock, shopper: str, placed: Placed
) -> None:
    """支付宝 and 微信支付 both scanned and paid at the gateway: their notifications land
    together in two processes; one pays the checkout, the other is refunded."""
    from kstui.providers import gateway

    trades = []
    for method in (PaymentMethod.ALIPAY, PaymentMethod.WECHAT):
        qr = cashier.start_qr(store, shopper, placed.no, method, new_key("qr"), clock=clock)
        assert qr.trade_no is not None
        trades.append(qr.trade_no)
    for trade_no in trades:
        assert gateway.scan_and_pay(store, trade_no, clock=clock)
    bodies = [
        str(
            value(
                store,
                "SELECT body FROM gateway_notice WHERE trade_no = :t ORDER BY id LIMIT 1",
                t=trade_no,
            )
        )  # fmt: skip
        for trade_no in trades
    ]

    outcomes = run_processes(store, NOW, notify, [(body,) for body in bodies])

    assert not any(isinstance(o, Failed) for o in outcomes), outcomes
    statuses = Counter(
        status for (status,) in rows(store, "SELECT status FROM payment WHERE purpose = 'checkout'")
    )
    assert statuses == {PaymentStatus.SUCCEEDED.value: 1, PaymentStatus.REFUNDED.value: 1}
    assert checkout_status(store, placed.no) == CheckoutStatus.PAID
    assert value(store, "SELECT COUNT(*) FROM order_event WHERE detail = 'paid'") == 2
    paid_by = value(store, "SELECT payment_id FROM checkout WHERE no = :no", no=placed.no)
    assert value(store, "SELECT status FROM payment WHERE id = :id", id=paid_by) == "succeeded"


def test_two_processes_racing_for_one_coupon(
    store: Store, clock: FrozenClock, shopper: str, s: Skus
) -> None:
    home = address(store, shopper, clock, HOME)
    held = coupons.claim(store, shopper, shop_template(store, YIYI), clock=clock)

    outcomes = run_processes(store, NOW, buy_with_coupon, [(shopper, home, s.skirt, held.id)] * 3)

    assert kinds(outcomes) == {"Placed": 1, "CouponUnavailable": 2}, outcomes
    [winner] = [o for o in outcomes if isinstance(o, Placed)]
    assert winner.amount == 2 * 6900 - 1000
    tied = rows(
        store,
        "SELECT c.no FROM coupon AS k JOIN checkout AS c ON c.id = k.checkout_id WHERE k.id = :id",
        id=held.id,
    )
    assert tied == [(winner.no,)]
    assert stock(store, s.skirt)[0] == 28


def test_catch_up_from_four_processes_cancels_each_overdue_checkout_once(
    store: Store, clock: FrozenClock, shopper: str, s: Skus
) -> None:
    home = address(store, shopper, clock, HOME)
    made = [place(store, shopper, clock, {s.dress: 1, s.apples: 3}, address_id=home)]
    made += [place(store, shopper, clock, {s.dress: 2}, address_id=home) for _ in range(2)]
    assert stock(store, s.dress)[0] == 0

    outcomes = run_processes(store, NOW + timedelta(minutes=16), catch_up, [()] * 4)

    assert not any(isinstance(o, Failed) for o in outcomes), outcomes
    cancelled = sum(o.get("overdue_checkouts", 0) for o in outcomes if isinstance(o, dict))
    assert cancelled == 3, outcomes
    assert stock(store, s.dress)[0] == 5
    assert stock(store, s.apples)[0] == 200
    orders = sum(len(checkout.order_nos) for checkout in made)  # the first one: two shops
    assert orders == 4
    cancelled_events = "SELECT COUNT(*) FROM order_event WHERE to_status = 'cancelled'"
    assert value(store, cancelled_events) == orders  # one event per order, not per process
    for checkout in made:
        assert checkout_status(store, checkout.no) == CheckoutStatus.CLOSED

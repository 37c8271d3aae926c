"""Helpers shared by the ordering tests: cart, checkout, deadline, payments, wallet,
coupons, check-in, gateway and their concurrency.

The small test seed (`tests/fixtures/seed_small.json`) holds three shops:

- 衣衣小铺 `yiyi` (id 1): freight ¥6, ¥20 to 新疆 (65) and 西藏 (54), free from ¥99;
  a claimable shop coupon 满100减10 (campaign and validity 30 days);
- 声声数码 `shengsheng` (id 2): free shipping, ¥15 to 新疆; a claimable 满200打95折
  (campaign and validity 15 days);
- 果园直发 `guoyuan` (id 3): freight ¥10 (¥30 to 新疆), free from ¥199.

The adult shopper 13800138000 has ¥200 of balance, the new-user coupon (无门槛¥5,
7 days) and no payment password.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kstui.providers import gateway
from kstui.providers.clock import FrozenClock
from kstui.providers.gateway import TEST_CARDS, CardOutcome
from kstui.providers.sms import OutboxSms
from kstui.services.accounts import security
from kstui.services.accounts.records import create_account, log_in, session_account
from kstui.services.ordering import checkout
from kstui.services.ordering.addresses import AddressInput, add_address
from kstui.services.ordering.checkout import Item, OrderRequest, Placed
from kstui.services.ordering.pricing import Selection
from kstui.services.payments.cards import CardDetails, check_card
from kstui.services.payments.cashier import PaymentView
from kstui.store.enums import PaymentMethod
from kstui.store.interface import Store

SMS = OutboxSms()
PAY_PASSWORD = "135790"
WRONG_PAY_PASSWORD = "975310"

YIYI, SHENGSHENG, GUOYUAN = 1, 2, 3
"""The seed's shop ids (checked by `shop_id`)."""

HOME = AddressInput(
    recipient="张三",
    phone="13800138000",
    province="33",
    city="3301",
    district="330106",
    detail="文三路 90 号 3 幢 201",
)
"""杭州: every shop's default freight."""
FAR = AddressInput(
    recipient="李四",
    phone="13912345678",
    province="65",
    city="6501",
    district="650102",
    detail="天山路 8 号 2 单元",
)
"""乌鲁木齐 (新疆): the shops' remote-province fees."""

APPROVED_CARD, DECLINED_CARD, NO_FUNDS_CARD, SMS_CARD = (
    next(number for number, outcome in TEST_CARDS.items() if outcome is wanted)
    for wanted in (
        CardOutcome.APPROVED,
        CardOutcome.DECLINED,
        CardOutcome.INSUFFICIENT_FUNDS,
        CardOutcome.VERIFY_BY_SMS,
    )
)
OTHER_CARD = "4111111111111111"
"""A valid card number that is not a test card: approved."""

ORDERING_TABLES = (
    "checkout",
    "shop_order",
    "order_line",
    "order_event",
    "payment",
    "payment_event",
    "gateway_trade",
    "gateway_notice",
    "wallet",
    "wallet_entry",
    "coupon",
    "coupon_template",
    "cart_line",
    "sku",
    "product",
)
"""What an ordering step may change; `dump` reads them all."""


# -- the seed -------------------------------------------------------------------------------


def sku(store: Store, slug: str, spec_key: str = "") -> int:
    """The id of a seed SKU: a product's slug and the SKU's spec key (`"0.1"`)."""
    with store.reading() as tx:
        row = tx.fetch_one(
            "SELECT k.id FROM sku AS k JOIN product AS p ON p.id = k.product_id"
            " WHERE p.slug = :slug AND k.spec_key = :spec",
            slug=slug,
            spec=spec_key,
        )
    assert row is not None, (slug, spec_key)
    return int(row[0])


@dataclass(frozen=True)
class Skus:
    """The seed SKUs the ordering tests buy (price, stock, shop, limit)."""

    dress: int
    """衣衣 floral dress 玫红/S: ¥129, 5 in stock, at most 5 per order."""
    dress_ivory: int
    """衣衣 floral dress 玫红/L: ¥139, 2 in stock."""
    skirt: int
    """衣衣 pleated skirt S: ¥69, 30 in stock, no limit."""
    mini_skirt: int
    """衣衣 mini skirt: ¥59, 10 in stock."""
    earbuds: int
    """声声 earbuds black: ¥299, 50 in stock."""
    earphones: int
    """声声 sports earphones: ¥99, 20 in stock."""
    headphones: int
    """声声 studio headphones: ¥459, sold out."""
    phone: int
    """声声 MOKO phone black 8+128: ¥1599, 20 in stock, at most 2 per order."""
    apples: int
    """果园 apples 2.5 kg: ¥29.90, 200 in stock."""
    kiwi: int
    """果园 kiwifruit: ¥45.90, 30 in stock."""


def skus(store: Store) -> Skus:
    """The ids of the SKUs of `Skus`."""
    return Skus(
        dress=sku(store, "floral-dress", "0.0"),
        dress_ivory=sku(store, "floral-dress", "0.2"),
        skirt=sku(store, "pleated-skirt", "0"),
        mini_skirt=sku(store, "filler-2"),
        earbuds=sku(store, "anc-earbuds", "0"),
        earphones=sku(store, "filler-3"),
        headphones=sku(store, "studio-headphones"),
        phone=sku(store, "moko-phone", "0.0"),
        apples=sku(store, "fuji-apples", "0"),
        kiwi=sku(store, "filler-4"),
    )


def shop_template(store: Store, shop_id: int) -> int:
    """The id of a shop's claimable coupon template (one per shop in the seed)."""
    return int(value(store, "SELECT id FROM coupon_template WHERE shop_id = :shop", shop=shop_id))


def new_user_coupon(store: Store, account_id: int) -> int:
    """The id of the account's new-user coupon."""
    return int(
        value(
            store,
            "SELECT c.id FROM coupon AS c JOIN coupon_template AS t ON t.id = c.template_id"
            " WHERE c.account_id = :account AND t.new_user",
            account=account_id,
        )
    )


# -- accounts -------------------------------------------------------------------------------


def account_of(store: Store, token: str, clock: FrozenClock) -> int:
    """The account id behind a session token."""
    with store.reading() as tx:
        return session_account(tx, token, clock=clock)


def new_shopper(store: Store, clock: FrozenClock, phone: str, *, verified: bool = True) -> str:
    """A new shopper account (with its new-user coupon), logged in; its token.

    `verified` gives it a real name (no ID number: enough for paying).
    """
    now = clock.now()
    with store.writing() as tx:
        account_id = create_account(tx, phone, f"买家{phone[-4:]}", "not-a-hash", now)
        if verified:
            tx.execute("UPDATE account SET real_name = '王五' WHERE id = :id", id=account_id)
        return log_in(tx, account_id, clock=clock, device="test", how="test").token


def set_pay_password(store: Store, token: str, clock: FrozenClock) -> None:
    """Give the account the payment password `PAY_PASSWORD` (the real service)."""
    security.set_payment_password(store, token, PAY_PASSWORD, PAY_PASSWORD, clock=clock)


def card(number: str = APPROVED_CARD) -> CardDetails:
    """Card details as the cashier's form checks them."""
    return check_card(number, "12/30", "ZHANG SAN", today=date(2026, 11, 22))


# -- checkout -------------------------------------------------------------------------------


def address(store: Store, token: str, clock: FrozenClock, data: AddressInput = HOME) -> int:
    """Add an address to the shopper's book; its id."""
    return add_address(store, token, data, clock=clock).id


def items(quantities: Mapping[int, int]) -> tuple[Item, ...]:
    """`{sku id: quantity}` as checkout items."""
    return tuple(Item(sku_id, quantity) for sku_id, quantity in quantities.items())


_keys = iter(range(1, 10**9))
_keys_lock = threading.Lock()


def new_key(prefix: str = "key") -> str:
    """A fresh idempotency key."""
    with _keys_lock:
        return f"{prefix}-{next(_keys)}"


def place(
    store: Store,
    token: str,
    clock: FrozenClock,
    quantities: Mapping[int, int],
    *,
    address_id: int | None,
    key: str | None = None,
    method: PaymentMethod = PaymentMethod.ALIPAY,
    selection: Selection | None = None,
    **request: Any,
) -> Placed:
    """提交订单 for `{sku id: quantity}` (a fresh submit key unless given)."""
    order = OrderRequest(
        items=items(quantities),
        submit_key=key or new_key("submit"),
        address_id=address_id,
        method=method,
        selection=selection,
        **request,
    )
    return checkout.submit(store, token, order, clock=clock)


# -- reading the store ----------------------------------------------------------------------


def value(store: Store, sql: str, /, **params: object) -> Any:
    """The first column of the first row of a query (named parameters)."""
    with store.reading() as tx:
        row = tx.fetch_one(sql, **params)
    assert row is not None, sql
    return row[0]


def rows(store: Store, sql: str, /, **params: object) -> list[tuple[Any, ...]]:
    """All rows of a query (named parameters)."""
    with store.reading() as tx:
        return [tuple(row) for row in tx.fetch_all(sql, **params)]


def stock(store: Store, sku_id: int) -> tuple[int, int]:
    """(the SKU's stock, its product's stock)."""
    with store.reading() as tx:
        row = tx.fetch_one(
            "SELECT k.stock, p.stock FROM sku AS k JOIN product AS p ON p.id = k.product_id"
            " WHERE k.id = :id",
            id=sku_id,
        )
    assert row is not None, sku_id
    return int(row[0]), int(row[1])


def balance(store: Store, account_id: int) -> int:
    """The wallet balance (0 without a wallet)."""
    with store.reading() as tx:
        found = tx.fetch_value("SELECT balance FROM wallet WHERE account_id = :id", id=account_id)
    return int(found) if found is not None else 0


def ledger_sum(store: Store, account_id: int) -> int:
    """The sum of the account's ledger rows."""
    return int(
        value(
            store,
            "SELECT COALESCE(SUM(amount), 0) FROM wallet_entry WHERE account_id = :id",
            id=account_id,
        )
    )


def checkout_status(store: Store, checkout_no: str) -> str:
    """The status column of a checkout."""
    return str(value(store, "SELECT status FROM checkout WHERE no = :no", no=checkout_no))


def order_statuses(store: Store, checkout_no: str) -> list[str]:
    """The statuses of a checkout's orders."""
    return [
        str(status)
        for (status,) in rows(
            store,
            "SELECT o.status FROM shop_order AS o JOIN checkout AS c ON c.id = o.checkout_id"
            " WHERE c.no = :no ORDER BY o.id",
            no=checkout_no,
        )
    ]


def payment_events(store: Store, payment_no: str) -> list[tuple[object, ...]]:
    """(from, to, detail) of a payment's events, in order."""
    return rows(
        store,
        "SELECT e.from_status, e.to_status, e.detail FROM payment_event AS e"
        " JOIN payment AS p ON p.id = e.payment_id WHERE p.no = :no ORDER BY e.id",
        no=payment_no,
    )


def trade_status(store: Store, trade_no: str | None) -> str:
    """The gateway's status of a trade."""
    assert trade_no is not None
    return str(value(store, "SELECT status FROM gateway_trade WHERE trade_no = :no", no=trade_no))


def scan(store: Store, view: PaymentView, clock: FrozenClock, **delays: Any) -> bool:
    """The shopper scans a payment's QR code and pays (`gateway.scan_and_pay`)."""
    assert view.trade_no is not None
    return gateway.scan_and_pay(store, view.trade_no, clock=clock, **delays)


def dump(
    store: Store, tables: Iterable[str] = ORDERING_TABLES
) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables an ordering step may change, to compare before and after
    (ordered by their first column, the primary key)."""
    with store.reading() as tx:
        return {
            table: [tuple(row) for row in tx.fetch_all(f"SELECT * FROM {table} ORDER BY 1")]
            for table in tables
        }


# -- threads --------------------------------------------------------------------------------


def run_together(count: int, work: Callable[[int], object], *, timeout: float = 60) -> list[object]:
    """Run `work(slot)` on `count` real threads released at once by a barrier; each
    slot's result, or the exception it raised."""
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

"""Checkout (确认订单 → 提交订单): from chosen SKUs to orders, one per store, paid together.

`quote` shows what submitting would create: lines by store, freight to the address's
province, the coupons that apply (the best combination chosen unless the shopper chose),
the breakdown. `submit` creates the orders in one `BEGIN IMMEDIATE` transaction:

- stock is reserved by a conditional decrement (`stock >= n`, and the price still the
  one shown), so concurrent shoppers can never take more than there is;
- the coupons are tied to the checkout by a conditional update, so one coupon cannot
  pay for two checkouts;
- the checkout page's `submit_key` is unique: submitting twice creates the orders once.

Everything that can be read and computed is done before the transaction, so the write
lock is held only for the writes.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kstui.i18n import Localized
from kstui.money import Fen
from kstui.providers.clock import Clock
from kstui.services.accounts.records import session_account
from kstui.services.catalog.regions import DEFAULT_PROVINCE
from kstui.services.catalog.sku_sales import (
    MAX_QUANTITY,
    ShopForSale,
    SkuForSale,
    shops_for_sale,
    skus_for_sale,
)
from kstui.services.errors import DomainError
from kstui.services.ordering.addresses import address_of, default_address
from kstui.services.ordering.cart import MAX_LINES, InvalidQuantity, OutOfStock, SkuNotFound
from kstui.services.ordering.coupons import CouponState, HeldCoupon, held_coupons, tie_to_checkout
from kstui.services.ordering.invoices import InvoiceRequest, check_invoice
from kstui.services.ordering.pricing import (
    PricedCheckout,
    Selection,
    ShopGoods,
    best_selection,
    coupon_discount,
    price,
    shortfall,
)
from kstui.services.ordering.states import ORDERS
from kstui.store.db import Store, db_time, from_db_time
from kstui.store.enums import CheckoutStatus, InvoiceKind, OrderStatus, PaymentMethod
from kstui.text import has_control
from kstui.timefmt import CHINA

PAY_TIMEOUT = timedelta(minutes=15)
"""An unpaid checkout cancels itself this long after it was submitted."""
NOTE_LIMIT = 100
"""The most characters of an order note (订单备注)."""
MAX_ITEMS = MAX_LINES
"""A checkout takes at most as many different SKUs as a cart holds."""


class NothingToBuy(DomainError):
    """A checkout without any line."""

    key = "ordering.error.nothing_to_buy"


class AddressNeeded(DomainError):
    """提交订单 without a delivery address."""

    key = "ordering.error.address_needed"


class PriceChanged(DomainError):
    """The total changed since the shopper saw it (params: total)."""

    key = "ordering.error.price_changed"


class CouponUnavailable(DomainError):
    """A chosen coupon was used or expired in the meantime."""

    key = "ordering.error.coupon_unavailable"


class TooManyItems(DomainError):
    """More different SKUs than one checkout takes (params: max)."""

    key = "ordering.error.too_many_items"


class OverOrderLimit(DomainError):
    """More of one product than one order may take, over its SKUs (params: name, max)."""

    key = "ordering.error.over_order_limit"


class PricesMoved(DomainError):
    """A price changed while the orders were being written: nothing was written."""

    key = "ordering.error.prices_moved"


class SubmitKeyTaken(DomainError):
    """The checkout page's key was used by another account (a broken client)."""

    key = "ordering.error.submit_key_reused"


class NoteInvalid(DomainError):
    """An order note that is too long or holds control characters (params: max)."""

    key = "ordering.error.note_invalid"


@dataclass(frozen=True)
class Item:
    """A SKU and how many of it."""

    sku_id: int
    quantity: int


@dataclass(frozen=True)
class ShipTo:
    """Where the orders go, as copied into them."""

    address_id: int
    recipient: str
    phone: str
    province: str
    region: str
    detail: str


@dataclass(frozen=True)
class QuoteLine:
    """A line of a quote."""

    sku: SkuForSale
    quantity: int
    discount: int

    @property
    def amount(self) -> int:
        """Price × quantity, in fen."""
        return self.sku.price * self.quantity


@dataclass(frozen=True)
class CouponChoice:
    """A held coupon, and what it would take off here (0 and a shortfall if below its
    threshold)."""

    coupon: HeldCoupon
    discount: int
    shortfall: int


@dataclass(frozen=True)
class ShopQuote:
    """One store's part of a checkout: one order."""

    shop_id: int
    name: Localized
    lines: list[QuoteLine]
    goods_total: int
    freight: int
    shop_discount: int
    platform_discount: int
    coupons: list[CouponChoice]
    coupon_id: int | None

    @property
    def total(self) -> int:
        """What this order costs."""
        return self.goods_total + self.freight - self.shop_discount - self.platform_discount


@dataclass(frozen=True)
class Quote:
    """What submitting would create, with the breakdown."""

    shops: list[ShopQuote]
    ship_to: ShipTo | None
    platform_coupons: list[CouponChoice]
    platform_coupon_id: int | None
    priced: PricedCheckout
    selection: Selection

    @property
    def total(self) -> int:
        """What the shopper pays."""
        return self.priced.total


@dataclass(frozen=True)
class OrderRequest:
    """What 提交订单 sends.

    Attributes:
        items: The SKUs and quantities.
        submit_key: The checkout page's idempotency key.
        address_id: The delivery address (None: the default one; without any, the
            submit is refused with `AddressNeeded`).
        method: The payment method chosen.
        selection: The coupons (None: the best combination).
        notes: Order notes by shop id.
        invoice: The invoice wanted (for every order of the checkout).
        from_cart: Remove the bought lines from the cart.
        expected_total: The total the shopper saw; a different total refuses the submit.
    """

    items: tuple[Item, ...]
    submit_key: str
    address_id: int | None
    method: PaymentMethod
    selection: Selection | None = None
    notes: Mapping[int, str] = field(default_factory=dict)
    invoice: InvoiceRequest = InvoiceRequest(InvoiceKind.NONE, "", "")
    from_cart: bool = False
    expected_total: int | None = None


@dataclass(frozen=True)
class Placed:
    """A submitted checkout, waiting for payment."""

    no: str
    amount: int
    pay_deadline: datetime
    method: PaymentMethod
    order_nos: tuple[str, ...]


def quote(
    store: Store,
    token: str,
    items: Sequence[Item],
    *,
    clock: Clock,
    address_id: int | None = None,
    selection: Selection | None = None,
) -> Quote:
    """Price a checkout of `items` to an address (the default one if not given).

    Raises:
        NotLoggedIn, NothingToBuy, SkuNotFound, InvalidQuantity, OutOfStock,
        AddressNotFound, CouponNotApplicable, CouponUnavailable.
    """
    with store.reading() as conn:
        account_id = session_account(conn, token, clock=clock)
        return _quote(conn, account_id, items, clock.now(), address_id, selection)


def submit(
    store: Store,
    token: str,
    request: OrderRequest,
    *,
    clock: Clock,
    pay_timeout: timedelta = PAY_TIMEOUT,
) -> Placed:
    """提交订单: create one order per store, reserve their stock and coupons.

    Submitting the same `submit_key` again returns the checkout made the first time.

    Raises:
        NotLoggedIn, NothingToBuy, SkuNotFound, InvalidQuantity, OutOfStock,
        AddressNeeded, AddressNotFound, CouponNotApplicable, CouponUnavailable,
        PriceChanged, NoteInvalid, InvalidInvoice.
    """
    now = clock.now()
    with store.reading() as conn:
        account_id = session_account(conn, token, clock=clock)
        earlier = _placed(conn, request.submit_key, account_id)
        if earlier is not None:
            return earlier
        q = _quote(conn, account_id, request.items, now, request.address_id, request.selection)
    if q.ship_to is None:
        raise AddressNeeded()
    notes = {shop.shop_id: _check_note(request.notes.get(shop.shop_id, "")) for shop in q.shops}
    invoice = check_invoice(request.invoice.kind, request.invoice.title, request.invoice.tax_no)
    if request.expected_total is not None and request.expected_total != q.total:
        raise PriceChanged(total=Fen(q.total))
    today = now.astimezone(CHINA).strftime("%y%m%d")  # numbers carry the date in China
    checkout_no = f"{today}{secrets.randbelow(10**12):012d}"
    order_nos = [f"{today}{secrets.randbelow(10**12):012d}" for _ in q.shops]
    deadline = now + pay_timeout
    stamp = db_time(now)
    try:
        with store.writing() as conn:
            checkout_id = _insert_checkout(
                conn, checkout_no, request, account_id, q, stamp, db_time(deadline)
            )
            _write_orders(conn, q, request, account_id, checkout_id, order_nos, notes, invoice, now)
    except _SubmittedAlready:  # the same page submitted twice at once: the first one won
        with store.reading() as conn:
            earlier = _placed(conn, request.submit_key, account_id)
        if earlier is None:
            raise SubmitKeyTaken() from None
        return earlier
    return Placed(checkout_no, q.total, deadline, request.method, tuple(order_nos))


class _SubmittedAlready(Exception):
    """The checkout's submit key is taken (rolls the transaction back)."""


def _insert_checkout(
    conn: sqlite3.Connection,
    checkout_no: str,
    request: OrderRequest,
    account_id: int,
    q: Quote,
    stamp: str,
    deadline: str,
) -> int:
    try:
        checkout_id = conn.execute(
            "INSERT INTO checkout (no, submit_key, account_id, status, amount, method,"
            " platform_coupon_id, created_at, pay_deadline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (checkout_no, request.submit_key, account_id, CheckoutStatus.AWAITING_PAYMENT.value,
             q.total, request.method.value, q.platform_coupon_id, stamp, deadline),
        ).lastrowid  # fmt: skip
    except sqlite3.IntegrityError as exc:  # the unique submit key, checked by the index
        if "submit_key" in str(exc):
            raise _SubmittedAlready() from exc
        raise
    assert checkout_id is not None
    return checkout_id


def _write_orders(
    conn: sqlite3.Connection,
    q: Quote,
    request: OrderRequest,
    account_id: int,
    checkout_id: int,
    order_nos: list[str],
    notes: Mapping[int, str],
    invoice: InvoiceRequest,
    now: datetime,
) -> None:
    """Reserve the stock and the coupons, write the orders (inside the transaction)."""
    stamp = db_time(now)
    _reserve_stock(conn, q)
    coupon_ids = [s.coupon_id for s in q.shops if s.coupon_id is not None]
    if q.platform_coupon_id is not None:
        coupon_ids.append(q.platform_coupon_id)
    if coupon_ids and not tie_to_checkout(conn, account_id, coupon_ids, checkout_id, now):
        raise CouponUnavailable()
    ship = q.ship_to
    assert ship is not None
    for shop, order_no in zip(q.shops, order_nos, strict=True):
        order_id = conn.execute(
            "INSERT INTO shop_order (no, checkout_id, account_id, shop_id, status, goods_total,"
            " freight, shop_discount, platform_discount, total, shop_coupon_id, recipient,"
            " phone, province, region, detail, note, invoice_kind, invoice_title,"
            " invoice_tax_no, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (order_no, checkout_id, account_id, shop.shop_id,
             OrderStatus.PENDING_PAYMENT.value, shop.goods_total, shop.freight,
             shop.shop_discount, shop.platform_discount, shop.total, shop.coupon_id,
             ship.recipient, ship.phone, ship.province, ship.region, ship.detail,
             notes[shop.shop_id], invoice.kind.value, invoice.title, invoice.tax_no,
             stamp),
        ).lastrowid  # fmt: skip
        assert order_id is not None
        conn.executemany(
            "INSERT INTO order_line (order_id, position, product_id, sku_id, name_zh, name_en,"
            " spec_zh, spec_en, unit_price, quantity, amount, discount)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (order_id, position, line.sku.product_id, line.sku.sku_id, line.sku.name.zh,
                 line.sku.name.en, line.sku.spec.zh, line.sku.spec.en, line.sku.price,
                 line.quantity, line.amount, line.discount)
                for position, line in enumerate(shop.lines)
            ],
        )  # fmt: skip
        ORDERS.record(conn, order_id, None, OrderStatus.PENDING_PAYMENT, at=now)
    if request.from_cart:
        conn.executemany(
            "DELETE FROM cart_line WHERE account_id = ? AND sku_id = ?",
            [(account_id, item.sku_id) for item in request.items],
        )


# -- the quote ------------------------------------------------------------------------------


def _quote(
    conn: sqlite3.Connection,
    account_id: int,
    items: Sequence[Item],
    now: datetime,
    address_id: int | None,
    selection: Selection | None,
) -> Quote:
    if not items:
        raise NothingToBuy()
    if len(items) > MAX_ITEMS:
        raise TooManyItems(max=MAX_ITEMS)
    if any(item.quantity < 1 for item in items):
        raise InvalidQuantity(max=MAX_QUANTITY)
    merged: dict[int, int] = {}
    for item in items:
        merged[item.sku_id] = merged.get(item.sku_id, 0) + item.quantity
    skus = skus_for_sale(conn, merged)
    per_product: dict[int, int] = {}
    for sku_id, quantity in merged.items():
        sku = skus.get(sku_id)
        if sku is None:
            raise SkuNotFound()
        if quantity > sku.limit:
            raise InvalidQuantity(max=sku.limit)
        if quantity > sku.stock:
            raise OutOfStock(name=sku.name, left=sku.stock)
        per_product[sku.product_id] = per_product.get(sku.product_id, 0) + quantity
        if per_product[sku.product_id] > sku.limit:  # the limit is the product's, all SKUs
            raise OverOrderLimit(name=sku.name, max=sku.limit)
    ship_to = _ship_to(conn, account_id, address_id)
    province = ship_to.province if ship_to else DEFAULT_PROVINCE
    by_shop: dict[int, list[int]] = {}
    for sku_id in merged:
        by_shop.setdefault(skus[sku_id].shop_id, []).append(sku_id)
    shops = shops_for_sale(conn, by_shop)
    goods = [
        _shop_goods(shops[s], [skus[k] for k in ids], merged, province)
        for s, ids in by_shop.items()
    ]
    held = [c for c in held_coupons(conn, account_id, now) if c.state is CouponState.USABLE]
    if selection is not None:
        _check_chosen_usable(conn, account_id, now, selection, {c.id for c in held})
    offers = [c.offer() for c in held]
    chosen = best_selection(goods, offers) if selection is None else selection
    priced = price(goods, offers, chosen)
    platform_base = sum(p.goods_total - p.shop_discount for p in priced.shops)
    shop_quotes = []
    for shop_id, ids, priced_shop in zip(by_shop, by_shop.values(), priced.shops, strict=True):
        lines = [
            QuoteLine(skus[k], merged[k], discount)
            for k, discount in zip(ids, priced_shop.line_discounts, strict=True)
        ]
        shop_quotes.append(
            ShopQuote(
                shop_id=shop_id,
                name=shops[shop_id].name,
                lines=lines,
                goods_total=priced_shop.goods_total,
                freight=priced_shop.freight,
                shop_discount=priced_shop.shop_discount,
                platform_discount=priced_shop.platform_discount,
                coupons=_choices(
                    [c for c in held if c.terms.shop_id == shop_id], priced_shop.goods_total
                ),
                coupon_id=chosen.shop_coupons.get(shop_id),
            )
        )
    return Quote(
        shops=shop_quotes,
        ship_to=ship_to,
        platform_coupons=_choices([c for c in held if c.terms.shop_id is None], platform_base),
        platform_coupon_id=chosen.platform_coupon,
        priced=priced,
        selection=chosen,
    )


def _check_chosen_usable(
    conn: sqlite3.Connection,
    account_id: int,
    now: datetime,
    selection: Selection,
    usable: set[int],
) -> None:
    """A chosen coupon the shopper holds but can no longer use (tied to another order,
    used, expired) is `CouponUnavailable` ("choose again"), as when it is lost to another
    checkout during the submit, rather than "does not apply"."""
    chosen = {*selection.shop_coupons.values(), selection.platform_coupon} - {None} - usable
    if chosen and any(c.id in chosen for c in held_coupons(conn, account_id, now)):
        raise CouponUnavailable()


def _shop_goods(
    shop: ShopForSale, skus: list[SkuForSale], quantities: Mapping[int, int], province: str
) -> ShopGoods:
    amounts = tuple(s.price * quantities[s.sku_id] for s in skus)
    return ShopGoods(shop.shop_id, amounts, shop.shipping.freight(province, sum(amounts)))


def _choices(coupons: list[HeldCoupon], base: int) -> list[CouponChoice]:
    choices = [
        CouponChoice(c, coupon_discount(c.offer(), base), shortfall(c.offer(), base))
        for c in coupons
    ]
    return sorted(
        choices, key=lambda c: (c.shortfall > 0, -c.discount, c.coupon.valid_until, c.coupon.id)
    )


def _ship_to(conn: sqlite3.Connection, account_id: int, address_id: int | None) -> ShipTo | None:
    address = (
        default_address(conn, account_id)
        if address_id is None
        else address_of(conn, account_id, address_id)
    )
    if address is None:
        return None
    a = address
    return ShipTo(a.id, a.recipient, a.phone, a.province, a.region, a.detail)


def _check_note(note: str) -> str:
    text = note.strip()
    if len(text) > NOTE_LIMIT or has_control(text):
        raise NoteInvalid(max=NOTE_LIMIT)
    return text


def _reserve_stock(conn: sqlite3.Connection, q: Quote) -> None:
    for shop in q.shops:
        for line in shop.lines:
            sku = line.sku
            taken = conn.execute(
                "UPDATE sku SET stock = stock - ? WHERE id = ? AND stock >= ? AND price = ?",
                (line.quantity, sku.sku_id, line.quantity, sku.price),
            ).rowcount
            if not taken:
                row = conn.execute(
                    "SELECT stock, price FROM sku WHERE id = ?", (sku.sku_id,)
                ).fetchone()
                if row is None:
                    raise SkuNotFound()
                if row[1] != sku.price:
                    raise PricesMoved()
                raise OutOfStock(name=sku.name, left=row[0])
            conn.execute(
                "UPDATE product SET stock = stock - ? WHERE id = ?", (line.quantity, sku.product_id)
            )


def _placed(conn: sqlite3.Connection, submit_key: str, account_id: int) -> Placed | None:
    row = conn.execute(
        "SELECT id, no, amount, pay_deadline, method FROM checkout"
        " WHERE submit_key = ? AND account_id = ?",
        (submit_key, account_id),
    ).fetchone()
    if row is None:
        return None
    checkout_id, no, amount, deadline, method = row
    orders = conn.execute(
        "SELECT no FROM shop_order WHERE checkout_id = ? ORDER BY id", (checkout_id,)
    ).fetchall()
    return Placed(
        no, amount, from_db_time(deadline), PaymentMethod(method), tuple(o for (o,) in orders)
    )

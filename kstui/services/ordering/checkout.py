"""Checkout (确认订单 → 提交订单): from chosen SKUs to orders, one per store, paid together.

`quote` shows what submitting would create: lines by store, freight to the address's
province, the coupons that apply (the best combination chosen unless the shopper chose),
the breakdown. `submit` creates the orders in one write transaction:

- stock is reserved by a conditional decrement (`stock >= n`, and the price still the
  one shown), so concurrent shoppers can never take more than there is; the SKUs are
  updated in the order of their ids, then their products in the order of theirs, so
  that two checkouts on PostgreSQL wait for each other instead of deadlocking;
- the coupons are tied to the checkout by a conditional update, so one coupon cannot
  pay for two checkouts;
- the checkout page's `submit_key` is unique: submitting twice creates the orders once.

Everything that can be read and computed is done before the transaction, so the write
lock is held only for the writes.
"""

from __future__ import annotations

import itertools
import secrets
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
from kstui.services.time_limits import DEFAULT_LIMITS
from kstui.store.enums import CheckoutStatus, InvoiceKind, OrderStatus, PaymentMethod
from kstui.store.interface import Store, Transaction, UniqueViolation, from_db_time
from kstui.text import has_control
from kstui.timefmt import CHINA

PAY_TIMEOUT = DEFAULT_LIMITS.pay_window
AUTO_COUPON_TRIES = 3
"""How often `submit` chooses the best coupons again when its own choice was taken."""
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
    with store.reading() as tx:
        account_id = session_account(tx, token, clock=clock)
        return _quote(tx, account_id, items, clock.now(), address_id, selection)


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
    with store.reading() as tx:
        account_id = session_account(tx, token, clock=clock)
        earlier = _placed(tx, request.submit_key, account_id)
        if earlier is not None:
            return earlier
        q = _quote(tx, account_id, request.items, now, request.address_id, request.selection)
    for attempt in itertools.count(1):
        try:
            return _place(store, request, account_id, q, now, now + pay_timeout)
        except CouponUnavailable:
            # A coupon the shop chose by itself went to another checkout meanwhile: the
            # shopper chose nothing, so choose again (the best of what is left) rather than
            # ask them to; a different total still stops at `expected_total`.
            if request.selection is not None or attempt >= AUTO_COUPON_TRIES:
                raise
        with store.reading() as tx:
            q = _quote(tx, account_id, request.items, now, request.address_id, request.selection)
    raise AssertionError("unreachable")


def _place(
    store: Store,
    request: OrderRequest,
    account_id: int,
    q: Quote,
    now: datetime,
    deadline: datetime,
) -> Placed:
    """Check what the shopper sent against quote `q` and write the checkout and its orders."""
    if q.ship_to is None:
        raise AddressNeeded()
    notes = {shop.shop_id: _check_note(request.notes.get(shop.shop_id, "")) for shop in q.shops}
    invoice = check_invoice(request.invoice.kind, request.invoice.title, request.invoice.tax_no)
    if request.expected_total is not None and request.expected_total != q.total:
        raise PriceChanged(total=Fen(q.total))
    today = now.astimezone(CHINA).strftime("%y%m%d")  # numbers carry the date in China
    checkout_no = f"{today}{secrets.randbelow(10**12):012d}"
    order_nos = [f"{today}{secrets.randbelow(10**12):012d}" for _ in q.shops]
    try:
        with store.writing() as tx:
            checkout_id = _insert_checkout(tx, checkout_no, request, account_id, q, now, deadline)
            _write_orders(tx, q, request, account_id, checkout_id, order_nos, notes, invoice, now)
    except _SubmittedAlready:  # the same page submitted twice at once: the first one won
        with store.reading() as tx:
            earlier = _placed(tx, request.submit_key, account_id)
        if earlier is None:
            raise SubmitKeyTaken() from None
        return earlier
    return Placed(checkout_no, q.total, deadline, request.method, tuple(order_nos))


class _SubmittedAlready(Exception):
    """The checkout's submit key is taken: raised out of the write block, it rolls the
    transaction back (on PostgreSQL the failed insert has ended it anyway)."""


def _insert_checkout(
    tx: Transaction,
    checkout_no: str,
    request: OrderRequest,
    account_id: int,
    q: Quote,
    now: datetime,
    deadline: datetime,
) -> int:
    try:
        return tx.insert(
            "INSERT INTO checkout (no, submit_key, account_id, status, amount, method,"
            " platform_coupon_id, created_at, pay_deadline) VALUES (:no, :submit_key,"
            " :account, :status, :amount, :method, :platform_coupon, :now, :deadline)",
            no=checkout_no,
            submit_key=request.submit_key,
            account=account_id,
            status=CheckoutStatus.AWAITING_PAYMENT.value,
            amount=q.total,
            method=request.method.value,
            platform_coupon=q.platform_coupon_id,
            now=now,
            deadline=deadline,
        )
    except UniqueViolation as exc:  # the unique submit key, checked by the index
        if exc.is_on("checkout", "submit_key"):
            raise _SubmittedAlready() from exc
        raise


def _write_orders(
    tx: Transaction,
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
    _reserve_stock(tx, q)
    coupon_ids = [s.coupon_id for s in q.shops if s.coupon_id is not None]
    if q.platform_coupon_id is not None:
        coupon_ids.append(q.platform_coupon_id)
    if coupon_ids and not tie_to_checkout(tx, account_id, coupon_ids, checkout_id, now):
        raise CouponUnavailable()
    ship = q.ship_to
    assert ship is not None
    for shop, order_no in zip(q.shops, order_nos, strict=True):
        order_id = tx.insert(
            "INSERT INTO shop_order (no, checkout_id, account_id, shop_id, status, goods_total,"
            " freight, shop_discount, platform_discount, total, shop_coupon_id, recipient,"
            " phone, province, region, detail, note, invoice_kind, invoice_title,"
            " invoice_tax_no, created_at)"
            " VALUES (:no, :checkout, :account, :shop, :status, :goods_total, :freight,"
            " :shop_discount, :platform_discount, :total, :shop_coupon, :recipient, :phone,"
            " :province, :region, :detail, :note, :invoice_kind, :invoice_title,"
            " :invoice_tax_no, :now)",
            no=order_no,
            checkout=checkout_id,
            account=account_id,
            shop=shop.shop_id,
            status=OrderStatus.PENDING_PAYMENT.value,
            goods_total=shop.goods_total,
            freight=shop.freight,
            shop_discount=shop.shop_discount,
            platform_discount=shop.platform_discount,
            total=shop.total,
            shop_coupon=shop.coupon_id,
            recipient=ship.recipient,
            phone=ship.phone,
            province=ship.province,
            region=ship.region,
            detail=ship.detail,
            note=notes[shop.shop_id],
            invoice_kind=invoice.kind.value,
            invoice_title=invoice.title,
            invoice_tax_no=invoice.tax_no,
            now=now,
        )
        tx.execute_many(
            "INSERT INTO order_line (order_id, position, product_id, sku_id, name_zh, name_en,"
            " spec_zh, spec_en, unit_price, quantity, amount, discount)"
            " VALUES (:order, :position, :product, :sku, :name_zh, :name_en, :spec_zh,"
            " :spec_en, :unit_price, :quantity, :amount, :discount)",
            [
                {
                    "order": order_id,
                    "position": position,
                    "product": line.sku.product_id,
                    "sku": line.sku.sku_id,
                    "name_zh": line.sku.name.zh,
                    "name_en": line.sku.name.en,
                    "spec_zh": line.sku.spec.zh,
                    "spec_en": line.sku.spec.en,
                    "unit_price": line.sku.price,
                    "quantity": line.quantity,
                    "amount": line.amount,
                    "discount": line.discount,
                }
                for position, line in enumerate(shop.lines)
            ],
        )
        ORDERS.record(tx, order_id, None, OrderStatus.PENDING_PAYMENT, at=now)
    if request.from_cart:
        merged_skus = {item.sku_id for item in request.items}
        tx.execute_many(
            "DELETE FROM cart_line WHERE account_id = :account AND sku_id = :sku",
            [{"account": account_id, "sku": sku_id} for sku_id in sorted(merged_skus)],
        )


# -- the quote ------------------------------------------------------------------------------


def _quote(
    tx: Transaction,
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
    skus = skus_for_sale(tx, merged)
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
    ship_to = _ship_to(tx, account_id, address_id)
    province = ship_to.province if ship_to else DEFAULT_PROVINCE
    by_shop: dict[int, list[int]] = {}
    for sku_id in merged:
        by_shop.setdefault(skus[sku_id].shop_id, []).append(sku_id)
    shops = shops_for_sale(tx, by_shop)
    goods = [
        _shop_goods(shops[s], [skus[k] for k in ids], merged, province)
        for s, ids in by_shop.items()
    ]
    held = [c for c in held_coupons(tx, account_id, now) if c.state is CouponState.USABLE]
    if selection is not None:
        _check_chosen_usable(tx, account_id, now, selection, {c.id for c in held})
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
    tx: Transaction,
    account_id: int,
    now: datetime,
    selection: Selection,
    usable: set[int],
) -> None:
    """A chosen coupon the shopper holds but can no longer use (tied to another order,
    used, expired) is `CouponUnavailable` ("choose again"), as when it is lost to another
    checkout during the submit, rather than "does not apply"."""
    chosen = {*selection.shop_coupons.values(), selection.platform_coupon} - {None} - usable
    if chosen and any(c.id in chosen for c in held_coupons(tx, account_id, now)):
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


def _ship_to(tx: Transaction, account_id: int, address_id: int | None) -> ShipTo | None:
    address = (
        default_address(tx, account_id)
        if address_id is None
        else address_of(tx, account_id, address_id)
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


def _reserve_stock(tx: Transaction, q: Quote) -> None:
    """Take the lines' stock: every SKU by a conditional decrement, in the order of the
    SKUs' ids, then their products' aggregates, in the order of the products' ids (one
    fixed order for every transaction that changes stock, see `lifecycle`)."""
    lines = sorted(
        (line for shop in q.shops for line in shop.lines), key=lambda line: line.sku.sku_id
    )
    per_product: dict[int, int] = {}
    for line in lines:
        sku = line.sku
        taken = tx.execute(
            "UPDATE sku SET stock = stock - :n WHERE id = :id AND stock >= :n AND price = :price",
            n=line.quantity,
            id=sku.sku_id,
            price=sku.price,
        )
        if not taken:
            row = tx.fetch_one("SELECT stock, price FROM sku WHERE id = :id", id=sku.sku_id)
            if row is None:
                raise SkuNotFound()
            if row[1] != sku.price:
                raise PricesMoved()
            raise OutOfStock(name=sku.name, left=row[0])
        per_product[sku.product_id] = per_product.get(sku.product_id, 0) + line.quantity
    tx.execute_many(
        "UPDATE product SET stock = stock - :n WHERE id = :id",
        [{"n": n, "id": product_id} for product_id, n in sorted(per_product.items())],
    )


def _placed(tx: Transaction, submit_key: str, account_id: int) -> Placed | None:
    row = tx.fetch_one(
        "SELECT id, no, amount, pay_deadline, method FROM checkout"
        " WHERE submit_key = :key AND account_id = :account",
        key=submit_key,
        account=account_id,
    )
    if row is None:
        return None
    checkout_id, no, amount, deadline, method = row
    orders = tx.fetch_all(
        "SELECT no FROM shop_order WHERE checkout_id = :checkout ORDER BY id",
        checkout=checkout_id,
    )
    return Placed(
        no, amount, from_db_time(deadline), PaymentMethod(method), tuple(o for (o,) in orders)
    )

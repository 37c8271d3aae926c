"""The cart (购物车): lines grouped by store, ticked or not, with live totals.

A line's quantity stays between 1 and what one order may take (the stock, the
product's limit, 99). Adding a SKU that is already in the cart adds to its line. The
totals preview the best coupons the shopper holds for the ticked lines (freight is
only known at checkout, once there is an address).

A quantity changes by a conditional update (the addition is made only if the line then
stays within its maximum, a raise above the stock only if the line is below it), so two
sessions changing one line at once cannot take it past what one order may take; a new
line is counted with the account row's lock taken, so two sessions adding SKUs at once
cannot take the cart past `MAX_LINES`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kstui.i18n import Localized
from kstui.providers.clock import Clock
from kstui.services.accounts.records import lock_account, session_account
from kstui.services.catalog.sku_sales import SkuForSale, shops_for_sale, skus_for_sale
from kstui.services.errors import DomainError
from kstui.services.ids import storable, storable_ids
from kstui.services.ordering.coupons import usable_offers
from kstui.services.ordering.pricing import PricedCheckout, ShopGoods, best_selection, price
from kstui.store.interface import Store, Transaction, in_list

MAX_LINES = 120
"""A cart holds at most this many different SKUs."""


class SkuNotFound(DomainError):
    """A SKU that does not exist (or no longer)."""

    key = "ordering.error.sku_not_found"


class OutOfStock(DomainError):
    """Not enough stock for the quantity asked (params: name, left)."""

    key = "ordering.error.out_of_stock"


class InvalidQuantity(DomainError):
    """A quantity outside 1…max (params: max)."""

    key = "ordering.error.invalid_quantity"


class CartFull(DomainError):
    """The cart already holds `MAX_LINES` different SKUs (params: max)."""

    key = "ordering.error.cart_full"


class CartLineNotFound(DomainError):
    """A cart line that is not (or no longer) in this shopper's cart."""

    key = "ordering.error.cart_line_not_found"


@dataclass(frozen=True)
class CartLine:
    """A line of the cart, with its SKU as it is now."""

    id: int
    sku: SkuForSale
    quantity: int
    selected: bool

    @property
    def amount(self) -> int:
        """Price × quantity, in fen."""
        return self.sku.price * self.quantity

    @property
    def buyable(self) -> bool:
        """False when the SKU is sold out or has less stock than the line's quantity."""
        return 0 < self.quantity <= self.sku.stock


@dataclass(frozen=True)
class CartShop:
    """The lines of one store."""

    shop_id: int
    name: Localized
    lines: list[CartLine]

    @property
    def selected(self) -> bool:
        """True when every buyable line of the store is ticked."""
        buyable = [line for line in self.lines if line.buyable]
        return bool(buyable) and all(line.selected for line in buyable)


@dataclass(frozen=True)
class CartView:
    """The whole cart and the totals of its ticked, buyable lines."""

    shops: list[CartShop]
    priced: PricedCheckout | None
    """The ticked lines with the best coupons (None when nothing is ticked)."""

    @property
    def lines(self) -> list[CartLine]:
        """Every line, store by store."""
        return [line for shop in self.shops for line in shop.lines]

    @property
    def chosen(self) -> list[CartLine]:
        """The lines that go to checkout: ticked and buyable."""
        return [line for line in self.lines if line.selected and line.buyable]

    @property
    def all_selected(self) -> bool:
        """True when every buyable line is ticked."""
        buyable = [line for line in self.lines if line.buyable]
        return bool(buyable) and all(line.selected for line in buyable)

    @property
    def goods_total(self) -> int:
        """The ticked lines' amount before coupons."""
        return sum(line.amount for line in self.chosen)

    @property
    def discount(self) -> int:
        """What the best coupons take off the ticked lines."""
        return self.priced.discount if self.priced else 0

    @property
    def count(self) -> int:
        """How many pieces are ticked."""
        return sum(line.quantity for line in self.chosen)


def add_to_cart(store: Store, token: str, sku_id: int, quantity: int, *, clock: Clock) -> int:
    """加入购物车: add `quantity` of a SKU (to its line if there is one); the line's quantity.

    Raises:
        NotLoggedIn, SkuNotFound, InvalidQuantity, OutOfStock, CartFull.
    """
    now = clock.now()
    with store.writing() as tx:
        account_id = session_account(tx, token, clock=clock)
        sku = _sku(tx, sku_id)
        while True:
            held = tx.fetch_value(
                "SELECT quantity FROM cart_line WHERE account_id = :account AND sku_id = :sku",
                account=account_id,
                sku=sku_id,
            )
            _check_addition(sku, held or 0, quantity)
            if held is None:  # a new line: counted with the account row's lock taken
                lock_account(tx, account_id)
                lines = tx.fetch_value(
                    "SELECT COUNT(*) FROM cart_line WHERE account_id = :account",
                    account=account_id,
                )
                if lines >= MAX_LINES:
                    raise CartFull(max=MAX_LINES)
            total = tx.fetch_value(
                "INSERT INTO cart_line (account_id, sku_id, quantity, selected, added_at)"
                " VALUES (:account, :sku, :quantity, TRUE, :now) ON CONFLICT (account_id, sku_id)"
                " DO UPDATE SET quantity = cart_line.quantity + excluded.quantity, selected = TRUE"
                " WHERE cart_line.quantity + excluded.quantity <= :most RETURNING quantity",
                account=account_id,
                sku=sku_id,
                quantity=quantity,
                now=now,
                most=min(sku.limit, sku.stock),
            )
            if total is not None:
                return int(total)
            # The line grew since it was read (another session): checked again against it.


def _check_addition(sku: SkuForSale, held: int, quantity: int) -> None:
    if quantity < 1 or held + quantity > sku.limit:
        raise InvalidQuantity(max=max(sku.limit - held, 0))
    if held + quantity > sku.stock:
        raise OutOfStock(name=sku.name, left=sku.stock)


def set_quantity(store: Store, token: str, line_id: int, quantity: int, *, clock: Clock) -> None:
    """Change a line's quantity (1 … what one order may take).

    Raises:
        NotLoggedIn, CartLineNotFound, InvalidQuantity, OutOfStock.
    """
    with store.writing() as tx:
        account_id = session_account(tx, token, clock=clock)
        sku_id = _line_sku(tx, account_id, line_id)
        sku = _sku(tx, sku_id)
        if not 1 <= quantity <= sku.limit:
            raise InvalidQuantity(max=sku.limit)
        # Fewer is always fine, even above the stock: above it, only a lower quantity.
        above_stock = quantity > sku.stock
        changed = tx.execute(
            "UPDATE cart_line SET quantity = :quantity WHERE id = :id AND account_id = :account"
            + (" AND quantity > :quantity" if above_stock else ""),
            quantity=quantity,
            id=line_id,
            account=account_id,
        )
        if not changed:
            _line_sku(tx, account_id, line_id)  # removed meanwhile: CartLineNotFound
            raise OutOfStock(name=sku.name, left=sku.stock)


def select_lines(
    store: Store, token: str, line_ids: Sequence[int] | None, selected: bool, *, clock: Clock
) -> None:
    """Tick or untick lines (`line_ids` None: the whole cart)."""
    with store.writing() as tx:
        account_id = session_account(tx, token, clock=clock)
        if line_ids is None:
            tx.execute(
                "UPDATE cart_line SET selected = :selected WHERE account_id = :account",
                selected=bool(selected),
                account=account_id,
            )
            return
        ids, params = in_list("line", sorted(set(storable_ids(line_ids))))
        tx.execute(
            "UPDATE cart_line SET selected = :selected"
            f" WHERE account_id = :account AND id IN {ids}",
            selected=bool(selected),
            account=account_id,
            **params,
        )


def remove_lines(store: Store, token: str, line_ids: Sequence[int], *, clock: Clock) -> int:
    """Delete lines from the cart; how many were deleted."""
    with store.writing() as tx:
        account_id = session_account(tx, token, clock=clock)
        ids, params = in_list("line", sorted(set(storable_ids(line_ids))))
        return tx.execute(
            f"DELETE FROM cart_line WHERE account_id = :account AND id IN {ids}",
            account=account_id,
            **params,
        )


def cart_count(store: Store, token: str, *, clock: Clock) -> int:
    """How many pieces the cart holds (for the badge)."""
    with store.reading() as tx:
        account_id = session_account(tx, token, clock=clock)
        count = tx.fetch_value(
            "SELECT COALESCE(SUM(quantity), 0) FROM cart_line WHERE account_id = :account",
            account=account_id,
        )
    return int(count)


def view_cart(store: Store, token: str, *, clock: Clock) -> CartView:
    """The cart, store by store (stores in the order their newest line was added)."""
    with store.reading() as tx:
        account_id = session_account(tx, token, clock=clock)
        rows = tx.fetch_all(
            "SELECT id, sku_id, quantity, selected FROM cart_line WHERE account_id = :account"
            " ORDER BY added_at DESC, id DESC",
            account=account_id,
        )
        skus = skus_for_sale(tx, [row[1] for row in rows])
        lines = [
            CartLine(line_id, skus[sku_id], quantity, bool(selected))
            for line_id, sku_id, quantity, selected in rows
            if sku_id in skus
        ]
        shops = shops_for_sale(tx, {line.sku.shop_id for line in lines})
        offers = usable_offers(tx, account_id, clock.now())
    grouped: dict[int, list[CartLine]] = {}
    for line in lines:
        grouped.setdefault(line.sku.shop_id, []).append(line)
    view = CartView(
        shops=[CartShop(shop_id, shops[shop_id].name, group) for shop_id, group in grouped.items()],
        priced=None,
    )
    chosen = view.chosen
    if not chosen:
        return view
    goods = [
        ShopGoods(shop.shop_id, tuple(line.amount for line in shop.lines if line in chosen), 0)
        for shop in view.shops
        if any(line in chosen for line in shop.lines)
    ]
    return CartView(shops=view.shops, priced=price(goods, offers, best_selection(goods, offers)))


def _sku(tx: Transaction, sku_id: int) -> SkuForSale:
    found = skus_for_sale(tx, [sku_id]).get(sku_id)
    if found is None:
        raise SkuNotFound()
    return found


def _line_sku(tx: Transaction, account_id: int, line_id: int) -> int:
    if not storable(line_id):
        raise CartLineNotFound()
    row = tx.fetch_one(
        "SELECT sku_id FROM cart_line WHERE id = :id AND account_id = :account",
        id=line_id,
        account=account_id,
    )
    if row is None:
        raise CartLineNotFound()
    return int(row[0])

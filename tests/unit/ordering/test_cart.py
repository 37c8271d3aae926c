"""`kstui.services.ordering.cart`: lines grouped by store, quantities within bounds, ticking,
removing, totals with the best coupons, and the cart's size limit."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kstui.providers.clock import FrozenClock
from kstui.services.accounts import auth
from kstui.services.accounts.errors import NotLoggedIn
from kstui.services.errors import DomainError
from kstui.services.ordering import cart, coupons
from kstui.services.ordering.cart import (
    CartFull,
    CartLineNotFound,
    InvalidQuantity,
    OutOfStock,
    SkuNotFound,
)
from kstui.store.interface import Store
from tests.conftest import MINOR
from tests.unit.ordering_helpers import SHENGSHENG, YIYI, Skus, skus, value


@pytest.fixture
def s(store: Store) -> Skus:
    return skus(store)


def line_of(store: Store, token: str, clock: FrozenClock, sku_id: int) -> cart.CartLine:
    view = cart.view_cart(store, token, clock=clock)
    return next(line for line in view.lines if line.sku.sku_id == sku_id)


def test_adding_a_sku_again_adds_to_its_line(
    store: Store, clock: FrozenClock, shopper: str, s: Skus
) -> None:
    assert cart.add_to_cart(store, shopper, s.skirt, 1, clock=clock) == 1
    cart.select_lines(store, shopper, None, False, clock=clock)
    assert cart.add_to_cart(store, shopper, s.skirt, 2, clock=clock) == 3
    view = cart.view_cart(store, shopper, clock=clock)
    assert [(line.sku.sku_id, line.quantity) for line in view.lines] == [(s.skirt, 3)]
    assert view.lines[0].selected  # adding again ticks the line
    assert cart.cart_count(store, shopper, clock=clock) == 3
    assert value(store, "SELECT COUNT(*) FROM cart_line") == 1


@pytest.mark.parametrize(
    ("name", "quantity", "error", "params"),
    [
        ("skirt", 0, InvalidQuantity, {"max": 99}),
        ("skirt", -1, InvalidQuantity, {"max": 99}),
        ("dress_ivory", 3, OutOfStock, {"left": 2}),
        ("headphones", 1, OutOfStock, {"left": 0}),
        ("phone", 3, InvalidQuantity, {"max": 2}),  # the product's per-order limit
        ("apples", 100, InvalidQuantity, {"max": 99}),  # 200 in stock, 99 per line
    ],
)
def test_add_refuses_quantities_out_of_bounds(
    store: Store,
    clock: FrozenClock,
    shopper: str,
    s: Skus,
    name: str,
    quantity: int,
    error: type[DomainError],
    params: dict[str, int],
) -> None:
    with pytest.raises(error) as caught:
        cart.add_to_cart(store, shopper, getattr(s, name), quantity, clock=clock)
    assert caught.value.params.items() >= params.items()
    assert value(store, "SELECT COUNT(*) FROM cart_line") == 0


def test_add_counts_what_the_line_already_holds(
    store: Store, clock: FrozenClock, shopper: str, s: Skus
) -> None:
    cart.add_to_cart(store, shopper, s.phone, 2, clock=clock)
    with pytest.raises(InvalidQuantity) as caught:
        cart.add_to_cart(store, shopper, s.phone, 1, clock=clock)
    assert caught.value.params == {"max": 0}
    cart.add_to_cart(store, shopper, s.dress_ivory, 2, clock=clock)
    with pytest.raises(OutOfStock):
        cart.add_to_cart(store, shopper, s.dress_ivory, 1, clock=clock)
    assert cart.cart_count(store, shopper, clock=clock) == 4


def test_unknown_sku(store: Store, clock: FrozenClock, shopper: str) -> None:
    with pytest.raises(SkuNotFound):
        cart.add_to_cart(store, shopper, 999_999, 1, clock=clock)


@pytest.mark.parametrize(
    ("name", "quantity", "error"),
    [
        ("skirt", 0, InvalidQuantity),
        ("skirt", -2, InvalidQuantity),
        ("skirt", 31, OutOfStock),
        ("apples", 100, InvalidQuantity),
        ("phone", 3, InvalidQuantity),
    ],
)
def test_set_quantity_bounds(
    store: Store,
    clock: FrozenClock,
    shopper: str,
    s: Skus,
    name: str,
    quantity: int,
    error: type[Exception],
) -> None:
    sku_id = getattr(s, name)
    cart.add_to_cart(store, shopper, sku_id, 1, clock=clock)
    line = line_of(store, shopper, clock, sku_id)
    with pytest.raises(error):
        cart.set_quantity(store, shopper, line.id, quantity, clock=clock)
    assert line_of(store, shopper, clock, sku_id).quantity == 1


def test_set_quantity(store: Store, clock: FrozenClock, shopper: str, s: Skus) -> None:
    cart.add_to_cart(store, shopper, s.skirt, 1, clock=clock)
    line = line_of(store, shopper, clock, s.skirt)
    cart.set_quantity(store, shopper, line.id, 30, clock=clock)  # the whole stock
    assert line_of(store, shopper, clock, s.skirt).quantity == 30
    cart.set_quantity(store, shopper, line.id, 1, clock=clock)
    assert cart.cart_count(store, shopper, clock=clock) == 1


def fill(store: Store, clock: FrozenClock, token: str, s: Skus) -> cart.CartView:
    """Two lines of 衣衣, one of 声声."""
    cart.add_to_cart(store, token, s.skirt, 1, clock=clock)
    cart.add_to_cart(store, token, s.mini_skirt, 2, clock=clock)
    cart.add_to_cart(store, token, s.earbuds, 1, clock=clock)
    return cart.view_cart(store, token, clock=clock)


def test_cart_is_grouped_by_store_newest_first(
    store: Store, clock: FrozenClock, shopper: str, s: Skus
) -> None:
    view = fill(store, clock, shopper, s)
    assert [shop.shop_id for shop in view.shops] == [SHENGSHENG, YIYI]
    assert [[line.sku.sku_id for line in shop.lines] for shop in view.shops] == [
        [s.earbuds],
        [s.mini_skirt, s.skirt],
    ]
    assert view.all_selected
    assert view.count == 4
    assert view.goods_total == 6900 + 2 * 5900 + 29900


def test_select_lines_stores_and_all(
    store: Store, clock: FrozenClock, shopper: str, s: Skus
) -> None:
    view = fill(store, clock, shopper, s)
    earbuds = view.shops[0].lines[0]
    yiyi_lines = [line.id for line in view.shops[1].lines]

    cart.select_lines(store, shopper, [earbuds.id], False, clock=clock)  # one line
    view = cart.view_cart(store, shopper, clock=clock)
    assert not view.shops[0].selected
    assert view.shops[1].selected
    assert not view.all_selected
    assert view.goods_total == 6900 + 2 * 5900

    cart.select_lines(store, shopper, yiyi_lines, False, clock=clock)  # a store
    view = cart.view_cart(store, shopper, clock=clock)
    assert view.chosen == []
    assert view.priced is None
    assert view.goods_total == 0
    assert view.discount == 0
    assert view.count == 0

    cart.select_lines(store, shopper, None, True, clock=clock)  # everything
    view = cart.view_cart(store, shopper, clock=clock)
    assert view.all_selected
    assert all(shop.selected for shop in view.shops)
    assert view.count == 4


def test_remove_lines(store: Store, clock: FrozenClock, shopper: str, s: Skus) -> None:
    view = fill(store, clock, shopper, s)
    ids = [line.id for line in view.lines]
    assert cart.remove_lines(store, shopper, ids[:2], clock=clock) == 2
    assert cart.remove_lines(store, shopper, ids[:2], clock=clock) == 0
    assert [line.id for line in cart.view_cart(store, shopper, clock=clock).lines] == ids[2:]


def test_another_accounts_line_is_not_found(
    store: Store, clock: FrozenClock, shopper: str, token_for: Callable[[str], str], s: Skus
) -> None:
    view = fill(store, clock, shopper, s)
    other = token_for(MINOR)
    line = view.lines[0]
    with pytest.raises(CartLineNotFound):
        cart.set_quantity(store, other, line.id, 2, clock=clock)
    cart.select_lines(store, other, [line.id], False, clock=clock)
    assert cart.remove_lines(store, other, [line.id], clock=clock) == 0
    assert cart.view_cart(store, other, clock=clock).lines == []
    assert cart.view_cart(store, shopper, clock=clock) == view


def test_totals_preview_the_best_coupons(
    store: Store, clock: FrozenClock, shopper: str, s: Skus
) -> None:
    """满100减10 of 衣衣 on ¥129 of dress, and the new-user ¥5 on the whole."""
    held = coupons.claim(store, shopper, 1, clock=clock)  # 衣衣 满100减10
    new_user = next(c for c in coupons.my_coupons(store, shopper, clock=clock) if c.id != held.id)
    cart.add_to_cart(store, shopper, s.dress, 1, clock=clock)
    cart.add_to_cart(store, shopper, s.earbuds, 1, clock=clock)
    view = cart.view_cart(store, shopper, clock=clock)
    assert view.priced is not None
    assert dict(view.priced.selection.shop_coupons) == {YIYI: held.id}
    assert view.priced.selection.platform_coupon == new_user.id
    assert view.goods_total == 12900 + 29900
    assert view.discount == 1000 + 500
    assert view.priced.total == 12900 + 29900 - 1500  # freight is only known at checkout

    # Unticking the dress: 衣衣's coupon no longer applies.
    dress = line_of(store, shopper, clock, s.dress)
    cart.select_lines(store, shopper, [dress.id], False, clock=clock)
    view = cart.view_cart(store, shopper, clock=clock)
    assert view.priced is not None
    assert view.priced.selection.shop_coupons == {}
    assert view.discount == 500


def test_a_line_above_the_stock_left_is_not_chosen(
    store: Store, clock: FrozenClock, shopper: str, s: Skus
) -> None:
    cart.add_to_cart(store, shopper, s.dress, 3, clock=clock)
    cart.add_to_cart(store, shopper, s.skirt, 1, clock=clock)
    with store.writing() as tx:  # others bought the dress meanwhile
        tx.execute("UPDATE sku SET stock = 2 WHERE id = :id", id=s.dress)
    view = cart.view_cart(store, shopper, clock=clock)
    dress = line_of(store, shopper, clock, s.dress)
    assert dress.selected
    assert not dress.buyable
    assert [line.sku.sku_id for line in view.chosen] == [s.skirt]
    assert view.all_selected  # of the buyable lines
    assert view.goods_total == 6900


def test_logged_out_token(store: Store, clock: FrozenClock, shopper: str, s: Skus) -> None:
    cart.add_to_cart(store, shopper, s.skirt, 1, clock=clock)
    line = line_of(store, shopper, clock, s.skirt)
    auth.logout(store, shopper, clock=clock)
    calls: list[Callable[[], object]] = [
        lambda: cart.add_to_cart(store, shopper, s.skirt, 1, clock=clock),
        lambda: cart.set_quantity(store, shopper, line.id, 2, clock=clock),
        lambda: cart.select_lines(store, shopper, None, False, clock=clock),
        lambda: cart.remove_lines(store, shopper, [line.id], clock=clock),
        lambda: cart.cart_count(store, shopper, clock=clock),
        lambda: cart.view_cart(store, shopper, clock=clock),
        lambda: cart.view_cart(store, "no-such-token", clock=clock),
    ]
    for call in calls:
        with pytest.raises(NotLoggedIn):
            call()
    assert value(store, "SELECT quantity FROM cart_line") == 1


def test_the_cart_holds_a_limited_number_of_skus(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cart, "MAX_LINES", 3)
    for sku_id in (s.skirt, s.mini_skirt, s.earbuds):
        cart.add_to_cart(store, shopper, sku_id, 1, clock=clock)
    with pytest.raises(CartFull) as caught:
        cart.add_to_cart(store, shopper, s.apples, 1, clock=clock)
    assert caught.value.params == {"max": 3}
    assert cart.add_to_cart(store, shopper, s.skirt, 1, clock=clock) == 2  # a held SKU
    assert value(store, "SELECT COUNT(*) FROM cart_line") == 3


def test_money_is_integer_fen(store: Store, clock: FrozenClock, shopper: str, s: Skus) -> None:
    view = fill(store, clock, shopper, s)
    assert view.priced is not None
    amounts = [view.goods_total, view.discount, view.count, view.priced.total]
    amounts += [line.amount for line in view.lines] + [line.sku.price for line in view.lines]
    assert all(type(amount) is int for amount in amounts), amounts


def test_a_line_above_the_stock_can_be_lowered(
    store: Store, clock: FrozenClock, shopper: str, s: Skus
) -> None:
    """Stock fell under the line's quantity: fewer is allowed (not only deleting)."""
    cart.add_to_cart(store, shopper, s.skirt, 10, clock=clock)
    with store.writing() as tx:
        tx.execute("UPDATE sku SET stock = 3 WHERE id = :id", id=s.skirt)
    [line] = cart.view_cart(store, shopper, clock=clock).lines
    assert not line.buyable
    cart.set_quantity(store, shopper, line.id, 9, clock=clock)
    with pytest.raises(cart.OutOfStock):
        cart.set_quantity(store, shopper, line.id, 10, clock=clock)  # more again: refused
    cart.set_quantity(store, shopper, line.id, 3, clock=clock)
    [line] = cart.view_cart(store, shopper, clock=clock).lines
    assert (line.quantity, line.buyable) == (3, True)

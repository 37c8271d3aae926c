"""Ids no store can hold (≥ 2⁶³, ≤ 0) are unknown ids, answered like any other.

SQLite's integers are signed 64-bit: binding a bigger Python int raised OverflowError
from deep in a query (`kstui products show 9223372036854775808` crashed). Each service
that takes an id from outside answers "no such …" instead, on both engines.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kstui.providers.clock import FrozenClock
from kstui.services.errors import DomainError
from kstui.services.ordering import addresses, cart, checkout, coupons
from kstui.services.ordering.addresses import AddressNotFound
from kstui.services.ordering.cart import CartLineNotFound, SkuNotFound
from kstui.services.ordering.checkout import Item
from kstui.store.interface import Store
from tests.unit.ordering_helpers import HOME

HUGE = (2**31, 2**63 - 1, 2**63, 2**64 + 5, 10**30)

Call = Callable[[Store, str, FrozenClock, int], object]

CALLS: dict[str, tuple[Call, type[DomainError]]] = {
    "add to cart": (
        lambda s, t, c, i: cart.add_to_cart(s, t, i, 1, clock=c),
        SkuNotFound,
    ),
    "set quantity": (
        lambda s, t, c, i: cart.set_quantity(s, t, i, 2, clock=c),
        CartLineNotFound,
    ),
    "quote": (
        lambda s, t, c, i: checkout.quote(s, t, [Item(i, 1)], clock=c),
        SkuNotFound,
    ),
    "quote to an address": (
        lambda s, t, c, i: checkout.quote(s, t, [Item(1, 1)], clock=c, address_id=i),
        AddressNotFound,
    ),
    "get address": (
        lambda s, t, c, i: addresses.get_address(s, t, i, clock=c),
        AddressNotFound,
    ),
    "update address": (
        lambda s, t, c, i: addresses.update_address(s, t, i, HOME, clock=c),
        AddressNotFound,
    ),
    "delete address": (
        lambda s, t, c, i: addresses.delete_address(s, t, i, clock=c),
        AddressNotFound,
    ),
    "default address": (
        lambda s, t, c, i: addresses.set_default(s, t, i, clock=c),
        AddressNotFound,
    ),
    "claim coupon": (
        lambda s, t, c, i: coupons.claim(s, t, i, clock=c),
        coupons.CouponGone,
    ),
}


@pytest.mark.parametrize("huge", HUGE)
@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_huge_id_is_an_unknown_id(
    store: Store, shopper: str, clock: FrozenClock, name: str, huge: int
) -> None:
    call, error = CALLS[name]
    with pytest.raises(error):
        call(store, shopper, clock, huge)


def test_huge_cart_lines_select_and_remove_nothing(
    store: Store, shopper: str, clock: FrozenClock
) -> None:
    cart.add_to_cart(store, shopper, 1, 1, clock=clock)
    assert cart.remove_lines(store, shopper, [2**63], clock=clock) == 0
    cart.select_lines(store, shopper, [2**63], False, clock=clock)
    assert cart.cart_count(store, shopper, clock=clock) == 1

"""Every press on a cart line counts: ten → sent at once raise the quantity by ten (it
used to be one), shown at once, written coalesced, bounded by the stock."""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import App
from textual.pilot import Pilot

from kstui.providers.clock import FrozenClock
from kstui.screens.cart import CartScreen, LineRow
from kstui.services.ordering import cart
from kstui.store.interface import Store
from tests.ui.helpers import SMALL_TERMINAL, results_for, settle
from tests.unit.ordering_helpers import skus

MakeApp = Callable[..., App[None]]
ADULT = "13800138000"


def quantity_in_store(store: Store, sku_id: int) -> int:
    with store.reading() as tx:
        return int(tx.fetch_value("SELECT quantity FROM cart_line WHERE sku_id = :s", s=sku_id))


async def open_cart(pilot: Pilot[None]) -> LineRow:
    await results_for(pilot)  # the remembered login restored
    await pilot.press("c")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CartScreen)
    row = screen.query(LineRow).first()
    row.focus()
    await settle(pilot)
    return row


def burst(pilot: Pilot[None], key: str, times: int) -> None:
    for _ in range(times):
        pilot.app.post_message(events.Key(key, None))


async def test_ten_presses_at_once_count_ten(
    make_app: MakeApp, store: Store, clock: FrozenClock, token_for: Callable[[str], str]
) -> None:
    skirt = skus(store).skirt  # 30 in stock, no per-order limit
    cart.add_to_cart(store, token_for(ADULT), skirt, 1, clock=clock)
    app = make_app("en", phone=ADULT)
    async with app.run_test(size=SMALL_TERMINAL) as pilot:
        row = await open_cart(pilot)
        burst(pilot, "right", 10)
        await settle(pilot)
        assert quantity_in_store(store, skirt) == 11
        shown = pilot.app.screen.query(LineRow).first()
        assert shown.wanted == 11
        assert "11" in str(shown.query_one(".cart-quantity").render())
        burst(pilot, "left", 4)
        await settle(pilot)
        assert quantity_in_store(store, skirt) == 7
        assert row is not None


async def test_presses_past_the_stock_stop_at_it(
    make_app: MakeApp, store: Store, clock: FrozenClock, token_for: Callable[[str], str]
) -> None:
    filler = skus(store).mini_skirt  # 10 in stock
    cart.add_to_cart(store, token_for(ADULT), filler, 1, clock=clock)
    app = make_app("zh", phone=ADULT)
    async with app.run_test(size=SMALL_TERMINAL) as pilot:
        await open_cart(pilot)
        burst(pilot, "right", 15)
        await settle(pilot)
        assert quantity_in_store(store, filler) == 10
        burst(pilot, "left", 20)
        await settle(pilot)
        assert quantity_in_store(store, filler) == 1  # never below one

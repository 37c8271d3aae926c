"""The open screens hear of time-driven changes: the app's one catch-up runner posts
`CaughtUp` when it, or another process, changed something, and the screen looks again
(no screen polls the store on its own timer)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from textual.message import Message
from textual.widgets import Static

from kstui.app import KstuiApp
from kstui.messages import CaughtUp
from kstui.providers.clock import FrozenClock
from kstui.screens.orders import OrdersScreen
from kstui.services import jobs
from kstui.store.interface import Store
from tests.conftest import ADULT, NOW
from tests.ui.helpers import TERMINAL_SIZE, results_for, settle
from tests.unit.ordering_helpers import HOME, address, place, skus

MakeApp = Callable[..., KstuiApp]


def shown(app: KstuiApp) -> str:
    return " ".join(str(row.render()) for row in app.screen.query(".order-row").results(Static))


async def test_an_order_cancelled_by_another_process_updates_my_orders(
    make_app: MakeApp, store: Store, clock: FrozenClock, token_for: Callable[[str], str]
) -> None:
    token = token_for(ADULT)
    home = address(store, token, clock, HOME)
    place(store, token, clock, {skus(store).dress: 1}, address_id=home)
    heard: list[CaughtUp] = []

    def hook(message: Message) -> None:
        if isinstance(message, CaughtUp):
            heard.append(message)

    app = make_app(phone=ADULT)
    async with app.run_test(size=TERMINAL_SIZE, message_hook=hook) as pilot:
        await results_for(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen)
        assert "待付款" in shown(app)
        # another process (`kstui sim advance 16m`, another terminal) cancels it; this
        # app's own clock has not moved, so its catch-up has nothing to do itself
        done = jobs.catch_up(store, clock=FrozenClock(NOW + timedelta(minutes=16)))
        assert done.done == {"overdue_checkouts": 1}
        for _ in range(100):  # the app's catch-up runs every second
            await pilot.pause(0.1)
            if "已取消" in shown(app):
                break
        assert "已取消" in shown(app), shown(app)
        assert heard
        assert heard[-1].done == {}  # heard of it from the store, not done here

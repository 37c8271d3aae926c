"""Waiting for the app the way a shopper would: until the screen shows what was asked."""

from __future__ import annotations

import re

from textual.app import App
from textual.message_pump import MessagePump
from textual.pilot import Pilot
from textual.widgets import Input

from kstui.providers.sms import outbox
from kstui.screens.catalog import CatalogScreen
from kstui.screens.product import ProductScreen
from kstui.store.interface import Store

TERMINAL_SIZE = (120, 40)
SMALL_TERMINAL = (80, 24)


async def results_for(pilot: Pilot[None], text: str | None = None, *, rounds: int = 400) -> None:
    """Wait until the catalogue shows the results of its current query (or of `text`)."""
    for _ in range(rounds):
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, CatalogScreen), f"not on the catalogue: {screen!r}"
        drawn = screen.last_results_drawn
        wanted = screen.query_state if text is None else screen.query_state.with_(text=text)
        if drawn is not None and drawn.query == wanted:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            return
    raise AssertionError(f"results for {text!r} never drawn")


async def product_loaded(pilot: Pilot[None], *, rounds: int = 400) -> ProductScreen:
    """Wait until the product page has loaded its product and first reviews."""
    for _ in range(rounds):
        await pilot.pause()
        screen = pilot.app.screen
        if isinstance(screen, ProductScreen) and screen.detail is not None:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            return screen
    raise AssertionError("product page never loaded")


def latest_code(store: Store, phone: str) -> str:
    """The code in the newest text to `phone` (what the shopper reads on their phone)."""
    with store.reading() as conn:
        [message] = outbox(conn, phone=phone, limit=1)
    found = re.search(r"\d{6}", message.text)
    assert found is not None
    return found.group()


def _busy(app: App[None]) -> bool:
    """True while any message queue of the app, its screens or their widgets holds a
    message, or a worker still runs."""
    pumps: list[MessagePump] = [app]
    for screen in app.screen_stack:
        pumps.append(screen)
        pumps.extend(screen.walk_children(with_self=False))
    if any(not pump._message_queue.empty() for pump in pumps):
        return True
    return any(not worker.is_finished for worker in app.workers)


async def settle(pilot: Pilot[None], *, rounds: int = 400) -> None:
    """Wait until what the last key or click started is done: its messages handled and
    the workers it started finished.

    `pilot.pause()` alone waits until the process looks idle (its CPU time stops
    advancing), and a test process starved of CPU on a loaded machine looks idle while
    a click's messages are still queued: the click's service call would not have started
    yet, and `wait_for_complete` would find nothing to wait for. So the queues themselves
    are looked at, until they and the workers stay empty.
    """
    quiet = 0
    for _ in range(rounds):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        quiet = 0 if _busy(pilot.app) else quiet + 1
        if quiet == 2:
            return
    raise AssertionError("the app never settled")


async def type_into(pilot: Pilot[None], selector: str, text: str) -> None:
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = text
    await pilot.pause()

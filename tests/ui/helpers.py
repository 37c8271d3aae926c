"""Waiting for the app the way a shopper would: until the screen shows what was asked."""

from __future__ import annotations

from textual.pilot import Pilot

from kstui.screens.catalog import CatalogScreen
from kstui.screens.product import ProductScreen

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

"""Switching places faster than their screens load: a screen replaced while its service
call runs must never touch its widgets again, and nothing ends the app (issue: `c w u o c
u h` in one burst, logged in, English at 80×24, stopped the shop with NoMatches)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual import events
from textual.app import App
from textual.pilot import Pilot

from kstui.screens.catalog import CatalogScreen
from tests.ui.helpers import SMALL_TERMINAL, results_for, settle

MakeApp = Callable[..., App[None]]
BUYER = "13800138000"


def burst(pilot: Pilot[None], keys: str) -> None:
    """Queue the key presses all at once, as a terminal delivers a fast burst (Pilot's
    `press` waits for the app to be idle after each key, which no shopper does)."""
    for key in keys:
        pilot.app.post_message(events.Key(key, key))


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_burst_that_used_to_stop_the_shop(make_app: MakeApp, lang: str) -> None:
    app = make_app(lang, phone=BUYER)
    async with app.run_test(size=SMALL_TERMINAL) as pilot:
        await results_for(pilot)
        for _ in range(5):
            burst(pilot, "cwuocuh")
            await pilot.pause()
        await settle(pilot)
        assert app.is_running
        assert not app._exit_renderables  # nothing stopped it
        assert isinstance(app.screen, CatalogScreen)
        burst(pilot, "cwuocuh")
        await settle(pilot)
        assert app.is_running
        assert isinstance(app.screen, CatalogScreen)

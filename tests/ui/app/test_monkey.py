"""A monkey at the keyboard: a logged-in shop gets a few hundred random keys, in bursts,
from the global keys and the bindings of whatever screen is showing, plus the keys a
shopper moves and types with. After every burst the app is alive, shows a screen, and
the store's invariants hold. Fixed seeds, so a failure replays."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from textual import events
from textual.app import App
from textual.binding import Binding

from kstui.store.interface import Store
from tests.ui.helpers import SMALL_TERMINAL, results_for, settle

MakeApp = Callable[..., App[None]]
BUYER = "13800138000"
SEEDS = (1, 2, 3, 7, 8, 19)
"""Each of these once found a crash (the palette, a double dismiss, a closed screen updated)."""
BURSTS = 30
BURST = 10
MOVES = ("up", "down", "left", "right", "enter", "tab", "shift+tab", "space", "escape",
         "home", "end", "pageup", "pagedown", "backspace", "x", "f", "1", "a")  # fmt: skip
NEVER = {"q", "ctrl+q", "ctrl+c"}
"""Keys that quit on purpose: the monkey is here to find crashes, not the exit."""


def screen_keys(app: App[None]) -> list[str]:
    """The keys the showing screen and the app bind (the ones a key bar or palette offers)."""
    keys: list[str] = []
    for node in (app.screen, app):
        for binding in getattr(node, "BINDINGS", []):
            if isinstance(binding, Binding):
                keys.extend(k.strip() for k in binding.key.split(","))
            elif isinstance(binding, tuple):
                keys.extend(k.strip() for k in str(binding[0]).split(","))
    return [k for k in keys if k not in NEVER]


def invariants(store: Store) -> None:
    with store.reading() as tx:
        assert tx.fetch_value("SELECT COUNT(*) FROM sku WHERE stock < 0") == 0
        assert (
            tx.fetch_value(
                "SELECT COUNT(*) FROM product AS p WHERE p.stock <>"
                " (SELECT COALESCE(SUM(k.stock), 0) FROM sku AS k WHERE k.product_id = p.id)"
            )
            == 0
        )
        assert (
            tx.fetch_value(
                "SELECT COUNT(*) FROM (SELECT checkout_id FROM payment WHERE status ="
                " 'succeeded' AND checkout_id IS NOT NULL GROUP BY checkout_id"
                " HAVING COUNT(*) > 1) AS t"
            )
            == 0
        )
        assert (
            tx.fetch_value(
                "SELECT COUNT(*) FROM wallet AS w WHERE w.balance <>"
                " (SELECT COALESCE(SUM(l.amount), 0) FROM wallet_entry AS l"
                " WHERE l.account_id = w.account_id)"
            )
            == 0
        )


@pytest.mark.parametrize("seed", SEEDS)
async def test_random_keys_never_stop_the_shop(
    make_app: MakeApp, sqlite_store: Store, seed: int
) -> None:
    rng = random.Random(seed)
    app = make_app("en" if seed % 2 else "zh", phone=BUYER)
    app.action_quit = lambda: None  # type: ignore[method-assign]  # (a palette "Quit")
    async with app.run_test(size=SMALL_TERMINAL) as pilot:
        await results_for(pilot)
        invariants(sqlite_store)
        for burst in range(BURSTS):
            keys = [rng.choice([*screen_keys(app), *MOVES]) for _ in range(BURST)]
            for key in keys:
                app.post_message(events.Key(key, key if len(key) == 1 else None))
            await settle(pilot)
            where = f"seed {seed}, burst {burst}: {keys}"
            assert app.is_running, where
            assert not app._exit_renderables, where
            assert app.screen is not None, where
            invariants(sqlite_store)

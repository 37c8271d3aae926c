"""A polite placeholder for places of the shop that later versions build."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.widgets import Static

from kstui.screens.base import KstuiScreen
from kstui.widgets.key_bar import KeyBar

PLACES = ("cart", "orders", "wallet", "coupons", "service", "account")
"""Places of the shop behind a global key that later versions build."""


class ComingSoonScreen(KstuiScreen[None]):
    """Says that a place (cart, orders, wallet…) is not open yet.

    Args:
        place: Which place: cart, orders, wallet, coupons, service or account.
    """

    CSS_PATH = "coming_soon.tcss"

    def __init__(self, place: str) -> None:
        super().__init__()
        self.place = place

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(self.t(f"app.place.{self.place}"), id="coming-title", markup=False)
            yield Static(self.t("app.coming_soon.body"), id="coming-body", markup=False)
            yield Static(self.t("app.coming_soon.hint"), id="coming-hint", markup=False)
        yield KeyBar()

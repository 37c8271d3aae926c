"""What the shopper's own places share (cart, checkout, cashier, orders, wallet): the
session token, service calls off the UI thread, and leaving when logged out."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from kstui.screens import calls
from kstui.screens.base import KstuiScreen, ResultT
from kstui.screens.calls import ErrorHandler
from kstui.services.accounts.records import AccountInfo

R = TypeVar("R")


class PlaceScreen(KstuiScreen[ResultT]):
    """A screen of the logged-in shopper; it closes (with any dialog over it) on logout."""

    def on_mount(self) -> None:
        self.watch(self.shop, "account", self._account_changed, init=False)

    @property
    def token(self) -> str:
        """This device's session token."""
        return self.shop.client.token or ""

    def _account_changed(self, account: AccountInfo | None) -> None:
        if account is None and self in self.app.screen_stack:
            while self.app.screen is not self:
                self.app.pop_screen()
            self.dismiss()

    def run_call(
        self,
        call: Callable[[], R],
        done: Callable[[R], object],
        *,
        group: str,
        on_error: ErrorHandler | None = None,
        exclusive: bool = True,
    ) -> None:
        """`kstui.screens.calls.run_call` on this screen."""
        calls.run_call(self, call, done, group=group, on_error=on_error, exclusive=exclusive)

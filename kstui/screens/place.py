"""What the shopper's own places share (cart, checkout, cashier, orders, wallet): the
session token, service calls off the UI thread, and leaving when logged out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.worker import get_current_worker

from kstui.screens.base import KstuiScreen, ResultT
from kstui.services.accounts.errors import NotLoggedIn
from kstui.services.accounts.records import AccountInfo
from kstui.services.errors import DomainError
from kstui.store.errors import StoreError

R = TypeVar("R")
ErrorHandler = Callable[[DomainError | StoreError], bool]
"""Shows an error itself (True), or leaves it to a notification (False)."""


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
        """`run_call` on this screen."""
        run_call(self, call, done, group=group, on_error=on_error, exclusive=exclusive)


def run_call(
    screen: KstuiScreen[Any],
    call: Callable[[], R],
    done: Callable[[R], object],
    *,
    group: str,
    on_error: ErrorHandler | None = None,
    exclusive: bool = True,
) -> None:
    """Run a service call in a thread, then `done(result)` on the UI thread.

    A session that ended meanwhile logs out (and closes the shopper's places); other
    errors go to `on_error`, or become a notification. With `exclusive`, a newer call of
    the same group replaces this one: its result is dropped.
    """
    app = screen.shop

    def failed(error: DomainError | StoreError) -> None:
        if on_error is None or not on_error(error):
            params: dict[str, Any] = error.params if isinstance(error, DomainError) else {}
            screen.notify(screen.t(error.message_key, **params), severity="error", markup=False)

    def work() -> None:
        worker = get_current_worker()
        try:
            result = call()
        except NotLoggedIn:
            app.call_from_thread(app.logged_out)
        except (DomainError, StoreError) as error:
            if not worker.is_cancelled:
                app.call_from_thread(failed, error)
        else:
            if not worker.is_cancelled:  # a newer call of the group replaced this one
                app.call_from_thread(done, result)

    screen.run_worker(work, thread=True, exclusive=exclusive, group=group)

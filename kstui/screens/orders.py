"""我的订单 (a first, short version): every order with its status, newest first; an
unpaid one opens the cashier."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from kstui.messages import CaughtUp
from kstui.money import format_fen
from kstui.screens.calls import run_update
from kstui.screens.place import PlaceScreen
from kstui.services.orders import listing
from kstui.services.orders.listing import OrderSummary
from kstui.store.enums import OrderStatus
from kstui.timefmt import local_minute
from kstui.widgets.key_bar import KeyBar
from kstui.widgets.translation import translate_own_bindings


class OrderRow(Static, can_focus=True):
    """One order; Enter pays it while it waits for payment."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.open", "app.key.open"),
        Binding("up", "screen.move(-1)", "app.key.up", show=False),
        Binding("down", "screen.move(1)", "app.key.down", show=False),
    ]

    def __init__(self, order: OrderSummary, text: Content) -> None:
        super().__init__(text, classes="order-row")
        self.order = order

    def on_mount(self) -> None:
        translate_own_bindings(self)


class OrdersScreen(PlaceScreen[None]):
    """The shopper's orders."""

    place = "orders"
    """The shop's place this screen is (the global keys switch between places)."""

    CSS_PATH = "orders.tcss"

    def compose(self) -> ComposeResult:
        yield Static(self.t("orders.title"), id="orders-title", markup=False)
        yield VerticalScroll(id="orders-list")
        yield KeyBar()

    def on_mount(self) -> None:
        super().on_mount()
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    @on(CaughtUp)
    def _caught_up(self) -> None:
        """An order was paid or cancelled, a recharge arrived: show it."""
        if self.is_current:
            self.load()

    def load(self) -> None:
        """Read the orders again."""
        store, token, clock = self.shop.store, self.token, self.shop.clock
        self.run_call(
            lambda: listing.my_orders(store, token, clock=clock),
            lambda found: run_update(self, lambda: self._show(found), group="orders-show"),
            group="orders",
        )

    async def _show(self, found: list[OrderSummary]) -> None:
        t = self.t
        box = self.query_one("#orders-list", VerticalScroll)
        await box.remove_children()
        if not found:
            await box.mount(Static(t("orders.none"), markup=False, id="orders-empty"))
            return
        rows = []
        for order in found:
            status = t(f"orders.order_status.{order.status.value}")
            head = Content.assemble(
                (t.pick(order.shop_name), "bold"),
                "  ",
                (status, "$warning" if order.status is OrderStatus.PENDING_PAYMENT else "$success"),
            )
            items = "、".join(f"{t.pick(line.name)} ×{line.quantity}" for line in order.lines)
            foot = t("orders.row", no=order.no, at=local_minute(order.created_at),
                     total=format_fen(order.total))  # fmt: skip
            text = (
                head.append("\n")
                .append(Content(items))
                .append("\n")
                .append(Content.styled(foot, "$foreground-muted"))
            )
            rows.append(OrderRow(order, text))
        await box.mount_all(rows)
        rows[0].focus()

    def action_move(self, step: int) -> None:
        """Up/down between the orders."""
        rows = list(self.query(OrderRow))
        focused = self.focused
        index = rows.index(focused) if isinstance(focused, OrderRow) and focused in rows else -1
        if rows:
            rows[max(0, min(len(rows) - 1, index + step))].focus()

    def action_open(self) -> None:
        """Pay an order that waits for payment."""
        focused = self.focused
        if isinstance(focused, OrderRow) and focused.order.status is OrderStatus.PENDING_PAYMENT:
            from kstui.screens.cashier import CashierScreen

            self.app.push_screen(CashierScreen(focused.order.checkout_no))

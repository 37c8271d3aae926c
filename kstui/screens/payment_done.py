"""支付成功: what was paid, and where to go next."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Middle
from textual.content import Content
from textual.widgets import Button, Static

from kstui.money import format_fen
from kstui.screens.base import KstuiScreen
from kstui.store.enums import PaymentPurpose
from kstui.widgets.key_bar import KeyBar


class PaymentDoneScreen(KstuiScreen[None]):
    """The payment went through.

    Args:
        purpose: An order's payment or a wallet recharge.
        amount: What was paid, in fen.
        checkout_no: The checkout paid (None for a recharge).
        order_nos: The orders it paid.
    """

    CSS_PATH = "payment_done.tcss"

    def __init__(
        self, purpose: PaymentPurpose, amount: int, checkout_no: str | None, order_nos: list[str]
    ) -> None:
        super().__init__()
        self.purpose = purpose
        self.amount = amount
        self.checkout_no = checkout_no
        self.order_nos = order_nos

    def compose(self) -> ComposeResult:
        t = self.t
        recharge = self.purpose is PaymentPurpose.RECHARGE
        with Middle(), Center(id="done"):
            yield Static(
                t("payments.done.recharged" if recharge else "payments.done.paid"),
                id="done-title",
                markup=False,
            )
            yield Static(Content(format_fen(self.amount)), id="done-amount")
            if recharge:
                note = t("payments.done.recharge_note")
            else:
                note = (
                    t("payments.done.orders", count=len(self.order_nos))
                    + "\n"
                    + "\n".join(self.order_nos)
                )
            yield Static(Content(note), id="done-note")
            with Horizontal(id="done-buttons"):
                if recharge:
                    yield Button(
                        t("payments.done.to_wallet"),
                        id="to-wallet",
                        variant="primary",
                        compact=True,
                    )
                else:
                    yield Button(
                        t("payments.done.to_orders"),
                        id="to-orders",
                        variant="primary",
                        compact=True,
                    )
                yield Button(t("payments.done.shop_on"), id="shop-on", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    @on(Button.Pressed, "#to-orders")
    def _orders(self) -> None:
        from kstui.screens.orders import OrdersScreen

        self.app.switch_screen(OrdersScreen())

    @on(Button.Pressed, "#to-wallet")
    def _wallet(self) -> None:
        self.dismiss()

    @on(Button.Pressed, "#shop-on")
    def _shop_on(self) -> None:
        self.shop.action_home()

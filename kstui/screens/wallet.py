"""钱包: the balance, 充值 through the cashier, and the ledger of every movement."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from kstui.messages import CaughtUp
from kstui.money import MoneyFormatError, format_fen, format_fen_short, parse_yuan
from kstui.screens.address_book import DIALOG_CSS
from kstui.screens.base import KstuiModal
from kstui.screens.calls import run_update
from kstui.screens.place import PlaceScreen
from kstui.services.errors import DomainError
from kstui.services.payments import wallet
from kstui.services.payments.wallet import RECHARGE_PRESETS, WalletView
from kstui.timefmt import local_minute
from kstui.widgets.form import FormField
from kstui.widgets.key_bar import KeyBar
from kstui.widgets.translation import translate_own_bindings, translator_of


class WalletScreen(PlaceScreen[None]):
    """The shopper's balance and its ledger."""

    place = "wallet"
    """The shop's place this screen is (the global keys switch between places)."""

    CSS_PATH = "wallet.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "recharge", "payments.key.recharge", id="recharge"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.limit = wallet.LEDGER_PAGE
        """How many movements are shown (更早的记录 shows a page more)."""

    def compose(self) -> ComposeResult:
        t = self.t
        yield Static(t("payments.wallet.title"), id="wallet-title", markup=False)
        with Horizontal(id="wallet-head"):
            yield Static("", id="wallet-balance")
            yield Button(
                t("payments.wallet.recharge"), id="recharge", variant="primary", compact=True
            )
        yield Static(t("payments.wallet.ledger"), id="ledger-title", markup=False)
        yield VerticalScroll(id="ledger")
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
        """Read the wallet again."""
        store, token, clock, limit = self.shop.store, self.token, self.shop.clock, self.limit
        self.run_call(
            lambda: wallet.wallet_view(store, token, clock=clock, limit=limit),
            lambda view: run_update(self, lambda: self._show(view), group="wallet-show"),
            group="wallet",
        )

    async def _show(self, view: WalletView) -> None:
        t = self.t
        self.query_one("#wallet-balance", Static).update(
            Content.from_markup(
                "$label\n[$primary bold]$balance[/]",
                label=t("payments.wallet.balance"),
                balance=format_fen(view.balance),
            )  # fmt: skip
        )
        box = self.query_one("#ledger", VerticalScroll)
        await box.remove_children()
        if not view.entries:
            await box.mount(Static(t("payments.wallet.no_entries"), markup=False))
            return
        rows = []
        for entry in view.entries:
            sign = "+" if entry.amount > 0 else "-"
            amount = Content.styled(
                f"{sign}{format_fen(abs(entry.amount))}", "$success" if entry.amount > 0 else ""
            )
            text = Content.assemble(
                (t(f"payments.ledger.{entry.kind.value}"), "bold"), "  ", amount, "\n",
                (t("payments.wallet.entry", at=local_minute(entry.at), ref=entry.ref,
                   after=format_fen(entry.balance_after)), "$foreground-muted"),
            )  # fmt: skip
            rows.append(Static(text, classes="ledger-row"))
        await box.mount_all(rows)
        if view.total_entries > len(view.entries):
            more = t("payments.wallet.more", shown=len(view.entries), total=view.total_entries)
            await box.mount(Button(more, id="more", compact=True))

    @on(Button.Pressed, "#more")
    def _more(self) -> None:
        self.limit += wallet.LEDGER_PAGE
        self.load()

    @on(Button.Pressed, "#recharge")
    def action_recharge(self) -> None:
        """充值: choose an amount, then pay it at the cashier."""

        def chosen(amount: int | None) -> None:
            if amount is not None:
                from kstui.screens.cashier import CashierScreen

                self.app.push_screen(CashierScreen(None, recharge=amount))

        self.app.push_screen(RechargeScreen(), chosen)


class RechargeScreen(KstuiModal[int | None]):
    """How much to recharge: a preset or a typed amount."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(cls="RechargeScreen")
        + """
    RechargeScreen #presets {
        height: 1;
        margin-bottom: 1;
    }
    RechargeScreen #presets Button {
        margin-right: 2;
        min-width: 8;
        width: auto;
    }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "app.key.cancel", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.t = translator_of(self)

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(id="dialog"):
            yield Static(t("payments.wallet.recharge_title"), id="dialog-title", markup=False)
            with Horizontal(id="presets"):
                for amount in RECHARGE_PRESETS:
                    yield Button(format_fen_short(amount), id=f"preset-{amount}", compact=True)
            yield FormField(t("payments.wallet.amount"), name="amount", max_length=12,
                            placeholder=t("payments.wallet.amount_hint"))  # fmt: skip
            yield Static("", classes="form-message")
            with Horizontal(id="dialog-buttons"):
                yield Button(t("app.dialog.cancel"), id="cancel", compact=True)
                yield Button(
                    t("payments.wallet.to_cashier"), id="save", variant="primary", compact=True
                )

    def on_mount(self) -> None:
        translate_own_bindings(self)
        self.query_one(Button).focus()

    @on(Button.Pressed, "#presets Button")
    def _preset(self, event: Button.Pressed) -> None:
        if event.button.id:
            self.dismiss(int(event.button.id.removeprefix("preset-")))

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        field = self.query_one("#amount-field", FormField)
        try:
            amount = wallet.check_recharge_amount(parse_yuan(field.value))
        except MoneyFormatError:
            field.set_error(self.t("payments.wallet.amount_invalid"))
            return
        except DomainError as error:
            field.set_error(self.t(error.message_key, **error.params))
            return
        self.dismiss(amount)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without recharging."""
        self.dismiss(None)

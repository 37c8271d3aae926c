"""The checkout's dialogs: choosing a coupon (店铺券 / 平台券) and the invoice (发票)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from kstui.money import format_fen, format_fen_short
from kstui.screens.address_book import DIALOG_CSS
from kstui.screens.base import KstuiModal
from kstui.screens.forms import clear_errors, show_error
from kstui.services.errors import DomainError
from kstui.services.ordering.checkout import CouponChoice
from kstui.services.ordering.invoices import InvoiceRequest, check_invoice
from kstui.store.enums import InvoiceKind
from kstui.timefmt import local_date
from kstui.widgets.coupon_text import coupon_label
from kstui.widgets.form import FormField
from kstui.widgets.translation import translate_own_bindings, translator_of

NO_COUPON = 0
"""What the coupon picker answers for 不使用优惠券 (None means: cancelled)."""


def cursor_on_pressed(radios: RadioSet) -> None:
    """Put a radio set's cursor on its pressed button (Textual starts it on the first,
    so Enter on a set that opened on its third choice would pick the first)."""
    for _ in range(max(radios.pressed_index, 0)):
        radios.action_next_button()


class CouponPickerScreen(KstuiModal[int | None]):
    """Choose one coupon (or none) for a store or for the platform part.

    Args:
        title: The dialog's title (店铺优惠 / 平台优惠).
        choices: The coupons, with what each would take off here.
        current: The coupon chosen now (None: none).
    """

    DEFAULT_CSS = (
        DIALOG_CSS.format(cls="CouponPickerScreen")
        + """
    CouponPickerScreen OptionList {
        height: auto;
        max-height: 14;
    }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "app.key.cancel", show=False),
    ]

    def __init__(self, title: str, choices: list[CouponChoice], current: int | None) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.current = current
        self.t = translator_of(self)

    def compose(self) -> ComposeResult:
        t = self.t
        options = [Option(self._line(None), id=str(NO_COUPON))]
        for choice in self.choices:
            options.append(
                Option(self._line(choice), id=str(choice.coupon.id), disabled=choice.shortfall > 0)
            )
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="dialog-title", markup=False)
            yield OptionList(*options, id="coupon-options")
            yield Static(t("ordering.coupon_pick.hint"), classes="dialog-note", markup=False)

    def _line(self, choice: CouponChoice | None) -> Content:
        t = self.t
        mark = "◉" if (choice.coupon.id if choice else None) == self.current else "○"
        if choice is None:
            return Content(f"{mark} {t('ordering.coupon_pick.none')}")
        coupon = choice.coupon
        label = f"{mark} {coupon_label(t, coupon.terms)}"
        title = t.pick(coupon.terms.title)
        if title != coupon_label(t, coupon.terms):  # 满100减10 titled 满100减10: once is enough
            label += f"  {title}"
        if choice.shortfall:
            note = t("ordering.coupon_pick.short", amount=format_fen_short(choice.shortfall))
        else:
            note = t("ordering.coupon_pick.saves", amount=format_fen(choice.discount))
        until = t("ordering.coupon_pick.until", date=local_date(coupon.valid_until))
        return (
            Content(label)
            .append("\n")
            .append(Content.styled(f"   {note} · {until}", "$foreground-muted"))
        )

    def on_mount(self) -> None:
        translate_own_bindings(self)
        options = self.query_one(OptionList)
        wanted = str(self.current if self.current is not None else NO_COUPON)
        for index in range(options.option_count):
            if options.get_option_at_index(index).id == wanted:
                options.highlighted = index
        options.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or NO_COUPON))

    def action_cancel(self) -> None:
        """Keep the coupon as it was."""
        self.dismiss(None)


class InvoiceScreen(KstuiModal[InvoiceRequest | None]):
    """发票: none, personal (a name) or company (title + unified social credit code).

    Args:
        current: The invoice asked for now.
    """

    DEFAULT_CSS = (
        DIALOG_CSS.format(cls="InvoiceScreen")
        + """
    InvoiceScreen RadioSet {
        layout: horizontal;
        height: auto;
        width: 100%;
        margin-bottom: 1;
    }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "app.key.cancel", show=False),
    ]
    KINDS = (InvoiceKind.NONE, InvoiceKind.PERSONAL, InvoiceKind.COMPANY)

    def __init__(self, current: InvoiceRequest) -> None:
        super().__init__()
        self.current = current
        self.t = translator_of(self)

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(id="dialog"):
            yield Static(t("ordering.invoice.title"), id="dialog-title", markup=False)
            with RadioSet(id="invoice-kind"):
                for kind in self.KINDS:
                    yield RadioButton(
                        t(f"ordering.invoice.kind.{kind.value}"), value=kind is self.current.kind
                    )
            yield FormField(t("ordering.invoice.header"), name="title", max_length=100)
            yield FormField(t("ordering.invoice.tax_no"), name="tax_no", max_length=24,
                            placeholder=t("ordering.invoice.tax_no_hint"))  # fmt: skip
            yield Static(t("ordering.invoice.note"), classes="dialog-note", markup=False)
            yield Static("", classes="form-message")
            with Horizontal(id="dialog-buttons"):
                yield Button(t("app.dialog.cancel"), id="cancel", compact=True)
                yield Button(t("app.dialog.save"), id="save", variant="primary", compact=True)

    def on_mount(self) -> None:
        translate_own_bindings(self)
        self.query_one("#title-field", FormField).input.value = self.current.title
        self.query_one("#tax_no-field", FormField).input.value = self.current.tax_no
        self._show_fields()
        cursor_on_pressed(self.query_one(RadioSet))
        self.query_one(RadioSet).focus()

    @property
    def kind(self) -> InvoiceKind:
        """The kind ticked now."""
        index = self.query_one(RadioSet).pressed_index
        return self.KINDS[index] if index >= 0 else InvoiceKind.NONE

    @on(RadioSet.Changed)
    def _show_fields(self) -> None:
        kind = self.kind
        self.query_one("#title-field").display = kind is not InvoiceKind.NONE
        self.query_one("#tax_no-field").display = kind is InvoiceKind.COMPANY

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        clear_errors(self)
        try:
            invoice = check_invoice(
                self.kind,
                self.query_one("#title-field", FormField).value,
                self.query_one("#tax_no-field", FormField).value,
            )
        except DomainError as error:
            show_error(self, error, {})
            return
        self.dismiss(invoice)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Keep the invoice as it was."""
        self.dismiss(None)

"""确认订单: address, the orders by store with freight and coupons, notes, invoice, payment
method, the breakdown, and 提交订单."""

from __future__ import annotations

import secrets
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from kstui.money import format_fen
from kstui.screens.address_book import AddressBookScreen
from kstui.screens.calls import run_update
from kstui.screens.checkout_dialogs import NO_COUPON, CouponPickerScreen, InvoiceScreen
from kstui.screens.place import PlaceScreen
from kstui.services.errors import DomainError
from kstui.services.ordering import checkout
from kstui.services.ordering.addresses import Address
from kstui.services.ordering.checkout import (
    NOTE_LIMIT,
    Item,
    OrderRequest,
    Placed,
    Quote,
    ShopQuote,
)
from kstui.services.ordering.coupons import HeldCoupon
from kstui.services.ordering.invoices import NO_INVOICE, InvoiceRequest
from kstui.services.ordering.pricing import Selection
from kstui.store.enums import InvoiceKind, PaymentMethod
from kstui.store.errors import StoreError
from kstui.widgets.coupon_text import coupon_label
from kstui.widgets.key_bar import KeyBar

METHODS = (PaymentMethod.ALIPAY, PaymentMethod.WECHAT, PaymentMethod.CARD, PaymentMethod.BALANCE)


class CheckoutScreen(PlaceScreen[None]):
    """确认订单 for some SKUs (from the cart, or 立即购买 on a product page).

    Args:
        items: The SKUs and quantities.
        from_cart: Remove the bought lines from the cart once the orders exist.
    """

    CSS_PATH = "checkout.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+a", "address", "ordering.key.address", id="address"),
        Binding("ctrl+s", "submit", "ordering.key.submit", id="submit"),
    ]

    def __init__(self, items: tuple[Item, ...], *, from_cart: bool = False) -> None:
        super().__init__()
        self.items = items
        self.from_cart = from_cart
        self.quote: Quote | None = None
        self.address_id: int | None = None
        self.selection: Selection | None = None
        self.invoice: InvoiceRequest = NO_INVOICE
        self.submit_key = secrets.token_hex(16)
        """One key for this page: pressing 提交订单 twice creates the orders once."""

    def compose(self) -> ComposeResult:
        t = self.t
        with VerticalScroll(id="checkout-page"):
            yield Static(t("ordering.checkout.title"), id="checkout-title", markup=False)
            with Horizontal(id="address-row", classes="checkout-row"):
                yield Static("", id="address-text")
                yield Button(
                    t("ordering.checkout.change_address"), id="change-address", compact=True
                )
            yield Vertical(id="shops")
            with Horizontal(id="platform-row", classes="checkout-row"):
                yield Static("", id="platform-text")
                yield Button("›", id="platform-coupon", compact=True)
            with Horizontal(id="invoice-row", classes="checkout-row"):
                yield Static("", id="invoice-text")
                yield Button("›", id="invoice", compact=True)
            yield Static(t("ordering.checkout.method"), classes="checkout-section", markup=False)
            with RadioSet(id="method"):
                for method in METHODS:
                    yield RadioButton(
                        t(f"payments.method.{method.value}"), value=method is METHODS[0]
                    )
            yield Static("", id="breakdown")
        with Horizontal(id="checkout-bar"):
            yield Static("", id="checkout-total")
            yield Button(
                t("ordering.checkout.submit"), id="submit", variant="primary", compact=True
            )
        yield KeyBar()

    def on_mount(self) -> None:
        super().on_mount()
        self.load()

    @property
    def method(self) -> PaymentMethod:
        """The payment method ticked."""
        index = self.query_one("#method", RadioSet).pressed_index
        return METHODS[index] if index >= 0 else METHODS[0]

    def load(self) -> None:
        """Price the checkout again (after a change of address or coupon)."""
        store, token, clock = self.shop.store, self.token, self.shop.clock
        items, address_id, selection = self.items, self.address_id, self.selection
        self.run_call(
            lambda: checkout.quote(
                store, token, items, clock=clock, address_id=address_id, selection=selection
            ),
            lambda q: run_update(self, lambda: self._show(q), group="checkout-show"),
            group="quote",
            on_error=self._quote_failed,
        )

    def _quote_failed(self, error: DomainError | StoreError) -> bool:  # noqa: ARG002
        if self.selection is not None and self.quote is not None:
            self.selection = self.quote.selection  # the coupon chosen does not fit: undo
        return False

    async def _show(self, q: Quote) -> None:
        t = self.t
        notes = {field.name: field.value for field in self.query(Input).results() if field.name}
        self.quote = q
        self.address_id = q.ship_to.address_id if q.ship_to else None
        if q.ship_to is None:
            address = Content.styled(t("ordering.checkout.no_address"), "$warning")
        else:
            s = q.ship_to
            address = Content(
                f"{s.recipient}  {s.phone[:3]}****{s.phone[-4:]}\n{s.region} {s.detail}"
            )
        self.query_one("#address-text", Static).update(address)
        change = self.query_one("#change-address", Button)
        change.label = t(
            "ordering.checkout.change_address" if q.ship_to else "ordering.checkout.add_address"
        )
        change.refresh(layout=True)  # a Button's label does not resize it by itself
        box = self.query_one("#shops", Vertical)
        await box.remove_children()
        await box.mount_all(
            self._shop_block(shop, notes.get(f"note-{shop.shop_id}", "")) for shop in q.shops
        )
        platform = next(
            (c for c in q.platform_coupons if c.coupon.id == q.platform_coupon_id), None
        )
        self.query_one("#platform-text", Static).update(
            self._coupon_line(
                t("ordering.checkout.platform_coupon"),
                platform.coupon if platform else None,
                q.priced.platform_discount,
                len(q.platform_coupons),
            )
        )
        self.query_one("#invoice-text", Static).update(Content(self._invoice_text()))
        p = q.priced
        rows = [
            (t("ordering.checkout.goods"), format_fen(p.goods_total)),
            (t("ordering.checkout.freight"), format_fen(p.freight)),
            (t("ordering.checkout.shop_discount"), f"-{format_fen(p.shop_discount)}"),
            (t("ordering.checkout.platform_discount"), f"-{format_fen(p.platform_discount)}"),
        ]
        breakdown = Content("\n").join(Content(f"{label}  {value}") for label, value in rows)
        self.query_one("#breakdown", Static).update(breakdown)
        total = Content.from_markup(
            "$label[$primary bold]$total[/]",
            label=t("ordering.checkout.total"),
            total=format_fen(q.total),
        )
        if p.discount:
            total = total.append(
                Content(t("ordering.checkout.saved", amount=format_fen(p.discount)))
            )
        self.query_one("#checkout-total", Static).update(total)

    def _shop_block(self, shop: ShopQuote, note: str) -> Vertical:
        t = self.t
        lines = []
        for line in shop.lines:
            text = (
                Content(t.pick(line.sku.name))
                .append("\n")
                .append(
                    Content.styled(
                        f"{t.pick(line.sku.spec)}  ×{line.quantity}  {format_fen(line.sku.price)}",
                        "$foreground-muted",
                    )
                )
            )
            lines.append(Static(text, classes="checkout-line"))
        chosen = next((c for c in shop.coupons if c.coupon.id == shop.coupon_id), None)
        freight = (
            t("ordering.checkout.free_shipping") if shop.freight == 0 else format_fen(shop.freight)
        )
        note_input = Input(
            value=note,
            placeholder=t("ordering.checkout.note_hint", max=NOTE_LIMIT),
            max_length=NOTE_LIMIT,
            name=f"note-{shop.shop_id}",
            compact=True,
            classes="checkout-note",
        )
        return Vertical(
            Static(Content.styled(t.pick(shop.name), "bold"), classes="checkout-shop"),
            *lines,
            Static(
                Content(t("ordering.checkout.freight_line", freight=freight)),
                classes="checkout-info",
            ),
            Horizontal(
                Static(
                    self._coupon_line(
                        t("ordering.checkout.shop_coupon"),
                        chosen.coupon if chosen else None,
                        shop.shop_discount,
                        len(shop.coupons),
                    ),
                    classes="checkout-coupon-text",
                ),  # fmt: skip
                Button("›", id=f"shop-coupon-{shop.shop_id}", classes="shop-coupon", compact=True),
                classes="checkout-row",
            ),
            Horizontal(
                Static(t("ordering.checkout.note"), classes="checkout-label", markup=False),
                note_input,
                classes="checkout-row",
            ),  # fmt: skip
            Static(
                Content(t("ordering.checkout.shop_total", total=format_fen(shop.total))),
                classes="checkout-shop-total",
            ),  # fmt: skip
            classes="checkout-shop-block",
        )

    def _coupon_line(
        self, label: str, coupon: HeldCoupon | None, discount: int, count: int
    ) -> Content:
        t = self.t
        if coupon is not None:
            text = t("ordering.checkout.coupon_used", label=coupon_label(t, coupon.terms),
                     amount=format_fen(discount))  # fmt: skip
        elif count:
            text = t("ordering.checkout.coupon_available", count=count)
        else:
            text = t("ordering.checkout.coupon_none")
        return Content(f"{label}  {text}")

    def _invoice_text(self) -> str:
        t = self.t
        invoice = self.invoice
        kind = t(f"ordering.invoice.kind.{invoice.kind.value}")
        if invoice.kind is InvoiceKind.NONE:
            return f"{t('ordering.checkout.invoice')}  {kind}"
        return f"{t('ordering.checkout.invoice')}  {kind} · {invoice.title}"

    # -- changes ---------------------------------------------------------------------------

    @on(Button.Pressed, "#change-address")
    def action_address(self) -> None:
        """Choose or add the delivery address."""

        def chosen(address: Address | None) -> None:
            if address is not None:
                self.address_id = address.id
            self.load()

        self.app.push_screen(AddressBookScreen(self.token, self.address_id), chosen)

    @on(Button.Pressed, ".shop-coupon")
    def _shop_coupon(self, event: Button.Pressed) -> None:
        q = self.quote
        if q is None or event.button.id is None:
            return
        shop_id = int(event.button.id.rsplit("-", 1)[1])
        shop = next(s for s in q.shops if s.shop_id == shop_id)

        def picked(coupon_id: int | None) -> None:
            if coupon_id is None:
                return
            coupons = dict(q.selection.shop_coupons)
            if coupon_id == NO_COUPON:
                coupons.pop(shop_id, None)
            else:
                coupons[shop_id] = coupon_id
            self.selection = Selection(coupons, q.selection.platform_coupon)
            self.load()

        title = self.t("ordering.checkout.shop_coupon_title", shop=self.t.pick(shop.name))
        self.app.push_screen(CouponPickerScreen(title, shop.coupons, shop.coupon_id), picked)

    @on(Button.Pressed, "#platform-coupon")
    def _platform_coupon(self) -> None:
        q = self.quote
        if q is None:
            return

        def picked(coupon_id: int | None) -> None:
            if coupon_id is None:
                return
            platform = None if coupon_id == NO_COUPON else coupon_id
            self.selection = Selection(dict(q.selection.shop_coupons), platform)
            self.load()

        title = self.t("ordering.checkout.platform_coupon")
        self.app.push_screen(
            CouponPickerScreen(title, q.platform_coupons, q.platform_coupon_id), picked
        )

    @on(Button.Pressed, "#invoice")
    def _invoice(self) -> None:
        def saved(invoice: InvoiceRequest | None) -> None:
            if invoice is not None:
                self.invoice = invoice
                self.query_one("#invoice-text", Static).update(Content(self._invoice_text()))

        self.app.push_screen(InvoiceScreen(self.invoice), saved)

    # -- 提交订单 ----------------------------------------------------------------------------

    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        """提交订单: create the orders, then go to the cashier."""
        q = self.quote
        if q is None:
            return
        if q.ship_to is None:
            self.notify(self.t("ordering.error.address_needed"), severity="warning", markup=False)
            self.action_address()
            return
        notes = {
            int(field.name.removeprefix("note-")): field.value
            for field in self.query(Input).results()
            if field.name and field.name.startswith("note-")
        }
        request = OrderRequest(
            items=self.items,
            submit_key=self.submit_key,
            address_id=q.ship_to.address_id,
            method=self.method,
            selection=q.selection,
            notes=notes,
            invoice=self.invoice,
            from_cart=self.from_cart,
            expected_total=q.total,
        )
        store, token, clock = self.shop.store, self.token, self.shop.clock
        timeout = self.shop.settings.pay_timeout
        self.query_one("#submit", Button).disabled = True
        self.run_call(
            lambda: checkout.submit(store, token, request, clock=clock, pay_timeout=timeout),
            self._placed,
            group="submit",
            on_error=self._submit_failed,
        )

    def _submit_failed(self, error: DomainError | StoreError) -> bool:
        self.query_one("#submit", Button).disabled = False
        if isinstance(
            error, checkout.PriceChanged | checkout.PricesMoved | checkout.CouponUnavailable
        ):
            self.selection = None  # the best coupons again, at the new prices
            self.load()
        return False

    def _placed(self, placed: Placed) -> None:
        from kstui.screens.cashier import CashierScreen

        self.app.switch_screen(CashierScreen(placed.no, method=placed.method))

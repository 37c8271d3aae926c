"""收银台: pay a checkout (or a wallet recharge) with 支付宝/微信支付 (a QR code), a bank card
or the balance, before the countdown runs out.

Each attempt has an idempotency key: the key stays the same while the attempt is
under way (a second press sends the same attempt again and gets its first result) and
a new one is made only after an attempt failed.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, ContentSwitcher, RadioButton, RadioSet, Static

from kstui.messages import CaughtUp
from kstui.money import format_fen
from kstui.screens.checkout_dialogs import cursor_on_pressed
from kstui.screens.forms import Placement, clear_errors, show_error
from kstui.screens.place import PlaceScreen
from kstui.services.accounts.errors import CodeRejected, PaymentLocked, PaymentPasswordWrong
from kstui.services.accounts.records import AccountInfo
from kstui.services.errors import DomainError
from kstui.services.payments import cashier
from kstui.services.payments.cards import check_card
from kstui.services.payments.cashier import CashierView, PaymentView
from kstui.store.enums import CheckoutStatus, PaymentMethod, PaymentPurpose, PaymentStatus
from kstui.store.errors import StoreError
from kstui.timefmt import CHINA
from kstui.widgets.form import FormField
from kstui.widgets.key_bar import KeyBar
from kstui.widgets.qr_code import QrCode

METHODS = (PaymentMethod.ALIPAY, PaymentMethod.WECHAT, PaymentMethod.CARD, PaymentMethod.BALANCE)
CODE_INPUT = r"[0-9]*"


class CashierScreen(PlaceScreen[None]):
    """The cashier for a submitted checkout, or for a recharge of `recharge` fen.

    Args:
        checkout_no: The checkout to pay (None for a recharge).
        method: The method to start with.
        recharge: The amount of a wallet recharge.
    """

    CSS_PATH = "cashier.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "pay", "payments.key.pay", id="pay"),
    ]

    def __init__(
        self,
        checkout_no: str | None,
        *,
        method: PaymentMethod = PaymentMethod.ALIPAY,
        recharge: int | None = None,
    ) -> None:
        super().__init__()
        self.checkout_no = checkout_no
        self.recharge = recharge
        self.start_method = (
            method
            if recharge is None or method is not PaymentMethod.BALANCE
            else PaymentMethod.ALIPAY
        )
        self.view: CashierView | None = None
        self.payment: PaymentView | None = None
        self._keys: dict[PaymentMethod, str] = {}
        self._deadline: datetime | None = None
        self._finished = False

    @property
    def methods(self) -> tuple[PaymentMethod, ...]:
        """The methods offered (the balance cannot recharge itself)."""
        return METHODS if self.recharge is None else METHODS[:3]

    def compose(self) -> ComposeResult:
        t = self.t
        with Horizontal(id="cashier"):
            with Vertical(id="cashier-left"):
                yield Static(t("payments.cashier.title"), id="cashier-title", markup=False)
                yield Static("", id="cashier-amount")
                yield Static("", id="cashier-countdown")
                with RadioSet(id="cashier-method"):
                    for method in self.methods:
                        yield RadioButton(
                            t(f"payments.method.{method.value}"), value=method is self.start_method
                        )
                yield Static("", id="cashier-status")
                yield Button(t("payments.cashier.scan"), id="scan", compact=True)
                yield Button(t("payments.cashier.paid_already"), id="check", compact=True)
            with ContentSwitcher(id="cashier-panes", initial="pane-qr"):
                with Vertical(id="pane-qr"):
                    yield QrCode("https://pay.kstui.test/", id="qr")
                    yield Static("", id="qr-caption")
                with Vertical(id="pane-card"):
                    yield FormField(t("payments.card.number"), name="number", max_length=30,
                                    placeholder=t("payments.card.number_hint"))  # fmt: skip
                    with Horizontal(classes="card-pair"):
                        yield FormField(t("payments.card.expiry"), name="expiry", max_length=7,
                                        placeholder="MM/YY")  # fmt: skip
                        yield FormField(t("payments.card.holder"), name="holder", max_length=30)
                    yield FormField(t("payments.cashier.payment_password"), name="card-password",
                                    password=True, max_length=6, restrict=CODE_INPUT)  # fmt: skip
                    yield FormField(t("payments.cashier.sms_code"), name="sms-code", max_length=6,
                                    restrict=CODE_INPUT)  # fmt: skip
                    yield Static("", classes="form-message")
                    yield Button(
                        t("payments.cashier.pay"), id="pay-card", variant="primary", compact=True
                    )
                with Vertical(id="pane-balance"):
                    yield Static("", id="balance-text")
                    yield FormField(t("payments.cashier.payment_password"), name="balance-password",
                                    password=True, max_length=6, restrict=CODE_INPUT)  # fmt: skip
                    yield Button(
                        t("payments.cashier.pay"), id="pay-balance", variant="primary", compact=True
                    )
                with Vertical(id="pane-blocked"):
                    yield Static("", id="blocked-text")
                    yield Button(t("payments.cashier.verify"), id="verify", compact=True)
                    yield Button(
                        t("payments.cashier.set_password"), id="set-password", compact=True
                    )
                    yield Button(t("payments.done.to_orders"), id="to-orders", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        super().on_mount()
        cursor_on_pressed(self.query_one("#cashier-method", RadioSet))
        self.query_one("#sms-code-field").display = False
        self.query_one("#to-orders").display = False
        self.set_interval(1, self._tick)
        self._load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """确认支付 (ctrl+s) only on the card or balance form, not on a QR code or a
        closed order."""
        if action == "pay":
            panes = self.query("#cashier-panes").results(ContentSwitcher)
            pane = next(iter(panes), None)
            return pane is not None and pane.current in ("pane-card", "pane-balance")
        return super().check_action(action, parameters)

    # -- loading ---------------------------------------------------------------------------

    def _load(self) -> None:
        store, token, clock = self.shop.store, self.token, self.shop.clock
        if self.checkout_no is None:
            self._deadline = None
            self._show_method()
            return
        checkout_no = self.checkout_no
        self.run_call(
            lambda: cashier.cashier(store, token, checkout_no, clock=clock),
            self._loaded,
            group="cashier",
        )

    def _loaded(self, view: CashierView) -> None:
        self.view = view
        self._deadline = view.pay_deadline
        if view.status is CheckoutStatus.PAID:
            self._succeeded()
            return
        if view.status is CheckoutStatus.CLOSED:
            self._show_closed()
            return
        self._show_method()

    def _show_closed(self) -> None:
        """The checkout was cancelled (its time ran out): nothing can be paid here."""
        self._finished = True
        self.query_one("#cashier-countdown", Static).update(
            Content.styled(self.t("payments.cashier.closed"), "$error")
        )
        self.query_one("#cashier-panes", ContentSwitcher).current = "pane-blocked"
        self.query_one("#blocked-text", Static).update(
            Content(self.t("payments.error.checkout_closed"))
        )
        for name in ("#verify", "#set-password", "#scan", "#check", "#cashier-method"):
            self.query_one(name).display = False
        self.query_one("#cashier-amount").display = False  # nothing is to be paid any more
        self.query_one("#to-orders").display = self.checkout_no is not None
        self.refresh_bindings()

    @on(Button.Pressed, "#to-orders")
    def _to_orders(self) -> None:
        from kstui.screens.orders import OrdersScreen

        self.app.switch_screen(OrdersScreen())

    @property
    def amount(self) -> int:
        """What this cashier takes."""
        if self.recharge is not None:
            return self.recharge
        return self.view.amount if self.view else 0

    @property
    def method(self) -> PaymentMethod:
        """The method ticked."""
        index = self.query_one("#cashier-method", RadioSet).pressed_index
        return self.methods[index] if index >= 0 else self.methods[0]

    def _show_method(self) -> None:
        t = self.t
        self.query_one("#cashier-amount", Static).update(
            Content.from_markup(
                "$label\n[$primary bold]$amount[/]",
                label=t(
                    "payments.cashier.recharge"
                    if self.recharge is not None
                    else "payments.cashier.to_pay"
                ),
                amount=format_fen(self.amount),
            )
        )
        self._tick()
        method, view = self.method, self.view
        blocked = None
        if view is not None and not view.verified:
            blocked = t("payments.error.real_name_required")
        elif view is not None and not method.by_qr and not view.payment_password_set:
            blocked = t("payments.cashier.password_needed")
        qr = method.by_qr and blocked is None
        self.query_one("#scan").display = qr
        self.query_one("#check").display = qr
        self.call_after_refresh(self.refresh_bindings)  # ctrl+s follows the pane shown
        switcher = self.query_one("#cashier-panes", ContentSwitcher)
        if blocked is not None:
            switcher.current = "pane-blocked"
            self.query_one("#blocked-text", Static).update(Content(blocked))
            self.query_one("#verify").display = view is not None and not view.verified
            self.query_one("#set-password").display = view is not None and view.verified
            return
        if qr:
            switcher.current = "pane-qr"
            self._start_qr(method)
        elif method is PaymentMethod.CARD:
            switcher.current = "pane-card"
        else:
            switcher.current = "pane-balance"
            balance = view.balance if view else 0
            text = t("payments.cashier.balance", balance=format_fen(balance))
            if balance < self.amount:
                text += "\n" + t("payments.cashier.balance_short")
            self.query_one("#balance-text", Static).update(Content(text))

    @on(Button.Pressed, "#verify")
    def _verify(self) -> None:
        """实名认证 first (paying needs it)."""
        from kstui.screens.security import RealNameScreen

        account = self.shop.account
        if account is not None:
            self.app.push_screen(RealNameScreen(account, self.token), self._account_updated)

    @on(Button.Pressed, "#set-password")
    def _set_password(self) -> None:
        """设置支付密码 first (card and balance payments need it)."""
        from kstui.screens.security import PaymentPasswordScreen

        account = self.shop.account
        if account is not None:
            self.app.push_screen(PaymentPasswordScreen(account, self.token), self._account_updated)

    def _account_updated(self, account: object) -> None:
        if isinstance(account, AccountInfo):
            self.shop.account_changed(account)
        self._load()

    @on(RadioSet.Changed, "#cashier-method")
    def _method_changed(self) -> None:
        self.query_one("#cashier-status", Static).update("")
        self._show_method()

    def _key(self, method: PaymentMethod) -> str:
        if method not in self._keys:
            self._keys[method] = secrets.token_hex(16)
        return self._keys[method]

    # -- 支付宝 / 微信支付 -------------------------------------------------------------------

    def _start_qr(self, method: PaymentMethod) -> None:
        store, token, clock = self.shop.store, self.token, self.shop.clock
        key, checkout_no, amount = self._key(method), self.checkout_no, self.recharge
        self.query_one("#qr-caption", Static).update(self.t("payments.cashier.qr_loading"))

        def start() -> PaymentView:
            if checkout_no is None:
                assert amount is not None
                return cashier.recharge_qr(store, token, amount, method, key, clock=clock)
            return cashier.start_qr(store, token, checkout_no, method, key, clock=clock)

        self.run_call(start, self._qr_shown, group="pay", on_error=self._pay_failed)

    def _qr_shown(self, payment: PaymentView) -> None:
        if payment.method is not self.method:  # the shopper chose another method meanwhile
            return
        self.payment = payment
        if payment.status is PaymentStatus.SUCCEEDED:
            self._succeeded()
            return
        if payment.status is not PaymentStatus.PENDING:  # ran out of time: a new code
            self._keys.pop(payment.method, None)
            self._start_qr(payment.method)
            return
        if payment.qr_url is not None and self.method is payment.method:
            self.query_one("#qr", QrCode).update(payment.qr_url)
            app = (
                "payments.cashier.scan_with_alipay"
                if payment.method is PaymentMethod.ALIPAY
                else "payments.cashier.scan_with_wechat"
            )
            self.query_one("#qr-caption", Static).update(Content(self.t(app)))

    @on(Button.Pressed, "#scan")
    def _simulate_scan(self) -> None:
        """The simulated phone scans the code and pays at the gateway."""
        payment = self.payment
        if payment is None or payment.trade_no is None:
            return
        store, token, clock, no = self.shop.store, self.token, self.shop.clock, payment.no
        self.run_call(
            lambda: cashier.simulate_scan(store, token, no, clock=clock),
            self._scanned,
            group="scan",
        )

    def _scanned(self, paid: bool) -> None:
        key = "payments.cashier.scanned" if paid else "payments.cashier.scan_refused"
        self.query_one("#cashier-status", Static).update(Content(self.t(key)))

    @on(Button.Pressed, "#check")
    def _check(self) -> None:
        """我已完成支付: ask the gateway now instead of waiting for its notification."""
        self._poll(query_gateway=True)

    def _poll(self, *, query_gateway: bool) -> None:
        payment = self.payment
        if payment is None or payment.status is not PaymentStatus.PENDING:
            return
        store, token, clock, no = self.shop.store, self.token, self.shop.clock, payment.no
        self.run_call(
            lambda: cashier.payment_status(
                store, token, no, clock=clock, query_gateway=query_gateway
            ),
            lambda p: self._polled(p, query_gateway),
            group="check" if query_gateway else "poll",  # a tick never cancels a 我已完成支付
        )

    def _polled(self, payment: PaymentView, asked: bool) -> None:
        if self.payment is None or payment.no != self.payment.no:
            return  # an answer about an attempt the shopper has moved on from
        self.payment = payment
        if payment.status is PaymentStatus.SUCCEEDED:
            self._succeeded()
        elif payment.status is PaymentStatus.PENDING and asked:
            self.query_one("#cashier-status", Static).update(
                Content(self.t("payments.cashier.not_paid_yet"))
            )
        elif payment.status is not PaymentStatus.PENDING:
            self._load()

    # -- bank card and balance -------------------------------------------------------------

    @on(Button.Pressed, "#pay-card")
    @on(Button.Pressed, "#pay-balance")
    def action_pay(self) -> None:
        """确认支付 with the card or the balance."""
        method = self.method
        if method is PaymentMethod.CARD:
            self._pay_card()
        elif method is PaymentMethod.BALANCE:
            self._pay_balance()

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}-field", FormField).value

    def _pay_card(self) -> None:
        clear_errors(self)
        store, token, clock, sms = self.shop.store, self.token, self.shop.clock, self.shop.sms
        payment = self.payment
        if payment is not None and payment.awaiting_code and payment.method is PaymentMethod.CARD:
            code, no = self._value("sms-code"), payment.no
            self.run_call(
                lambda: cashier.confirm_card_code(store, token, no, code, clock=clock),
                self._card_result,
                group="pay",
                on_error=self._pay_failed,
            )
            return
        today = clock.now().astimezone(CHINA).date()
        try:
            card = check_card(
                self._value("number"), self._value("expiry"), self._value("holder"), today=today
            )
        except DomainError as error:
            show_error(self, error, {})
            return
        password, key = self._value("card-password"), self._key(PaymentMethod.CARD)
        checkout_no, amount = self.checkout_no, self.recharge

        def pay() -> PaymentView:
            if checkout_no is None:
                assert amount is not None
                return cashier.recharge_by_card(
                    store, token, amount, card, password, key, clock=clock, sms=sms
                )
            return cashier.pay_by_card(
                store, token, checkout_no, card, password, key, clock=clock, sms=sms
            )

        self.query_one("#pay-card", Button).disabled = True
        self.run_call(pay, self._card_result, group="pay", on_error=self._pay_failed)

    def _card_result(self, payment: PaymentView) -> None:
        t = self.t
        self.payment = payment
        self.query_one("#pay-card", Button).disabled = False
        status = self.query_one("#cashier-status", Static)
        if payment.status is PaymentStatus.SUCCEEDED:
            self._succeeded()
        elif payment.awaiting_code:
            self.query_one("#sms-code-field").display = True
            self.query_one("#sms-code-field", FormField).input.focus()
            status.update(Content(t("payments.cashier.code_sent")))
            if self.view is not None:
                self.shop.show_sms(self.view.phone)
            elif self.shop.account is not None:
                self.shop.show_sms(self.shop.account.phone)
        elif payment.status is PaymentStatus.FAILED:
            self._keys.pop(PaymentMethod.CARD, None)  # a new attempt gets a new key
            status.update(
                Content.styled(t(f"payments.cashier.failure.{payment.failure}"), "$error")
            )
        else:
            self._keys.pop(PaymentMethod.CARD, None)
            self._load()

    def _pay_balance(self) -> None:
        clear_errors(self)
        if self.checkout_no is None:
            return
        store, token, clock = self.shop.store, self.token, self.shop.clock
        password, key, checkout_no = (
            self._value("balance-password"),
            self._key(PaymentMethod.BALANCE),
            self.checkout_no,
        )
        self.query_one("#pay-balance", Button).disabled = True
        self.run_call(
            lambda: cashier.pay_by_balance(store, token, checkout_no, password, key, clock=clock),
            self._balance_result,
            group="pay",
            on_error=self._pay_failed,
        )

    def _balance_result(self, payment: PaymentView) -> None:
        self.payment = payment
        self.query_one("#pay-balance", Button).disabled = False
        if payment.status is PaymentStatus.SUCCEEDED:
            self._succeeded()

    def _pay_failed(self, error: DomainError | StoreError) -> bool:
        for button in self.query("#pay-card, #pay-balance").results(Button):
            button.disabled = False
        self._keys.pop(self.method, None)
        if isinstance(error, cashier.AlreadyPaid):
            self._succeeded()
            return True
        if isinstance(error, cashier.CheckoutClosed):
            self._load()
        if isinstance(error, CodeRejected) and error.params.get("reason") != "wrong":
            # the code expired or was tried too often: the next 确认支付 starts again
            self.payment = None
            self._keys.pop(PaymentMethod.CARD, None)
            self.query_one("#sms-code-field").display = False
        field = "card-password" if self.method is PaymentMethod.CARD else "balance-password"
        placement: Placement = {
            PaymentPasswordWrong: field,
            PaymentLocked: field,
            CodeRejected: "sms-code",
        }
        show_error(self, error, placement)
        return True

    # -- the clock -------------------------------------------------------------------------

    def _tick(self) -> None:
        if self._finished:
            return
        countdown = self.query_one("#cashier-countdown", Static)
        if self._deadline is None:
            countdown.update("")
        else:
            left = int((self._deadline - self.shop.clock.now()).total_seconds())
            if left <= 0:
                countdown.update(Content.styled(self.t("payments.cashier.expired"), "$error"))
                if self.view is not None and self.view.status is CheckoutStatus.AWAITING_PAYMENT:
                    self.view = None
                    self._load()
                return
            minutes, seconds = divmod(left, 60)
            countdown.update(
                Content(self.t("payments.cashier.countdown", time=f"{minutes:02d}:{seconds:02d}"))
            )

    @on(CaughtUp)
    def _caught_up(self) -> None:
        """A notification may have paid the QR code being shown (the app's catch-up heard
        of it, here or from another process): look at the payment again."""
        if not self._finished and self.payment is not None and self.payment.method.by_qr:
            self._poll(query_gateway=False)

    def _succeeded(self) -> None:
        if self._finished:
            return
        self._finished = True
        from kstui.screens.payment_done import PaymentDoneScreen

        purpose = PaymentPurpose.RECHARGE if self.recharge is not None else PaymentPurpose.CHECKOUT
        orders = [o.no for o in self.view.orders] if self.view else []
        self.app.switch_screen(PaymentDoneScreen(purpose, self.amount, self.checkout_no, orders))

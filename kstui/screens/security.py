"""账户安全 dialogs: real-name verification, login password, payment password."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Button, Input, Static

from kstui.i18n import Translator
from kstui.screens.base import KstuiModal, shop_of
from kstui.screens.forms import Placement, form_busy, run_service, start_countdown
from kstui.services.accounts import auth, security
from kstui.services.accounts.errors import (
    AlreadyVerified,
    CodeRejected,
    DailySmsLimit,
    IdNumberTaken,
    InvalidIdNumber,
    InvalidName,
    PasswordLocked,
    PasswordsDiffer,
    PaymentLocked,
    PaymentPasswordWrong,
    ProofNeeded,
    SendTooSoon,
    TrivialPaymentPassword,
    WeakPassword,
    WrongPassword,
)
from kstui.services.accounts.identity import mask_phone
from kstui.services.accounts.records import AccountInfo, LoggedIn
from kstui.services.accounts.sms_codes import Purpose
from kstui.widgets.form import FormField, PasswordMeter
from kstui.widgets.translation import translate_own_bindings, translator_of

R = TypeVar("R")
CODE_INPUT = r"[0-9]*"
REAL_NAME_PLACEMENT: Placement = {
    InvalidName: "rn-name",
    InvalidIdNumber: "rn-id",
    IdNumberTaken: "rn-id",
    AlreadyVerified: "rn-id",
}


def real_name_fields(t: Translator) -> list[FormField]:
    """The two fields of 实名认证: name as on the card, 18-digit ID number."""
    return [
        FormField(
            t("accounts.real_name.name"),
            name="rn-name",
            placeholder=t("accounts.real_name.name_hint"),
            max_length=20,
        ),
        FormField(
            t("accounts.real_name.id"),
            name="rn-id",
            placeholder=t("accounts.real_name.id_hint"),
            max_length=18,
            restrict=r"[0-9xX]*",
        ),
    ]


class _Dialog(KstuiModal[R]):
    """A small form over the account screen; Esc cancels."""

    DEFAULT_CSS = """
    _Dialog {
        align: center middle;
    }
    _Dialog > #dialog {
        width: 56;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        background: $surface;
        padding: 0 2;
    }
    _Dialog #dialog-title {
        text-style: bold;
        color: $primary;
        margin-bottom: 1;
    }
    _Dialog .dialog-note {
        color: $text-muted;
        margin-bottom: 1;
    }
    _Dialog .form-message {
        color: $error;
    }
    _Dialog #dialog-buttons {
        height: 1;
        margin: 1 0;
        align-horizontal: right;
    }
    _Dialog #dialog-buttons Button {
        margin-left: 2;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "app.key.cancel", show=False),
    ]
    TITLE_KEY: ClassVar[str] = ""

    def __init__(self, account: AccountInfo, token: str) -> None:
        super().__init__()
        self.account = account
        self.token = token
        self.t = translator_of(self)
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.t(self.TITLE_KEY), id="dialog-title", markup=False)
            yield from self.fields()
            yield Static("", classes="form-message")
            with Horizontal(id="dialog-buttons"):
                yield Button(self.t("app.dialog.cancel"), id="cancel", compact=True)
                yield Button(self.t("app.dialog.save"), id="save", variant="primary", compact=True)

    def fields(self) -> ComposeResult:
        """The form's fields."""
        yield from ()

    def on_mount(self) -> None:
        translate_own_bindings(self)
        first = next(iter(self.query(Input)), None)
        if first is not None:
            first.focus()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without changing anything."""
        if not form_busy(self):
            self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.save()

    def save(self) -> None:
        """Send the form to its service."""

    def value(self, name: str) -> str:
        """What was typed in field `name`."""
        return self.query_one(f"#{name}-field", FormField).value

    def run(
        self, call: Callable[[], Any], done: Callable[[Any], object], placement: Placement
    ) -> None:
        """Run a service call; `done` with its result, or its error beside its field."""
        run_service(self, call, done, placement, signed_out=self._signed_out)

    def _signed_out(self) -> None:
        """The session ended elsewhere (another device changed the password…)."""
        self.notify(self.t("accounts.error.not_logged_in"), severity="warning", markup=False)
        shop_of(self).logged_out()  # the account screen closes, and this dialog with it

    def send_code(self, purpose: Purpose, code_field: str) -> None:
        """Text a code to the account's phone, and count down on the button."""
        app, button = shop_of(self), self.query_one("#send-code", Button)

        def sent(until: datetime) -> None:
            if self._timer is not None:
                self._timer.stop()
            self._timer = start_countdown(self, button, until)
            app.show_sms(self.account.phone)

        self.run(
            lambda: auth.request_code_for_account(
                app.store, self.token, purpose, clock=app.clock, sms=app.sms
            ),
            sent,
            {SendTooSoon: code_field, DailySmsLimit: code_field},
        )


class RealNameScreen(_Dialog[AccountInfo | None]):
    """实名认证; dismissed with the updated account."""

    TITLE_KEY = "accounts.real_name.title"

    def fields(self) -> ComposeResult:
        yield Static(self.t("accounts.real_name.why"), classes="dialog-note", markup=False)
        yield from real_name_fields(self.t)

    def save(self) -> None:
        app, token = shop_of(self), self.token
        name, number = self.value("rn-name"), self.value("rn-id")
        self.run(
            lambda: security.verify_real_name(app.store, token, name, number, clock=app.clock),
            self.dismiss,
            REAL_NAME_PLACEMENT,
        )


class ChangePasswordScreen(_Dialog[LoggedIn | None]):
    """修改登录密码 with the current password or an SMS code; ends every session."""

    TITLE_KEY = "accounts.security.change_password"
    PLACEMENT: ClassVar[Placement] = {
        WrongPassword: "current",
        PasswordLocked: "current",
        ProofNeeded: "current",
        CodeRejected: "proof-code",
        WeakPassword: "new-password",
        PasswordsDiffer: "confirm-password",
    }

    def fields(self) -> ComposeResult:
        t = self.t
        yield FormField(t("accounts.security.current_password"), name="current", password=True)
        yield FormField(
            t("accounts.security.or_code"), name="proof-code", max_length=6, restrict=CODE_INPUT,
            beside=(Button(t("accounts.login.get_code"), id="send-code", compact=True),),
        )  # fmt: skip
        yield FormField(t("accounts.security.new_password"), name="new-password", password=True,
                        placeholder=t("accounts.register.password_hint"))  # fmt: skip
        yield PasswordMeter()
        yield FormField(t("accounts.register.confirm"), name="confirm-password", password=True)
        yield Static(t("accounts.security.ends_sessions"), classes="dialog-note", markup=False)

    @on(Input.Changed, "#new-password-input")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one(PasswordMeter).password = event.value

    @on(Button.Pressed, "#send-code")
    def _send(self) -> None:
        self.send_code(Purpose.CHANGE_PASSWORD, "proof-code")

    def save(self) -> None:
        app, token = shop_of(self), self.token
        current, code = self.value("current"), self.value("proof-code")
        new, confirm = self.value("new-password"), self.value("confirm-password")
        self.run(
            lambda: security.change_password(
                app.store,
                token,
                new,
                confirm,
                current=current or None,
                code=code or None,
                clock=app.clock,
                device=app.settings.device,
            ),  # fmt: skip
            self.dismiss,
            self.PLACEMENT,
        )


class PaymentPasswordScreen(_Dialog[bool | None]):
    """设置 / 修改支付密码 (6 digits); changing needs the old one or an SMS code."""

    TITLE_KEY = "accounts.security.payment_password"
    PLACEMENT: ClassVar[Placement] = {
        PaymentPasswordWrong: "old-payment",
        PaymentLocked: "old-payment",
        ProofNeeded: "old-payment",
        CodeRejected: "proof-code",
        TrivialPaymentPassword: "new-payment",
        PasswordsDiffer: "confirm-payment",
    }

    def fields(self) -> ComposeResult:
        t = self.t
        if self.account.has_payment_password:
            yield FormField(t("accounts.security.old_payment"), name="old-payment", password=True,
                            max_length=6, restrict=CODE_INPUT)  # fmt: skip
            yield FormField(
                t("accounts.security.or_code"),
                name="proof-code",
                max_length=6,
                restrict=CODE_INPUT,
                beside=(Button(t("accounts.login.get_code"), id="send-code", compact=True),),
            )
        yield FormField(t("accounts.security.new_payment"), name="new-payment", password=True,
                        max_length=6, restrict=CODE_INPUT,
                        placeholder=t("accounts.security.payment_hint"))  # fmt: skip
        yield FormField(
            t("accounts.security.confirm_payment"),
            name="confirm-payment",
            password=True,
            max_length=6,
            restrict=CODE_INPUT,
        )

    @on(Button.Pressed, "#send-code")
    def _send(self) -> None:
        self.send_code(Purpose.PAYMENT_PASSWORD, "proof-code")

    def save(self) -> None:
        app, token = shop_of(self), self.token
        old = self.value("old-payment") if self.account.has_payment_password else ""
        code = self.value("proof-code") if self.account.has_payment_password else ""
        new, confirm = self.value("new-payment"), self.value("confirm-payment")
        self.run(
            lambda: security.set_payment_password(
                app.store,
                token,
                new,
                confirm,
                old=old or None,
                code=code or None,
                clock=app.clock,
            ),  # fmt: skip
            lambda _: self.dismiss(True),
            self.PLACEMENT,
        )


class SecondFactorOffScreen(_Dialog[AccountInfo | None]):
    """关闭登录二次验证: proven with an SMS code; dismissed with the updated account."""

    TITLE_KEY = "accounts.security.second_factor_off"
    PLACEMENT: ClassVar[Placement] = {ProofNeeded: "off-code", CodeRejected: "off-code"}

    def fields(self) -> ComposeResult:
        t = self.t
        yield Static(
            Content(
                t("accounts.security.second_factor_off_why", phone=mask_phone(self.account.phone))
            ),
            classes="dialog-note",
        )
        yield FormField(
            t("accounts.login.code"), name="off-code", max_length=6, restrict=CODE_INPUT,
            placeholder=t("accounts.login.code_hint"),
            beside=(Button(t("accounts.login.get_code"), id="send-code", compact=True),),
        )  # fmt: skip

    @on(Button.Pressed, "#send-code")
    def _send(self) -> None:
        self.send_code(Purpose.SECOND_FACTOR_OFF, "off-code")

    def save(self) -> None:
        app, token, code = shop_of(self), self.token, self.value("off-code")
        self.run(
            lambda: security.set_second_factor(app.store, token, False, code=code, clock=app.clock),
            self.dismiss,
            self.PLACEMENT,
        )

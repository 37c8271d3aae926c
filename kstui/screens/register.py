"""注册: phone and code → password → real-name verification (may be skipped)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Horizontal, Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Button, ContentSwitcher, Input, Static

from kstui.screens.base import KstuiScreen
from kstui.screens.forms import Placement, form_busy, run_service, start_countdown
from kstui.screens.login import CODE_INPUT, PHONE_INPUT
from kstui.screens.security import REAL_NAME_PLACEMENT, real_name_fields
from kstui.services.accounts import auth, security
from kstui.services.accounts.errors import (
    CodeRejected,
    DailySmsLimit,
    InvalidPhone,
    PasswordsDiffer,
    PhoneTaken,
    SendTooSoon,
    WeakPassword,
)
from kstui.services.accounts.identity import normalize_phone
from kstui.services.accounts.records import AccountInfo, LoggedIn
from kstui.services.accounts.sms_codes import Purpose
from kstui.widgets.form import FormField, PasswordMeter
from kstui.widgets.key_bar import KeyBar

STEPS = ("step-phone", "step-password", "step-real-name")
PLACEMENT: Placement = {
    InvalidPhone: "reg-phone",
    PhoneTaken: "reg-phone",
    SendTooSoon: "reg-code",
    DailySmsLimit: "reg-code",
    CodeRejected: "reg-code",
    WeakPassword: "reg-password",
    PasswordsDiffer: "reg-confirm",
}


class RegisterScreen(KstuiScreen[LoggedIn | None]):
    """Create an account; dismissed with the login (None if the shopper went back)."""

    CSS_PATH = "register.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "app.key.back", id="back-step"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.login: LoggedIn | None = None
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        t = self.t
        with Center(), Vertical(id="register-box"):
            yield Static(t("accounts.register.title"), id="register-title", markup=False)
            yield Static("", id="register-steps")
            with ContentSwitcher(initial=STEPS[0], id="register-pages"):
                with Vertical(id="step-phone"):
                    yield FormField(
                        t("accounts.login.phone"),
                        name="reg-phone",
                        placeholder=t("accounts.login.phone_hint"),
                        max_length=20,
                        restrict=PHONE_INPUT,
                        enter_presses="reg-send",
                    )
                    yield FormField(
                        t("accounts.login.code"),
                        name="reg-code",
                        placeholder=t("accounts.login.code_hint"),
                        max_length=6,
                        restrict=CODE_INPUT,
                        beside=(Button(t("accounts.login.get_code"), id="reg-send", compact=True),),
                    )
                    yield Button(t("accounts.register.next"), id="reg-next", variant="primary")
                with Vertical(id="step-password"):
                    yield FormField(
                        t("accounts.register.password"), name="reg-password", password=True,
                        placeholder=t("accounts.register.password_hint"),
                    )  # fmt: skip
                    yield PasswordMeter(id="meter")
                    yield FormField(
                        t("accounts.register.confirm"), name="reg-confirm", password=True
                    )
                    yield Button(t("accounts.register.submit"), id="reg-submit", variant="primary")
                with Vertical(id="step-real-name"):
                    yield Static(
                        t("accounts.register.real_name_intro"), id="real-name-intro", markup=False
                    )
                    yield from real_name_fields(t)
                    with Horizontal(id="real-name-buttons"):
                        yield Button(t("accounts.register.skip"), id="reg-skip", compact=True)
                        yield Button(
                            t("accounts.register.verify"), id="reg-verify", variant="primary"
                        )
            yield Static("", classes="form-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self._show_step(STEPS[0])

    def _show_step(self, step: str) -> None:
        self.query_one(ContentSwitcher).current = step
        t = self.t
        names = [
            t("accounts.register.step_phone"),
            t("accounts.register.step_password"),
            t("accounts.register.step_real_name"),
        ]
        marks = []
        for number, (name, page) in enumerate(zip(names, STEPS, strict=True), start=1):
            style = "bold $primary" if page == step else "$foreground-muted"
            marks.append(Content.from_markup(f"[{style}]$label[/]", label=f"{number} {name}"))
        self.query_one("#register-steps", Static).update(Content("  ›  ").join(marks))
        first = {"step-phone": "#reg-phone-input", "step-password": "#reg-password-input",
                 "step-real-name": "#rn-name-input"}[step]  # fmt: skip
        self.query_one(first).focus()

    def action_back(self) -> None:
        """A step back; from the first page (or once registered), leave."""
        if form_busy(self):
            return
        current = self.query_one(ContentSwitcher).current
        if current == "step-password":
            self._show_step("step-phone")
        else:
            self.dismiss(self.login)

    # -- step 1 ----------------------------------------------------------------------------

    @on(Button.Pressed, "#reg-send")
    def _send_code(self) -> None:
        phone, app = self.query_one("#reg-phone-field", FormField).value, self.shop

        def sent(until: datetime) -> None:
            if self._timer is not None:
                self._timer.stop()
            self._timer = start_countdown(self, self.query_one("#reg-send", Button), until)
            app.show_sms(normalize_phone(phone))

        run_service(
            self,
            lambda: auth.request_code(
                app.store, phone, Purpose.REGISTER, clock=app.clock, sms=app.sms
            ),
            sent,
            PLACEMENT,
        )
        self.query_one("#reg-code-input").focus()

    @on(Button.Pressed, "#reg-next")
    def _check_code(self) -> None:
        app = self.shop
        phone = self.query_one("#reg-phone-field", FormField).value
        code = self.query_one("#reg-code-field", FormField).value
        run_service(
            self,
            lambda: auth.preview_code(app.store, phone, Purpose.REGISTER, code, clock=app.clock),
            lambda _: self._show_step("step-password"),
            PLACEMENT,
        )

    # -- step 2 ----------------------------------------------------------------------------

    @on(Input.Changed, "#reg-password-input")
    def _password_typed(self, event: Input.Changed) -> None:
        self.query_one(PasswordMeter).password = event.value

    @on(Button.Pressed, "#reg-submit")
    def _register(self) -> None:
        app = self.shop
        phone = self.query_one("#reg-phone-field", FormField).value
        code = self.query_one("#reg-code-field", FormField).value
        password = self.query_one("#reg-password-field", FormField).value
        confirm = self.query_one("#reg-confirm-field", FormField).value
        run_service(
            self,
            lambda: auth.register(
                app.store,
                phone,
                code,
                password,
                confirm,
                clock=app.clock,
                device=app.settings.device,
            ),  # fmt: skip
            self._registered,
            PLACEMENT,
        )

    def _registered(self, login: LoggedIn) -> None:
        self.login = login
        self.shop.session_renewed(login)  # kept at once: closing now still leaves us logged in
        self._show_step("step-real-name")

    def reveal_field(self, name: str) -> None:
        """An error about the phone or its code (taken, expired) takes us back to step 1."""
        if name in ("reg-phone", "reg-code"):
            self._show_step("step-phone")

    # -- step 3 ----------------------------------------------------------------------------

    @on(Button.Pressed, "#reg-verify")
    def _verify(self) -> None:
        if self.login is None:
            return
        token, app = self.login.token, self.shop
        name = self.query_one("#rn-name-field", FormField).value
        number = self.query_one("#rn-id-field", FormField).value
        run_service(
            self,
            lambda: security.verify_real_name(app.store, token, name, number, clock=app.clock),
            self._verified,
            REAL_NAME_PLACEMENT,
        )

    def _verified(self, account: AccountInfo) -> None:
        if self.login is not None:
            self.dismiss(LoggedIn(token=self.login.token, account=account))

    @on(Button.Pressed, "#reg-skip")
    def _skip(self) -> None:
        self.dismiss(self.login)

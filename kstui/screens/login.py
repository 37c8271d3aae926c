"""登录: by SMS code, by password (with second verification), or with 微信 / QQ."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Horizontal, Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Button, ContentSwitcher, Static, TabbedContent, TabPane

from kstui.providers.social import SocialIdentity, SocialProvider, device_identity
from kstui.screens.base import KstuiScreen
from kstui.screens.forms import (
    Placement,
    clear_errors,
    form_busy,
    run_service,
    start_countdown,
)
from kstui.services.accounts import auth
from kstui.services.accounts.auth import PhoneNeeded
from kstui.services.accounts.errors import (
    AlreadyLinked,
    CodeRejected,
    DailySmsLimit,
    InvalidPhone,
    LoginFailed,
    NotLoggedIn,
    PasswordLocked,
    PhoneNotRegistered,
    SendTooSoon,
)
from kstui.services.accounts.identity import mask_phone
from kstui.services.accounts.records import LoggedIn, SecondFactorNeeded
from kstui.services.accounts.sms_codes import Purpose
from kstui.widgets.form import FormField
from kstui.widgets.key_bar import KeyBar

PHONE_INPUT = r"[0-9+ \-]*"
CODE_INPUT = r"[0-9]*"


class LoginScreen(KstuiScreen[bool]):
    """Log in; dismissed with True once logged in, False if the shopper went back.

    Args:
        reason: A message key saying why a login is asked for (shown under the title).
    """

    CSS_PATH = "login.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "app.key.back", id="cancel"),
    ]
    PLACEMENT: ClassVar[Placement] = {
        InvalidPhone: "code-phone",
        PhoneNotRegistered: "code-phone",
        SendTooSoon: "code",
        DailySmsLimit: "code",
        CodeRejected: "code",
        LoginFailed: "password",
        PasswordLocked: "password",
    }

    def __init__(self, reason: str | None = None) -> None:
        super().__init__()
        self.reason = reason
        self._challenge: str | None = None
        self._challenge_phone: str | None = None
        self._identity: SocialIdentity | None = None
        self._countdowns: dict[str, Timer] = {}

    def compose(self) -> ComposeResult:
        t = self.t
        with Center(), Vertical(id="login-box"):
            yield Static(t("accounts.login.title"), id="login-title", markup=False)
            yield Static(
                Content(t(self.reason) if self.reason else t("accounts.login.subtitle")),
                id="login-reason",
            )
            with ContentSwitcher(initial="login-tabs", id="login-steps"):
                with TabbedContent(id="login-tabs"):
                    with TabPane(t("accounts.login.tab_code"), id="code-tab"):
                        yield _phone_field(
                            t("accounts.login.phone"),
                            "code-phone",
                            t("accounts.login.phone_hint"),
                            "send-code",
                        )
                        yield FormField(
                            t("accounts.login.code"),
                            name="code",
                            placeholder=t("accounts.login.code_hint"),
                            max_length=6,
                            restrict=CODE_INPUT,
                            beside=(
                                Button(t("accounts.login.get_code"), id="send-code", compact=True),
                            ),
                        )
                        yield Button(t("accounts.login.submit"), id="code-login", variant="primary")
                    with TabPane(t("accounts.login.tab_password"), id="password-tab"):
                        yield _phone_field(
                            t("accounts.login.phone"),
                            "password-phone",
                            t("accounts.login.phone_hint"),
                        )
                        yield FormField(
                            t("accounts.login.password"),
                            name="password",
                            password=True,
                            max_length=64,
                        )
                        yield Button(
                            t("accounts.login.submit"), id="password-login", variant="primary"
                        )
                with Vertical(id="second-factor"):
                    yield Static("", id="second-factor-text")
                    yield FormField(
                        t("accounts.login.code"), name="sf-code", max_length=6, restrict=CODE_INPUT,
                        beside=(Button(t("accounts.login.get_code"), id="sf-send", compact=True),),
                    )  # fmt: skip
                    yield Button(t("accounts.login.confirm"), id="sf-confirm", variant="primary")
                with Vertical(id="bind-phone"):
                    yield Static("", id="bind-text")
                    yield _phone_field(
                        t("accounts.login.phone"),
                        "bind-phone",
                        t("accounts.login.phone_hint"),
                        "bind-send",
                    )
                    yield FormField(
                        t("accounts.login.code"),
                        name="bind-code",
                        max_length=6,
                        restrict=CODE_INPUT,
                        beside=(
                            Button(t("accounts.login.get_code"), id="bind-send", compact=True),
                        ),
                    )
                    yield Button(t("accounts.login.bind"), id="bind-confirm", variant="primary")
            yield Static("", classes="form-message")
            with Horizontal(id="login-others"):
                yield Static(t("accounts.login.others"), id="others-label", markup=False)
                yield Button(t("accounts.login.wechat"), id="wechat", compact=True)
                yield Button(t("accounts.login.qq"), id="qq", compact=True)
                yield Button(t("accounts.login.register"), id="register", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#code-phone-input").focus()

    # -- helpers ---------------------------------------------------------------------------

    @property
    def _device(self) -> str:
        device: str = self.shop.settings.device
        return device

    def _logged_in(self, login: LoggedIn) -> None:
        self.shop.logged_in(login)
        self.dismiss(True)

    def _code_sent(self, button_id: str, phone: str | None, until: datetime) -> None:
        if (timer := self._countdowns.pop(button_id, None)) is not None:
            timer.stop()
        self._countdowns[button_id] = start_countdown(
            self, self.query_one(f"#{button_id}", Button), until
        )
        if phone is not None:
            self.shop.show_sms(phone)

    def _show_step(self, step: str) -> None:
        """The tabs, or a step after them (二次验证, 绑定手机号); other ways only with the tabs."""
        self.query_one(ContentSwitcher).current = step
        self.query_one("#login-others").display = step == "login-tabs"

    def action_cancel(self) -> None:
        """Back where the shopper came from, not logged in."""
        if form_busy(self):
            return
        if self.query_one(ContentSwitcher).current != "login-tabs":
            self._show_step("login-tabs")
            clear_errors(self)
            return
        self.dismiss(False)

    # -- SMS code login --------------------------------------------------------------------

    @on(Button.Pressed, "#send-code")
    def _send_code(self) -> None:
        phone = self.query_one("#code-phone-field", FormField).value
        app = self.shop
        run_service(
            self,
            lambda: auth.request_code(
                app.store, phone, Purpose.LOGIN, clock=app.clock, sms=app.sms
            ),
            lambda until: self._code_sent("send-code", _digits(phone), until),
            self.PLACEMENT,
        )
        self.query_one("#code-input").focus()

    @on(Button.Pressed, "#code-login")
    def _code_login(self) -> None:
        phone = self.query_one("#code-phone-field", FormField).value
        code = self.query_one("#code-field", FormField).value
        app = self.shop
        run_service(
            self,
            lambda: auth.login_with_code(
                app.store, phone, code, clock=app.clock, device=self._device
            ),
            self._logged_in,
            self.PLACEMENT,
        )

    # -- password login --------------------------------------------------------------------

    @on(Button.Pressed, "#password-login")
    def _password_login(self) -> None:
        phone = self.query_one("#password-phone-field", FormField).value
        password = self.query_one("#password-field", FormField).value
        app = self.shop
        run_service(
            self,
            lambda: auth.login_with_password(
                app.store, phone, password, clock=app.clock, device=self._device
            ),
            self._password_checked,
            self.PLACEMENT,
        )

    def _password_checked(self, result: LoggedIn | SecondFactorNeeded) -> None:
        if isinstance(result, LoggedIn):
            self._logged_in(result)
            return
        self._challenge = result.challenge
        self._challenge_phone = result.phone
        self.query_one("#second-factor-text", Static).update(
            Content(self.t("accounts.login.second_factor", phone=mask_phone(result.phone)))
        )
        self._show_step("second-factor")
        self.query_one("#sf-code-input").focus()

    @on(Button.Pressed, "#sf-send")
    def _send_second_factor(self) -> None:
        challenge, app = self._challenge, self.shop
        if challenge is None:
            return
        run_service(
            self,
            lambda: auth.send_second_factor_code(
                app.store, challenge, clock=app.clock, sms=app.sms
            ),
            lambda until: self._code_sent("sf-send", self._challenge_phone, until),
            {**self.PLACEMENT, CodeRejected: "sf-code", SendTooSoon: "sf-code",
             DailySmsLimit: "sf-code", NotLoggedIn: "sf-code"},
        )  # fmt: skip

    @on(Button.Pressed, "#sf-confirm")
    def _confirm_second_factor(self) -> None:
        challenge, app = self._challenge, self.shop
        code = self.query_one("#sf-code-field", FormField).value
        if challenge is None:
            return
        run_service(
            self,
            lambda: auth.complete_second_factor(app.store, challenge, code, clock=app.clock),
            self._logged_in,
            {CodeRejected: "sf-code", NotLoggedIn: "sf-code"},
        )

    # -- 微信 / QQ ---------------------------------------------------------------------------

    @on(Button.Pressed, "#wechat")
    def _wechat(self) -> None:
        self._social(SocialProvider.WECHAT)

    @on(Button.Pressed, "#qq")
    def _qq(self) -> None:
        self._social(SocialProvider.QQ)

    def _social(self, provider: SocialProvider) -> None:
        from kstui.screens.social_auth import SocialAuthScreen

        device_id: str = self.shop.client.device_id
        identity = device_identity(provider, device_id)

        def authorized(agreed: bool | None) -> None:
            if not agreed:
                provider_name = self.t(f"accounts.provider.{provider.value}")
                self.query_one(".form-message", Static).update(
                    Content(self.t("accounts.login.social_refused", provider=provider_name))
                )
                return
            app = self.shop
            run_service(
                self,
                lambda: auth.login_with_social(
                    app.store, identity, clock=app.clock, device=self._device
                ),
                self._social_checked,
                self.PLACEMENT,
            )

        self.app.push_screen(SocialAuthScreen(identity), authorized)

    def _social_checked(self, result: LoggedIn | SecondFactorNeeded | PhoneNeeded) -> None:
        if not isinstance(result, PhoneNeeded):
            self._password_checked(result)  # logged in, or a code to the phone first
            return
        self._identity = result.identity
        self.query_one("#bind-text", Static).update(
            Content(
                self.t(
                    "accounts.login.bind_text",
                    provider=self.t(f"accounts.provider.{result.identity.provider.value}"),
                    nickname=result.identity.nickname,
                )
            )
        )
        self._show_step("bind-phone")
        self.query_one("#bind-phone-input").focus()

    @on(Button.Pressed, "#bind-send")
    def _send_bind_code(self) -> None:
        phone = self.query_one("#bind-phone-field", FormField).value
        app = self.shop
        run_service(
            self,
            lambda: auth.request_code(
                app.store, phone, Purpose.BIND_PHONE, clock=app.clock, sms=app.sms
            ),
            lambda until: self._code_sent("bind-send", _digits(phone), until),
            _BIND_PLACEMENT,
        )

    @on(Button.Pressed, "#bind-confirm")
    def _bind(self) -> None:
        identity, app = self._identity, self.shop
        if identity is None:
            return
        phone = self.query_one("#bind-phone-field", FormField).value
        code = self.query_one("#bind-code-field", FormField).value
        run_service(
            self,
            lambda: auth.bind_phone(
                app.store, identity, phone, code, clock=app.clock, device=self._device
            ),
            self._logged_in,
            _BIND_PLACEMENT,
        )

    # -- registration ----------------------------------------------------------------------

    @on(Button.Pressed, "#register")
    def _register(self) -> None:
        from kstui.screens.register import RegisterScreen

        def registered(login: LoggedIn | None) -> None:
            if login is not None:
                self._logged_in(login)

        self.app.push_screen(RegisterScreen(), registered)


_BIND_PLACEMENT: Placement = {
    InvalidPhone: "bind-phone",
    SendTooSoon: "bind-code",
    DailySmsLimit: "bind-code",
    CodeRejected: "bind-code",
    AlreadyLinked: "bind-phone",
}


def _phone_field(label: str, name: str, hint: str, sends: str | None = None) -> FormField:
    return FormField(
        label, name=name, placeholder=hint, max_length=20, restrict=PHONE_INPUT,
        enter_presses=sends,
    )  # fmt: skip


def _digits(phone: str) -> str | None:
    """The 11-digit number in what was typed, for showing its SMS (None if unusable)."""
    from kstui.services.accounts.identity import normalize_phone
    from kstui.services.errors import DomainError

    try:
        return normalize_phone(phone)
    except DomainError:
        return None

"""账户与安全: who is logged in, real name, passwords, second verification, linked
accounts, logged-in devices, log out."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from kstui.screens.base import KstuiScreen
from kstui.screens.calls import run_call, run_update
from kstui.services.accounts import auth, security
from kstui.services.accounts.auth import SecurityLists
from kstui.services.accounts.identity import age_on, mask_phone
from kstui.services.accounts.records import AccountInfo, LoggedIn
from kstui.settings import DEVICE_KINDS
from kstui.timefmt import CHINA, local_minute
from kstui.widgets.key_bar import KeyBar

R = TypeVar("R")


class AccountScreen(KstuiScreen[None]):
    """The logged-in shopper's account and its security."""

    place = "account"
    """The shop's place this screen is (the global keys switch between places)."""

    CSS_PATH = "account.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "logout", "app.key.logout", id="logout", show=False),
    ]

    def compose(self) -> ComposeResult:
        t = self.t
        with VerticalScroll(id="account-page"):
            yield Static(t("accounts.account.title"), id="account-title", markup=False)
            yield Static("", id="who-am-i")
            with Horizontal(classes="account-row"):
                yield Static("", id="real-name", classes="account-label")
                yield Button(t("accounts.account.verify"), id="verify", compact=True)
            with Horizontal(classes="account-row"):
                yield Static(
                    t("accounts.account.login_password"), classes="account-label", markup=False
                )
                yield Button(t("accounts.account.change"), id="change-password", compact=True)
            with Horizontal(classes="account-row"):
                yield Static("", id="payment-password", classes="account-label")
                yield Button("", id="set-payment", compact=True)
            with Horizontal(classes="account-row", id="second-factor-row"):
                yield Static("", id="second-factor-status", classes="account-label")
                yield Button("", id="second-factor", compact=True)
            yield Static(
                t("accounts.account.second_factor_hint"), classes="account-hint", markup=False
            )
            yield Static(t("accounts.account.linked"), classes="account-section", markup=False)
            yield Vertical(id="linked")
            yield Static(t("accounts.account.devices"), classes="account-section", markup=False)
            yield Vertical(id="devices")
            yield Button(t("accounts.account.logout"), id="logout", variant="error", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.watch(self.shop, "account", self._show_account)
        self._load()

    @property
    def token(self) -> str:
        """This device's session token."""
        return self.shop.client.token or ""

    # -- what is shown ---------------------------------------------------------------------

    def _show_account(self, account: AccountInfo | None) -> None:
        if account is None:  # logged out (here or elsewhere): nothing to show
            if self in self.app.screen_stack:
                while self.app.screen is not self:  # a dialog over it goes too
                    self.app.pop_screen()
                self.dismiss()
            return
        t = self.t
        today = self.shop.clock.now().astimezone(CHINA).date()
        self.query_one("#who-am-i", Static).update(
            Content(
                t(
                    "accounts.account.who",
                    nickname=account.nickname,
                    phone=mask_phone(account.phone),
                )
            )
        )
        if account.verified and account.birth_date is not None:
            minor = account.is_minor(today)
            status = t(
                "accounts.account.verified_minor" if minor else "accounts.account.verified",
                name=_mask_name(account.real_name or ""),
                age=age_on(account.birth_date, today),
            )
        else:
            status = t("accounts.account.not_verified")
        self.query_one("#real-name", Static).update(
            Content(t("accounts.account.real_name", status=status))
        )
        self.query_one("#verify", Button).display = not account.verified
        self.query_one("#payment-password", Static).update(
            Content(
                t(
                    "accounts.account.payment_password",
                    status=t(
                        "accounts.account.set"
                        if account.has_payment_password
                        else "accounts.account.unset"
                    ),
                )
            )
        )
        self.query_one("#set-payment", Button).label = t(
            "accounts.account.change"
            if account.has_payment_password
            else "accounts.account.set_now"
        )
        on = account.second_factor
        self.query_one("#second-factor-status", Static).update(
            Content(
                t(
                    "accounts.account.second_factor",
                    status=t("accounts.account.on" if on else "accounts.account.off"),
                )
            )
        )
        self.query_one("#second-factor", Button).label = t(
            "accounts.account.turn_off" if on else "accounts.account.turn_on"
        )

    def _load(self) -> None:
        app, token = self.shop, self.token

        self._run(
            lambda: auth.security_lists(app.store, token, clock=app.clock),
            lambda lists: run_update(self, lambda: self._show_lists(lists), group="account-lists"),
            exclusive=True,
        )

    def _run(
        self, call: Callable[[], R], done: Callable[[R], object], *, exclusive: bool = False
    ) -> None:
        """Run a service call in a thread, then `done(result)`; a session that ended
        meanwhile logs out here, other errors become a notification."""
        run_call(self, call, done, group="account", exclusive=exclusive)

    async def _show_lists(self, loaded: SecurityLists) -> None:
        t = self.t
        linked = self.query_one("#linked", Vertical)
        await linked.remove_children()
        if loaded.linked:
            await linked.mount_all(
                Static(
                    Content(
                        t(
                            "accounts.account.linked_row",
                            provider=t(f"accounts.provider.{item.provider}"),
                            nickname=item.nickname,
                            at=local_minute(item.linked_at),
                        )
                    ),
                    classes="list-row",
                )
                for item in loaded.linked
            )
        else:
            await linked.mount(
                Static(t("accounts.account.none_linked"), classes="list-row", markup=False)
            )
        devices = self.query_one("#devices", Vertical)
        await devices.remove_children()
        for session in loaded.sessions:
            row = Horizontal(classes="device-row")
            await devices.mount(row)
            text = t(
                "accounts.account.device_row",
                device=t(f"accounts.device.{session.device}")
                if session.device in DEVICE_KINDS
                else session.device,
                seen=local_minute(session.last_seen_at),
            )
            await row.mount(Static(Content(text), classes="device-text"))
            if session.current:
                await row.mount(
                    Static(t("accounts.account.this_device"), classes="this-device", markup=False)
                )
            else:
                await row.mount(
                    Button(
                        t("accounts.account.end_session"),
                        id=f"end-{session.id}",
                        classes="end-session",
                        compact=True,
                    )
                )

    # -- actions ---------------------------------------------------------------------------

    @on(Button.Pressed, "#verify")
    def _verify(self) -> None:
        from kstui.screens.security import RealNameScreen

        self._dialog(RealNameScreen, self._updated)

    @on(Button.Pressed, "#change-password")
    def _change_password(self) -> None:
        from kstui.screens.security import ChangePasswordScreen

        def changed(login: LoggedIn | None) -> None:
            if login is not None:
                self.shop.session_renewed(login)
                self.notify(self.t("accounts.security.password_changed"), markup=False)
                self._load()

        self._dialog(ChangePasswordScreen, changed)

    @on(Button.Pressed, "#set-payment")
    def _payment_password(self) -> None:
        from kstui.screens.security import PaymentPasswordScreen

        def saved(done: bool | None) -> None:
            if done:
                self.notify(self.t("accounts.security.payment_saved"), markup=False)
                self._refresh_account()

        self._dialog(PaymentPasswordScreen, saved)

    def _dialog(
        self, screen: Callable[[AccountInfo, str], Screen[R]], then: Callable[[R | None], None]
    ) -> None:
        account = self.shop.account
        if account is not None:
            self.app.push_screen(screen(account, self.token), then)

    def _updated(self, account: AccountInfo | None) -> None:
        if account is not None:
            self.shop.account_changed(account)
            self.notify(self.t("accounts.real_name.done"), markup=False)

    def _refresh_account(self) -> None:
        app, token = self.shop, self.token
        self._run(
            lambda: auth.account_for_token(app.store, token, clock=app.clock),
            lambda account: app.account_changed(account) if account else app.logged_out(),
        )

    @on(Button.Pressed, "#second-factor")
    def _second_factor(self) -> None:
        app, token = self.shop, self.token
        if app.account is not None and app.account.second_factor:
            from kstui.screens.security import SecondFactorOffScreen

            self._dialog(SecondFactorOffScreen, self._second_factor_changed)
            return
        self._run(
            lambda: security.set_second_factor(app.store, token, True, clock=app.clock),
            self._second_factor_changed,
        )

    def _second_factor_changed(self, account: AccountInfo | None) -> None:
        if account is not None:
            self.shop.account_changed(account)
            key = (
                "accounts.account.second_factor_on"
                if account.second_factor
                else "accounts.account.second_factor_off"
            )
            self.notify(self.t(key), markup=False)

    @on(Button.Pressed, ".end-session")
    def _end_session(self, event: Button.Pressed) -> None:
        if event.button.id is None:
            return
        session_id = int(event.button.id.removeprefix("end-"))
        app, token = self.shop, self.token
        self._run(
            lambda: auth.end_session(app.store, token, session_id, clock=app.clock),
            lambda _: self._load(),
        )

    @on(Button.Pressed, "#logout")
    def action_logout(self) -> None:
        """退出登录: end this device's session."""
        self.shop.action_logout()


def _mask_name(name: str) -> str:
    """林小满 → 林**."""
    return name[:1] + "*" * (len(name) - 1)

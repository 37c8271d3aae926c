"""The Textual app: screens, global keys, theme. Built only through `create_app`."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import CommandPalette, Provider
from textual.events import Resize
from textual.reactive import var
from textual.screen import ModalScreen, Screen
from textual.theme import Theme

from kstui import cjk_overlay, crash_log
from kstui.client_state import ClientState
from kstui.commands import ShopCommands, ShopPalette
from kstui.i18n import Translator
from kstui.messages import CaughtUp
from kstui.providers.clock import Clock, SystemClock
from kstui.providers.sms import OutboxSms, SmsGateway, newest_to
from kstui.providers.world_clock import SPEED_LEASE, WorldClock
from kstui.screens.catalog import CatalogScreen
from kstui.screens.coming_soon import PLACES, ComingSoonScreen
from kstui.screens.too_small import TooSmallScreen
from kstui.services.accounts.auth import account_for_token, logout
from kstui.services.accounts.identity import mask_phone
from kstui.services.accounts.records import AccountInfo, LoggedIn
from kstui.settings import MIN_HEIGHT, MIN_WIDTH, Settings
from kstui.store.errors import StoreError
from kstui.store.interface import Store
from kstui.text import printable
from kstui.widgets.translation import translate_bindings

KSTUI_THEME = Theme(
    name="kstui",
    primary="#FF5000",
    secondary="#FE3666",
    accent="#FF7A45",
    warning="#FFB020",
    error="#F5222D",
    success="#2BA471",
    foreground="#E8E6E3",
    background="#17171A",
    surface="#1F1F23",
    panel="#2A2A30",
    dark=True,
    variables={
        "footer-key-foreground": "#FF7A45",
        "input-selection-background": "#FF5000 35%",
    },
)


class KstuiApp(App[None]):
    """The shop.

    Args:
        settings: Options of this run.
        store: The database.
        clock: Where time comes from.
    """

    CSS_PATH = "app.tcss"
    TITLE = "kstui"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "app.key.back", id="back"),
        Binding("slash", "search", "app.key.search", id="search"),
        Binding("h", "home", "app.key.home", id="home"),
        Binding("c", "place('cart')", "app.key.cart", id="cart"),
        Binding("o", "place('orders')", "app.key.orders", id="orders"),
        Binding("w", "place('wallet')", "app.key.wallet", id="wallet"),
        Binding("u", "place('coupons')", "app.key.coupons", id="coupons"),
        Binding("s", "place('service')", "app.key.service", id="service"),
        Binding("a", "place('account')", "app.key.account", id="account"),
        Binding("q", "quit", "app.key.quit", id="quit"),
        Binding("ctrl+p", "command_palette", "app.key.palette", show=False, priority=True),
    ]
    MODES: ClassVar[dict[str, str | Callable[[], Screen[None]]]] = {"shop": CatalogScreen}
    DEFAULT_MODE = "shop"
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ShopCommands}

    account: var[AccountInfo | None] = var(None)
    """The logged-in account, None for a guest."""

    def __init__(self, *, settings: Settings, store: Store, clock: Clock) -> None:
        super().__init__()
        self.settings = settings
        self.store = store
        self.clock = clock
        self.sms: SmsGateway = OutboxSms()
        self.client_path = ClientState.path_for(settings.db_path)
        self.client = ClientState.load(self.client_path, device_id=settings.device_id)
        self.translator = Translator(settings.lang)
        self._bindings = translate_bindings(self._bindings, self.translator)
        if not settings.animations:
            self.animation_level = "none"
        self.register_theme(KSTUI_THEME)
        self.theme = "kstui"
        self._watermark: tuple[int, int, int] | None = None

    def on_mount(self) -> None:
        self.title = self.translator("app.title")
        self._check_size(self.size.width, self.size.height)
        if self.client.token:
            self._restore_login(self.client.token)
        if self.settings.catch_up_seconds and not self.store.read_only:
            self._catch_up()  # at once: what fell due while closed, and the first watermark
            self.set_interval(self.settings.catch_up_seconds, self._catch_up)
        if self.settings.demo_speed > 1 and isinstance(self.clock, WorldClock):
            self._run_fast(self.settings.demo_speed)
            self.set_interval(SPEED_LEASE.total_seconds() / 3, self._keep_fast)
        if self.store.read_only:
            self.notify(self.translator("app.read_only_notice"), severity="warning", timeout=8)

    @work(thread=True, exclusive=True, group="catch-up")
    def _catch_up(self) -> None:
        """What falls due by now, whoever's it is: payment notifications, unpaid orders
        past their deadline (safe alongside any other process doing the same). The open
        screens hear of it when this or another process changed something."""
        from kstui.services.jobs import catch_up, watermark

        try:
            result = catch_up(self.store, clock=self.clock)
            mark = watermark(self.store)
        except StoreError:
            return  # a busy or failing store: the next round tries again
        except Exception as error:  # noqa: BLE001  (background work never ends the shop)
            self.log.error(f"catch-up failed: {error!r}")
            return
        before, self._watermark = self._watermark, mark
        if result.changed or (before is not None and mark != before):
            self.call_from_thread(self._tell_screens, result.done)

    def _tell_screens(self, done: dict[str, int]) -> None:
        for screen in self.screen_stack:
            screen.post_message(CaughtUp(done))

    @work(thread=True, exclusive=True, group="clock")
    def _run_fast(self, speed: int) -> None:
        """`--demo-speed`: the world clock runs `speed`× fast while this app is open."""
        assert isinstance(self.clock, WorldClock)
        try:
            self.clock.set_speed(speed)
        except StoreError as error:
            self.log.error(f"demo speed not set: {error!r}")

    @work(thread=True, exclusive=True, group="clock")
    def _keep_fast(self) -> None:
        assert isinstance(self.clock, WorldClock)
        try:
            if not self.clock.renew_speed():
                self.clock.set_speed(self.settings.demo_speed)
        except StoreError as error:
            self.log.error(f"demo speed not renewed: {error!r}")

    def on_unmount(self) -> None:
        if self.settings.demo_speed > 1 and isinstance(self.clock, WorldClock):
            with contextlib.suppress(StoreError):  # if not, the lease runs out by itself
                self.clock.set_speed(1)  # the world goes back to normal when the demo ends

    # -- the logged-in account -------------------------------------------------------------

    @work(thread=True, group="login")
    def _restore_login(self, token: str) -> None:
        """Log in again with the token this device kept, if it is still good."""
        try:
            account = account_for_token(self.store, token, clock=self.clock)
        except StoreError:
            return
        self.call_from_thread(self._restored, token, account)

    def _restored(self, token: str, account: AccountInfo | None) -> None:
        if account is None:
            self._forget_token()
        elif self.client.token == token:
            self.account = account

    def logged_in(self, login: LoggedIn) -> None:
        """Keep the new session on this device and greet the shopper."""
        self.session_renewed(login)
        self.notify(
            self.translator("accounts.login.welcome", nickname=login.account.nickname), markup=False
        )

    def session_renewed(self, login: LoggedIn) -> None:
        """Keep a new session of the same shopper (after a password change) on this device."""
        self.client = self.client.with_token(login.token)
        self._save_client()
        self.account = login.account

    def account_changed(self, account: AccountInfo) -> None:
        """The account's details changed (real name, second verification…)."""
        self.account = account

    def logged_out(self) -> None:
        """Forget the session on this device (after the store ended it)."""
        self._forget_token()
        self.account = None

    def action_login(self) -> None:
        """登录 (from the command palette); nothing to do when logged in already."""
        self.require_login(lambda: None)

    @work(thread=True, group="login")
    def action_logout(self) -> None:
        """退出登录: end this device's session in the store, then forget it here."""
        token = self.client.token
        if token is None:
            return
        try:
            logout(self.store, token, clock=self.clock)
        except StoreError as error:
            text = self.translator(error.message_key)
            self.call_from_thread(self.notify, text, markup=False, severity="error")
            return
        self.call_from_thread(self.logged_out)
        self.call_from_thread(
            self.notify, self.translator("accounts.account.logged_out"), markup=False
        )

    def _forget_token(self) -> None:
        self.client = self.client.with_token(None)
        self._save_client()

    def _save_client(self) -> None:
        try:
            self.client.save(self.client_path)
        except OSError:
            self.notify(
                self.translator("accounts.login.not_remembered"), severity="warning", markup=False
            )

    def require_login(self, then: Callable[[], object], *, reason: str | None = None) -> None:
        """Do `then` now if logged in; otherwise log in first, and do it afterwards."""
        if self.account is not None:
            then()
            return
        from kstui.screens.login import LoginScreen
        from kstui.screens.register import RegisterScreen

        if any(isinstance(s, LoginScreen | RegisterScreen) for s in self.screen_stack):
            return  # logging in already: one login screen at a time

        def after(logged_in: bool | None) -> None:
            if logged_in:
                then()

        self.push_screen(LoginScreen(reason), after)

    def show_sms(self, phone: str) -> None:
        """Show the newest text to `phone` as a notification: the simulated phone."""
        if self.settings.demo_sms:
            self._show_sms(phone)

    @work(thread=True, group="sms")
    def _show_sms(self, phone: str) -> None:
        try:
            message = newest_to(self.store, phone)
        except StoreError:  # the text is in the outbox all the same (kstui sms outbox)
            return
        if message is not None:
            title = self.translator("accounts.sms.title", phone=mask_phone(phone))
            self.call_from_thread(
                self.notify, printable(message.text), title=title, timeout=20, markup=False
            )

    def on_resize(self, event: Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        showing = isinstance(self.screen, TooSmallScreen)
        if too_small and not showing:
            self.push_screen(TooSmallScreen())
        elif not too_small and showing:
            self.pop_screen()

    def action_home(self) -> None:
        """Back to the catalogue, whatever is open."""
        while len(self.screen_stack) > 1 and not isinstance(self.screen, TooSmallScreen):
            self.pop_screen()

    def action_search(self) -> None:
        """Go to the catalogue and put the cursor in the search box."""
        self.action_home()
        screen = self.screen
        if isinstance(screen, CatalogScreen):
            screen.focus_search()

    def action_place(self, place: str) -> None:
        """Open one of the shop's places; all but customer service need an account."""
        if place not in PLACES:
            return
        if place == "service":
            self._open_place(place)
        else:
            self.require_login(
                lambda: self._open_place(place), reason=f"accounts.login.reason_{place}"
            )

    def _open_place(self, place: str) -> None:
        """Places replace each other (like the tabs of a phone app); from anywhere else
        (the catalogue, a product, a checkout) a place opens on top."""
        screen = _place_screen(place) or ComingSoonScreen(place)
        current = self.screen
        if getattr(current, "place", None) == place:
            return
        if getattr(current, "place", None) is not None:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    @property
    def crash_log(self) -> Path:
        """Where an unexpected error's details are written (beside the store)."""
        return self.settings.db_path.parent / crash_log.NAME

    def _print_error_renderables(self) -> None:
        """On a crash: the details go to a log file, the shopper gets one plain line."""
        if not self._exit_renderables:
            return
        from rich.console import Console

        try:
            with crash_log.appending(self.crash_log) as log:
                console = Console(file=log, width=120, color_system=None)
                console.print(f"--- {SystemClock().now().isoformat()}")  # real time: a log
                for renderable in self._exit_renderables:
                    console.print(renderable)
            where = str(self.crash_log)
        except OSError:
            where = "-"
        self._exit_renderables.clear()
        self.error_console.print(
            self.translator("app.crashed", log=where), markup=False, highlight=False
        )

    def action_command_palette(self) -> None:
        """Open the command palette with a translated prompt."""
        if not isinstance(self.screen, CommandPalette):
            self.push_screen(
                ShopPalette(
                    placeholder=self.translator("app.palette.placeholder"), id="--command-palette"
                )
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:  # noqa: ARG002
        """Hide "back" where there is nothing to go back to; only quit while too small.

        A dialog (filters, 微信 authorization, payment password…) is answered or closed
        first: the shop's places and the palette wait until it is gone.
        """
        if isinstance(self.screen, TooSmallScreen):
            return action == "quit"
        if isinstance(self.screen, ModalScreen) and action in _PLACE_ACTIONS:
            return False
        if action == "back":
            return len(self.screen_stack) > 1
        return True

    async def action_back(self) -> None:
        """Close the screen on top (never the catalogue itself)."""
        if len(self.screen_stack) > 1 and not isinstance(self.screen, TooSmallScreen):
            self.pop_screen()


def _place_screen(place: str) -> Screen[None] | None:
    """The screen of a place of the shop (None: a later version's place)."""
    if place == "account":
        from kstui.screens.account import AccountScreen

        return AccountScreen()
    if place == "cart":
        from kstui.screens.cart import CartScreen

        return CartScreen()
    if place == "orders":
        from kstui.screens.orders import OrdersScreen

        return OrdersScreen()
    if place == "wallet":
        from kstui.screens.wallet import WalletScreen

        return WalletScreen()
    if place == "coupons":
        from kstui.screens.coupons import CouponsScreen

        return CouponsScreen()
    return None


_PLACE_ACTIONS = frozenset({"home", "search", "place", "login", "logout", "command_palette"})
"""Actions that lead somewhere else: not while a dialog waits for an answer."""


def create_app(settings: Settings, store: Store, clock: Clock) -> KstuiApp:
    """Build the app: the one way the CLI, the servers and the tests get one."""
    cjk_overlay.apply()  # toasts and dialogs over Chinese text keep their characters
    return KstuiApp(settings=settings, store=store, clock=clock)

"""The Textual app: screens, global keys, theme. Built only through `create_app`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import CommandPalette, Provider
from textual.events import Resize
from textual.screen import Screen
from textual.theme import Theme

from kstui.commands import ShopCommands
from kstui.i18n import Translator
from kstui.providers.clock import Clock
from kstui.screens.catalog import CatalogScreen
from kstui.screens.coming_soon import PLACES, ComingSoonScreen
from kstui.screens.too_small import TooSmallScreen
from kstui.settings import MIN_HEIGHT, MIN_WIDTH, Settings
from kstui.store.db import Store
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
        Binding("escape", "back", "key.back", id="back"),
        Binding("slash", "search", "key.search", id="search"),
        Binding("h", "home", "key.home", id="home"),
        Binding("c", "place('cart')", "key.cart", id="cart"),
        Binding("o", "place('orders')", "key.orders", id="orders"),
        Binding("w", "place('wallet')", "key.wallet", id="wallet"),
        Binding("u", "place('coupons')", "key.coupons", id="coupons"),
        Binding("s", "place('service')", "key.service", id="service"),
        Binding("a", "place('account')", "key.account", id="account"),
        Binding("q", "quit", "key.quit", id="quit"),
        Binding("ctrl+p", "command_palette", "key.palette", show=False, priority=True),
    ]
    MODES: ClassVar[dict[str, str | Callable[[], Screen[None]]]] = {"shop": CatalogScreen}
    DEFAULT_MODE = "shop"
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ShopCommands}

    def __init__(self, *, settings: Settings, store: Store, clock: Clock) -> None:
        super().__init__()
        self.settings = settings
        self.store = store
        self.clock = clock
        self.translator = Translator(settings.lang)
        self._bindings = translate_bindings(self._bindings, self.translator)
        if not settings.animations:
            self.animation_level = "none"
        self.register_theme(KSTUI_THEME)
        self.theme = "kstui"

    def on_mount(self) -> None:
        self.title = self.translator("app.title")
        self._check_size(self.size.width, self.size.height)

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
        """Open one of the shop's places (cart, orders…); not built yet: say so."""
        if place not in PLACES:
            return
        if isinstance(self.screen, ComingSoonScreen):  # one placeholder at a time
            if self.screen.place != place:
                self.switch_screen(ComingSoonScreen(place))
            return
        self.push_screen(ComingSoonScreen(place))

    @property
    def crash_log(self) -> Path:
        """Where an unexpected error's details are written (beside the store)."""
        return self.settings.db_path.parent / "kstui-error.log"

    def _print_error_renderables(self) -> None:
        """On a crash: the details go to a log file, the shopper gets one plain line."""
        if not self._exit_renderables:
            return
        from rich.console import Console

        try:
            self.crash_log.parent.mkdir(parents=True, exist_ok=True)
            with self.crash_log.open("a", encoding="utf-8") as log:
                console = Console(file=log, width=120, color_system=None)
                console.print(f"--- {self.clock.now().isoformat()}")
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
                CommandPalette(
                    placeholder=self.translator("palette.placeholder"), id="--command-palette"
                )
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:  # noqa: ARG002
        """Hide "back" where there is nothing to go back to; only quit while too small."""
        if isinstance(self.screen, TooSmallScreen):
            return action == "quit"
        if action == "back":
            return len(self.screen_stack) > 1
        return True

    async def action_back(self) -> None:
        """Close the screen on top (never the catalogue itself)."""
        if len(self.screen_stack) > 1 and not isinstance(self.screen, TooSmallScreen):
            self.pop_screen()


def create_app(settings: Settings, store: Store, clock: Clock) -> KstuiApp:
    """Build the app: the one way the CLI, the servers and the tests get one."""
    return KstuiApp(settings=settings, store=store, clock=clock)

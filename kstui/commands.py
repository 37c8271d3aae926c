"""The command palette (ctrl+p): every place of the shop and every action, by name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets.option_list import Option

from kstui.screens.base import ClosesOnce, shop_of
from kstui.screens.coming_soon import PLACES
from kstui.services.catalog.listing import Sort
from kstui.widgets.translation import translator_of


class ShopPalette(ClosesOnce, CommandPalette):
    """Textual's command palette, safe from page keys pressed while its list fills.

    Textual 8.2.8's `OptionList` pages by the line map of its last layout: `pagedown`
    between the options arriving and their first layout raises `KeyError` and ended the
    app (found by tests/ui/app/test_monkey.py, seed 1). The key then does nothing; the
    next one pages as usual. And like every kstui screen, it closes once.
    """

    def _action_command_list(self, action: str) -> None:
        try:
            super()._action_command_list(action)
        except (KeyError, IndexError):
            return

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """Textual's "No matches found" after a pause, in the shop's language (Textual
        8.2.8 writes it in English; the rest of this method is its own)."""
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                text = Text(translator_of(self)("app.palette.no_matches"), style="not bold")
                self.query_one(CommandList).add_option(
                    Option(Align.center(text), disabled=True, id=self._NO_MATCHES)
                )
                self._list_visible = True
            else:  # discovery mode: nothing to say
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


class ShopCommands(Provider):
    """Places (home, cart, orders…) and actions (search, filters, sorts, quit)."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = self.app
        t = translator_of(app)
        commands: list[tuple[str, Callable[[], object], str]] = [
            (t("app.command.home"), partial(app.run_action, "home"), t("app.command.home_help")),
            (
                t("app.command.search"),
                partial(app.run_action, "search"),
                t("app.command.search_help"),
            ),
        ]
        for place in PLACES:
            commands.append(
                (t(f"app.place.{place}"), partial(app.run_action, f"place('{place}')"), "")
            )
        from kstui.screens.catalog import CatalogScreen
        from kstui.screens.product import ProductScreen

        screen = self.screen
        if isinstance(screen, ProductScreen):
            commands += [
                (t("app.command.add_to_cart"), screen.action_add_to_cart, ""),
                (t("app.command.buy_now"), screen.action_buy_now, ""),
                (t("app.command.photo_reviews"), partial(screen.action_reviews, True), ""),
                (t("app.command.all_reviews"), partial(screen.action_reviews, False), ""),
                (t("app.command.back"), partial(app.run_action, "back"), ""),
            ]
        if isinstance(screen, CatalogScreen):
            commands.append(
                (t("app.command.filters"), screen.action_filters, t("app.command.filters_help"))
            )
            commands.append(
                (t("app.command.clear"), screen.action_clear, t("app.command.clear_help"))
            )
            for sort in Sort:
                commands.append(
                    (
                        t("app.command.sort", sort=t(f"catalog.sort.{sort.value}")),
                        partial(screen.set_sort, sort),
                        "",
                    )
                )
        if shop_of(self.screen).account is None:
            commands.append((t("app.command.login"), partial(app.run_action, "login"), ""))
        else:
            commands.append((t("app.command.logout"), partial(app.run_action, "logout"), ""))
        commands.append((t("app.command.quit"), partial(app.run_action, "quit"), ""))
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text or None)

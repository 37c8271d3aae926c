"""Shown instead of the shop while the terminal is smaller than it needs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.events import Resize
from textual.widgets import Static

from kstui.screens.base import KstuiModal
from kstui.settings import MIN_HEIGHT, MIN_WIDTH
from kstui.widgets.translation import translator_of


class TooSmallScreen(KstuiModal[None]):
    """Asks for a bigger terminal; the app removes it once the terminal is big enough."""

    DEFAULT_CSS = """
    TooSmallScreen {
        align: center middle;
        background: $background;
    }
    TooSmallScreen #too-small {
        width: auto;
        max-width: 100%;
        padding: 0 1;
        color: $warning;
        text-style: bold;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(
            self._message(self.app.size.width, self.app.size.height), id="too-small", markup=False
        )

    def on_resize(self, event: Resize) -> None:
        self.query_one("#too-small", Static).update(
            self._message(event.size.width, event.size.height)
        )

    def _message(self, width: int, height: int) -> str:
        t = translator_of(self)
        return t(
            "app.too_small.message",
            width=width,
            height=height,
            min_width=MIN_WIDTH,
            min_height=MIN_HEIGHT,
        )

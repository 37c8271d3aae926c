"""What every kstui screen shares: translated key descriptions and the translator."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.dom import DOMNode
from textual.screen import Screen

from kstui.widgets.translation import translate_bindings, translator_of

if TYPE_CHECKING:
    from kstui.app import KstuiApp

ResultT = TypeVar("ResultT")


def shop_of(node: DOMNode) -> KstuiApp:
    """The kstui app a widget or screen belongs to, typed."""
    return cast("KstuiApp", node.app)


class KstuiScreen(Screen[ResultT]):
    """A screen whose BINDINGS descriptions are message keys."""

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:  # noqa: A002
        super().__init__(name=name, id=id)
        self.t = translator_of(self)
        self._bindings = translate_bindings(self._bindings, self.t)

    @property
    def shop(self) -> KstuiApp:
        """The app, typed: its store, clock, settings and the logged-in account."""
        return shop_of(self)

"""What every kstui screen shares: translated key descriptions and the translator."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.await_complete import AwaitComplete
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from kstui.widgets.translation import translate_bindings, translator_of

if TYPE_CHECKING:
    from kstui.app import KstuiApp

ResultT = TypeVar("ResultT")


def shop_of(node: DOMNode) -> KstuiApp:
    """The kstui app a widget or screen belongs to, typed."""
    return cast("KstuiApp", node.app)


def dismissed_already(screen: Screen[Any]) -> bool:
    """True when `screen` is no longer the one showing: a second key that closes it (two
    presses of esc in one burst, a button and a key) must not close the screen under it,
    nor fail on an empty stack."""
    return screen.app.screen is not screen


if TYPE_CHECKING:
    _ScreenMixin = Screen[Any]
else:
    _ScreenMixin = object  # a plain mixin: Textual takes CSS and component classes from
    # the first DOM base, which must stay the real screen class (ModalScreen, …)


class ClosesOnce(_ScreenMixin):
    """A screen closed once, however many keys ask for it (every kstui screen, dialog
    and the command palette). Put it first among the bases."""

    def dismiss(self, result: Any = None) -> AwaitComplete:
        if dismissed_already(self):
            return AwaitComplete()
        return super().dismiss(result)


class KstuiModal(ClosesOnce, ModalScreen[ResultT]):
    """A dialog: closed once, however many keys ask for it."""


class KstuiScreen(ClosesOnce, Screen[ResultT]):
    """A screen whose BINDINGS descriptions are message keys; closed once, however many
    keys ask for it."""

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:  # noqa: A002
        super().__init__(name=name, id=id)
        self.t = translator_of(self)
        self._bindings = translate_bindings(self._bindings, self.t)

    @property
    def shop(self) -> KstuiApp:
        """The app, typed: its store, clock, settings and the logged-in account."""
        return shop_of(self)

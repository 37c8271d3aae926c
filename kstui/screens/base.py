"""What every kstui screen shares: translated key descriptions and the translator."""

from __future__ import annotations

from textual.screen import Screen

from kstui.widgets.translation import translate_bindings, translator_of


class KstuiScreen(Screen[None]):
    """A screen whose BINDINGS descriptions are message keys."""

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:  # noqa: A002
        super().__init__(name=name, id=id)
        self.t = translator_of(self)
        self._bindings = translate_bindings(self._bindings, self.t)

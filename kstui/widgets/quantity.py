"""A quantity picker: −/+ (or ←/→) within a lower and upper bound."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from kstui.widgets.translation import translate_own_bindings


class QuantityPicker(Widget, can_focus=True):
    """Shows `－ 3 ＋`; the value stays between 1 and `maximum` (0 when nothing can be bought)."""

    DEFAULT_CSS = """
    QuantityPicker {
        width: auto;
        height: 1;
    }
    QuantityPicker:focus {
        background: $primary 25%;
    }
    QuantityPicker:disabled {
        color: $text-disabled;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,minus", "change(-1)", "app.key.less", show=False),
        Binding("right,plus,equals_sign", "change(1)", "app.key.more", show=False),
    ]

    value: reactive[int] = reactive(1)
    maximum: reactive[int] = reactive(1)

    class Changed(Message):
        """The quantity changed."""

        def __init__(self, value: int) -> None:
            super().__init__()
            self.value = value

    def on_mount(self) -> None:
        translate_own_bindings(self)

    def validate_value(self, value: int) -> int:
        return max(min(1, self.maximum), min(value, self.maximum))

    def watch_maximum(self) -> None:
        self.value = self.validate_value(self.value)
        self.disabled = self.maximum < 1

    def watch_value(self, value: int) -> None:
        self.post_message(self.Changed(value))

    def render(self) -> Content:
        return Content(f" － {self.value} ＋ ")

    def action_change(self, step: int) -> None:
        """Add `step` to the quantity, within bounds."""
        self.value = self.validate_value(self.value + step)

    def on_click(self, event: events.Click) -> None:
        if event.x <= 3:
            self.action_change(-1)
        elif event.x >= self.size.width - 4:
            self.action_change(1)

"""A one-line row of choices, one of them chosen: sort orders, spec values, review filters."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from kstui.widgets.translation import translate_own_bindings


class ChoiceState(Enum):
    """How a choice can be picked."""

    OPEN = "open"
    """Can be picked as things are."""
    CONFLICT = "conflict"
    """Can be picked, but picking it changes another choice (shown dimmed)."""
    CLOSED = "closed"
    """Cannot be picked (struck through), e.g. sold out."""


@dataclass(frozen=True)
class Choice:
    """One chip of the row; `label` is shown literally, never as markup."""

    label: str
    state: ChoiceState = ChoiceState.OPEN


class ChoiceRow(Widget, can_focus=True):
    """Chips in a line; ←/→ (or a click) picks the previous/next pickable one.

    Args:
        choices: The chips.
        selected: The position of the chosen chip, or None.
    """

    DEFAULT_CSS = """
    ChoiceRow {
        height: 1;
        width: 1fr;
    }
    ChoiceRow > .choice-row--chip {
        background: $surface;
    }
    ChoiceRow > .choice-row--selected {
        background: $primary-muted;
        color: $text;
        text-style: bold;
    }
    ChoiceRow:focus > .choice-row--selected {
        background: $primary;
        color: $text;
    }
    ChoiceRow > .choice-row--conflict {
        color: $text-muted;
    }
    ChoiceRow > .choice-row--closed {
        color: $text-disabled;
        text-style: strike;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "choice-row--chip",
        "choice-row--selected",
        "choice-row--conflict",
        "choice-row--closed",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "app.key.previous", show=False),
        Binding("right", "move(1)", "app.key.next", show=False),
    ]

    selected: reactive[int | None] = reactive(None)
    """The chosen chip."""

    class Changed(Message):
        """A different chip was picked by the shopper."""

        def __init__(self, row: ChoiceRow, index: int) -> None:
            super().__init__()
            self.row = row
            self.index = index

        @property
        def control(self) -> ChoiceRow:
            return self.row

    def __init__(
        self,
        choices: list[Choice],
        selected: int | None = None,
        *,
        id: str | None = None,  # noqa: A002
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._choices = list(choices)
        self.set_reactive(ChoiceRow.selected, selected)
        self._spans: list[tuple[int, int]] = []

    def on_mount(self) -> None:
        translate_own_bindings(self)

    @property
    def choices(self) -> list[Choice]:
        """The chips, in order."""
        return list(self._choices)

    def set_choices(self, choices: list[Choice], selected: int | None) -> None:
        """Replace the chips (e.g. when other choices changed what can be picked)."""
        self._choices = list(choices)
        self.selected = selected
        self.refresh()

    def render(self) -> Content:
        parts: list[Content] = []
        self._spans = []
        x = 0
        for index, choice in enumerate(self._choices):
            chip = Content(f" {choice.label} ")
            if index == self.selected:
                style = "choice-row--selected"
            elif choice.state is ChoiceState.CLOSED:
                style = "choice-row--closed"
            elif choice.state is ChoiceState.CONFLICT:
                style = "choice-row--conflict"
            else:
                style = "choice-row--chip"
            parts.append(chip.stylize(self.get_visual_style(style)))
            self._spans.append((x, x + chip.cell_length))
            x += chip.cell_length + 1
        return Content(" ").join(parts)

    def action_move(self, step: int) -> None:
        """Pick the next pickable chip in direction `step`."""
        count = len(self._choices)
        if not count:
            return
        start = self.selected if self.selected is not None else (-1 if step > 0 else count)
        index = start + step
        while 0 <= index < count:
            if self._choices[index].state is not ChoiceState.CLOSED:
                self._pick(index)
                return
            index += step

    def on_click(self, event: events.Click) -> None:
        for index, (start, end) in enumerate(self._spans):
            if start <= event.x < end:
                if self._choices[index].state is not ChoiceState.CLOSED:
                    self.focus()
                    self._pick(index)
                return

    def _pick(self, index: int) -> None:
        if index != self.selected:
            self.selected = index
            self.post_message(self.Changed(self, index))

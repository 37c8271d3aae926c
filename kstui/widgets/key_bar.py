"""The bottom line of every screen: the keys that work here, always on one line.

Textual's Footer cuts off whatever does not fit; at 80 columns, in English, that would
hide the last keys. This bar shortens instead: when the line is too long it drops the
descriptions of the keys at the end first (the key letters stay), so every key stays
visible. The command-palette key sits at the right edge.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.app import RenderResult
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class _Item:
    key: str
    display: str
    description: str


class KeyBar(Widget):
    """Shows the screen's active bindings that have `show=True`, in binding order."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $panel;
    }
    KeyBar > .key-bar--key {
        color: $accent;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $foreground;
    }
    """
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, str]] = []
        self._shown: tuple[list[_Item], _Item | None] | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        # Bindings are "updated" after many unrelated changes; repaint only on a real
        # change, or the bar's repaint drags the whole screen into the next frame.
        if self.is_attached and screen is self.screen:
            shown = self.items()
            if shown != self._shown:
                self._shown = shown
                self.refresh()

    def items(self) -> tuple[list[_Item], _Item | None]:
        """The keys to show, and the command-palette key (shown at the right)."""
        seen: set[str] = set()
        items: list[_Item] = []
        palette: _Item | None = None
        for active in self.screen.active_bindings.values():
            binding = active.binding
            display = self.app.get_key_display(binding)
            if binding.action in ("command_palette", "app.command_palette"):
                palette = _Item(binding.key, display, binding.description)
                continue
            if not binding.show or not active.enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            items.append(_Item(binding.key, display, binding.description))
        return items, palette

    def render(self) -> RenderResult:
        items, palette = self.items()
        width = self.size.width
        described = [True] * len(items)
        right = _label(palette, True) if palette else ""

        def length() -> int:
            left = sum(len_cells(_label(i, d)) for i, d in zip(items, described, strict=True))
            return left + len(items) + 1 + len_cells(right)

        for index in reversed(range(len(items))):
            if length() <= width:
                break
            described[index] = False
        key_style = self.get_visual_style("key-bar--key")
        text_style = self.get_visual_style("key-bar--description")
        parts: list[Content] = []
        self._spans = []
        x = 1
        for item, with_text in zip(items, described, strict=True):
            part = _styled(item, with_text, key_style, text_style)
            self._spans.append((x, x + part.cell_length, item.key))
            x += part.cell_length + 1
            parts.append(part)
        line = Content(" ") + Content(" ").join(parts)
        if palette is not None:
            tail = _styled(palette, True, key_style, text_style)
            gap = max(1, width - line.cell_length - tail.cell_length - 1)
            self._spans.append((line.cell_length + gap, width, palette.key))
            line = line + Content(" " * gap) + tail
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return


def _label(item: _Item, with_text: bool) -> str:
    return f"{item.display} {item.description}" if with_text and item.description else item.display


def _styled(item: _Item, with_text: bool, key_style: object, text_style: object) -> Content:
    key = Content(item.display).stylize(key_style)  # type: ignore[arg-type]
    if not (with_text and item.description):
        return key
    return key + Content(" ") + Content(item.description).stylize(text_style)  # type: ignore[arg-type]


def len_cells(text: str) -> int:
    """Terminal cells taken by `text` (CJK characters take two)."""
    from rich.cells import cell_len

    return cell_len(text)

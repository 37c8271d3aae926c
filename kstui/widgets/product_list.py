"""The product list: draws only the lines on screen, asks for more rows as the cursor
nears the end of what is loaded. It never holds more than the pages it was given."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from kstui.money import format_fen
from kstui.services.catalog.listing import LOW_STOCK, ProductCard
from kstui.widgets.translation import translate_own_bindings, translator_of

ROW_HEIGHT = 2
PRICE_WIDTH = 14
MORE_WHEN_WITHIN = 20
"""Ask for the next page when the cursor is this many rows from the end of what is loaded."""


class ProductList(ScrollView, can_focus=True):
    """A virtual list of product cards, two lines each."""

    DEFAULT_CSS = """
    ProductList {
        height: 1fr;
        background: $surface;
        overflow-y: scroll;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
    }
    ProductList > .product-list--name { text-style: bold; }
    ProductList > .product-list--meta { color: $text-muted; }
    ProductList > .product-list--price { color: $primary; text-style: bold; }
    ProductList > .product-list--original { color: $text-muted; text-style: strike; }
    ProductList > .product-list--in-stock { color: $success; }
    ProductList > .product-list--low-stock { color: $warning; }
    ProductList > .product-list--sold-out { color: $error; }
    ProductList > .product-list--cursor { background: $panel; }
    ProductList:focus > .product-list--cursor { background: $primary 25%; }
    ProductList > .product-list--loading { color: $text-muted; text-style: italic; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "product-list--name",
        "product-list--meta",
        "product-list--price",
        "product-list--original",
        "product-list--in-stock",
        "product-list--low-stock",
        "product-list--sold-out",
        "product-list--cursor",
        "product-list--loading",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "app.key.open", id="open", show=False),
        Binding("up,k", "move(-1)", "app.key.up", show=False),
        Binding("down,j", "move(1)", "app.key.down", show=False),
        Binding("pageup", "page(-1)", "app.key.page_up", show=False),
        Binding("pagedown,space", "page(1)", "app.key.page_down", show=False),
        Binding("home", "jump(0)", "app.key.first", show=False),
        Binding("end", "jump(-1)", "app.key.last", show=False),
    ]

    cursor: reactive[int] = reactive(0, repaint=False)
    """The highlighted row (a move repaints only the rows it leaves and enters)."""

    class Opened(Message):
        """The shopper chose a product (Enter or a click)."""

        def __init__(self, card: ProductCard) -> None:
            super().__init__()
            self.card = card

    class MoreWanted(Message):
        """The cursor is near the end of the loaded rows and more exist."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._cards: list[ProductCard] = []
        self._exhausted = True
        self._asked_more = False
        self._cache: LRUCache[tuple[object, ...], Strip] = LRUCache(512)
        self._style_cache: dict[str, Style] | None = None

    def on_mount(self) -> None:
        translate_own_bindings(self)

    @property
    def cards(self) -> Sequence[ProductCard]:
        """The rows loaded so far."""
        return self._cards

    @property
    def highlighted(self) -> ProductCard | None:
        """The card under the cursor."""
        return self._cards[self.cursor] if 0 <= self.cursor < len(self._cards) else None

    def show(self, cards: Sequence[ProductCard], *, exhausted: bool) -> None:
        """Replace the rows (a new search) and go back to the top."""
        self._cards = list(cards)
        self._exhausted = exhausted
        self._asked_more = False
        self._cache.clear()
        self.set_reactive(ProductList.cursor, 0)
        self._resize()
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def extend(self, cards: Sequence[ProductCard], *, exhausted: bool) -> None:
        """Append the next page."""
        self._cards.extend(cards)
        self._exhausted = exhausted
        self._asked_more = False
        self._resize()
        self.refresh()

    def more_failed(self) -> None:
        """The next page could not be loaded: stop promising more."""
        self._exhausted = True
        self._asked_more = False
        self._resize()
        self.refresh()

    def _resize(self) -> None:
        """Set the scrollable height without a layout pass (the hot path of every keystroke).

        The vertical scrollbar is always shown (`overflow-y: scroll`), so a new height
        never changes the widget's geometry: updating the scrollbar and repainting the
        list is enough, and the rest of the screen is not re-rendered.
        """
        rows = len(self._cards) + (0 if self._exhausted else 1)
        size = Size(self.scrollable_content_region.width, rows * ROW_HEIGHT)
        if size != self.virtual_size:
            self.set_reactive(ProductList.virtual_size, size)
            self._scroll_update(size)

    def on_resize(self) -> None:
        self._cache.clear()
        self._resize()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
        self._style_cache = None

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_lines(old * ROW_HEIGHT, ROW_HEIGHT)
        self.refresh_lines(new * ROW_HEIGHT, ROW_HEIGHT)
        self.scroll_to_region(
            Region(0, new * ROW_HEIGHT, 1, ROW_HEIGHT), animate=False, force=True, immediate=True
        )
        near_end = new >= len(self._cards) - MORE_WHEN_WITHIN
        if near_end and not self._exhausted and not self._asked_more:
            self._asked_more = True
            self.post_message(self.MoreWanted())

    def watch_has_focus(self, has_focus: bool) -> None:
        super().watch_has_focus(has_focus)
        self._cache.clear()  # the cursor row looks different with and without focus
        self.refresh()

    def action_move(self, step: int) -> None:
        """Move the cursor by `step` rows."""
        if self._cards:
            self.cursor = max(0, min(len(self._cards) - 1, self.cursor + step))

    def action_page(self, direction: int) -> None:
        """Move the cursor by a screenful."""
        self.action_move(direction * max(1, self.scrollable_content_region.height // ROW_HEIGHT))

    def action_jump(self, row: int) -> None:
        """Go to the first row (0) or the last loaded one (-1)."""
        if self._cards:
            self.cursor = row if row >= 0 else len(self._cards) - 1

    def action_open(self) -> None:
        """Open the highlighted product."""
        if (card := self.highlighted) is not None:
            self.post_message(self.Opened(card))

    def on_click(self, event: events.Click) -> None:
        row = (event.y + int(self.scroll_offset.y)) // ROW_HEIGHT
        if 0 <= row < len(self._cards):
            self.cursor = row
            self.post_message(self.Opened(self._cards[row]))

    def render_line(self, y: int) -> Strip:
        line = y + int(self.scroll_offset.y)
        row, part = divmod(line, ROW_HEIGHT)
        width = self.scrollable_content_region.width
        if row >= len(self._cards):
            if row == len(self._cards) and part == 0 and not self._exhausted:
                text = Text(" " + translator_of(self)("catalog.loading_more"))
                text.stylize(self.get_component_rich_style("product-list--loading"))
                return self._strip(text, width, self.rich_style)
            return Strip.blank(width, self.rich_style)
        key = (row, part, width, row == self.cursor)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row_line(self._cards[row], part, width, row == self.cursor)
            self._cache[key] = strip
        return strip

    def _strip(self, text: Text, width: int, base: Style) -> Strip:
        segments = list(text.render(self.app.console, end=""))
        return Strip(Segment.apply_style(segments, base)).adjust_cell_length(width, base)

    def _render_row_line(self, card: ProductCard, part: int, width: int, current: bool) -> Strip:
        """One line of a card, built from segments directly (no Rich layout: it is hot)."""
        t = translator_of(self)
        style = self._styles()
        base = self.rich_style + (style["cursor"] if current else Style())
        left: list[tuple[str, Style]]
        if part == 0:
            left = [(" " + t.pick(card.name), style["name"])]
            right = (format_fen(card.price), style["price"])
        else:
            if card.stock <= 0:
                stock = (t("catalog.stock.sold_out"), style["sold-out"])
            elif card.stock < LOW_STOCK:
                stock = (t("catalog.stock.low", count=card.stock), style["low-stock"])
            else:
                stock = (t("catalog.stock.in_stock"), style["in-stock"])
            # Stock first: when the line is too narrow, the shop name is what gets cut.
            meta = f" · {t('catalog.sold', count=t.count(card.sales))} · {t.pick(card.shop)}"
            left = [(" ", style["meta"]), stock, (meta, style["meta"])]
            original = card.original_price
            shown = original is not None and original > card.price
            right = (format_fen(original) if shown and original else "", style["original"])
        right_width = max(cell_len(right[0]) + 1, PRICE_WIDTH)
        room = max(0, width - right_width)
        segments = _fit(left, room, base)
        segments.append(Segment(" " * (right_width - 1 - cell_len(right[0])), base))
        segments.append(Segment(right[0], base + right[1]))
        segments.append(Segment(" ", base))
        return Strip(segments).adjust_cell_length(width, base)

    def _styles(self) -> dict[str, Style]:
        if self._style_cache is None:
            names = ("name", "meta", "price", "original", "in-stock", "low-stock", "sold-out",
                     "cursor")  # fmt: skip
            # Partial styles: only what each part sets, so that the row's background
            # (plain or cursor) shows through the text.
            self._style_cache = {
                name: self.get_component_rich_style(f"product-list--{name}", partial=True)
                for name in names
            }
            self._style_cache["cursor"] = self.get_component_rich_style("product-list--cursor")
        return self._style_cache


def _fit(parts: list[tuple[str, Style]], width: int, base: Style) -> list[Segment]:
    """Segments of `parts` cut to `width` cells (with an ellipsis) and padded to it."""
    segments: list[Segment] = []
    used = 0
    for text, style in parts:
        size = cell_len(text)
        if used + size > width:
            cut = set_cell_size(text, max(0, width - used - 1)) + "…"
            segments.append(Segment(cut, base + style))
            used += cell_len(cut)
            break
        segments.append(Segment(text, base + style))
        used += size
    if used < width:
        segments.append(Segment(" " * (width - used), base))
    return segments

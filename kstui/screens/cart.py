"""购物车: lines grouped by store; tick lines, stores or all; quantities; delete; totals
with the best coupons; 去结算."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static

from kstui.money import format_fen
from kstui.screens.calls import run_update
from kstui.screens.place import PlaceScreen
from kstui.services.errors import DomainError
from kstui.services.ordering import cart
from kstui.services.ordering.cart import CartLine, CartShop, CartView
from kstui.services.ordering.checkout import Item
from kstui.store.errors import StoreError
from kstui.widgets.key_bar import KeyBar
from kstui.widgets.translation import translate_own_bindings

TICKED, UNTICKED, BLOCKED = "☑", "☐", "⊘"


class _Row(Horizontal, can_focus=True):
    """A focusable row of the cart (a store's header or a line).

    The keys that move between rows and change quantities live here, on the focused
    row, so that the scrolling list around the rows does not take them first.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "screen.move(-1)", "app.key.up", show=False),
        Binding("down", "screen.move(1)", "app.key.down", show=False),
        Binding("left,minus", "screen.quantity(-1)", "app.key.less", show=False),
        Binding("right,plus,equals_sign", "screen.quantity(1)", "ordering.key.quantity"),
    ]

    class Toggled(Message):
        """Space or a click on the tick."""

        def __init__(self, row: _Row) -> None:
            super().__init__()
            self.row = row

    def on_mount(self) -> None:
        translate_own_bindings(self)

    def on_click(self, event: events.Click) -> None:
        if event.x <= 3:
            self.post_message(self.Toggled(self))


class ShopRow(_Row):
    """A store's name and its tick."""

    def __init__(self, shop: CartShop, name: str) -> None:
        super().__init__(classes="cart-shop")
        self.shop = shop
        self._title = name

    def compose(self) -> ComposeResult:
        tick = TICKED if self.shop.selected else UNTICKED
        yield Static(Content(f" {tick} {self._title}"), classes="cart-shop-name")


class LineRow(_Row):
    """A line: tick, name and spec, price, quantity."""

    def __init__(self, line: CartLine, name: str, spec: str, note: str) -> None:
        super().__init__(classes="cart-line")
        self.line = line
        self.wanted = line.quantity
        """The quantity the shopper's presses asked for (shown at once, written after)."""
        self._title, self._spec, self._note = name, spec, note

    def show_quantity(self, quantity: int) -> None:
        """Show `quantity` as the line's, before the store has it."""
        self.wanted = quantity
        self.query_one(".cart-quantity", Static).update(Content(f"－ {quantity} ＋"))

    def compose(self) -> ComposeResult:
        line = self.line
        tick = (TICKED if line.selected else UNTICKED) if line.buyable else BLOCKED
        yield Static(Content(f"   {tick}"), classes="cart-tick")
        text = Content(self._title)
        detail = "  ".join(part for part in (self._spec, self._note) if part)
        # Not $text-muted: that is "auto 60%", which a Content style draws in full white.
        muted = Content.styled(detail, "$foreground-muted")
        yield Static(text.append("\n").append(muted), classes="cart-name")
        yield Static(Content(format_fen(line.sku.price)), classes="cart-price")
        yield Static(Content(f"－ {line.quantity} ＋"), classes="cart-quantity")


class CartScreen(PlaceScreen[None]):
    """The shopper's cart."""

    place = "cart"
    """The shop's place this screen is (the global keys switch between places)."""

    CSS_PATH = "cart.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "tick", "ordering.key.tick", id="tick"),
        Binding("x,delete", "remove", "ordering.key.remove", id="remove"),
        Binding("t", "toggle_all", "ordering.key.tick_all", id="tick-all"),
        Binding("g", "checkout", "ordering.key.checkout", id="checkout"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: CartView | None = None
        self._pending: dict[int, int] = {}
        """Line id → the quantity still to write (the newest press wins)."""
        self._writing: set[int] = set()
        """Lines with a quantity write in flight (one at a time per line)."""

    def compose(self) -> ComposeResult:
        yield Static(self.t("ordering.cart.title"), id="cart-title", markup=False)
        yield VerticalScroll(id="cart-lines")
        with Horizontal(id="cart-bar"):
            yield Static("", id="cart-all")
            yield Static("", id="cart-total")
            yield Button(
                self.t("ordering.cart.checkout"), id="go-checkout", variant="primary", compact=True
            )
        yield KeyBar()

    def on_mount(self) -> None:
        super().on_mount()
        self.load()

    def on_screen_resume(self) -> None:
        if self.view is not None:  # back from checkout: lines may have been bought
            self.load()

    def load(self, focus_line: int | None = None) -> None:
        """Read the cart again and show it."""
        store, token, clock = self.shop.store, self.token, self.shop.clock
        self.run_call(
            lambda: cart.view_cart(store, token, clock=clock),
            lambda view: run_update(self, lambda: self._show(view, focus_line), group="cart-show"),
            group="cart",
        )

    async def _show(self, view: CartView, focus_line: int | None) -> None:
        t = self.t
        focused = self.focused
        if focus_line is None and isinstance(focused, LineRow):
            focus_line = focused.line.id
        focus_shop = focused.shop.shop_id if isinstance(focused, ShopRow) else None
        self.view = view
        rows: list[_Row | Static] = []
        for shop in view.shops:
            rows.append(ShopRow(shop, t.pick(shop.name)))
            for line in shop.lines:
                note = ""
                if line.sku.stock == 0:
                    note = t("ordering.cart.sold_out")
                elif line.quantity > line.sku.stock:
                    note = t("ordering.cart.only_left", left=line.sku.stock)
                rows.append(LineRow(line, t.pick(line.sku.name), t.pick(line.sku.spec), note))
        if not rows:
            rows.append(Static(t("ordering.cart.empty"), id="cart-empty", markup=False))
        box = self.query_one("#cart-lines", VerticalScroll)
        await box.remove_children()
        await box.mount_all(rows)
        target = next(
            (
                r
                for r in rows
                if (isinstance(r, LineRow) and r.line.id == focus_line)
                or (isinstance(r, ShopRow) and r.shop.shop_id == focus_shop)
            ),
            next((r for r in rows if isinstance(r, _Row)), None),
        )
        if target is not None:
            target.focus()
        self._show_totals(view)

    def _show_totals(self, view: CartView) -> None:
        t = self.t
        tick = TICKED if view.all_selected else UNTICKED
        self.query_one("#cart-all", Static).update(Content(f" {tick} {t('ordering.cart.all')}"))
        total = view.goods_total - view.discount
        text = Content.from_markup(
            "$label[$primary bold]$total[/]",
            label=t("ordering.cart.total"),
            total=format_fen(total),
        )
        if view.discount:
            text = text.append(Content(t("ordering.cart.saved", amount=format_fen(view.discount))))
        self.query_one("#cart-total", Static).update(text)
        button = self.query_one("#go-checkout", Button)
        button.label = (
            t("ordering.cart.checkout_count", count=view.count)
            if view.count
            else t("ordering.cart.checkout")
        )
        button.refresh(layout=True)  # a Button's label does not resize it by itself
        button.disabled = not view.chosen

    # -- actions ---------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        """Up/down between the rows."""
        rows = list(self.query(_Row))
        if not rows:
            return
        current = self.focused
        index = rows.index(current) if isinstance(current, _Row) and current in rows else -1
        rows[max(0, min(len(rows) - 1, index + step))].focus()

    @on(_Row.Toggled)
    def _clicked(self, event: _Row.Toggled) -> None:
        event.row.focus()
        self.action_tick()

    def action_tick(self) -> None:
        """Tick or untick the focused line, or the whole store of a store's row."""
        focused = self.focused
        if isinstance(focused, LineRow):
            if focused.line.buyable:
                self._select([focused.line.id], not focused.line.selected)
        elif isinstance(focused, ShopRow):
            ids = [line.id for line in focused.shop.lines if line.buyable]
            self._select(ids, not focused.shop.selected)

    def action_toggle_all(self) -> None:
        """Tick everything, or untick everything if all is ticked."""
        if self.view is not None:
            self._select(None, not self.view.all_selected)

    def _select(self, ids: list[int] | None, selected: bool) -> None:
        store, token, clock = self.shop.store, self.token, self.shop.clock
        self.run_call(
            lambda: cart.select_lines(store, token, ids, selected, clock=clock),
            lambda _: self.load(),
            group="cart-write",
        )

    def action_quantity(self, step: int) -> None:
        """One more or one less of the focused line. Every press counts: the new quantity
        shows at once and the writes are coalesced (one in flight per line, then the
        newest wanted), bounded by the stock and the per-order limit."""
        focused = self.focused
        if not isinstance(focused, LineRow):
            return
        line = focused.line
        quantity = focused.wanted + step
        if step > 0:
            # Fewer is always fine, even above the stock; more only up to what one may buy.
            quantity = min(quantity, max(line.sku.max_quantity, focused.wanted))
        if quantity < 1 or quantity == focused.wanted:
            return
        focused.show_quantity(quantity)
        self._pending[line.id] = quantity
        self._write_quantity(line.id)

    def _write_quantity(self, line_id: int) -> None:
        if line_id in self._writing or line_id not in self._pending:
            return
        quantity = self._pending.pop(line_id)
        self._writing.add(line_id)
        store, token, clock = self.shop.store, self.token, self.shop.clock

        def failed(_error: DomainError | StoreError) -> bool:
            self._pending.pop(line_id, None)
            self._writing.discard(line_id)
            self.load(line_id)  # what the store has, with the reason in a notification
            return False

        self.run_call(
            lambda: cart.set_quantity(store, token, line_id, quantity, clock=clock),
            lambda _: self._quantity_written(line_id),
            group=f"cart-quantity-{line_id}",
            exclusive=False,
            on_error=failed,
        )

    def _quantity_written(self, line_id: int) -> None:
        self._writing.discard(line_id)
        if line_id in self._pending:
            self._write_quantity(line_id)  # pressed again meanwhile: the newest value
        else:
            self.load(line_id)

    def action_remove(self) -> None:
        """Delete the focused line."""
        focused = self.focused
        if not isinstance(focused, LineRow):
            return
        line_id = focused.line.id
        store, token, clock = self.shop.store, self.token, self.shop.clock
        self.run_call(
            lambda: cart.remove_lines(store, token, [line_id], clock=clock),
            lambda _: self._removed(),
            group="cart-write",
        )

    def _removed(self) -> None:
        self.notify(self.t("ordering.cart.removed"), markup=False)
        self.load()

    @on(Button.Pressed, "#go-checkout")
    def action_checkout(self) -> None:
        """去结算 with the ticked lines."""
        if self.view is None or not self.view.chosen:
            self.notify(self.t("ordering.error.nothing_to_buy"), severity="warning", markup=False)
            return
        from kstui.screens.checkout import CheckoutScreen

        items = tuple(Item(line.sku.sku_id, line.quantity) for line in self.view.chosen)
        self.app.push_screen(CheckoutScreen(items, from_cart=True))

"""首页: the catalogue — categories, search, sort, filters and the product list."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Click, Key
from textual.reactive import var
from textual.widgets import Button, Checkbox, Input, Static, Tree
from textual.worker import get_current_worker

from kstui.money import format_fen_short
from kstui.screens.base import KstuiScreen
from kstui.services.accounts.records import AccountInfo
from kstui.services.catalog.listing import (
    BrandOption,
    CatalogQuery,
    CategoryNode,
    Cursor,
    Page,
    Sort,
    brand_options,
    category_tree,
    count_products,
    search_products,
)
from kstui.services.catalog.search_query import MAX_QUERY_CHARS
from kstui.services.errors import DomainError
from kstui.store.errors import ReadCancelled, StoreError
from kstui.store.interface import ReadGroup, Store
from kstui.widgets.category_tree import CategoryTree
from kstui.widgets.choice_row import Choice, ChoiceRow
from kstui.widgets.key_bar import KeyBar
from kstui.widgets.product_list import ProductList

SORTS = (Sort.OVERALL, Sort.SALES, Sort.PRICE_ASC, Sort.PRICE_DESC, Sort.NEWEST)
COUNT_CAP = 10_000


@dataclass(frozen=True)
class _Results:
    generation: int
    query: CatalogQuery


class CatalogScreen(KstuiScreen[None]):
    """The shop's front page."""

    CSS_PATH = "catalog.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "filters", "app.key.filters", id="filters", show=False),
        Binding("x", "clear", "app.key.clear", id="clear", show=False),
    ]

    query_state: var[CatalogQuery] = var(CatalogQuery, init=False)
    """What the list shows; every change runs a search (a `var`: no repaint of the screen)."""

    def __init__(self) -> None:
        super().__init__()
        self._generation = 0
        self._next_cursor: Cursor | None = None
        self._brands: list[BrandOption] = []
        self._total: int | None = None
        self.last_results_drawn: _Results | None = None
        """The newest search whose results are on screen (for tests and benchmarks)."""

    @property
    def store(self) -> Store:
        store: Store = self.shop.store
        return store

    @cached_property
    def _searches(self) -> ReadGroup:
        """The searches of the search box: a keystroke cancels the one before."""
        return self.store.read_group()

    def compose(self) -> ComposeResult:
        t = self.t
        with Horizontal(id="topbar"):
            yield Static(t("app.brand"), id="brand", markup=False)
            yield Input(
                placeholder=t("catalog.search_placeholder"),
                max_length=MAX_QUERY_CHARS,
                id="search",
                compact=True,
            )
            yield Static(t("catalog.guest"), id="who", markup=False)
        with Horizontal(id="sortbar"):
            yield Static(t("catalog.sort"), id="sort-label", markup=False)
            yield ChoiceRow([Choice(t(f"catalog.sort.{s.value}")) for s in SORTS], 0, id="sort")
            yield Checkbox(t("catalog.in_stock"), id="in-stock", compact=True)
            yield Button(t("catalog.filters_button"), id="filters-button", compact=True)
        # A grid straight on the screen, no nested containers: every container behind the
        # list is repainted with it, at every keystroke.
        with Vertical(id="sidebar"):  # its own clip: list repaints leave the tree alone
            yield CategoryTree(id="categories")
        yield Static("", id="summary", markup=False)
        yield ProductList(id="products")
        yield Static("", id="empty", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#search", Input).cursor_blink = self.shop.settings.animations
        self.watch(self.shop, "account", self._show_who)
        self.query_one(ProductList).focus()
        self.query_one("#empty").display = False
        self._load_reference_data()
        self._start_search(self.query_state)

    def _show_who(self, account: AccountInfo | None) -> None:
        who = self.query_one("#who", Static)
        who.update(Content(account.nickname if account else self.t("catalog.guest")))

    def on_click(self, event: Click) -> None:
        if event.widget is not None and event.widget.id == "who":
            self.shop.action_place("account")

    # -- public ----------------------------------------------------------------------------

    def focus_search(self) -> None:
        """Put the cursor in the search box."""
        self.query_one("#search", Input).focus()

    # -- reference data --------------------------------------------------------------------

    @work(thread=True, group="reference")
    def _load_reference_data(self) -> None:
        try:
            with self.store.reading() as conn:
                categories = category_tree(conn)
                brands = brand_options(conn)
        except StoreError:
            self.app.call_from_thread(self._show_failure)
            return
        self.app.call_from_thread(self._show_reference_data, categories, brands)

    def _show_reference_data(
        self, categories: list[CategoryNode], brands: list[BrandOption]
    ) -> None:
        self._brands = brands
        self.query_one(CategoryTree).fill(categories, self.t)

    def _show_failure(self) -> None:
        self.notify(self.t("app.error.unexpected"), severity="error", markup=False)

    # -- searching -------------------------------------------------------------------------

    def watch_query_state(self, query: CatalogQuery) -> None:
        self._start_search(query)

    def _start_search(self, query: CatalogQuery) -> None:
        self._generation += 1
        self._next_cursor = None  # the old list's position means nothing to the new one
        self._searches.cancel()
        self._search(query, self._generation)

    @work(thread=True, exclusive=True, group="search")
    def _search(self, query: CatalogQuery, generation: int) -> None:
        page_size = self.shop.settings.page_size
        try:
            with self._searches.reading() as conn:
                page = search_products(conn, query, limit=page_size)
        except ReadCancelled:
            return  # a newer keystroke took over
        except (DomainError, StoreError) as error:
            self.app.call_from_thread(self._show_error, generation, error)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_first_page, generation, query, page)

    def _show_first_page(self, generation: int, query: CatalogQuery, page: Page) -> None:
        if generation != self._generation:
            return
        self._next_cursor = page.next_cursor
        self._total = len(page.cards) if page.next_cursor is None else None
        products = self.query_one(ProductList)
        products.show(page.cards, exhausted=page.next_cursor is None)
        empty = not page.cards
        empty_message = self.query_one("#empty", Static)
        if products.display == empty:  # only switch when needed: it costs a layout pass
            products.display = not empty
            empty_message.display = empty
        if empty:
            empty_message.update(Content("\n".join(self._empty_hints(query))))
        self._update_summary()
        self.call_after_refresh(self._drawn, _Results(generation, query), page.next_cursor)

    def _empty_hints(self, query: CatalogQuery) -> list[str]:
        lines = [self.t("catalog.empty")]
        if query.text.strip():
            lines.append(self.t("catalog.empty_hint"))
        if query.has_filters_besides_text:
            lines.append(self.t("catalog.empty_hint_filters"))
        return lines

    def _drawn(self, results: _Results, more: Cursor | None) -> None:
        """The first page is on screen: only now count the rest (off the critical path)."""
        self.last_results_drawn = results
        if more is not None and results.generation == self._generation:
            self._count(results.query, results.generation)

    def _show_error(self, generation: int, error: DomainError | StoreError) -> None:
        if generation != self._generation:
            return
        if isinstance(error, DomainError):
            message = self.t(error.message_key, **error.params)
        else:
            message = self.t("app.error.unexpected")
        self.notify(message, severity="error", markup=False)

    @work(thread=True, exclusive=True, group="count")
    def _count(self, query: CatalogQuery, generation: int) -> None:
        try:
            with self._searches.reading() as conn:
                total = count_products(conn, query, cap=COUNT_CAP)
        except (DomainError, StoreError):
            return  # the count is a courtesy: the list is there already
        self.app.call_from_thread(self._show_total, generation, total)

    def _show_total(self, generation: int, total: int) -> None:
        if generation == self._generation:
            self._total = total
            self._update_summary()

    @on(ProductList.MoreWanted)
    def _more_wanted(self) -> None:
        if self._next_cursor is not None:
            self._load_more(self.query_state, self._next_cursor, self._generation)

    @work(thread=True, exclusive=True, group="more")
    def _load_more(self, query: CatalogQuery, cursor: Cursor, generation: int) -> None:
        page_size = self.shop.settings.page_size
        try:
            with self.store.reading() as conn:
                page = search_products(conn, query, after=cursor, limit=page_size)
        except (DomainError, StoreError) as error:
            self.app.call_from_thread(self._more_failed, generation, error)
            return
        self.app.call_from_thread(self._show_more, generation, page)

    def _show_more(self, generation: int, page: Page) -> None:
        if generation != self._generation:
            return
        self._next_cursor = page.next_cursor
        self.query_one(ProductList).extend(page.cards, exhausted=page.next_cursor is None)

    def _more_failed(self, generation: int, error: DomainError | StoreError) -> None:
        if generation == self._generation:
            self.query_one(ProductList).more_failed()
            self._show_error(generation, error)

    def _update_summary(self) -> None:
        t, query = self.t, self.query_state
        parts: list[str] = []
        if self._total is not None:
            count = (
                t("catalog.count_over", count=t.count(COUNT_CAP))
                if self._total > COUNT_CAP
                else t("catalog.count", count=self._total)
            )
            parts.append(count)
        if query.min_price is not None or query.max_price is not None:
            low = format_fen_short(query.min_price) if query.min_price is not None else ""
            high = format_fen_short(query.max_price) if query.max_price is not None else ""
            parts.append(t("catalog.chip_price", low=low, high=high))
        if query.brand_ids:
            parts.append(t("catalog.chip_brands", count=len(query.brand_ids)))
        if query.in_stock:
            parts.append(t("catalog.chip_in_stock"))
        if query.has_filters:
            parts.append(t("catalog.chip_clear"))
        summary = Content(" · ".join(parts))
        widget = self.query_one("#summary", Static)
        if widget.visual != summary:  # fixed size: no layout pass needed
            widget.update(summary, layout=False)

    # -- controls --------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.query_state = self.query_state.with_(text=event.value)

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.query_one(ProductList).focus()

    def on_key(self, event: Key) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus and event.key in ("escape", "down"):
            event.stop()
            event.prevent_default()
            self.query_one(ProductList).focus()

    @on(ChoiceRow.Changed, "#sort")
    def _sort_changed(self, event: ChoiceRow.Changed) -> None:
        self.query_state = self.query_state.with_(sort=SORTS[event.index])

    @on(Checkbox.Changed, "#in-stock")
    def _in_stock_changed(self, event: Checkbox.Changed) -> None:
        self.query_state = self.query_state.with_(in_stock=event.value)

    @on(Tree.NodeSelected, "#categories")
    def _category_selected(self, event: Tree.NodeSelected[int | None]) -> None:
        self.query_state = self.query_state.with_(category_id=event.node.data)

    @on(Button.Pressed, "#filters-button")
    def _filters_pressed(self) -> None:
        self.action_filters()

    @on(ProductList.Opened)
    def _open_product(self, event: ProductList.Opened) -> None:
        from kstui.screens.product import ProductScreen

        self.app.push_screen(ProductScreen(event.card.id))

    def action_filters(self) -> None:
        """Open the filter panel (price range, brands)."""
        from kstui.screens.filters import FilterChoice, FilterScreen  # not needed at start

        query = self.query_state
        current = FilterChoice(query.min_price, query.max_price, query.brand_ids)

        def apply(choice: FilterChoice | None) -> None:
            if choice is not None:
                self.query_state = self.query_state.with_(
                    min_price=choice.min_price,
                    max_price=choice.max_price,
                    brand_ids=choice.brand_ids,
                )

        self.app.push_screen(FilterScreen(current, self._brands), apply)

    def action_clear(self) -> None:
        """Remove the keyword and every filter (the sort stays)."""
        self.query_one("#search", Input).value = ""
        self.query_one("#in-stock", Checkbox).value = False
        tree = self.query_one(CategoryTree)
        tree.move_cursor(tree.root)
        self.query_state = self.query_state.cleared()

    def set_sort(self, sort: Sort) -> None:
        """Sort the list (used by the command palette)."""
        self.query_one("#sort", ChoiceRow).selected = SORTS.index(sort)
        self.query_state = self.query_state.with_(sort=sort)

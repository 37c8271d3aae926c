"""Snapshots of every screen: fixed sizes, the frozen clock, the small test seed.

Update with `pytest tests/ui/catalog/test_catalog_snapshots.py --snapshot-update`, then open
snapshot_report.html and look at every changed screen before committing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input

from kstui.app import KstuiApp
from kstui.screens.catalog import CatalogScreen
from kstui.screens.product import ProductScreen
from kstui.widgets.choice_row import ChoiceRow
from tests.ui.helpers import SMALL_TERMINAL, TERMINAL_SIZE, product_loaded, results_for

MakeApp = Callable[..., KstuiApp]
Snap = Callable[..., bool]
DRESS, EARBUDS = 1, 3


async def _catalogue_ready(pilot: Pilot[None]) -> None:
    await results_for(pilot)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [TERMINAL_SIZE, SMALL_TERMINAL], ids=["120x40", "80x24"])
def test_catalogue(snap_compare: Snap, make_app: MakeApp, lang: str, size: tuple[int, int]) -> None:
    """You should see the catalogue: category tree, search box, sort bar, the product list."""
    assert snap_compare(make_app(lang), terminal_size=size, run_before=_catalogue_ready)


def test_catalogue_filtered(snap_compare: Snap, make_app: MakeApp) -> None:
    """You should see 服装 chosen in the tree, in-stock only, sorted by price ↑, 4 products."""

    async def run_before(pilot: Pilot[None]) -> None:
        await results_for(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, CatalogScreen)
        tree = screen.query_one("#categories")
        tree.focus()
        await pilot.press("down", "enter")
        screen.query_one("#in-stock", Checkbox).value = True
        screen.query_one("#sort", ChoiceRow).focus()
        await pilot.press("right", "right")
        await results_for(pilot)

    assert snap_compare(make_app(), terminal_size=TERMINAL_SIZE, run_before=run_before)


def test_catalogue_search_pinyin(snap_compare: Snap, make_app: MakeApp) -> None:
    """You should see `erji` in the search box and the three earphones found by pinyin."""

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("slash", *"erji", "enter")
        await results_for(pilot, "erji")

    assert snap_compare(make_app(), terminal_size=SMALL_TERMINAL, run_before=run_before)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_catalogue_empty(snap_compare: Snap, make_app: MakeApp, lang: str) -> None:
    """You should see "no products found" with the hint to clear the filters (x)."""

    async def run_before(pilot: Pilot[None]) -> None:
        await results_for(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, CatalogScreen)
        screen.query_one("#in-stock", Checkbox).value = True
        screen.query_one("#search", Input).value = "zzzz"
        await results_for(pilot, "zzzz")
        screen.query_one("ProductList").focus()

    assert snap_compare(make_app(lang), terminal_size=SMALL_TERMINAL, run_before=run_before)


def test_filter_panel(snap_compare: Snap, make_app: MakeApp) -> None:
    """You should see the filter panel: price range inputs and the brand list, one ticked."""

    async def run_before(pilot: Pilot[None]) -> None:
        await results_for(pilot)
        await pilot.press("f", *"50", "tab", *"300")
        pilot.app.screen.query_one("#brand-list").focus()
        await pilot.press("down", "space")

    assert snap_compare(make_app(), terminal_size=TERMINAL_SIZE, run_before=run_before)


def test_filter_panel_error(snap_compare: Snap, make_app: MakeApp) -> None:
    """You should see the filter panel refusing a reversed range, with the reason in red."""

    async def run_before(pilot: Pilot[None]) -> None:
        await results_for(pilot)
        await pilot.press("f", *"300", "tab", *"100", "enter")

    assert snap_compare(make_app(), terminal_size=SMALL_TERMINAL, run_before=run_before)


def _open(product_id: int, *, scroll_to_reviews: bool = False) -> Callable[..., object]:
    async def run_before(pilot: Pilot[None]) -> None:
        await results_for(pilot)
        await pilot.app.push_screen(ProductScreen(product_id))
        page = await product_loaded(pilot)
        if scroll_to_reviews:
            page.query_one("#review-filter").focus()
            page.query_one("#rating").scroll_visible(top=True, animate=False, immediate=True)
            await pilot.pause()

    return run_before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_product_page(snap_compare: Snap, make_app: MakeApp, lang: str) -> None:
    """You should see the dress: picture, price ¥129 struck ¥159, promotions, coupon, 颜色 ×
    尺码 with M dimmed, quantity, shop, freight, returns, buttons."""
    assert snap_compare(make_app(lang), terminal_size=TERMINAL_SIZE, run_before=_open(DRESS))


def test_product_page_small(snap_compare: Snap, make_app: MakeApp) -> None:
    """You should see the dress page fitting 80×24 up to the two buttons."""
    assert snap_compare(make_app(), terminal_size=SMALL_TERMINAL, run_before=_open(DRESS))


def test_product_out_of_stock_sku(snap_compare: Snap, make_app: MakeApp) -> None:
    """You should see the earbuds with 珍珠白 struck through: that SKU is sold out."""
    assert snap_compare(make_app(), terminal_size=TERMINAL_SIZE, run_before=_open(EARBUDS))


def test_product_reviews(snap_compare: Snap, make_app: MakeApp) -> None:
    """You should see the rating summary, the 全部/有图 filter and reviews with photos; the
    review `[b]真的好看[/b] 回购 [/]` is shown literally."""
    assert snap_compare(
        make_app(), terminal_size=TERMINAL_SIZE, run_before=_open(DRESS, scroll_to_reviews=True)
    )


def test_coming_soon(snap_compare: Snap, make_app: MakeApp) -> None:
    """You should see the customer-service placeholder saying it opens soon, with Esc and h
    hints."""

    async def run_before(pilot: Pilot[None]) -> None:
        await results_for(pilot)
        await pilot.press("s")

    app = make_app(phone="13800138000")
    assert snap_compare(app, terminal_size=SMALL_TERMINAL, run_before=run_before)


def test_too_small(snap_compare: Snap, make_app: MakeApp) -> None:
    """You should see a request for a terminal of at least 80×24 (this one is 60×20)."""
    assert snap_compare(make_app(), terminal_size=(60, 20))


def test_command_palette(snap_compare: Snap, make_app: MakeApp) -> None:
    """You should see the command palette listing places and actions in Chinese."""

    async def run_before(pilot: Pilot[None]) -> None:
        await results_for(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)

    assert snap_compare(make_app(), terminal_size=TERMINAL_SIZE, run_before=run_before)

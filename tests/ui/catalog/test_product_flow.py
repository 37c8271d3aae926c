"""Pilot tests of the product page: specs change price and stock, quantity, reviews, buttons."""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen
from textual.widgets import Button, Static

from kstui.app import KstuiApp
from kstui.screens.login import LoginScreen
from kstui.screens.product import ProductScreen
from kstui.widgets.choice_row import ChoiceRow, ChoiceState
from kstui.widgets.quantity import QuantityPicker
from tests.ui.helpers import TERMINAL_SIZE, product_loaded

MakeApp = Callable[..., KstuiApp]
DRESS, EARBUDS, HEADPHONES = 1, 3, 4


async def open_product(app: KstuiApp, pilot: object, product_id: int) -> ProductScreen:
    await app.push_screen(ProductScreen(product_id))
    return await product_loaded(pilot)  # type: ignore[arg-type]


def text(screen: Screen[object], selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_changing_specs_changes_price_and_stock(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        page = await open_product(app, pilot, DRESS)
        assert page.selection == (0, 0)  # 玫红 / S, the cheapest in stock
        assert "¥129.00" in text(page, "#price")
        assert "¥159.00" in text(page, "#price")  # the original price, struck
        assert "仅剩5件" in text(page, "#stock")
        size = page.query_one("#spec-1", ChoiceRow)
        assert [c.state for c in size.choices] == [
            ChoiceState.OPEN,
            ChoiceState.CONFLICT,  # M is sold out in 玫红, in stock in other colours
            ChoiceState.OPEN,
        ]
        size.focus()
        await pilot.press("right")  # M: the colour moves to one that has M in stock
        assert page.selection == (1, 1)
        assert "¥129.00" in text(page, "#price")
        assert "库存 12 件" in text(page, "#stock")
        await pilot.press("right")  # L exists only in 玫红
        assert page.selection == (0, 2)
        assert "¥139.00" in text(page, "#price")
        assert "仅剩2件" in text(page, "#stock")
        colour = page.query_one("#spec-0", ChoiceRow)
        assert colour.selected == 0


async def test_unavailable_combination_cannot_be_chosen(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        page = await open_product(app, pilot, EARBUDS)
        colour = page.query_one("#spec-0", ChoiceRow)
        assert [c.state for c in colour.choices] == [ChoiceState.OPEN, ChoiceState.CLOSED]
        colour.focus()
        await pilot.press("right")
        assert page.selection == (0,)
        await pilot.click("#spec-0", offset=(8, 0))  # on 珍珠白
        assert page.selection == (0,)
        assert "库存 50 件" in text(page, "#stock")


async def test_quantity_is_bounded_by_stock_and_order_limit(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        page = await open_product(app, pilot, DRESS)
        picker = page.query_one(QuantityPicker)
        picker.focus()
        await pilot.press(*["right"] * 10)
        assert picker.value == 5  # stock 5, limit 5
        page.query_one("#spec-1", ChoiceRow).focus()
        await pilot.press("right")  # 藏青 / M: 12 left, still at most 5 per order
        assert picker.value == 5
        await pilot.press("right")  # 玫红 / L: 2 left
        assert picker.value == 2
        picker.focus()
        await pilot.press(*["left"] * 5)
        assert picker.value == 1
        assert "每单限购 5 件" in text(page, "#stock")


async def test_sold_out_product_cannot_be_bought(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        page = await open_product(app, pilot, HEADPHONES)
        assert "已售罄" in text(page, "#stock")
        assert page.query_one("#add-to-cart", Button).disabled
        assert page.query_one("#buy-now", Button).disabled
        assert page.query_one(QuantityPicker).disabled


async def test_buying_without_an_account_asks_to_log_in(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await open_product(app, pilot, DRESS)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert "登录后才能加入购物车" in text(app.screen, "#login-reason")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#buy-now")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert "登录后才能购买" in text(app.screen, "#login-reason")


async def test_reviews_with_photos_filter_and_literal_markup(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        page = await open_product(app, pilot, DRESS)
        reviews = page.query(".review")
        assert len(reviews) == 4
        texts = [str(s.render()) for s in page.query(".review-text").results(Static)]
        assert "[b]真的好看[/b] 回购 [/]" in texts
        assert "好评率 75%" in text(page, "#rating")
        review_filter = page.query_one("#review-filter", ChoiceRow)
        review_filter.focus()
        await pilot.press("right")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(page.query(".review")) == 2
        assert len(page.query(".review-photo")) == 3


async def test_product_page_in_english(make_app: MakeApp) -> None:
    app = make_app("en")
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        page = await open_product(app, pilot, DRESS)
        assert "French Floral Chiffon Midi Dress" in text(page, "#title")
        assert "Only 5 left" in text(page, "#stock")
        assert "Hangzhou, Zhejiang" in text(page, "#shop")
        assert "7-day no-reason returns" in text(page, "#policy")


async def test_unknown_product_is_explained(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await app.push_screen(ProductScreen(999))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "商品不存在或已下架" in str(app.screen.query_one("#loading", Static).render())


async def test_palette_offers_the_product_page_actions(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        page = await open_product(app, pilot, DRESS)
        await pilot.press("ctrl+p")
        await pilot.press(*"有图")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert page.query_one("#review-filter", ChoiceRow).selected == 1
        assert len(page.query(".review")) == 2


async def test_reviews_of_a_replaced_filter_are_dropped(make_app: MakeApp) -> None:
    from kstui.services.catalog.products import ReviewPage

    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        page = await open_product(app, pilot, DRESS)
        stale = page._review_generation
        page.action_reviews(with_photos=True)
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = len(page.query(".review"))
        await page._add_reviews(ReviewPage([], False), {}, False, stale)  # a late, old load
        assert len(page.query(".review")) == shown


async def test_a_broken_picture_shows_nothing_instead_of_crashing(make_app: MakeApp) -> None:
    from kstui.widgets.picture import Picture

    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await open_product(app, pilot, DRESS)
        broken = Picture(b"\x89PNG\r\n\x1a\nnot really")
        await app.screen.mount(broken)
        await pilot.pause()
        assert app.is_running
        assert broken.render() == ""

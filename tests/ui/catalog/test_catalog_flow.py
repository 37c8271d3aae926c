"""Pilot tests of the catalogue: search as you type, sort, categories, filters, paging."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import Checkbox, Input, Static

from kstui.app import KstuiApp
from kstui.providers.clock import FrozenClock
from kstui.screens.account import AccountScreen
from kstui.screens.cart import CartScreen
from kstui.screens.catalog import CatalogScreen
from kstui.screens.coming_soon import ComingSoonScreen
from kstui.screens.coupons import CouponsScreen
from kstui.screens.filters import FilterScreen
from kstui.screens.login import LoginScreen
from kstui.screens.orders import OrdersScreen
from kstui.screens.product import ProductScreen
from kstui.screens.too_small import TooSmallScreen
from kstui.screens.wallet import WalletScreen
from kstui.services.accounts.auth import account_for_token
from kstui.services.catalog.listing import Sort
from kstui.store.interface import Store
from kstui.widgets.choice_row import ChoiceRow
from kstui.widgets.product_list import ProductList
from tests.ui.helpers import TERMINAL_SIZE, product_loaded, results_for

MakeApp = Callable[..., KstuiApp]
BUYER = "13800138000"


def names(app: KstuiApp) -> list[str]:
    """The Chinese names of the products the list holds, in order."""
    return [card.name.zh for card in app.screen.query_one(ProductList).cards]


def shown_lines(app: KstuiApp) -> list[str]:
    """The text of the product list's visible lines, as drawn."""
    products = app.screen.query_one(ProductList)
    return [products.render_line(y).text for y in range(products.size.height)]


async def test_typing_in_search_box_filters_the_list(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await results_for(pilot)
        assert len(names(app)) == 12
        await pilot.press("slash")
        assert app.screen.query_one("#search", Input).has_focus
        await pilot.press("裙")
        await results_for(pilot, "裙")
        assert set(names(app)) == {
            "法式碎花雪纺连衣裙女夏季中长款",
            "百褶半身裙女高腰A字裙",
            "碎花短裙夏季",
        }
        await pilot.press("backspace", "l", "y", "q")
        await results_for(pilot, "lyq")
        assert names(app) == ["法式碎花雪纺连衣裙女夏季中长款"]
        summary = app.screen.query_one("#summary", Static)
        assert "共 1 件商品" in str(summary.render())


async def test_pinyin_typed_key_by_key_narrows_results(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await pilot.press("slash", *"erji")
        await results_for(pilot, "erji")
        assert all("耳机" in name for name in names(app))
        assert len(names(app)) == 3


async def test_no_results_says_so_and_suggests_clearing(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await pilot.press("slash", *"zzzz")
        await results_for(pilot, "zzzz")
        empty = app.screen.query_one("#empty", Static)
        assert empty.display
        assert not app.screen.query_one(ProductList).display
        assert "没有找到相关商品" in str(empty.render())
        assert "清除" in str(empty.render())
        await pilot.press("escape", "x")
        await results_for(pilot, "")
        assert len(names(app)) == 12
        assert app.screen.query_one(ProductList).display


async def test_sort_by_price_both_ways_and_sales(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await results_for(pilot)
        sort = app.screen.query_one("#sort", ChoiceRow)
        sort.focus()
        await pilot.press("right", "right")  # 综合 → 销量 → 价格↑
        await results_for(pilot)
        screen = app.screen
        assert isinstance(screen, CatalogScreen)
        assert screen.query_state.sort is Sort.PRICE_ASC
        prices = [c.price for c in screen.query_one(ProductList).cards]
        assert prices == sorted(prices)
        await pilot.press("right")
        await results_for(pilot)
        prices = [c.price for c in screen.query_one(ProductList).cards]
        assert prices == sorted(prices, reverse=True)
        await pilot.press("left", "left")
        await results_for(pilot)
        sales = [c.sales for c in screen.query_one(ProductList).cards]
        assert sales == sorted(sales, reverse=True)


async def test_category_tree_and_in_stock_filter(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await results_for(pilot)
        tree = app.screen.query_one("#categories")
        tree.focus()
        await pilot.press("down", "enter")  # 服装
        await results_for(pilot)
        assert len(names(app)) == 5
        assert "纯棉短袖T恤女宽松" in names(app)
        app.screen.query_one("#in-stock", Checkbox).value = True
        await results_for(pilot)
        assert "纯棉短袖T恤女宽松" not in names(app)  # sold out
        assert len(names(app)) == 4


async def test_filter_panel_price_and_brands(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await results_for(pilot)
        await pilot.press("f")
        assert isinstance(app.screen, FilterScreen)
        await pilot.press(*"300", "tab", *"100")
        await pilot.press("enter")
        assert isinstance(app.screen, FilterScreen), "a reversed range must not be applied"
        assert "最低价不能高于最高价" in str(app.screen.query_one("#price-error", Static).render())
        app.screen.query_one("#max-price", Input).value = "1000"
        brands = app.screen.query_one("#brand-list")
        brands.focus()
        await pilot.press("space")  # the first brand by Latin name: Aurora 极光
        await pilot.click("#apply")
        await results_for(pilot)
        screen = app.screen
        assert isinstance(screen, CatalogScreen)
        assert screen.query_state.min_price == 30000
        assert screen.query_state.max_price == 100000
        assert names(app) == []  # Aurora sells nothing above ¥300
        await pilot.press("f")
        app.screen.query_one("#min-price", Input).value = "50"
        await pilot.click("#apply")
        await results_for(pilot)
        assert set(names(app)) == {"法式碎花雪纺连衣裙女夏季中长款", "百褶半身裙女高腰A字裙"}
        assert "已选 1 个品牌" in str(screen.query_one("#summary", Static).render())


async def test_bad_price_is_explained_in_the_panel(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await results_for(pilot)
        await pilot.press("f")
        app.screen.query_one("#min-price", Input).value = "1.234"
        await pilot.click("#apply")
        assert isinstance(app.screen, FilterScreen)
        assert "最多两位小数" in str(app.screen.query_one("#price-error", Static).render())
        await pilot.press("escape")
        assert isinstance(app.screen, CatalogScreen)
        assert app.screen.query_state.min_price is None


async def test_markup_in_a_product_name_is_shown_literally(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await pilot.press("slash", *"[@click")
        await results_for(pilot, "[@click")
        assert names(app) == ["标记测试 [b]粗体[/b] [@click=app.quit]退出[/]"]
        assert any("[b]粗体[/b] [@click=app.quit]退出[/]" in line for line in shown_lines(app))
        app.screen.query_one(ProductList).focus()
        await pilot.press("enter")
        page = await product_loaded(pilot)
        title = page.query_one("#title", Static)
        assert "[@click=app.quit]退出[/]" in str(title.render())
        assert app.is_running


async def test_enter_opens_the_product_and_escape_comes_back(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await results_for(pilot)
        first = app.screen.query_one(ProductList).cards[0]
        await pilot.press("enter")
        page = await product_loaded(pilot)
        assert page.product_id == first.id
        await pilot.press("escape")
        assert isinstance(app.screen, CatalogScreen)


async def test_places_ask_a_guest_to_log_in_first(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await results_for(pilot)
        guest_keys = (("c", "cart"), ("o", "orders"), ("w", "wallet"), ("u", "coupons"))
        for key, place in (*guest_keys, ("a", "account")):
            await pilot.press(key)
            assert isinstance(app.screen, LoginScreen)
            assert app.screen.reason == f"accounts.login.reason_{place}"
            await pilot.press("escape")
            assert isinstance(app.screen, CatalogScreen)
        await pilot.press("s")  # customer service is open to guests
        assert isinstance(app.screen, ComingSoonScreen)
        assert app.screen.place == "service"


async def test_global_keys_open_the_places(make_app: MakeApp) -> None:
    app = make_app(phone=BUYER)
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await results_for(pilot)
        places = (
            ("c", CartScreen), ("o", OrdersScreen), ("w", WalletScreen), ("u", CouponsScreen),
            ("s", ComingSoonScreen),
        )  # fmt: skip
        for key, screen_class in places:
            await pilot.press(key)
            assert isinstance(app.screen, screen_class)
            await pilot.press("h")
            assert isinstance(app.screen, CatalogScreen)
        await pilot.press("u", "s")
        assert isinstance(app.screen, ComingSoonScreen)
        assert app.screen.place == "service"
        await pilot.press("a")  # from one place straight to another
        assert isinstance(app.screen, AccountScreen)
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, CatalogScreen)
        await pilot.press("escape")  # nothing under the catalogue: stays
        assert isinstance(app.screen, CatalogScreen)


async def test_h_goes_home_from_a_product_page(make_app: MakeApp) -> None:
    app = make_app(phone=BUYER)
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await results_for(pilot)
        await pilot.press("enter")
        await product_loaded(pilot)
        await pilot.press("c")
        await pilot.press("h")
        assert isinstance(app.screen, CatalogScreen)
        assert len(app.screen_stack) == 1


async def test_too_small_terminal_gets_a_message(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        message = str(app.screen.query_one("#too-small", Static).render())
        assert "60×20" in message
        assert "80×24" in message
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, CatalogScreen)


async def test_command_palette_lists_screens_and_sorts(make_app: MakeApp) -> None:
    app = make_app(phone=BUYER)
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await results_for(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"价格")
        await pilot.pause(0.3)
        await pilot.press("down", "enter")
        await results_for(pilot)
        screen = app.screen
        assert isinstance(screen, CatalogScreen)
        assert screen.query_state.sort in (Sort.PRICE_ASC, Sort.PRICE_DESC)
        await pilot.press("ctrl+p")
        await pilot.press(*"购物车")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CartScreen)


async def test_command_palette_logs_in_and_out(
    make_app: MakeApp, store: Store, clock: FrozenClock
) -> None:
    app = make_app(phone=BUYER)
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await results_for(pilot)
        assert app.account is not None
        token = app.client.token
        assert token is not None
        await pilot.press("ctrl+p")
        await pilot.press(*"退出登录")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.account is None
        assert app.client.token is None
        assert account_for_token(store, token, clock=clock) is None  # ended in the store too
        await pilot.press("ctrl+p")
        await pilot.press(*"登录")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)


async def test_list_loads_further_pages_as_the_cursor_moves(store: object, clock: object) -> None:
    from kstui.app import create_app
    from kstui.settings import Settings

    app = create_app(
        Settings(db_path=store.path, animations=False, page_size=4),  # type: ignore[attr-defined]
        store,  # type: ignore[arg-type]
        clock,  # type: ignore[arg-type]
    )
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await results_for(pilot)
        products = app.screen.query_one(ProductList)
        assert len(products.cards) == 4
        for _ in range(11):
            await pilot.press("down")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        assert len(products.cards) == 12
        assert len({c.id for c in products.cards}) == 12
        assert products.cursor == 11
        assert isinstance(app, KstuiApp)


async def test_english_interface(make_app: MakeApp) -> None:
    app = make_app("en", phone=BUYER)
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await results_for(pilot)
        assert "12 products" in str(app.screen.query_one("#summary", Static).render())
        assert any("Yantai Fuji Apples" in line for line in shown_lines(app))
        await pilot.press("c")
        assert isinstance(app.screen, CartScreen)
        assert "Cart" in str(app.screen.query_one("#cart-title", Static).render())


async def test_opening_a_product_by_click(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await results_for(pilot)
        products = app.screen.query_one(ProductList)
        second = products.cards[1]
        await pilot.click(ProductList, offset=(5, 2))
        page = await product_loaded(pilot)
        assert page.product_id == second.id
        assert isinstance(page, ProductScreen)


async def test_an_unexpected_error_is_one_line_and_a_log(make_app: MakeApp) -> None:
    app = make_app()
    printed: list[str] = []
    app.error_console.print = lambda text, **_: printed.append(str(text))  # type: ignore[method-assign]

    async def crash() -> None:
        async with app.run_test(size=TERMINAL_SIZE) as pilot:
            await results_for(pilot)
            try:
                raise RuntimeError("boom")
            except RuntimeError as error:  # what Textual does with an uncaught error
                app._handle_exception(error)
            await pilot.pause()

    with pytest.raises(RuntimeError, match="boom"):  # run_test re-raises it for tests
        await crash()
    assert len(printed) == 1
    assert "意外错误" in printed[0]
    assert "Traceback" not in printed[0]
    assert "boom" in app.crash_log.read_text(encoding="utf-8")


async def test_nothing_but_quit_works_while_the_terminal_is_too_small(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert len(app.screen_stack) == 2
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert isinstance(app.screen, CatalogScreen)


async def test_places_replace_each_other(make_app: MakeApp) -> None:
    app = make_app(phone=BUYER)
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await results_for(pilot)
        await pilot.press("c", "o", "w")
        assert isinstance(app.screen, WalletScreen)
        assert app.screen.place == "wallet"
        assert len(app.screen_stack) == 2
        await pilot.press("escape")
        assert isinstance(app.screen, CatalogScreen)


async def test_a_database_failure_is_a_message_not_a_crash(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kstui.screens.catalog as catalog_screen
    from kstui.store.errors import StoreError

    def broken(*_: object, **__: object) -> object:
        raise StoreError("disk I/O error")

    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await results_for(pilot)
        monkeypatch.setattr(catalog_screen, "search_products", broken)
        await pilot.press("slash", "x")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        assert any("出了点问题" in n.message for n in app._notifications)


async def test_empty_hints_match_what_was_asked(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await pilot.press("slash", *"zzzz")
        await results_for(pilot, "zzzz")
        text = str(app.screen.query_one("#empty", Static).render())
        assert "拼音" in text  # the keyword hint
        assert "筛选" not in text  # no filter is set
        app.screen.query_one("#in-stock", Checkbox).value = True
        await results_for(pilot)
        text = str(app.screen.query_one("#empty", Static).render())
        assert "拼音" in text
        assert "筛选" in text


async def test_control_characters_in_a_name_never_reach_the_terminal(
    make_app: MakeApp, store: Store
) -> None:
    with store.writing() as tx:
        tx.execute("UPDATE product SET name_zh = :name WHERE id = 7", name="坏\n名字\x1b[31m红")
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await results_for(pilot)
        lines = shown_lines(app)
        assert any("坏 名字[31m红" in line for line in lines)
        assert not any("\x1b" in line or "\n" in line for line in lines)
        products = app.screen.query_one(ProductList)
        assert all(
            products.render_line(y).cell_length == products.scrollable_content_region.width
            for y in range(products.size.height)
        )


async def test_filter_buttons_fit_80x24_with_many_brands(make_app: MakeApp, store: Store) -> None:
    with store.writing() as tx:
        tx.execute_many(
            "INSERT INTO brand (slug, name_zh, name_en) VALUES (:slug, :zh, :en)",
            [{"slug": f"extra-{i}", "zh": f"品牌{i}", "en": f"Brand {i}"} for i in range(30)],
        )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await results_for(pilot)
        await pilot.press("f")
        await pilot.pause()
        screen = app.screen
        for button in ("#apply", "#cancel", "#reset"):
            region = screen.query_one(button).region
            assert region.height == 1
            assert 0 <= region.y < 23, f"{button} hidden at y={region.y}"
        await pilot.click("#apply")
        assert isinstance(app.screen, CatalogScreen)

"""What the shopper sees when the store cannot take a change: a full disk, a read-only
store. A plain message that says so, never "something went wrong", and the shop goes on."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest

from kstui.app import KstuiApp
from kstui.providers.clock import FrozenClock
from kstui.screens.product import ProductScreen
from kstui.settings import Settings
from kstui.store.sqlite import SqliteStore, SqliteTransaction
from tests.conftest import ADULT, PASSWORD, TEST_DEVICE_ID
from tests.ui.accounts.test_login_flow import error_of, open_login
from tests.ui.helpers import TERMINAL_SIZE, product_loaded, results_for, settle, type_into

MakeApp = Callable[..., KstuiApp]
DRESS = 1


def notices(app: KstuiApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_a_full_disk_says_so_and_nothing_is_lost(
    make_app: MakeApp, sqlite_store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(phone=ADULT)
    real_execute = SqliteTransaction.execute

    def full_disk(self: SqliteTransaction, sql: str, /, **params: object) -> int:
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE")):  # what SQLite says then
            from kstui.store.sqlite import translate_error

            raise translate_error(sqlite3.OperationalError("database or disk is full"), "t")
        return real_execute(self, sql, **params)

    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await results_for(pilot)
        await app.push_screen(ProductScreen(DRESS))
        await product_loaded(pilot)
        monkeypatch.setattr(SqliteTransaction, "execute", full_disk)
        await pilot.press("b")  # 加入购物车
        await settle(pilot)
        assert any("磁盘已满" in n and "完好无损" in n for n in notices(app)), notices(app)
        assert not any("出错" in n for n in notices(app))
        assert isinstance(app.screen, ProductScreen)  # the shop goes on
    with sqlite_store.reading() as tx:
        assert tx.fetch_value("SELECT count(*) FROM cart_line") == 0


async def test_a_read_only_store_is_browsed_and_changes_are_refused(
    sqlite_store: SqliteStore, clock: FrozenClock
) -> None:
    sqlite_store.close()
    store = SqliteStore(sqlite_store.path, read_only=True)
    settings = Settings(
        db_path=sqlite_store.path, lang="zh", animations=False, device_id=TEST_DEVICE_ID
    )
    from kstui.app import create_app

    app = create_app(settings, store, clock)
    try:
        async with app.run_test(size=TERMINAL_SIZE) as pilot:
            await results_for(pilot)
            assert any("只读" in n for n in notices(app)), notices(app)
            await open_login(pilot)
            app.screen.query_one("TabbedContent").active = "password-tab"  # type: ignore[attr-defined]
            await type_into(pilot, "#password-phone-input", ADULT)
            await type_into(pilot, "#password-input", PASSWORD)
            await pilot.click("#password-login")
            await settle(pilot)
            assert app.account is None
            assert "只读" in error_of(app, "password") or any("只读" in n for n in notices(app)), (
                error_of(app, "password"),
                notices(app),
            )
    finally:
        store.close()

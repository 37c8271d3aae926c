"""Pilot tests of logging in, registering, real-name verification and account security."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import timedelta

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, ContentSwitcher, Static

from kstui.app import KstuiApp
from kstui.client_state import ClientState
from kstui.providers.clock import FrozenClock
from kstui.providers.sms import outbox
from kstui.screens.account import AccountScreen
from kstui.screens.cart import CartScreen
from kstui.screens.catalog import CatalogScreen
from kstui.screens.login import LoginScreen
from kstui.screens.product import ProductScreen
from kstui.screens.register import RegisterScreen
from kstui.screens.security import (
    ChangePasswordScreen,
    PaymentPasswordScreen,
    SecondFactorOffScreen,
)
from kstui.screens.social_auth import SocialAuthScreen
from kstui.services.accounts.auth import logout
from kstui.store.interface import Store
from kstui.widgets.form import FormField
from tests.ui.helpers import (
    TERMINAL_SIZE,
    latest_code,
    product_loaded,
    results_for,
    settle,
    type_into,
)

MakeApp = Callable[..., KstuiApp]
ADULT, MINOR, PASSWORD = "13800138000", "13800138001", "Kstui2026"


def focused_id(app: KstuiApp) -> str | None:
    return None if app.focused is None else app.focused.id


def outbox_of(app: KstuiApp) -> list[object]:
    with app.store.reading() as tx:
        return list(outbox(tx, phone=ADULT))


def error_of(app: KstuiApp, name: str) -> str:
    return app.screen.query_one(f"#{name}-field", FormField).error


async def wechat_agreed(pilot: Pilot[None]) -> None:
    """On the login screen: 微信, then 同意 in the authorization dialog."""
    await pilot.click("#wechat")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SocialAuthScreen)
    await pilot.click("#agree")
    await settle(pilot)


async def bind_phone(pilot: Pilot[None], store: Store, phone: str) -> None:
    """The first 微信 login: bind `phone` with the code texted to it."""
    await type_into(pilot, "#bind-phone-input", phone)
    await pilot.click("#bind-send")
    await settle(pilot)
    await type_into(pilot, "#bind-code-input", latest_code(store, phone))
    await pilot.click("#bind-confirm")
    await settle(pilot)


async def pass_second_factor(pilot: Pilot[None], store: Store, phone: str) -> None:
    """At 二次验证: ask for the code, type it from the outbox, confirm."""
    await pilot.click("#sf-send")
    await settle(pilot)
    await type_into(pilot, "#sf-code-input", latest_code(store, phone))
    await pilot.click("#sf-confirm")
    await settle(pilot)


async def open_login(pilot: Pilot[None]) -> LoginScreen:
    await results_for(pilot)
    await pilot.press("a")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, LoginScreen)
    return screen


async def test_code_login_end_to_end(make_app: MakeApp, store: Store) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await open_login(pilot)
        await type_into(pilot, "#code-phone-input", "+86 138-0013-8000")
        await pilot.click("#send-code")
        await settle(pilot)
        assert app.screen.query_one("#send-code", Button).disabled  # counting down
        assert any("验证码" in n.message for n in app._notifications)  # the simulated SMS
        await type_into(pilot, "#code-input", "000000")
        await pilot.click("#code-login")
        await settle(pilot)
        assert "还可以再试 4 次" in error_of(app, "code")
        assert isinstance(app.screen, LoginScreen)
        await type_into(pilot, "#code-input", latest_code(store, ADULT))
        await pilot.click("#code-login")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)  # then what was asked for: the account
        assert app.account is not None
        assert app.account.phone == ADULT
        assert app.client.token is not None
        assert app.client_path.exists()


async def test_logging_in_with_the_keyboard_only(make_app: MakeApp, store: Store) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await open_login(pilot)
        assert focused_id(app) == "code-phone-input"
        await pilot.press(*"13800138000", "enter")  # Enter sends the code, moves on
        await settle(pilot)
        assert focused_id(app) == "code-input"
        assert app.screen.query_one("#send-code", Button).disabled
        await pilot.press(*latest_code(store, ADULT), "enter")  # Enter logs in
        await settle(pilot)
        assert app.account is not None
        assert app.account.phone == ADULT


async def test_enter_goes_from_phone_to_password_then_logs_in(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await open_login(pilot)
        app.screen.query_one("TabbedContent").active = "password-tab"
        app.screen.query_one("#password-phone-input").focus()
        await pilot.press(*ADULT, "enter")
        assert focused_id(app) == "password-input"
        assert not list(outbox_of(app))  # no code sent from this tab
        await pilot.press(*PASSWORD, "enter")
        await settle(pilot)
        assert app.account is not None


async def test_password_login_and_a_wrong_password(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await open_login(pilot)
        app.screen.query_one("TabbedContent").active = "password-tab"
        await type_into(pilot, "#password-phone-input", ADULT)
        await type_into(pilot, "#password-input", "wrong-1234")
        await pilot.click("#password-login")
        await settle(pilot)
        assert error_of(app, "password") == "手机号或密码不正确，还可以再试 4 次"
        await type_into(pilot, "#password-phone-input", "13912345678")  # no such account
        await pilot.click("#password-login")
        await settle(pilot)
        assert error_of(app, "password") == "手机号或密码不正确，还可以再试 4 次"
        await type_into(pilot, "#password-phone-input", ADULT)
        await type_into(pilot, "#password-input", PASSWORD)
        await pilot.click("#password-login")
        await settle(pilot)
        assert app.account is not None
        assert app.account.nickname == "测试买家"


async def test_five_wrong_passwords_lock_password_login(
    make_app: MakeApp, clock: FrozenClock
) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await open_login(pilot)
        app.screen.query_one("TabbedContent").active = "password-tab"
        await type_into(pilot, "#password-phone-input", ADULT)
        for _ in range(5):
            await type_into(pilot, "#password-input", "wrong-1234")
            await pilot.click("#password-login")
            await settle(pilot)
        assert "30 分钟" in error_of(app, "password")
        await type_into(pilot, "#password-input", PASSWORD)  # right, but locked
        await pilot.click("#password-login")
        await settle(pilot)
        assert app.account is None
        assert "分钟" in error_of(app, "password")
        clock.advance(timedelta(minutes=30))
        await pilot.click("#password-login")
        await settle(pilot)
        assert app.account is not None


async def test_bad_phone_is_explained_beside_the_field(make_app: MakeApp, store: Store) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await open_login(pilot)
        await type_into(pilot, "#code-phone-input", "1380013800")
        await pilot.click("#send-code")
        await settle(pilot)
        assert "11位" in error_of(app, "code-phone")
        with store.reading() as tx:
            assert outbox(tx) == []  # nothing sent


async def test_wechat_login_creates_an_account_then_signs_in(
    make_app: MakeApp, store: Store
) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await open_login(pilot)
        await wechat_agreed(pilot)
        assert app.screen.query_one("#bind-phone").display
        await bind_phone(pilot, store, "13712345678")
        assert app.account is not None
        assert app.account.phone == "13712345678"
        assert app.account.nickname.startswith("微信用户")
        await pilot.click("#logout")
        await settle(pilot)
        assert app.account is None
        # the same WeChat account now signs straight in
        await pilot.press("a")
        await pilot.pause()
        await wechat_agreed(pilot)
        assert app.account is not None
        assert app.account.phone == "13712345678"


async def test_refusing_wechat_changes_nothing(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await open_login(pilot)
        await pilot.click("#qq")
        await pilot.pause()
        await pilot.click("#refuse")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "拒绝" in str(app.screen.query_one(".form-message", Static).render())
        assert app.account is None


async def test_registration_with_real_name(make_app: MakeApp, store: Store) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await open_login(pilot)
        await pilot.click("#register")
        await pilot.pause()
        assert isinstance(app.screen, RegisterScreen)
        await type_into(pilot, "#reg-phone-input", "13612345678")
        await pilot.click("#reg-send")
        await settle(pilot)
        await type_into(pilot, "#reg-code-input", latest_code(store, "13612345678"))
        await pilot.click("#reg-next")
        await settle(pilot)
        await type_into(pilot, "#reg-password-input", "abc12")
        await type_into(pilot, "#reg-confirm-input", "abc12")
        await pilot.click("#reg-submit")
        await settle(pilot)
        assert "8–64" in error_of(app, "reg-password")
        await type_into(pilot, "#reg-password-input", "Shop2026now")
        await type_into(pilot, "#reg-confirm-input", "Shop2026now")
        await pilot.click("#reg-submit")
        await settle(pilot)
        await type_into(pilot, "#rn-name-input", "王小明")
        await type_into(pilot, "#rn-id-input", "110101199003074572")  # check digit wrong
        await pilot.click("#reg-verify")
        await settle(pilot)
        assert "校验位" in error_of(app, "rn-id")
        await type_into(pilot, "#rn-id-input", "11010120100101004x")  # lowercase x
        await pilot.click("#reg-verify")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        assert app.account is not None
        assert app.account.real_name == "王小明"
        assert app.account.is_minor(app.clock.now().date())  # born 2010
        assert "未成年" in str(app.screen.query_one("#real-name", Static).render())


async def test_guest_buying_logs_in_and_comes_back(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await results_for(pilot)
        await app.push_screen(ProductScreen(1))
        page = await product_loaded(pilot)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert "加入购物车" in str(app.screen.query_one("#login-reason", Static).render())
        app.screen.query_one("TabbedContent").active = "password-tab"
        await type_into(pilot, "#password-phone-input", ADULT)
        await type_into(pilot, "#password-input", PASSWORD)
        await pilot.click("#password-login")
        await settle(pilot)
        assert app.screen is page  # back on the product, choices kept
        assert page.selection == (0, 0)
        assert any("已加入购物车" in n.message for n in app._notifications)
        await pilot.press("c")  # logged in now: straight to the place
        assert isinstance(app.screen, CartScreen)
        await settle(pilot)
        assert [line.quantity for line in app.screen.view.lines] == [1]


async def test_escape_leaves_the_login_without_doing_the_action(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await open_login(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CatalogScreen)
        assert app.account is None


async def test_login_is_remembered_between_runs(make_app: MakeApp, clock: FrozenClock) -> None:
    first = make_app()
    async with first.run_test(size=TERMINAL_SIZE) as pilot:
        await open_login(pilot)
        first.screen.query_one("TabbedContent").active = "password-tab"
        await type_into(pilot, "#password-phone-input", ADULT)
        await type_into(pilot, "#password-input", PASSWORD)
        await pilot.click("#password-login")
        await settle(pilot)
        assert first.account is not None
    second = make_app()
    async with second.run_test(size=TERMINAL_SIZE) as pilot:
        await settle(pilot)
        assert second.account is not None
        assert second.account.phone == ADULT
        who = second.screen.query_one("#who", Static)
        assert "测试买家" in str(who.render())
    clock.advance(timedelta(days=31))  # sessions expire
    third = make_app()
    async with third.run_test(size=TERMINAL_SIZE) as pilot:
        await settle(pilot)
        assert third.account is None
        assert third.client.token is None


async def test_account_security_screen(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await open_login(pilot)
        app.screen.query_one("TabbedContent").active = "password-tab"
        await type_into(pilot, "#password-phone-input", ADULT)
        await type_into(pilot, "#password-input", PASSWORD)
        await pilot.click("#password-login")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AccountScreen)
        assert "已认证" in str(screen.query_one("#real-name", Static).render())
        # second verification
        await pilot.click("#second-factor")
        await settle(pilot)
        assert app.account is not None
        assert app.account.second_factor
        assert "已开启" in str(screen.query_one("#second-factor-status", Static).render())
        assert str(screen.query_one("#second-factor", Button).label) == "关闭"
        # payment password: trivial refused, then set
        await pilot.click("#set-payment")
        await pilot.pause()
        assert isinstance(app.screen, PaymentPasswordScreen)
        await type_into(pilot, "#new-payment-input", "123456")
        await type_into(pilot, "#confirm-payment-input", "123456")
        await pilot.click("#save")
        await settle(pilot)
        assert "连续" in error_of(app, "new-payment")
        await type_into(pilot, "#new-payment-input", "258147")
        await type_into(pilot, "#confirm-payment-input", "258147")
        await pilot.click("#save")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        assert app.account is not None
        assert app.account.has_payment_password
        # change password with the current one: the session is renewed
        old_token = app.client.token
        await pilot.click("#change-password")
        await pilot.pause()
        assert isinstance(app.screen, ChangePasswordScreen)
        await type_into(pilot, "#current-input", PASSWORD)
        await type_into(pilot, "#new-password-input", "Brand2027new")
        await type_into(pilot, "#confirm-password-input", "Brand2027new")
        await pilot.click("#save")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        assert app.client.token != old_token
        assert app.account is not None
        assert ClientState.load(ClientState.path_for(app.store.path)).token == app.client.token
        # log out
        await pilot.click("#logout")
        await settle(pilot)
        assert app.account is None
        assert isinstance(app.screen, CatalogScreen)


async def test_second_verification_at_login(make_app: MakeApp, store: Store) -> None:
    with store.writing() as tx:
        tx.execute("UPDATE account SET second_factor = TRUE WHERE phone = :phone", phone=ADULT)
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await open_login(pilot)
        app.screen.query_one("TabbedContent").active = "password-tab"
        await type_into(pilot, "#password-phone-input", ADULT)
        await type_into(pilot, "#password-input", PASSWORD)
        await pilot.click("#password-login")
        await settle(pilot)
        assert app.account is None
        assert app.screen.query_one("#second-factor").display
        assert "138****8000" in str(app.screen.query_one("#second-factor-text", Static).render())
        await pass_second_factor(pilot, store, ADULT)
        assert app.account is not None
        assert app.account.phone == ADULT


async def test_second_verification_after_wechat(
    make_app: MakeApp, store: Store, clock: FrozenClock
) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await open_login(pilot)
        await wechat_agreed(pilot)
        await bind_phone(pilot, store, ADULT)  # links WeChat to the account
        assert app.account is not None
        assert isinstance(app.screen, AccountScreen)
        await pilot.click("#second-factor")
        await settle(pilot)
        await pilot.click("#logout")
        await settle(pilot)
        assert app.account is None
        await pilot.press("a")
        await pilot.pause()
        await wechat_agreed(pilot)
        assert app.account is None  # WeChat alone is not enough now
        assert "138****8000" in str(app.screen.query_one("#second-factor-text", Static).render())
        clock.advance(timedelta(seconds=61))  # a text every 60 s at most
        await pass_second_factor(pilot, store, ADULT)
        assert app.account is not None
        assert app.account.phone == ADULT


async def test_turning_second_verification_off_asks_for_a_code(
    make_app: MakeApp, store: Store
) -> None:
    app = make_app(phone=ADULT)
    with store.writing() as tx:
        tx.execute("UPDATE account SET second_factor = TRUE WHERE phone = :phone", phone=ADULT)
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        await pilot.click("#second-factor")
        await pilot.pause()
        assert isinstance(app.screen, SecondFactorOffScreen)
        await pilot.click("#save")  # no code yet
        await settle(pilot)
        assert error_of(app, "off-code")
        await pilot.click("#send-code")
        await settle(pilot)
        await pilot.press(*latest_code(store, ADULT), "enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        assert app.account is not None
        assert not app.account.second_factor
        assert str(app.screen.query_one("#second-factor", Button).label) == "开启"


async def test_registering_a_taken_phone_goes_back_to_the_phone(
    make_app: MakeApp, store: Store
) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await open_login(pilot)
        await pilot.click("#register")
        await pilot.pause()
        await type_into(pilot, "#reg-phone-input", ADULT)  # the reply is the same as for anyone
        await pilot.click("#reg-send")
        await settle(pilot)
        await type_into(pilot, "#reg-code-input", latest_code(store, ADULT))
        await pilot.click("#reg-next")
        await settle(pilot)
        await type_into(pilot, "#reg-password-input", "Shop2026now")
        await type_into(pilot, "#reg-confirm-input", "Shop2026now")
        await pilot.click("#reg-submit")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RegisterScreen)
        assert screen.query_one(ContentSwitcher).current == "step-phone"
        assert "已注册" in error_of(app, "reg-phone")
        assert focused_id(app) == "reg-phone-input"
        assert app.account is None


async def test_one_login_screen_at_a_time(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await open_login(pilot)
        app.screen.query_one("#wechat", Button).focus()
        await pilot.press("c", "o", "a")  # places that need a login, from the login screen
        await settle(pilot)
        assert sum(isinstance(s, LoginScreen) for s in app.screen_stack) == 1


async def test_a_busy_store_is_explained_on_the_form(
    make_app: MakeApp, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite: another process holds the write lock for longer than the busy timeout."""
    from kstui.store import sqlite

    pragmas = tuple(p.replace("15000", "50") for p in sqlite.PRAGMAS)
    monkeypatch.setattr(sqlite, "PRAGMAS", pragmas)
    monkeypatch.setattr(sqlite, "BUSY_TIMEOUT_MS", 50)
    assert isinstance(store, sqlite.SqliteStore)
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await open_login(pilot)
        await type_into(pilot, "#code-phone-input", ADULT)
        other = sqlite3.connect(store.path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another kstui writing
        try:
            await pilot.click("#send-code")
            await settle(pilot)
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert isinstance(app.screen, LoginScreen)
        assert "正忙" in str(app.screen.query_one(".form-message", Static).render())
        await pilot.click("#send-code")  # and once the other is done, it works
        await settle(pilot)
        assert outbox_of(app)


async def test_a_dialog_whose_session_ended_logs_out(make_app: MakeApp, store: Store) -> None:
    app = make_app(phone=ADULT)
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.click("#change-password")
        await pilot.pause()
        assert isinstance(app.screen, ChangePasswordScreen)
        token = app.client.token
        assert token is not None
        logout(store, token, clock=app.clock)  # ended from elsewhere meanwhile
        await type_into(pilot, "#current-input", PASSWORD)
        await type_into(pilot, "#new-password-input", "Brand2027new")
        await type_into(pilot, "#confirm-password-input", "Brand2027new")
        await pilot.click("#save")
        await settle(pilot)
        assert app.account is None
        assert app.client.token is None
        assert isinstance(app.screen, CatalogScreen)

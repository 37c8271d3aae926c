"""Snapshots of the account screens: login, registration, real name, account and security,
the 微信 authorization. Fixed sizes, frozen clock, the small test seed, a fixed device id.

Update with `pytest tests/ui/accounts/test_account_snapshots.py --snapshot-update`, then look at
every changed screen in snapshot_report.html before committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from kstui.app import KstuiApp
from kstui.services.accounts import sms_codes
from kstui.store.interface import Store
from tests.ui.helpers import SMALL_TERMINAL, latest_code, results_for, settle, type_into

MakeApp = Callable[..., KstuiApp]
Snap = Callable[..., bool]
RunBefore = Callable[[Pilot[None]], Awaitable[None]]
BUYER, NEWCOMER = "13800138000", "13612345678"
LANGS = pytest.mark.parametrize("lang", ["zh", "en"])


@pytest.fixture(autouse=True)
def fixed_sms_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every SMS code is 246810, so that texts shown on screen are the same each run."""
    monkeypatch.setattr(sms_codes.secrets, "randbelow", lambda _: 246810)


async def _login(pilot: Pilot[None]) -> None:
    """The login a guest gets on pressing `a` (account)."""
    await results_for(pilot)
    await pilot.press("a")
    await settle(pilot)


async def _password_tab(pilot: Pilot[None]) -> None:
    await _login(pilot)
    pilot.app.screen.query_one(TabbedContent).active = "password-tab"
    await settle(pilot)


def _registration(store: Store, *, up_to: str) -> RunBefore:
    """Registration of a new number, up to the step `up_to` (phone, password, real_name)."""

    async def run_before(pilot: Pilot[None]) -> None:
        await _login(pilot)
        await pilot.click("#register")
        await settle(pilot)
        await type_into(pilot, "#reg-phone-input", NEWCOMER)
        await pilot.click("#reg-send")
        await settle(pilot)
        if up_to == "phone":
            return
        await type_into(pilot, "#reg-code-input", latest_code(store, NEWCOMER))
        await pilot.click("#reg-next")
        await settle(pilot)
        await type_into(pilot, "#reg-password-input", "Shop2026")
        if up_to == "password":
            return
        await type_into(pilot, "#reg-confirm-input", "Shop2026")
        await pilot.click("#reg-submit")
        await settle(pilot)
        await type_into(pilot, "#rn-name-input", "王小明")
        await type_into(pilot, "#rn-id-input", "110101199003074572")  # wrong check digit
        await pilot.click("#reg-verify")
        await settle(pilot)

    return run_before


@LANGS
def test_login_by_code(snap_compare: Snap, make_app: MakeApp, lang: str) -> None:
    """You should see 登录 with why it is asked (账户), the 验证码登录 tab chosen, phone and code
    fields, 获取验证码, and 微信 / QQ / 注册 at the bottom."""
    assert snap_compare(make_app(lang), terminal_size=SMALL_TERMINAL, run_before=_login)


def test_login_code_sent(snap_compare: Snap, make_app: MakeApp) -> None:
    """You should see the number typed, the button counting down (60秒后重发) and the SMS shown
    as a notification (this is the simulated phone)."""

    async def run_before(pilot: Pilot[None]) -> None:
        await _login(pilot)
        await type_into(pilot, "#code-phone-input", BUYER)
        await pilot.click("#send-code")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SMALL_TERMINAL, run_before=run_before)


@LANGS
def test_login_wrong_password(snap_compare: Snap, make_app: MakeApp, lang: str) -> None:
    """You should see the 密码登录 tab with the password refused under its field, and the
    tries left before the account is locked."""

    async def run_before(pilot: Pilot[None]) -> None:
        await _password_tab(pilot)
        await type_into(pilot, "#password-phone-input", BUYER)
        await type_into(pilot, "#password-input", "wrong-password1")
        await pilot.click("#password-login")
        await settle(pilot)

    assert snap_compare(make_app(lang), terminal_size=SMALL_TERMINAL, run_before=run_before)


def test_login_second_verification(snap_compare: Snap, make_app: MakeApp, store: Store) -> None:
    """You should see 二次验证 asking for a code sent to 138****8000 after the right password."""
    with store.writing() as tx:
        tx.execute("UPDATE account SET second_factor = TRUE WHERE phone = :phone", phone=BUYER)

    async def run_before(pilot: Pilot[None]) -> None:
        await _password_tab(pilot)
        await type_into(pilot, "#password-phone-input", BUYER)
        await type_into(pilot, "#password-input", "Kstui2026")
        await pilot.click("#password-login")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SMALL_TERMINAL, run_before=run_before)


@LANGS
def test_wechat_authorization(snap_compare: Snap, make_app: MakeApp, lang: str) -> None:
    """You should see the simulated 微信 asking to let kstui use its nickname and avatar, with
    拒绝 and 同意 buttons."""

    async def run_before(pilot: Pilot[None]) -> None:
        await _login(pilot)
        await pilot.click("#wechat")
        await settle(pilot)

    assert snap_compare(make_app(lang), terminal_size=SMALL_TERMINAL, run_before=run_before)


def test_wechat_bind_phone(snap_compare: Snap, make_app: MakeApp) -> None:
    """You should see 绑定手机号: a new 微信 user gives a phone number before logging in."""

    async def run_before(pilot: Pilot[None]) -> None:
        await _login(pilot)
        await pilot.click("#wechat")
        await settle(pilot)
        await pilot.click("#agree")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SMALL_TERMINAL, run_before=run_before)


@LANGS
def test_register_phone_step(
    snap_compare: Snap, make_app: MakeApp, store: Store, lang: str
) -> None:
    """You should see step 1 of 3 (手机号) with the number typed and the code on its way."""
    run_before = _registration(store, up_to="phone")
    assert snap_compare(make_app(lang), terminal_size=SMALL_TERMINAL, run_before=run_before)


@LANGS
def test_register_password_step(
    snap_compare: Snap, make_app: MakeApp, store: Store, lang: str
) -> None:
    """You should see step 2 of 3 (设置密码) with the strength meter under the typed password."""
    run_before = _registration(store, up_to="password")
    assert snap_compare(make_app(lang), terminal_size=SMALL_TERMINAL, run_before=run_before)


@LANGS
def test_register_real_name_error(
    snap_compare: Snap, make_app: MakeApp, store: Store, lang: str
) -> None:
    """You should see step 3 of 3 (实名认证) with the ID number refused for its check digit."""
    run_before = _registration(store, up_to="real_name")
    assert snap_compare(make_app(lang), terminal_size=SMALL_TERMINAL, run_before=run_before)


@LANGS
def test_account_and_security(snap_compare: Snap, make_app: MakeApp, lang: str) -> None:
    """You should see 账户与安全 of 测试买家: masked phone, real name verified (林**), no payment
    password, second verification off, nothing linked, this device logged in, 退出登录."""

    async def run_before(pilot: Pilot[None]) -> None:
        await results_for(pilot)
        await pilot.press("a")
        await settle(pilot)

    app = make_app(lang, phone=BUYER)
    assert snap_compare(app, terminal_size=SMALL_TERMINAL, run_before=run_before)


def test_payment_password_dialog(snap_compare: Snap, make_app: MakeApp) -> None:
    """You should see 设置支付密码 with a trivial 123456 refused under the field."""

    async def run_before(pilot: Pilot[None]) -> None:
        await results_for(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.click("#set-payment")
        await settle(pilot)
        await type_into(pilot, "#new-payment-input", "123456")
        await type_into(pilot, "#confirm-payment-input", "123456")
        await pilot.click("#save")
        await settle(pilot)

    app = make_app(phone=BUYER)
    assert snap_compare(app, terminal_size=SMALL_TERMINAL, run_before=run_before)


def test_change_password_dialog(snap_compare: Snap, make_app: MakeApp) -> None:
    """You should see 修改密码: current password or an SMS code, then the new one twice."""

    async def run_before(pilot: Pilot[None]) -> None:
        await results_for(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.click("#change-password")
        await settle(pilot)

    app = make_app(phone=BUYER)
    assert snap_compare(app, terminal_size=SMALL_TERMINAL, run_before=run_before)


def test_catalogue_logged_in(snap_compare: Snap, make_app: MakeApp) -> None:
    """You should see the catalogue greeting 测试买家 at the top instead of 未登录."""
    app = make_app(phone=BUYER)
    assert snap_compare(app, terminal_size=SMALL_TERMINAL, run_before=results_for)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_second_factor_off_dialog(
    snap_compare: Snap, make_app: MakeApp, store: Store, lang: str
) -> None:
    """You should see 关闭登录二次验证 asking for an SMS code to 138****8000, the code
    sent (the button counting down) and a wrong code refused under the field."""

    async def run_before(pilot: Pilot[None]) -> None:
        await results_for(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.click("#second-factor")
        await settle(pilot)
        await pilot.click("#send-code")
        await settle(pilot)
        pilot.app.clear_notifications()
        await type_into(pilot, "#off-code-input", "000000")
        await pilot.click("#save")
        await settle(pilot)

    app = make_app(lang, phone=BUYER)
    with store.writing() as tx:
        tx.execute("UPDATE account SET second_factor = TRUE WHERE phone = :phone", phone=BUYER)
    assert snap_compare(app, terminal_size=SMALL_TERMINAL, run_before=run_before)
